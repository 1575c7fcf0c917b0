use std::time::Duration;

use neo_runtime::{Query, Session};

/// A query's timeout belongs to its transaction: inside one, a query
/// carrying a timeout does not compile (it would be ignored).
async fn create(session: &mut Session) -> neo_runtime::Result<()> {
    session
        .execute_write(async |tx| {
            let query = Query::new("CREATE (:Person)").with_timeout(Duration::from_secs(1));
            tx.run(query).await?.consume().await?;
            Ok(())
        })
        .await
}

fn main() {
    let _ = create;
}
