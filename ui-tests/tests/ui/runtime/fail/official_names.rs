#![deny(deprecated)]

use neo_runtime::Session;

/// The official drivers' older names of transaction functions point at
/// the current ones.
async fn create(session: &mut Session) -> neo_runtime::Result<()> {
    session
        .write_transaction(async |tx| {
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await?;
    session
        .read_transaction(async |tx| {
            tx.run("MATCH (p:Person) RETURN p").await?.consume().await?;
            Ok(())
        })
        .await
}

fn main() {
    let _ = create;
}
