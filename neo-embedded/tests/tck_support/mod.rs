//! Running openCypher TCK scenarios on the embedded engine: each scenario
//! on a fresh engine, with its setup, parameters, procedures, the query in
//! an auto-commit transaction, and checks of the rows, the error (class,
//! phase and detail) and the side effects.

#![allow(dead_code, unreachable_pub)]

pub mod gherkin;
pub mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use neo_bolt::Value;
use neo_bolt::packstream::Map;
use neo_embedded::engine::{
    AccessMode, BatchEnd, EngineError, Field, GraphEngine, MarsEngine, Procedure,
};

use gherkin::Scenario;
use values::{Expected, ListOrder};

/// What running a scenario came to.
#[derive(Debug)]
pub enum Outcome {
    Passed,
    Failed(String),
    Skipped(&'static str),
}

/// When a statement failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Parsing or planning (`run`).
    Compile,
    /// Executing (pulling rows or committing).
    Runtime,
}

/// What a statement gave.
#[derive(Debug)]
pub enum Executed {
    Rows {
        fields: Vec<String>,
        rows: Vec<Vec<Value>>,
    },
    Error {
        phase: Phase,
        error: EngineError,
    },
}

/// Runs one statement in its own auto-commit transaction.
pub fn execute(engine: &dyn GraphEngine, query: &str, params: &Map) -> Executed {
    let mut tx = match engine.begin("neo4j", AccessMode::Write) {
        Ok(tx) => tx,
        Err(error) => {
            return Executed::Error {
                phase: Phase::Compile,
                error,
            };
        }
    };
    let head = match tx.run(query, params) {
        Ok(head) => head,
        Err(error) => {
            return Executed::Error {
                phase: Phase::Compile,
                error,
            };
        }
    };
    let batch = tx.pull(head.id, usize::MAX);
    match batch.end {
        BatchEnd::Done(_) => {}
        BatchEnd::Failed(error) => {
            return Executed::Error {
                phase: Phase::Runtime,
                error,
            };
        }
        BatchEnd::HasMore => {
            return Executed::Error {
                phase: Phase::Runtime,
                error: EngineError::new(
                    "Test.HasMore",
                    "a statement pulled to its end had more rows",
                ),
            };
        }
    }
    if let Err(error) = tx.commit() {
        return Executed::Error {
            phase: Phase::Runtime,
            error,
        };
    }
    Executed::Rows {
        fields: head.fields,
        rows: batch.records,
    }
}

/// The graph as the TCK compares side effects: node ids, relationship
/// ids, label names, and (entity, key, value) properties.
#[derive(Debug, Default)]
struct GraphState {
    nodes: BTreeSet<i64>,
    rels: BTreeSet<i64>,
    labels: BTreeSet<String>,
    properties: BTreeSet<String>,
}

fn rows(engine: &dyn GraphEngine, query: &str) -> Result<Vec<Vec<Value>>, String> {
    match execute(engine, query, &Map::new()) {
        Executed::Rows { rows, .. } => Ok(rows),
        Executed::Error { error, .. } => Err(format!("{query}: {error}")),
    }
}

fn state(engine: &dyn GraphEngine) -> Result<GraphState, String> {
    let mut state = GraphState::default();
    for row in rows(engine, "MATCH (n) RETURN id(n)")? {
        if let Value::Integer(i) = row[0] {
            state.nodes.insert(i);
        }
    }
    for row in rows(engine, "MATCH ()-[r]->() RETURN id(r)")? {
        if let Value::Integer(i) = row[0] {
            state.rels.insert(i);
        }
    }
    for row in rows(engine, "MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l")? {
        if let Value::String(l) = &row[0] {
            state.labels.insert(l.clone());
        }
    }
    for row in rows(
        engine,
        "MATCH (n) UNWIND keys(n) AS k RETURN 'n' + id(n), k, n[k]",
    )? {
        state.properties.insert(format!("{:?}", row));
    }
    for row in rows(
        engine,
        "MATCH ()-[r]->() UNWIND keys(r) AS k RETURN 'r' + id(r), k, r[k]",
    )? {
        state.properties.insert(format!("{:?}", row));
    }
    Ok(state)
}

fn side_effects(before: &GraphState, after: &GraphState) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut count = |name: &str, n: usize| {
        if n > 0 {
            out.insert(name.to_owned(), n);
        }
    };
    count("+nodes", after.nodes.difference(&before.nodes).count());
    count("-nodes", before.nodes.difference(&after.nodes).count());
    count(
        "+relationships",
        after.rels.difference(&before.rels).count(),
    );
    count(
        "-relationships",
        before.rels.difference(&after.rels).count(),
    );
    count("+labels", after.labels.difference(&before.labels).count());
    count("-labels", before.labels.difference(&after.labels).count());
    count(
        "+properties",
        after.properties.difference(&before.properties).count(),
    );
    count(
        "-properties",
        before.properties.difference(&after.properties).count(),
    );
    out
}

