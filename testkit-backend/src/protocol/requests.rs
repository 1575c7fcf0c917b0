//! What testkit sends (`nutkit/protocol/requests.py`).
//!
//! A request is `{"name": <type>, "data": {...}}`. Optional fields that a test
//! does not set are left out or `null`; both read as "not set" here.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::values::CypherValue;

/// Ids testkit sends back: the backend issues strings, but a few fields
/// (`bookmarkManagerId: -1` in `ExecuteQuery`) are numbers.
pub(crate) type Id = String;

/// Query parameters or transaction metadata.
pub(crate) type CypherMap = BTreeMap<String, CypherValue>;

/// One request from testkit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Request {
    StartTest(StartTest),
    StartSubTest(StartSubTest),
    GetFeatures,
    NewDriver(Box<NewDriver>),
    VerifyConnectivity(DriverRef),
    GetServerInfo(DriverRef),
    CheckMultiDbSupport(DriverRef),
    VerifyAuthentication(VerifyAuthentication),
    CheckSessionAuthSupport(DriverRef),
    CheckDriverIsEncrypted(DriverRef),
    ExecuteQuery(Box<ExecuteQuery>),
    GetRoutingTable(GetRoutingTable),
    ForcedRoutingTableUpdate(ForcedRoutingTableUpdate),
    GetConnectionPoolMetrics(GetConnectionPoolMetrics),
    DriverClose(DriverRef),
    NewAuthTokenManager,
    NewBasicAuthTokenManager,
    NewBearerAuthTokenManager,
    AuthTokenManagerClose(ObjectRef),
    FakeTimeInstall,
    FakeTimeTick(FakeTimeTick),
    FakeTimeUninstall,
    NewBookmarkManager(NewBookmarkManager),
    BookmarkManagerClose(ObjectRef),
    NewSession(Box<NewSession>),
    SessionClose(SessionRef),
    SessionRun(SessionRun),
    SessionBeginTransaction(TransactionFunction),
    SessionReadTransaction(TransactionFunction),
    SessionWriteTransaction(TransactionFunction),
    SessionLastBookmarks(SessionRef),
    TransactionRun(TransactionRun),
    TransactionCommit(TransactionRef),
    TransactionRollback(TransactionRef),
    TransactionClose(TransactionRef),
    ResultNext(ResultRef),
    ResultPeek(ResultRef),
    ResultSingle(ResultRef),
    ResultSingleOptional(ResultRef),
    ResultConsume(ResultRef),
    ResultList(ResultRef),
    RetryablePositive(SessionRef),
    RetryableNegative(RetryableNegative),
    /// The answer to a callback request the backend sent (`...Completed`).
    CallbackCompleted(CallbackCompleted),
    /// A request of the protocol that the driver's public API cannot serve;
    /// the text says what is missing.
    Unsupported {
        name: String,
        reason: &'static str,
    },
}

/// Why a request could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError(pub(crate) String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Deserialize)]
struct Envelope {
    name: String,
    #[serde(default)]
    data: Option<serde_json::Value>,
}

/// Requests of the protocol that need a public API the driver lacks.
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "NewClientCertificateProvider",
        "client certificate providers belong to the TLS suite, which this backend does not serve",
    ),
    (
        "ClientCertificateProviderClose",
        "client certificate providers belong to the TLS suite, which this backend does not serve",
    ),
    (
        "CypherTypeField",
        "this request is not part of the stub suite",
    ),
];

