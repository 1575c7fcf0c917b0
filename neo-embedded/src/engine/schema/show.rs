//! `SHOW INDEXES`, `SHOW CONSTRAINTS`, `SHOW PROCEDURES`, `SHOW FUNCTIONS`,
//! `SHOW TRANSACTIONS`, `SHOW DATABASES` and `SHOW SETTINGS`: their columns
//! (the default ones, and all of them for `YIELD *`) and rows.

use std::collections::BTreeMap;

use super::catalog::{Catalog, ConstraintKind, EntityKind, IndexDef, IndexKind};
use crate::engine::convert;
use crate::engine::error::{EngineError, Result};
use crate::engine::exec::ExecCtx;
use crate::engine::expr::Function;
use crate::engine::temporal::{DateTime, Duration, Zone};
use crate::engine::value::Value;

/// What a `SHOW` command lists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ShowKind {
    Indexes(Option<IndexKind>),
    Constraints(ConstraintFilter),
    Procedures,
    Functions(FunctionFilter),
    Transactions,
    Databases(Option<String>),
    Settings,
}

impl ShowKind {
    /// What is listed, as the command names it.
    pub(crate) fn noun(&self) -> &'static str {
        match self {
            ShowKind::Indexes(_) => "INDEXES",
            ShowKind::Constraints(_) => "CONSTRAINTS",
            ShowKind::Procedures => "PROCEDURES",
            ShowKind::Functions(_) => "FUNCTIONS",
            ShowKind::Transactions => "TRANSACTIONS",
            ShowKind::Databases(_) => "DATABASES",
            ShowKind::Settings => "SETTINGS",
        }
    }
}

/// Which constraints `SHOW … CONSTRAINTS` lists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConstraintFilter {
    All,
    Unique(Option<EntityKind>),
    Key(Option<EntityKind>),
    Exists(Option<EntityKind>),
    PropertyType(Option<EntityKind>),
}

/// Which functions `SHOW … FUNCTIONS` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FunctionFilter {
    All,
    BuiltIn,
    UserDefined,
}

impl ShowKind {
    /// Parses the command words (`SHOW RANGE INDEXES`, `SHOW NODE KEY
    /// CONSTRAINTS`, …).
    pub(crate) fn parse(command: &str) -> Result<ShowKind> {
        let words: Vec<&str> = command.split_whitespace().skip(1).collect();
        let has = |w: &str| words.contains(&w);
        let noun = |w: &str| {
            words
                .iter()
                .any(|x| *x == w || *x == format!("{w}S") || *x == format!("{w}ES"))
        };
        let entity = || {
            if has("NODE") {
                Some(EntityKind::Node)
            } else if has("RELATIONSHIP") || has("REL") {
                Some(EntityKind::Relationship)
            } else {
                None
            }
        };
        if noun("INDEX") {
            let kind = words.first().and_then(|w| IndexKind::from_name(w));
            if let Some(w) = words.first()
                && kind.is_none()
                && !matches!(*w, "ALL" | "INDEX" | "INDEXES")
            {
                return Err(EngineError::syntax(format!(
                    "Unknown index type in '{command}'"
                )));
            }
            return Ok(ShowKind::Indexes(kind));
        }
        if noun("CONSTRAINT") {
            let filter = if has("UNIQUE") || has("UNIQUENESS") {
                ConstraintFilter::Unique(entity())
            } else if has("KEY") {
                ConstraintFilter::Key(entity())
            } else if has("EXIST") || has("EXISTENCE") || has("EXISTS") {
                ConstraintFilter::Exists(entity())
            } else if has("TYPE") {
                ConstraintFilter::PropertyType(entity())
            } else {
                ConstraintFilter::All
            };
            return Ok(ShowKind::Constraints(filter));
        }
        if noun("PROCEDURE") {
            return Ok(ShowKind::Procedures);
        }
        if noun("FUNCTION") {
            let filter = if has("BUILT") {
                FunctionFilter::BuiltIn
            } else if has("USER") {
                FunctionFilter::UserDefined
            } else {
                FunctionFilter::All
            };
            return Ok(ShowKind::Functions(filter));
        }
        if noun("TRANSACTION") {
            return Ok(ShowKind::Transactions);
        }
        if noun("DATABASE") {
            if has("DEFAULT") || has("HOME") {
                return Ok(ShowKind::Databases(Some(
                    crate::engine::DEFAULT_DATABASE.to_owned(),
                )));
            }
            return Ok(ShowKind::Databases(None));
        }
        if noun("SETTING") {
            return Ok(ShowKind::Settings);
        }
        Err(EngineError::not_supported(format!(
            "{command}: users, roles, privileges, servers and aliases are not managed by the embedded engine"
        )))
    }

