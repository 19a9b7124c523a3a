//! `cargo xtask <command>`: parse, dispatch, report. The work lives in the library.

use std::process::ExitCode;

use xtask::flags::{self, Command};

fn main() -> ExitCode {
    let command = match flags::parse(pico_args::Arguments::from_env()) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e}\n\n{}", flags::USAGE);
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help => {
            print!("{}", flags::USAGE);
            return ExitCode::SUCCESS;
        }
        Command::Codegen(args) => xtask::codegen::run(args),
        Command::Test => xtask::test::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
