use neo_runtime::{ManagedTransaction, Result, unit_of_work};

struct Person {
    name: String,
}

#[unit_of_work(write)]
async fn create(_tx: &mut ManagedTransaction<'_>, person: Person) -> Result<String> {
    Ok(person.name)
}

fn main() {}
