//! Transaction functions: the one retry loop behind
//! [`Session::execute_read`], [`Session::execute_write`],
//! [`Session::execute`], [`Session::execute_work`], `#[unit_of_work]`
//! functions and `#[queries]` functions.

use std::borrow::Cow;
use std::future::Future;
use std::time::Duration;

use neo_bolt::message::{AccessMode, Begin, Request, TelemetryApi, TxExtra};
use tracing::Instrument;

use super::Session;
use crate::error::Error;
use crate::io::link::Settle;
use crate::query::TransactionConfig;
use crate::retry::Retries;
use crate::transaction::ManagedTransaction;

/// The work of a transaction function: what each attempt of a managed
/// transaction runs. The transaction commits when an attempt succeeds and
/// rolls back when it fails; a retryable failure starts a new attempt (so
/// the work must be idempotent).
///
/// Closures passed to [`Session::execute_write`] and friends are the usual
/// form. Implement this trait for a struct when the work borrows data and
/// must run inside `tokio::spawn`: a struct's future is `Send` whenever its
/// fields are, which an async closure capturing references cannot promise
/// today (a compiler limitation). `#[unit_of_work]` and `#[queries]`
/// generate such structs.
///
/// ```no_run
/// use neo_runtime::{AccessMode, ManagedTransaction, Query, Result, Session, TransactionConfig, TransactionWork};
///
/// struct AddPerson<'a> {
///     name: &'a str,
/// }
///
/// impl TransactionWork for AddPerson<'_> {
///     type Output = ();
///
///     async fn attempt(&mut self, tx: &mut ManagedTransaction<'_>) -> Result<()> {
///         let query = Query::new("CREATE (:Person {name: $name})").param("name", self.name);
///         tx.run(query).await?.consume().await?;
///         Ok(())
///     }
/// }
///
/// # async fn example(mut session: Session) -> Result<()> {
/// let name = String::from("Ann");
/// tokio::spawn(async move {
///     session
///         .execute_work(AccessMode::Write, TransactionConfig::default(), AddPerson { name: &name })
///         .await
/// });
/// # Ok(())
/// # }
/// ```
pub trait TransactionWork {
    /// What a successful attempt gives.
    type Output;

    /// Runs one attempt in `tx`.
    fn attempt(
        &mut self,
        tx: &mut ManagedTransaction<'_>,
    ) -> impl Future<Output = Result<Self::Output, Error>>;
}

/// A closure as a [`TransactionWork`].
pub(crate) struct Closure<F>(pub(crate) F);

impl<F, T> TransactionWork for Closure<F>
where
    F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
{
    type Output = T;

    fn attempt(
        &mut self,
        tx: &mut ManagedTransaction<'_>,
    ) -> impl Future<Output = Result<T, Error>> {
        (self.0)(tx)
    }
}

/// How a transaction function runs: its access mode, the settings of each
/// attempt's transaction, a database other than the session's, a retry
/// budget other than the driver's, and the API it reports with TELEMETRY.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan<'a> {
    pub(crate) mode: AccessMode,
    pub(crate) config: &'a TransactionConfig,
    pub(crate) database: Option<&'a str>,
    pub(crate) max_retry_time: Option<Duration>,
    pub(crate) api: TelemetryApi,
}

impl<'a> Plan<'a> {
    /// A transaction function of `mode` with `config`, the session's
    /// database and the driver's retry budget.
    pub(crate) fn new(mode: AccessMode, config: &'a TransactionConfig) -> Self {
        Plan {
            mode,
            config,
            database: None,
            max_retry_time: None,
            api: TelemetryApi::ManagedTransaction,
        }
    }
}

impl Session {
    /// Runs a [`TransactionWork`] in a managed transaction, retried like
    /// [`execute`](Session::execute).
    pub async fn execute_work<W: TransactionWork>(
        &mut self,
        mode: AccessMode,
        config: TransactionConfig,
        work: W,
    ) -> Result<W::Output, Error> {
        self.run_transaction_function(Plan::new(mode, &config), work)
            .await
    }

