//! What `#[neo_runtime::test]` expands to calls, compiled with or without
//! the `testing` feature: without it [`TestArgument`] has no
//! implementations, so a test does not compile, and the error says which
//! feature to enable.

use std::future::Future;

/// A fixture file of a test, split into statements while the test
/// compiled.
#[derive(Debug, Clone, Copy)]
pub struct FixtureFile {
    /// The name given in `fixtures(…)`.
    pub name: &'static str,
    /// The file, as the test's directory names it (`fixtures/people.cypher`).
    pub path: &'static str,
    /// Each statement with the line of the file it starts on.
    pub statements: &'static [(u32, &'static str)],
}

/// What a test needs before its body runs.
#[derive(Debug, Clone, Copy)]
pub struct TestSetup {
    /// The test's module path and name (`my_crate::people::finds_ann`).
    pub name: &'static str,
    /// The fixtures to apply, in order.
    pub fixtures: &'static [FixtureFile],
}

/// The argument a `#[neo_runtime::test]` function takes: a
/// [`Driver`](crate::Driver), a [`Session`](crate::Session), or nothing
/// (`()`).
#[cfg_attr(
    feature = "testing",
    diagnostic::on_unimplemented(
        message = "a `#[neo_runtime::test]` function takes a `Driver`, a `Session` or no argument, not `{Self}`",
        label = "expected `Driver` or `Session`",
        note = "the `Driver` is connected to the test's own database; the `Session` is open on it"
    )
)]
#[cfg_attr(
    not(feature = "testing"),
    diagnostic::on_unimplemented(
        message = "`#[neo_runtime::test]` needs the `testing` feature of `neo-runtime`",
        label = "this test needs `neo-runtime` with the `testing` feature",
        note = "enable it for tests: `[dev-dependencies] neo-runtime = {{ version = \"…\", features = [\"testing\"] }}`",
        note = "a test outside `#[cfg(test)]` code is checked in every build: keep tests in a `#[cfg(test)]` module or in `tests/`"
    )
)]
pub trait TestArgument: Sized {
    /// Runs `test` with a fresh database, after the setup, and cleans up.
    fn run_test<F, Fut>(setup: TestSetup, test: F) -> Fut::Output
    where
        F: FnOnce(Self) -> Fut,
        Fut: Future;
}

/// The body of every `#[neo_runtime::test]` function.
pub fn run_test<A, F, Fut>(setup: TestSetup, test: F) -> Fut::Output
where
    A: TestArgument,
    F: FnOnce(A) -> Fut,
    Fut: Future,
{
    A::run_test(setup, test)
}

/// Checks, in a constant, that a test's argument is one the runner gives
/// (outside test builds, where the test itself is not compiled).
pub const fn test_argument<A: TestArgument>() {}
