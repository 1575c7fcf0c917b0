//! How a query function runs its query: as a retried transaction function
//! (read when the query cannot write, else write, unless `read` or `write`
//! says), or as one auto-commit query, not retried: for
//! `CALL { … } IN TRANSACTIONS`, which the server runs only in an
//! auto-commit transaction, and for queries marked `auto_commit`.

use super::cypher::Cypher;
use crate::ctxt::Ctxt;
use crate::options::{Mode, Options};

/// How the query runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Run {
    /// A transaction function in this mode, through `UnitOfWorkConfig`.
    Managed(Mode),
    /// `Session::run`: the session's access mode and database, no retry.
    AutoCommit(Why),
}

/// Why a query runs as an auto-commit query.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Why {
    /// It runs `CALL { … } IN TRANSACTIONS`.
    InTransactions,
    /// `auto_commit` says so.
    Option,
}

impl Run {
    /// How a query with these options and this text runs.
    pub(super) fn of(options: &Options, cypher: &Cypher) -> Run {
        if cypher.in_transactions {
            return Run::AutoCommit(Why::InTransactions);
        }
        if options.auto_commit.is_some() {
            return Run::AutoCommit(Why::Option);
        }
        Run::Managed(match &options.mode {
            Some(mode) => mode.value,
            None if cypher.is_read_only() => Mode::Read,
            None => Mode::Write,
        })
    }
}

/// Records the options an auto-commit query cannot honour, each at its
/// name: it runs in the session's access mode and database, and once.
pub(super) fn check(cx: &Ctxt, options: &Options, cypher: &Cypher) {
    let Run::AutoCommit(why) = Run::of(options, cypher) else {
        return;
    };
    let (here, runs) = match why {
        Why::InTransactions => (
            "here",
            "a `CALL { … } IN TRANSACTIONS` query runs as an auto-commit query",
        ),
        Why::Option => ("with `auto_commit`", "an auto-commit query runs"),
    };
    if let Some(mode) = &options.mode {
        let name = match mode.value {
            Mode::Read => "read",
            Mode::Write => "write",
        };
        cx.error_at(
            mode.span,
            format!(
                "`{name}` cannot be set {here}: {runs} in the session's default access mode \
                 (`SessionConfig::with_default_access_mode`)"
            ),
        );
    }
    if let Some(database) = &options.database {
        cx.error_at(
            database.span,
            format!(
                "`database` cannot be set {here}: {runs} in the session's database \
                 (`SessionConfig::with_database`)"
            ),
        );
    }
    if let Some(max_retry_time) = &options.max_retry_time {
        cx.error_at(
            max_retry_time.span,
            format!("`max_retry_time` cannot be set {here}: {runs} once, never retried"),
        );
    }
}
