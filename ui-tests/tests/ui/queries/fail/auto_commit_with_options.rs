#[neo_runtime::queries]
mod batches {
    // An auto-commit query runs in the session's access mode and database,
    // and is not retried: these options cannot apply.
    #[query(read, "CALL { CREATE (:X) } IN TRANSACTIONS")]
    pub fn read_mode();

    #[query(write, database = "other", max_retry_time = "5s", timeout = 5, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 100 ROWS")]
    pub fn every_option();

    #[query(unchecked, write, "CALL { CREATE (:X) } IN TRANSACTIONS")]
    pub fn unchecked();

    #[query(auto_commit, read, database = "other", max_retry_time = 5, "MATCH (n) RETURN count(n) AS n")]
    pub fn explicit() -> neo_runtime::Record;

    #[query(auto_commit = true, "CREATE (:X)")]
    pub fn with_a_value();
}

fn main() {}
