//! A fresh database for each test (feature `testing`): what
//! [`#[neo_runtime::test]`](crate::test) runs on, also usable on its own.
//!
//! A [`TestDatabase`] is an embedded server started in-process for the
//! test alone, or, when `NEO4J_URI` is set, a database created for the test
//! on that server and dropped afterwards (see [`TestServer`] for the rules).
//! Nothing is shared between tests, so `cargo test` runs them in parallel.
//!
//! ```
//! use neo_runtime::testing::TestDatabase;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> neo_runtime::Result<()> {
//! let database = TestDatabase::start("my_crate::counts_people").await?;
//! let mut session = database.session()?;
//! session.run("CREATE (:Person {name: 'Ann'})").await?.consume().await?;
//! let count: i64 = session
//!     .run("MATCH (p:Person) RETURN count(p) AS n")
//!     .await?
//!     .single()
//!     .await?
//!     .get_as("n")?;
//! assert_eq!(count, 1);
//! session.close().await;
//! database.close().await?;
//! # Ok(())
//! # }
//! ```

mod external;
mod run;

use neo_embedded::{EmbeddedServer, ServerConfig};

use crate::error::{Error, ErrorKind};
use crate::{AuthToken, Bookmarks, Driver, DriverConfig, Session, SessionConfig};

pub use external::TestServer;

/// The user the embedded server of a test accepts.
const EMBEDDED_USER: &str = "neo4j";
/// That user's password.
const EMBEDDED_PASSWORD: &str = "password";

/// A database of one test's own, with a driver connected to it.
///
/// Close it with [`close`](TestDatabase::close): that stops the embedded
/// server, or drops the database created on `NEO4J_URI`'s server (a
/// database not closed is left on that server).
#[derive(Debug)]
pub struct TestDatabase {
    driver: Driver,
    place: Place,
    /// The bookmarks of what was written to set the database up.
    bookmarks: Bookmarks,
}

/// Where the database lives.
#[derive(Debug)]
enum Place {
    /// The default database of an embedded server started for the test.
    Embedded(EmbeddedServer),
    /// A database on `NEO4J_URI`'s server.
    Server(external::ServerDatabase),
}

impl TestDatabase {
    /// A database for the test `name` (its module path and name, which
    /// names the database created on a server): on the server of
    /// `NEO4J_URI` when it is set ([`TestServer::from_env`]), otherwise on
    /// an embedded server of its own.
    pub async fn start(name: &str) -> Result<TestDatabase, Error> {
        match TestServer::from_env()? {
            Some(server) => TestDatabase::on_server(&server, name).await,
            None => TestDatabase::embedded().await,
        }
    }

    /// The default database of an embedded server started for this
    /// database alone, on `127.0.0.1` and a free port. It must be called
    /// inside a tokio runtime, which serves the server.
    pub async fn embedded() -> Result<TestDatabase, Error> {
        let server = EmbeddedServer::start(ServerConfig::new()).map_err(|error| {
            Error::new(
                ErrorKind::ServiceUnavailable,
                "the embedded server of the test did not start",
            )
            .with_source(error)
        })?;
        let driver = Driver::new(
            &server.uri(),
            AuthToken::basic(EMBEDDED_USER, EMBEDDED_PASSWORD),
        )?;
        Ok(TestDatabase {
            driver,
            place: Place::Embedded(server),
            bookmarks: Bookmarks::new(),
        })
    }

    /// A database on `server` for the test `name`: created for it, or the
    /// shared database the server names (see [`TestServer`]).
    pub async fn on_server(server: &TestServer, name: &str) -> Result<TestDatabase, Error> {
        let database = server.open(name).await?;
        let config = DriverConfig::default().with_default_database(database.name());
        let driver = match Driver::with_config(server.uri(), server.auth().clone(), config) {
            Ok(driver) => driver,
            Err(error) => {
                database.close().await?;
                return Err(error);
            }
        };
        Ok(TestDatabase {
            driver,
            place: Place::Server(database),
            bookmarks: Bookmarks::new(),
        })
    }

    /// A driver whose sessions (and `execute_query` calls) use this
    /// database when they name none.
    pub fn driver(&self) -> &Driver {
        &self.driver
    }

    /// A new session on this database, which sees what the fixtures wrote.
    pub fn session(&self) -> Result<Session, Error> {
        self.driver
            .session(SessionConfig::default().with_bookmarks(self.bookmarks.clone()))
    }

    /// The name of the database on `NEO4J_URI`'s server; `None` on an
    /// embedded server (its default database).
    pub fn database(&self) -> Option<&str> {
        match &self.place {
            Place::Embedded(_) => None,
            Place::Server(database) => Some(database.name()),
        }
    }

    /// Runs each statement as an auto-commit query, in order; the first
    /// failure stops, naming the statement's place (`source` and line).
    pub(crate) async fn run_statements(
        &mut self,
        source: &str,
        statements: &[(u32, &str)],
    ) -> Result<(), Error> {
        let mut session = self.session()?;
        let mut outcome = Ok(());
        for (line, statement) in statements {
            let ran = match session.run(*statement).await {
                Ok(result) => result.consume().await.map(|_| ()),
                Err(error) => Err(error),
            };
            if let Err(error) = ran {
                outcome = Err(Error::new(
                    error.kind(),
                    format!("the statement at {source}, line {line}, failed"),
                )
                .with_source(error));
                break;
            }
        }
        let bookmarks = session.last_bookmarks().await;
        session.close().await;
        self.driver
            .execute_query_bookmark_manager()
            .update_bookmarks(&Bookmarks::new(), &bookmarks);
        self.bookmarks = self.bookmarks.union(&bookmarks);
        outcome
    }

    /// Closes the driver, then stops the embedded server or drops the
    /// database created on the server (a shared database is emptied).
    pub async fn close(self) -> Result<(), Error> {
        match self.place {
            Place::Embedded(server) => {
                self.driver.close().await;
                server.shutdown().await;
                Ok(())
            }
            Place::Server(database) => {
                self.driver.close().await;
                database.close().await
            }
        }
    }
}
