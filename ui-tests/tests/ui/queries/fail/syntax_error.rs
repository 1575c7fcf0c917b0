#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    #[query("MATCH (p:Person RETRUN p.name AS name")]
    pub fn all() -> Vec<Record>;
}

fn main() {}
