//! The command line: `cargo xtask <command> [options]`.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::codegen::CodegenArgs;

pub const USAGE: &str = "\
Project automation for the Justap SDK workspace.

USAGE:
    cargo xtask codegen [--check] [--spec FILE] [--out DIR]
    cargo xtask test
    cargo xtask --help

COMMANDS:
    codegen    Generate the SDK crate from the spec (default: spec/justap.yaml -> generated/).
               --check writes nothing and fails if generated/ is stale.
    test       Run the whole suite as CI does: fmt, codegen --check, clippy, tests,
               snapshot hygiene, docs. Ends with `summary: N passed, M failed`.
";

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `--help`, `-h` or `help`: print [`USAGE`] and succeed.
    Help,
    Codegen(CodegenArgs),
    Test,
}

/// The command line does not parse; the binary prints it with [`USAGE`] and exits with 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Parses the arguments after `cargo xtask`.
pub fn parse(mut args: pico_args::Arguments) -> Result<Command, UsageError> {
    if args.contains(["-h", "--help"]) {
        return Ok(Command::Help);
    }
    let usage = |e: pico_args::Error| UsageError(e.to_string());
    let command = match args.subcommand().map_err(usage)?.as_deref() {
        None => {
            return Err(match args.finish().first() {
                Some(first) => UsageError(format!(
                    "expected a command before `{}`",
                    first.to_string_lossy()
                )),
                None => UsageError("no command given".to_owned()),
            });
        }
        Some("help") => Command::Help,
        Some("codegen") => Command::Codegen(CodegenArgs {
            check: args.contains("--check"),
            // `_from_str` (not `_from_os_str`) so that `--spec=FILE` works too.
            spec: args
                .opt_value_from_str::<_, PathBuf>("--spec")
                .map_err(usage)?,
            out: args
                .opt_value_from_str::<_, PathBuf>("--out")
                .map_err(usage)?,
        }),
        Some("test") => Command::Test,
        Some(other) => return Err(UsageError(format!("unknown command `{other}`"))),
    };
    reject_leftovers(args.finish())?;
    Ok(command)
}

fn reject_leftovers(leftovers: Vec<OsString>) -> Result<(), UsageError> {
    if leftovers.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = leftovers
        .iter()
        .map(|arg| format!("`{}`", arg.to_string_lossy()))
        .collect();
    Err(UsageError(format!(
        "unexpected argument{} {}",
        if shown.len() == 1 { "" } else { "s" },
        shown.join(" ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, UsageError> {
        parse(pico_args::Arguments::from_vec(
            args.iter().map(OsString::from).collect(),
        ))
    }

    #[test]
    fn commands() {
        assert_eq!(parse_strs(&["test"]), Ok(Command::Test));
        assert_eq!(
            parse_strs(&["codegen"]),
            Ok(Command::Codegen(CodegenArgs::default()))
        );
        assert_eq!(
            parse_strs(&["codegen", "--spec", "a.yaml", "--check", "--out=gen"]),
            Ok(Command::Codegen(CodegenArgs {
                check: true,
                spec: Some("a.yaml".into()),
                out: Some("gen".into()),
            }))
        );
        for help in [&["--help"][..], &["-h"], &["help"], &["codegen", "--help"]] {
            assert_eq!(parse_strs(help), Ok(Command::Help), "{help:?}");
        }
    }

    #[test]
    fn usage_errors() {
        let error = |args: &[&str]| parse_strs(args).expect_err("usage error").0;
        assert_eq!(error(&[]), "no command given");
        assert_eq!(error(&["deploy"]), "unknown command `deploy`");
        assert_eq!(error(&["--check"]), "expected a command before `--check`");
        assert_eq!(error(&["test", "--fast"]), "unexpected argument `--fast`");
        assert_eq!(
            error(&["codegen", "x", "y"]),
            "unexpected arguments `x` `y`"
        );
        assert!(error(&["codegen", "--spec"]).contains("--spec"));
    }
}