/// The Neo4j status code of a TCK error class.
fn code_of(class: &str) -> Option<&'static str> {
    Some(match class {
        "SyntaxError" => "Neo.ClientError.Statement.SyntaxError",
        "SemanticError" => "Neo.ClientError.Statement.SemanticError",
        "TypeError" => "Neo.ClientError.Statement.TypeError",
        "ArgumentError" => "Neo.ClientError.Statement.ArgumentError",
        "ArithmeticError" => "Neo.ClientError.Statement.ArithmeticError",
        "EntityNotFound" => "Neo.ClientError.Statement.EntityNotFound",
        "ParameterMissing" => "Neo.ClientError.Statement.ParameterMissing",
        "ConstraintVerificationFailed" => "Neo.ClientError.Schema.ConstraintValidationFailed",
        "ProcedureError" => "Neo.ClientError.Procedure.ProcedureNotFound",
        _ => return None,
    })
}

/// What the message of an error with a TCK detail says (for the details
/// whose Neo4j message is known); `None`: the detail is not checked.
fn detail_words(detail: &str) -> Option<&'static [&'static str]> {
    Some(match detail {
        "UndefinedVariable" => &["not defined"],
        "DeletedEntityAccess" => &["deleted"],
        "MapElementAccessByNonString" => &["map key", "string"],
        "MergeReadOwnWrites" => &["null property value"],
        "DeleteConnectedNode" => &["still has relationships"],
        "UnknownFunction" => &["Unknown function"],
        "InvalidNumberOfArguments" => &["arguments"],
        "NegativeIntegerArgument" => &["non-negative"],
        _ => return None,
    })
}

/// Registers `test.my.proc(in :: INTEGER?) :: (out :: STRING?)` with the
/// scenario's table of inputs and outputs.
fn register_procedure(
    engine: &MarsEngine,
    signature: &str,
    table: &[Vec<String>],
) -> Result<(), String> {
    let signature = signature.trim().trim_end_matches(':').trim();
    let open = signature.find('(').ok_or("no (")?;
    let name = signature[..open].trim().to_owned();
    let close = signature[open..].find(')').ok_or("no )")? + open;
    let fields = |text: &str| -> Vec<Field> {
        text.split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .filter_map(|f| {
                f.split_once("::")
                    .map(|(n, t)| Field::new(n.trim(), t.trim()))
            })
            .collect()
    };
    let inputs = fields(&signature[open + 1..close]);
    let rest = signature[close + 1..]
        .trim()
        .trim_start_matches("::")
        .trim();
    let outputs = fields(rest.trim_start_matches('(').trim_end_matches(')'));
    let header = table.first().cloned().unwrap_or_default();
    let mut data: Vec<(Vec<Value>, Vec<Value>)> = Vec::new();
    for row in table.iter().skip(1) {
        let mut values = Vec::new();
        for cell in row {
            values.push(values::to_parameter(&values::parse(cell)?));
        }
        let split = inputs.len().min(values.len());
        let outs = values.split_off(split);
        data.push((values, outs));
    }
    let _ = header;
    let procedure = Procedure::new(name, inputs, outputs, move |args| {
        Ok(data
            .iter()
            .filter(|(ins, _)| {
                ins.len() == args.len() && ins.iter().zip(args).all(|(a, b)| same(a, b))
            })
            .map(|(_, outs)| outs.clone())
            .collect())
    });
    engine
        .register_procedure(procedure)
        .map_err(|e| e.to_string())
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Integer(x), Value::Float(y)) | (Value::Float(y), Value::Integer(x)) => {
            *x as f64 == *y
        }
        _ => a == b,
    }
}

/// The TCK writes times as `java.time` prints them: without the seconds
/// when they and the fraction are zero (`12:00`, where Cypher's
/// `toString` gives `12:00:00`).
fn java_time_form(text: &str) -> String {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    for start in 0..bytes.len() {
        // `HH:MM:SS` not preceded by a digit (so not an offset's tail).
        let at = start;
        let is_time = digit(at)
            && digit(at + 1)
            && bytes.get(at + 2) == Some(&b':')
            && digit(at + 3)
            && digit(at + 4)
            && bytes.get(at + 5) == Some(&b':')
            && digit(at + 6)
            && digit(at + 7)
            && (at == 0 || bytes[at - 1] == b'T');
        if is_time {
            if &text[at + 5..at + 8] == ":00" && bytes.get(at + 8) != Some(&b'.') {
                return format!("{}{}", &text[..at + 5], &text[at + 8..]);
            }
            return text.to_owned();
        }
    }
    text.to_owned()
}

