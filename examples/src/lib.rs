//! What the examples share: a driver for `NEO4J_URI` when it is set (with
//! `NEO4J_USER`, default `neo4j`, and `NEO4J_PASSWORD`), otherwise for an
//! embedded server started in-process.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let connection = neo_examples::connect().await?;
//! let mut session = connection.driver.session(Default::default())?;
//! session.run("RETURN 1").await?.consume().await?;
//! # Ok(())
//! # }
//! ```

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::{AuthToken, Driver};

/// A connected driver, and the embedded server it talks to when there is
/// one (kept running as long as this value lives).
#[derive(Debug)]
pub struct Connection {
    /// The driver, connectivity verified.
    pub driver: Driver,
    /// The embedded server, when `NEO4J_URI` is not set.
    pub embedded: Option<EmbeddedServer>,
}

/// Connects to `NEO4J_URI`, or starts an embedded server and connects to
/// it, and verifies connectivity.
pub async fn connect() -> Result<Connection, Box<dyn std::error::Error>> {
    let (uri, auth, embedded) = match std::env::var("NEO4J_URI") {
        Ok(uri) => {
            let user = std::env::var("NEO4J_USER").unwrap_or_else(|_| "neo4j".into());
            let password = std::env::var("NEO4J_PASSWORD").unwrap_or_default();
            (uri, AuthToken::basic(user, password), None)
        }
        Err(_) => {
            let server = EmbeddedServer::start(ServerConfig::new())?;
            println!("started an embedded server at {}", server.uri());
            let uri = server.uri();
            (uri, AuthToken::basic("neo4j", "password"), Some(server))
        }
    };
    let driver = Driver::new(&uri, auth)?;
    driver.verify_connectivity().await?;
    Ok(Connection { driver, embedded })
}
