use neo_runtime::{ManagedTransaction, Result, unit_of_work};

struct Repository;

impl Repository {
    #[unit_of_work(read)]
    async fn f(&self, _tx: &mut ManagedTransaction<'_>) -> Result<()> {
        Ok(())
    }
}

fn main() {
    let _ = Repository;
}
