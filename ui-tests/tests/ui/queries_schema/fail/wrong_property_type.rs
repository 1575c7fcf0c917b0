use neo_runtime::Record;

#[derive(Record)]
pub struct Person {
    pub name: String,
    pub born: String,
    pub nicknames: Vec<i64>,
}

#[neo_runtime::queries(schema = "../../../../ui-tests/tests/ui/queries_schema/schemas/neo-schema.toml")]
mod people {
    use super::Person;

    #[query("MATCH (p:Person) RETURN p.name AS name, p.born AS born, p.nicknames AS nicknames")]
    pub fn all() -> Vec<Person>;
}

fn main() {}
