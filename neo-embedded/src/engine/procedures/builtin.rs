//! The built-in procedures.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::{BuiltinBody, Field, Implementation, ProcedureDef, ProcedureMode};
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::exec::ExecCtx;
use crate::engine::expr::functions::similarity;
use crate::engine::schema::{EntityKind, IndexKind};
use crate::engine::value::Value;

fn def(
    name: &str,
    inputs: &[(&str, &str, Option<Value>)],
    outputs: &[(&str, &str)],
    mode: ProcedureMode,
    description: &str,
    f: BuiltinBody,
) -> ProcedureDef {
    ProcedureDef {
        name: name.to_owned(),
        inputs: inputs
            .iter()
            .map(|(n, t, d)| (Field::new(*n, *t), d.clone()))
            .collect(),
        outputs: outputs.iter().map(|(n, t)| Field::new(*n, *t)).collect(),
        mode,
        description: description.to_owned(),
        implementation: Implementation::Builtin(f),
    }
}

pub(super) fn all() -> Vec<ProcedureDef> {
    use ProcedureMode::*;
    vec![
        def(
            "db.labels",
            &[],
            &[("label", "STRING")],
            Read,
            "List all labels attached to nodes within a database.",
            labels,
        ),
        def(
            "db.relationshipTypes",
            &[],
            &[("relationshipType", "STRING")],
            Read,
            "List all types attached to relationships within a database.",
            relationship_types,
        ),
        def(
            "db.propertyKeys",
            &[],
            &[("propertyKey", "STRING")],
            Read,
            "List all property keys in the database.",
            property_keys,
        ),
        def(
            "db.schema.nodeTypeProperties",
            &[],
            &[
                ("nodeType", "STRING"),
                ("nodeLabels", "LIST<STRING>"),
                ("propertyName", "STRING"),
                ("propertyTypes", "LIST<STRING>"),
                ("mandatory", "BOOLEAN"),
            ],
            Read,
            "Show the derived property schema of the nodes in tabular form.",
            super::schema_info::node_type_properties,
        ),
        def(
            "db.schema.relTypeProperties",
            &[],
            &[
                ("relType", "STRING"),
                ("propertyName", "STRING"),
                ("propertyTypes", "LIST<STRING>"),
                ("mandatory", "BOOLEAN"),
            ],
            Read,
            "Show the derived property schema of the relationships in tabular form.",
            super::schema_info::rel_type_properties,
        ),
        def(
            "db.awaitIndexes",
            &[("timeOutSeconds", "INTEGER", Some(Value::Int(300)))],
            &[],
            Read,
            "Wait for all indexes to come online (the engine's indexes are online when created).",
            await_indexes,
        ),
        def(
            "db.awaitIndex",
            &[
                ("indexName", "STRING", None),
                ("timeOutSeconds", "INTEGER", Some(Value::Int(300))),
            ],
            &[],
            Read,
            "Wait for an index to come online (the engine's indexes are online when created).",
            await_index,
        ),
        def(
            "db.index.fulltext.queryNodes",
            &[
                ("indexName", "STRING", None),
                ("queryString", "STRING", None),
                ("options", "MAP", Some(Value::Map(BTreeMap::new()))),
            ],
            &[("node", "NODE"), ("score", "FLOAT")],
            Read,
            "Query the given full-text index. Returns the matching nodes and their score.",
            fulltext_nodes,
        ),
        def(
            "db.index.fulltext.queryRelationships",
            &[
                ("indexName", "STRING", None),
                ("queryString", "STRING", None),
                ("options", "MAP", Some(Value::Map(BTreeMap::new()))),
            ],
            &[("relationship", "RELATIONSHIP"), ("score", "FLOAT")],
            Read,
            "Query the given full-text index. Returns the matching relationships and their score.",
            fulltext_relationships,
        ),
        def(
            "db.index.vector.queryNodes",
            &[
                ("indexName", "STRING", None),
                ("numberOfNearestNeighbours", "INTEGER", None),
                ("query", "ANY", None),
            ],
            &[("node", "NODE"), ("score", "FLOAT")],
            Read,
            "Query the given vector index: the nearest nodes and their similarity score.",
            vector_nodes,
        ),
        def(
            "dbms.components",
            &[],
            &[
                ("name", "STRING"),
                ("versions", "LIST<STRING>"),
                ("edition", "STRING"),
            ],
            Dbms,
            "List DBMS components and their versions.",
            components,
        ),
        def(
            "tx.getMetaData",
            &[],
            &[("metadata", "MAP")],
            Dbms,
            "Provides attached transaction metadata.",
            get_metadata,
        ),
        def(
            "db.info",
            &[],
            &[
                ("id", "STRING"),
                ("name", "STRING"),
                ("creationDate", "STRING"),
            ],
            Read,
            "Provides information regarding the database.",
            info,
        ),
        def(
            "db.ping",
            &[],
            &[("success", "BOOLEAN")],
            Read,
            "This procedure can be used by client side tooling to test whether they are correctly connected to a database.",
            ping,
        ),
    ]
}

