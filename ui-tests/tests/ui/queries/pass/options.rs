//! Every form of every option `#[query]` takes, the same as
//! `#[unit_of_work]`'s.

use std::time::Duration;

#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    use super::Duration;

    const SLOW: Duration = Duration::from_secs(30);

    #[query(read, timeout = 2, "MATCH (p:Person) RETURN count(p) AS n")]
    pub fn seconds() -> Record;

    #[query(timeout = 0.25, max_retry_time = "1500ms", "MATCH (p:Person) RETURN count(p) AS n")]
    pub fn fractions() -> Record;

    #[query(timeout = "2s", max_retry_time = "1m", "MATCH (p:Person) RETURN count(p) AS n")]
    pub fn units() -> Record;

    #[query(timeout = Duration::from_millis(750), max_retry_time = SLOW, "MATCH (p:Person) RETURN count(p) AS n")]
    pub fn durations() -> Record;

    #[query(
        write,
        database = "people",
        metadata(app = "hr", attempt = 2, ratio = 0.5, urgent = true, delta = -3, offset = -1.5, "app.version" = "1.2"),
        "MATCH (p:Person) RETURN count(p) AS n"
    )]
    pub fn everything_else() -> Record;

    #[query(file = "../../../../ui-tests/tests/ui/queries/pass/count.cypher", read)]
    pub fn from_a_file() -> Record;

    /// Runs once, as an auto-commit query, in the session's access mode.
    #[query(auto_commit, timeout = 5, metadata(app = "audit"), "CREATE (:Audit {at: $at})")]
    pub fn audit(at: i64);
}

fn main() {
    let _ = people::seconds;
    let _ = people::fractions;
    let _ = people::units;
    let _ = people::durations;
    let _ = people::everything_else;
    let _ = people::from_a_file;
    let _ = people::audit;
}
