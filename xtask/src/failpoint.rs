//! Named failure points for the all-or-nothing writers (`tree::write_tree`, `release`): a test
//! arms one name with [`armed`], and the step that reaches it fails, so each rollback path is
//! exercised. Outside tests [`hit`] is a no-op.

use anyhow::Result;

#[cfg(test)]
thread_local! {
    /// The failpoint that should fail next on this thread (tests only).
    static FAIL_AT: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// Fails when a test armed `name` on this thread; `Ok` otherwise.
pub(crate) fn hit(name: &'static str) -> Result<()> {
    #[cfg(test)]
    if FAIL_AT.with(|fail_at| fail_at.get()) == Some(name) {
        anyhow::bail!("injected failure at `{name}`");
    }
    let _ = name;
    Ok(())
}

/// Runs `f` with the failpoint `name` armed on this thread.
#[cfg(test)]
pub(crate) fn armed<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    FAIL_AT.with(|fail_at| fail_at.set(Some(name)));
    let result = f();
    FAIL_AT.with(|fail_at| fail_at.set(None));
    result
}
