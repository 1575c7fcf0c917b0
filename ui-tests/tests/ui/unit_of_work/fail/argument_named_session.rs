use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(read)]
async fn f(_tx: &mut ManagedTransaction<'_>, session: &str) -> Result<()> {
    let _ = session;
    Ok(())
}

fn main() {}
