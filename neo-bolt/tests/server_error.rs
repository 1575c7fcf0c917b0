//! Server failures as data: parsing every FAILURE shape, the 4.4 rewrite,
//! the retry and discovery classifications, and the server-side shapes.

use std::error::Error as _;

use neo_bolt::message::Response;
use neo_bolt::packstream::{Dialect, Map, Packer};
use neo_bolt::server_error::{Classification, FailureKind, ServerError, StatusCode};
use neo_bolt::{BoltVersion, Value};

fn map(entries: &[(&str, Value)]) -> Map {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn legacy(code: impl Into<String>) -> ServerError {
    ServerError::from_metadata(&map(&[
        ("code", Value::from(code.into())),
        ("message", Value::from("msg")),
    ]))
}

#[test]
fn parses_the_legacy_shape() {
    let err = legacy(StatusCode::SYNTAX_ERROR);
    assert_eq!(err.code(), StatusCode::SYNTAX_ERROR);
    assert_eq!(err.message(), "msg");
    assert_eq!(err.gql_status(), "50N42");
    assert_eq!(
        err.description(),
        "error: general processing exception - unexpected error. msg"
    );
    assert_eq!(err.classification(), Classification::ClientError);
    assert_eq!(err.category(), "Statement");
    assert_eq!(err.title(), "SyntaxError");
    assert_eq!(err.diagnostic_record()["OPERATION_CODE"], Value::from("0"));
    assert!(err.cause().is_none());
    assert!(err.source().is_none());
    assert_eq!(
        err.to_string(),
        format!("{}: msg", StatusCode::SYNTAX_ERROR)
    );
}

#[test]
fn missing_fields_fall_back_to_unknown_error() {
    let err = ServerError::from_metadata(&Map::new());
    assert_eq!(err.code(), StatusCode::UNKNOWN_ERROR);
    assert_eq!(err.gql_status(), "50N42");
    assert_eq!(err.message(), "");
    assert_eq!(err.classification(), Classification::DatabaseError);
    assert!(!err.is_retryable());
}

#[test]
fn wrongly_typed_fields_fall_back_too() {
    let err = ServerError::from_metadata(&map(&[
        ("code", Value::from(1)),
        ("message", Value::Null),
        ("diagnostic_record", Value::from("x")),
        ("cause", Value::from(2)),
    ]));
    assert_eq!(err.code(), StatusCode::UNKNOWN_ERROR);
    assert!(err.cause().is_none());
}

#[test]
fn neo4j_4_4_transient_terminations_become_client_errors() {
    for (sent, seen) in [
        (StatusCode::LEGACY_TERMINATED, StatusCode::TERMINATED),
        (
            StatusCode::LEGACY_LOCK_CLIENT_STOPPED,
            StatusCode::LOCK_CLIENT_STOPPED,
        ),
    ] {
        let err = legacy(sent);
        assert_eq!(err.code(), seen);
        assert_eq!(err.classification(), Classification::ClientError);
        assert!(!err.is_retryable());
    }
}

fn gql_failure() -> Map {
    map(&[
        ("neo4j_code", Value::from(StatusCode::SYNTAX_ERROR.code())),
        ("message", Value::from("Invalid input 'RETRUN'")),
        ("gql_status", Value::from("42001")),
        (
            "description",
            Value::from("error: syntax error or access rule violation - invalid syntax"),
        ),
        (
            "diagnostic_record",
            Value::Map(map(&[
                ("_classification", Value::from("CLIENT_ERROR")),
                ("OPERATION", Value::from("")),
            ])),
        ),
        (
            "cause",
            Value::Map(map(&[
                ("message", Value::from("middle")),
                ("gql_status", Value::from("42I06")),
                ("description", Value::from("invalid input")),
                (
                    "diagnostic_record",
                    Value::Map(map(&[("_classification", Value::from("CLIENT_ERROR"))])),
                ),
                (
                    "cause",
                    Value::Map(map(&[
                        ("message", Value::from("innermost")),
                        ("gql_status", Value::from("22N00")),
                        ("description", Value::from("data exception")),
                        (
                            "diagnostic_record",
                            Value::Map(map(&[("_classification", Value::from("TRANSIENT_ERROR"))])),
                        ),
                    ])),
                ),
            ])),
        ),
    ])
}

#[test]
fn parses_the_gql_shape_with_nested_causes() {
    let err = ServerError::from_metadata(&gql_failure());
    assert_eq!(err.code(), StatusCode::SYNTAX_ERROR);
    assert_eq!(err.gql_status(), "42001");
    assert_eq!(
        err.description(),
        "error: syntax error or access rule violation - invalid syntax"
    );
    assert_eq!(err.classification(), Classification::ClientError);
    let record = err.diagnostic_record();
    assert_eq!(record["OPERATION"], Value::from(""));
    assert_eq!(record["OPERATION_CODE"], Value::from("0"));
    assert_eq!(record["CURRENT_SCHEMA"], Value::from("/"));

    let middle = err.cause().expect("a cause");
    assert_eq!(middle.message(), "middle");
    assert_eq!(middle.gql_status(), "42I06");
    assert_eq!(middle.classification(), Classification::ClientError);
    let innermost = middle.cause().expect("a nested cause");
    assert_eq!(innermost.message(), "innermost");
    assert_eq!(
        innermost.classification(),
        Classification::TransientError,
        "without a code, `_classification` decides"
    );
    assert!(innermost.cause().is_none());

    // The chain is visible through std::error::Error.
    let source = err.source().expect("source");
    assert_eq!(source.to_string(), middle.to_string());
    assert!(source.source().is_some());
}

#[test]
fn failure_metadata_has_the_shape_of_the_version() {
    let err = ServerError::new(StatusCode::SYNTAX_ERROR, "bad")
        .with_cause(ServerError::new(StatusCode::SYNTAX_ERROR, "inner"));
    for version in [BoltVersion::V4_4, BoltVersion::V5_0, BoltVersion::V5_6] {
        assert_eq!(
            err.to_metadata(version),
            map(&[
                ("code", Value::from(StatusCode::SYNTAX_ERROR.code())),
                ("message", Value::from("bad")),
            ])
        );
    }
    for version in [BoltVersion::V5_7, BoltVersion::V5_8] {
        let metadata = err.to_metadata(version);
        let keys: Vec<&str> = metadata.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "cause",
                "description",
                "diagnostic_record",
                "gql_status",
                "message",
                "neo4j_code"
            ]
        );
        assert_eq!(metadata["gql_status"], Value::from("42001"));
        let record = metadata["diagnostic_record"].as_map().unwrap();
        assert_eq!(record["_classification"], Value::from("CLIENT_ERROR"));
        assert_eq!(record["CURRENT_SCHEMA"], Value::from("/"));
        assert_eq!(ServerError::from_metadata(&metadata), err);
    }
}

