//! Procedures: the built-in ones (`db.*`, `dbms.*`, `tx.*`) and those an
//! application registers ([`Procedure`]), all called with `CALL`.

mod builtin;
mod schema_info;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, RwLock};

use neo_bolt::packstream::Value as BoltValue;
use neo_bolt::server_error::Classification;

use super::error::{EngineError, Result, codes};
use super::exec::ExecCtx;
use super::value::Value;

/// What a procedure may do, as `SHOW PROCEDURES` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcedureMode {
    /// Reads the graph only.
    Read,
    /// May write the graph.
    Write,
    /// Changes the schema.
    Schema,
    /// Works on the server, not the graph.
    Dbms,
}

impl ProcedureMode {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ProcedureMode::Read => "READ",
            ProcedureMode::Write => "WRITE",
            ProcedureMode::Schema => "SCHEMA",
            ProcedureMode::Dbms => "DBMS",
        }
    }
}

/// A parameter or output field of a procedure: a name and a type as Neo4j
/// writes them in signatures (`STRING`, `INTEGER?`, `LIST? OF MAP?`, `ANY?`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name.
    pub name: String,
    /// The type.
    pub ty: String,
}

impl Field {
    /// A field named `name` of type `ty`.
    ///
    /// ```
    /// let f = neo_embedded::engine::Field::new("label", "STRING?");
    /// assert_eq!(f.name, "label");
    /// ```
    pub fn new(name: impl Into<String>, ty: impl Into<String>) -> Field {
        Field {
            name: name.into(),
            ty: ty.into(),
        }
    }
}

/// The body of a registered procedure: the arguments in, the rows out.
pub type ProcedureBody =
    dyn Fn(&[BoltValue]) -> std::result::Result<Vec<Vec<BoltValue>>, EngineError> + Send + Sync;

/// A procedure an application registers on an engine, callable with
/// `CALL name(args) YIELD …`. Its rows have one value per output field.
///
/// ```
/// use neo_bolt::Value;
/// use neo_embedded::engine::{AccessMode, Field, GraphEngine, MarsEngine, Procedure};
///
/// let engine = MarsEngine::new()?;
/// engine.register_procedure(Procedure::new(
///     "test.double",
///     vec![Field::new("x", "INTEGER?")],
///     vec![Field::new("y", "INTEGER?")],
///     |args| Ok(vec![vec![Value::Integer(args[0].as_i64().unwrap_or(0) * 2)]]),
/// ))?;
/// let mut tx = engine.begin("neo4j", AccessMode::Read)?;
/// let out = tx.execute("CALL test.double(21) YIELD y RETURN y", &Default::default())?;
/// assert_eq!(out.records, vec![vec![Value::Integer(42)]]);
/// # Ok::<(), neo_embedded::engine::EngineError>(())
/// ```
#[derive(Clone)]
pub struct Procedure {
    pub(crate) name: String,
    pub(crate) inputs: Vec<Field>,
    pub(crate) outputs: Vec<Field>,
    pub(crate) mode: ProcedureMode,
    pub(crate) description: String,
    pub(crate) body: Arc<ProcedureBody>,
}

impl fmt::Debug for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Procedure")
            .field("name", &self.name)
            .field("inputs", &self.inputs)
            .field("outputs", &self.outputs)
            .field("mode", &self.mode)
            .finish()
    }
}

impl Procedure {
    /// A read-only procedure.
    pub fn new(
        name: impl Into<String>,
        inputs: Vec<Field>,
        outputs: Vec<Field>,
        body: impl Fn(&[BoltValue]) -> std::result::Result<Vec<Vec<BoltValue>>, EngineError>
        + Send
        + Sync
        + 'static,
    ) -> Procedure {
        Procedure {
            name: name.into(),
            inputs,
            outputs,
            mode: ProcedureMode::Read,
            description: String::new(),
            body: Arc::new(body),
        }
    }

    /// Sets the mode (`READ` by default).
    pub fn with_mode(mut self, mode: ProcedureMode) -> Procedure {
        self.mode = mode;
        self
    }

    /// Sets the description `SHOW PROCEDURES` gives.
    pub fn with_description(mut self, description: impl Into<String>) -> Procedure {
        self.description = description.into();
        self
    }

    /// The procedure's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A built-in procedure's body: arguments in, rows out, reading the engine
/// through the statement's context.
pub(crate) type BuiltinBody = fn(&[Value], &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>>;

/// How a procedure runs.
pub(crate) enum Implementation {
    /// Built in.
    Builtin(BuiltinBody),
    /// Registered by the application.
    Registered(Arc<ProcedureBody>),
}

/// A procedure as the planner and executor see it.
pub(crate) struct ProcedureDef {
    pub(crate) name: String,
    pub(crate) inputs: Vec<(Field, Option<Value>)>,
    pub(crate) outputs: Vec<Field>,
    pub(crate) mode: ProcedureMode,
    pub(crate) description: String,
    pub(crate) implementation: Implementation,
}

/// A shared reference to a procedure.
#[derive(Clone)]
pub(crate) struct ProcedureRef(pub(crate) Arc<ProcedureDef>);

impl fmt::Debug for ProcedureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.name)
    }
}

impl ProcedureRef {
    pub(crate) fn writes(&self) -> bool {
        matches!(self.0.mode, ProcedureMode::Write | ProcedureMode::Schema)
    }

