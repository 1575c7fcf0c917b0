//! `CALL { … } IN TRANSACTIONS` queries run as auto-commit queries, with
//! their timeout and metadata, and any return type.

use std::time::Duration;

use neo_runtime::{Record, ResultSummary, Session};

#[neo_runtime::queries]
mod batches {
    use super::{Duration, Record, ResultSummary};

    /// Deletes every node, a thousand per transaction.
    #[query(
        timeout = Duration::from_secs(60),
        metadata(app = "cleanup", "batch.size" = 1000),
        "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS"
    )]
    pub fn delete_all() -> ResultSummary;

    #[query(
        "UNWIND $names AS name \
         CALL (name) { CREATE (:Person {name: name}) } IN 2 CONCURRENT TRANSACTIONS OF 10 ROWS \
         ON ERROR CONTINUE REPORT STATUS AS status \
         RETURN status.committed AS committed"
    )]
    pub fn import(names: &[&str]) -> Vec<Record>;

    #[query(timeout = "1m", "CALL { CREATE (:Marker) } IN TRANSACTIONS")]
    pub fn mark();
}

async fn callers(session: &mut Session) -> neo_runtime::Result<()> {
    batches::delete_all(session).await?;
    let rows: Vec<Record> = batches::import(session, &["Ann", "Bob"]).await?;
    let _ = rows;
    batches::mark(session).await
}

fn main() {
    let _ = callers;
}
