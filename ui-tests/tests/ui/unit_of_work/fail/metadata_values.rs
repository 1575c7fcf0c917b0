use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(write, metadata(a = -"x", b = 9223372036854775808, c = 1e999, d = SOME_CONST))]
async fn values(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(write, metadata(= 1))]
async fn no_key(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
