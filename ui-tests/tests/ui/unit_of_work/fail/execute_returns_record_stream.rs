/// The same holds for any transaction function.
async fn people(session: &mut neo_runtime::Session) -> neo_runtime::Result<()> {
    let _result = session
        .execute_read(async |tx| tx.run("MATCH (a:Person) RETURN a").await)
        .await?;
    Ok(())
}

fn main() {
    let _ = people;
}
