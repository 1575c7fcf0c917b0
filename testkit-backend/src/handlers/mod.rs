//! The request handlers of one testkit connection.

pub(crate) mod driver;
mod query;
pub(crate) mod result;
pub(crate) mod session;
pub(crate) mod summary;
mod transaction;

use std::collections::HashMap;
use std::sync::Arc;

use neo_runtime::auth::{AuthManager, StaticAuthManager};
use neo_runtime::{AccessMode, Address, Bookmarks, Driver, SessionConfig};

use crate::auth_manager::{ManagerKind, new_manager};
use crate::bookmark_manager::TestkitBookmarkManager;
use crate::callbacks::Callbacks;
use crate::clock::TestkitClock;
use crate::errors::driver_error;
use crate::features;
use crate::protocol::requests::{NewDriver, NewSession, Request};
use crate::protocol::responses::{Response, RoutingTable, ServerInfo};
use crate::resolver::{TestkitHostNameResolver, TestkitResolver};
use crate::state::{ErrorStore, Ids, Routes};
use result::ResultOp;
use session::{SessionContext, SessionHandle, SessionOp, duration_from_millis};

/// Everything one testkit connection created. Dropping it frees all of it:
/// session tasks stop, sessions and drivers close their connections.
pub(crate) struct Backend {
    ids: Arc<Ids>,
    routes: Arc<Routes>,
    errors: Arc<ErrorStore>,
    callbacks: Callbacks,
    drivers: HashMap<String, Driver>,
    bookmark_managers: HashMap<String, Arc<TestkitBookmarkManager>>,
    auth_managers: HashMap<String, Arc<dyn AuthManager>>,
    sessions: HashMap<String, SessionHandle>,
    /// The time the drivers and bearer managers of this connection read.
    clock: TestkitClock,
}

impl Backend {
    pub(crate) fn new(ids: Arc<Ids>, callbacks: Callbacks) -> Self {
        Backend {
            ids,
            routes: Arc::default(),
            errors: Arc::default(),
            callbacks,
            drivers: HashMap::new(),
            bookmark_managers: HashMap::new(),
            auth_managers: HashMap::new(),
            sessions: HashMap::new(),
            clock: TestkitClock::default(),
        }
    }