impl Request {
    /// Reads one request from the JSON between `#request begin` and
    /// `#request end`.
    pub(crate) fn decode(json: &str) -> Result<Request, DecodeError> {
        let envelope: Envelope = serde_json::from_str(json)
            .map_err(|error| DecodeError(format!("malformed request: {error}")))?;
        let data = envelope
            .data
            .filter(|data| !data.is_null())
            .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
        let name = envelope.name.as_str();
        fn read<T: DeserializeOwned>(
            name: &str,
            data: serde_json::Value,
        ) -> Result<T, DecodeError> {
            serde_json::from_value(data).map_err(|error| DecodeError(format!("{name}: {error}")))
        }
        Ok(match name {
            "StartTest" => Request::StartTest(read(name, data)?),
            "StartSubTest" => Request::StartSubTest(read(name, data)?),
            "GetFeatures" => Request::GetFeatures,
            "NewDriver" => Request::NewDriver(Box::new(read(name, data)?)),
            "VerifyConnectivity" => Request::VerifyConnectivity(read(name, data)?),
            "GetServerInfo" => Request::GetServerInfo(read(name, data)?),
            "CheckMultiDBSupport" => Request::CheckMultiDbSupport(read(name, data)?),
            "VerifyAuthentication" => Request::VerifyAuthentication(read(name, data)?),
            "CheckSessionAuthSupport" => Request::CheckSessionAuthSupport(read(name, data)?),
            "CheckDriverIsEncrypted" => Request::CheckDriverIsEncrypted(read(name, data)?),
            "ExecuteQuery" => Request::ExecuteQuery(Box::new(read(name, data)?)),
            "GetRoutingTable" => Request::GetRoutingTable(read(name, data)?),
            "ForcedRoutingTableUpdate" => Request::ForcedRoutingTableUpdate(read(name, data)?),
            "GetConnectionPoolMetrics" => Request::GetConnectionPoolMetrics(read(name, data)?),
            "DriverClose" => Request::DriverClose(read(name, data)?),
            "NewAuthTokenManager" => Request::NewAuthTokenManager,
            "NewBasicAuthTokenManager" => Request::NewBasicAuthTokenManager,
            "NewBearerAuthTokenManager" => Request::NewBearerAuthTokenManager,
            "AuthTokenManagerClose" => Request::AuthTokenManagerClose(read(name, data)?),
            "FakeTimeInstall" => Request::FakeTimeInstall,
            "FakeTimeTick" => Request::FakeTimeTick(read(name, data)?),
            "FakeTimeUninstall" => Request::FakeTimeUninstall,
            "NewBookmarkManager" => Request::NewBookmarkManager(read(name, data)?),
            "BookmarkManagerClose" => Request::BookmarkManagerClose(read(name, data)?),
            "NewSession" => Request::NewSession(Box::new(read(name, data)?)),
            "SessionClose" => Request::SessionClose(read(name, data)?),
            "SessionRun" => Request::SessionRun(read(name, data)?),
            "SessionBeginTransaction" => Request::SessionBeginTransaction(read(name, data)?),
            "SessionReadTransaction" => Request::SessionReadTransaction(read(name, data)?),
            "SessionWriteTransaction" => Request::SessionWriteTransaction(read(name, data)?),
            "SessionLastBookmarks" => Request::SessionLastBookmarks(read(name, data)?),
            "TransactionRun" => Request::TransactionRun(read(name, data)?),
            "TransactionCommit" => Request::TransactionCommit(read(name, data)?),
            "TransactionRollback" => Request::TransactionRollback(read(name, data)?),
            "TransactionClose" => Request::TransactionClose(read(name, data)?),
            "ResultNext" => Request::ResultNext(read(name, data)?),
            "ResultPeek" => Request::ResultPeek(read(name, data)?),
            "ResultSingle" => Request::ResultSingle(read(name, data)?),
            "ResultSingleOptional" => Request::ResultSingleOptional(read(name, data)?),
            "ResultConsume" => Request::ResultConsume(read(name, data)?),
            "ResultList" => Request::ResultList(read(name, data)?),
            "RetryablePositive" => Request::RetryablePositive(read(name, data)?),
            "RetryableNegative" => Request::RetryableNegative(read(name, data)?),
            completed if completed.ends_with("Completed") => {
                let request_id = data
                    .get("requestId")
                    .and_then(id_text)
                    .ok_or_else(|| DecodeError(format!("{completed}: no `requestId`")))?;
                Request::CallbackCompleted(CallbackCompleted {
                    name: completed.to_owned(),
                    request_id,
                    data,
                })
            }
            other => match UNSUPPORTED.iter().find(|(name, _)| *name == other) {
                Some((_, reason)) => Request::Unsupported {
                    name: other.to_owned(),
                    reason,
                },
                None => return Err(DecodeError(format!("unknown request `{other}`"))),
            },
        })
    }
}

