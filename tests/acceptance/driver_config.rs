//! Building a driver: bad URIs and settings are typed errors that name the
//! problem, and credentials never show in debug output.

use neo_runtime::{AuthToken, Driver, DriverConfig, ErrorKind, SessionConfig, TrustStrategy};

#[test]
fn malformed_uris_and_settings_name_the_problem() {
    let auth = || AuthToken::basic("neo4j", "s3cret-password");
    for (uri, config, expected) in [
        (
            "localhost:7687",
            DriverConfig::default(),
            "not a connection URI",
        ),
        (
            "http://localhost:7474",
            DriverConfig::default(),
            "unknown URI scheme `http`",
        ),
        ("bolt://:7687", DriverConfig::default(), "host is empty"),
        ("bolt://db:70000", DriverConfig::default(), "port must be"),
        (
            "bolt://db",
            DriverConfig::default().with_fetch_size(0),
            "fetch_size",
        ),
        (
            "bolt+s://db",
            DriverConfig::default().with_trust(TrustStrategy::TrustAll),
            "choose the trust strategy themselves",
        ),
        (
            "bolt://db",
            DriverConfig::default()
                .with_trust(TrustStrategy::CustomCa(vec!["/no/such/ca.pem".into()])),
            "/no/such/ca.pem",
        ),
    ] {
        let err = Driver::with_config(uri, auth(), config).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidConfiguration, "{uri}");
        assert!(err.to_string().contains(expected), "{uri}: {err}");
    }
}

#[test]
fn credentials_never_appear_in_debug_output() {
    let auth = AuthToken::basic("neo4j", "s3cret-password");
    assert!(!format!("{auth:?}").contains("s3cret"));
    let driver = Driver::new("bolt://localhost:7687", auth).unwrap();
    assert!(!format!("{driver:?}").contains("s3cret"));
    let err = Driver::new("bolt://neo4j:s3cret-password@db", AuthToken::None).unwrap_err();
    assert!(!err.to_string().contains("s3cret"));
    assert!(!format!("{err:?}").contains("s3cret"));
}

#[tokio::test]
async fn an_unreachable_server_is_service_unavailable() {
    // Port 1 on loopback: nothing listens there.
    let driver = Driver::new("bolt://127.0.0.1:1", AuthToken::None).unwrap();
    let err = driver.verify_connectivity().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServiceUnavailable);
    assert!(err.is_retryable());
    assert!(err.to_string().contains("127.0.0.1:1"), "{err}");
}

#[tokio::test]
async fn sessions_and_transactions_describe_themselves_without_credentials() {
    let (_server, driver) = neo_tests::start();
    let config = SessionConfig::default()
        .with_database("movies")
        .with_fetch_size(7)
        .with_auth(AuthToken::basic("ann", "s3cret-password"));
    let described = format!("{config:?}");
    assert!(described.starts_with("SessionConfig {"), "{described}");
    assert!(described.contains("movies") && described.contains("fetch_size"));
    assert!(!described.contains("s3cret"), "{described}");

    let mut session = driver
        .session(SessionConfig::default().with_database("neo4j"))
        .unwrap();
    let described = format!("{session:?}");
    assert!(described.starts_with("Session {"), "{described}");
    assert!(described.contains("\"neo4j\""), "{described}");
    let tx = session
        .begin_transaction(neo_runtime::TransactionConfig::default())
        .await
        .unwrap();
    assert_eq!(format!("{tx:?}"), "Transaction { .. }");
    tx.rollback().await.unwrap();
    session
        .execute_read(async |tx| {
            assert_eq!(format!("{tx:?}"), "ManagedTransaction { .. }");
            Ok(())
        })
        .await
        .unwrap();
}
