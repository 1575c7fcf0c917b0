//! How a `#[neo_runtime::test]` runs: a runtime of its own, a fresh
//! database with the fixtures applied, the body, and the clean-up, which
//! happens whether the body returns or panics.

// A test fails by panicking: setting up or cleaning up its database is part
// of the test, and fails it the same way.
#![allow(clippy::panic, clippy::print_stderr)]

use std::future::Future;
use std::panic::{AssertUnwindSafe, resume_unwind};

use futures_util::FutureExt;

use super::TestDatabase;
use crate::error::Error;
use crate::test_macro::{TestArgument, TestSetup};
use crate::{Driver, Session};

impl TestArgument for Driver {
    fn run_test<F, Fut>(setup: TestSetup, test: F) -> Fut::Output
    where
        F: FnOnce(Self) -> Fut,
        Fut: Future,
    {
        run(setup, |database| Ok(database.driver().clone()), test)
    }
}

impl TestArgument for Session {
    fn run_test<F, Fut>(setup: TestSetup, test: F) -> Fut::Output
    where
        F: FnOnce(Self) -> Fut,
        Fut: Future,
    {
        run(setup, TestDatabase::session, test)
    }
}

impl TestArgument for () {
    fn run_test<F, Fut>(setup: TestSetup, test: F) -> Fut::Output
    where
        F: FnOnce(Self) -> Fut,
        Fut: Future,
    {
        run(setup, |_| Ok(()), test)
    }
}

/// Runs one test on a current-thread runtime of its own (as `#[tokio::test]`
/// does), which also serves the embedded server.
fn run<A, F, Fut>(
    setup: TestSetup,
    argument: impl FnOnce(&TestDatabase) -> Result<A, Error>,
    test: F,
) -> Fut::Output
where
    F: FnOnce(A) -> Fut,
    Fut: Future,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("the test's tokio runtime did not start: {error}"));
    runtime.block_on(async move {
        let mut database = TestDatabase::start(setup.name)
            .await
            .unwrap_or_else(|error| panic!("the test's database did not start: {error}"));
        let prepared = match prepare(&mut database, setup).await {
            Ok(()) => argument(&database),
            Err(error) => Err(error),
        };
        let argument = match prepared {
            Ok(argument) => argument,
            Err(error) => {
                let closed = database.close().await;
                report_unclosed(closed);
                panic!("{error}");
            }
        };
        let outcome = AssertUnwindSafe(test(argument)).catch_unwind().await;
        let closed = database.close().await;
        match outcome {
            Ok(output) => {
                if let Err(error) = closed {
                    panic!("{error}");
                }
                output
            }
            Err(panic) => {
                report_unclosed(closed);
                resume_unwind(panic)
            }
        }
    })
}

/// Applies the fixtures, in order.
async fn prepare(database: &mut TestDatabase, setup: TestSetup) -> Result<(), Error> {
    for fixture in setup.fixtures {
        database
            .run_statements(fixture.path, fixture.statements)
            .await
            .map_err(|error| {
                Error::new(
                    error.kind(),
                    format!("the fixture `{}` was not applied", fixture.name),
                )
                .with_source(error)
            })?;
    }
    Ok(())
}

/// A clean-up failure while the test already fails: told beside the
/// test's own failure, which is the one reported.
fn report_unclosed(closed: Result<(), Error>) {
    if let Err(error) = closed {
        eprintln!("and then: {error}");
    }
}
