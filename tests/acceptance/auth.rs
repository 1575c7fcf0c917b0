//! Authentication beyond a fixed token: session credentials switching a
//! pooled connection, `verify_authentication`, and auth managers renewing
//! tokens the server refuses or that expire.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use neo_embedded::{Auth, EmbeddedServer, ServerConfig, Trigger};
use neo_runtime::auth::{
    AuthManager, BasicAuthManager, BearerAuthManager, BoxFuture, ExpiringAuth,
};
use neo_runtime::{
    AuthToken, BoltVersion, Driver, DriverConfig, ErrorKind, QueryConfig, ServerError,
    SessionConfig, StatusCode,
};

/// A server that knows two users.
fn two_users(version: BoltVersion) -> EmbeddedServer {
    let users = BTreeMap::from([
        ("neo4j".to_owned(), "password".to_owned()),
        ("reporter".to_owned(), "s3cret".to_owned()),
    ]);
    EmbeddedServer::start(
        ServerConfig::new()
            .auth(Auth::Basic(users))
            .max_bolt_version(version),
    )
    .unwrap()
}

fn reporter() -> AuthToken {
    AuthToken::basic("reporter", "s3cret")
}

async fn run_as(driver: &Driver, auth: Option<AuthToken>) -> neo_runtime::Result<i64> {
    let mut config = SessionConfig::default();
    if let Some(auth) = auth {
        config = config.with_auth(auth);
    }
    let mut session = driver.session(config)?;
    let outcome = async {
        session
            .run("RETURN 1 AS n")
            .await?
            .single()
            .await?
            .get_as::<i64>("n")
    }
    .await;
    session.close().await;
    outcome
}

#[tokio::test]
async fn session_credentials_switch_a_pooled_connection_and_back() {
    let server = two_users(BoltVersion::LATEST);
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    let controls = server.controls();

    run_as(&driver, None).await.unwrap();
    assert_eq!(controls.received("LOGON"), 1, "HELLO and LOGON");
    run_as(&driver, Some(reporter())).await.unwrap();
    assert_eq!(controls.received("LOGOFF"), 1, "switched to the reporter");
    assert_eq!(controls.received("LOGON"), 2);
    run_as(&driver, Some(reporter())).await.unwrap();
    assert_eq!(controls.received("LOGOFF"), 1, "already the reporter");
    run_as(&driver, None).await.unwrap();
    assert_eq!(controls.received("LOGOFF"), 2, "back to the driver's user");
    assert_eq!(
        controls.connections_accepted(),
        1,
        "one connection all along"
    );

    // The server checks the credentials a session brings.
    let error = run_as(&driver, Some(AuthToken::basic("reporter", "wrong")))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::UNAUTHORIZED.code()));
    assert!(!error.is_retryable());
    // The refused connection is gone; the next session gets a new one.
    run_as(&driver, None).await.unwrap();
    assert_eq!(controls.connections_accepted(), 2);
    assert!(driver.supports_session_auth().await.unwrap());

    // execute_query takes credentials of its own the same way.
    let before = controls.received("LOGOFF");
    driver
        .execute_query("RETURN 1", QueryConfig::default().with_auth(reporter()))
        .await
        .unwrap();
    assert_eq!(controls.received("LOGOFF"), before + 1);
    driver.close().await;
}

#[tokio::test]
async fn switching_users_goes_out_with_the_first_request_not_before_it() {
    // LOGOFF and LOGON travel with the session's first request, as the
    // official drivers pipeline them: a slow LOGOFF answer delays that
    // request's answer, not the connection's acquisition.
    let server = two_users(BoltVersion::LATEST);
    let config =
        DriverConfig::default().with_connection_acquisition_timeout(Duration::from_millis(300));
    let driver = Driver::with_config(&server.uri(), neo_tests::auth(), config).unwrap();
    run_as(&driver, None).await.unwrap();
    server
        .controls()
        .delay(Trigger::on("LOGOFF"), Duration::from_millis(800));
    assert_eq!(run_as(&driver, Some(reporter())).await.unwrap(), 1);
    assert_eq!(server.controls().received("LOGOFF"), 1);
    assert_eq!(server.controls().connections_accepted(), 1);
    server.controls().clear_faults();

    // A refusal of the pipelined LOGON is the error of the request it
    // went with.
    let error = run_as(&driver, Some(AuthToken::basic("reporter", "wrong")))
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(StatusCode::UNAUTHORIZED.code()),
        "{error}"
    );
    assert_eq!(run_as(&driver, None).await.unwrap(), 1);
    driver.close().await;
}

