//! Notifications and GQL statuses: filters sent in HELLO, BEGIN and RUN
//! and honoured by the server, notifications with their position, the GQL
//! status objects of every protocol version, and failures carrying their
//! GQL status and causes.

use std::error::Error as _;

use neo_embedded::{EmbeddedServer, ServerConfig, Trigger};
use neo_runtime::summary::{GqlStatusObject, NotificationSeverity, Position};
use neo_runtime::types::{Map, Value};
use neo_runtime::{
    AccessMode, BoltVersion, Driver, DriverConfig, ErrorKind, MinimumSeverity,
    NotificationClassification, NotificationFilter, ServerError, SessionConfig, StatusCode,
    TransactionConfig,
};

/// A query the server's engine has nothing to say about (it names no label
/// or type), so that its notifications are the ones [`server`] attaches.
const QUERY: &str = "MATCH (p) WHERE p.kind = 'Persn' RETURN p.name AS name";

/// A GQL status as Neo4j sends it for a notification.
fn status(
    gql_status: &str,
    code: &str,
    severity: &str,
    classification: &str,
    position: Option<(i64, i64, i64)>,
) -> GqlStatusObject {
    let mut record = Map::new();
    record.insert("_severity".into(), Value::from(severity));
    record.insert("_classification".into(), Value::from(classification));
    if let Some((offset, line, column)) = position {
        let mut at = Map::new();
        at.insert("offset".into(), Value::from(offset));
        at.insert("line".into(), Value::from(line));
        at.insert("column".into(), Value::from(column));
        record.insert("_position".into(), Value::Map(at));
    }
    let mut status = GqlStatusObject::default();
    status.gql_status = gql_status.into();
    status.status_description = format!("{} about {code}", severity.to_lowercase());
    status.neo4j_code = Some(code.into());
    status.title = Some(format!("title of {code}"));
    status.description = Some(format!("description of {code}"));
    status.diagnostic_record = record;
    status
}

const UNKNOWN_LABEL: &str = "Neo.ClientNotification.Statement.UnknownLabelWarning";
const HINT: &str = "Neo.ClientNotification.Statement.JoinHintUnfulfillableWarning";

/// A server that warns about an unknown label (at line 1, column 10) and
/// hints about a join on the query.
fn server(version: BoltVersion) -> EmbeddedServer {
    let server = EmbeddedServer::start(ServerConfig::new().max_bolt_version(version)).unwrap();
    let trigger = || Trigger::on("RUN").query_contains("Persn");
    server.controls().notify(
        trigger(),
        status(
            "01N50",
            UNKNOWN_LABEL,
            "WARNING",
            "UNRECOGNIZED",
            Some((9, 1, 10)),
        ),
    );
    server.controls().notify(
        trigger(),
        status("03N90", HINT, "INFORMATION", "HINT", None),
    );
    server
}

fn driver(server: &EmbeddedServer, filter: NotificationFilter) -> Driver {
    let config = DriverConfig::default().with_notification_filter(filter);
    Driver::with_config(&server.uri(), neo_tests::auth(), config).unwrap()
}

/// The codes of the notifications of QUERY, run as an auto-commit query
/// and in a transaction function of a session with `filter`.
async fn codes(driver: &Driver, filter: NotificationFilter) -> (Vec<String>, Vec<String>) {
    let mut session = driver
        .session(SessionConfig::default().with_notification_filter(filter))
        .unwrap();
    let auto = session.run(QUERY).await.unwrap().consume().await.unwrap();
    let managed = session
        .execute(AccessMode::Read, TransactionConfig::default(), async |tx| {
            tx.run(QUERY).await?.consume().await
        })
        .await
        .unwrap();
    session.close().await;
    let codes = |summary: neo_runtime::ResultSummary| {
        summary
            .notifications()
            .into_iter()
            .map(|notification| notification.code)
            .collect::<Vec<_>>()
    };
    (codes(auto), codes(managed))
}

