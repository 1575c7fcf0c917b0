//! Neo4j status codes as typed constants, and what a driver makes of each:
//! its classification, whether a managed transaction retries it, whether
//! routing discovery stops on it, and the kind of failure it reports.
//!
//! These rules are those of the official drivers (Java, Python, ...): every
//! transient error is retried except `Transaction.Terminated` and
//! `Transaction.LockClientStopped` (client errors since Neo4j 5), and so are
//! `Cluster.NotALeader`, `General.ForbiddenOnReadOnlyDatabase` and
//! `Security.AuthorizationExpired`; discovery stops on security errors
//! (except `AuthorizationExpired`, after which the next router is tried),
//! on an unknown database, on bad bookmarks and on invalid requests.

use std::fmt;

/// The class of a Neo4j status code (`Neo.<Classification>.<Category>.<Title>`).
///
/// ```
/// use neo_bolt::server_error::{Classification, StatusCode};
///
/// assert_eq!(StatusCode::DEADLOCK_DETECTED.classification(), Classification::TransientError);
/// assert_eq!(Classification::from_code("not a code"), Classification::Unknown);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Classification {
    /// The request was wrong.
    ClientError,
    /// A temporary condition; the request may succeed if retried.
    TransientError,
    /// A fault in the server.
    DatabaseError,
    /// Anything else.
    Unknown,
}

impl Classification {
    /// The classification named in a Neo4j code.
    ///
    /// ```
    /// use neo_bolt::server_error::Classification;
    ///
    /// assert_eq!(
    ///     Classification::from_code("Neo.ClientError.Statement.SyntaxError"),
    ///     Classification::ClientError,
    /// );
    /// ```
    pub fn from_code(code: &str) -> Self {
        match part(code, 1) {
            "ClientError" => Classification::ClientError,
            "TransientError" => Classification::TransientError,
            "DatabaseError" => Classification::DatabaseError,
            _ => Classification::Unknown,
        }
    }

    /// The classification named by a GQL `_classification`, such as
    /// `CLIENT_ERROR`.
    ///
    /// ```
    /// use neo_bolt::server_error::Classification;
    ///
    /// assert_eq!(Classification::from_gql("TRANSIENT_ERROR"), Classification::TransientError);
    /// ```
    pub fn from_gql(name: &str) -> Self {
        match name {
            "CLIENT_ERROR" => Classification::ClientError,
            "TRANSIENT_ERROR" => Classification::TransientError,
            "DATABASE_ERROR" => Classification::DatabaseError,
            _ => Classification::Unknown,
        }
    }

    /// The GQL name, or `None` for [`Unknown`](Classification::Unknown).
    ///
    /// ```
    /// use neo_bolt::server_error::Classification;
    ///
    /// assert_eq!(Classification::ClientError.gql_name(), Some("CLIENT_ERROR"));
    /// ```
    pub fn gql_name(self) -> Option<&'static str> {
        match self {
            Classification::ClientError => Some("CLIENT_ERROR"),
            Classification::TransientError => Some("TRANSIENT_ERROR"),
            Classification::DatabaseError => Some("DATABASE_ERROR"),
            Classification::Unknown => None,
        }
    }
}

/// What kind of failure a status code reports: the error type the official
/// drivers raise for it (Java's `AuthenticationException`,
/// `FatalDiscoveryException`, ...; Python's `AuthError`, `NotALeader`, ...),
/// and with it what a driver does about it.
///
/// ```
/// use neo_bolt::server_error::{FailureKind, StatusCode};
///
/// assert_eq!(StatusCode::UNAUTHORIZED.kind(), FailureKind::Authentication);
/// assert_eq!(StatusCode::DEADLOCK_DETECTED.kind(), FailureKind::Transient);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// The credentials were refused (`Security.Unauthorized`,
    /// `Security.AuthorizationFailed`). An auth manager may renew them.
    Authentication,
    /// The authorization of the connection expired
    /// (`Security.AuthorizationExpired`): every connection to that server
    /// must authenticate again, and the transaction is retried.
    AuthorizationExpired,
    /// The auth token expired (`Security.TokenExpired`). Retried only if an
    /// auth manager renewed the token.
    TokenExpired,
    /// The request is not allowed: permissions, a read-only database or
    /// index, or a statement of the wrong transaction type
    /// (`Security.Forbidden`, `General.ReadOnly`, ...).
    Forbidden,
    /// Any other security failure (`Neo.ClientError.Security.*`, such as
    /// `CredentialsExpired` or `AuthenticationRateLimit`).
    Security,
    /// The database does not exist (`Database.DatabaseNotFound`): routing
    /// stops, no other server will know it either.
    DatabaseNotFound,
    /// The transaction was terminated (`Transaction.Terminated`, and Neo4j
    /// 4.4's transient code for it). Never retried.
    TransactionTerminated,
    /// The server takes no writes for the database (`Cluster.NotALeader`,
    /// `General.ForbiddenOnReadOnlyDatabase`): routing drops it as a writer
    /// and the transaction is retried on the new leader.
    WriteRefused,
    /// The database is unavailable on that server
    /// (`General.DatabaseUnavailable`): routing forgets the server, and the
    /// transaction is retried.
    DatabaseUnavailable,
    /// The query does not parse (`Statement.SyntaxError`).
    Syntax,
    /// A value has the wrong type (`Statement.TypeError`,
    /// `Procedure.TypeError`).
    Type,
    /// A constraint was violated (`Schema.ConstraintValidationFailed`, ...).
    Constraint,
    /// Any other client error: the request must change to succeed.
    Client,
    /// Any other transient error: the request may succeed if retried.
    Transient,
    /// A database error, or a failure of unknown classification.
    Database,
}

