//! Reading the schema from a running server.

use std::fmt;

use neo_bolt::server_error::{ServerError, StatusCode};
use neo_runtime::uri::ConnectionUri;
use neo_runtime::{
    AccessMode, AuthToken, Driver, ErrorKind, ManagedTransaction, Record, SessionConfig, Value,
};

use crate::error::ExportError;
use crate::exported::ExportedSchema;
use crate::rows::{NodeTypeRow, RelTypeRow, from_rows};

const NODE_PROCEDURE: &str = "db.schema.nodeTypeProperties";
const REL_PROCEDURE: &str = "db.schema.relTypeProperties";

/// Where to read the schema from.
///
/// Its `Debug` output never shows the password.
///
/// ```
/// use neo_schema::ExportOptions;
///
/// let options = ExportOptions::new("bolt://localhost:7687")
///     .with_auth("neo4j", "secret")
///     .with_database("movies");
/// assert_eq!(options.database(), "movies");
/// assert!(!format!("{options:?}").contains("secret"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ExportOptions {
    uri: String,
    user: String,
    password: Option<String>,
    database: String,
}

impl fmt::Debug for ExportOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportOptions")
            .field("uri", &self.uri)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("database", &self.database)
            .finish()
    }
}

impl ExportOptions {
    /// Reads database `neo4j` at `uri` as user `neo4j` without a password.
    pub fn new(uri: impl Into<String>) -> Self {
        ExportOptions {
            uri: uri.into(),
            user: "neo4j".to_owned(),
            password: None,
            database: "neo4j".to_owned(),
        }
    }

    /// Authenticates with a user name and password.
    pub fn with_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.user = user.into();
        self.password = Some(password.into());
        self
    }

    /// Sets the user name, keeping the password.
    pub fn with_user(mut self, user: impl Into<String>) -> Self {
        self.user = user.into();
        self
    }

    /// Sets the password, keeping the user name.
    pub fn with_password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Reads this database instead of `neo4j`.
    pub fn with_database(mut self, database: impl Into<String>) -> Self {
        self.database = database.into();
        self
    }

    /// The server's URI as given.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The database read.
    pub fn database(&self) -> &str {
        &self.database
    }
}

/// Connects to the server and reads its schema with
/// `CALL db.schema.nodeTypeProperties()` and
/// `CALL db.schema.relTypeProperties()`, in one read transaction.
///
/// ```no_run
/// # async fn example() -> Result<(), neo_schema::ExportError> {
/// use neo_schema::{ExportOptions, export};
///
/// let options = ExportOptions::new("bolt://localhost:7687").with_auth("neo4j", "password");
/// let exported = export(&options).await?;
/// std::fs::write("neo-schema.toml", exported.to_toml()).ok();
/// # Ok(())
/// # }
/// ```
pub async fn export(options: &ExportOptions) -> Result<ExportedSchema, ExportError> {
    let uri: ConnectionUri =
        options
            .uri
            .parse()
            .map_err(|e: neo_runtime::Error| ExportError::InvalidUri {
                reason: e.to_string(),
            })?;
    let source = uri.to_string();
    let auth = AuthToken::basic(
        options.user.as_str(),
        options.password.as_deref().unwrap_or_default(),
    );
    let driver = Driver::new(&options.uri, auth).map_err(|e| ExportError::InvalidUri {
        reason: e.to_string(),
    })?;
    let result = read(&driver, options, &source).await;
    driver.close().await;
    let (nodes, relationships) = result?;
    Ok(ExportedSchema::new(
        options.database.as_str(),
        source,
        from_rows(nodes, relationships),
    ))
}

async fn read(
    driver: &Driver,
    options: &ExportOptions,
    source: &str,
) -> Result<(Vec<NodeTypeRow>, Vec<RelTypeRow>), ExportError> {
    driver
        .verify_connectivity()
        .await
        .map_err(|e| connection_error(e, options, source))?;
    let mut session = driver
        .session(
            SessionConfig::default()
                .with_database(options.database.as_str())
                .with_default_access_mode(AccessMode::Read),
        )
        .map_err(|e| connection_error(e, options, source))?;
    let mut running = NODE_PROCEDURE;
    let result = session
        .execute_read(async |tx| {
            running = NODE_PROCEDURE;
            let nodes = rows(tx, NODE_PROCEDURE).await?;
            running = REL_PROCEDURE;
            let relationships = rows(tx, REL_PROCEDURE).await?;
            Ok((nodes, relationships))
        })
        .await;
    session.close().await;
    let (nodes, relationships) = result.map_err(|e| query_error(e, running, options, source))?;
    let nodes = nodes.iter().map(node_row).collect::<Result<_, _>>()?;
    let relationships = relationships
        .iter()
        .map(rel_row)
        .collect::<Result<_, _>>()?;
    Ok((nodes, relationships))
}

