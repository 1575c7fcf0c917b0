//! Tests against a server of the user's (`NEO4J_URI`): a database created
//! for each test and dropped afterwards, or, where the server cannot create
//! databases, one shared database the user names, used by one test at a
//! time and only while it holds nothing else.

use std::fmt;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{Mutex, MutexGuard};

use crate::error::{Error, ErrorKind};
use crate::{AuthToken, Driver, SessionConfig};

/// The longest name Neo4j gives a database.
const MAX_DATABASE_NAME: usize = 63;

/// Taken by each test that uses the shared database, for its whole run.
static SHARED_DATABASE_TURN: Mutex<()> = Mutex::const_new(());

/// The server `NEO4J_URI` points tests at, and how they use it.
///
/// Each test gets a database of its own, created with
/// `CREATE DATABASE <name> WAIT` on the `system` database and dropped
/// with `DROP DATABASE <name> IF EXISTS WAIT` when it ends, so tests run
/// in parallel and nothing of the user's is touched. The name is
/// `test-<test name>-<random>`, lowercase. This needs Neo4j Enterprise
/// Edition (or Aura Professional) and a user allowed to create and drop
/// databases.
///
/// Where databases cannot be created (Neo4j Community Edition, Aura Free),
/// name a database the tests may use with `NEO4J_TEST_DATABASE` (or
/// [`with_shared_database`](TestServer::with_shared_database)). Then:
///
/// - the tests of a process use it one at a time;
/// - a test starts only if the database holds no node: otherwise it fails,
///   and nothing is deleted, so data of the user's is never wiped;
/// - when the test ends, every node and relationship is deleted (what the
///   test and its fixtures created); indexes and constraints are left as
///   they are, so fixtures should create them with `IF NOT EXISTS`.
///
/// ```
/// use neo_runtime::AuthToken;
/// use neo_runtime::testing::TestServer;
///
/// let server = TestServer::new("bolt://localhost:7687", AuthToken::basic("neo4j", "secret"))
///     .with_shared_database("scratch");
/// assert_eq!(server.shared_database(), Some("scratch"));
/// ```
#[derive(Clone)]
pub struct TestServer {
    uri: String,
    auth: AuthToken,
    shared_database: Option<String>,
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer")
            .field("uri", &self.uri)
            .field("auth", &self.auth)
            .field("shared_database", &self.shared_database)
            .finish()
    }
}

impl TestServer {
    /// The server at `uri`, where each test creates a database of its own.
    pub fn new(uri: impl Into<String>, auth: AuthToken) -> Self {
        TestServer {
            uri: uri.into(),
            auth,
            shared_database: None,
        }
    }

    /// The server of `NEO4J_URI`, if set, with the basic credentials of
    /// `NEO4J_USER` (default `neo4j`) and `NEO4J_PASSWORD`, and the shared
    /// database of `NEO4J_TEST_DATABASE` if set. A variable that is set but
    /// empty, or not Unicode, is an error naming it.
    pub fn from_env() -> Result<Option<TestServer>, Error> {
        let Some(uri) = variable("NEO4J_URI")? else {
            return Ok(None);
        };
        let user = variable("NEO4J_USER")?.unwrap_or_else(|| "neo4j".to_owned());
        let password = match std::env::var("NEO4J_PASSWORD") {
            Ok(password) => password,
            Err(std::env::VarError::NotPresent) => String::new(),
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::invalid_config("NEO4J_PASSWORD is not valid Unicode"));
            }
        };
        let mut server = TestServer::new(uri, AuthToken::basic(user, password));
        if let Some(database) = variable("NEO4J_TEST_DATABASE")? {
            server = server.with_shared_database(database);
        }
        Ok(Some(server))
    }

    /// Runs the tests in this database, one at a time, instead of creating
    /// one per test (see above).
    pub fn with_shared_database(mut self, database: impl Into<String>) -> Self {
        self.shared_database = Some(database.into());
        self
    }

    /// The URI.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The credentials.
    pub fn auth(&self) -> &AuthToken {
        &self.auth
    }

    /// The shared database, if one is named.
    pub fn shared_database(&self) -> Option<&str> {
        self.shared_database.as_deref()
    }

    /// The database of the test `test`, ready for it.
    pub(super) async fn open(&self, test: &str) -> Result<ServerDatabase, Error> {
        let admin = Driver::new(&self.uri, self.auth.clone())?;
        let opened = match &self.shared_database {
            Some(shared) => ServerDatabase::take_shared(admin.clone(), shared).await,
            None => ServerDatabase::create(admin.clone(), &database_name(test)).await,
        };
        if opened.is_err() {
            admin.close().await;
        }
        opened
    }
}

/// A variable of the environment: `None` when unset; set but empty or not
/// Unicode is an error.
fn variable(name: &str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Err(Error::invalid_config(format!(
            "{name} is set but empty; unset it or give it a value"
        ))),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::invalid_config(format!(
            "{name} is not valid Unicode"
        ))),
    }
}

/// A test's database on the server.
pub(super) struct ServerDatabase {
    /// A driver naming databases itself (`system`, the test's).
    admin: Driver,
    name: String,
    /// Held while a test uses the shared database.
    shared_turn: Option<MutexGuard<'static, ()>>,
}

impl fmt::Debug for ServerDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerDatabase")
            .field("name", &self.name)
            .field("shared", &self.shared_turn.is_some())
            .finish_non_exhaustive()
    }
}

