#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    #[query("MATCH (p:Person {name: $name}) RETURN p.name AS name")]
    pub fn by_name(nmae: &str) -> Vec<Record>;
}

fn main() {}