#[tokio::test]
async fn session_credentials_need_bolt_5_1() {
    let server = two_users(BoltVersion::V5_0);
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    assert!(!driver.supports_session_auth().await.unwrap());
    // Cold or warm, a session with credentials of its own is refused
    // before anything runs.
    for _ in 0..2 {
        let error = run_as(&driver, Some(reporter())).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UnsupportedFeature);
        assert!(error.to_string().contains("5.0"), "{error}");
        run_as(&driver, None).await.unwrap();
    }
    assert_eq!(server.controls().received("RUN"), 2, "only the driver's");
}

#[tokio::test]
async fn verify_authentication_tells_accepted_from_refused_credentials() {
    let server = two_users(BoltVersion::LATEST);
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    let controls = server.controls();
    assert!(driver.verify_authentication(None).await.unwrap());
    assert!(
        driver
            .verify_authentication(Some(reporter()))
            .await
            .unwrap()
    );
    let wrong = AuthToken::basic("reporter", "wrong");
    assert!(!driver.verify_authentication(Some(wrong)).await.unwrap());
    assert_eq!(controls.received("RUN"), 0, "no query runs");

    // A pooled connection logs on again even with the same credentials:
    // the server checks them now.
    run_as(&driver, None).await.unwrap();
    let logons = controls.received("LOGON");
    assert!(driver.verify_authentication(None).await.unwrap());
    assert_eq!(controls.received("LOGON"), logons + 1);

    // Other failures are errors, not a refusal.
    controls.fail(
        Trigger::on("LOGON"),
        1,
        StatusCode::DEADLOCK_DETECTED.code(),
        "busy",
    );
    let error = driver.verify_authentication(None).await.unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::DEADLOCK_DETECTED.code()));

    let old = two_users(BoltVersion::V5_0);
    let driver = Driver::new(&old.uri(), neo_tests::auth()).unwrap();
    let error = driver.verify_authentication(None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnsupportedFeature);
}

#[tokio::test]
async fn verify_authentication_through_a_routing_driver_checks_the_system_database() {
    let server = two_users(BoltVersion::LATEST);
    let driver = Driver::new(&neo_tests::routing_uri(&server), neo_tests::auth()).unwrap();
    assert!(
        driver
            .verify_authentication(Some(reporter()))
            .await
            .unwrap()
    );
    assert_eq!(server.controls().received("ROUTE"), 1);
    let wrong = AuthToken::basic("neo4j", "wrong");
    assert!(!driver.verify_authentication(Some(wrong)).await.unwrap());
}

#[tokio::test]
async fn a_basic_manager_asks_for_the_new_password_after_a_refusal() {
    // The password was changed to `new`; the application still has `old`
    // the first time it asks.
    let server =
        EmbeddedServer::start(ServerConfig::new().auth(Auth::basic("neo4j", "new"))).unwrap();
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let manager = BasicAuthManager::new(move || {
        let password = match counter.fetch_add(1, Ordering::AcqRel) {
            0 => "old",
            _ => "new",
        };
        async move { Ok(AuthToken::basic("neo4j", password)) }
    });
    let driver = Driver::with_auth_manager(
        &server.uri(),
        Arc::new(manager),
        neo_tests::fast_retries(Duration::from_secs(10)),
    )
    .unwrap();
    let result = driver
        .execute_query("RETURN 1 AS n", QueryConfig::default())
        .await
        .unwrap();
    assert_eq!(result.records.len(), 1);
    assert_eq!(asked.load(Ordering::Acquire), 2, "asked again once refused");
    let result_error = Driver::new(&server.uri(), AuthToken::basic("neo4j", "old"))
        .unwrap()
        .execute_query("RETURN 1 AS n", QueryConfig::default())
        .await
        .unwrap_err();
    assert_eq!(result_error.code(), Some(StatusCode::UNAUTHORIZED.code()));
    assert!(
        result_error.attempts().is_empty(),
        "a fixed token is not retried"
    );
}

/// A server accepting the bearer tokens in `valid`, recording every token
/// it is shown.
fn bearer_server(valid: Arc<Mutex<Vec<String>>>, seen: Arc<Mutex<Vec<String>>>) -> EmbeddedServer {
    EmbeddedServer::start(ServerConfig::new().auth(Auth::check(move |token| {
        let AuthToken::Bearer { token } = token else {
            return false;
        };
        seen.lock().unwrap().push(token.clone());
        valid.lock().unwrap().contains(token)
    })))
    .unwrap()
}

