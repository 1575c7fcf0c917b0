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
    let _ = (caller, describe_caller);
}

/// `impl Trait` arguments, attributes and `mut` bindings carry over.
#[unit_of_work(read)]
#[allow(clippy::needless_pass_by_value)]
#[cfg(not(any()))]
async fn describe(
    _tx: &mut ManagedTransaction<'_>,
    label: impl AsRef<str> + Clone + Send + Sync,
    mut count: u32,
) -> Result<String> {
    count += 1;
    Ok(format!("{}{count}", label.as_ref()))
}

async fn describe_caller(session: &mut neo_runtime::Session) -> Result<String> {
    describe(session, "x", 1).await
}
