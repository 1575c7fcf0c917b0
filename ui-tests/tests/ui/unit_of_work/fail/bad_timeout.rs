use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(write, timeout = "soon")]
async fn unitless(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(write, timeout = "1.5h", max_retry_time = true)]
async fn wrong_types(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(write, timeout = -1)]
async fn negative(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
