//! The driver's timekeeping read from a clock of the test's own: idle
//! connections checked, old connections retired, routing tables and
//! bearer tokens expiring, all after time the test moves on instead of
//! waiting for it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use neo_embedded::{Auth, EmbeddedServer, ServerConfig};
use neo_runtime::auth::{BearerAuthManager, ExpiringAuth};
use neo_runtime::clock::Clock;
use neo_runtime::{AuthToken, Driver, DriverConfig, SessionConfig};

/// A clock that stands still until the test moves it.
#[derive(Debug)]
struct TestClock {
    start: (Instant, SystemTime),
    moved: Mutex<Duration>,
}

impl TestClock {
    fn new() -> Arc<Self> {
        Arc::new(TestClock {
            start: (Instant::now(), SystemTime::now()),
            moved: Mutex::default(),
        })
    }

    fn advance(&self, by: Duration) {
        *self.moved.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Instant {
        self.start.0 + *self.moved.lock().unwrap()
    }

    fn system_now(&self) -> SystemTime {
        self.start.1 + *self.moved.lock().unwrap()
    }
}

async fn run(driver: &Driver) {
    let mut session = driver
        .session(SessionConfig::default().with_database("neo4j"))
        .unwrap();
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    session.close().await;
}

#[tokio::test]
async fn idle_connections_are_checked_after_the_clocks_idle_time() {
    let clock = TestClock::new();
    let (server, driver) = neo_tests::start_with(
        DriverConfig::default()
            .with_liveness_check_timeout(Some(Duration::from_secs(600)))
            .with_clock(clock.clone()),
    );
    run(&driver).await;
    let resets = server.controls().received("RESET");
    run(&driver).await;
    assert_eq!(server.controls().received("RESET"), resets, "idle 0 s");
    clock.advance(Duration::from_secs(599));
    run(&driver).await;
    assert_eq!(server.controls().received("RESET"), resets, "idle 599 s");
    clock.advance(Duration::from_secs(601));
    run(&driver).await;
    assert_eq!(
        server.controls().received("RESET"),
        resets + 1,
        "idle 601 s: checked"
    );
    assert_eq!(server.controls().connections_accepted(), 1);
}

#[tokio::test]
async fn connections_older_than_the_lifetime_by_the_clock_are_replaced() {
    let clock = TestClock::new();
    let (server, driver) = neo_tests::start_with(
        DriverConfig::default()
            .with_max_connection_lifetime(Duration::from_secs(3600))
            .with_clock(clock.clone()),
    );
    run(&driver).await;
    clock.advance(Duration::from_secs(3599));
    run(&driver).await;
    assert_eq!(server.controls().connections_accepted(), 1);
    clock.advance(Duration::from_secs(2));
    run(&driver).await;
    assert_eq!(server.controls().connections_accepted(), 2);
    assert_eq!(driver.pool_metrics().closed, 1);
}

#[tokio::test]
async fn routing_tables_expire_by_the_clock() {
    let clock = TestClock::new();
    let server = neo_tests::server();
    let driver = Driver::with_config(
        &neo_tests::routing_uri(&server),
        neo_tests::auth(),
        DriverConfig::default().with_clock(clock.clone()),
    )
    .unwrap();
    run(&driver).await;
    run(&driver).await;
    assert_eq!(server.controls().received("ROUTE"), 1);
    clock.advance(Duration::from_secs(299));
    run(&driver).await;
    assert_eq!(server.controls().received("ROUTE"), 1, "within its ttl");
    clock.advance(Duration::from_secs(2));
    assert_eq!(
        driver.routing_table(Some("neo4j")).unwrap().expires_in,
        Duration::ZERO
    );
    run(&driver).await;
    assert_eq!(
        server.controls().received("ROUTE"),
        2,
        "expired, fetched again"
    );
}

#[tokio::test]
async fn bearer_tokens_are_renewed_when_the_clock_says_they_expired() {
    let clock = TestClock::new();
    let server = EmbeddedServer::start(ServerConfig::new().auth(Auth::None)).unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let provider =
        {
            let (calls, clock) = (Arc::clone(&calls), Arc::clone(&clock));
            move || {
                let n = calls.fetch_add(1, Ordering::AcqRel);
                let deadline = clock.system_now() + Duration::from_secs(10);
                async move {
                    Ok(ExpiringAuth::new(AuthToken::bearer(format!("token-{n}")))
                        .valid_until(deadline))
                }
            }
        };
    let manager = BearerAuthManager::new(provider).with_clock(clock.clone());
    let driver =
        Driver::with_auth_manager(&server.uri(), Arc::new(manager), DriverConfig::default())
            .unwrap();
    run(&driver).await;
    clock.advance(Duration::from_secs(9));
    run(&driver).await;
    assert_eq!(calls.load(Ordering::Acquire), 1, "still valid after 9 s");
    clock.advance(Duration::from_secs(2));
    run(&driver).await;
    assert_eq!(calls.load(Ordering::Acquire), 2, "renewed after 11 s");
    assert_eq!(
        server.controls().received("LOGON"),
        2,
        "the pooled connection logged on again"
    );
    assert_eq!(server.controls().connections_accepted(), 1);
}
