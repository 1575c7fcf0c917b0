//! What the acceptance tests share: an embedded server per test, a driver
//! connected to it, retry settings short enough for tests, and the small
//! queries many tests check their effects with.
//!
//! Every test starts its own server, so tests run in parallel with no state
//! in common.
//!
//! ```no_run
//! # async fn example() {
//! let (server, driver) = neo_tests::start();
//! assert_eq!(neo_tests::count_people(&driver).await, 0);
//! # let _ = server;
//! # }
//! ```

use std::time::Duration;

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::{AuthToken, Driver, DriverConfig, RetryPolicy, SessionConfig};

/// The user the embedded servers of the tests accept.
pub const USER: &str = "neo4j";
/// That user's password.
pub const PASSWORD: &str = "password";

/// The credentials the embedded servers of the tests accept.
pub fn auth() -> AuthToken {
    AuthToken::basic(USER, PASSWORD)
}

/// An embedded server with the default configuration.
pub fn server() -> EmbeddedServer {
    EmbeddedServer::start(ServerConfig::new()).expect("the embedded server starts")
}

/// A server and a `bolt://` driver for it, with the default configuration.
pub fn start() -> (EmbeddedServer, Driver) {
    start_with(DriverConfig::default())
}

/// A server and a `bolt://` driver for it, configured with `config`.
pub fn start_with(config: DriverConfig) -> (EmbeddedServer, Driver) {
    let server = server();
    let driver = Driver::with_config(&server.uri(), auth(), config).expect("a valid configuration");
    (server, driver)
}

/// A configuration that retries after 10 ms instead of a second, for at
/// most `budget`.
pub fn fast_retries(budget: Duration) -> DriverConfig {
    DriverConfig::default().with_retry_policy(
        RetryPolicy::default()
            .with_initial_delay(Duration::from_millis(10))
            .with_max_retry_time(budget),
    )
}

/// The `neo4j://` URI of a server: a routing driver asks it for the
/// routing table.
pub fn routing_uri(server: &EmbeddedServer) -> String {
    format!("neo4j://{}", server.address())
}

/// The number of `:Person` nodes, read in a session of its own.
pub async fn count_people(driver: &Driver) -> i64 {
    count(driver, "MATCH (p:Person) RETURN count(p) AS n").await
}

/// The single integer a query returns in column `n`, read in a session of
/// its own.
pub async fn count(driver: &Driver, query: &str) -> i64 {
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let record = session
        .run(query)
        .await
        .expect("the count query runs")
        .single()
        .await
        .expect("the count query returns one row");
    session.close().await;
    record.get_as("n").expect("`n` is an integer")
}
