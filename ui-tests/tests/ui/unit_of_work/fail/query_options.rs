use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(write, unchecked, auto_commit, file = "q.cypher", "RETURN 1", schema = "neo-schema.toml")]
async fn f(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

fn main() {}