    /// The retry loop: runs attempts of `work` until one commits, an error
    /// is not retryable, or the retry budget is spent. Between attempts the
    /// connector learns about the failure, the connection goes back to the
    /// pool, and the loop sleeps the policy's next delay.
    pub(crate) async fn run_transaction_function<W: TransactionWork>(
        &mut self,
        plan: Plan<'_>,
        mut work: W,
    ) -> Result<W::Output, Error> {
        let mut policy = self.driver_config.retry_policy().clone();
        if let Some(max_retry_time) = plan.max_retry_time {
            policy = policy.with_max_retry_time(max_retry_time);
        }
        let mut retries = Retries::new(&policy);
        // TELEMETRY goes out once per call: with each attempt until one
        // gets its SUCCESS (a connection lost before that sends it again).
        let mut telemetry_answered = false;
        let span =
            tracing::debug_span!(parent: &self.span, "transaction_function", mode = ?plan.mode);
        loop {
            let attempt_span =
                tracing::debug_span!(parent: &span, "attempt", attempt = retries.attempt());
            // Boxed: the attempt's state (the user's work and every query
            // it awaits) is kilobytes, which moving into the span wrapper
            // and this loop's state would copy twice per attempt.
            let attempt = Box::pin(self.attempt(&plan, &mut work, !telemetry_answered));
            let outcome = attempt.instrument(attempt_span.clone()).await;
            if let Some(link) = &self.link {
                telemetry_answered |= link.lock().await.take_telemetry_answered();
            }
            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let delay = {
                let _entered = attempt_span.enter();
                retries.after_failure(error)?
            };
            self.release(Settle::Discard).await;
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: begins (BEGIN answered first, except for
    /// `execute_query` and sessions with pipelined BEGIN, whose BEGIN goes
    /// out with the first query), runs the
    /// work, then commits on success or rolls back on failure. `report`
    /// sends TELEMETRY with it (on the first attempt of a call).
    async fn attempt<W: TransactionWork>(
        &mut self,
        plan: &Plan<'_>,
        work: &mut W,
        report: bool,
    ) -> Result<W::Output, Error> {
        let mut tx = self.begin_managed(plan, report).await?;
        match work.attempt(&mut tx).await {
            Ok(value) => {
                tx.commit().await?;
                Ok(value)
            }
            Err(error) => {
                tx.rollback().await;
                Err(error)
            }
        }
    }

    async fn begin_managed<'t>(
        &mut self,
        plan: &Plan<'_>,
        report: bool,
    ) -> Result<ManagedTransaction<'t>, Error> {
        let link = self.ready_link(plan.mode, plan.database).await?;
        if report {
            self.report_api(&mut *link.lock().await, plan.api);
        }
        let bookmarks = self.bookmarks_to_send();
        let mut extra = self.tx_extra(
            &bookmarks,
            plan.mode,
            plan.config.timeout(),
            plan.config.metadata(),
        );
        if let Some(database) = plan.database {
            extra.db = Some(Cow::Borrowed(database));
        }
        let begin = Request::Begin(Begin {
            extra: owned_extra(extra),
        });
        let sink = self.bookmark_sink(&bookmarks);
        let tx = ManagedTransaction::new(link, begin, sink, self.fetching());
        // As the official drivers: a transaction function begins before its
        // work runs; `execute_query` sends BEGIN with its query, and so does
        // a session configured to.
        if plan.api != TelemetryApi::DriverLevel && !self.pipelined_begin() {
            tx.begin_now().await?;
        }
        Ok(tx)
    }
}

pub(super) fn owned_extra(extra: TxExtra<'_>) -> TxExtra<'static> {
    TxExtra {
        bookmarks: Cow::Owned(extra.bookmarks.into_owned()),
        tx_timeout: extra.tx_timeout,
        tx_metadata: Cow::Owned(extra.tx_metadata.into_owned()),
        mode: extra.mode,
        db: extra.db.map(|db| Cow::Owned(db.into_owned())),
        imp_user: extra.imp_user.map(|u| Cow::Owned(u.into_owned())),
        notifications: extra.notifications,
    }
}