fn strings(rows: Vec<String>) -> Vec<Vec<Value>> {
    rows.into_iter().map(|s| vec![Value::String(s)]).collect()
}

fn labels(_: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    Ok(strings(
        ctx.store
            .labels_in_use()?
            .into_iter()
            .map(|(l, _)| l)
            .collect(),
    ))
}

fn relationship_types(_: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    Ok(strings(
        ctx.store
            .types_in_use()?
            .into_iter()
            .map(|(t, _)| t)
            .collect(),
    ))
}

fn property_keys(_: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    Ok(strings(ctx.store.property_keys()?))
}

fn await_indexes(_: &[Value], _ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    Ok(Vec::new())
}

fn await_index(args: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    let name = args.first().and_then(Value::as_str).unwrap_or_default();
    if ctx.store.catalog().index(name).is_none() {
        return Err(EngineError::new(
            codes::PROCEDURE_CALL_FAILED,
            format!(
                "Failed to invoke procedure `db.awaitIndex`: Caused by: No such index '{name}'"
            ),
        ));
    }
    Ok(Vec::new())
}

fn index_of<'c>(
    catalog: &'c crate::engine::schema::Catalog,
    name: &str,
    kind: IndexKind,
    procedure: &str,
) -> Result<&'c crate::engine::schema::IndexDef> {
    catalog
        .index(name)
        .filter(|i| i.kind == kind)
        .ok_or_else(|| {
            EngineError::new(
                codes::PROCEDURE_CALL_FAILED,
                format!(
                    "Failed to invoke procedure `{procedure}`: Caused by: java.lang.IllegalArgumentException: \
                     There is no such {} schema index: {name}",
                    kind.name().to_lowercase()
                ),
            )
        })
}

/// A term of a full-text query: the words it matches, whether it must
/// match, the property it is restricted to.
struct Term {
    words: Vec<String>,
    prefix: bool,
    required: bool,
    excluded: bool,
    field: Option<String>,
}

/// The common subset of Lucene's query syntax: words, `"phrases"`,
/// `prefix*`, `fuzzy~` (matched exactly), `field:term`, `+must`, `-not`,
/// `AND`, `OR`, `NOT`.
fn parse_query(query: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut chars = query.chars().peekable();
    let mut next_required = false;
    let mut next_excluded = false;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut raw = String::new();
        if c == '"' {
            chars.next();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                raw.push(c);
            }
            raw = format!("\"{raw}\"");
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                raw.push(c);
                chars.next();
            }
        }
        match raw.as_str() {
            "AND" | "&&" => {
                if let Some(last) = terms.last_mut() {
                    let last: &mut Term = last;
                    last.required = true;
                }
                next_required = true;
                continue;
            }
            "OR" | "||" => continue,
            "NOT" | "!" => {
                next_excluded = true;
                continue;
            }
            _ => {}
        }
        let mut text = raw.as_str();
        let mut required = std::mem::take(&mut next_required);
        let mut excluded = std::mem::take(&mut next_excluded);
        if let Some(rest) = text.strip_prefix('+') {
            required = true;
            text = rest;
        } else if let Some(rest) = text.strip_prefix('-') {
            excluded = true;
            text = rest;
        }
        let (field, text) = match text.split_once(':') {
            Some((f, t)) if !f.is_empty() && !f.starts_with('"') => (Some(f.to_owned()), t),
            _ => (None, text),
        };
        let text = text.trim_matches('"');
        let text = text.split('~').next().unwrap_or(text);
        let prefix = text.ends_with('*');
        let words = crate::engine::schema::words(text.trim_end_matches('*'));
        if !words.is_empty() {
            terms.push(Term {
                words,
                prefix,
                required,
                excluded,
                field,
            });
        }
    }
    terms
}

