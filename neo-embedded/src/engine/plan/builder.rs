//! The planner's entry: one parsed statement to one plan, with its columns,
//! its kind (read, write, schema), `EXPLAIN`/`PROFILE` and the
//! notifications planning found.

use std::collections::BTreeMap;

use neo_cypher::ast;

use super::Plan;
use crate::engine::error::{EngineError, Result};
use crate::engine::expr::Slot;
use crate::engine::output::Notification;
use crate::engine::procedures::Registry;
use crate::engine::schema::{Catalog, SchemaCommand};
use crate::engine::value::Value;

/// What planning needs from the engine.
pub(crate) struct PlanContext<'a> {
    pub(crate) procedures: &'a Registry,
    pub(crate) catalog: &'a Catalog,
    pub(crate) params: &'a BTreeMap<String, Value>,
    /// The database the statement runs on.
    pub(crate) database: &'a str,
    /// Labels, relationship types and property keys the database knows, for
    /// the unknown-name warnings.
    pub(crate) known: Option<&'a KnownTokens>,
}

/// The names a database has used.
#[derive(Debug, Default, Clone)]
pub(crate) struct KnownTokens {
    pub(crate) labels: Vec<String>,
    pub(crate) types: Vec<String>,
}

/// How a statement is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunMode {
    Normal,
    /// Planned, not run: the plan goes in the summary.
    Explain,
    /// Run with counts per operator, reported in the summary.
    Profile,
}

/// What a statement does, for the summary's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatementKind {
    Read,
    Write,
    ReadWrite,
    Schema,
}

/// A statement ready to run.
#[derive(Debug)]
pub(crate) struct PlannedStatement {
    pub(crate) plan: Plan,
    pub(crate) slots: usize,
    pub(crate) columns: Vec<(String, Slot)>,
    pub(crate) kind: StatementKind,
    pub(crate) mode: RunMode,
    pub(crate) notifications: Vec<Notification>,
    /// Whether running it may write (data or schema).
    pub(crate) writes: bool,
    /// `CALL { } IN TRANSACTIONS`: runs only in an implicit transaction.
    pub(crate) in_transactions: bool,
}

/// The planner's state for one statement.
pub(crate) struct Planner<'a> {
    pub(super) slots: usize,
    pub(super) text: &'a str,
    /// The parsed statement, for what its syntax tree does not hold.
    pub(super) query: &'a neo_cypher::Query,
    pub(super) ctx: &'a PlanContext<'a>,
    pub(super) notifications: Vec<Notification>,
    pub(super) in_transactions: bool,
    /// The `MATCH` being planned is `REPEATABLE ELEMENTS`.
    pub(super) repeatable: bool,
}

impl<'a> Planner<'a> {
    pub(super) fn slot(&mut self) -> Slot {
        let slot = self.slots;
        self.slots += 1;
        slot
    }

    pub(super) fn notify(&mut self, notification: Notification) {
        if !self
            .notifications
            .iter()
            .any(|n| n.code == notification.code && n.description == notification.description)
        {
            self.notifications.push(notification);
        }
    }
}

/// Reads `CYPHER …`, `EXPLAIN` and `PROFILE` from the statement's prefix.
fn run_mode(prefix: Option<&str>) -> Result<RunMode> {
    let Some(prefix) = prefix else {
        return Ok(RunMode::Normal);
    };
    let mut mode = RunMode::Normal;
    let words: Vec<&str> = prefix.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let word = words[i].to_ascii_uppercase();
        match word.as_str() {
            "EXPLAIN" => mode = RunMode::Explain,
            "PROFILE" => mode = RunMode::Profile,
            "CYPHER" => {}
            _ => {
                // `5`, `runtime=slotted`, `planner=cost`, …: one plan and one
                // runtime here, so every choice runs the same way; values are
                // checked against the ones Neo4j knows.
                let option = words[i];
                if let Some((key, value)) = option.split_once('=') {
                    check_option(key.trim(), value.trim().trim_matches(['\'', '"']))?;
                } else if option.parse::<f64>().is_err() {
                    return Err(EngineError::syntax(format!(
                        "Unknown Cypher option '{option}'"
                    )));
                } else if option != "5" && option != "25" {
                    return Err(EngineError::syntax(format!(
                        "Unsupported Cypher version '{option}'; the engine runs Cypher 5"
                    )));
                }
            }
        }
        i += 1;
    }
    Ok(mode)
}