    /// `name(a :: T, …) :: (x :: T, …)`.
    pub(crate) fn signature(&self) -> String {
        let fields = |fs: &[Field]| {
            fs.iter()
                .map(|f| format!("{} :: {}", f.name, f.ty))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let inputs: Vec<Field> = self.0.inputs.iter().map(|(f, _)| f.clone()).collect();
        format!(
            "{}({}) :: ({})",
            self.0.name,
            fields(&inputs),
            fields(&self.0.outputs)
        )
    }

    /// Calls the procedure with checked arguments.
    pub(crate) fn call(&self, args: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
        match &self.0.implementation {
            Implementation::Builtin(f) => f(args, ctx),
            Implementation::Registered(body) => {
                let mut bolt_args = Vec::with_capacity(args.len());
                for arg in args {
                    bolt_args.push(crate::engine::convert::to_bolt_plain(arg)?);
                }
                let rows = body(&bolt_args).map_err(|e| {
                    if Classification::from_code(&e.code) != Classification::Unknown {
                        e
                    } else {
                        EngineError::new(codes::PROCEDURE_CALL_FAILED, e.message)
                    }
                })?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    if row.len() != self.0.outputs.len() {
                        return Err(EngineError::new(
                            codes::PROCEDURE_CALL_FAILED,
                            format!(
                                "Procedure {} gave a row of {} values for {} output fields",
                                self.0.name,
                                row.len(),
                                self.0.outputs.len()
                            ),
                        ));
                    }
                    let mut values = Vec::with_capacity(row.len());
                    for v in &row {
                        values.push(crate::engine::convert::parameter("procedure output", v)?);
                    }
                    out.push(values);
                }
                Ok(out)
            }
        }
    }
}

/// The procedures an engine knows.
#[derive(Default)]
pub(crate) struct Registry {
    procedures: RwLock<BTreeMap<String, ProcedureRef>>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry").finish_non_exhaustive()
    }
}

impl Registry {
    /// A registry with the built-in procedures.
    pub(crate) fn with_builtins() -> Registry {
        let registry = Registry::default();
        for def in builtin::all() {
            registry.insert(def);
        }
        registry
    }

    fn insert(&self, def: ProcedureDef) {
        let mut map = self.procedures.write().unwrap_or_else(|p| p.into_inner());
        map.insert(def.name.to_ascii_lowercase(), ProcedureRef(Arc::new(def)));
    }

    /// Adds (or replaces) an application's procedure.
    pub(crate) fn register(&self, procedure: Procedure) -> Result<()> {
        if procedure.name.is_empty() || procedure.name.split('.').any(str::is_empty) {
            return Err(EngineError::argument(format!(
                "'{}' is not a valid procedure name",
                procedure.name
            )));
        }
        self.insert(ProcedureDef {
            name: procedure.name,
            inputs: procedure.inputs.into_iter().map(|f| (f, None)).collect(),
            outputs: procedure.outputs,
            mode: procedure.mode,
            description: procedure.description,
            implementation: Implementation::Registered(procedure.body),
        });
        Ok(())
    }

    /// The procedure named `name` (case-insensitive).
    pub(crate) fn get(&self, name: &str) -> Option<ProcedureRef> {
        let map = self.procedures.read().unwrap_or_else(|p| p.into_inner());
        map.get(&name.to_ascii_lowercase()).cloned()
    }

    /// Every procedure, sorted by name.
    pub(crate) fn all(&self) -> Vec<ProcedureRef> {
        let map = self.procedures.read().unwrap_or_else(|p| p.into_inner());
        map.values().cloned().collect()
    }
}

/// Whether `value` fits a procedure type such as `INTEGER?` or `LIST? OF STRING?`.
pub(crate) fn fits(value: &Value, ty: &str) -> bool {
    let ty = ty.trim();
    let nullable = ty.ends_with('?') || ty.starts_with("ANY") || ty.contains("? OF") || ty == "ANY";
    if value.is_null() {
        return nullable;
    }
    let base = ty.trim_end_matches('?').trim();
    let upper = base.to_ascii_uppercase();
    let head = upper
        .split_whitespace()
        .next()
        .unwrap_or("ANY")
        .trim_end_matches('?');
    match head {
        "ANY" => true,
        "STRING" => matches!(value, Value::String(_)),
        "INTEGER" => matches!(value, Value::Int(_)),
        "FLOAT" => matches!(value, Value::Float(_) | Value::Int(_)),
        "NUMBER" => matches!(value, Value::Int(_) | Value::Float(_)),
        "BOOLEAN" => matches!(value, Value::Bool(_)),
        "MAP" => matches!(value, Value::Map(_)),
        "NODE" => matches!(value, Value::Node(_)),
        "RELATIONSHIP" => matches!(value, Value::Rel(_)),
        "PATH" => matches!(value, Value::Path(_)),
        "POINT" => matches!(value, Value::Point(_)),
        "DATE" => matches!(value, Value::Date(_)),
        "DATETIME" => matches!(value, Value::DateTime(_)),
        "LOCALDATETIME" => matches!(value, Value::LocalDateTime(_)),
        "TIME" => matches!(value, Value::Time(_)),
        "LOCALTIME" => matches!(value, Value::LocalTime(_)),
        "DURATION" => matches!(value, Value::Duration(_)),
        "BYTEARRAY" => matches!(value, Value::Bytes(_)),
        "LIST" => match value {
            Value::List(items) => match upper.split_once(" OF ") {
                Some((_, inner)) => items.iter().all(|i| fits(i, inner)),
                None => true,
            },
            _ => false,
        },
        _ => true,
    }
}

/// Converts an argument to the procedure's declared type (an integer where
/// a float is declared becomes a float).
pub(crate) fn coerce(value: Value, ty: &str) -> Value {
    let upper = ty.trim().trim_end_matches('?').to_ascii_uppercase();
    match (value, upper.as_str()) {
        (Value::Int(i), "FLOAT") => Value::Float(i as f64),
        (v, _) => v,
    }
}
