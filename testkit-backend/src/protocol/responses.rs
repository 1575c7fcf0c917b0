//! What the backend answers (`nutkit/protocol/responses.py`).
//!
//! Testkit builds each answer by passing all `data` fields to a Python class,
//! so an answer must carry exactly the fields that class takes: no more.

use std::collections::BTreeMap;

use serde::Serialize;

use super::requests::AuthorizationToken;
use super::values::CypherValue;

/// One answer, or one callback request, to testkit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "name", content = "data")]
pub(crate) enum Response {
    FeatureList {
        features: Vec<String>,
    },
    RunTest,
    Driver {
        id: String,
    },
    ServerInfo(ServerInfo),
    MultiDBSupport {
        id: String,
        available: bool,
    },
    DriverIsAuthenticated {
        id: String,
        authenticated: bool,
    },
    SessionAuthSupport {
        id: String,
        available: bool,
    },
    DriverIsEncrypted {
        encrypted: bool,
    },
    EagerResult {
        keys: Vec<String>,
        records: Vec<RecordValues>,
        summary: Box<Summary>,
    },
    RoutingTable(RoutingTable),
    #[serde(rename_all = "camelCase")]
    ConnectionPoolMetrics {
        in_use: usize,
        idle: usize,
    },
    FakeTimeAck,
    AuthTokenManager {
        id: String,
    },
    BasicAuthTokenManager {
        id: String,
    },
    BearerAuthTokenManager {
        id: String,
    },
    #[serde(rename_all = "camelCase")]
    AuthTokenManagerGetAuthRequest {
        id: String,
        auth_token_manager_id: String,
    },
    #[serde(rename_all = "camelCase")]
    AuthTokenManagerHandleSecurityExceptionRequest {
        id: String,
        auth_token_manager_id: String,
        auth: Box<AuthorizationToken>,
        error_code: String,
    },
    #[serde(rename_all = "camelCase")]
    BasicAuthTokenProviderRequest {
        id: String,
        basic_auth_token_manager_id: String,
    },
    #[serde(rename_all = "camelCase")]
    BearerAuthTokenProviderRequest {
        id: String,
        bearer_auth_token_manager_id: String,
    },
    ResolverResolutionRequired {
        id: String,
        address: String,
    },
    DomainNameResolutionRequired {
        id: String,
        name: String,
    },
    BookmarkManager {
        id: String,
    },
    #[serde(rename_all = "camelCase")]
    BookmarksSupplierRequest {
        id: String,
        bookmark_manager_id: String,
    },
    #[serde(rename_all = "camelCase")]
    BookmarksConsumerRequest {
        id: String,
        bookmark_manager_id: String,
        bookmarks: Vec<String>,
    },
    Session {
        id: String,
    },
    Transaction {
        id: String,
    },
    Result {
        id: String,
        keys: Vec<String>,
    },
    Record {
        values: Vec<CypherValue>,
    },
    NullRecord,
    RecordOptional {
        record: Option<RecordValues>,
        warnings: Vec<String>,
    },
    RecordList {
        records: Vec<RecordValues>,
    },
    Summary(Box<Summary>),
    Bookmarks {
        bookmarks: Vec<String>,
    },
    RetryableTry {
        id: String,
    },
    RetryableDone,
    DriverError(Box<DriverError>),
    FrontendError {
        msg: String,
    },
    BackendError {
        msg: String,
    },
}

impl Response {
    /// A backend failure with a message for the test log.
    pub(crate) fn backend_error(msg: impl Into<String>) -> Self {
        Response::BackendError { msg: msg.into() }
    }

    /// The JSON text of the answer.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|error| {
            // Only non-string map keys or a failing `Serialize` can get here,
            // and no response has either; still, testkit must get an answer.
            serde_json::json!({"name": "BackendError", "data": {
                "msg": format!("the backend could not encode its answer: {error}")
            }})
            .to_string()
        })
    }
}