#[tokio::test]
async fn notifications_arrive_with_their_position_on_every_version() {
    for version in [BoltVersion::V5_4, BoltVersion::LATEST] {
        let server = server(version);
        let driver = driver(&server, NotificationFilter::default());
        let mut session = driver.session(SessionConfig::default()).unwrap();
        let summary = session.run(QUERY).await.unwrap().consume().await.unwrap();
        let notifications = summary.notifications();
        assert_eq!(notifications.len(), 2, "{version}");
        let warning = &notifications[0];
        assert_eq!(warning.code, UNKNOWN_LABEL);
        assert_eq!(warning.severity_level(), NotificationSeverity::Warning);
        assert_eq!(
            warning.classification_kind(),
            Some(NotificationClassification::Unrecognized)
        );
        assert_eq!(warning.position, Some(Position::new(9, 1, 10)), "{version}");
        assert_eq!(warning.title, format!("title of {UNKNOWN_LABEL}"));
        let hint = &notifications[1];
        assert_eq!(hint.severity_level(), NotificationSeverity::Information);
        assert_eq!(hint.position, None);
    }
}

#[tokio::test]
async fn gql_status_objects_come_from_the_server_from_bolt_5_6() {
    let server = server(BoltVersion::LATEST);
    let driver = driver(&server, NotificationFilter::default());
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let summary = session.run(QUERY).await.unwrap().consume().await.unwrap();
    let statuses = summary.gql_status_objects();
    let codes: Vec<&str> = statuses.iter().map(|s| s.gql_status.as_str()).collect();
    assert_eq!(
        codes,
        ["02000", "01N50", "03N90"],
        "as the server sent them"
    );
    assert!(!statuses[0].is_notification());
    assert_eq!(
        statuses[0].diagnostic_record["CURRENT_SCHEMA"].as_str(),
        Some("/")
    );
    let warning = &statuses[1];
    assert!(warning.is_notification());
    assert_eq!(warning.severity_level(), NotificationSeverity::Warning);
    assert_eq!(
        warning.classification_kind(),
        Some(NotificationClassification::Unrecognized)
    );
    assert_eq!(warning.position(), Some(Position::new(9, 1, 10)));
}

#[tokio::test]
async fn gql_status_objects_are_built_for_servers_before_bolt_5_6() {
    let server = server(BoltVersion::V5_4);
    let driver = driver(&server, NotificationFilter::default());
    let mut session = driver.session(SessionConfig::default()).unwrap();

    let summary = session.run(QUERY).await.unwrap().consume().await.unwrap();
    let statuses = summary.gql_status_objects();
    let codes: Vec<&str> = statuses.iter().map(|s| s.gql_status.as_str()).collect();
    assert_eq!(
        codes,
        ["02000", "01N42", "03N42"],
        "no data, warning, information"
    );
    assert_eq!(
        statuses[1].status_description,
        format!("description of {UNKNOWN_LABEL}")
    );
    assert_eq!(statuses[1].position(), Some(Position::new(9, 1, 10)));
    assert_eq!(statuses[1].classification(), Some("UNRECOGNIZED"));

    let rows = session
        .run("OPTIONAL MATCH (p) WHERE p.kind = 'Persn' RETURN count(p) AS n")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let codes: Vec<String> = rows
        .gql_status_objects()
        .into_iter()
        .map(|s| s.gql_status)
        .collect();
    assert_eq!(
        codes,
        ["01N42", "00000", "03N42"],
        "warning, success, information"
    );

    // The same when the records were read before the summary.
    let mut read = session.run("UNWIND [1, 2, 3] AS n RETURN n").await.unwrap();
    let mut seen = 0;
    while let Some(record) = read.next().await {
        record.unwrap();
        seen += 1;
    }
    assert_eq!(seen, 3);
    let summary = read.consume().await.unwrap();
    let codes: Vec<String> = summary
        .gql_status_objects()
        .into_iter()
        .map(|s| s.gql_status)
        .collect();
    assert_eq!(codes, ["00000"], "success: the query returned records");

    let nothing = session
        .run("CREATE (:Person)")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let codes: Vec<String> = nothing
        .gql_status_objects()
        .into_iter()
        .map(|s| s.gql_status)
        .collect();
    assert_eq!(codes, ["00001"], "no columns: an omitted result");
}

