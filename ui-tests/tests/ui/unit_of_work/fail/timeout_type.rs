use neo_runtime::{ManagedTransaction, Result, unit_of_work};

const TIMEOUT_MS: u64 = 1500;

// Any constant expression of type `Duration` is a duration; the compiler
// reports one of another type at the expression.
#[unit_of_work(write, timeout = TIMEOUT_MS)]
async fn f(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