/// The values of one record, as `RecordList` carries them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct RecordValues {
    pub(crate) values: Vec<CypherValue>,
}

/// A routing table as the driver holds it (`GetRoutingTable`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct RoutingTable {
    pub(crate) database: Option<String>,
    /// Seconds the table is still trusted for.
    pub(crate) ttl: u64,
    pub(crate) routers: Vec<String>,
    pub(crate) readers: Vec<String>,
    pub(crate) writers: Vec<String>,
}

/// What a server says about itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServerInfo {
    pub(crate) address: String,
    pub(crate) agent: String,
    /// `None` where the driver does not report it.
    pub(crate) protocol_version: Option<String>,
}

/// A result summary. Every field must be present (`null` where unknown).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Summary {
    pub(crate) counters: Counters,
    pub(crate) database: Option<String>,
    pub(crate) notifications: Option<serde_json::Value>,
    pub(crate) gql_status_objects: Vec<GqlStatusObject>,
    pub(crate) plan: Option<serde_json::Value>,
    pub(crate) profile: Option<serde_json::Value>,
    pub(crate) query: SummaryQuery,
    pub(crate) query_type: Option<String>,
    pub(crate) result_available_after: Option<i64>,
    pub(crate) result_consumed_after: Option<i64>,
    pub(crate) server_info: ServerInfo,
}

/// The query a summary belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SummaryQuery {
    pub(crate) text: String,
    pub(crate) parameters: BTreeMap<String, CypherValue>,
}

/// The update counters of a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Counters {
    pub(crate) constraints_added: i64,
    pub(crate) constraints_removed: i64,
    pub(crate) contains_system_updates: bool,
    pub(crate) contains_updates: bool,
    pub(crate) indexes_added: i64,
    pub(crate) indexes_removed: i64,
    pub(crate) labels_added: i64,
    pub(crate) labels_removed: i64,
    pub(crate) nodes_created: i64,
    pub(crate) nodes_deleted: i64,
    pub(crate) properties_set: i64,
    pub(crate) relationships_created: i64,
    pub(crate) relationships_deleted: i64,
    pub(crate) system_updates: i64,
}

/// A GQL status object of a summary (Bolt 5.6+).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GqlStatusObject {
    pub(crate) gql_status: String,
    pub(crate) status_description: String,
    pub(crate) position: Option<Position>,
    pub(crate) classification: String,
    pub(crate) raw_classification: Option<String>,
    pub(crate) severity: String,
    pub(crate) raw_severity: Option<String>,
    pub(crate) diagnostic_record: BTreeMap<String, CypherValue>,
    pub(crate) is_notification: bool,
}

/// A position in the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Position {
    pub(crate) offset: i64,
    pub(crate) line: i64,
    pub(crate) column: i64,
}

/// A failure the driver reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DriverError {
    pub(crate) id: String,
    pub(crate) error_type: String,
    pub(crate) msg: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<String>,
    pub(crate) retryable: bool,
    #[serde(flatten)]
    pub(crate) gql: Option<GqlFields>,
}

/// The GQL side of a server failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GqlFields {
    pub(crate) gql_status: String,
    pub(crate) status_description: String,
    pub(crate) diagnostic_record: BTreeMap<String, CypherValue>,
    pub(crate) classification: String,
    pub(crate) raw_classification: Option<String>,
    pub(crate) cause: Option<Box<GqlCause>>,
}

