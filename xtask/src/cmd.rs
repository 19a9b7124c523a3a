//! Running child processes: every child starts in the project root with stdin closed, and its
//! output streams straight to ours.

use std::env;
use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::project_root;

/// `$CARGO` (set by `cargo run`, so children use the same toolchain) or else `cargo`, in the
/// project root, with stdin null.
pub fn cargo<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let program = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(program);
    command.args(args.into_iter().map(Into::into));
    command.current_dir(project_root()).stdin(Stdio::null());
    command
}

/// Runs `command` to completion with inherited stdout and stderr; a non-zero exit is an error.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("cannot run `{}`", show(command)))?;
    if !status.success() {
        bail!("`{}` exited with {status}", show(command));
    }
    Ok(())
}

/// Runs `command` and returns its stdout (lossy UTF-8); a non-zero exit is an error that quotes
/// its stderr.
pub fn output(command: &mut Command) -> Result<String> {
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run `{}`", show(command)))?;
    if !output.status.success() {
        bail!(
            "`{}` exited with {}: {}",
            show(command),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `cargo fmt --all --check`: the program's file name and its arguments, for messages.
pub fn show(command: &Command) -> String {
    let program = Path::new(command.get_program());
    let program = program
        .file_stem()
        .unwrap_or(program.as_os_str())
        .to_string_lossy();
    let mut shown = program.into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_uses_the_program_name() {
        let mut command = Command::new("/home/me/.cargo/bin/cargo");
        command.args(["fmt", "--all", "--check"]);
        assert_eq!(show(&command), "cargo fmt --all --check");
    }

    #[cfg(unix)]
    #[test]
    fn failures_name_the_command() {
        let mut command = Command::new("sh");
        command.args(["-c", "exit 3"]).stdin(Stdio::null());
        let error = run(&mut command).expect_err("exit 3");
        assert_eq!(
            format!("{error:#}"),
            "`sh -c exit 3` exited with exit status: 3"
        );

        let mut missing = Command::new("definitely-not-a-program-xtask");
        let error = run(&mut missing).expect_err("missing");
        assert!(format!("{error:#}").starts_with("cannot run `definitely-not-a-program-xtask`"));

        run(Command::new("true").stdin(Stdio::null())).expect("true succeeds");
    }
}
