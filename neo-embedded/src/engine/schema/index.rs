//! Index entries, kept in a table of the store and updated on every write:
//! an order-preserving encoding of the indexed values followed by the
//! entity id, so that equality, range and prefix seeks are key ranges.
//! Also the checks constraints make on what a statement or transaction
//! wrote.

use std::collections::BTreeSet;
use std::ops::Bound;

use marsdb_storage::TableDefinition;

use super::catalog::{Catalog, ConstraintKind, EntityKind, IndexDef, IndexKind};
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::exec::{ExecCtx, Row};
use crate::engine::expr::{CypherType, Expr, eval};
use crate::engine::storage::{NodeData, RelData, Store};
use crate::engine::value::Value;

/// Index entries: key = index id, encoded values, entity id.
const ENTRIES: TableDefinition<'_, &[u8], ()> = TableDefinition::new("neo_index_entries");

fn table_error(error: impl std::fmt::Display) -> EngineError {
    EngineError::internal(format!("storage failure: {error}"))
}

fn sortable_i64(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(&((v as u64) ^ 0x8000_0000_0000_0000).to_be_bytes());
}

fn sortable_i128(out: &mut Vec<u8>, v: i128) {
    out.extend_from_slice(&((v as u128) ^ (1u128 << 127)).to_be_bytes());
}

fn sortable_f64(out: &mut Vec<u8>, f: f64) {
    let bits = f.to_bits();
    let sortable = if bits & 0x8000_0000_0000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000_0000_0000
    };
    out.extend_from_slice(&sortable.to_be_bytes());
}

fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
}

const TAG_BOOL: u8 = 0x10;
const TAG_NUMBER: u8 = 0x20;
const TAG_STRING: u8 = 0x30;

/// The order-preserving encoding of one indexable value; `None` for what
/// an index does not hold.
pub(crate) fn encode(value: &Value, out: &mut Vec<u8>) -> Option<()> {
    match value {
        Value::Bool(b) => out.extend_from_slice(&[TAG_BOOL, u8::from(*b)]),
        Value::Int(i) => {
            out.push(TAG_NUMBER);
            sortable_f64(out, *i as f64);
        }
        Value::Float(f) => {
            out.push(TAG_NUMBER);
            sortable_f64(out, *f);
        }
        Value::String(s) => {
            out.push(TAG_STRING);
            escaped(out, s.as_bytes());
            out.extend_from_slice(&[0, 0]);
        }
        Value::Date(d) => {
            out.push(0x40);
            sortable_i64(out, d.days);
        }
        Value::LocalTime(t) => {
            out.push(0x41);
            sortable_i64(out, t.nanos);
        }
        Value::Time(t) => {
            out.push(0x42);
            sortable_i64(out, t.utc_nanos());
            sortable_i64(out, i64::from(t.offset));
        }
        Value::LocalDateTime(t) => {
            out.push(0x43);
            sortable_i128(out, t.epoch_nanos());
        }
        Value::DateTime(t) => {
            out.push(0x44);
            sortable_i128(out, t.epoch_nanos());
        }
        Value::Duration(d) => {
            out.push(0x45);
            for part in [d.months, d.days, d.seconds, d.nanos] {
                sortable_i64(out, part);
            }
        }
        Value::Point(p) => {
            out.push(0x50);
            sortable_i64(out, p.crs.srid());
            sortable_f64(out, p.x);
            sortable_f64(out, p.y);
            sortable_f64(out, p.z.unwrap_or(0.0));
        }
        Value::List(items) => {
            out.push(0x60);
            for item in items {
                encode(item, out)?;
            }
            out.push(0x01);
        }
        Value::Bytes(bytes) => {
            out.push(0x70);
            escaped(out, bytes);
            out.extend_from_slice(&[0, 0]);
        }
        _ => return None,
    }
    Some(())
}

fn prefix(index: &IndexDef) -> Vec<u8> {
    (index.id as u64).to_be_bytes().to_vec()
}

