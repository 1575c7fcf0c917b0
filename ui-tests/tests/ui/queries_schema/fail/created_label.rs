use neo_runtime::Record;

#[neo_runtime::queries(schema = "../../../../ui-tests/tests/ui/queries_schema/schemas/neo-schema.toml")]
mod people {
    use super::Record;

    #[query("CREATE (p:Persons {name: $name}) RETURN p.name AS name")]
    pub fn all(name: &str) -> Vec<Record>;
}

fn main() {}