/// An id as text, whether testkit sent it as a string or a number.
fn id_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StartTest {
    pub(crate) test_name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StartSubTest {
    pub(crate) test_name: String,
    #[serde(default)]
    pub(crate) subtest_arguments: serde_json::Value,
}

/// An auth token (`AuthorizationToken` in `requests.py`); the backend
/// sends it back in callbacks, with only the fields that are set.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "name", content = "data")]
pub(crate) enum AuthorizationToken {
    AuthorizationToken(AuthFields),
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub(crate) struct AuthFields {
    pub(crate) scheme: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) principal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) credentials: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) realm: Option<String>,
    /// Plain JSON values, or Cypher-typed ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) parameters: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NewDriver {
    pub(crate) uri: String,
    #[serde(default)]
    pub(crate) authorization_token: Option<AuthorizationToken>,
    #[serde(default)]
    pub(crate) auth_token_manager_id: Option<serde_json::Value>,
    #[serde(default)]
    pub(crate) user_agent: Option<String>,
    #[serde(default)]
    pub(crate) resolver_registered: bool,
    #[serde(default)]
    pub(crate) domain_name_resolver_registered: bool,
    #[serde(default)]
    pub(crate) connection_timeout_ms: Option<f64>,
    #[serde(default)]
    pub(crate) fetch_size: Option<i64>,
    #[serde(default)]
    pub(crate) max_tx_retry_time_ms: Option<f64>,
    #[serde(default)]
    pub(crate) encrypted: Option<bool>,
    #[serde(default)]
    pub(crate) trusted_certificates: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) liveness_check_timeout_ms: Option<f64>,
    #[serde(default)]
    pub(crate) max_connection_pool_size: Option<i64>,
    #[serde(default)]
    pub(crate) connection_acquisition_timeout_ms: Option<f64>,
    #[serde(default)]
    pub(crate) notifications_min_severity: Option<String>,
    #[serde(default)]
    pub(crate) notifications_disabled_categories: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) telemetry_disabled: Option<bool>,
    #[serde(default)]
    pub(crate) client_certificate: Option<serde_json::Value>,
    #[serde(default)]
    pub(crate) client_certificate_provider_id: Option<serde_json::Value>,
}

/// `VerifyAuthentication`: the credentials to check (`None`: the driver's).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerifyAuthentication {
    pub(crate) driver_id: Id,
    #[serde(default)]
    pub(crate) authorization_token: Option<AuthorizationToken>,
}

/// `ExecuteQuery`: a driver-level query and its configuration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExecuteQuery {
    pub(crate) driver_id: Id,
    pub(crate) cypher: String,
    #[serde(default)]
    pub(crate) params: Option<CypherMap>,
    #[serde(default)]
    pub(crate) config: ExecuteQueryConfig,
}

/// The configuration of an `ExecuteQuery`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExecuteQueryConfig {
    /// `"r"` or `"w"`; unset for the default (writers).
    #[serde(default)]
    pub(crate) routing: Option<String>,
    #[serde(default)]
    pub(crate) database: Option<String>,
    #[serde(default)]
    pub(crate) impersonated_user: Option<String>,
    /// Unset: the driver's own manager; `-1`: none; otherwise a manager's id.
    #[serde(default)]
    pub(crate) bookmark_manager_id: Option<serde_json::Value>,
    #[serde(flatten)]
    pub(crate) settings: TxSettings,
    #[serde(default)]
    pub(crate) authorization_token: Option<AuthorizationToken>,
}

/// Which bookmark manager an `ExecuteQuery` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum QueryBookmarks {
    /// The driver's own (the field is unset).
    Default,
    /// None at all (`-1`).
    Disabled,
    /// A manager made by `NewBookmarkManager`.
    Manager(String),
}

impl ExecuteQueryConfig {
    /// The bookmark manager asked for.
    pub(crate) fn bookmarks(&self) -> QueryBookmarks {
        match &self.bookmark_manager_id {
            None | Some(serde_json::Value::Null) => QueryBookmarks::Default,
            Some(serde_json::Value::Number(number)) if number.as_i64() == Some(-1) => {
                QueryBookmarks::Disabled
            }
            Some(other) => {
                QueryBookmarks::Manager(id_text(other).unwrap_or_else(|| other.to_string()))
            }
        }
    }
}

