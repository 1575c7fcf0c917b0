use neo_runtime::{ManagedTransaction, RecordStream, Result, unit_of_work};

/// A result borrows its transaction: it cannot leave the unit of work.
#[unit_of_work(read)]
async fn people<'t>(tx: &'t mut ManagedTransaction<'_>) -> Result<RecordStream<'t>> {
    tx.run("MATCH (a:Person) RETURN a").await
}

fn main() {}
