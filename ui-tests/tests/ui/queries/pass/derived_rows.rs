use neo_runtime::Record;

/// Rows may lack optional columns (`Option` or `#[neo(default)]` fields).
#[derive(Record)]
pub struct Person {
    pub name: String,
    pub born: Option<i64>,
    #[neo(default, rename = "nick")]
    pub nickname: String,
}

#[neo_runtime::queries]
mod people {
    use super::Person;

    #[query("MATCH (p:Person) RETURN p.name AS name")]
    pub fn names() -> Vec<Person>;

    #[query("MATCH (p:Person) RETURN p.name AS name, p.born AS born, p.nick AS nick")]
    pub fn everything() -> Option<Person>;
}

fn main() {
    let _ = people::names;
    let _ = people::everything;
}