/// `GetRoutingTable`: a database's table (`None`: the home database's).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GetRoutingTable {
    pub(crate) driver_id: Id,
    #[serde(default)]
    pub(crate) database: Option<String>,
}

/// `ForcedRoutingTableUpdate`: fetch a database's table now.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ForcedRoutingTableUpdate {
    pub(crate) driver_id: Id,
    #[serde(default)]
    pub(crate) database: Option<String>,
    #[serde(default)]
    pub(crate) bookmarks: Option<Vec<String>>,
}

/// `GetConnectionPoolMetrics`: the pool of one server.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GetConnectionPoolMetrics {
    pub(crate) driver_id: Id,
    pub(crate) address: String,
}

/// `FakeTimeTick`: how far the fake clock moves.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FakeTimeTick {
    pub(crate) increment_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DriverRef {
    pub(crate) driver_id: Id,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct ObjectRef {
    pub(crate) id: Id,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NewBookmarkManager {
    #[serde(default)]
    pub(crate) initial_bookmarks: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) bookmarks_supplier_registered: bool,
    #[serde(default)]
    pub(crate) bookmarks_consumer_registered: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NewSession {
    pub(crate) driver_id: Id,
    pub(crate) access_mode: String,
    #[serde(default)]
    pub(crate) bookmarks: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) database: Option<String>,
    #[serde(default)]
    pub(crate) fetch_size: Option<i64>,
    #[serde(default)]
    pub(crate) impersonated_user: Option<String>,
    #[serde(default)]
    pub(crate) bookmark_manager_id: Option<Id>,
    #[serde(default)]
    pub(crate) authorization_token: Option<AuthorizationToken>,
    #[serde(default)]
    pub(crate) notifications_min_severity: Option<String>,
    #[serde(default)]
    pub(crate) notifications_disabled_categories: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionRef {
    pub(crate) session_id: Id,
}

/// Transaction settings: metadata and a timeout in milliseconds.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TxSettings {
    #[serde(default)]
    pub(crate) tx_meta: Option<CypherMap>,
    #[serde(default)]
    pub(crate) timeout: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionRun {
    pub(crate) session_id: Id,
    pub(crate) cypher: String,
    #[serde(default)]
    pub(crate) params: Option<CypherMap>,
    #[serde(flatten)]
    pub(crate) settings: TxSettings,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionFunction {
    pub(crate) session_id: Id,
    #[serde(flatten)]
    pub(crate) settings: TxSettings,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionRun {
    pub(crate) tx_id: Id,
    pub(crate) cypher: String,
    #[serde(default)]
    pub(crate) params: Option<CypherMap>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionRef {
    pub(crate) tx_id: Id,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResultRef {
    pub(crate) result_id: Id,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RetryableNegative {
    pub(crate) session_id: Id,
    #[serde(default)]
    pub(crate) error_id: Option<serde_json::Value>,
}

impl RetryableNegative {
    /// The id of the driver error the test function failed with; `None`
    /// when the failure came from the test's own code.
    pub(crate) fn driver_error_id(&self) -> Option<String> {
        self.error_id
            .as_ref()
            .and_then(id_text)
            .filter(|id| !id.is_empty())
    }
}

/// Testkit's answer to a callback request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CallbackCompleted {
    pub(crate) name: String,
    pub(crate) request_id: String,
    pub(crate) data: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_decode_with_missing_and_null_optional_fields() {
        let request = Request::decode(
            r#"{"name": "NewSession", "data": {"driverId": "0", "accessMode": "r",
                "bookmarks": null, "database": "adb", "fetchSize": 2,
                "impersonatedUser": null}}"#,
        )
        .unwrap();
        let Request::NewSession(session) = request else {
            panic!("{request:?}");
        };
        assert_eq!(session.driver_id, "0");
        assert_eq!(session.access_mode, "r");
        assert_eq!(session.database.as_deref(), Some("adb"));
        assert_eq!(session.fetch_size, Some(2));
        assert_eq!(session.bookmarks, None);
        assert_eq!(session.bookmark_manager_id, None);
    }

    #[test]
    fn requests_without_data_decode() {
        assert_eq!(
            Request::decode(r#"{"name": "GetFeatures", "data": {}}"#).unwrap(),
            Request::GetFeatures
        );
        assert_eq!(
            Request::decode(r#"{"name": "GetFeatures"}"#).unwrap(),
            Request::GetFeatures
        );
    }

    #[test]
    fn run_requests_carry_parameters_metadata_and_timeout() {
        let request = Request::decode(
            r#"{"name": "SessionRun", "data": {"sessionId": "3", "cypher": "RETURN $x",
                "params": {"x": {"name": "CypherInt", "data": {"value": 1}}},
                "txMeta": {"app": {"name": "CypherString", "data": {"value": "a"}}},
                "timeout": 17}}"#,
        )
        .unwrap();
        let Request::SessionRun(run) = request else {
            panic!()
        };
        assert_eq!(run.params.unwrap()["x"], CypherValue::int(1));
        assert_eq!(
            run.settings.tx_meta.unwrap()["app"],
            CypherValue::string("a")
        );
        assert_eq!(run.settings.timeout, Some(17.0));
    }

    #[test]
    fn auth_tokens_read_every_scheme_field() {
        let request = Request::decode(
            r#"{"name": "NewDriver", "data": {"uri": "bolt://h:9001",
                "authorizationToken": {"name": "AuthorizationToken", "data": {
                    "scheme": "basic", "principal": "p", "credentials": "c", "realm": "r"}},
                "authTokenManagerId": null, "userAgent": "ua",
                "resolverRegistered": false, "domainNameResolverRegistered": false,
                "connectionTimeoutMs": null, "fetchSize": 10, "maxTxRetryTimeMs": 5000,
                "livenessCheckTimeoutMs": null, "maxConnectionPoolSize": null,
                "connectionAcquisitionTimeoutMs": 1000, "clientCertificate": null,
                "clientCertificateProviderId": null}}"#,
        )
        .unwrap();
        let Request::NewDriver(driver) = request else {
            panic!()
        };
        let Some(AuthorizationToken::AuthorizationToken(auth)) = driver.authorization_token else {
            panic!()
        };
        assert_eq!(auth.scheme, "basic");
        assert_eq!(auth.realm.as_deref(), Some("r"));
        assert_eq!(driver.fetch_size, Some(10));
        assert_eq!(driver.connection_acquisition_timeout_ms, Some(1000.0));
    }

    #[test]
    fn callback_answers_are_recognised_by_name() {
        let request = Request::decode(
            r#"{"name": "BookmarksSupplierCompleted", "data": {"requestId": 7, "bookmarks": ["a"]}}"#,
        )
        .unwrap();
        let Request::CallbackCompleted(done) = request else {
            panic!()
        };
        assert_eq!(done.request_id, "7");
        assert_eq!(done.data["bookmarks"][0], "a");
    }

    #[test]
    fn retryable_negative_tells_driver_errors_from_test_errors() {
        let from_test =
            r#"{"name": "RetryableNegative", "data": {"sessionId": "1", "errorId": ""}}"#;
        let Request::RetryableNegative(negative) = Request::decode(from_test).unwrap() else {
            panic!()
        };
        assert_eq!(negative.driver_error_id(), None);
        let from_driver =
            r#"{"name": "RetryableNegative", "data": {"sessionId": "1", "errorId": "e4"}}"#;
        let Request::RetryableNegative(negative) = Request::decode(from_driver).unwrap() else {
            panic!()
        };
        assert_eq!(negative.driver_error_id().as_deref(), Some("e4"));
    }

    #[test]
    fn unknown_and_unsupported_requests_are_told_apart() {
        let error = Request::decode(r#"{"name": "Teleport", "data": {}}"#).unwrap_err();
        assert!(error.0.contains("unknown request `Teleport`"), "{error}");
        let unsupported = Request::decode(r#"{"name": "CypherTypeField", "data": {}}"#).unwrap();
        assert!(matches!(unsupported, Request::Unsupported { .. }));
        let malformed = Request::decode(r#"{"name": "ResultNext", "data": {}}"#).unwrap_err();
        assert!(malformed.0.contains("resultId"), "{malformed}");
        assert!(Request::decode("not json").is_err());
    }
}
