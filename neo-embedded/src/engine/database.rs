//! The engine: named databases (each a `marsdb-graph` store, in memory or
//! in a file under a data directory), the procedures, and the running
//! transactions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use marsdb_graph::GraphStore;
use marsdb_storage::{ReadableTable, TableDefinition};

use super::error::{EngineError, Result, codes};
use super::exec::Guard;
use super::locks::WriteGate;
use super::procedures::{Procedure, Registry};
use super::storage::storage_error;
use super::temporal::LocalDateTime;
use super::transaction::MarsTransaction;
use super::value::Value;
use super::{
    AccessMode, DEFAULT_DATABASE, EngineTransaction, GraphEngine, SYSTEM_DATABASE,
    TransactionConfig,
};

/// How long a write waits for another transaction's write lock by default.
pub(crate) const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// The engine's own metadata in each store: the database id.
const META: TableDefinition<'_, &str, &str> = TableDefinition::new("neo_meta");

/// The extension of database files under a data directory.
const FILE_EXTENSION: &str = "neo.redb";

/// One database.
pub(crate) struct Graph {
    pub(crate) name: String,
    pub(crate) store: GraphStore,
    pub(crate) gate: Arc<WriteGate>,
    /// A unique id, the middle of element ids.
    pub(crate) id: String,
    pub(crate) path: Option<PathBuf>,
}

impl std::fmt::Debug for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graph")
            .field("name", &self.name)
            .field("path", &self.path)
            .finish()
    }
}

fn new_id() -> String {
    use std::hash::{BuildHasher, RandomState};
    let a = RandomState::new().hash_one(std::time::SystemTime::now());
    let b = RandomState::new().hash_one(a);
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn table_error(error: impl std::fmt::Display) -> EngineError {
    EngineError::internal(format!("storage failure: {error}"))
}

impl Graph {
    fn open(name: &str, path: Option<PathBuf>) -> Result<Arc<Graph>> {
        let store = match &path {
            Some(path) => GraphStore::open_file(path).map_err(storage_error)?,
            None => GraphStore::open_memory().map_err(storage_error)?,
        };
        // The database id: read, or made and stored on first open.
        let txn = store.begin_write().map_err(storage_error)?;
        let id = {
            let mut table = txn.open_table(META).map_err(table_error)?;
            let existing = table
                .get("id")
                .map_err(table_error)?
                .map(|g| g.value().to_owned());
            match existing {
                Some(id) => id,
                None => {
                    let id = new_id();
                    table.insert("id", id.as_str()).map_err(table_error)?;
                    id
                }
            }
        };
        GraphStore::commit(txn).map_err(storage_error)?;
        Ok(Arc::new(Graph {
            name: name.to_owned(),
            store,
            gate: Arc::default(),
            id,
            path,
        }))
    }
}

/// A running transaction, as `SHOW TRANSACTIONS` lists it.
#[derive(Debug)]
pub(crate) struct TxEntry {
    pub(crate) id: String,
    pub(crate) database: String,
    pub(crate) started: LocalDateTime,
    pub(crate) metadata: BTreeMap<String, Value>,
    pub(crate) guard: Arc<Guard>,
    pub(crate) query: Mutex<(String, String)>,
}

/// A snapshot of a running transaction.
#[derive(Debug, Clone)]
pub(crate) struct TxInfo {
    pub(crate) id: String,
    pub(crate) database: String,
    pub(crate) started: LocalDateTime,
    pub(crate) metadata: BTreeMap<String, Value>,
    pub(crate) query: String,
    pub(crate) query_id: String,
    pub(crate) terminated: bool,
}

/// What every transaction of an engine shares.
#[derive(Debug)]
pub(crate) struct Shared {
    databases: RwLock<BTreeMap<String, Arc<Graph>>>,
    pub(crate) procedures: Arc<Registry>,
    transactions: Mutex<BTreeMap<String, Arc<TxEntry>>>,
    next_transaction: AtomicU64,
    next_query: AtomicU64,
    settings: RwLock<Settings>,
    data_dir: Option<PathBuf>,
}

/// The engine's settings; a change applies to transactions begun after it.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) lock_timeout: Duration,
    pub(crate) default_timeout: Option<Duration>,
    pub(crate) import_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            default_timeout: None,
            import_dir: None,
        }
    }
}