async fn rows(
    tx: &mut ManagedTransaction<'_>,
    procedure: &str,
) -> Result<Vec<Record>, neo_runtime::Error> {
    tx.run(format!("CALL {procedure}()")).await?.collect().await
}

/// Sorts a failure to connect into bad address, unreachable or refused
/// credentials.
fn connection_error(error: neo_runtime::Error, options: &ExportOptions, uri: &str) -> ExportError {
    if is_security(&error) {
        return ExportError::Unauthorized {
            user: options.user.clone(),
            uri: uri.to_owned(),
            reason: error
                .server_error()
                .map(|e| e.message().to_owned())
                .unwrap_or_else(|| error.to_string()),
            password_given: options.password.is_some(),
        };
    }
    match error.kind() {
        ErrorKind::InvalidConfiguration => ExportError::InvalidUri {
            reason: error.to_string(),
        },
        _ => ExportError::Unreachable {
            uri: uri.to_owned(),
            reason: error.to_string(),
        },
    }
}

/// Whether the server refused the credentials or the user's rights.
fn is_security(error: &neo_runtime::Error) -> bool {
    error.server_error().is_some_and(ServerError::is_security)
}

fn query_error(
    error: neo_runtime::Error,
    procedure: &'static str,
    options: &ExportOptions,
    uri: &str,
) -> ExportError {
    match error.server_error().and_then(ServerError::status_code) {
        Some(StatusCode::DATABASE_NOT_FOUND) => ExportError::DatabaseNotFound {
            database: options.database.clone(),
            uri: uri.to_owned(),
        },
        _ if is_security(&error) => connection_error(error, options, uri),
        _ if error.kind() == ErrorKind::ServiceUnavailable => ExportError::Unreachable {
            uri: uri.to_owned(),
            reason: error.to_string(),
        },
        _ => ExportError::Query {
            procedure,
            source: error,
        },
    }
}

fn node_row(record: &Record) -> Result<NodeTypeRow, ExportError> {
    let column = Column {
        record,
        procedure: NODE_PROCEDURE,
    };
    Ok(NodeTypeRow {
        labels: column.strings("nodeLabels")?.unwrap_or_default(),
        property: column.string("propertyName")?,
        types: column.strings("propertyTypes")?.unwrap_or_default(),
        mandatory: column.boolean("mandatory")?,
    })
}

fn rel_row(record: &Record) -> Result<RelTypeRow, ExportError> {
    let column = Column {
        record,
        procedure: REL_PROCEDURE,
    };
    let quoted = column.string("relType")?.unwrap_or_default();
    Ok(RelTypeRow {
        rel_type: unquote_type(&quoted),
        property: column.string("propertyName")?,
        types: column.strings("propertyTypes")?.unwrap_or_default(),
        mandatory: column.boolean("mandatory")?,
    })
}

/// `ACTED_IN` of ``:`ACTED_IN` `` (doubled backticks undone); a name
/// without the quotes is taken as it is.
fn unquote_type(quoted: &str) -> String {
    match quoted
        .strip_prefix(":`")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        Some(name) => name.replace("``", "`"),
        None => quoted.strip_prefix(':').unwrap_or(quoted).to_owned(),
    }
}

/// Reads one record's columns, naming the procedure and column when a
/// value has the wrong shape.
struct Column<'r> {
    record: &'r Record,
    procedure: &'static str,
}

impl Column<'_> {
    fn value(&self, column: &'static str) -> Result<Value, ExportError> {
        self.record
            .get(column)
            .map_err(|_| self.unexpected(column, "no such column".to_owned()))
    }

    fn unexpected(&self, column: &'static str, found: String) -> ExportError {
        ExportError::UnexpectedValue {
            procedure: self.procedure,
            column,
            found,
        }
    }

    fn string(&self, column: &'static str) -> Result<Option<String>, ExportError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text)),
            other => Err(self.unexpected(column, format!("{other:?}"))),
        }
    }

    fn strings(&self, column: &'static str) -> Result<Option<Vec<String>>, ExportError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            Value::List(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(text) => Ok(text),
                    other => Err(self.unexpected(column, format!("a list holding {other:?}"))),
                })
                .collect::<Result<_, _>>()
                .map(Some),
            other => Err(self.unexpected(column, format!("{other:?}"))),
        }
    }

    fn boolean(&self, column: &'static str) -> Result<bool, ExportError> {
        match self.value(column)? {
            Value::Null => Ok(false),
            Value::Boolean(value) => Ok(value),
            other => Err(self.unexpected(column, format!("{other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_types_lose_their_quotes() {
        assert_eq!(unquote_type(":`ACTED_IN`"), "ACTED_IN");
        assert_eq!(unquote_type(":`odd``name`"), "odd`name");
        assert_eq!(unquote_type(":`with space`"), "with space");
        assert_eq!(unquote_type("PLAIN"), "PLAIN");
    }
}
