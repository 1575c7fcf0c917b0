use neo_runtime::{FromRecord, Record, RowColumns};

pub struct Person {
    pub name: String,
}

impl FromRecord for Person {
    fn from_record(record: &Record) -> neo_runtime::Result<Self> {
        Ok(Person { name: record.get_as("name")? })
    }
}

impl RowColumns for Person {
    const COLUMNS: Option<&'static [&'static str]> = Some(&["name"]);
}

#[neo_runtime::queries]
mod people {
    use super::Person;

    #[query("MATCH (p:Person) RETURN p.name AS nmae")]
    pub fn all() -> Vec<Person>;
}

fn main() {}