/// A temporal or spatial value as the TCK writes it, through `toString`.
fn stringify(formatter: &MarsEngine, value: &Value) -> Option<String> {
    match value {
        Value::Date(_)
        | Value::Time(_)
        | Value::LocalTime(_)
        | Value::DateTime(_)
        | Value::DateTimeZoneId(_)
        | Value::LocalDateTime(_)
        | Value::Duration(_)
        | Value::Point2D(_)
        | Value::Point3D(_) => {
            let params: Map = [("v".to_owned(), value.clone())].into_iter().collect();
            match execute(formatter, "RETURN toString($v) AS s", &params) {
                Executed::Rows { rows, .. } => {
                    rows.first().and_then(|r| r[0].as_str()).map(java_time_form)
                }
                Executed::Error { .. } => None,
            }
        }
        _ => None,
    }
}

/// Runs one scenario.
pub fn run(scenario: &Scenario, graphs: &Path) -> Outcome {
    let engine = match MarsEngine::new() {
        Ok(engine) => engine,
        Err(e) => return Outcome::Failed(format!("engine: {e}")),
    };
    let formatter = match MarsEngine::new() {
        Ok(engine) => engine,
        Err(e) => return Outcome::Failed(format!("engine: {e}")),
    };
    let mut params = Map::new();
    let mut result: Option<Executed> = None;
    let mut query_text: Option<String> = None;
    let mut before = GraphState::default();
    let mut after = GraphState::default();
    for step in &scenario.steps {
        let text = step.text.as_str();
        if text == "an empty graph" || text == "any graph" {
            continue;
        }
        if let Some(name) = text
            .strip_prefix("the ")
            .and_then(|t| t.strip_suffix(" graph"))
        {
            let file = graphs.join(name).join(format!("{name}.cypher"));
            let Ok(query) = std::fs::read_to_string(&file) else {
                return Outcome::Failed(format!("no graph {}", file.display()));
            };
            if let Executed::Error { error, .. } = execute(&engine, &query, &Map::new()) {
                return Outcome::Failed(format!("loading {name}: {error}"));
            }
            continue;
        }
        if text.starts_with("having executed") {
            let query = step.doc.clone().unwrap_or_default();
            if let Executed::Error { error, .. } = execute(&engine, &query, &Map::new()) {
                return Outcome::Failed(format!("setup failed: {query}\n{error}"));
            }
            continue;
        }
        if text.starts_with("parameters are") {
            for row in &step.table {
                if row.len() < 2 {
                    continue;
                }
                match values::parse(&row[1]) {
                    Ok(v) => {
                        params.insert(row[0].clone(), values::to_parameter(&v));
                    }
                    Err(e) => return Outcome::Failed(format!("parameter {}: {e}", row[0])),
                }
            }
            continue;
        }
        if let Some(signature) = text.strip_prefix("there exists a procedure ") {
            if let Err(e) = register_procedure(&engine, signature, &step.table) {
                return Outcome::Failed(format!("procedure {signature}: {e}"));
            }
            continue;
        }
        if text.starts_with("executing query") || text.starts_with("executing control query") {
            let query = step.doc.clone().unwrap_or_default();
            before = match state(&engine) {
                Ok(s) => s,
                Err(e) => return Outcome::Failed(format!("graph state: {e}")),
            };
            result = Some(execute(&engine, &query, &params));
            query_text = Some(query);
            after = match state(&engine) {
                Ok(s) => s,
                Err(e) => return Outcome::Failed(format!("graph state: {e}")),
            };
            continue;
        }
        let Some(executed) = &result else {
            return Outcome::Failed(format!("step before any query: {text}"));
        };
        if let Some(rest) = text.strip_prefix("the result should be") {
            let Executed::Rows { fields, rows } = executed else {
                return Outcome::Failed(format!("expected rows, got {executed:?}"));
            };
            if rest.trim() == "empty" {
                if !rows.is_empty() {
                    return Outcome::Failed(format!("expected no rows, got {rows:?}"));
                }
                continue;
            }
            let ordered = rest.contains("in order");
            let list_order = if rest.contains("ignoring element order for lists") {
                ListOrder::Ignored
            } else {
                ListOrder::Strict
            };
            let Some((header, expected_rows)) = step.table.split_first() else {
                return Outcome::Failed("no result table".into());
            };
            let mut positions = Vec::new();
            for column in header {
                match fields.iter().position(|f| f == column) {
                    Some(p) => positions.push(p),
                    None => return Outcome::Failed(format!("no column `{column}` in {fields:?}")),
                }
            }
            if fields.len() != header.len() {
                return Outcome::Failed(format!("columns {fields:?}, expected {header:?}"));
            }
            let mut expected = Vec::new();
            for row in expected_rows {
                let mut values = Vec::new();
                for cell in row {
                    match values::parse(cell) {
                        Ok(v) => values.push(v),
                        Err(e) => return Outcome::Failed(format!("expected value: {e}")),
                    }
                }
                expected.push(values);
            }
            if expected.len() != rows.len() {
                return Outcome::Failed(format!(
                    "{} rows, expected {}\n got {rows:?}\n expected {expected:?}",
                    rows.len(),
                    expected.len()
                ));
            }
            let mut s = |v: &Value| stringify(&formatter, v);
            let row_matches =
                |e: &Vec<Expected>, a: &Vec<Value>, s: &mut dyn FnMut(&Value) -> Option<String>| {
                    e.iter()
                        .zip(&positions)
                        .all(|(ev, p)| values::matches(ev, &a[*p], list_order, s))
                };
            if ordered {
                for (i, (e, a)) in expected.iter().zip(rows).enumerate() {
                    if !row_matches(e, a, &mut s) {
                        return Outcome::Failed(format!("row {i}: {a:?}, expected {e:?}"));
                    }
                }
            } else {
                let mut used = vec![false; rows.len()];
                for e in &expected {
                    let found =
                        (0..rows.len()).find(|i| !used[*i] && row_matches(e, &rows[*i], &mut s));
                    match found {
                        Some(i) => used[i] = true,
                        None => {
                            return Outcome::Failed(format!("no row matches {e:?}\n got {rows:?}"));
                        }
                    }
                }
            }
            continue;
        }
        if let Some(rest) = text.strip_prefix("a ") {
            // `a TypeError should be raised at runtime: InvalidArgumentValue`
            let Some((class, rest)) = rest.split_once(" should be raised at ") else {
                return Outcome::Failed(format!("unknown step: {text}"));
            };
            let (phase, detail) = rest.split_once(':').unwrap_or((rest, "*"));
            let (phase, detail) = (phase.trim(), detail.trim());
            let Some(code) = code_of(class) else {
                return Outcome::Failed(format!("unknown error class {class}"));
            };
            let Executed::Error {
                phase: got_phase,
                error,
            } = executed
            else {
                return Outcome::Failed(format!(
                    "expected {class} ({detail}), the query succeeded"
                ));
            };
            if error.code != code {
                return Outcome::Failed(format!("expected {code} ({detail}), got {error}"));
            }
            let phase_ok = match phase {
                "compile time" => *got_phase == Phase::Compile,
                "runtime" => *got_phase == Phase::Runtime,
                _ => true,
            };
            if !phase_ok {
                return Outcome::Failed(format!(
                    "expected the error at {phase}, got it at {got_phase:?}: {error}"
                ));
            }
            // A compile-time error of neo-cypher's (the parser or its
            // semantic pass) names its detail: it must be the expected one,
            // and the engine must have reported that very error.
            if let Some(query) = &query_text
                && *got_phase == Phase::Compile
                && let Err(parsed) = neo_cypher::parse(query)
            {
                if error.message != parsed.render(query) || error.code != parsed.code() {
                    return Outcome::Failed(format!(
                        "neo-cypher rejects the query with {}: {}, the engine reported {error}",
                        parsed.code(),
                        parsed.render(query)
                    ));
                }
                if detail != "*" && parsed.detail().name() != detail {
                    return Outcome::Failed(format!(
                        "expected detail {detail}, neo-cypher's is {}: {error}",
                        parsed.detail().name()
                    ));
                }
                continue;
            }
            if let Some(words) = detail_words(detail) {
                let message = error.message.to_lowercase();
                if !words.iter().all(|w| message.contains(&w.to_lowercase())) {
                    return Outcome::Failed(format!("expected detail {detail}, got {error}"));
                }
            }
            continue;
        }
        if text == "no side effects" {
            let effects = side_effects(&before, &after);
            if !effects.is_empty() {
                return Outcome::Failed(format!("side effects {effects:?}, expected none"));
            }
            continue;
        }
        if text.starts_with("the side effects should be") {
            let effects = side_effects(&before, &after);
            let mut expected = BTreeMap::new();
            for row in &step.table {
                if row.len() == 2
                    && let Ok(n) = row[1].parse::<usize>()
                    && n > 0
                {
                    expected.insert(row[0].clone(), n);
                }
            }
            if effects != expected {
                return Outcome::Failed(format!("side effects {effects:?}, expected {expected:?}"));
            }
            continue;
        }
        return Outcome::Failed(format!("unknown step: {text}"));
    }
    Outcome::Passed
}
