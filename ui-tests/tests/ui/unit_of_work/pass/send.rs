use neo_runtime::{Driver, ManagedTransaction, Result, SessionConfig, unit_of_work};

#[unit_of_work(write)]
async fn rename(tx: &mut ManagedTransaction<'_>, from: &str, to: String) -> Result<()> {
    let _ = (from, to);
    tx.run("MATCH (a) RETURN a").await?.consume().await?;
    Ok(())
}

/// The generated function's future is `Send`, with borrowed arguments too.
fn spawn(driver: Driver) {
    tokio::spawn(async move {
        let mut session = driver.session(SessionConfig::default())?;
        let from = String::from("Ann");
        rename(&mut session, &from, "Anne".to_owned()).await
    });
}

fn main() {
    let _ = spawn;
}