/// A Neo4j status code, `Neo.<Classification>.<Category>.<Title>`.
///
/// The associated constants name every code the toolkit produces or acts
/// on, and every code the official drivers treat specially. Servers send
/// codes as text, so [`ServerError::code`](super::ServerError::code) is a
/// `&str`; it compares equal to a `StatusCode`, and
/// [`from_code`](StatusCode::from_code) finds the constant for a text.
///
/// ```
/// use neo_bolt::server_error::{Classification, FailureKind, ServerError, StatusCode};
///
/// let code = StatusCode::NOT_A_LEADER;
/// assert_eq!(code.code(), "Neo.ClientError.Cluster.NotALeader");
/// assert_eq!(code.classification(), Classification::ClientError);
/// assert_eq!((code.category(), code.title()), ("Cluster", "NotALeader"));
/// assert!(code.is_retryable());
/// assert_eq!(code.kind(), FailureKind::WriteRefused);
/// assert_eq!(StatusCode::from_code("Neo.ClientError.Cluster.NotALeader"), Some(code));
///
/// let err = ServerError::new(StatusCode::NOT_A_LEADER, "no longer the leader");
/// assert_eq!(err.code(), StatusCode::NOT_A_LEADER);
/// assert_eq!(err.status_code(), Some(StatusCode::NOT_A_LEADER));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusCode(&'static str);

