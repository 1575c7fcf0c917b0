//! Schema and administration commands: creating and dropping indexes and
//! constraints (with `IF [NOT] EXISTS`), `SHOW …`, `TERMINATE
//! TRANSACTIONS`, and the database commands of the `system` database.

use std::collections::BTreeMap;

use neo_bolt::packstream::Map;
use neo_cypher::ast::{self, CommandKind};

use super::catalog::{Catalog, ConstraintDef, ConstraintKind, EntityKind, IndexDef, IndexKind};
use super::index;
use super::show::ShowKind;
use crate::engine::convert;
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::exec::{ExecCtx, Row};
use crate::engine::expr::{CypherType, Expr, eval};
use crate::engine::plan::builder::{PlanContext, Planner};
use crate::engine::value::Value;

/// A command the engine runs.
#[derive(Debug, Clone)]
pub(crate) enum SchemaCommand {
    CreateIndex {
        index: IndexDef,
        named: bool,
        if_not_exists: bool,
    },
    CreateConstraint {
        constraint: ConstraintDef,
        named: bool,
        if_not_exists: bool,
    },
    DropIndex {
        name: String,
        if_exists: bool,
    },
    DropConstraint {
        name: String,
        if_exists: bool,
    },
    Show {
        kind: ShowKind,
        /// Transaction ids or a database name given to the command.
        args: Vec<Expr>,
    },
    Terminate {
        ids: Vec<Expr>,
    },
    Database {
        action: String,
        name: String,
        if_exists: bool,
        if_not_exists: bool,
        or_replace: bool,
    },
}

fn constant(e: &ast::Expr, params: &BTreeMap<String, Value>) -> Result<Value> {
    Ok(match &e.kind {
        ast::ExprKind::Null => Value::Null,
        ast::ExprKind::Bool(b) => Value::Bool(*b),
        ast::ExprKind::Integer(i) => Value::Int(*i),
        ast::ExprKind::Float(f) => Value::Float(*f),
        ast::ExprKind::String(s) => Value::String(s.clone()),
        ast::ExprKind::Parameter(p) => params.get(p).cloned().ok_or_else(|| {
            EngineError::new(
                codes::PARAMETER_MISSING,
                format!("Expected parameter(s): {p}"),
            )
        })?,
        ast::ExprKind::List(items) => Value::List(
            items
                .iter()
                .map(|i| constant(i, params))
                .collect::<Result<_>>()?,
        ),
        ast::ExprKind::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| Ok((k.name.clone(), constant(v, params)?)))
                .collect::<Result<_>>()?,
        ),
        ast::ExprKind::Unary(ast::UnaryOp::Neg, inner) => match constant(inner, params)? {
            Value::Int(i) => Value::Int(-i),
            Value::Float(f) => Value::Float(-f),
            other => other,
        },
        _ => {
            return Err(EngineError::syntax(
                "Only literals and parameters are allowed in schema commands",
            ));
        }
    })
}

/// A name given as is or as `$param`.
fn name_of(name: &ast::Name, params: &BTreeMap<String, Value>) -> Result<String> {
    match name.name.strip_prefix('$') {
        Some(param) => match params.get(param) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(EngineError::type_error(format!(
                "Expected a string for the name, but parameter ${param} is {}",
                other.type_name()
            ))),
            None => Err(EngineError::new(
                codes::PARAMETER_MISSING,
                format!("Expected parameter(s): {param}"),
            )),
        },
        None => Ok(name.name.clone()),
    }
}

/// An 8-hex-digit hash of a schema description, for generated names.
fn short_hash(text: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}")
}

fn schema_text(entity: EntityKind, tokens: &[String], properties: &[String]) -> String {
    let token = match entity {
        EntityKind::Node => format!(":{}", tokens.join(":")),
        EntityKind::Relationship => format!("()-[:{}]-()", tokens.join("|")),
    };
    format!("({token} {{{}}})", properties.join(", "))
}