/// The cause of a GQL failure, itself a GQL failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "name", content = "data")]
pub(crate) enum GqlCause {
    GqlError {
        msg: String,
        #[serde(flatten)]
        fields: GqlFields,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_of(response: &Response) -> serde_json::Value {
        serde_json::from_str(&response.to_json()).unwrap()
    }

    #[test]
    fn answers_are_named_objects_with_data() {
        assert_eq!(
            json_of(&Response::Driver { id: "d1".into() }),
            json!({"name": "Driver", "data": {"id": "d1"}})
        );
        assert_eq!(json_of(&Response::RunTest), json!({"name": "RunTest"}));
        assert_eq!(
            json_of(&Response::BookmarksSupplierRequest {
                id: "c1".into(),
                bookmark_manager_id: "b1".into()
            }),
            json!({"name": "BookmarksSupplierRequest",
                   "data": {"id": "c1", "bookmarkManagerId": "b1"}})
        );
    }

    #[test]
    fn driver_errors_carry_only_the_fields_testkit_knows() {
        let plain = Response::DriverError(Box::new(DriverError {
            id: "e1".into(),
            error_type: "ServiceUnavailable".into(),
            msg: "gone".into(),
            code: None,
            retryable: true,
            gql: None,
        }));
        assert_eq!(
            json_of(&plain),
            json!({"name": "DriverError", "data": {
                "id": "e1", "errorType": "ServiceUnavailable", "msg": "gone", "retryable": true}})
        );
        let cause = GqlCause::GqlError {
            msg: "inner".into(),
            fields: GqlFields {
                gql_status: "22N00".into(),
                status_description: "d2".into(),
                diagnostic_record: BTreeMap::new(),
                classification: "UNKNOWN".into(),
                raw_classification: None,
                cause: None,
            },
        };
        let server = Response::DriverError(Box::new(DriverError {
            id: "e2".into(),
            error_type: "Server".into(),
            msg: "outer".into(),
            code: Some("Neo.ClientError.User.Uncool".into()),
            retryable: false,
            gql: Some(GqlFields {
                gql_status: "01N00".into(),
                status_description: "d1".into(),
                diagnostic_record: BTreeMap::from([(
                    "OPERATION".to_owned(),
                    CypherValue::string(""),
                )]),
                classification: "CLIENT_ERROR".into(),
                raw_classification: Some("CLIENT_ERROR".into()),
                cause: Some(Box::new(cause)),
            }),
        }));
        let data = &json_of(&server)["data"];
        let mut keys: Vec<_> = data.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "cause",
                "classification",
                "code",
                "diagnosticRecord",
                "errorType",
                "gqlStatus",
                "id",
                "msg",
                "rawClassification",
                "retryable",
                "statusDescription"
            ]
        );
        assert_eq!(data["cause"]["name"], "GqlError");
        assert_eq!(data["cause"]["data"]["msg"], "inner");
        assert_eq!(data["cause"]["data"]["cause"], serde_json::Value::Null);
    }

    #[test]
    fn summaries_have_every_field_testkit_reads() {
        let summary = Response::Summary(Box::new(Summary {
            counters: Counters {
                constraints_added: 0,
                constraints_removed: 0,
                contains_system_updates: false,
                contains_updates: true,
                indexes_added: 0,
                indexes_removed: 0,
                labels_added: 0,
                labels_removed: 0,
                nodes_created: 1,
                nodes_deleted: 0,
                properties_set: 0,
                relationships_created: 0,
                relationships_deleted: 0,
                system_updates: 0,
            },
            database: None,
            notifications: None,
            gql_status_objects: vec![],
            plan: None,
            profile: None,
            query: SummaryQuery {
                text: "RETURN 1".into(),
                parameters: BTreeMap::new(),
            },
            query_type: Some("r".into()),
            result_available_after: Some(1),
            result_consumed_after: None,
            server_info: ServerInfo {
                address: "h:1".into(),
                agent: "Neo4j/5".into(),
                protocol_version: Some("5.0".into()),
            },
        }));
        let data = &json_of(&summary)["data"];
        for key in [
            "counters",
            "database",
            "notifications",
            "plan",
            "profile",
            "query",
            "queryType",
            "resultAvailableAfter",
            "resultConsumedAfter",
            "serverInfo",
        ] {
            assert!(data.get(key).is_some(), "{key} missing");
        }
        assert_eq!(data["counters"]["nodesCreated"], 1);
        assert_eq!(data["serverInfo"]["protocolVersion"], "5.0");
    }
}