/// Neo4j's rule for database names: 3 to 63 characters, starting with a
/// letter, then letters, digits, dots and dashes.
fn check_database_name(name: &str) -> Result<()> {
    let valid = (3..=63).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if valid {
        Ok(())
    } else {
        Err(EngineError::argument(format!(
            "'{name}' is not a valid database name: use 3 to 63 letters, digits, dots or dashes, \
             starting with a letter"
        )))
    }
}

fn database_not_found(name: &str) -> EngineError {
    EngineError::new(
        codes::DATABASE_NOT_FOUND,
        format!("Database does not exist. Database name: '{name}'."),
    )
}

impl Shared {
    /// The settings now.
    pub(crate) fn current_settings(&self) -> Settings {
        self.settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn file_of(&self, name: &str) -> Option<PathBuf> {
        self.data_dir
            .as_ref()
            .map(|dir| dir.join(format!("{name}.{FILE_EXTENSION}")))
    }

    pub(crate) fn graph(&self, name: &str) -> Result<Arc<Graph>> {
        let databases = self.databases.read().unwrap_or_else(|p| p.into_inner());
        databases
            .get(&name.to_ascii_lowercase())
            .cloned()
            .ok_or_else(|| database_not_found(name))
    }

    pub(crate) fn database_names(&self) -> Vec<String> {
        let databases = self.databases.read().unwrap_or_else(|p| p.into_inner());
        databases.keys().cloned().collect()
    }

    pub(crate) fn create_database(&self, name: &str) -> Result<()> {
        check_database_name(name)?;
        let name = name.to_ascii_lowercase();
        let mut databases = self.databases.write().unwrap_or_else(|p| p.into_inner());
        if databases.contains_key(&name) {
            return Err(EngineError::new(
                codes::EXISTING_DATABASE_FOUND,
                format!(
                    "Failed to create the specified database '{name}': Database already exists."
                ),
            ));
        }
        let graph = Graph::open(&name, self.file_of(&name))?;
        databases.insert(name, graph);
        Ok(())
    }

    pub(crate) fn drop_database(&self, name: &str) -> Result<()> {
        let name = name.to_ascii_lowercase();
        if name == SYSTEM_DATABASE {
            return Err(EngineError::new(
                codes::FORBIDDEN,
                "the system database cannot be dropped",
            ));
        }
        let removed = {
            let mut databases = self.databases.write().unwrap_or_else(|p| p.into_inner());
            databases.remove(&name)
        };
        match removed {
            Some(graph) => {
                if let Some(path) = &graph.path {
                    // Open transactions keep the file open; on Unix its data
                    // stays readable to them until they end.
                    let _ = std::fs::remove_file(path);
                }
                Ok(())
            }
            None => Err(database_not_found(&name)),
        }
    }

    pub(crate) fn register_transaction(
        &self,
        database: &str,
        metadata: BTreeMap<String, Value>,
        guard: Arc<Guard>,
        started: LocalDateTime,
    ) -> Arc<TxEntry> {
        let n = self.next_transaction.fetch_add(1, Ordering::Relaxed);
        let entry = Arc::new(TxEntry {
            id: format!("{database}-transaction-{n}"),
            database: database.to_owned(),
            started,
            metadata,
            guard,
            query: Mutex::new((String::new(), String::new())),
        });
        let mut transactions = self.transactions.lock().unwrap_or_else(|p| p.into_inner());
        transactions.insert(entry.id.clone(), entry.clone());
        entry
    }

    pub(crate) fn next_query_id(&self) -> String {
        format!("query-{}", self.next_query.fetch_add(1, Ordering::Relaxed))
    }

    pub(crate) fn unregister_transaction(&self, id: &str) {
        let mut transactions = self.transactions.lock().unwrap_or_else(|p| p.into_inner());
        transactions.remove(id);
    }

    pub(crate) fn transactions(&self) -> Vec<TxInfo> {
        let transactions = self.transactions.lock().unwrap_or_else(|p| p.into_inner());
        transactions
            .values()
            .map(|t| {
                let (query, query_id) = t.query.lock().unwrap_or_else(|p| p.into_inner()).clone();
                TxInfo {
                    id: t.id.clone(),
                    database: t.database.clone(),
                    started: t.started,
                    metadata: t.metadata.clone(),
                    query,
                    query_id,
                    terminated: t.guard.terminated.load(Ordering::Relaxed),
                }
            })
            .collect()
    }

    /// Marks a transaction terminated; says whether it was running.
    pub(crate) fn terminate(&self, id: &str) -> bool {
        let transactions = self.transactions.lock().unwrap_or_else(|p| p.into_inner());
        match transactions.get(id) {
            Some(t) => {
                t.guard.terminated.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// The engine settings `SHOW SETTINGS` lists: name, value, default,
    /// description.
    pub(crate) fn settings(&self) -> Vec<(&'static str, String, String, &'static str)> {
        let settings = self.current_settings();
        let millis =
            |d: Option<Duration>| d.map_or("0s".to_owned(), |d| format!("{}ms", d.as_millis()));
        vec![
            (
                "db.lock.acquisition.timeout",
                format!("{}ms", settings.lock_timeout.as_millis()),
                format!("{}ms", DEFAULT_LOCK_TIMEOUT.as_millis()),
                "How long a transaction waits for another's write lock.",
            ),
            (
                "db.transaction.timeout",
                millis(settings.default_timeout),
                "0s".to_owned(),
                "How long a transaction may run when the client sets no timeout (0s: no limit).",
            ),
            (
                "server.directories.import",
                settings
                    .import_dir
                    .as_ref()
                    .map_or(String::new(), |p| p.display().to_string()),
                String::new(),
                "Where LOAD CSV reads file:/// URLs (empty: LOAD CSV from files is disabled).",
            ),
            (
                "server.directories.data",
                self.data_dir
                    .as_ref()
                    .map_or(String::new(), |p| p.display().to_string()),
                String::new(),
                "Where databases are stored (empty: in memory).",
            ),
        ]
    }
}

/// The embedded graph engine: databases `neo4j` (the default) and `system`,
/// plus any created later, in memory ([`MarsEngine::new`]) or in files
/// under a data directory ([`MarsEngine::open`]), run by an executor of
/// `neo-cypher`'s syntax tree over `marsdb-graph`'s storage.
///
/// ```
/// use neo_embedded::engine::{AccessMode, GraphEngine, MarsEngine};
/// use neo_bolt::Value;
///
/// let engine = MarsEngine::new()?;
/// let mut tx = engine.begin("neo4j", AccessMode::Write)?;
/// let out = tx.execute("UNWIND range(1, 3) AS x RETURN sum(x) AS total", &Default::default())?;
/// assert_eq!(out.records, vec![vec![Value::Integer(6)]]);
/// tx.commit()?;
/// # Ok::<(), neo_embedded::engine::EngineError>(())
/// ```
pub struct MarsEngine {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for MarsEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarsEngine")
            .field("databases", &self.shared.database_names())
            .field("settings", &self.shared.current_settings())
            .field("data_dir", &self.shared.data_dir)
            .finish()
    }
}

impl MarsEngine {
    /// An engine with the empty in-memory databases `neo4j` and `system`.
    pub fn new() -> Result<MarsEngine> {
        let shared = Shared {
            databases: RwLock::new(BTreeMap::new()),
            procedures: Arc::new(Registry::with_builtins()),
            transactions: Mutex::new(BTreeMap::new()),
            next_transaction: AtomicU64::new(1),
            next_query: AtomicU64::new(1),
            settings: RwLock::new(Settings::default()),
            data_dir: None,
        };
        shared.create_database(DEFAULT_DATABASE)?;
        shared.create_database(SYSTEM_DATABASE)?;
        Ok(MarsEngine {
            shared: Arc::new(shared),
        })
    }

    /// An engine whose databases live in files under `data_dir` (created if
    /// missing): every database found there is opened, `neo4j` and `system`
    /// are created when absent. Committed transactions survive the process.
    ///
    /// ```
    /// use neo_embedded::engine::{AccessMode, GraphEngine, MarsEngine};
    ///
    /// let dir = std::env::temp_dir().join(format!("neo-doc-{}", std::process::id()));
    /// {
    ///     let engine = MarsEngine::open(&dir)?;
    ///     let mut tx = engine.begin("neo4j", AccessMode::Write)?;
    ///     tx.execute("CREATE (:Kept)", &Default::default())?;
    ///     tx.commit()?;
    /// }
    /// let engine = MarsEngine::open(&dir)?;
    /// let mut tx = engine.begin("neo4j", AccessMode::Read)?;
    /// let out = tx.execute("MATCH (n:Kept) RETURN count(n) AS n", &Default::default())?;
    /// assert_eq!(out.records[0][0], neo_bolt::Value::Integer(1));
    /// # drop(tx); drop(engine); std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), neo_embedded::engine::EngineError>(())
    /// ```
    pub fn open(data_dir: impl AsRef<Path>) -> Result<MarsEngine> {
        let dir = data_dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| {
            EngineError::internal(format!(
                "cannot create the data directory {}: {e}",
                dir.display()
            ))
        })?;
        let mut shared = Shared {
            databases: RwLock::new(BTreeMap::new()),
            procedures: Arc::new(Registry::with_builtins()),
            transactions: Mutex::new(BTreeMap::new()),
            next_transaction: AtomicU64::new(1),
            next_query: AtomicU64::new(1),
            settings: RwLock::new(Settings::default()),
            data_dir: Some(dir.clone()),
        };
        let entries = std::fs::read_dir(&dir).map_err(|e| {
            EngineError::internal(format!(
                "cannot read the data directory {}: {e}",
                dir.display()
            ))
        })?;
        let suffix = format!(".{FILE_EXTENSION}");
        let mut found = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(db) = name.strip_suffix(&suffix) {
                found.push(db.to_owned());
            }
        }
        {
            let databases = shared
                .databases
                .get_mut()
                .unwrap_or_else(|p| p.into_inner());
            for db in found {
                let graph = Graph::open(&db, Some(dir.join(format!("{db}{suffix}"))))?;
                databases.insert(db, graph);
            }
        }
        for name in [DEFAULT_DATABASE, SYSTEM_DATABASE] {
            if shared.graph(name).is_err() {
                shared.create_database(name)?;
            }
        }
        Ok(MarsEngine {
            shared: Arc::new(shared),
        })
    }

    fn configure(self, change: impl FnOnce(&mut Settings)) -> MarsEngine {
        change(
            &mut self
                .shared
                .settings
                .write()
                .unwrap_or_else(|p| p.into_inner()),
        );
        self
    }

    /// Sets how long a transaction's first write waits for another
    /// transaction's write lock before failing with
    /// `Neo.TransientError.Transaction.LockAcquisitionTimeout` (default 30 s).
    pub fn with_lock_timeout(self, timeout: Duration) -> MarsEngine {
        self.configure(|s| s.lock_timeout = timeout)
    }

    /// Sets the timeout of transactions whose client sets none (Neo4j's
    /// `db.transaction.timeout`; default: none).
    pub fn with_transaction_timeout(self, timeout: Duration) -> MarsEngine {
        self.configure(|s| s.default_timeout = Some(timeout).filter(|t| !t.is_zero()))
    }

    /// Lets `LOAD CSV` read `file:///` URLs, resolved under `dir` (Neo4j's
    /// `server.directories.import`); without it, `LOAD CSV` from files is refused.
    pub fn with_import_dir(self, dir: impl Into<PathBuf>) -> MarsEngine {
        let dir = dir.into();
        self.configure(|s| s.import_dir = Some(dir))
    }

    /// Registers a procedure, callable in every database.
    pub fn register_procedure(&self, procedure: Procedure) -> Result<()> {
        self.shared.procedures.register(procedure)
    }
}

impl GraphEngine for MarsEngine {
    fn begin(&self, database: &str, mode: AccessMode) -> Result<Box<dyn EngineTransaction>> {
        self.begin_with(
            database,
            &TransactionConfig {
                mode,
                ..TransactionConfig::default()
            },
        )
    }

    fn begin_with(
        &self,
        database: &str,
        config: &TransactionConfig,
    ) -> Result<Box<dyn EngineTransaction>> {
        let graph = self.shared.graph(database)?;
        Ok(Box::new(MarsTransaction::begin(
            self.shared.clone(),
            graph,
            config,
        )?))
    }

    fn databases(&self) -> Vec<String> {
        self.shared.database_names()
    }

    fn create_database(&self, name: &str) -> Result<()> {
        self.shared.create_database(name)
    }

    fn drop_database(&self, name: &str) -> Result<()> {
        self.shared.drop_database(name)
    }
}