    /// The columns without `YIELD`.
    pub(crate) fn columns(&self) -> Vec<&'static str> {
        match self {
            ShowKind::Indexes(_) => vec![
                "id",
                "name",
                "state",
                "populationPercent",
                "type",
                "entityType",
                "labelsOrTypes",
                "properties",
                "indexProvider",
                "owningConstraint",
                "lastRead",
                "readCount",
            ],
            ShowKind::Constraints(_) => vec![
                "id",
                "name",
                "type",
                "entityType",
                "labelsOrTypes",
                "properties",
                "ownedIndex",
                "propertyType",
            ],
            ShowKind::Procedures => vec!["name", "description", "mode", "worksOnSystem"],
            ShowKind::Functions(_) => vec!["name", "category", "description"],
            ShowKind::Transactions => vec![
                "database",
                "transactionId",
                "currentQueryId",
                "connectionId",
                "clientAddress",
                "username",
                "currentQuery",
                "startTime",
                "status",
                "elapsedTime",
            ],
            ShowKind::Databases(_) => vec![
                "name",
                "type",
                "aliases",
                "access",
                "address",
                "role",
                "writer",
                "requestedStatus",
                "currentStatus",
                "statusMessage",
                "default",
                "home",
                "constituents",
            ],
            ShowKind::Settings => vec!["name", "value", "isDynamic", "defaultValue", "description"],
        }
    }

    /// Every column, for `YIELD *`.
    pub(crate) fn all_columns(&self) -> Vec<&'static str> {
        let mut out = self.columns();
        out.extend(match self {
            ShowKind::Indexes(_) => vec![
                "trackedSince",
                "options",
                "failureMessage",
                "createStatement",
            ],
            ShowKind::Constraints(_) => vec!["options", "createStatement"],
            ShowKind::Procedures => vec![
                "signature",
                "argumentDescription",
                "returnDescription",
                "admin",
                "rolesExecution",
                "rolesBoostedExecution",
                "isDeprecated",
                "deprecatedBy",
                "option",
            ],
            ShowKind::Functions(_) => vec![
                "signature",
                "isBuiltIn",
                "argumentDescription",
                "returnDescription",
                "aggregating",
                "rolesExecution",
                "rolesBoostedExecution",
                "isDeprecated",
                "deprecatedBy",
            ],
            ShowKind::Transactions => vec![
                "metaData",
                "parameters",
                "planner",
                "runtime",
                "outerTransactionId",
            ],
            ShowKind::Databases(_) => vec!["lastCommittedTxn", "replicationLag", "creationTime"],
            ShowKind::Settings => vec![
                "startupValue",
                "isExplicitlySet",
                "validValues",
                "isDeprecated",
            ],
        });
        out
    }

    /// The rows, each with a value for every column of [`all_columns`](Self::all_columns).
    pub(crate) fn rows(&self, ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
        match self {
            ShowKind::Indexes(kind) => Ok(index_rows(&ctx.store.catalog(), *kind)),
            ShowKind::Constraints(filter) => Ok(constraint_rows(&ctx.store.catalog(), filter)),
            ShowKind::Procedures => Ok(procedure_rows(ctx)),
            ShowKind::Functions(filter) => Ok(function_rows(*filter)),
            ShowKind::Transactions => transaction_rows(ctx),
            ShowKind::Databases(name) => Ok(database_rows(ctx, name.as_deref())),
            ShowKind::Settings => Ok(setting_rows(ctx)),
        }
    }
}

fn list(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::string(s.as_str())).collect())
}