/// A bearer manager handing out `token-0`, `token-1`, ... each valid for
/// `lifetime`.
fn numbered_tokens(lifetime: Duration) -> (BearerAuthManager, Arc<AtomicUsize>) {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&issued);
    let manager = BearerAuthManager::new(move || {
        let n = counter.fetch_add(1, Ordering::AcqRel);
        async move {
            Ok(ExpiringAuth::new(AuthToken::bearer(format!("token-{n}"))).expires_in(lifetime))
        }
    });
    (manager, issued)
}

#[tokio::test]
async fn a_bearer_manager_renews_a_token_the_server_says_expired_and_the_work_is_retried() {
    let valid = Arc::new(Mutex::new(vec!["token-0".to_owned(), "token-1".to_owned()]));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let server = bearer_server(Arc::clone(&valid), Arc::clone(&seen));
    let (manager, issued) = numbered_tokens(Duration::from_secs(3600));
    let driver = Driver::with_auth_manager(
        &server.uri(),
        Arc::new(manager),
        neo_tests::fast_retries(Duration::from_secs(10)),
    )
    .unwrap();
    driver
        .execute_query("RETURN 1", QueryConfig::default())
        .await
        .unwrap();
    // The token expires while the connection is in use.
    server.controls().fail(
        Trigger::on("RUN"),
        1,
        StatusCode::TOKEN_EXPIRED.code(),
        "Token expired",
    );
    let mut attempts = 0;
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session
        .execute_read(async |tx| {
            attempts += 1;
            tx.run("RETURN 1").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap();
    session.close().await;
    assert_eq!(attempts, 2, "retried with the new token");
    assert_eq!(issued.load(Ordering::Acquire), 2);
    assert_eq!(*seen.lock().unwrap(), ["token-0", "token-1"]);
    let controls = server.controls();
    assert_eq!(
        controls.received("LOGOFF"),
        1,
        "the same connection logged on again"
    );
    assert_eq!(controls.connections_accepted(), 1);
}

#[tokio::test]
async fn a_bearer_token_is_renewed_once_it_expires() {
    let valid = Arc::new(Mutex::new(vec!["token-0".to_owned(), "token-1".to_owned()]));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let server = bearer_server(Arc::clone(&valid), Arc::clone(&seen));
    let (manager, issued) = numbered_tokens(Duration::from_millis(300));
    let driver =
        Driver::with_auth_manager(&server.uri(), Arc::new(manager), DriverConfig::default())
            .unwrap();
    for _ in 0..3 {
        driver
            .execute_query("RETURN 1", QueryConfig::default())
            .await
            .unwrap();
    }
    assert_eq!(
        issued.load(Ordering::Acquire),
        1,
        "the token is reused while valid"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    driver
        .execute_query("RETURN 1", QueryConfig::default())
        .await
        .unwrap();
    assert_eq!(issued.load(Ordering::Acquire), 2);
    assert_eq!(*seen.lock().unwrap(), ["token-0", "token-1"]);
    assert_eq!(server.controls().received("LOGOFF"), 1);
}

#[tokio::test]
async fn an_expired_token_without_a_manager_to_renew_it_is_not_retried() {
    let server = EmbeddedServer::start(ServerConfig::new().auth(Auth::None)).unwrap();
    let driver = Driver::with_config(
        &server.uri(),
        AuthToken::bearer("fixed"),
        neo_tests::fast_retries(Duration::from_secs(10)),
    )
    .unwrap();
    server.controls().fail(
        Trigger::on("RUN"),
        1,
        StatusCode::TOKEN_EXPIRED.code(),
        "Token expired",
    );
    let error = driver
        .execute_query("RETURN 1", QueryConfig::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::TOKEN_EXPIRED.code()));
    assert!(!error.is_retryable());
    assert_eq!(server.controls().received("RUN"), 1);
}

#[tokio::test]
async fn an_expired_authorization_makes_every_connection_log_on_again() {
    for (version, relogs) in [(BoltVersion::LATEST, true), (BoltVersion::V5_0, false)] {
        let server = two_users(version);
        let driver = Driver::with_config(
            &server.uri(),
            neo_tests::auth(),
            neo_tests::fast_retries(Duration::from_secs(10)),
        )
        .unwrap();
        // Two connections in the pool.
        let mut first = driver.session(SessionConfig::default()).unwrap();
        let mut second = driver.session(SessionConfig::default()).unwrap();
        first
            .run("RETURN 1")
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
        second
            .run("RETURN 1")
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
        first.close().await;
        second.close().await;
        let controls = server.controls();
        assert_eq!(controls.connections_accepted(), 2);

        controls.fail(
            Trigger::on("RUN"),
            1,
            StatusCode::AUTHORIZATION_EXPIRED.code(),
            "Authorization expired",
        );
        // Retried (the failure is retryable) on a connection that logged on
        // again.
        driver
            .execute_query("RETURN 1", QueryConfig::default())
            .await
            .unwrap();
        // Both pooled connections authenticate again before their next use.
        let mut first = driver.session(SessionConfig::default()).unwrap();
        let mut second = driver.session(SessionConfig::default()).unwrap();
        first
            .run("RETURN 1")
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
        second
            .run("RETURN 1")
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
        first.close().await;
        second.close().await;
        if relogs {
            assert_eq!(controls.received("LOGOFF"), 2, "{version}");
            assert_eq!(controls.connections_accepted(), 2, "{version}");
        } else {
            assert_eq!(controls.received("LOGOFF"), 0, "{version}");
            assert_eq!(
                controls.connections_accepted(),
                4,
                "{version}: replaced by new connections"
            );
        }
        driver.close().await;
    }
}

#[tokio::test]
async fn a_session_keeping_its_connection_logs_on_again_after_an_authorization_expiry() {
    for (version, relogs) in [(BoltVersion::LATEST, true), (BoltVersion::V5_0, false)] {
        let server = two_users(version);
        let driver = Driver::with_config(
            &server.uri(),
            neo_tests::auth(),
            neo_tests::fast_retries(Duration::from_secs(10)),
        )
        .unwrap();
        let controls = server.controls();
        // The session keeps its connection between units of work.
        let mut keeper = driver.session(SessionConfig::default()).unwrap();
        keeper
            .run("RETURN 1")
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
        // Another connection learns that the server's authorization expired.
        controls.fail(
            Trigger::on("RUN").query_contains("expiring"),
            1,
            StatusCode::AUTHORIZATION_EXPIRED.code(),
            "Authorization expired",
        );
        let mut other = driver.session(SessionConfig::default()).unwrap();
        let error = other.run("RETURN 'expiring'").await.unwrap_err();
        assert_eq!(error.code(), Some(StatusCode::AUTHORIZATION_EXPIRED.code()));
        other.close().await;
        assert_eq!(controls.received("LOGOFF"), 0);
        let accepted = controls.connections_accepted();

        controls.clear_messages();
        let record = keeper.run("RETURN 2 AS n").await.unwrap().single().await;
        assert_eq!(record.unwrap().get_as::<i64>("n").unwrap(), 2);
        let names: Vec<&str> = controls
            .messages()
            .into_iter()
            .map(|message| message.message)
            .filter(|name| *name != "TELEMETRY")
            .collect();
        if relogs {
            let start = names.iter().position(|name| *name == "LOGOFF");
            assert_eq!(
                start.map(|start| &names[start..start + 3]),
                Some(&["LOGOFF", "LOGON", "RUN"][..]),
                "{version}: {names:?}"
            );
            assert_eq!(controls.connections_accepted(), accepted, "{version}");
        } else {
            assert!(!names.contains(&"LOGOFF"), "{version}");
            assert_eq!(
                controls.connections_accepted(),
                accepted + 1,
                "{version}: replaced by a new connection"
            );
        }
        keeper.close().await;
        driver.close().await;
    }
}

/// A manager that counts how often it is asked for its token, fixed or not.
struct Counting {
    token: AuthToken,
    fixed: bool,
    asked: AtomicUsize,
}

impl AuthManager for Counting {
    fn get_auth(&self) -> BoxFuture<'_, neo_runtime::Result<AuthToken>> {
        self.asked.fetch_add(1, Ordering::Relaxed);
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }

    fn handle_security_error<'a>(
        &'a self,
        _auth: &'a AuthToken,
        _error: &'a ServerError,
    ) -> BoxFuture<'a, bool> {
        Box::pin(async { false })
    }

    fn fixed_token(&self) -> Option<&AuthToken> {
        self.fixed.then_some(&self.token)
    }
}

#[tokio::test]
async fn a_fixed_token_is_asked_for_once_and_a_changing_one_at_every_acquisition() {
    for fixed in [true, false] {
        let server = two_users(BoltVersion::LATEST);
        let manager = Arc::new(Counting {
            token: neo_tests::auth(),
            fixed,
            asked: AtomicUsize::new(0),
        });
        let driver =
            Driver::with_auth_manager(&server.uri(), manager.clone(), DriverConfig::default())
                .unwrap();
        for _ in 0..3 {
            assert_eq!(run_as(&driver, None).await.unwrap(), 1);
        }
        let asked = manager.asked.load(Ordering::Relaxed);
        if fixed {
            assert_eq!(asked, 1, "asked when the connection opened only");
        } else {
            assert!(asked >= 3, "asked {asked} times for 3 sessions");
        }
        assert_eq!(server.controls().received("LOGON"), 1, "one connection");
    }
}