    /// Serves one request; the answer is the final one (callbacks the
    /// request needs go out on their own while it runs).
    pub(crate) async fn handle(&mut self, request: Request) -> Response {
        match request {
            Request::StartTest(start) => features::start_test(&start.test_name),
            Request::StartSubTest(_) => Response::RunTest,
            Request::GetFeatures => match features::claimed() {
                Ok(claimed) => Response::FeatureList {
                    features: claimed.flags().into_iter().map(str::to_owned).collect(),
                },
                Err(message) => Response::backend_error(message),
            },
            Request::NewDriver(request) => self.new_driver(&request),
            Request::VerifyConnectivity(r) => match self.driver(&r.driver_id) {
                Ok(driver) => match driver.verify_connectivity().await {
                    Ok(()) => Response::Driver { id: r.driver_id },
                    Err(error) => self.error(error),
                },
                Err(response) => response,
            },
            Request::GetServerInfo(r) => match self.driver(&r.driver_id) {
                Ok(driver) => match driver.server_info().await {
                    Ok(details) => Response::ServerInfo(ServerInfo {
                        address: details.address.to_string(),
                        agent: details.agent,
                        protocol_version: Some(details.protocol_version.to_string()),
                    }),
                    Err(error) => self.error(error),
                },
                Err(response) => response,
            },
            Request::CheckMultiDbSupport(r) => match self.driver(&r.driver_id) {
                // Every protocol version the driver speaks (4.4 and up) has
                // databases; what is left to check is that a server answers.
                Ok(driver) => match driver.server_info().await {
                    Ok(details) => Response::MultiDBSupport {
                        id: r.driver_id,
                        available: details.protocol_version.major >= 4,
                    },
                    Err(error) => self.error(error),
                },
                Err(response) => response,
            },
            Request::VerifyAuthentication(r) => match self.driver(&r.driver_id) {
                Ok(driver) => {
                    let token = match r.authorization_token.as_ref().map(driver::auth_token) {
                        None => None,
                        Some(Ok(token)) => Some(token),
                        Some(Err(driver::Unsupported(reason))) => {
                            return Response::backend_error(reason);
                        }
                    };
                    match driver.verify_authentication(token).await {
                        Ok(authenticated) => Response::DriverIsAuthenticated {
                            id: r.driver_id,
                            authenticated,
                        },
                        Err(error) => self.error(error),
                    }
                }
                Err(response) => response,
            },
            Request::CheckSessionAuthSupport(r) => match self.driver(&r.driver_id) {
                Ok(driver) => match driver.supports_session_auth().await {
                    Ok(available) => Response::SessionAuthSupport {
                        id: r.driver_id,
                        available,
                    },
                    Err(error) => self.error(error),
                },
                Err(response) => response,
            },
            Request::CheckDriverIsEncrypted(r) => match self.driver(&r.driver_id) {
                Ok(driver) => Response::DriverIsEncrypted {
                    encrypted: driver.is_encrypted(),
                },
                Err(response) => response,
            },
            Request::ExecuteQuery(request) => match self.driver(&request.driver_id) {
                Ok(driver) => {
                    query::execute(
                        &driver,
                        *request,
                        &self.bookmark_managers,
                        &self.ids,
                        &self.errors,
                    )
                    .await
                }
                Err(response) => response,
            },
            Request::GetRoutingTable(r) => match self.driver(&r.driver_id) {
                Ok(driver) => match driver.routing_table(r.database.as_deref()) {
                    Some(table) => Response::RoutingTable(RoutingTable {
                        database: r.database,
                        ttl: table.ttl.as_secs(),
                        routers: table.routers.iter().map(ToString::to_string).collect(),
                        readers: table.readers.iter().map(ToString::to_string).collect(),
                        writers: table.writers.iter().map(ToString::to_string).collect(),
                    }),
                    // No table held reads as an empty one, as in the
                    // official drivers (a failed discovery leaves none).
                    None => Response::RoutingTable(RoutingTable {
                        database: r.database,
                        ttl: 0,
                        routers: Vec::new(),
                        readers: Vec::new(),
                        writers: Vec::new(),
                    }),
                },
                Err(response) => response,
            },
            Request::ForcedRoutingTableUpdate(r) => match self.driver(&r.driver_id) {
                Ok(driver) => {
                    let bookmarks = Bookmarks::from_iter(r.bookmarks.unwrap_or_default());
                    match driver
                        .refresh_routing_table(r.database.as_deref(), &bookmarks)
                        .await
                    {
                        Ok(_) => Response::Driver { id: r.driver_id },
                        Err(error) => self.error(error),
                    }
                }
                Err(response) => response,
            },
            Request::GetConnectionPoolMetrics(r) => match self.driver(&r.driver_id) {
                Ok(driver) => match r.address.parse::<Address>() {
                    Ok(address) => {
                        let metrics = driver.server_pool_metrics(&address).unwrap_or_default();
                        Response::ConnectionPoolMetrics {
                            in_use: metrics.in_use,
                            idle: metrics.idle,
                        }
                    }
                    Err(error) => Response::backend_error(format!(
                        "`{}` is not a server address: {error}",
                        r.address
                    )),
                },
                Err(response) => response,
            },
            Request::NewAuthTokenManager => self.new_auth_manager(ManagerKind::Custom),
            Request::NewBasicAuthTokenManager => self.new_auth_manager(ManagerKind::Basic),
            Request::NewBearerAuthTokenManager => self.new_auth_manager(ManagerKind::Bearer),
            Request::AuthTokenManagerClose(r) => match self.auth_managers.remove(&r.id) {
                Some(_) => Response::AuthTokenManager { id: r.id },
                None => unknown("auth token manager", &r.id),
            },
            Request::FakeTimeInstall => {
                self.clock.install();
                Response::FakeTimeAck
            }
            Request::FakeTimeTick(r) => match duration_from_millis(r.increment_ms) {
                Ok(by) if self.clock.tick(by) => Response::FakeTimeAck,
                Ok(_) => Response::backend_error("FakeTimeTick without FakeTimeInstall"),
                Err(message) => Response::backend_error(format!("FakeTimeTick: {message}")),
            },
            Request::FakeTimeUninstall => {
                self.clock.uninstall();
                Response::FakeTimeAck
            }
            Request::DriverClose(r) => match self.drivers.remove(&r.driver_id) {
                Some(driver) => {
                    driver.close().await;
                    Response::Driver { id: r.driver_id }
                }
                None => unknown("driver", &r.driver_id),
            },
            Request::NewBookmarkManager(request) => {
                let id = self.ids.next("bm");
                let manager = TestkitBookmarkManager::new(
                    id.clone(),
                    Bookmarks::from_iter(request.initial_bookmarks.unwrap_or_default()),
                    request.bookmarks_supplier_registered,
                    request.bookmarks_consumer_registered,
                    self.callbacks.clone(),
                );
                self.bookmark_managers.insert(id.clone(), Arc::new(manager));
                Response::BookmarkManager { id }
            }
            Request::BookmarkManagerClose(r) => match self.bookmark_managers.remove(&r.id) {
                Some(_) => Response::BookmarkManager { id: r.id },
                None => unknown("bookmark manager", &r.id),
            },
            Request::NewSession(request) => self.new_session(&request),
            // A closed session's task stays: its consumed results keep
            // their summaries for as long as the connection lasts.
            Request::SessionClose(r) => self.session_call(&r.session_id, SessionOp::Close).await,
            Request::SessionRun(run) => {
                let id = run.session_id.clone();
                self.session_call(&id, SessionOp::Run(run)).await
            }
            Request::SessionBeginTransaction(r) => {
                self.session_call(&r.session_id, SessionOp::BeginTransaction(r.settings))
                    .await
            }
            Request::SessionReadTransaction(r) => {
                let op = SessionOp::TransactionFunction {
                    mode: AccessMode::Read,
                    settings: r.settings,
                };
                self.session_call(&r.session_id, op).await
            }
            Request::SessionWriteTransaction(r) => {
                let op = SessionOp::TransactionFunction {
                    mode: AccessMode::Write,
                    settings: r.settings,
                };
                self.session_call(&r.session_id, op).await
            }
            Request::SessionLastBookmarks(r) => {
                self.session_call(&r.session_id, SessionOp::LastBookmarks)
                    .await
            }
            Request::TransactionRun(run) => {
                let tx_id = run.tx_id.clone();
                self.owner_call(&tx_id, SessionOp::TransactionRun(run))
                    .await
            }
            Request::TransactionCommit(r) => {
                let op = SessionOp::TransactionCommit(r.tx_id.clone());
                self.owner_call(&r.tx_id, op).await
            }
            Request::TransactionRollback(r) => {
                let op = SessionOp::TransactionRollback(r.tx_id.clone());
                self.owner_call(&r.tx_id, op).await
            }
            Request::TransactionClose(r) => {
                let op = SessionOp::TransactionClose(r.tx_id.clone());
                self.owner_call(&r.tx_id, op).await
            }
            Request::ResultNext(r) => self.result_call(r.result_id, ResultOp::Next).await,
            Request::ResultPeek(r) => self.result_call(r.result_id, ResultOp::Peek).await,
            Request::ResultSingle(r) => self.result_call(r.result_id, ResultOp::Single).await,
            Request::ResultSingleOptional(r) => {
                self.result_call(r.result_id, ResultOp::SingleOptional)
                    .await
            }
            Request::ResultConsume(r) => self.result_call(r.result_id, ResultOp::Consume).await,
            Request::ResultList(r) => self.result_call(r.result_id, ResultOp::List).await,
            Request::RetryablePositive(r) => {
                self.session_call(&r.session_id, SessionOp::RetryablePositive)
                    .await
            }
            Request::RetryableNegative(r) => {
                let op = SessionOp::RetryableNegative {
                    error_id: r.driver_error_id(),
                };
                self.session_call(&r.session_id, op).await
            }
            Request::CallbackCompleted(completed) => Response::backend_error(format!(
                "`{}` answers callback `{}`, which nothing waits for",
                completed.name, completed.request_id
            )),
            Request::Unsupported { name, reason } => {
                Response::backend_error(format!("{name} is not supported: {reason}"))
            }
        }
    }