impl SchemaCommand {
    /// A command statement.
    pub(crate) fn from_ast(
        command: &ast::Command,
        text: &str,
        ctx: &PlanContext<'_>,
    ) -> Result<SchemaCommand> {
        let params = ctx.params;
        Ok(match &command.kind {
            CommandKind::CreateIndex(def) => {
                let kind = match def.kind.as_str() {
                    "BTREE" => {
                        return Err(EngineError::syntax(
                            "Invalid index type b-tree, use range, point or text index instead.",
                        ));
                    }
                    other => IndexKind::from_name(other).ok_or_else(|| {
                        EngineError::syntax(format!("Unknown index type {other}"))
                    })?,
                };
                let entity = if def.target.relationship {
                    EntityKind::Relationship
                } else {
                    EntityKind::Node
                };
                let tokens: Vec<String> = def.target.names.iter().map(|n| n.name.clone()).collect();
                let properties: Vec<String> =
                    def.properties.iter().map(|n| n.name.clone()).collect();
                match kind {
                    IndexKind::Lookup if !tokens.is_empty() || !properties.is_empty() => {
                        return Err(EngineError::syntax(
                            "A token lookup index is on labels(n) or type(r) only",
                        ));
                    }
                    IndexKind::Text | IndexKind::Point | IndexKind::Vector
                        if properties.len() != 1 =>
                    {
                        return Err(EngineError::syntax(format!(
                            "Only single property {} indexes are supported",
                            kind.name().to_lowercase()
                        )));
                    }
                    IndexKind::Range | IndexKind::Text | IndexKind::Point | IndexKind::Vector
                        if tokens.len() != 1 =>
                    {
                        return Err(EngineError::syntax(
                            "An index of this kind is on one label or relationship type",
                        ));
                    }
                    _ => {}
                }
                let options = match &def.options {
                    Some(e) => match constant(e, params)? {
                        Value::Map(map) => {
                            let mut out = Map::new();
                            for (k, v) in map {
                                out.insert(k, convert::to_bolt_plain(&v)?);
                            }
                            out
                        }
                        _ => return Err(EngineError::syntax("OPTIONS must be a map")),
                    },
                    None => Map::new(),
                };
                let named = def.name.is_some();
                let name = match &def.name {
                    Some(n) => name_of(n, params)?,
                    None => format!(
                        "index_{}",
                        short_hash(&format!(
                            "{}{}",
                            kind.name(),
                            schema_text(entity, &tokens, &properties)
                        ))
                    ),
                };
                SchemaCommand::CreateIndex {
                    index: IndexDef {
                        id: 0,
                        name,
                        kind,
                        entity,
                        tokens,
                        properties,
                        options,
                        owner: None,
                    },
                    named,
                    if_not_exists: def.if_not_exists,
                }
            }
            CommandKind::CreateConstraint(def) => {
                let entity = if def.target.relationship {
                    EntityKind::Relationship
                } else {
                    EntityKind::Node
                };
                let token = def
                    .target
                    .names
                    .first()
                    .map(|n| n.name.clone())
                    .ok_or_else(|| {
                        EngineError::syntax("A constraint needs a label or relationship type")
                    })?;
                let properties: Vec<String> =
                    def.properties.iter().map(|n| n.name.clone()).collect();
                let rule = def.rule.trim().to_ascii_uppercase();
                let kind = if rule.starts_with("::") || rule.starts_with("TYPED") {
                    let ty = rule
                        .trim_start_matches("::")
                        .trim_start_matches("TYPED")
                        .trim()
                        .to_owned();
                    CypherType::parse(&ty)?;
                    if properties.len() != 1 {
                        return Err(EngineError::syntax(
                            "A property type constraint is on one property",
                        ));
                    }
                    ConstraintKind::PropertyType(ty)
                } else {
                    match rule.as_str() {
                        "UNIQUE" | "NODE UNIQUE" | "RELATIONSHIP UNIQUE" | "REL UNIQUE" => {
                            ConstraintKind::Unique
                        }
                        "KEY" | "NODE KEY" | "RELATIONSHIP KEY" | "REL KEY" => ConstraintKind::Key,
                        "NOT NULL" => {
                            if properties.len() != 1 {
                                return Err(EngineError::syntax(
                                    "Constraint type 'IS NOT NULL' does not allow multiple properties",
                                ));
                            }
                            ConstraintKind::Exists
                        }
                        other => {
                            return Err(EngineError::syntax(format!(
                                "Unknown constraint rule IS {other}"
                            )));
                        }
                    }
                };
                if matches!(rule.as_str(), "NODE KEY" | "NODE UNIQUE")
                    && entity == EntityKind::Relationship
                    || matches!(
                        rule.as_str(),
                        "RELATIONSHIP KEY" | "REL KEY" | "RELATIONSHIP UNIQUE" | "REL UNIQUE"
                    ) && entity == EntityKind::Node
                {
                    return Err(EngineError::syntax(format!(
                        "'{rule}' does not fit the constraint's pattern"
                    )));
                }
                let named = def.name.is_some();
                let name = match &def.name {
                    Some(n) => name_of(n, params)?,
                    None => format!(
                        "constraint_{}",
                        short_hash(&format!(
                            "{}{}",
                            kind.name(entity),
                            schema_text(entity, std::slice::from_ref(&token), &properties)
                        ))
                    ),
                };
                let index = matches!(kind, ConstraintKind::Unique | ConstraintKind::Key)
                    .then(|| name.clone());
                SchemaCommand::CreateConstraint {
                    constraint: ConstraintDef {
                        id: 0,
                        name,
                        kind,
                        entity,
                        token,
                        properties,
                        index,
                    },
                    named,
                    if_not_exists: def.if_not_exists,
                }
            }
            CommandKind::DropIndex { name, if_exists } => SchemaCommand::DropIndex {
                name: name_of(name, params)?,
                if_exists: *if_exists,
            },
            CommandKind::DropConstraint { name, if_exists } => SchemaCommand::DropConstraint {
                name: name_of(name, params)?,
                if_exists: *if_exists,
            },
            CommandKind::Database { action, name } => {
                let text = command_words(command, text);
                let has = |phrase: &str| text.contains(phrase);
                if has("COMPOSITE") {
                    return Err(EngineError::not_supported("composite databases"));
                }
                if action == "ALTER" && has("TOPOLOGY") {
                    return Err(EngineError::not_supported(
                        "ALTER DATABASE … SET TOPOLOGY: the embedded engine runs one server",
                    ));
                }
                SchemaCommand::Database {
                    action: action.clone(),
                    name: name_of(name, params)?.to_ascii_lowercase(),
                    if_exists: has(" IF EXISTS"),
                    if_not_exists: has(" IF NOT EXISTS"),
                    or_replace: has("OR REPLACE"),
                }
            }
            CommandKind::Admin { command } => {
                return Err(EngineError::not_supported(format!(
                    "{command}: users, roles, privileges, aliases and servers are not managed by the embedded engine"
                )));
            }
        })
    }

