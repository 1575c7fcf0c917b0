use neo_runtime::{Record, Value};

/// Fields that accept what the schema declares (nullable properties may go
/// into plain fields: a null is a runtime error).
#[derive(Record)]
pub struct Person {
    pub name: String,
    pub born: i64,
    pub score: f64,
    pub nicknames: Option<Vec<String>>,
}

#[derive(Record)]
pub struct Role {
    pub title: Value,
    pub roles: Vec<String>,
}

#[neo_runtime::queries(schema = "../../../../ui-tests/tests/ui/queries_schema/schemas/neo-schema.toml")]
mod movies {
    use super::{Person, Role};
    use neo_runtime::Value;
    use neo_runtime::Record;

    #[query("MATCH (p:Person {name: $name}) RETURN p.name AS name, p.born AS born, p.score AS score, p.nicknames AS nicknames")]
    pub fn person(name: &str) -> Option<Person>;

    #[query("MATCH (:Person)-[r:ACTED_IN]->(m:Movie) RETURN m.title AS title, r.roles AS roles")]
    pub fn roles() -> Vec<Role>;

    #[query("UNWIND $rows AS row MERGE (p:Person {name: row.name}) SET p.born = row.year")]
    pub fn import(rows: Vec<Value>);

    #[query("MATCH (n)-[k:KNOWS]->(m) WHERE n:Genre OR n.title IS NOT NULL RETURN n.name AS a, k.since AS b")]
    pub fn unlabelled() -> Vec<Record>;

    #[query(unchecked, "MATCH (n:NotInTheSchema) RETURN n.whatever AS x")]
    pub fn escape_hatch() -> Vec<Record>;
}

fn main() {
    let _ = movies::person;
    let _ = movies::roles;
    let _ = movies::import;
    let _ = movies::unlabelled;
    let _ = movies::escape_hatch;
}
