//! Peak memory of one generation, from a process that does nothing else: this binary, run as
//! `bench-peak SPEC`, reads the spec, generates once and reports its resident high-water mark
//! (`VmHWM` in /proc/self/status, Linux only). Measured in the benchmark's own process, the number
//! would be the high-water mark of every run before it.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use generator::{CrateOptions, SpecSource};

/// `bench-peak SPEC`: generate once, print `peak_kib=N` (`peak_kib=unknown` off Linux).
pub fn report(spec: &Path) -> Result<()> {
    let text = std::fs::read_to_string(spec)
        .with_context(|| format!("cannot read {}", crate::display_path(spec)))?;
    let name = spec.to_string_lossy();
    let generated = generator::generate(
        &SpecSource {
            name: &name,
            text: &text,
        },
        &CrateOptions::default(),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    std::hint::black_box(&generated);
    match high_water_kib() {
        Some(kib) => println!("peak_kib={kib}"),
        None => println!("peak_kib=unknown"),
    }
    Ok(())
}

/// The peak resident memory (KiB) of generating `spec` once in a fresh process; `None` where the
/// platform does not say.
pub fn measure(spec: &Path) -> Result<Option<u64>> {
    let exe = std::env::current_exe().context("cannot find the running xtask binary")?;
    let stdout = crate::cmd::output(Command::new(&exe).arg("bench-peak").arg(spec))?;
    Ok(parse(&stdout))
}

fn parse(stdout: &str) -> Option<u64> {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("peak_kib="))
        .and_then(|kib| kib.trim().parse().ok())
}

/// `VmHWM` of this process, in KiB.
fn high_water_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// KiB as MiB, for the tables.
pub fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "n/a".to_owned(),
        |kib| format!("{:.0}", kib as f64 / 1024.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_child_line_parses() {
        assert_eq!(parse("peak_kib=123456\n"), Some(123_456));
        assert_eq!(parse("peak_kib=unknown\n"), None);
        assert_eq!(mib(Some(2048)), "2");
        assert_eq!(mib(None), "n/a");
    }

    #[test]
    fn this_process_has_a_high_water_mark_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(high_water_kib().is_some_and(|kib| kib > 0));
        }
    }
}
