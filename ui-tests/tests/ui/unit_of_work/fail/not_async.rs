use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(read)]
fn f(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