fn check_option(key: &str, value: &str) -> Result<()> {
    let known: &[&str] = match key.to_ascii_lowercase().as_str() {
        "runtime" => &["slotted", "pipelined", "parallel", "interpreted", "legacy"],
        "planner" => &["cost", "idp", "dp"],
        "expressionengine" => &["interpreted", "compiled", "default"],
        "operatorengine" => &["interpreted", "compiled", "default"],
        "interpretedpipesfallback" => &["disabled", "default", "all", "whitelisted_plans_only"],
        "replan" => &["force", "skip", "default"],
        "updatestrategy" => &["default", "eager"],
        "debug" | "inferschemaparts" | "connectcomponentsplanner" | "eageranalyzer" => {
            return Ok(());
        }
        _ => {
            return Err(EngineError::syntax(format!(
                "Unknown Cypher option '{key}'"
            )));
        }
    };
    if known.iter().any(|k| k.eq_ignore_ascii_case(value)) {
        Ok(())
    } else {
        Err(EngineError::syntax(format!(
            "Invalid Cypher option value '{value}' for '{key}'; expected one of {}",
            known.join(", ")
        )))
    }
}

/// Plans a parsed statement.
pub(crate) fn plan_statement(
    query: &neo_cypher::Query,
    text: &str,
    ctx: &PlanContext<'_>,
) -> Result<PlannedStatement> {
    let mode = run_mode(query.prefix())?;
    let mut planner = Planner {
        slots: 0,
        text,
        query,
        ctx,
        notifications: Vec::new(),
        in_transactions: false,
        repeatable: false,
    };
    match query.statement() {
        ast::Statement::Command(command) => {
            let command = SchemaCommand::from_ast(command, text, ctx)?;
            let columns_names = command.columns();
            let columns: Vec<(String, Slot)> = columns_names
                .iter()
                .map(|name| (name.clone(), planner.slot()))
                .collect();
            let kind = if command.writes() {
                StatementKind::Schema
            } else {
                StatementKind::Read
            };
            let writes = command.writes();
            let plan = Plan::Command {
                command: Box::new(command),
                columns: columns.iter().map(|(_, s)| *s).collect(),
            };
            Ok(PlannedStatement {
                plan,
                slots: planner.slots,
                columns,
                kind,
                mode,
                notifications: planner.notifications,
                writes,
                in_transactions: false,
            })
        }
        ast::Statement::Query(body) => {
            let (plan, columns) = planner.top_level(body)?;
            let writes = plan.writes();
            let schema = plan_is_schema(&plan);
            let kind = if schema {
                StatementKind::Schema
            } else {
                match (writes, columns.is_empty()) {
                    (false, _) => StatementKind::Read,
                    (true, true) => StatementKind::Write,
                    (true, false) => StatementKind::ReadWrite,
                }
            };
            Ok(PlannedStatement {
                plan,
                slots: planner.slots,
                columns,
                kind,
                mode,
                notifications: planner.notifications,
                writes,
                in_transactions: planner.in_transactions,
            })
        }
    }
}

fn plan_is_schema(plan: &Plan) -> bool {
    match plan {
        Plan::Command { command, .. } => command.writes(),
        other => other.children().iter().any(|c| plan_is_schema(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(run_mode(Some("EXPLAIN")).unwrap(), RunMode::Explain);
        assert_eq!(
            run_mode(Some("CYPHER runtime=slotted PROFILE")).unwrap(),
            RunMode::Profile
        );
        assert_eq!(run_mode(Some("CYPHER 5")).unwrap(), RunMode::Normal);
        assert!(run_mode(Some("CYPHER runtime=fast")).is_err());
    }
}
