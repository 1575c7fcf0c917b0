use neo_runtime::{ManagedTransaction, Result, unit_of_work};

// The list stops at the syntax error: no "needs an access mode" for a
// `write` that was written after it.
#[unit_of_work(timeout = 1 write)]
async fn f(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(write, timeout = )]
async fn g(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