fn fulltext(
    args: &[Value],
    ctx: &mut ExecCtx<'_>,
    entity: EntityKind,
    procedure: &str,
) -> Result<Vec<Vec<Value>>> {
    let name = args
        .first()
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let query = args
        .get(1)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let catalog = ctx.store.catalog();
    let index = index_of(&catalog, &name, IndexKind::Fulltext, procedure)?;
    if index.entity != entity {
        return Err(EngineError::new(
            codes::PROCEDURE_CALL_FAILED,
            format!(
                "Failed to invoke procedure `{procedure}`: the index {name} is not on {}s",
                entity.name().to_lowercase()
            ),
        ));
    }
    let terms = parse_query(&query);
    let candidates = crate::engine::schema::all_entity_ids(&ctx.store, index)?;
    let mut scored: Vec<(u64, f64)> = Vec::new();
    let total = candidates.len().max(1) as f64;
    // Document frequency of each word, for weighting.
    let mut documents: Vec<(u64, BTreeMap<String, Vec<String>>)> = Vec::new();
    for id in candidates {
        ctx.tick()?;
        let (tokens, props) = match entity {
            EntityKind::Node => match ctx.store.node(id)? {
                Some(n) => (n.labels.clone(), n.props.clone()),
                None => continue,
            },
            EntityKind::Relationship => match ctx.store.rel(id)? {
                Some(r) => (vec![r.rel_type.clone()], r.props.clone()),
                None => continue,
            },
        };
        if !index.tokens.iter().any(|t| tokens.contains(t)) {
            continue;
        }
        let mut fields = BTreeMap::new();
        for property in &index.properties {
            let texts: Vec<String> = match props.get(property) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::List(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => continue,
            };
            let words: Vec<String> = texts
                .iter()
                .flat_map(|t| crate::engine::schema::words(t))
                .collect();
            fields.insert(property.clone(), words);
        }
        documents.push((id, fields));
    }
    let matches = |fields: &BTreeMap<String, Vec<String>>, term: &Term| -> usize {
        let mut count = 0;
        for (field, words) in fields {
            if term.field.as_ref().is_some_and(|f| f != field) {
                continue;
            }
            for wanted in &term.words {
                count += words
                    .iter()
                    .filter(|w| {
                        if term.prefix {
                            w.starts_with(wanted.as_str())
                        } else {
                            *w == wanted
                        }
                    })
                    .count();
            }
        }
        count
    };
    let frequency: Vec<f64> = terms
        .iter()
        .map(|t| documents.iter().filter(|(_, f)| matches(f, t) > 0).count() as f64)
        .collect();
    for (id, fields) in &documents {
        let mut score = 0.0;
        let mut ok = true;
        let mut any = false;
        for (term, df) in terms.iter().zip(&frequency) {
            let hits = matches(fields, term);
            if term.excluded {
                if hits > 0 {
                    ok = false;
                }
                continue;
            }
            if hits == 0 {
                if term.required {
                    ok = false;
                }
                continue;
            }
            any = true;
            let idf = 1.0 + (total / (1.0 + df)).ln();
            score += (hits as f64).sqrt() * idf * idf;
        }
        if ok && any {
            scored.push((*id, score));
        }
    }
    scored.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(Ordering::Equal)
            .then(a.0.cmp(&b.0))
    });
    Ok(scored
        .into_iter()
        .map(|(id, score)| {
            let entity_value = match entity {
                EntityKind::Node => Value::Node(id),
                EntityKind::Relationship => Value::Rel(id),
            };
            vec![entity_value, Value::Float(score)]
        })
        .collect())
}

