use std::time::Duration;

use neo_runtime::{AccessMode, ManagedTransaction, MetadataValue, Result, unit_of_work};

/// Every option at once.
#[unit_of_work(
    write,
    timeout = 1,
    metadata(app = "hr", attempt = 2, ratio = 0.5, urgent = true, delta = -3),
    database = "people",
    max_retry_time = "2s"
)]
pub async fn create_person(tx: &mut ManagedTransaction<'_>, name: &str) -> Result<i64> {
    tx.run("CREATE (a:Person {name: $name}) RETURN id(a)").await?;
    let _ = name;
    Ok(1)
}

#[unit_of_work(read, timeout = 0.25)]
async fn float_timeout(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(read, timeout = "1500ms", max_retry_time = "1m")]
pub(crate) async fn string_timeout(_tx: &mut ManagedTransaction<'_>, limit: i64, tags: Vec<String>) -> Result<usize> {
    Ok(tags.len() + limit as usize)
}

const SLOW: Duration = Duration::from_secs(30);

/// A `Duration`, as `Query::with_timeout` takes, and metadata keys that are
/// not Rust names.
#[unit_of_work(
    write,
    timeout = Duration::from_millis(750),
    max_retry_time = SLOW,
    metadata("app.version" = "1.2", offset = -1.5)
)]
async fn duration_expressions(_tx: &mut ManagedTransaction<'_>) -> Result<()> {
    Ok(())
}

#[unit_of_work(write)]
async fn with_mut_argument(_tx: &mut ManagedTransaction<'_>, seen: &mut Vec<String>) -> Result<()> {
    seen.push("again".to_owned());
    Ok(())
}

/// Composes other units of work inside its own transaction.
#[unit_of_work(write)]
async fn composed(tx: &mut ManagedTransaction<'_>) -> Result<i64> {
    float_timeout::body(tx).await?;
    create_person::body(tx, "Ann").await
}

const CONFIG: neo_runtime::UnitOfWorkConfig = create_person::CONFIG;

async fn callers(session: &mut neo_runtime::Session) -> Result<()> {
    create_person(session, "Ann").await?;
    float_timeout(session).await?;
    string_timeout(session, 1, vec!["a".to_owned()]).await?;
    let mut seen = Vec::new();
    with_mut_argument(session, &mut seen).await?;
    composed(session).await?;
    duration_expressions(session).await?;
    Ok(())
}

fn main() {
    assert_eq!(CONFIG.mode(), AccessMode::Write);
    assert_eq!(CONFIG.timeout(), Some(Duration::from_secs(1)));
    assert_eq!(CONFIG.database(), Some("people"));
    assert_eq!(CONFIG.max_retry_time(), Some(Duration::from_secs(2)));
    assert_eq!(CONFIG.metadata()[4], ("delta", MetadataValue::Integer(-3)));
    assert_eq!(float_timeout::CONFIG.timeout(), Some(Duration::from_millis(250)));
    assert_eq!(string_timeout::CONFIG.timeout(), Some(Duration::from_millis(1500)));
    assert_eq!(string_timeout::CONFIG.max_retry_time(), Some(Duration::from_secs(60)));
    assert_eq!(duration_expressions::CONFIG.timeout(), Some(Duration::from_millis(750)));
    assert_eq!(duration_expressions::CONFIG.max_retry_time(), Some(SLOW));
    assert_eq!(
        duration_expressions::CONFIG.metadata(),
        [("app.version", MetadataValue::String("1.2")), ("offset", MetadataValue::Float(-1.5))]
    );
    let _ = callers;
}
