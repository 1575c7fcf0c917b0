use neo_runtime::Record;

#[derive(Record)]
pub struct Person {
    pub name: String,
    pub born: i64,
}

#[neo_runtime::queries]
mod people {
    use super::Person;

    // `born` is required by `Person` but not returned.
    #[query("MATCH (p:Person) RETURN p.name AS name")]
    pub fn names() -> Vec<Person>;
}

fn main() {}
