use neo_runtime::Record;

#[neo_runtime::queries(schema = "../../../../ui-tests/tests/ui/queries_schema/schemas/neo-schema.toml")]
mod people {
    use super::Record;

    #[query("MATCH (p:Person)-[:ACTED]->(m:Movie) RETURN m.title AS name")]
    pub fn all() -> Vec<Record>;
}

fn main() {}
