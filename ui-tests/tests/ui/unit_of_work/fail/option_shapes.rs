use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(read = true, timeout, metadata = 1, database("neo4j"), crate = 1)]
async fn f(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(write, crate = "not a path!", max_retry_time(5))]
async fn g(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
