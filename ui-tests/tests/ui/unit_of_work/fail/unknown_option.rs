use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(write, retries = 3, isolation)]
async fn f(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