/// Whether an index of this kind holds `value`.
fn holds(kind: IndexKind, value: &Value) -> bool {
    match kind {
        IndexKind::Range => !matches!(value, Value::Null),
        IndexKind::Text => matches!(value, Value::String(_)),
        IndexKind::Point => matches!(value, Value::Point(_)),
        IndexKind::Vector => {
            matches!(value, Value::List(items) if !items.is_empty() && items.iter().all(|i| i.as_number().is_some()))
        }
        IndexKind::Fulltext => {
            matches!(value, Value::String(_))
                || matches!(value, Value::List(items) if items.iter().all(|i| matches!(i, Value::String(_))))
        }
        IndexKind::Lookup => false,
    }
}

/// The words full-text search indexes and looks up: lower-case runs of
/// letters and digits.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The keys an entity has in an index.
fn keys(
    index: &IndexDef,
    tokens: &[String],
    props: &std::collections::BTreeMap<String, Value>,
    id: u64,
) -> BTreeSet<Vec<u8>> {
    let mut out = BTreeSet::new();
    if !index.tokens.iter().any(|t| tokens.contains(t)) {
        return out;
    }
    let suffix = id.to_be_bytes();
    match index.kind {
        IndexKind::Lookup => {}
        IndexKind::Fulltext => {
            for property in &index.properties {
                let Some(value) = props.get(property) else {
                    continue;
                };
                let texts: Vec<&str> = match value {
                    Value::String(s) => vec![s.as_str()],
                    Value::List(items) => items.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                for text in texts {
                    for word in words(text) {
                        let mut key = prefix(index);
                        key.push(TAG_STRING);
                        escaped(&mut key, word.as_bytes());
                        key.extend_from_slice(&[0, 0]);
                        key.extend_from_slice(&suffix);
                        out.insert(key);
                    }
                }
            }
        }
        IndexKind::Vector => {
            if let Some(value) = index.properties.first().and_then(|p| props.get(p))
                && holds(IndexKind::Vector, value)
            {
                let mut key = prefix(index);
                key.extend_from_slice(&suffix);
                out.insert(key);
            }
        }
        kind => {
            let mut key = prefix(index);
            for property in &index.properties {
                match props.get(property) {
                    Some(value) if holds(kind, value) => {
                        if encode(value, &mut key).is_none() {
                            return out;
                        }
                    }
                    _ => return out,
                }
            }
            key.extend_from_slice(&suffix);
            out.insert(key);
        }
    }
    out
}

fn apply(store: &Store<'_>, old: BTreeSet<Vec<u8>>, new: BTreeSet<Vec<u8>>) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let txn = store.write_txn()?;
    let mut table = txn.open_table(ENTRIES).map_err(table_error)?;
    for key in old.difference(&new) {
        table.remove(key.as_slice()).map_err(table_error)?;
    }
    for key in new.difference(&old) {
        table.insert(key.as_slice(), ()).map_err(table_error)?;
    }
    Ok(())
}

/// Updates the entries of every node index for a node that changed from
/// `old` to `new`.
pub(crate) fn update_node_entries(
    store: &Store<'_>,
    catalog: &Catalog,
    id: u64,
    old: Option<&NodeData>,
    new: Option<&NodeData>,
) -> Result<()> {
    let mut before = BTreeSet::new();
    let mut after = BTreeSet::new();
    for index in catalog
        .indexes
        .iter()
        .filter(|i| i.entity == EntityKind::Node && i.kind != IndexKind::Lookup)
    {
        if let Some(old) = old {
            before.extend(keys(index, &old.labels, &old.props, id));
        }
        if let Some(new) = new {
            after.extend(keys(index, &new.labels, &new.props, id));
        }
    }
    apply(store, before, after)
}

/// Updates the entries of every relationship index.
pub(crate) fn update_rel_entries(
    store: &Store<'_>,
    catalog: &Catalog,
    id: u64,
    old: Option<&RelData>,
    new: Option<&RelData>,
) -> Result<()> {
    let mut before = BTreeSet::new();
    let mut after = BTreeSet::new();
    for index in catalog
        .indexes
        .iter()
        .filter(|i| i.entity == EntityKind::Relationship && i.kind != IndexKind::Lookup)
    {
        if let Some(old) = old {
            before.extend(keys(
                index,
                std::slice::from_ref(&old.rel_type),
                &old.props,
                id,
            ));
        }
        if let Some(new) = new {
            after.extend(keys(
                index,
                std::slice::from_ref(&new.rel_type),
                &new.props,
                id,
            ));
        }
    }
    apply(store, before, after)
}

/// Every entity id under a key range of an index.
pub(crate) fn scan(
    store: &Store<'_>,
    lower: Bound<Vec<u8>>,
    upper: Bound<Vec<u8>>,
) -> Result<Vec<u64>> {
    let txn = store.txn()?;
    let table = match txn.open_table(ENTRIES) {
        Ok(t) => t,
        Err(marsdb_storage::StorageError::Table(redb::TableError::TableDoesNotExist(_))) => {
            return Ok(Vec::new());
        }
        Err(e) => return Err(table_error(e)),
    };
    let range = (
        lower.as_ref().map(Vec::as_slice),
        upper.as_ref().map(Vec::as_slice),
    );
    let mut out = Vec::new();
    for entry in table.range::<&[u8]>(range).map_err(table_error)? {
        let (key, _) = entry.map_err(table_error)?;
        let key = key.value();
        if key.len() >= 8 {
            let mut id = [0u8; 8];
            id.copy_from_slice(&key[key.len() - 8..]);
            out.push(u64::from_be_bytes(id));
        }
    }
    Ok(out)
}

/// All entities an index holds, each once (a full-text index has an entry
/// per word), in id order.
pub(crate) fn all_entries(store: &Store<'_>, index: &IndexDef) -> Result<Vec<u64>> {
    let start = prefix(index);
    let end = ((index.id as u64) + 1).to_be_bytes().to_vec();
    let mut ids = scan(store, Bound::Included(start), Bound::Excluded(end))?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Entities whose indexed values start with the encoded `values`.
pub(crate) fn exact(
    store: &Store<'_>,
    index: &IndexDef,
    values: &[Value],
) -> Result<Option<Vec<u64>>> {
    let mut key = prefix(index);
    for value in values {
        if encode(value, &mut key).is_none() {
            return Ok(None);
        }
    }
    let mut end = key.clone();
    end.extend_from_slice(&[0xFF; 9]);
    Ok(Some(scan(
        store,
        Bound::Included(key),
        Bound::Excluded(end),
    )?))
}

/// How an index seek finds entities.
#[derive(Debug, Clone)]
pub(crate) enum SeekKind {
    /// `n.a = x AND n.b = y` over every indexed property.
    Exact(Vec<Expr>),
    /// `n.p IN list`.
    In(Expr),
    /// `n.p > x`, `n.p <= y`, … with inclusive flags.
    Range {
        lower: Option<(Expr, bool)>,
        upper: Option<(Expr, bool)>,
    },
    /// `n.p STARTS WITH s`.
    Prefix(Expr),
}

/// A seek in a node index; what it gives is checked again by the
/// predicates it came from.
#[derive(Debug, Clone)]
pub(crate) struct IndexSeek {
    pub(crate) index: IndexDef,
    pub(crate) kind: SeekKind,
}

impl IndexSeek {
    /// The ids of the nodes the seek finds for `row`.
    pub(crate) fn run(&self, row: &mut Row, ctx: &mut ExecCtx<'_>) -> Result<Vec<u64>> {
        let mut ids = match &self.kind {
            SeekKind::Exact(exprs) => {
                let mut values = Vec::with_capacity(exprs.len());
                for e in exprs {
                    let v = eval(e, row, ctx)?;
                    if v.is_null() {
                        return Ok(Vec::new());
                    }
                    values.push(v);
                }
                exact(&ctx.store, &self.index, &values)?.unwrap_or_default()
            }
            SeekKind::In(list) => {
                let values = match eval(list, row, ctx)? {
                    Value::List(items) => items,
                    _ => return Ok(Vec::new()),
                };
                let mut out = Vec::new();
                for value in values {
                    if !value.is_null() {
                        out.extend(exact(&ctx.store, &self.index, &[value])?.unwrap_or_default());
                    }
                }
                out
            }
            SeekKind::Prefix(expr) => {
                let Value::String(prefix_text) = eval(expr, row, ctx)? else {
                    return Ok(Vec::new());
                };
                let mut start = prefix(&self.index);
                start.push(TAG_STRING);
                escaped(&mut start, prefix_text.as_bytes());
                let mut end = start.clone();
                end.push(0xFF);
                end.push(0xFF);
                scan(&ctx.store, Bound::Included(start), Bound::Excluded(end))?
            }
            SeekKind::Range { lower, upper } => {
                let base = prefix(&self.index);
                let bound_value = |e: &Option<(Expr, bool)>,
                                   row: &mut Row,
                                   ctx: &mut ExecCtx<'_>|
                 -> Result<Option<(Value, bool)>> {
                    match e {
                        Some((expr, inclusive)) => Ok(Some((eval(expr, row, ctx)?, *inclusive))),
                        None => Ok(None),
                    }
                };
                let lower = bound_value(lower, row, ctx)?;
                let upper = bound_value(upper, row, ctx)?;
                if lower.as_ref().is_some_and(|(v, _)| v.is_null())
                    || upper.as_ref().is_some_and(|(v, _)| v.is_null())
                {
                    return Ok(Vec::new());
                }
                // Both ends stay inside the type of the bound values.
                let tag = |v: &Value| {
                    let mut k = Vec::new();
                    encode(v, &mut k).map(|_| k[0])
                };
                let Some(type_tag) = lower.as_ref().or(upper.as_ref()).and_then(|(v, _)| tag(v))
                else {
                    return Ok(Vec::new());
                };
                if [&lower, &upper]
                    .iter()
                    .any(|b| b.as_ref().is_some_and(|(v, _)| tag(v) != Some(type_tag)))
                {
                    return Ok(Vec::new());
                }
                let start = match &lower {
                    Some((v, inclusive)) => {
                        let mut k = base.clone();
                        encode(v, &mut k);
                        if *inclusive {
                            Bound::Included(k)
                        } else {
                            k.extend_from_slice(&[0xFF; 9]);
                            Bound::Excluded(k)
                        }
                    }
                    None => {
                        let mut k = base.clone();
                        k.push(type_tag);
                        Bound::Included(k)
                    }
                };
                let end = match &upper {
                    Some((v, inclusive)) => {
                        let mut k = base.clone();
                        encode(v, &mut k);
                        if *inclusive {
                            k.extend_from_slice(&[0xFF; 9]);
                        }
                        Bound::Excluded(k)
                    }
                    None => {
                        let mut k = base.clone();
                        k.push(type_tag + 1);
                        Bound::Excluded(k)
                    }
                };
                scan(&ctx.store, start, end)?
            }
        };
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

fn violation(message: String) -> EngineError {
    EngineError::new(codes::CONSTRAINT_VALIDATION_FAILED, message)
}

/// Checks the uniqueness and type constraints on what the statement wrote.
pub(crate) fn validate_statement(ctx: &mut ExecCtx<'_>) -> Result<()> {
    let catalog = ctx.store.catalog();
    if catalog.constraints.is_empty() {
        return Ok(());
    }
    let nodes: Vec<u64> = ctx
        .store
        .tx_state_ref()
        .statement_nodes
        .iter()
        .copied()
        .collect();
    let rels: Vec<u64> = ctx
        .store
        .tx_state_ref()
        .statement_rels
        .iter()
        .copied()
        .collect();
    for id in nodes {
        let Some(node) = ctx.store.node(id)? else {
            continue;
        };
        for label in &node.labels {
            for constraint in catalog.constraints_on(EntityKind::Node, label) {
                check(
                    ctx,
                    &catalog,
                    constraint,
                    id,
                    &node.props,
                    "Node",
                    "label",
                    label,
                    false,
                )?;
            }
        }
    }
    for id in rels {
        let Some(rel) = ctx.store.rel(id)? else {
            continue;
        };
        for constraint in catalog.constraints_on(EntityKind::Relationship, &rel.rel_type) {
            check(
                ctx,
                &catalog,
                constraint,
                id,
                &rel.props,
                "Relationship",
                "type",
                &rel.rel_type,
                false,
            )?;
        }
    }
    Ok(())
}

/// Checks every constraint, existence included, on what the transaction
/// wrote (before it commits).
pub(crate) fn validate_commit(ctx: &mut ExecCtx<'_>) -> Result<()> {
    let catalog = ctx.store.catalog();
    if catalog.constraints.is_empty() {
        return Ok(());
    }
    let nodes: Vec<u64> = ctx
        .store
        .tx_state_ref()
        .touched_nodes
        .iter()
        .copied()
        .collect();
    let rels: Vec<u64> = ctx
        .store
        .tx_state_ref()
        .touched_rels
        .iter()
        .copied()
        .collect();
    for id in nodes {
        let Some(node) = ctx.store.node(id)? else {
            continue;
        };
        for label in &node.labels {
            for constraint in catalog.constraints_on(EntityKind::Node, label) {
                check(
                    ctx,
                    &catalog,
                    constraint,
                    id,
                    &node.props,
                    "Node",
                    "label",
                    label,
                    true,
                )?;
            }
        }
    }
    for id in rels {
        let Some(rel) = ctx.store.rel(id)? else {
            continue;
        };
        for constraint in catalog.constraints_on(EntityKind::Relationship, &rel.rel_type) {
            check(
                ctx,
                &catalog,
                constraint,
                id,
                &rel.props,
                "Relationship",
                "type",
                &rel.rel_type,
                true,
            )?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn check(
    ctx: &mut ExecCtx<'_>,
    catalog: &Catalog,
    constraint: &super::catalog::ConstraintDef,
    id: u64,
    props: &std::collections::BTreeMap<String, Value>,
    what: &str,
    token_kind: &str,
    token: &str,
    existence: bool,
) -> Result<()> {
    let present: Vec<Option<&Value>> = constraint.properties.iter().map(|p| props.get(p)).collect();
    match &constraint.kind {
        ConstraintKind::Exists | ConstraintKind::Key
            if existence && present.iter().any(Option::is_none) =>
        {
            let names: Vec<String> = constraint
                .properties
                .iter()
                .map(|p| format!("`{p}`"))
                .collect();
            return Err(violation(if names.len() == 1 {
                format!(
                    "{what}({id}) with {token_kind} `{token}` must have the property {}",
                    names[0]
                )
            } else {
                format!(
                    "{what}({id}) with {token_kind} `{token}` must have the properties ({})",
                    names.join(", ")
                )
            }));
        }
        ConstraintKind::PropertyType(ty) => {
            if let Some(Some(value)) = present.first() {
                let expected = CypherType::parse(ty)?;
                if !expected.matches(value) {
                    return Err(violation(format!(
                        "{what}({id}) with {token_kind} `{token}` required the property `{}` to be of type `{ty}`, but was of type `{}`.",
                        constraint.properties[0],
                        value.type_name()
                    )));
                }
            }
        }
        _ => {}
    }
    if matches!(
        constraint.kind,
        ConstraintKind::Unique | ConstraintKind::Key
    ) && present.iter().all(Option::is_some)
    {
        let Some(index) = constraint.index.as_deref().and_then(|n| catalog.index(n)) else {
            return Ok(());
        };
        let values: Vec<Value> = present.iter().filter_map(|v| v.cloned()).collect();
        let others = exact(&ctx.store, index, &values)?.unwrap_or_default();
        for other in others {
            if other == id {
                continue;
            }
            let live = match constraint.entity {
                EntityKind::Node => ctx.store.node(other)?.is_some(),
                EntityKind::Relationship => ctx.store.rel(other)?.is_some(),
            };
            if live {
                let described: Vec<String> = constraint
                    .properties
                    .iter()
                    .zip(&values)
                    .map(|(p, v)| format!("`{p}` = {}", describe(v)))
                    .collect();
                let (first, second) = if other < id { (other, id) } else { (id, other) };
                let _ = first;
                let _ = second;
                return Err(violation(format!(
                    "{what}({other}) already exists with {token_kind} `{token}` and {} {}",
                    if described.len() == 1 {
                        "property"
                    } else {
                        "properties"
                    },
                    described.join(", ")
                )));
            }
        }
    }
    Ok(())
}
