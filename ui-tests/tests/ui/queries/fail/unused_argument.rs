#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    #[query("MATCH (p:Person) RETURN p.name AS name")]
    pub fn all(limit: i64) -> Vec<Record>;
}

fn main() {}
