//! Driver errors as testkit's `DriverError`.

use std::collections::BTreeMap;

use neo_bolt::ServerError;
use neo_bolt::server_error::Classification;
use neo_runtime::Error;

use crate::protocol::responses::{self, GqlCause, GqlFields, Response};
use crate::protocol::values::{CypherValue, from_map};
use crate::state::{ErrorStore, Ids};

/// Reports a driver error: it is kept under a fresh id, so that a later
/// `RetryableNegative` can hand this very error back to the driver.
pub(crate) fn driver_error(error: Error, ids: &Ids, store: &ErrorStore) -> Response {
    let id = ids.next("e");
    let response = describe(&id, &error);
    store.keep(&id, error);
    response
}

/// The `DriverError` describing `error`.
fn describe(id: &str, error: &Error) -> Response {
    let server = error.server_error();
    Response::DriverError(Box::new(responses::DriverError {
        id: id.to_owned(),
        error_type: format!("{:?}", error.kind()),
        msg: match server {
            Some(server) => server.message().to_owned(),
            None => error.to_string(),
        },
        code: error.code().map(str::to_owned),
        retryable: error.is_retryable(),
        gql: server.map(gql_fields),
    }))
}

/// A misuse the driver's API rules out by construction (a result read after
/// its transaction ended, a query on a session whose transaction is open):
/// the call a test makes has no counterpart, so it fails like the official
/// drivers' client-side errors do, with a type and message saying why.
pub(crate) fn usage_error(ids: &Ids, error_type: &str, msg: impl Into<String>) -> Response {
    Response::DriverError(Box::new(responses::DriverError {
        id: ids.next("e"),
        error_type: error_type.to_owned(),
        msg: msg.into(),
        code: None,
        retryable: false,
        gql: None,
    }))
}

fn gql_fields(error: &ServerError) -> GqlFields {
    let diagnostic_record = error.diagnostic_record();
    let raw_classification = diagnostic_record
        .get("_classification")
        .and_then(|value| value.as_str());
    GqlFields {
        gql_status: error.gql_status().to_owned(),
        status_description: error.description().to_owned(),
        diagnostic_record: from_map(diagnostic_record).unwrap_or_else(|value_error| {
            BTreeMap::from([(
                "_backend_error".to_owned(),
                CypherValue::string(value_error.to_string()),
            )])
        }),
        // The GQL classification is the diagnostic record's, whatever the
        // Neo4j code says.
        classification: raw_classification
            .map(Classification::from_gql)
            .and_then(Classification::gql_name)
            .unwrap_or("UNKNOWN")
            .to_owned(),
        raw_classification: raw_classification.map(str::to_owned),
        cause: error.cause().map(|cause| {
            Box::new(GqlCause::GqlError {
                msg: cause.message().to_owned(),
                fields: gql_fields(cause),
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_bolt::packstream::Map;
    use neo_runtime::Value;

    #[test]
    fn client_side_errors_have_no_code_and_are_kept_for_retries() {
        let error = "ftp://x"
            .parse::<neo_runtime::uri::ConnectionUri>()
            .unwrap_err();
        let ids = Ids::default();
        let store = ErrorStore::default();
        let Response::DriverError(reported) = driver_error(error, &ids, &store) else {
            panic!()
        };
        assert_eq!(reported.error_type, "InvalidConfiguration");
        assert_eq!(reported.code, None);
        assert!(!reported.retryable);
        assert!(reported.gql.is_none());
        assert!(store.take(&reported.id).is_some());
        assert!(store.take(&reported.id).is_none());
    }

    #[test]
    fn server_failures_carry_their_gql_fields_and_causes() {
        let mut cause = Map::new();
        cause.insert("message".into(), Value::from("inner"));
        cause.insert("gql_status".into(), Value::from("22N00"));
        cause.insert("description".into(), Value::from("cause description"));
        let mut metadata = Map::new();
        metadata.insert(
            "neo4j_code".into(),
            Value::from("Neo.ClientError.User.Uncool"),
        );
        metadata.insert("message".into(), Value::from("outer"));
        metadata.insert("gql_status".into(), Value::from("01N00"));
        metadata.insert("description".into(), Value::from("outer description"));
        let mut record = Map::new();
        record.insert("_classification".into(), Value::from("CLIENT_ERROR"));
        metadata.insert("diagnostic_record".into(), Value::Map(record));
        metadata.insert("cause".into(), Value::Map(cause));
        let fields = gql_fields(&ServerError::from_metadata(&metadata));
        assert_eq!(fields.gql_status, "01N00");
        assert_eq!(fields.status_description, "outer description");
        assert_eq!(fields.classification, "CLIENT_ERROR");
        assert_eq!(fields.raw_classification.as_deref(), Some("CLIENT_ERROR"));
        assert_eq!(
            fields.diagnostic_record["CURRENT_SCHEMA"],
            CypherValue::string("/")
        );
        let Some(cause) = fields.cause else { panic!() };
        let GqlCause::GqlError { msg, fields } = *cause;
        assert_eq!(msg, "inner");
        assert_eq!(fields.gql_status, "22N00");
        assert_eq!(fields.classification, "UNKNOWN");
        assert_eq!(fields.raw_classification, None);
    }

    #[test]
    fn usage_errors_are_not_retryable() {
        let Response::DriverError(reported) =
            usage_error(&Ids::default(), "ResultConsumed", "read after consume")
        else {
            panic!()
        };
        assert!(!reported.retryable);
        assert_eq!(reported.msg, "read after consume");
    }
}
