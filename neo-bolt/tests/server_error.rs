//! Server failures as data: parsing every FAILURE shape, the 4.4 rewrite,
//! the retry and discovery classifications, and the server-side shapes.

use std::error::Error as _;

use neo_bolt::message::Response;
use neo_bolt::packstream::{Dialect, Map, Packer};
use neo_bolt::server_error::{Classification, ServerError};
use neo_bolt::{BoltVersion, Value};

fn map(entries: &[(&str, Value)]) -> Map {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn legacy(code: &str) -> ServerError {
    ServerError::from_metadata(&map(&[
        ("code", Value::from(code)),
        ("message", Value::from("msg")),
    ]))
}

#[test]
fn parses_the_legacy_shape() {
    let err = legacy("Neo.ClientError.Statement.SyntaxError");
    assert_eq!(err.code(), "Neo.ClientError.Statement.SyntaxError");
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
        "Neo.ClientError.Statement.SyntaxError: msg"
    );
}

#[test]
fn missing_fields_fall_back_to_unknown_error() {
    let err = ServerError::from_metadata(&Map::new());
    assert_eq!(err.code(), "Neo.DatabaseError.General.UnknownError");
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
    assert_eq!(err.code(), "Neo.DatabaseError.General.UnknownError");
    assert!(err.cause().is_none());
}

