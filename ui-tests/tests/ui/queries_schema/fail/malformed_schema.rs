#[neo_runtime::queries(schema = "../../../../ui-tests/tests/ui/queries_schema/schemas/malformed.toml")]
mod people {
    use neo_runtime::Record;

    #[query("MATCH (p:Person) RETURN p.name AS name")]
    pub fn all() -> Vec<Record>;
}

fn main() {}
