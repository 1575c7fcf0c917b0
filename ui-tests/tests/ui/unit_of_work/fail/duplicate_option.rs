use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(write, timeout = 1, timeout = 2)]
async fn f(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}

#[unit_of_work(read, read, metadata(a = 1), metadata(b = 2))]
async fn g(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}