    /// A `SHOW …` or `TERMINATE TRANSACTIONS` clause.
    pub(crate) fn show(show: &ast::Show, planner: &mut Planner<'_>) -> Result<SchemaCommand> {
        let scope = crate::engine::plan::scope::Scope::default();
        let kind = if show.command.starts_with("TERMINATE") {
            None
        } else {
            Some(ShowKind::parse(&show.command)?)
        };
        // `SHOW DATABASE name`: the name is a symbolic name, not a variable.
        if let Some(ShowKind::Databases(None)) = kind
            && let Some(ast::ExprKind::Variable(name) | ast::ExprKind::String(name)) =
                show.args.first().map(|a| &a.kind)
        {
            return Ok(SchemaCommand::Show {
                kind: ShowKind::Databases(Some(name.clone())),
                args: Vec::new(),
            });
        }
        let mut args = Vec::new();
        for arg in &show.args {
            args.push(planner.compile_constant(arg, &scope)?);
        }
        Ok(match kind {
            None => SchemaCommand::Terminate { ids: args },
            Some(kind) => SchemaCommand::Show { kind, args },
        })
    }

    /// What the command does, for plan descriptions.
    pub(crate) fn describe(&self) -> String {
        match self {
            SchemaCommand::CreateIndex { index, .. } => format!("CREATE {}", describe_index(index)),
            SchemaCommand::CreateConstraint { constraint, .. } => {
                format!("CREATE {}", describe_constraint(constraint))
            }
            SchemaCommand::DropIndex { name, .. } => format!("DROP INDEX {name}"),
            SchemaCommand::DropConstraint { name, .. } => format!("DROP CONSTRAINT {name}"),
            SchemaCommand::Show { kind, .. } => format!("SHOW {}", kind.noun()),
            SchemaCommand::Terminate { .. } => "TERMINATE TRANSACTIONS".to_owned(),
            SchemaCommand::Database { action, name, .. } => format!("{action} DATABASE {name}"),
        }
    }

