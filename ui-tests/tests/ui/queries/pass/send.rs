use neo_runtime::{Driver, SessionConfig};

#[neo_runtime::queries]
mod people {
    #[query("MATCH (p:Person {name: $name}) WHERE p.born > $born RETURN count(p) AS n")]
    pub fn count_named(name: &str, born: &i64) -> neo_runtime::Record;

    #[query("UNWIND $names AS name MERGE (:Person {name: name})")]
    pub fn add_all(names: &[&str]);

    #[query("MATCH (p:Person) WHERE p.name IN $names RETURN p.name AS name")]
    pub fn named(names: Vec<String>) -> Vec<neo_runtime::Record>;

    /// An auto-commit query.
    #[query("UNWIND $names AS name CALL (name) { MERGE (:Person {name: name}) } IN TRANSACTIONS")]
    pub fn import(names: &[String]);
}

/// A query function's future is `Send` with borrowed arguments, so it runs
/// inside `tokio::spawn`.
fn spawn(driver: Driver) {
    tokio::spawn(async move {
        let mut session = driver.session(SessionConfig::default())?;
        let name = String::from("Ann");
        let names = vec!["Ann", "Bob"];
        people::add_all(&mut session, &names).await?;
        people::named(&mut session, vec![name.clone()]).await?;
        people::import(&mut session, &[name.clone()]).await?;
        people::count_named(&mut session, &name, &1970).await
    });
}

fn main() {
    let _ = spawn;
}
