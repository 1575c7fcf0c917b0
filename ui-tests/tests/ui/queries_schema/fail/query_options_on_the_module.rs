#[neo_runtime::queries(timeout = 1, read, crate = "neo_runtime", crate = "neo_runtime")]
mod people {
    use neo_runtime::Record;

    #[query("MATCH (p:Person) RETURN p.name AS name")]
    pub fn all() -> Vec<Record>;
}

fn main() {}