    /// The columns without `YIELD`.
    pub(crate) fn columns(&self) -> Vec<String> {
        match self {
            SchemaCommand::Show { kind, .. } => {
                kind.columns().into_iter().map(str::to_owned).collect()
            }
            SchemaCommand::Terminate { .. } => {
                vec!["transactionId".into(), "username".into(), "message".into()]
            }
            _ => Vec::new(),
        }
    }

    /// Every column, for `YIELD *`.
    pub(crate) fn all_columns(&self) -> Vec<String> {
        match self {
            SchemaCommand::Show { kind, .. } => {
                kind.all_columns().into_iter().map(str::to_owned).collect()
            }
            other => other.columns(),
        }
    }

    /// Whether the command changes the schema or databases.
    pub(crate) fn writes(&self) -> bool {
        !matches!(
            self,
            SchemaCommand::Show { .. } | SchemaCommand::Terminate { .. }
        )
    }

    /// Runs the command; its rows have a value per column of `all_columns`.
    pub(crate) fn run(&self, argument: &Row, ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
        match self {
            SchemaCommand::Show { kind, args } => {
                let mut rows = kind.rows(ctx)?;
                if matches!(kind, ShowKind::Transactions) && !args.is_empty() {
                    let mut ids = Vec::new();
                    let mut row = argument.clone();
                    for arg in args {
                        match eval(arg, &mut row, ctx)? {
                            Value::List(items) => ids.extend(items),
                            other => ids.push(other),
                        }
                    }
                    rows.retain(|r| ids.iter().any(|id| matches!((id, &r[1]), (Value::String(a), Value::String(b)) if a == b)));
                }
                Ok(rows)
            }
            SchemaCommand::Terminate { ids } => {
                let mut row = argument.clone();
                let mut out = Vec::new();
                for arg in ids {
                    let values = match eval(arg, &mut row, ctx)? {
                        Value::List(items) => items,
                        other => vec![other],
                    };
                    for value in values {
                        let Value::String(id) = value else {
                            return Err(EngineError::type_error("Transaction ids are strings"));
                        };
                        let message = if ctx.env.engine.terminate(&id) {
                            "Transaction terminated."
                        } else {
                            "Transaction not found."
                        };
                        out.push(vec![
                            Value::String(id),
                            Value::string(""),
                            Value::string(message),
                        ]);
                    }
                }
                Ok(out)
            }
            SchemaCommand::CreateIndex {
                index,
                named,
                if_not_exists,
            } => {
                schema_transaction(ctx)?;
                create_index(ctx, index.clone(), *named, *if_not_exists)?;
                Ok(Vec::new())
            }
            SchemaCommand::CreateConstraint {
                constraint,
                named,
                if_not_exists,
            } => {
                schema_transaction(ctx)?;
                create_constraint(ctx, constraint.clone(), *named, *if_not_exists)?;
                Ok(Vec::new())
            }
            SchemaCommand::DropIndex { name, if_exists } => {
                schema_transaction(ctx)?;
                drop_index(ctx, name, *if_exists)?;
                Ok(Vec::new())
            }
            SchemaCommand::DropConstraint { name, if_exists } => {
                schema_transaction(ctx)?;
                drop_constraint(ctx, name, *if_exists)?;
                Ok(Vec::new())
            }
            SchemaCommand::Database {
                action,
                name,
                if_exists,
                if_not_exists,
                or_replace,
            } => {
                if ctx.env.database != crate::engine::SYSTEM_DATABASE {
                    return Err(EngineError::new(
                        codes::UNSUPPORTED_ADMINISTRATION_COMMAND,
                        format!(
                            "This is an administration command and it should be executed against the system database: {action} DATABASE"
                        ),
                    ));
                }
                let engine = &ctx.env.engine;
                let exists = engine.database_names().iter().any(|d| d == name);
                let changed = match action.as_str() {
                    "CREATE" => {
                        if exists && *or_replace {
                            engine.drop_database(name)?;
                            engine.create_database(name)?;
                            true
                        } else if exists && *if_not_exists {
                            false
                        } else {
                            engine.create_database(name)?;
                            true
                        }
                    }
                    "DROP" => {
                        if !exists && *if_exists {
                            false
                        } else {
                            engine.drop_database(name)?;
                            true
                        }
                    }
                    "START" | "STOP" | "ALTER" => {
                        if !exists && !*if_exists {
                            return Err(EngineError::new(
                                codes::DATABASE_NOT_FOUND,
                                format!("Database does not exist. Database name: '{name}'."),
                            ));
                        }
                        return Err(EngineError::not_supported(format!(
                            "{action} DATABASE: databases of the embedded engine are always online and read-write"
                        )));
                    }
                    other => return Err(EngineError::not_supported(format!("{other} DATABASE"))),
                };
                if changed {
                    ctx.stmt.stats.system_updates += 1;
                }
                Ok(Vec::new())
            }
        }
    }
}