#[tokio::test]
async fn the_drivers_filter_goes_in_hello_and_the_sessions_with_each_transaction() {
    for version in [BoltVersion::V5_2, BoltVersion::LATEST] {
        let server = server(version);
        let both = [UNKNOWN_LABEL.to_owned(), HINT.to_owned()];
        let warning = [UNKNOWN_LABEL.to_owned()];

        // The driver's filter: warnings only.
        let warnings_only =
            NotificationFilter::default().with_minimum_severity(MinimumSeverity::Warning);
        let driver = driver(&server, warnings_only);
        let (auto, managed) = codes(&driver, NotificationFilter::default()).await;
        assert_eq!(
            (auto.as_slice(), managed.as_slice()),
            (&warning[..], &warning[..])
        );

        // A session's filter takes precedence, on RUN and on BEGIN.
        let everything =
            NotificationFilter::default().with_minimum_severity(MinimumSeverity::Information);
        let (auto, managed) = codes(&driver, everything).await;
        assert_eq!(
            (auto.as_slice(), managed.as_slice()),
            (&both[..], &both[..]),
            "{version}"
        );
        let (auto, managed) = codes(&driver, NotificationFilter::disabled()).await;
        assert!(auto.is_empty() && managed.is_empty(), "{version}");

        // Disabled classifications.
        let no_unrecognized = NotificationFilter::default()
            .with_disabled_classifications([NotificationClassification::Unrecognized]);
        let driver = self::driver(&server, no_unrecognized);
        let (auto, _) = codes(&driver, NotificationFilter::default()).await;
        assert_eq!(auto, [HINT], "{version}");
        // A session setting only the severity keeps the connection's
        // disabled classifications.
        let (auto, _) = codes(
            &driver,
            NotificationFilter::default().with_minimum_severity(MinimumSeverity::Information),
        )
        .await;
        assert_eq!(auto, [HINT], "{version}");
    }
}

#[tokio::test]
async fn filters_need_bolt_5_2() {
    let server = server(BoltVersion::V5_1);
    let driver = driver(&server, NotificationFilter::disabled());
    let error = driver.verify_connectivity().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnsupportedFeature);
    assert!(error.to_string().contains("5.2"), "{error}");

    let driver = self::driver(&server, NotificationFilter::default());
    let mut session = driver
        .session(SessionConfig::default().with_notification_filter(NotificationFilter::disabled()))
        .unwrap();
    let error = session.run(QUERY).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnsupportedFeature);
    assert_eq!(server.controls().received("RUN"), 0, "nothing was sent");
    // Without filters the same server serves the session.
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session.run(QUERY).await.unwrap().consume().await.unwrap();
}

#[tokio::test]
async fn a_failure_carries_its_gql_status_diagnostic_record_and_causes() {
    let server = EmbeddedServer::start(ServerConfig::new()).unwrap();
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    let cause = ServerError::new(StatusCode::TYPE_ERROR, "expected an integer")
        .with_gql_status("22G03", "error: data exception - invalid value type");
    let failure = ServerError::new(StatusCode::CONSTRAINT_VALIDATION_FAILED, "bad age")
        .with_gql_status("22N00", "error: data exception - the value is invalid")
        .with_cause(cause);
    server.controls().fail_with(Trigger::on("RUN"), 1, failure);
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let error = session.run("RETURN 1").await.unwrap_err();
    assert_eq!(
        error.code(),
        Some(StatusCode::CONSTRAINT_VALIDATION_FAILED.code())
    );
    assert_eq!(error.gql_status(), Some("22N00"));
    assert_eq!(
        error.gql_status_description(),
        Some("error: data exception - the value is invalid")
    );
    let record = error.diagnostic_record().unwrap();
    assert_eq!(record["OPERATION_CODE"].as_str(), Some("0"));
    assert_eq!(record["_classification"].as_str(), Some("CLIENT_ERROR"));
    let cause = error.gql_cause().unwrap();
    assert_eq!(cause.gql_status(), "22G03");
    assert_eq!(cause.message(), "expected an integer");
    // The chain of `std::error::Error` sources walks the causes.
    let source = error.source().unwrap();
    assert_eq!(
        source.to_string(),
        format!("{}: expected an integer", StatusCode::TYPE_ERROR.code())
    );
    assert!(source.source().is_none());

    // Before Bolt 5.7 a failure is `{code, message}`: the GQL status is the
    // one the official drivers give it, and there is no cause.
    let old =
        EmbeddedServer::start(ServerConfig::new().max_bolt_version(BoltVersion::V5_6)).unwrap();
    let driver = Driver::new(&old.uri(), neo_tests::auth()).unwrap();
    old.controls().fail(
        Trigger::on("RUN"),
        1,
        StatusCode::CONSTRAINT_VALIDATION_FAILED.code(),
        "bad age",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let error = session.run("RETURN 1").await.unwrap_err();
    assert_eq!(error.gql_status(), Some("50N42"));
    assert!(error.gql_cause().is_none());
}