#[test]
fn neo4j_4_4_transient_terminations_become_client_errors() {
    for (sent, seen) in [
        (
            "Neo.TransientError.Transaction.Terminated",
            "Neo.ClientError.Transaction.Terminated",
        ),
        (
            "Neo.TransientError.Transaction.LockClientStopped",
            "Neo.ClientError.Transaction.LockClientStopped",
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
        (
            "neo4j_code",
            Value::from("Neo.ClientError.Statement.SyntaxError"),
        ),
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
    assert_eq!(err.code(), "Neo.ClientError.Statement.SyntaxError");
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
    let err = ServerError::new("Neo.ClientError.Statement.SyntaxError", "bad").with_cause(
        ServerError::new("Neo.ClientError.Statement.SyntaxError", "inner"),
    );
    for version in [BoltVersion::V4_4, BoltVersion::V5_0, BoltVersion::V5_6] {
        assert_eq!(
            err.to_metadata(version),
            map(&[
                ("code", Value::from("Neo.ClientError.Statement.SyntaxError")),
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
        ("Neo.ClientError.Statement.SyntaxError", "42001"),
        ("Neo.ClientError.Database.DatabaseNotFound", "22N51"),
        ("Neo.ClientError.Statement.TypeError", "22000"),
        ("Neo.ClientError.Statement.ParameterMissing", "42000"),
        ("Neo.ClientError.Security.Unauthorized", "42000"),
        ("Neo.ClientError.Transaction.TransactionNotFound", "25N01"),
        ("Neo.TransientError.Transaction.DeadlockDetected", "50N42"),
        ("Neo.DatabaseError.General.UnknownError", "50N42"),
        ("not a code", "50N42"),
    ];
    for (code, gql) in cases {
        let err = ServerError::new(code, "m");
        assert_eq!(err.gql_status(), gql, "{code}");
        assert!(!err.description().is_empty());
    }
    let custom = ServerError::new("Neo.ClientError.Statement.SemanticError", "m")
        .with_gql_status("42N29", "error: custom");
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
        Classification::from_code("Neo.ClientError.Statement.SyntaxError"),
        Classification::ClientError
    );
    assert_eq!(
        Classification::from_code("Neo.TransientError.General.DatabaseUnavailable"),
        Classification::TransientError
    );
    assert_eq!(
        Classification::from_code("Neo.DatabaseError.General.UnknownError"),
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

fn retryable(code: &str) -> bool {
    ServerError::new(code, "m").is_retryable()
}

#[test]
fn transient_errors_are_retryable() {
    assert!(retryable("Neo.TransientError.Transaction.DeadlockDetected"));
    assert!(retryable(
        "Neo.TransientError.Transaction.LockAcquisitionTimeout"
    ));
    assert!(retryable("Neo.TransientError.Transaction.BookmarkTimeout"));
    assert!(retryable("Neo.TransientError.Transaction.Outdated"));
    assert!(retryable("Neo.TransientError.Transaction.LeaseExpired"));
    assert!(retryable(
        "Neo.TransientError.Transaction.MaximumTransactionLimitReached"
    ));
    assert!(retryable("Neo.TransientError.General.DatabaseUnavailable"));
    assert!(retryable(
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
    ));
    assert!(retryable("Neo.TransientError.Cluster.LeaderSwitch"));
    assert!(retryable("Neo.TransientError.Request.NoThreadsAvailable"));
    assert!(retryable("Neo.TransientError.Statement.ExecutionTimeout"));
}

#[test]
fn terminated_and_lock_client_stopped_are_not_retryable() {
    assert!(!retryable("Neo.TransientError.Transaction.Terminated"));
    assert!(!retryable(
        "Neo.TransientError.Transaction.LockClientStopped"
    ));
    assert!(!retryable("Neo.ClientError.Transaction.Terminated"));
    assert!(!retryable("Neo.ClientError.Transaction.LockClientStopped"));
}

#[test]
fn three_client_errors_are_retryable() {
    assert!(retryable("Neo.ClientError.Cluster.NotALeader"));
    assert!(retryable(
        "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"
    ));
    assert!(retryable("Neo.ClientError.Security.AuthorizationExpired"));
}

#[test]
fn other_client_and_database_errors_are_not_retryable() {
    assert!(!retryable("Neo.ClientError.Statement.SyntaxError"));
    assert!(!retryable("Neo.ClientError.Statement.TypeError"));
    assert!(!retryable(
        "Neo.ClientError.Schema.ConstraintValidationFailed"
    ));
    assert!(!retryable("Neo.ClientError.Security.Forbidden"));
    assert!(!retryable("Neo.ClientError.Security.Unauthorized"));
    assert!(!retryable("Neo.ClientError.Security.TokenExpired"));
    assert!(!retryable("Neo.ClientError.Database.DatabaseNotFound"));
    assert!(!retryable(
        "Neo.ClientError.Transaction.TransactionTimedOut"
    ));
    assert!(!retryable(
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
    ));
    assert!(!retryable("Neo.ClientError.Transaction.InvalidBookmark"));
    assert!(!retryable("Neo.ClientError.Procedure.ProcedureTimedOut"));
    assert!(!retryable("Neo.DatabaseError.General.UnknownError"));
    assert!(!retryable("Neo.DatabaseError.Statement.ExecutionFailed"));
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

fn fatal(code: &str) -> bool {
    ServerError::new(code, "m").is_fatal_during_discovery()
}

#[test]
fn discovery_stops_on_the_listed_errors() {
    assert!(fatal("Neo.ClientError.Database.DatabaseNotFound"));
    assert!(fatal("Neo.ClientError.Transaction.InvalidBookmark"));
    assert!(fatal("Neo.ClientError.Transaction.InvalidBookmarkMixture"));
    assert!(fatal("Neo.ClientError.Statement.TypeError"));
    assert!(fatal("Neo.ClientError.Statement.ArgumentError"));
    assert!(fatal("Neo.ClientError.Request.Invalid"));
    assert!(fatal("Neo.ClientError.Security.Unauthorized"));
    assert!(fatal("Neo.ClientError.Security.Forbidden"));
    assert!(fatal("Neo.ClientError.Security.TokenExpired"));
    assert!(fatal("Neo.ClientError.Security.AuthenticationRateLimit"));
}

#[test]
fn discovery_moves_on_after_other_errors() {
    assert!(!fatal("Neo.ClientError.Security.AuthorizationExpired"));
    assert!(!fatal("Neo.ClientError.Cluster.NotALeader"));
    assert!(!fatal("Neo.ClientError.Statement.SyntaxError"));
    assert!(!fatal("Neo.TransientError.General.DatabaseUnavailable"));
    assert!(!fatal("Neo.DatabaseError.General.UnknownError"));
    assert!(!fatal("Neo.ClientError.Procedure.ProcedureNotFound"));
}

#[test]
fn security_errors_are_recognised() {
    assert!(ServerError::new("Neo.ClientError.Security.Unauthorized", "m").is_security());
    assert!(ServerError::new("Neo.ClientError.Security.AuthorizationExpired", "m").is_security());
    assert!(!ServerError::new("Neo.ClientError.Statement.SyntaxError", "m").is_security());
    assert!(!ServerError::new("Neo.TransientError.Security.Something", "m").is_security());
}

#[test]
fn malformed_codes_have_empty_parts() {
    let err = ServerError::new("Neo", "m");
    assert_eq!(err.category(), "");
    assert_eq!(err.title(), "");
}