fn quote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// The statement that would create `index`.
pub(crate) fn index_statement(index: &IndexDef) -> String {
    let pattern = match (index.entity, index.kind) {
        (EntityKind::Node, IndexKind::Lookup) => "(n)".to_owned(),
        (EntityKind::Relationship, IndexKind::Lookup) => "()-[r]-()".to_owned(),
        (EntityKind::Node, _) => format!(
            "(n:{})",
            index
                .tokens
                .iter()
                .map(|t| quote(t))
                .collect::<Vec<_>>()
                .join("|")
        ),
        (EntityKind::Relationship, _) => format!(
            "()-[r:{}]-()",
            index
                .tokens
                .iter()
                .map(|t| quote(t))
                .collect::<Vec<_>>()
                .join("|")
        ),
    };
    let var = if index.entity == EntityKind::Node {
        "n"
    } else {
        "r"
    };
    let on = match index.kind {
        IndexKind::Lookup => {
            if index.entity == EntityKind::Node {
                "EACH labels(n)".to_owned()
            } else {
                "EACH type(r)".to_owned()
            }
        }
        IndexKind::Fulltext => format!(
            "EACH [{}]",
            index
                .properties
                .iter()
                .map(|p| format!("{var}.{}", quote(p)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => format!(
            "({})",
            index
                .properties
                .iter()
                .map(|p| format!("{var}.{}", quote(p)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "CREATE {} INDEX {} FOR {pattern} ON {on}",
        index.kind.name(),
        quote(&index.name)
    )
}

fn index_rows(catalog: &Catalog, kind: Option<IndexKind>) -> Vec<Vec<Value>> {
    let mut indexes: Vec<&IndexDef> = catalog
        .indexes
        .iter()
        .filter(|i| kind.is_none_or(|k| k == i.kind))
        .collect();
    indexes.sort_by(|a, b| a.name.cmp(&b.name));
    indexes
        .into_iter()
        .map(|i| {
            let lookup = i.kind == IndexKind::Lookup;
            let options = Value::Map(BTreeMap::from([
                ("indexProvider".to_owned(), Value::string(i.kind.provider())),
                (
                    "indexConfig".to_owned(),
                    match i.options.get("indexConfig") {
                        Some(config) => convert::parameter("indexConfig", config)
                            .unwrap_or(Value::Map(BTreeMap::new())),
                        None => Value::Map(BTreeMap::new()),
                    },
                ),
            ]));
            vec![
                Value::Int(i.id),
                Value::string(i.name.as_str()),
                Value::string("ONLINE"),
                Value::Float(100.0),
                Value::string(i.kind.name()),
                Value::string(i.entity.name()),
                if lookup { Value::Null } else { list(&i.tokens) },
                if lookup {
                    Value::Null
                } else {
                    list(&i.properties)
                },
                Value::string(i.kind.provider()),
                i.owner.as_deref().map_or(Value::Null, Value::string),
                Value::Null,
                Value::Int(0),
                Value::Null,
                options,
                Value::string(""),
                Value::String(index_statement(i)),
            ]
        })
        .collect()
}

fn constraint_matches(
    filter: &ConstraintFilter,
    kind: &ConstraintKind,
    entity: EntityKind,
) -> bool {
    let same = |e: &Option<EntityKind>| e.is_none_or(|e| e == entity);
    match (filter, kind) {
        (ConstraintFilter::All, _) => true,
        (ConstraintFilter::Unique(e), ConstraintKind::Unique) => same(e),
        (ConstraintFilter::Key(e), ConstraintKind::Key) => same(e),
        (ConstraintFilter::Exists(e), ConstraintKind::Exists) => same(e),
        (ConstraintFilter::PropertyType(e), ConstraintKind::PropertyType(_)) => same(e),
        _ => false,
    }
}

fn constraint_rows(catalog: &Catalog, filter: &ConstraintFilter) -> Vec<Vec<Value>> {
    let mut constraints: Vec<_> = catalog
        .constraints
        .iter()
        .filter(|c| constraint_matches(filter, &c.kind, c.entity))
        .collect();
    constraints.sort_by(|a, b| a.name.cmp(&b.name));
    constraints
        .into_iter()
        .map(|c| {
            let (pattern, var) = match c.entity {
                EntityKind::Node => (format!("(n:{})", quote(&c.token)), "n"),
                EntityKind::Relationship => (format!("()-[r:{}]-()", quote(&c.token)), "r"),
            };
            let props: Vec<String> = c
                .properties
                .iter()
                .map(|p| format!("{var}.{}", quote(p)))
                .collect();
            let props_text = if props.len() == 1 {
                props[0].clone()
            } else {
                format!("({})", props.join(", "))
            };
            let rule = match (&c.kind, c.entity) {
                (ConstraintKind::Unique, EntityKind::Node) => "IS UNIQUE".to_owned(),
                (ConstraintKind::Unique, EntityKind::Relationship) => "IS UNIQUE".to_owned(),
                (ConstraintKind::Key, EntityKind::Node) => "IS NODE KEY".to_owned(),
                (ConstraintKind::Key, EntityKind::Relationship) => "IS RELATIONSHIP KEY".to_owned(),
                (ConstraintKind::Exists, _) => "IS NOT NULL".to_owned(),
                (ConstraintKind::PropertyType(t), _) => format!("IS :: {t}"),
            };
            let property_type = match &c.kind {
                ConstraintKind::PropertyType(t) => Value::string(t.as_str()),
                _ => Value::Null,
            };
            let options = match &c.index {
                Some(_) => Value::Map(BTreeMap::from([
                    ("indexProvider".to_owned(), Value::string("range-1.0")),
                    ("indexConfig".to_owned(), Value::Map(BTreeMap::new())),
                ])),
                None => Value::Null,
            };
            vec![
                Value::Int(c.id),
                Value::string(c.name.as_str()),
                Value::string(c.kind.name(c.entity)),
                Value::string(c.entity.name()),
                list(std::slice::from_ref(&c.token)),
                list(&c.properties),
                c.index.as_deref().map_or(Value::Null, Value::string),
                property_type,
                options,
                Value::String(format!(
                    "CREATE CONSTRAINT {} FOR {pattern} REQUIRE {props_text} {rule}",
                    quote(&c.name)
                )),
            ]
        })
        .collect()
}

fn procedure_rows(ctx: &mut ExecCtx<'_>) -> Vec<Vec<Value>> {
    ctx.env
        .procedures
        .all()
        .into_iter()
        .map(|p| {
            let describe_fields = |fields: &[crate::engine::procedures::Field]| {
                Value::List(
                    fields
                        .iter()
                        .map(|f| {
                            Value::Map(BTreeMap::from([
                                ("name".to_owned(), Value::string(f.name.as_str())),
                                ("type".to_owned(), Value::string(f.ty.as_str())),
                                (
                                    "description".to_owned(),
                                    Value::String(format!("{} :: {}", f.name, f.ty)),
                                ),
                            ]))
                        })
                        .collect(),
                )
            };
            let inputs: Vec<_> = p.0.inputs.iter().map(|(f, _)| f.clone()).collect();
            vec![
                Value::string(p.0.name.as_str()),
                Value::string(p.0.description.as_str()),
                Value::string(p.0.mode.name()),
                Value::Bool(p.0.mode == crate::engine::procedures::ProcedureMode::Dbms),
                Value::String(p.signature()),
                describe_fields(&inputs),
                describe_fields(&p.0.outputs),
                Value::Bool(false),
                Value::Null,
                Value::Null,
                Value::Bool(false),
                Value::Null,
                Value::Map(BTreeMap::from([(
                    "deprecated".to_owned(),
                    Value::Bool(false),
                )])),
            ]
        })
        .collect()
}

/// The built-in functions `SHOW FUNCTIONS` lists: name, category, whether
/// it aggregates.
const FUNCTIONS: &[(&str, &str, bool)] = &[
    ("abs", "Numeric", false),
    ("acos", "Trigonometric", false),
    ("asin", "Trigonometric", false),
    ("atan", "Trigonometric", false),
    ("atan2", "Trigonometric", false),
    ("avg", "Aggregating", true),
    ("btrim", "String", false),
    ("ceil", "Numeric", false),
    ("char_length", "Scalar", false),
    ("character_length", "Scalar", false),
    ("coalesce", "Scalar", false),
    ("collect", "Aggregating", true),
    ("cos", "Trigonometric", false),
    ("cot", "Trigonometric", false),
    ("count", "Aggregating", true),
    ("date", "Temporal", false),
    ("date.realtime", "Temporal", false),
    ("date.statement", "Temporal", false),
    ("date.transaction", "Temporal", false),
    ("date.truncate", "Temporal", false),
    ("datetime", "Temporal", false),
    ("datetime.fromepoch", "Temporal", false),
    ("datetime.fromepochmillis", "Temporal", false),
    ("datetime.realtime", "Temporal", false),
    ("datetime.statement", "Temporal", false),
    ("datetime.transaction", "Temporal", false),
    ("datetime.truncate", "Temporal", false),
    ("degrees", "Trigonometric", false),
    ("duration", "Temporal", false),
    ("duration.between", "Temporal", false),
    ("duration.inDays", "Temporal", false),
    ("duration.inMonths", "Temporal", false),
    ("duration.inSeconds", "Temporal", false),
    ("e", "Logarithmic", false),
    ("elementId", "Scalar", false),
    ("endNode", "Scalar", false),
    ("exists", "Predicate", false),
    ("exp", "Logarithmic", false),
    ("file", "Scalar", false),
    ("floor", "Numeric", false),
    ("haversin", "Trigonometric", false),
    ("head", "Scalar", false),
    ("id", "Scalar", false),
    ("isEmpty", "Predicate", false),
    ("isNaN", "Numeric", false),
    ("keys", "List", false),
    ("labels", "List", false),
    ("last", "Scalar", false),
    ("left", "String", false),
    ("length", "Scalar", false),
    ("linenumber", "Scalar", false),
    ("localdatetime", "Temporal", false),
    ("localdatetime.realtime", "Temporal", false),
    ("localdatetime.statement", "Temporal", false),
    ("localdatetime.transaction", "Temporal", false),
    ("localdatetime.truncate", "Temporal", false),
    ("localtime", "Temporal", false),
    ("localtime.realtime", "Temporal", false),
    ("localtime.statement", "Temporal", false),
    ("localtime.transaction", "Temporal", false),
    ("localtime.truncate", "Temporal", false),
    ("log", "Logarithmic", false),
    ("log10", "Logarithmic", false),
    ("lower", "String", false),
    ("ltrim", "String", false),
    ("max", "Aggregating", true),
    ("min", "Aggregating", true),
    ("nodes", "List", false),
    ("normalize", "String", false),
    ("nullIf", "Scalar", false),
    ("percentileCont", "Aggregating", true),
    ("percentileDisc", "Aggregating", true),
    ("pi", "Trigonometric", false),
    ("point", "Spatial", false),
    ("point.distance", "Spatial", false),
    ("point.withinBBox", "Spatial", false),
    ("properties", "Scalar", false),
    ("radians", "Trigonometric", false),
    ("rand", "Numeric", false),
    ("randomUUID", "Scalar", false),
    ("range", "List", false),
    ("relationships", "List", false),
    ("replace", "String", false),
    ("reverse", "List", false),
    ("right", "String", false),
    ("round", "Numeric", false),
    ("rtrim", "String", false),
    ("sign", "Numeric", false),
    ("sin", "Trigonometric", false),
    ("size", "Scalar", false),
    ("split", "String", false),
    ("sqrt", "Logarithmic", false),
    ("startNode", "Scalar", false),
    ("stDev", "Aggregating", true),
    ("stDevP", "Aggregating", true),
    ("substring", "String", false),
    ("sum", "Aggregating", true),
    ("tail", "List", false),
    ("tan", "Trigonometric", false),
    ("time", "Temporal", false),
    ("time.realtime", "Temporal", false),
    ("time.statement", "Temporal", false),
    ("time.transaction", "Temporal", false),
    ("time.truncate", "Temporal", false),
    ("timestamp", "Scalar", false),
    ("toBoolean", "Scalar", false),
    ("toBooleanList", "List", false),
    ("toBooleanOrNull", "Scalar", false),
    ("toFloat", "Scalar", false),
    ("toFloatList", "List", false),
    ("toFloatOrNull", "Scalar", false),
    ("toInteger", "Scalar", false),
    ("toIntegerList", "List", false),
    ("toIntegerOrNull", "Scalar", false),
    ("toLower", "String", false),
    ("toString", "String", false),
    ("toStringList", "List", false),
    ("toStringOrNull", "String", false),
    ("toUpper", "String", false),
    ("trim", "String", false),
    ("type", "Scalar", false),
    ("upper", "String", false),
    ("valueType", "Scalar", false),
    ("vector.similarity.cosine", "Vector", false),
    ("vector.similarity.euclidean", "Vector", false),
];

fn function_rows(filter: FunctionFilter) -> Vec<Vec<Value>> {
    if filter == FunctionFilter::UserDefined {
        return Vec::new();
    }
    FUNCTIONS
        .iter()
        .filter(|(name, _, aggregating)| *aggregating || Function::resolve(name).is_some())
        .map(|(name, category, aggregating)| {
            vec![
                Value::string(*name),
                Value::string(*category),
                Value::String(format!("The built-in function {name}()")),
                Value::String(format!("{name}(...)")),
                Value::Bool(true),
                Value::List(Vec::new()),
                Value::string("ANY"),
                Value::Bool(*aggregating),
                Value::Null,
                Value::Null,
                Value::Bool(false),
                Value::Null,
            ]
        })
        .collect()
}

fn transaction_rows(ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    let now = crate::engine::temporal::now_utc();
    let mut rows = Vec::new();
    for tx in ctx.env.engine.transactions() {
        let start = DateTime::from_instant(tx.started, Zone::Offset(0))?;
        let elapsed_nanos = now.epoch_nanos() - tx.started.epoch_nanos();
        let elapsed = Duration::new(
            0,
            0,
            (elapsed_nanos / 1_000_000_000) as i64,
            (elapsed_nanos % 1_000_000_000) as i64,
        )?;
        rows.push(vec![
            Value::String(tx.database.clone()),
            Value::String(tx.id.clone()),
            Value::String(tx.query_id.clone()),
            Value::string(""),
            Value::string(""),
            Value::string(""),
            Value::String(tx.query.clone()),
            Value::DateTime(Box::new(start)),
            Value::string(if tx.terminated {
                "Terminated"
            } else {
                "Running"
            }),
            Value::Duration(Box::new(elapsed)),
            Value::Map(tx.metadata.clone()),
            Value::Map(BTreeMap::new()),
            Value::string("cost"),
            Value::string("slotted"),
            Value::Null,
        ]);
    }
    Ok(rows)
}

fn database_rows(ctx: &mut ExecCtx<'_>, name: Option<&str>) -> Vec<Vec<Value>> {
    ctx.env
        .engine
        .database_names()
        .into_iter()
        .filter(|db| name.is_none_or(|n| db.eq_ignore_ascii_case(n)))
        .map(|db| {
            let default = db == crate::engine::DEFAULT_DATABASE;
            let kind = if db == crate::engine::SYSTEM_DATABASE {
                "system"
            } else {
                "standard"
            };
            vec![
                Value::String(db.clone()),
                Value::string(kind),
                Value::List(Vec::new()),
                Value::string("read-write"),
                Value::string("localhost:7687"),
                Value::string("primary"),
                Value::Bool(true),
                Value::string("online"),
                Value::string("online"),
                Value::string(""),
                Value::Bool(default),
                Value::Bool(default),
                Value::List(Vec::new()),
                Value::Null,
                Value::Null,
                Value::Null,
            ]
        })
        .collect()
}

fn setting_rows(ctx: &mut ExecCtx<'_>) -> Vec<Vec<Value>> {
    ctx.env
        .engine
        .settings()
        .into_iter()
        .map(|(name, value, default, description)| {
            let explicit = value != default;
            vec![
                Value::string(name),
                Value::String(value.clone()),
                Value::Bool(false),
                Value::String(default),
                Value::string(description),
                Value::String(value),
                Value::Bool(explicit),
                Value::string("any"),
                Value::Bool(false),
            ]
        })
        .collect()
}
