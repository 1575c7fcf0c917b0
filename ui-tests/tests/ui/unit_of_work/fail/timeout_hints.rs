use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(write, timeout = 1500ms, max_retry_time = "s")]
async fn suffix(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(write, timeout = "1.2.3s", max_retry_time = "99999999999999999999m")]
async fn numbers(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
