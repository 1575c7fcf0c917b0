//! `ExecuteQuery`: the driver-level query API ([`Driver::execute_query`]).

use std::collections::HashMap;
use std::sync::Arc;

use neo_runtime::{AccessMode, Driver, Query, QueryConfig};

use super::driver::{Unsupported, auth_token};
use super::result::{RecordError, record_values};
use super::session::duration_from_millis;
use super::summary::{QueryRecord, summary};
use crate::bookmark_manager::TestkitBookmarkManager;
use crate::errors::{driver_error, usage_error};
use crate::protocol::requests::{ExecuteQuery, ExecuteQueryConfig, QueryBookmarks};
use crate::protocol::responses::{RecordValues, Response};
use crate::protocol::values::into_map;
use crate::state::{ErrorStore, Ids};

/// Runs the query with the driver's `execute_query` and answers with its
/// whole result.
pub(crate) async fn execute(
    driver: &Driver,
    request: ExecuteQuery,
    bookmark_managers: &HashMap<String, Arc<TestkitBookmarkManager>>,
    ids: &Ids,
    errors: &ErrorStore,
) -> Response {
    let ExecuteQuery {
        cypher,
        params,
        config,
        ..
    } = request;
    let parameters = params.unwrap_or_default();
    let values = match into_map(parameters.clone()) {
        Ok(values) => values,
        Err(error) => return usage_error(ids, "InvalidParameter", error.to_string()),
    };
    let mut query = Query::new(cypher.clone());
    for (name, value) in &values {
        query = query.param(name, value);
    }
    let query_config = match query_config(&config, bookmark_managers) {
        Ok(query_config) => query_config,
        Err(Unsupported(reason)) => return Response::backend_error(reason),
    };
    let record = QueryRecord {
        text: cypher,
        parameters,
    };
    match driver.execute_query(query, query_config).await {
        Ok(result) => {
            let records = match result
                .records
                .iter()
                .map(|record| record_values(record).map(|values| RecordValues { values }))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(records) => records,
                Err(RecordError::Driver(error)) => return driver_error(error, ids, errors),
                Err(RecordError::Backend(message)) => return Response::backend_error(message),
            };
            match summary(&result.summary, &record) {
                Ok(summary) => Response::EagerResult {
                    keys: result.keys,
                    records,
                    summary: Box::new(summary),
                },
                Err(error) => Response::backend_error(format!(
                    "the summary holds a value testkit cannot take: {error}"
                )),
            }
        }
        Err(error) => driver_error(error, ids, errors),
    }
}

/// The driver's configuration of the query.
fn query_config(
    config: &ExecuteQueryConfig,
    bookmark_managers: &HashMap<String, Arc<TestkitBookmarkManager>>,
) -> Result<QueryConfig, Unsupported> {
    let mut query_config = QueryConfig::default();
    match config.routing.as_deref() {
        None => {}
        Some("r") => query_config = query_config.with_routing(AccessMode::Read),
        Some("w") => query_config = query_config.with_routing(AccessMode::Write),
        Some(other) => {
            return Err(Unsupported(format!(
                "routing `{other}` is neither `r` nor `w`"
            )));
        }
    }
    if let Some(database) = &config.database {
        query_config = query_config.with_database(database.clone());
    }
    if let Some(user) = &config.impersonated_user {
        query_config = query_config.with_impersonated_user(user.clone());
    }
    match config.bookmarks() {
        QueryBookmarks::Default => {}
        QueryBookmarks::Disabled => query_config = query_config.without_bookmark_manager(),
        QueryBookmarks::Manager(id) => match bookmark_managers.get(&id) {
            Some(manager) => {
                query_config = query_config.with_bookmark_manager(Arc::clone(manager) as _);
            }
            None => return Err(Unsupported(format!("no bookmark manager with id `{id}`"))),
        },
    }
    if let Some(timeout) = config.settings.timeout {
        let timeout = duration_from_millis(timeout)
            .map_err(|message| Unsupported(format!("timeout: {message}")))?;
        query_config = query_config.with_timeout(timeout);
    }
    if let Some(metadata) = &config.settings.tx_meta {
        let metadata =
            into_map(metadata.clone()).map_err(|error| Unsupported(format!("txMeta: {error}")))?;
        for (key, value) in metadata {
            query_config = query_config.with_metadata(key, value);
        }
    }
    if let Some(token) = &config.authorization_token {
        query_config = query_config.with_auth(auth_token(token)?);
    }
    Ok(query_config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::requests::Request;

    fn config_of(json: &str) -> ExecuteQueryConfig {
        let Request::ExecuteQuery(request) = Request::decode(json).unwrap() else {
            panic!("not an ExecuteQuery")
        };
        request.config
    }

    #[test]
    fn every_setting_reaches_the_query_config() {
        let config = config_of(
            r#"{"name": "ExecuteQuery", "data": {"driverId": "d0", "cypher": "RETURN 1",
                "params": null, "config": {"routing": "r", "database": "adb",
                "impersonatedUser": "that-other-dude", "txMeta": {"k": {"name": "CypherInt", "data": {"value": 1}}},
                "timeout": 1500, "bookmarkManagerId": -1,
                "authorizationToken": {"name": "AuthorizationToken", "data": {"scheme": "basic", "principal": "u", "credentials": "p"}}}}}"#,
        );
        assert_eq!(config.bookmarks(), QueryBookmarks::Disabled);
        let query_config = query_config(&config, &HashMap::new()).unwrap();
        assert_eq!(query_config.routing(), AccessMode::Read);
        assert_eq!(query_config.database(), Some("adb"));
        assert_eq!(query_config.impersonated_user(), Some("that-other-dude"));
        let transaction = query_config.transaction_config();
        assert_eq!(
            transaction.timeout(),
            Some(std::time::Duration::from_millis(1500))
        );
        assert_eq!(transaction.metadata()["k"], neo_runtime::Value::Integer(1));
    }

    #[test]
    fn bookmark_managers_are_the_default_none_or_one_by_id() {
        let default = config_of(
            r#"{"name": "ExecuteQuery", "data": {"driverId": "d0", "cypher": "RETURN 1", "config": {}}}"#,
        );
        assert_eq!(default.bookmarks(), QueryBookmarks::Default);
        let named = config_of(
            r#"{"name": "ExecuteQuery", "data": {"driverId": "d0", "cypher": "RETURN 1", "config": {"bookmarkManagerId": "bm3"}}}"#,
        );
        assert_eq!(named.bookmarks(), QueryBookmarks::Manager("bm3".into()));
        assert!(query_config(&named, &HashMap::new()).is_err());
        let bad_routing = config_of(
            r#"{"name": "ExecuteQuery", "data": {"driverId": "d0", "cypher": "RETURN 1", "config": {"routing": "x"}}}"#,
        );
        assert!(query_config(&bad_routing, &HashMap::new()).is_err());
    }
}