fn fulltext_nodes(args: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    fulltext(args, ctx, EntityKind::Node, "db.index.fulltext.queryNodes")
}

fn fulltext_relationships(args: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    fulltext(
        args,
        ctx,
        EntityKind::Relationship,
        "db.index.fulltext.queryRelationships",
    )
}

fn vector_nodes(args: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    const PROCEDURE: &str = "db.index.vector.queryNodes";
    let name = args
        .first()
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let k = match args.get(1) {
        Some(Value::Int(k)) if *k > 0 => *k as usize,
        other => {
            return Err(EngineError::new(
                codes::PROCEDURE_CALL_FAILED,
                format!(
                    "Failed to invoke procedure `{PROCEDURE}`: the number of neighbours must be a positive integer, got {}",
                    other.map_or("nothing".to_owned(), ToString::to_string)
                ),
            ));
        }
    };
    let query: Vec<f64> = match args.get(2) {
        Some(Value::List(items)) => items
            .iter()
            .map(|v| {
                v.as_number().ok_or_else(|| {
                    EngineError::new(codes::PROCEDURE_CALL_FAILED, format!("Failed to invoke procedure `{PROCEDURE}`: the query vector must hold numbers"))
                })
            })
            .collect::<Result<_>>()?,
        _ => {
            return Err(EngineError::new(
                codes::PROCEDURE_CALL_FAILED,
                format!("Failed to invoke procedure `{PROCEDURE}`: the query must be a list of numbers"),
            ));
        }
    };
    let catalog = ctx.store.catalog();
    let index = index_of(&catalog, &name, IndexKind::Vector, PROCEDURE)?;
    let config = index
        .options
        .get("indexConfig")
        .and_then(neo_bolt::Value::as_map);
    let dimensions = config
        .and_then(|c| c.get("vector.dimensions"))
        .and_then(neo_bolt::Value::as_i64);
    if let Some(d) = dimensions
        && d as usize != query.len()
    {
        return Err(EngineError::new(
            codes::PROCEDURE_CALL_FAILED,
            format!(
                "Failed to invoke procedure `{PROCEDURE}`: Index query vector has {} dimensions, but indexed vectors have {d}.",
                query.len()
            ),
        ));
    }
    let cosine = !config
        .and_then(|c| c.get("vector.similarity_function"))
        .and_then(neo_bolt::Value::as_str)
        .is_some_and(|f| f.eq_ignore_ascii_case("euclidean"));
    let property = index.properties.first().cloned().unwrap_or_default();
    let mut scored = Vec::new();
    for id in crate::engine::schema::all_entity_ids(&ctx.store, index)? {
        ctx.tick()?;
        let Some(node) = ctx.store.node(id)? else {
            continue;
        };
        let Some(Value::List(items)) = node.props.get(&property) else {
            continue;
        };
        let vector: Vec<f64> = items.iter().filter_map(Value::as_number).collect();
        if vector.len() != query.len() {
            continue;
        }
        if let Some(score) = similarity(cosine, &query, &vector) {
            scored.push((id, score));
        }
    }
    scored.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(Ordering::Equal)
            .then(a.0.cmp(&b.0))
    });
    scored.truncate(k);
    Ok(scored
        .into_iter()
        .map(|(id, score)| vec![Value::Node(id), Value::Float(score)])
        .collect())
}

fn components(_: &[Value], _ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    Ok(vec![vec![
        Value::string("Neo4j Kernel"),
        Value::List(vec![Value::string("5.26.0")]),
        Value::string("community"),
    ]])
}

fn get_metadata(_: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    Ok(vec![vec![Value::Map(ctx.env.metadata.clone())]])
}

fn info(_: &[Value], ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    Ok(vec![vec![
        Value::String(ctx.env.database_id.clone()),
        Value::String(ctx.env.database.clone()),
        Value::Null,
    ]])
}

fn ping(_: &[Value], _ctx: &mut ExecCtx<'_>) -> Result<Vec<Vec<Value>>> {
    Ok(vec![vec![Value::Bool(true)]])
}