#[test]
fn gql_shaped_failures_round_trip_through_a_failure_message() {
    let err = ServerError::from_metadata(&gql_failure());
    let mut body = Vec::new();
    Response::Failure(err.clone())
        .encode(
            &mut Packer::new(&mut body, Dialect::LATEST),
            BoltVersion::V5_8,
        )
        .unwrap();
    assert_eq!(body[..2], [0xB1, 0x7F]);
    assert_eq!(
        Response::decode(&body, Dialect::LATEST).unwrap(),
        Response::Failure(err)
    );
}

#[test]
fn server_side_errors_get_a_plausible_gql_status() {
    let cases = [
        (StatusCode::SYNTAX_ERROR.code(), "42001"),
        (StatusCode::DATABASE_NOT_FOUND.code(), "22N51"),
        (StatusCode::TYPE_ERROR.code(), "22000"),
        (StatusCode::PARAMETER_MISSING.code(), "42000"),
        (StatusCode::UNAUTHORIZED.code(), "42000"),
        (StatusCode::TRANSACTION_NOT_FOUND.code(), "25N01"),
        (StatusCode::DEADLOCK_DETECTED.code(), "50N42"),
        (StatusCode::UNKNOWN_ERROR.code(), "50N42"),
        ("not a code", "50N42"),
    ];
    for (code, gql) in cases {
        let err = ServerError::new(code, "m");
        assert_eq!(err.gql_status(), gql, "{code}");
        assert!(!err.description().is_empty());
    }
    let custom =
        ServerError::new(StatusCode::SEMANTIC_ERROR, "m").with_gql_status("42N29", "error: custom");
    assert_eq!(custom.gql_status(), "42N29");
    assert_eq!(custom.description(), "error: custom");
    assert_eq!(
        ServerError::new("bogus", "m").classification(),
        Classification::Unknown
    );
}