impl ServerDatabase {
    /// The database's name.
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// Creates the database `name` and waits until it is online.
    async fn create(admin: Driver, name: &str) -> Result<ServerDatabase, Error> {
        // `name` is made of `[a-z0-9-]` only (`database_name`), so it can
        // stand quoted in the command, which takes no parameter for it on
        // every server.
        run_in_system(&admin, &format!("CREATE DATABASE `{name}` WAIT"))
            .await
            .map_err(|error| {
                Error::new(
                    error.kind(),
                    format!(
                        "the server did not create the test's database `{name}`; creating \
                         databases needs Neo4j Enterprise Edition and the CREATE DATABASE \
                         privilege. Unset NEO4J_URI to test against an embedded server, or set \
                         NEO4J_TEST_DATABASE to an empty database the tests may use one at a time"
                    ),
                )
                .with_source(error)
            })?;
        Ok(ServerDatabase {
            admin,
            name: name.to_owned(),
            shared_turn: None,
        })
    }

    /// Waits for the shared database to be free, and takes it if it holds
    /// nothing.
    async fn take_shared(admin: Driver, name: &str) -> Result<ServerDatabase, Error> {
        let turn = SHARED_DATABASE_TURN.lock().await;
        let nodes = count_nodes(&admin, name).await?;
        if nodes > 0 {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "the shared test database `{name}` (NEO4J_TEST_DATABASE) holds {nodes} \
                     node(s): a test runs only in an empty database, so that it never deletes \
                     data it did not create. Empty it yourself, or name another database"
                ),
            ));
        }
        Ok(ServerDatabase {
            admin,
            name: name.to_owned(),
            shared_turn: Some(turn),
        })
    }

    /// Drops a created database; empties the shared one and lets the next
    /// test have it.
    pub(super) async fn close(self) -> Result<(), Error> {
        let closed = match &self.shared_turn {
            None => {
                let drop = format!("DROP DATABASE `{}` IF EXISTS WAIT", self.name);
                run_in_system(&self.admin, &drop).await.map_err(|error| {
                    Error::new(
                        error.kind(),
                        format!(
                            "the test's database `{}` could not be dropped; drop it with \
                             `DROP DATABASE {0}`",
                            self.name
                        ),
                    )
                    .with_source(error)
                })
            }
            Some(_) => empty(&self.admin, &self.name).await,
        };
        self.admin.close().await;
        closed
    }
}

/// Runs an administration command on the `system` database.
async fn run_in_system(admin: &Driver, command: &str) -> Result<(), Error> {
    let mut session = admin.session(SessionConfig::default().with_database("system"))?;
    let ran = match session.run(command).await {
        Ok(result) => result.consume().await.map(|_| ()),
        Err(error) => Err(error),
    };
    session.close().await;
    ran
}

/// The number of nodes in `database`.
async fn count_nodes(admin: &Driver, database: &str) -> Result<i64, Error> {
    let mut session = admin.session(SessionConfig::default().with_database(database))?;
    let counted = match session.run("MATCH (n) RETURN count(n) AS n").await {
        Ok(mut result) => match result.single().await {
            Ok(record) => record.get_as::<i64>("n"),
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    };
    session.close().await;
    counted
}

/// Deletes every node and relationship of `database`.
async fn empty(admin: &Driver, database: &str) -> Result<(), Error> {
    let mut session = admin.session(SessionConfig::default().with_database(database))?;
    let ran = match session.run("MATCH (n) DETACH DELETE n").await {
        Ok(result) => result.consume().await.map(|_| ()),
        Err(error) => Err(error),
    };
    session.close().await;
    ran.map_err(|error| {
        Error::new(
            error.kind(),
            format!(
                "the shared test database `{database}` could not be emptied after the test; \
                 the next test will refuse it until it is"
            ),
        )
        .with_source(error)
    })
}

/// A database name for the test `test`: `test-`, the test's own name in
/// lowercase with every other character a dash, and a random suffix, within
/// Neo4j's limit of 63 characters of `[a-z0-9.-]`, starting with a letter.
fn database_name(test: &str) -> String {
    let own_name = test.rsplit("::").next().unwrap_or(test);
    let mut name = String::from("test-");
    for c in own_name.chars() {
        let c = c.to_ascii_lowercase();
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    let suffix = format!("-{:08x}", random_suffix());
    name.truncate(MAX_DATABASE_NAME - suffix.len());
    let name = name.trim_end_matches('-');
    format!("{name}{suffix}")
}

/// 32 random bits: the process's hasher keys, the process id, the time and
/// a counter, so that tests of concurrent processes differ too.
fn random_suffix() -> u32 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(elapsed) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(elapsed.as_nanos());
    }
    let hash = hasher.finish();
    // Both halves count.
    #[allow(clippy::cast_possible_truncation)]
    let folded = (hash ^ (hash >> 32)) as u32;
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_follow_neo4j_rules() {
        let name = database_name("my_crate::people::Finds_Ann__Twice");
        let (stem, suffix) = name.rsplit_once('-').unwrap();
        assert_eq!(stem, "test-finds-ann-twice");
        assert_eq!(suffix.len(), 8);
        assert!(suffix.chars().all(|c| c.is_ascii_hexdigit()));
        let long = database_name(&"x".repeat(200));
        assert_eq!(long.len(), MAX_DATABASE_NAME);
        assert!(
            long.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        );
        assert_ne!(database_name("t"), database_name("t"), "each name is new");
    }
}
