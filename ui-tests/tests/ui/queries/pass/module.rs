#[neo_runtime::queries]
mod people {
    use neo_runtime::{Record, ResultSummary};

    /// Everyone.
    #[query("MATCH (p:Person) RETURN p.name AS name, p.born AS born")]
    pub fn all() -> Vec<Record>;

    #[query("CREATE (p:Person {name: $name})")]
    pub fn add(name: &str) -> ResultSummary;

    /// Runs as an auto-commit query (found by scanning the unparsed text),
    /// in the session's access mode.
    #[query(unchecked, timeout = 1.5, "CALL { CREATE (:X) } IN TRANSACTIONS OF $n ROWS")]
    pub fn batch(n: i64);
}

fn main() {
    // The functions exist with the declared signatures.
    let _ = people::all;
    let _ = people::add;
    let _ = people::batch;
}
