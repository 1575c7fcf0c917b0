use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(read)]
async fn shared(_tx: &ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(read)]
async fn session(_session: &mut neo_runtime::Session, _name: &str) -> Result<()> {
    Ok(())
}

fn main() {}