/// The command's words, upper-cased and single-spaced, for the options the
/// syntax tree does not keep (`IF NOT EXISTS` of database commands).
fn command_words(command: &ast::Command, text: &str) -> String {
    let words: Vec<String> = command
        .span
        .text(text)
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    format!(" {} ", words.join(" "))
}

/// Refuses a schema change in a transaction that changed data.
fn schema_transaction(ctx: &mut ExecCtx<'_>) -> Result<()> {
    if ctx.store.tx_state_ref().wrote_data {
        return Err(EngineError::new(
            codes::FORBIDDEN_DUE_TO_TRANSACTION_TYPE,
            "Tried to execute Schema modification after executing Write query",
        ));
    }
    ctx.store.tx_state().wrote_schema = true;
    Ok(())
}

fn describe_index(index: &IndexDef) -> String {
    format!(
        "Index( id={}, name='{}', type='{}', schema={}, indexProvider='{}' )",
        index.id,
        index.name,
        index.kind.name(),
        schema_text(index.entity, &index.tokens, &index.properties),
        index.kind.provider()
    )
}

fn describe_constraint(constraint: &ConstraintDef) -> String {
    format!(
        "Constraint( id={}, name='{}', type='{}', schema={} )",
        constraint.id,
        constraint.name,
        constraint.kind.name(constraint.entity),
        schema_text(
            constraint.entity,
            std::slice::from_ref(&constraint.token),
            &constraint.properties
        )
    )
}

fn same_schema(a: &IndexDef, b: &IndexDef) -> bool {
    a.kind == b.kind && a.entity == b.entity && a.tokens == b.tokens && a.properties == b.properties
}

