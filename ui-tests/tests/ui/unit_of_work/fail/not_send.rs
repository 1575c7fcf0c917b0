use std::rc::Rc;

use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(read)]
async fn f(tx: &mut ManagedTransaction<'_>) -> Result<usize> {
    let shared = Rc::new(1);
    tx.run("RETURN 1").await?.consume().await?;
    Ok(*shared)
}

fn main() {}
