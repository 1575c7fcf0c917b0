#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    #[query("CREATE (p:Person {name: $name})")]
    pub fn add(name: &str) -> Vec<Record>;
}

fn main() {}