fn create_index(
    ctx: &mut ExecCtx<'_>,
    mut index: IndexDef,
    named: bool,
    if_not_exists: bool,
) -> Result<bool> {
    let mut catalog = (*ctx.store.catalog()).clone();
    if let Some(existing) = catalog.indexes.iter().find(|i| same_schema(i, &index)) {
        if if_not_exists {
            return Ok(false);
        }
        if existing.owner.is_some() {
            return Err(EngineError::new(
                codes::INDEX_ALREADY_EXISTS,
                format!(
                    "There is a uniqueness constraint on {}, so an index is already created that matches this.",
                    schema_text(index.entity, &index.tokens, &index.properties)
                ),
            ));
        }
        return Err(EngineError::new(
            codes::EQUIVALENT_SCHEMA_RULE_ALREADY_EXISTS,
            format!(
                "An equivalent index already exists, '{}'.",
                describe_index(existing)
            ),
        ));
    }
    if catalog.index(&index.name).is_some() || catalog.constraint(&index.name).is_some() {
        if if_not_exists {
            return Ok(false);
        }
        let is_constraint = catalog.constraint(&index.name).is_some();
        return Err(EngineError::new(
            if is_constraint {
                codes::CONSTRAINT_WITH_NAME_ALREADY_EXISTS
            } else {
                codes::INDEX_WITH_NAME_ALREADY_EXISTS
            },
            format!(
                "There already exists {} called '{}'.",
                if is_constraint {
                    "a constraint"
                } else {
                    "an index"
                },
                index.name
            ),
        ));
    }
    if index.kind == IndexKind::Lookup
        && catalog
            .indexes
            .iter()
            .any(|i| i.kind == IndexKind::Lookup && i.entity == index.entity)
    {
        return Err(EngineError::new(
            codes::EQUIVALENT_SCHEMA_RULE_ALREADY_EXISTS,
            "An equivalent token lookup index already exists.",
        ));
    }
    let _ = named;
    index.id = catalog.next_id;
    catalog.next_id += 1;
    catalog.indexes.push(index.clone());
    install(ctx, catalog)?;
    populate(ctx, &index)?;
    ctx.stmt.stats.indexes_added += 1;
    Ok(true)
}

/// Stores a new catalog and makes it the statement's.
fn install(ctx: &mut ExecCtx<'_>, catalog: Catalog) -> Result<()> {
    catalog.save(ctx.store.write_txn()?)?;
    ctx.store.set_catalog(catalog);
    Ok(())
}