#[test]
fn classification_comes_from_the_code() {
    assert_eq!(
        Classification::from_code(StatusCode::SYNTAX_ERROR.code()),
        Classification::ClientError
    );
    assert_eq!(
        Classification::from_code(StatusCode::DATABASE_UNAVAILABLE.code()),
        Classification::TransientError
    );
    assert_eq!(
        Classification::from_code(StatusCode::UNKNOWN_ERROR.code()),
        Classification::DatabaseError
    );
    assert_eq!(
        Classification::from_code("Neo.ClientNotification.Statement.X"),
        Classification::Unknown
    );
    assert_eq!(Classification::from_code(""), Classification::Unknown);
    assert_eq!(
        Classification::from_gql("DATABASE_ERROR"),
        Classification::DatabaseError
    );
}

fn retryable(code: impl Into<String>) -> bool {
    ServerError::new(code, "m").is_retryable()
}

#[test]
fn transient_errors_are_retryable() {
    assert!(retryable(StatusCode::DEADLOCK_DETECTED));
    assert!(retryable(StatusCode::LOCK_ACQUISITION_TIMEOUT));
    assert!(retryable(StatusCode::BOOKMARK_TIMEOUT));
    assert!(retryable(StatusCode::OUTDATED));
    assert!(retryable(StatusCode::LEASE_EXPIRED));
    assert!(retryable(StatusCode::MAXIMUM_TRANSACTION_LIMIT_REACHED));
    assert!(retryable(StatusCode::DATABASE_UNAVAILABLE));
    assert!(retryable(StatusCode::MEMORY_POOL_OUT_OF_MEMORY_ERROR));
    assert!(retryable(StatusCode::LEADER_SWITCH));
    // Transient codes not named by a constant are retried too.
    assert!(retryable("Neo.TransientError.Cluster.LeaderSwitch"));
    assert!(retryable(StatusCode::NO_THREADS_AVAILABLE));
    assert!(retryable(StatusCode::EXECUTION_TIMEOUT));
}

#[test]
fn terminated_and_lock_client_stopped_are_not_retryable() {
    assert!(!retryable(StatusCode::LEGACY_TERMINATED));
    assert!(!retryable(StatusCode::LEGACY_LOCK_CLIENT_STOPPED));
    assert!(!retryable(StatusCode::TERMINATED));
    assert!(!retryable(StatusCode::LOCK_CLIENT_STOPPED));
}

#[test]
fn three_client_errors_are_retryable() {
    assert!(retryable(StatusCode::NOT_A_LEADER));
    assert!(retryable(StatusCode::FORBIDDEN_ON_READ_ONLY_DATABASE));
    assert!(retryable(StatusCode::AUTHORIZATION_EXPIRED));
}

#[test]
fn other_client_and_database_errors_are_not_retryable() {
    assert!(!retryable(StatusCode::SYNTAX_ERROR));
    assert!(!retryable(StatusCode::TYPE_ERROR));
    assert!(!retryable(StatusCode::CONSTRAINT_VALIDATION_FAILED));
    assert!(!retryable(StatusCode::FORBIDDEN));
    assert!(!retryable(StatusCode::UNAUTHORIZED));
    assert!(!retryable(StatusCode::TOKEN_EXPIRED));
    assert!(!retryable(StatusCode::DATABASE_NOT_FOUND));
    assert!(!retryable(StatusCode::TRANSACTION_TIMED_OUT));
    assert!(!retryable(
        StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION
    ));
    assert!(!retryable(StatusCode::INVALID_BOOKMARK));
    assert!(!retryable(StatusCode::PROCEDURE_TIMED_OUT));
    assert!(!retryable(StatusCode::UNKNOWN_ERROR));
    assert!(!retryable(StatusCode::EXECUTION_FAILED));
}