    fn error(&self, error: neo_runtime::Error) -> Response {
        driver_error(error, &self.ids, &self.errors)
    }

    fn driver(&self, id: &str) -> Result<Driver, Response> {
        self.drivers
            .get(id)
            .cloned()
            .ok_or_else(|| unknown("driver", id))
    }

    fn new_driver(&mut self, request: &NewDriver) -> Response {
        let auth: Arc<dyn AuthManager> = match (
            &request.authorization_token,
            request.auth_token_manager_id.as_ref().and_then(id_text),
        ) {
            (Some(_), Some(_)) => {
                return Response::backend_error(
                    "NewDriver: authorizationToken and authTokenManagerId are exclusive",
                );
            }
            (Some(token), None) => match driver::auth_token(token) {
                Ok(auth) => Arc::new(StaticAuthManager::new(auth)),
                Err(driver::Unsupported(reason)) => return Response::backend_error(reason),
            },
            (None, Some(id)) => match self.auth_managers.get(&id) {
                Some(manager) => Arc::clone(manager),
                None => return unknown("auth token manager", &id),
            },
            (None, None) => Arc::new(StaticAuthManager::new(neo_runtime::AuthToken::None)),
        };
        let mut config = match driver::config(request) {
            Ok(config) => config,
            Err(driver::Unsupported(reason)) => return Response::backend_error(reason),
        };
        config = config.with_clock(Arc::new(self.clock.clone()));
        if request.resolver_registered {
            config = config.with_resolver(Arc::new(TestkitResolver::new(self.callbacks.clone())));
        }
        if request.domain_name_resolver_registered {
            config = config.with_host_name_resolver(Arc::new(TestkitHostNameResolver::new(
                self.callbacks.clone(),
            )));
        }
        match Driver::with_auth_manager(&request.uri, auth, config) {
            Ok(driver) => {
                let id = self.ids.next("d");
                self.drivers.insert(id.clone(), driver);
                Response::Driver { id }
            }
            Err(error) => self.error(error),
        }
    }