/// Adds the entries of every existing entity to a new index.
fn populate(ctx: &mut ExecCtx<'_>, def: &IndexDef) -> Result<()> {
    if def.kind == IndexKind::Lookup {
        return Ok(());
    }
    let only = Catalog {
        indexes: vec![def.clone()],
        ..Catalog::default()
    };
    match def.entity {
        EntityKind::Node => {
            for token in &def.tokens {
                for id in ctx.store.label_node_ids(token)? {
                    ctx.tick()?;
                    if let Some(node) = ctx.store.node(id)? {
                        index::update_node_entries(&ctx.store, &only, id, None, Some(&node))?;
                    }
                }
            }
        }
        EntityKind::Relationship => {
            let mut last = None;
            loop {
                let chunk = ctx.store.rel_chunk(last, 1024)?;
                let Some(&(end, ..)) = chunk.last() else {
                    break;
                };
                last = Some(end);
                for (id, ..) in chunk {
                    ctx.tick()?;
                    if let Some(rel) = ctx.store.rel(id)?
                        && def.tokens.contains(&rel.rel_type)
                    {
                        index::update_rel_entries(&ctx.store, &only, id, None, Some(&rel))?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn create_constraint(
    ctx: &mut ExecCtx<'_>,
    mut constraint: ConstraintDef,
    named: bool,
    if_not_exists: bool,
) -> Result<bool> {
    let mut catalog = (*ctx.store.catalog()).clone();
    let equivalent = catalog.constraints.iter().find(|c| {
        c.kind == constraint.kind
            && c.entity == constraint.entity
            && c.token == constraint.token
            && c.properties == constraint.properties
    });
    if let Some(existing) = equivalent {
        if if_not_exists {
            return Ok(false);
        }
        return Err(EngineError::new(
            codes::EQUIVALENT_SCHEMA_RULE_ALREADY_EXISTS,
            format!(
                "An equivalent constraint already exists, '{}'.",
                describe_constraint(existing)
            ),
        ));
    }
    if catalog.constraint(&constraint.name).is_some() || catalog.index(&constraint.name).is_some() {
        if if_not_exists {
            return Ok(false);
        }
        let is_index = catalog.index(&constraint.name).is_some();
        return Err(EngineError::new(
            if is_index {
                codes::INDEX_WITH_NAME_ALREADY_EXISTS
            } else {
                codes::CONSTRAINT_WITH_NAME_ALREADY_EXISTS
            },
            format!(
                "There already exists {} called '{}'.",
                if is_index { "an index" } else { "a constraint" },
                constraint.name
            ),
        ));
    }
    let backing = constraint.index.as_ref().map(|name| IndexDef {
        id: 0,
        name: name.clone(),
        kind: IndexKind::Range,
        entity: constraint.entity,
        tokens: vec![constraint.token.clone()],
        properties: constraint.properties.clone(),
        options: Map::new(),
        owner: Some(constraint.name.clone()),
    });
    if let Some(backing) = &backing
        && let Some(existing) = catalog.indexes.iter().find(|i| same_schema(i, backing))
    {
        {
            if existing.owner.is_some() {
                if if_not_exists {
                    return Ok(false);
                }
                return Err(EngineError::new(
                    codes::CONSTRAINT_ALREADY_EXISTS,
                    format!(
                        "Constraint already exists: {}",
                        describe_constraint(
                            catalog
                                .constraint(existing.owner.as_deref().unwrap_or_default())
                                .unwrap_or(&constraint)
                        )
                    ),
                ));
            }
            return Err(EngineError::new(
                codes::INDEX_ALREADY_EXISTS,
                format!(
                    "There already exists an index {}. A constraint cannot be created until the index has been dropped.",
                    schema_text(backing.entity, &backing.tokens, &backing.properties)
                ),
            ));
        }
    }
    let _ = named;
    constraint.id = catalog.next_id;
    catalog.next_id += 1;
    if let Some(mut backing) = backing {
        backing.id = catalog.next_id;
        catalog.next_id += 1;
        catalog.indexes.push(backing.clone());
        catalog.constraints.push(constraint.clone());
        install(ctx, catalog)?;
        populate(ctx, &backing)?;
    } else {
        catalog.constraints.push(constraint.clone());
        install(ctx, catalog)?;
    }
    check_existing(ctx, &constraint)?;
    ctx.stmt.stats.constraints_added += 1;
    Ok(true)
}

/// Fails if the data already breaks a new constraint.
fn check_existing(ctx: &mut ExecCtx<'_>, constraint: &ConstraintDef) -> Result<()> {
    let failed = |detail: String| {
        EngineError::new(
            codes::CONSTRAINT_CREATION_FAILED,
            format!(
                "Unable to create {}:\n{detail}",
                describe_constraint(constraint)
            ),
        )
    };
    let what = if constraint.entity == EntityKind::Node {
        "Node"
    } else {
        "Relationship"
    };
    let token_kind = if constraint.entity == EntityKind::Node {
        "label"
    } else {
        "type"
    };
    let mut entities: Vec<(u64, BTreeMap<String, Value>)> = Vec::new();
    match constraint.entity {
        EntityKind::Node => {
            for id in ctx.store.label_node_ids(&constraint.token)? {
                if let Some(node) = ctx.store.node(id)? {
                    entities.push((id, node.props.clone()));
                }
            }
        }
        EntityKind::Relationship => {
            let mut last = None;
            loop {
                let chunk = ctx.store.rel_chunk(last, 1024)?;
                let Some(&(end, ..)) = chunk.last() else {
                    break;
                };
                last = Some(end);
                for (id, ..) in chunk {
                    if let Some(rel) = ctx.store.rel(id)?
                        && rel.rel_type == constraint.token
                    {
                        entities.push((id, rel.props.clone()));
                    }
                }
            }
        }
    }
    let mut seen: Vec<(u64, Vec<Value>)> = Vec::new();
    for (id, props) in entities {
        ctx.tick()?;
        let values: Vec<Option<&Value>> =
            constraint.properties.iter().map(|p| props.get(p)).collect();
        match &constraint.kind {
            ConstraintKind::Exists | ConstraintKind::Key if values.iter().any(Option::is_none) => {
                return Err(failed(format!(
                    "{what}({id}) with {token_kind} `{}` must have the property `{}`",
                    constraint.token,
                    constraint.properties.join("`, `")
                )));
            }
            ConstraintKind::PropertyType(ty) => {
                if let Some(Some(v)) = values.first()
                    && !CypherType::parse(ty)?.matches(v)
                {
                    return Err(failed(format!(
                        "{what}({id}) with {token_kind} `{}` has property `{}` of wrong type `{}`.",
                        constraint.token,
                        constraint.properties[0],
                        v.type_name()
                    )));
                }
            }
            ConstraintKind::Unique | ConstraintKind::Key if values.iter().all(Option::is_some) => {
                let values: Vec<Value> = values.into_iter().flatten().cloned().collect();
                if let Some((other, _)) = seen.iter().find(|(_, v)| {
                    v.iter()
                        .zip(&values)
                        .all(|(a, b)| crate::engine::expr::compare::equivalent(a, b))
                }) {
                    let described: Vec<String> = constraint
                        .properties
                        .iter()
                        .zip(&values)
                        .map(|(p, v)| {
                            format!(
                                "`{p}` = {}",
                                match v {
                                    Value::String(s) => format!("'{s}'"),
                                    o => o.to_string(),
                                }
                            )
                        })
                        .collect();
                    return Err(failed(format!(
                        "Both {what}({other}) and {what}({id}) have the {token_kind} `{}` and {} {}",
                        constraint.token,
                        if described.len() == 1 {
                            "property"
                        } else {
                            "properties"
                        },
                        described.join(", ")
                    )));
                }
                seen.push((id, values));
            }
            _ => {}
        }
    }
    Ok(())
}

fn remove_entries(ctx: &mut ExecCtx<'_>, def: &IndexDef) -> Result<()> {
    let txn = ctx.store.write_txn()?;
    let mut table = txn
        .open_table(marsdb_storage::TableDefinition::<&[u8], ()>::new(
            "neo_index_entries",
        ))
        .map_err(|e| EngineError::internal(format!("storage failure: {e}")))?;
    let start = (def.id as u64).to_be_bytes();
    let end = ((def.id as u64) + 1).to_be_bytes();
    table
        .retain_in::<&[u8], _>(start.as_slice()..end.as_slice(), |_, _| false)
        .map_err(|e| EngineError::internal(format!("storage failure: {e}")))?;
    Ok(())
}

fn drop_index(ctx: &mut ExecCtx<'_>, name: &str, if_exists: bool) -> Result<bool> {
    let mut catalog = (*ctx.store.catalog()).clone();
    let Some(position) = catalog.indexes.iter().position(|i| i.name == name) else {
        if if_exists {
            return Ok(false);
        }
        return Err(EngineError::new(
            codes::INDEX_DROP_FAILED,
            format!("Unable to drop index called `{name}`. There is no such index."),
        ));
    };
    if let Some(owner) = &catalog.indexes[position].owner {
        return Err(EngineError::new(
            codes::INDEX_DROP_FAILED,
            format!("Unable to drop index: Index belongs to constraint: `{owner}`"),
        ));
    }
    let def = catalog.indexes.remove(position);
    remove_entries(ctx, &def)?;
    install(ctx, catalog)?;
    ctx.stmt.stats.indexes_removed += 1;
    Ok(true)
}

fn drop_constraint(ctx: &mut ExecCtx<'_>, name: &str, if_exists: bool) -> Result<bool> {
    let mut catalog = (*ctx.store.catalog()).clone();
    let Some(position) = catalog.constraints.iter().position(|c| c.name == name) else {
        if if_exists {
            return Ok(false);
        }
        return Err(EngineError::new(
            codes::CONSTRAINT_DROP_FAILED,
            format!("Unable to drop constraint `{name}`: No such constraint {name}."),
        ));
    };
    let constraint = catalog.constraints.remove(position);
    if let Some(index_name) = &constraint.index
        && let Some(i) = catalog.indexes.iter().position(|i| &i.name == index_name)
    {
        let def = catalog.indexes.remove(i);
        remove_entries(ctx, &def)?;
    }
    install(ctx, catalog)?;
    ctx.stmt.stats.constraints_removed += 1;
    Ok(true)
}
