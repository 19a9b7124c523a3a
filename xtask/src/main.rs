//! `cargo xtask <command>`: parse, dispatch, report. The work lives in the library; exit statuses
//! are defined in [`xtask::flags`].

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use xtask::flags::{self, Command, Outcome};

fn main() -> ExitCode {
    let command = match flags::parse(pico_args::Arguments::from_env()) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e}\n\n{}", flags::USAGE);
            return ExitCode::from(flags::EXIT_USAGE);
        }
    };
    // Every command ends as `Result<Outcome>`; those with one way to succeed return `Result<()>`.
    let result = match command {
        Command::Help => {
            print!("{}", flags::USAGE);
            Ok(Outcome::Success)
        }
        Command::Codegen(args) => xtask::codegen::run(args).map(|()| Outcome::Success),
        Command::Diff {
            old,
            new,
            format,
            verbose,
        } => xtask::diff::run(&old, &new, format, verbose),
        Command::Release(args) => xtask::release::run(&args).map(|()| Outcome::Success),
        Command::Openapi3 { spec, out } => {
            xtask::openapi3::run(&spec, out.as_deref()).map(|()| Outcome::Success)
        }
        Command::Test => xtask::test::run().map(|()| Outcome::Success),
        Command::Fuzz { seconds, seed } => {
            xtask::fuzz::run(seconds, seed).map(|()| Outcome::Success)
        }
        Command::FuzzCrates { pick: None } => xtask::fuzz::crates::run().map(|()| Outcome::Success),
        Command::FuzzCrates { pick: Some(tries) } => {
            xtask::fuzz::crates::run_pick(tries).map(|()| Outcome::Success)
        }
        Command::FuzzWorker {
            seed,
            start,
            seconds,
        } => xtask::fuzz::worker(seed, start, seconds).map(|()| Outcome::Success),
        Command::Loc { dir } => xtask::loc::run(&dir).map(|()| Outcome::Success),
        Command::Vendor => xtask::vendor::run().map(|()| Outcome::Success),
        Command::Bench(sections) => xtask::bench::run(&sections).map(|()| Outcome::Success),
        Command::BenchRun(sections) => {
            xtask::bench::run_measurements(&sections).map(|()| Outcome::Success)
        }
        Command::BenchPeak { spec } => xtask::bench::peak::report(&spec).map(|()| Outcome::Success),
        Command::BenchSpec { units, out } => {
            xtask::bench::write_spec(units, out.as_deref()).map(|()| Outcome::Success)
        }
    };
    if let Err(e) = &result {
        eprintln!("error: {e:#}");
    }
    ExitCode::from(flags::exit_status(&result))
}