    fn new_session(&mut self, request: &NewSession) -> Response {
        let driver = match self.driver(&request.driver_id) {
            Ok(driver) => driver,
            Err(response) => return response,
        };
        let mode = match request.access_mode.as_str() {
            "r" => AccessMode::Read,
            "w" => AccessMode::Write,
            other => {
                return Response::backend_error(format!(
                    "access mode `{other}` is neither `r` nor `w`"
                ));
            }
        };
        let mut config = SessionConfig::default().with_default_access_mode(mode);
        if let Some(token) = &request.authorization_token {
            match driver::auth_token(token) {
                Ok(token) => config = config.with_auth(token),
                Err(driver::Unsupported(reason)) => return Response::backend_error(reason),
            }
        }
        match driver::notification_filter(
            request.notifications_min_severity.as_deref(),
            request.notifications_disabled_categories.as_deref(),
        ) {
            Ok(Some(filter)) => config = config.with_notification_filter(filter),
            Ok(None) => {}
            Err(driver::Unsupported(reason)) => return Response::backend_error(reason),
        }
        if let Some(bookmarks) = &request.bookmarks {
            config = config.with_bookmarks(Bookmarks::from_iter(bookmarks.iter().cloned()));
        }
        if let Some(database) = &request.database {
            config = config.with_database(database.clone());
        }
        if let Some(fetch_size) = request.fetch_size {
            config = config.with_fetch_size(fetch_size);
        }
        if let Some(user) = &request.impersonated_user {
            config = config.with_impersonated_user(user.clone());
        }
        if let Some(manager_id) = &request.bookmark_manager_id {
            match self.bookmark_managers.get(manager_id) {
                Some(manager) => {
                    config = config.with_bookmark_manager(Arc::clone(manager) as _);
                }
                None => return unknown("bookmark manager", manager_id),
            }
        }
        let id = self.ids.next("s");
        let ctx = SessionContext {
            id: id.clone(),
            ids: Arc::clone(&self.ids),
            routes: Arc::clone(&self.routes),
            errors: Arc::clone(&self.errors),
        };
        let session = match driver.session(config) {
            Ok(session) => session,
            Err(error) => return self.error(error),
        };
        self.sessions
            .insert(id.clone(), SessionHandle::spawn(session, ctx));
        Response::Session { id }
    }

    fn new_auth_manager(&mut self, kind: ManagerKind) -> Response {
        let id = self.ids.next("am");
        let manager = new_manager(kind, id.clone(), self.callbacks.clone(), &self.clock);
        self.auth_managers.insert(id.clone(), manager);
        kind.created(id)
    }

    async fn session_call(&self, session_id: &str, op: SessionOp) -> Response {
        match self.sessions.get(session_id) {
            Some(session) => session.call(op).await,
            None => unknown("session", session_id),
        }
    }

    /// A request on a transaction or result, sent to the session owning it.
    async fn owner_call(&self, object_id: &str, op: SessionOp) -> Response {
        match self.routes.session_of(object_id) {
            Some(session_id) => self.session_call(&session_id, op).await,
            None => unknown("transaction or result", object_id),
        }
    }

    async fn result_call(&self, result_id: String, op: ResultOp) -> Response {
        let route = result_id.clone();
        self.owner_call(&route, SessionOp::Result { id: result_id, op })
            .await
    }
}

/// An id as text, whether testkit sent it as a string or a number.
fn id_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

fn unknown(kind: &str, id: &str) -> Response {
    Response::backend_error(format!("no {kind} with id `{id}`"))
}
