use neo_runtime::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(write)]
async fn store<T: serde::Serialize + Clone + Send + Sync>(
    tx: &mut ManagedTransaction<'_>,
    value: T,
) -> Result<()> {
    tx.run(neo_runtime::Query::new("CREATE (:Value {v: $v})").param("v", value))
        .await?
        .consume()
        .await?;
    Ok(())
}

async fn caller(session: &mut neo_runtime::Session) -> Result<()> {
    store(session, 1).await?;
    store(session, "text").await
}

fn main() {
    let _ = caller;
}