#[test]
fn retryability_follows_the_gql_classification_when_the_code_is_missing() {
    let err = ServerError::from_metadata(&map(&[
        ("message", Value::from("m")),
        ("gql_status", Value::from("50N00")),
        (
            "diagnostic_record",
            Value::Map(map(&[("_classification", Value::from("TRANSIENT_ERROR"))])),
        ),
    ]));
    assert_eq!(err.classification(), Classification::TransientError);
    assert!(err.is_retryable());
}

fn fatal(code: impl Into<String>) -> bool {
    ServerError::new(code, "m").is_fatal_during_discovery()
}

#[test]
fn discovery_stops_on_the_listed_errors() {
    assert!(fatal(StatusCode::DATABASE_NOT_FOUND));
    assert!(fatal(StatusCode::INVALID_BOOKMARK));
    assert!(fatal(StatusCode::INVALID_BOOKMARK_MIXTURE));
    assert!(fatal(StatusCode::TYPE_ERROR));
    assert!(fatal(StatusCode::ARGUMENT_ERROR));
    assert!(fatal(StatusCode::REQUEST_INVALID));
    assert!(fatal(StatusCode::UNAUTHORIZED));
    assert!(fatal(StatusCode::FORBIDDEN));
    assert!(fatal(StatusCode::TOKEN_EXPIRED));
    assert!(fatal(StatusCode::AUTHENTICATION_RATE_LIMIT));
}

#[test]
fn discovery_moves_on_after_other_errors() {
    assert!(!fatal(StatusCode::AUTHORIZATION_EXPIRED));
    assert!(!fatal(StatusCode::NOT_A_LEADER));
    assert!(!fatal(StatusCode::SYNTAX_ERROR));
    assert!(!fatal(StatusCode::DATABASE_UNAVAILABLE));
    assert!(!fatal(StatusCode::UNKNOWN_ERROR));
    assert!(!fatal(StatusCode::PROCEDURE_NOT_FOUND));
}

#[test]
fn security_errors_are_recognised() {
    assert!(ServerError::new(StatusCode::UNAUTHORIZED, "m").is_security());
    assert!(ServerError::new(StatusCode::AUTHORIZATION_EXPIRED, "m").is_security());
    assert!(!ServerError::new(StatusCode::SYNTAX_ERROR, "m").is_security());
    assert!(!ServerError::new("Neo.TransientError.Security.Something", "m").is_security());
}

#[test]
fn malformed_codes_have_empty_parts() {
    let err = ServerError::new("Neo", "m");
    assert_eq!(err.category(), "");
    assert_eq!(err.title(), "");
}

#[test]
fn the_kind_follows_the_code_after_the_4_4_rewrite() {
    assert_eq!(
        legacy(StatusCode::LEGACY_TERMINATED.code()).kind(),
        FailureKind::TransactionTerminated
    );
    assert_eq!(
        legacy(StatusCode::LEGACY_LOCK_CLIENT_STOPPED.code()).kind(),
        FailureKind::Client
    );
    assert_eq!(
        legacy(StatusCode::AUTHORIZATION_EXPIRED.code()).kind(),
        FailureKind::AuthorizationExpired
    );
    assert_eq!(
        legacy("Neo.ClientError.Security.Made.Up").kind(),
        FailureKind::Security
    );
}

#[test]
fn the_kind_follows_the_gql_classification_when_the_code_is_missing() {
    let err = ServerError::from_metadata(&map(&[
        ("message", Value::from("m")),
        (
            "diagnostic_record",
            Value::Map(map(&[("_classification", Value::from("TRANSIENT_ERROR"))])),
        ),
    ]));
    assert_eq!(err.status_code(), Some(StatusCode::UNKNOWN_ERROR));
    assert_eq!(err.kind(), FailureKind::Transient);
    let err = ServerError::from_metadata(&Map::new());
    assert_eq!(err.kind(), FailureKind::Database);
}

#[test]
fn status_codes_name_the_code_of_a_parsed_failure() {
    let err = legacy(StatusCode::NOT_A_LEADER.code());
    assert_eq!(err.status_code(), Some(StatusCode::NOT_A_LEADER));
    assert_eq!(err.code(), StatusCode::NOT_A_LEADER);
    assert_eq!(err.kind(), FailureKind::WriteRefused);
    assert_eq!(
        legacy("Neo.ClientError.Statement.Unheard").status_code(),
        None
    );
}
