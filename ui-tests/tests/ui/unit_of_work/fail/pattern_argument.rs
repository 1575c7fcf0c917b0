use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(read)]
async fn f(_tx: &mut ManagedTransaction<'_>, (a, b): (i64, i64)) -> Result<i64> {
    Ok(a + b)
}

fn main() {}
