// A query in error becomes a function with its declared signature, so that
// callers type-check: the only errors are the query's own.
#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    #[query("MATCH (p:Person {name: $name}) RETURN p.name AS name", retries = 3)]
    pub fn by_name(name: &str) -> Vec<Record>;

    #[query("MATCH (p:Person RETURN p")]
    pub fn syntax_error() -> Option<Record>;

    #[query("RETURN 1 AS one")]
    pub fn with_a_body() -> Record {
        unimplemented!()
    }

    #[query("RETURN $session AS id")]
    pub fn session_argument(session: i64) -> Record;
}

async fn caller(session: &mut neo_runtime::Session) -> neo_runtime::Result<usize> {
    let rows: Vec<Record> = people::by_name(session, "Ann").await?;
    let row: Option<Record> = people::syntax_error(session).await?;
    let one: Record = people::with_a_body(session).await?;
    let _ = people::session_argument(session, 1).await?;
    Ok(rows.len() + row.map_or(0, |_| 1) + one.len())
}

use neo_runtime::Record;

fn main() {
    let _ = caller;
}