/// Declares the constants, [`StatusCode::ALL`] and
/// [`StatusCode::from_code`] from one list, so that they cannot drift
/// apart (a code listed twice is an unreachable pattern, denied below).
macro_rules! status_codes {
    ($($(#[$attr:meta])* $name:ident = $code:literal;)+) => {
        impl StatusCode {
            $($(#[$attr])* pub const $name: StatusCode = StatusCode($code);)+

            /// Every code named by a constant, in declaration order.
            ///
            /// ```
            /// use neo_bolt::server_error::StatusCode;
            ///
            /// assert!(StatusCode::ALL.contains(&StatusCode::SYNTAX_ERROR));
            /// ```
            pub const ALL: &'static [StatusCode] = &[$(StatusCode::$name),+];

            /// The constant for `code`, or `None` for a code not named here
            /// (servers may send others; [`ServerError`](super::ServerError)
            /// classifies those by their text).
            ///
            /// ```
            /// use neo_bolt::server_error::StatusCode;
            ///
            /// assert_eq!(
            ///     StatusCode::from_code("Neo.ClientError.Statement.SyntaxError"),
            ///     Some(StatusCode::SYNTAX_ERROR),
            /// );
            /// assert_eq!(StatusCode::from_code("Neo.ClientError.Statement.Unheard"), None);
            /// ```
            #[deny(unreachable_patterns)]
            pub fn from_code(code: &str) -> Option<StatusCode> {
                match code {
                    $($code => Some(StatusCode::$name),)+
                    _ => None,
                }
            }
        }

        /// The names of the constants, in declaration order.
        #[cfg(test)]
        const CONSTANT_NAMES: &[&str] = &[$(stringify!($name)),+];
    };
}

status_codes! {
    // Cluster and routing.
    /// `Neo.ClientError.Cluster.NotALeader`: a write reached a server that
    /// does not lead the database.
    NOT_A_LEADER = "Neo.ClientError.Cluster.NotALeader";
    /// `Neo.ClientError.General.ForbiddenOnReadOnlyDatabase`: a write reached
    /// a read-only copy of the database.
    FORBIDDEN_ON_READ_ONLY_DATABASE = "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase";
    /// `Neo.TransientError.Transaction.LeaderSwitch`: the leader changed
    /// while the transaction ran.
    LEADER_SWITCH = "Neo.TransientError.Transaction.LeaderSwitch";

    // Databases.
    /// `Neo.ClientError.Database.DatabaseNotFound`: no database or alias has
    /// that name.
    DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound";
    /// `Neo.ClientError.Database.ExistingDatabaseFound`: a database with
    /// that name already exists.
    EXISTING_DATABASE_FOUND = "Neo.ClientError.Database.ExistingDatabaseFound";
    /// `Neo.TransientError.General.DatabaseUnavailable`: the database is not
    /// available on this server right now.
    DATABASE_UNAVAILABLE = "Neo.TransientError.General.DatabaseUnavailable";

    // Security.
    /// `Neo.ClientError.Security.Unauthorized`: the credentials were
    /// refused.
    UNAUTHORIZED = "Neo.ClientError.Security.Unauthorized";
    /// `Neo.ClientError.Security.AuthorizationFailed`: authorization failed
    /// (an older code the drivers treat as [`UNAUTHORIZED`](Self::UNAUTHORIZED)).
    AUTHORIZATION_FAILED = "Neo.ClientError.Security.AuthorizationFailed";
    /// `Neo.ClientError.Security.AuthorizationExpired`: the connection's
    /// authorization expired; authenticating again fixes it.
    AUTHORIZATION_EXPIRED = "Neo.ClientError.Security.AuthorizationExpired";
    /// `Neo.ClientError.Security.TokenExpired`: the auth token expired.
    TOKEN_EXPIRED = "Neo.ClientError.Security.TokenExpired";
    /// `Neo.ClientError.Security.CredentialsExpired`: the password must be
    /// changed before anything else.
    CREDENTIALS_EXPIRED = "Neo.ClientError.Security.CredentialsExpired";
    /// `Neo.ClientError.Security.AuthenticationRateLimit`: too many failed
    /// attempts to authenticate.
    AUTHENTICATION_RATE_LIMIT = "Neo.ClientError.Security.AuthenticationRateLimit";
    /// `Neo.ClientError.Security.Forbidden`: the user may not do this.
    FORBIDDEN = "Neo.ClientError.Security.Forbidden";

    // Requests.
    /// `Neo.ClientError.Request.Invalid`: the request is not valid in the
    /// connection's state or carries invalid fields.
    REQUEST_INVALID = "Neo.ClientError.Request.Invalid";
    /// `Neo.TransientError.Request.NoThreadsAvailable`: the server has no
    /// thread to run the request.
    NO_THREADS_AVAILABLE = "Neo.TransientError.Request.NoThreadsAvailable";

    // Statements.
    /// `Neo.ClientError.Statement.SyntaxError`: the query does not parse.
    SYNTAX_ERROR = "Neo.ClientError.Statement.SyntaxError";
    /// `Neo.ClientError.Statement.InvalidSyntax`: an older code the drivers
    /// treat as [`SYNTAX_ERROR`](Self::SYNTAX_ERROR).
    INVALID_SYNTAX = "Neo.ClientError.Statement.InvalidSyntax";
    /// `Neo.ClientError.Statement.SemanticError`: the query parses but
    /// means nothing valid.
    SEMANTIC_ERROR = "Neo.ClientError.Statement.SemanticError";
    /// `Neo.ClientError.Statement.TypeError`: a value has the wrong type.
    TYPE_ERROR = "Neo.ClientError.Statement.TypeError";
    /// `Neo.ClientError.Statement.InvalidType`: an older code the drivers
    /// treat as [`TYPE_ERROR`](Self::TYPE_ERROR).
    INVALID_TYPE = "Neo.ClientError.Statement.InvalidType";
    /// `Neo.ClientError.Statement.ArgumentError`: a function or procedure
    /// argument is invalid.
    ARGUMENT_ERROR = "Neo.ClientError.Statement.ArgumentError";
    /// `Neo.ClientError.Statement.ArithmeticError`: an arithmetic operation
    /// failed (division by zero, overflow).
    ARITHMETIC_ERROR = "Neo.ClientError.Statement.ArithmeticError";
    /// `Neo.ClientError.Statement.ParameterMissing`: the query uses a
    /// parameter that was not given.
    PARAMETER_MISSING = "Neo.ClientError.Statement.ParameterMissing";
    /// `Neo.ClientError.Statement.EntityNotFound`: a node or relationship
    /// the query refers to does not exist.
    ENTITY_NOT_FOUND = "Neo.ClientError.Statement.EntityNotFound";
    /// `Neo.ClientError.Statement.AccessMode`: a write in a read
    /// transaction, or the reverse.
    ACCESS_MODE = "Neo.ClientError.Statement.AccessMode";
    /// `Neo.ClientError.Statement.UnsupportedAdministrationCommand`: the
    /// administration command is not supported here.
    UNSUPPORTED_ADMINISTRATION_COMMAND = "Neo.ClientError.Statement.UnsupportedAdministrationCommand";
    /// `Neo.ClientError.Statement.ConstraintVerificationFailed`: a
    /// constraint does not hold for existing data.
    CONSTRAINT_VERIFICATION_FAILED = "Neo.ClientError.Statement.ConstraintVerificationFailed";
    /// `Neo.ClientError.Statement.ConstraintViolation`: an older code for a
    /// violated constraint.
    STATEMENT_CONSTRAINT_VIOLATION = "Neo.ClientError.Statement.ConstraintViolation";
    /// `Neo.DatabaseError.Statement.ExecutionFailed`: the query failed in
    /// the server.
    EXECUTION_FAILED = "Neo.DatabaseError.Statement.ExecutionFailed";
    /// `Neo.TransientError.Statement.ExecutionTimeout`: the query ran out
    /// of time.
    EXECUTION_TIMEOUT = "Neo.TransientError.Statement.ExecutionTimeout";

    // Procedures.
    /// `Neo.ClientError.Procedure.ProcedureNotFound`: no procedure has that
    /// name.
    PROCEDURE_NOT_FOUND = "Neo.ClientError.Procedure.ProcedureNotFound";
    /// `Neo.ClientError.Procedure.ProcedureTimedOut`: the procedure ran out
    /// of time.
    PROCEDURE_TIMED_OUT = "Neo.ClientError.Procedure.ProcedureTimedOut";
    /// `Neo.ClientError.Procedure.TypeError`: a procedure argument has the
    /// wrong type.
    PROCEDURE_TYPE_ERROR = "Neo.ClientError.Procedure.TypeError";

    // Schema.
    /// `Neo.ClientError.Schema.ConstraintValidationFailed`: the change would
    /// violate a constraint.
    CONSTRAINT_VALIDATION_FAILED = "Neo.ClientError.Schema.ConstraintValidationFailed";
    /// `Neo.ClientError.Schema.ConstraintViolation`: a constraint was
    /// violated.
    SCHEMA_CONSTRAINT_VIOLATION = "Neo.ClientError.Schema.ConstraintViolation";
    /// `Neo.ClientError.Schema.IndexNotFound`: no index has that name.
    INDEX_NOT_FOUND = "Neo.ClientError.Schema.IndexNotFound";
    /// `Neo.ClientError.Schema.ForbiddenOnConstraintIndex`: the index backs
    /// a constraint and cannot be changed alone.
    FORBIDDEN_ON_CONSTRAINT_INDEX = "Neo.ClientError.Schema.ForbiddenOnConstraintIndex";
    /// `Neo.ClientError.Schema.IndexBelongsToConstraint`: an older code for
    /// [`FORBIDDEN_ON_CONSTRAINT_INDEX`](Self::FORBIDDEN_ON_CONSTRAINT_INDEX).
    INDEX_BELONGS_TO_CONSTRAINT = "Neo.ClientError.Schema.IndexBelongsToConstraint";
    /// `Neo.ClientError.General.ReadOnly`: an older code for a write to a
    /// read-only database.
    READ_ONLY = "Neo.ClientError.General.ReadOnly";

    // Transactions.
    /// `Neo.ClientError.Transaction.Terminated`: the transaction was
    /// terminated (by an administrator, a timeout or a shutdown).
    TERMINATED = "Neo.ClientError.Transaction.Terminated";
    /// `Neo.TransientError.Transaction.Terminated`: Neo4j 4.4's code for
    /// [`TERMINATED`](Self::TERMINATED); FAILURE metadata carrying it is read
    /// as `TERMINATED`.
    LEGACY_TERMINATED = "Neo.TransientError.Transaction.Terminated";
    /// `Neo.ClientError.Transaction.LockClientStopped`: the transaction was
    /// stopped while it waited for a lock.
    LOCK_CLIENT_STOPPED = "Neo.ClientError.Transaction.LockClientStopped";
    /// `Neo.TransientError.Transaction.LockClientStopped`: Neo4j 4.4's code
    /// for [`LOCK_CLIENT_STOPPED`](Self::LOCK_CLIENT_STOPPED); FAILURE
    /// metadata carrying it is read as `LOCK_CLIENT_STOPPED`.
    LEGACY_LOCK_CLIENT_STOPPED = "Neo.TransientError.Transaction.LockClientStopped";
    /// `Neo.ClientError.Transaction.TransactionTimedOut`: the transaction
    /// ran longer than the server allows.
    TRANSACTION_TIMED_OUT = "Neo.ClientError.Transaction.TransactionTimedOut";
    /// `Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration`:
    /// the transaction ran longer than the timeout the client set.
    TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION =
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration";
    /// `Neo.ClientError.Transaction.TransactionMarkedAsFailed`: an earlier
    /// statement failed, so the transaction can only roll back.
    TRANSACTION_MARKED_AS_FAILED = "Neo.ClientError.Transaction.TransactionMarkedAsFailed";
    /// `Neo.ClientError.Transaction.TransactionNotFound`: no open
    /// transaction has that id.
    TRANSACTION_NOT_FOUND = "Neo.ClientError.Transaction.TransactionNotFound";
    /// `Neo.ClientError.Transaction.ForbiddenDueToTransactionType`: schema
    /// and data changes were mixed in one transaction.
    FORBIDDEN_DUE_TO_TRANSACTION_TYPE = "Neo.ClientError.Transaction.ForbiddenDueToTransactionType";
    /// `Neo.ClientError.Transaction.InvalidBookmark`: a bookmark is not
    /// valid.
    INVALID_BOOKMARK = "Neo.ClientError.Transaction.InvalidBookmark";
    /// `Neo.ClientError.Transaction.InvalidBookmarkMixture`: the bookmarks
    /// are of more than one database.
    INVALID_BOOKMARK_MIXTURE = "Neo.ClientError.Transaction.InvalidBookmarkMixture";
    /// `Neo.TransientError.Transaction.BookmarkTimeout`: the server did not
    /// catch up with the bookmarks in time.
    BOOKMARK_TIMEOUT = "Neo.TransientError.Transaction.BookmarkTimeout";
    /// `Neo.TransientError.Transaction.DeadlockDetected`: the transaction
    /// was chosen to break a deadlock.
    DEADLOCK_DETECTED = "Neo.TransientError.Transaction.DeadlockDetected";
    /// `Neo.TransientError.Transaction.LockAcquisitionTimeout`: a lock was
    /// not acquired in time.
    LOCK_ACQUISITION_TIMEOUT = "Neo.TransientError.Transaction.LockAcquisitionTimeout";
    /// `Neo.TransientError.Transaction.LeaseExpired`: the cluster lease
    /// expired while the transaction ran.
    LEASE_EXPIRED = "Neo.TransientError.Transaction.LeaseExpired";
    /// `Neo.TransientError.Transaction.Outdated`: the transaction saw
    /// outdated data and cannot commit.
    OUTDATED = "Neo.TransientError.Transaction.Outdated";
    /// `Neo.TransientError.Transaction.MaximumTransactionLimitReached`: the
    /// server runs as many transactions as it allows.
    MAXIMUM_TRANSACTION_LIMIT_REACHED = "Neo.TransientError.Transaction.MaximumTransactionLimitReached";

    // Statements, schema commands and procedures, as a Cypher engine reports them.
    /// `Neo.ClientError.Statement.NotSupported`: the statement is valid
    /// Cypher that the engine does not run.
    NOT_SUPPORTED = "Neo.ClientError.Statement.NotSupported";
    /// `Neo.ClientError.Schema.ConstraintCreationFailed`: creating a
    /// constraint failed because the data breaks it.
    CONSTRAINT_CREATION_FAILED = "Neo.ClientError.Schema.ConstraintCreationFailed";
    /// `Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists`: an
    /// equivalent index already exists.
    EQUIVALENT_SCHEMA_RULE_ALREADY_EXISTS = "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists";
    /// `Neo.ClientError.Schema.IndexWithNameAlreadyExists`: an index or
    /// constraint with that name already exists.
    INDEX_WITH_NAME_ALREADY_EXISTS = "Neo.ClientError.Schema.IndexWithNameAlreadyExists";
    /// `Neo.ClientError.Schema.ConstraintWithNameAlreadyExists`: a
    /// constraint with that name already exists.
    CONSTRAINT_WITH_NAME_ALREADY_EXISTS = "Neo.ClientError.Schema.ConstraintWithNameAlreadyExists";
    /// `Neo.ClientError.Schema.IndexAlreadyExists`: an index for the
    /// same schema already exists.
    INDEX_ALREADY_EXISTS = "Neo.ClientError.Schema.IndexAlreadyExists";
    /// `Neo.ClientError.Schema.ConstraintAlreadyExists`: a constraint
    /// for the same schema already exists.
    CONSTRAINT_ALREADY_EXISTS = "Neo.ClientError.Schema.ConstraintAlreadyExists";
    /// `Neo.ClientError.Schema.ConstraintDropFailed`: the statement
    /// drops a constraint that does not exist.
    CONSTRAINT_DROP_FAILED = "Neo.ClientError.Schema.ConstraintDropFailed";
    /// `Neo.ClientError.Schema.IndexDropFailed`: the statement drops an
    /// index that does not exist.
    INDEX_DROP_FAILED = "Neo.ClientError.Schema.IndexDropFailed";
    /// `Neo.ClientError.Procedure.ProcedureCallFailed`: a procedure was
    /// called with the wrong arguments.
    PROCEDURE_CALL_FAILED = "Neo.ClientError.Procedure.ProcedureCallFailed";
    /// `Neo.DatabaseError.Transaction.TransactionStartFailed`: `CALL {
    /// } IN TRANSACTIONS` in an explicit transaction: it needs an
    /// implicit (auto-commit) one.
    TRANSACTION_START_FAILED = "Neo.DatabaseError.Transaction.TransactionStartFailed";
    /// `Neo.ClientError.Statement.ExternalResourceFailed`: `LOAD CSV`
    /// could not read its source.
    EXTERNAL_RESOURCE_FAILED = "Neo.ClientError.Statement.ExternalResourceFailed";

    // General.
    /// `Neo.TransientError.General.MemoryPoolOutOfMemoryError`: a memory
    /// pool limit was reached.
    MEMORY_POOL_OUT_OF_MEMORY_ERROR = "Neo.TransientError.General.MemoryPoolOutOfMemoryError";
    /// `Neo.DatabaseError.General.UnknownError`: an unexpected failure; also
    /// the code of a FAILURE that carries none.
    UNKNOWN_ERROR = "Neo.DatabaseError.General.UnknownError";
}

impl StatusCode {
    /// The code's text, such as `Neo.ClientError.Statement.SyntaxError`.
    ///
    /// ```
    /// use neo_bolt::server_error::StatusCode;
    ///
    /// assert_eq!(StatusCode::SYNTAX_ERROR.code(), "Neo.ClientError.Statement.SyntaxError");
    /// ```
    pub const fn code(self) -> &'static str {
        self.0
    }

    /// The classification part of the code.
    ///
    /// ```
    /// use neo_bolt::server_error::{Classification, StatusCode};
    ///
    /// assert_eq!(StatusCode::UNKNOWN_ERROR.classification(), Classification::DatabaseError);
    /// ```
    pub fn classification(self) -> Classification {
        Classification::from_code(self.0)
    }

    /// The category part of the code (`Statement` in
    /// `Neo.ClientError.Statement.SyntaxError`).
    ///
    /// ```
    /// use neo_bolt::server_error::StatusCode;
    ///
    /// assert_eq!(StatusCode::SYNTAX_ERROR.category(), "Statement");
    /// ```
    pub fn category(self) -> &'static str {
        part(self.0, 2)
    }

    /// The title part of the code (`SyntaxError` in
    /// `Neo.ClientError.Statement.SyntaxError`).
    ///
    /// ```
    /// use neo_bolt::server_error::StatusCode;
    ///
    /// assert_eq!(StatusCode::SYNTAX_ERROR.title(), "SyntaxError");
    /// ```
    pub fn title(self) -> &'static str {
        part(self.0, 3)
    }

    /// Whether a managed transaction retries after this code; see
    /// [`ServerError::is_retryable`](super::ServerError::is_retryable).
    ///
    /// ```
    /// use neo_bolt::server_error::StatusCode;
    ///
    /// assert!(StatusCode::AUTHORIZATION_EXPIRED.is_retryable());
    /// assert!(!StatusCode::LEGACY_TERMINATED.is_retryable());
    /// ```
    pub fn is_retryable(self) -> bool {
        is_retryable(self.0, self.classification())
    }

    /// Whether routing discovery stops on this code; see
    /// [`ServerError::is_fatal_during_discovery`](super::ServerError::is_fatal_during_discovery).
    ///
    /// ```
    /// use neo_bolt::server_error::StatusCode;
    ///
    /// assert!(StatusCode::UNAUTHORIZED.is_fatal_during_discovery());
    /// assert!(!StatusCode::AUTHORIZATION_EXPIRED.is_fatal_during_discovery());
    /// ```
    pub fn is_fatal_during_discovery(self) -> bool {
        is_fatal_during_discovery(self.0)
    }

    /// Whether this is a security code (`Neo.ClientError.Security.*`).
    ///
    /// ```
    /// use neo_bolt::server_error::StatusCode;
    ///
    /// assert!(StatusCode::TOKEN_EXPIRED.is_security());
    /// ```
    pub fn is_security(self) -> bool {
        is_security(self.0)
    }

    /// The kind of failure this code reports.
    ///
    /// ```
    /// use neo_bolt::server_error::{FailureKind, StatusCode};
    ///
    /// assert_eq!(StatusCode::DATABASE_NOT_FOUND.kind(), FailureKind::DatabaseNotFound);
    /// ```
    pub fn kind(self) -> FailureKind {
        kind(self.0, self.classification())
    }
}

impl fmt::Debug for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StatusCode").field(&self.0).finish()
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl AsRef<str> for StatusCode {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl From<StatusCode> for String {
    fn from(code: StatusCode) -> String {
        code.0.to_owned()
    }
}

impl PartialEq<str> for StatusCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for StatusCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<StatusCode> for str {
    fn eq(&self, other: &StatusCode) -> bool {
        self == other.0
    }
}

impl PartialEq<StatusCode> for &str {
    fn eq(&self, other: &StatusCode) -> bool {
        *self == other.0
    }
}

/// The `index`th dot-separated part of `code`, or `""`.
pub(super) fn part(code: &str, index: usize) -> &str {
    code.split('.').nth(index).unwrap_or_default()
}

/// Whether `code` is a security code (`Neo.ClientError.Security.*`).
pub(super) fn is_security(code: &str) -> bool {
    let mut parts = code.splitn(4, '.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("Neo"), Some("ClientError"), Some("Security"), Some(_))
    )
}

/// Whether a managed transaction retries after a failure with `code` of
/// `classification`: every transient error except Neo4j 4.4's
/// `Terminated` and `LockClientStopped`, plus the codes that say another
/// server or a fresh authentication would succeed.
pub(super) fn is_retryable(code: &str, classification: Classification) -> bool {
    match StatusCode::from_code(code) {
        Some(StatusCode::LEGACY_TERMINATED | StatusCode::LEGACY_LOCK_CLIENT_STOPPED) => false,
        Some(
            StatusCode::NOT_A_LEADER
            | StatusCode::FORBIDDEN_ON_READ_ONLY_DATABASE
            | StatusCode::AUTHORIZATION_EXPIRED,
        ) => true,
        _ => classification == Classification::TransientError,
    }
}

/// Whether routing discovery reports a failure with `code` instead of
/// asking the next router: the request itself is wrong, so every router
/// would refuse it. `AuthorizationExpired` is the one security code after
/// which discovery goes on (the next router authenticates afresh), as in
/// the official drivers.
pub(super) fn is_fatal_during_discovery(code: &str) -> bool {
    match StatusCode::from_code(code) {
        Some(
            StatusCode::DATABASE_NOT_FOUND
            | StatusCode::INVALID_BOOKMARK
            | StatusCode::INVALID_BOOKMARK_MIXTURE
            | StatusCode::TYPE_ERROR
            | StatusCode::ARGUMENT_ERROR
            | StatusCode::REQUEST_INVALID,
        ) => true,
        Some(StatusCode::AUTHORIZATION_EXPIRED) => false,
        _ => is_security(code),
    }
}

/// The kind of failure `code` of `classification` reports.
pub(super) fn kind(code: &str, classification: Classification) -> FailureKind {
    match StatusCode::from_code(code) {
        Some(StatusCode::UNAUTHORIZED | StatusCode::AUTHORIZATION_FAILED) => {
            FailureKind::Authentication
        }
        Some(StatusCode::AUTHORIZATION_EXPIRED) => FailureKind::AuthorizationExpired,
        Some(StatusCode::TOKEN_EXPIRED) => FailureKind::TokenExpired,
        Some(
            StatusCode::FORBIDDEN
            | StatusCode::READ_ONLY
            | StatusCode::FORBIDDEN_ON_CONSTRAINT_INDEX
            | StatusCode::INDEX_BELONGS_TO_CONSTRAINT
            | StatusCode::FORBIDDEN_DUE_TO_TRANSACTION_TYPE,
        ) => FailureKind::Forbidden,
        Some(StatusCode::DATABASE_NOT_FOUND) => FailureKind::DatabaseNotFound,
        Some(StatusCode::TERMINATED | StatusCode::LEGACY_TERMINATED) => {
            FailureKind::TransactionTerminated
        }
        Some(StatusCode::NOT_A_LEADER | StatusCode::FORBIDDEN_ON_READ_ONLY_DATABASE) => {
            FailureKind::WriteRefused
        }
        Some(StatusCode::DATABASE_UNAVAILABLE) => FailureKind::DatabaseUnavailable,
        Some(StatusCode::SYNTAX_ERROR | StatusCode::INVALID_SYNTAX) => FailureKind::Syntax,
        Some(
            StatusCode::TYPE_ERROR | StatusCode::INVALID_TYPE | StatusCode::PROCEDURE_TYPE_ERROR,
        ) => FailureKind::Type,
        Some(
            StatusCode::CONSTRAINT_VALIDATION_FAILED
            | StatusCode::SCHEMA_CONSTRAINT_VIOLATION
            | StatusCode::CONSTRAINT_VERIFICATION_FAILED
            | StatusCode::STATEMENT_CONSTRAINT_VIOLATION,
        ) => FailureKind::Constraint,
        Some(StatusCode::LEGACY_LOCK_CLIENT_STOPPED) => FailureKind::Client,
        _ if is_security(code) => FailureKind::Security,
        _ => match classification {
            Classification::ClientError => FailureKind::Client,
            Classification::TransientError => FailureKind::Transient,
            Classification::DatabaseError | Classification::Unknown => FailureKind::Database,
        },
    }
}

/// The code Neo4j 5 uses for a code Neo4j 4.4 reported differently
/// (`Terminated` and `LockClientStopped` were transient errors), as the
/// official drivers rewrite it.
pub(super) fn current_code(code: &str) -> Option<StatusCode> {
    match StatusCode::from_code(code) {
        Some(StatusCode::LEGACY_TERMINATED) => Some(StatusCode::TERMINATED),
        Some(StatusCode::LEGACY_LOCK_CLIENT_STOPPED) => Some(StatusCode::LOCK_CLIENT_STOPPED),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constant_parses_back_to_itself() {
        for &code in StatusCode::ALL {
            assert_eq!(StatusCode::from_code(code.code()), Some(code), "{code}");
            assert_eq!(code.to_string(), code.code());
        }
    }

    #[test]
    fn every_constant_is_a_well_formed_neo4j_error_code() {
        for &code in StatusCode::ALL {
            let parts: Vec<&str> = code.code().split('.').collect();
            assert_eq!(parts.len(), 4, "{code}");
            assert_eq!(parts[0], "Neo", "{code}");
            assert_ne!(code.classification(), Classification::Unknown, "{code}");
            assert_eq!(code.category(), parts[2]);
            assert_eq!(code.title(), parts[3]);
            assert!(
                parts[2..]
                    .iter()
                    .all(|p| p.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                        && p.chars().all(|c| c.is_ascii_alphanumeric())),
                "{code}"
            );
        }
    }

    #[test]
    fn constants_are_named_after_their_titles() {
        // The title in SCREAMING_SNAKE_CASE, with the category as a prefix
        // where two categories share a title (`PROCEDURE_TYPE_ERROR`), or
        // `LEGACY_` for Neo4j 4.4's codes.
        assert_eq!(CONSTANT_NAMES.len(), StatusCode::ALL.len());
        for (name, code) in CONSTANT_NAMES.iter().zip(StatusCode::ALL) {
            let snake = screaming_snake(code.title());
            let prefix = name
                .strip_suffix(snake.as_str())
                .unwrap_or_else(|| panic!("{name} is not named after {code}"));
            let allowed = [
                "".to_owned(),
                "LEGACY_".to_owned(),
                format!("{}_", code.category().to_ascii_uppercase()),
            ];
            assert!(allowed.iter().any(|a| a == prefix), "{name} for {code}");
        }
        assert_eq!(screaming_snake("NotALeader"), "NOT_A_LEADER");
    }

    fn screaming_snake(title: &str) -> String {
        let chars: Vec<char> = title.chars().collect();
        let mut snake = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let previous = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = c.is_ascii_uppercase()
                && (previous.is_some_and(|p| p.is_ascii_lowercase())
                    || (previous.is_some_and(|p| p.is_ascii_uppercase())
                        && next.is_some_and(|n| n.is_ascii_lowercase())));
            if boundary {
                snake.push('_');
            }
            snake.push(c.to_ascii_uppercase());
        }
        snake
    }

    #[test]
    fn codes_compare_with_their_text_both_ways() {
        let text = "Neo.ClientError.Statement.SyntaxError";
        assert_eq!(StatusCode::SYNTAX_ERROR, text);
        assert_eq!(text, StatusCode::SYNTAX_ERROR);
        assert_eq!(*text, StatusCode::SYNTAX_ERROR);
        assert_ne!(StatusCode::TYPE_ERROR, text);
        assert_eq!(String::from(StatusCode::SYNTAX_ERROR), text);
        assert_eq!(
            format!("{:?}", StatusCode::SYNTAX_ERROR),
            format!("StatusCode({text:?})")
        );
    }

    #[test]
    fn unknown_texts_are_not_codes() {
        assert_eq!(StatusCode::from_code(""), None);
        assert_eq!(StatusCode::from_code("Neo.ClientError.Statement"), None);
        assert_eq!(
            StatusCode::from_code("neo.clienterror.statement.syntaxerror"),
            None
        );
    }

    #[test]
    fn the_retryable_codes_are_the_transient_ones_and_three_client_ones() {
        let retryable: Vec<StatusCode> = StatusCode::ALL
            .iter()
            .copied()
            .filter(|code| code.is_retryable())
            .collect();
        let expected = [
            StatusCode::NOT_A_LEADER,
            StatusCode::FORBIDDEN_ON_READ_ONLY_DATABASE,
            StatusCode::LEADER_SWITCH,
            StatusCode::DATABASE_UNAVAILABLE,
            StatusCode::AUTHORIZATION_EXPIRED,
            StatusCode::NO_THREADS_AVAILABLE,
            StatusCode::EXECUTION_TIMEOUT,
            StatusCode::BOOKMARK_TIMEOUT,
            StatusCode::DEADLOCK_DETECTED,
            StatusCode::LOCK_ACQUISITION_TIMEOUT,
            StatusCode::LEASE_EXPIRED,
            StatusCode::OUTDATED,
            StatusCode::MAXIMUM_TRANSACTION_LIMIT_REACHED,
            StatusCode::MEMORY_POOL_OUT_OF_MEMORY_ERROR,
        ];
        assert_eq!(retryable, expected);
        // Transient, but not retried.
        assert_eq!(
            StatusCode::LEGACY_TERMINATED.classification(),
            Classification::TransientError
        );
        for code in [
            StatusCode::LEGACY_TERMINATED,
            StatusCode::LEGACY_LOCK_CLIENT_STOPPED,
            StatusCode::TERMINATED,
            StatusCode::LOCK_CLIENT_STOPPED,
            StatusCode::TOKEN_EXPIRED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION,
            StatusCode::UNKNOWN_ERROR,
        ] {
            assert!(!code.is_retryable(), "{code}");
        }
    }

    #[test]
    fn discovery_stops_on_security_codes_but_authorization_expired() {
        let fatal: Vec<StatusCode> = StatusCode::ALL
            .iter()
            .copied()
            .filter(|code| code.is_fatal_during_discovery())
            .collect();
        assert_eq!(
            fatal,
            [
                StatusCode::DATABASE_NOT_FOUND,
                StatusCode::UNAUTHORIZED,
                StatusCode::AUTHORIZATION_FAILED,
                StatusCode::TOKEN_EXPIRED,
                StatusCode::CREDENTIALS_EXPIRED,
                StatusCode::AUTHENTICATION_RATE_LIMIT,
                StatusCode::FORBIDDEN,
                StatusCode::REQUEST_INVALID,
                StatusCode::TYPE_ERROR,
                StatusCode::ARGUMENT_ERROR,
                StatusCode::INVALID_BOOKMARK,
                StatusCode::INVALID_BOOKMARK_MIXTURE,
            ]
        );
        assert!(StatusCode::AUTHORIZATION_EXPIRED.is_security());
        assert!(!StatusCode::AUTHORIZATION_EXPIRED.is_fatal_during_discovery());
        // Security codes not named here stop discovery too.
        assert!(is_fatal_during_discovery(
            "Neo.ClientError.Security.AuthProviderFailed"
        ));
    }

    #[test]
    fn security_means_the_client_error_security_category() {
        let security: Vec<StatusCode> = StatusCode::ALL
            .iter()
            .copied()
            .filter(|code| code.is_security())
            .collect();
        assert_eq!(
            security,
            [
                StatusCode::UNAUTHORIZED,
                StatusCode::AUTHORIZATION_FAILED,
                StatusCode::AUTHORIZATION_EXPIRED,
                StatusCode::TOKEN_EXPIRED,
                StatusCode::CREDENTIALS_EXPIRED,
                StatusCode::AUTHENTICATION_RATE_LIMIT,
                StatusCode::FORBIDDEN,
            ]
        );
        assert!(!is_security(
            "Neo.TransientError.Security.AuthProviderTimeout"
        ));
        assert!(!is_security("Neo.ClientError.Securityish.X"));
        assert!(!is_security("Neo.ClientError.Security"));
        assert!(!is_security("X.ClientError.Security.Forbidden"));
    }

    #[test]
    fn each_code_has_the_kind_the_drivers_give_it() {
        use FailureKind as K;
        let cases = [
            (StatusCode::UNAUTHORIZED, K::Authentication),
            (StatusCode::AUTHORIZATION_FAILED, K::Authentication),
            (StatusCode::AUTHORIZATION_EXPIRED, K::AuthorizationExpired),
            (StatusCode::TOKEN_EXPIRED, K::TokenExpired),
            (StatusCode::CREDENTIALS_EXPIRED, K::Security),
            (StatusCode::AUTHENTICATION_RATE_LIMIT, K::Security),
            (StatusCode::FORBIDDEN, K::Forbidden),
            (StatusCode::READ_ONLY, K::Forbidden),
            (StatusCode::FORBIDDEN_ON_CONSTRAINT_INDEX, K::Forbidden),
            (StatusCode::INDEX_BELONGS_TO_CONSTRAINT, K::Forbidden),
            (StatusCode::FORBIDDEN_DUE_TO_TRANSACTION_TYPE, K::Forbidden),
            (StatusCode::DATABASE_NOT_FOUND, K::DatabaseNotFound),
            (StatusCode::TERMINATED, K::TransactionTerminated),
            (StatusCode::LEGACY_TERMINATED, K::TransactionTerminated),
            (StatusCode::LOCK_CLIENT_STOPPED, K::Client),
            (StatusCode::LEGACY_LOCK_CLIENT_STOPPED, K::Client),
            (StatusCode::NOT_A_LEADER, K::WriteRefused),
            (StatusCode::FORBIDDEN_ON_READ_ONLY_DATABASE, K::WriteRefused),
            (StatusCode::DATABASE_UNAVAILABLE, K::DatabaseUnavailable),
            (StatusCode::SYNTAX_ERROR, K::Syntax),
            (StatusCode::INVALID_SYNTAX, K::Syntax),
            (StatusCode::TYPE_ERROR, K::Type),
            (StatusCode::INVALID_TYPE, K::Type),
            (StatusCode::PROCEDURE_TYPE_ERROR, K::Type),
            (StatusCode::CONSTRAINT_VALIDATION_FAILED, K::Constraint),
            (StatusCode::SCHEMA_CONSTRAINT_VIOLATION, K::Constraint),
            (StatusCode::CONSTRAINT_VERIFICATION_FAILED, K::Constraint),
            (StatusCode::STATEMENT_CONSTRAINT_VIOLATION, K::Constraint),
            (StatusCode::SEMANTIC_ERROR, K::Client),
            (StatusCode::TRANSACTION_TIMED_OUT, K::Client),
            (StatusCode::DEADLOCK_DETECTED, K::Transient),
            (StatusCode::LEADER_SWITCH, K::Transient),
            (StatusCode::EXECUTION_FAILED, K::Database),
            (StatusCode::UNKNOWN_ERROR, K::Database),
        ];
        for (code, expected) in cases {
            assert_eq!(code.kind(), expected, "{code}");
        }
        // Codes not named here get the kind of their text.
        let unnamed = [
            ("Neo.ClientError.Security.AuthProviderFailed", K::Security),
            ("Neo.ClientError.Schema.IndexAlreadyExists", K::Client),
            ("Neo.TransientError.General.OutOfMemoryError", K::Transient),
            ("Neo.DatabaseError.Schema.IndexCreationFailed", K::Database),
            ("gibberish", K::Database),
        ];
        for (code, expected) in unnamed {
            let classification = Classification::from_code(code);
            assert_eq!(kind(code, classification), expected, "{code}");
        }
    }

    #[test]
    fn neo4j_4_4_codes_read_as_the_current_ones() {
        assert_eq!(
            current_code(StatusCode::LEGACY_TERMINATED.code()),
            Some(StatusCode::TERMINATED)
        );
        assert_eq!(
            current_code(StatusCode::LEGACY_LOCK_CLIENT_STOPPED.code()),
            Some(StatusCode::LOCK_CLIENT_STOPPED)
        );
        for &code in StatusCode::ALL {
            if !CONSTANT_NAMES[index_of(code)].starts_with("LEGACY_") {
                assert_eq!(current_code(code.code()), None, "{code}");
            }
        }
    }

    fn index_of(code: StatusCode) -> usize {
        StatusCode::ALL
            .iter()
            .position(|&c| c == code)
            .expect("a listed code")
    }
}
