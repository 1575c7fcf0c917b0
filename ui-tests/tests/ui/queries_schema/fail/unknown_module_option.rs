#[neo_runtime::queries(schemas = "neo-schema.toml")]
mod people {
    use neo_runtime::Record;

    #[query("MATCH (p:Person) RETURN p.name AS name")]
    pub fn all() -> Vec<Record>;
}

fn main() {}
