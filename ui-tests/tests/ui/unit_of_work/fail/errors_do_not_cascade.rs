use neo_runtime::{ManagedTransaction, Result, Session, unit_of_work};

// A unit of work in error still has the signature callers use, its body and
// its module: the only error is the option.
#[unit_of_work(write, retries = 3)]
async fn add(tx: &mut ManagedTransaction<'_>, name: &str) -> Result<()> {
    let _ = (tx, name);
    Ok(())
}

// Even with an argument named like the session parameter.
#[unit_of_work(read)]
async fn named(_tx: &mut ManagedTransaction<'_>, session: &str) -> Result<usize> {
    Ok(session.len())
}

async fn caller(session: &mut Session) -> Result<usize> {
    add(session, "Ann").await?;
    let _ = add::CONFIG;
    named(session, "Bob").await
}

async fn composed(tx: &mut ManagedTransaction<'_>) -> Result<()> {
    add::body(tx, "Cy").await
}

fn main() {
    let _ = (caller, composed);
}
