//! The plan description `EXPLAIN` and `PROFILE` put in the summary:
//! Neo4j's shape (`operatorType`, `identifiers`, `args`, `children`, and
//! `rows`, `dbHits`, `time` when profiled).

use std::collections::HashMap;

use neo_bolt::packstream::{Map, Value as Bolt};

use super::{Plan, Selector};
use crate::engine::expr::Slot;

/// What `PROFILE` counted per operator, by the operator's address.
#[derive(Debug, Default, Clone)]
pub(crate) struct ProfileData {
    pub(crate) rows: HashMap<usize, u64>,
    pub(crate) db_hits: HashMap<usize, u64>,
    pub(crate) nanos: HashMap<usize, u64>,
}

fn name(plan: &Plan) -> (&'static str, String) {
    match plan {
        Plan::Argument => ("Argument", String::new()),
        Plan::AllNodes { .. } => ("AllNodesScan", String::new()),
        Plan::NodesByLabel { label, .. } => ("NodeByLabelScan", format!(":{label}")),
        Plan::NodeIndexSeek { seek, .. } => (
            "NodeIndexSeek",
            format!(
                "{} INDEX {} FOR :{}({})",
                seek.index.kind.name(),
                seek.index.name,
                seek.index.tokens.join("|"),
                seek.index.properties.join(", ")
            ),
        ),
        Plan::NodeById { element_ids, .. } => (
            if *element_ids {
                "NodeByElementIdSeek"
            } else {
                "NodeByIdSeek"
            },
            String::new(),
        ),
        Plan::RelScan {
            types, directed, ..
        } => (
            if *directed {
                "DirectedRelationshipTypeScan"
            } else {
                "UndirectedRelationshipTypeScan"
            },
            format!(":{}", types.join("|")),
        ),
        Plan::Expand { spec, .. } => (
            if spec.into {
                "Expand(Into)"
            } else {
                "Expand(All)"
            },
            format!(":{}", spec.types.join("|")),
        ),
        Plan::VarExpand { spec, .. } => (
            if spec.into {
                "VarLengthExpand(Into)"
            } else {
                "VarLengthExpand(All)"
            },
            format!(
                ":{}*{}..{}",
                spec.types.join("|"),
                spec.min,
                spec.max.map_or(String::new(), |m| m.to_string())
            ),
        ),
        Plan::Repeat { spec, .. } => (
            "Repeat(Trail)",
            format!(
                "{{{}, {}}}",
                spec.min,
                spec.max.map_or("*".to_owned(), |m| m.to_string())
            ),
        ),
        Plan::SelectPaths { selector, .. } => (
            "StatefulShortestPath",
            match selector {
                Selector::Shortest(k) => format!("SHORTEST {k}"),
                Selector::AllShortest => "ALL SHORTEST".to_owned(),
                Selector::ShortestGroups(k) => format!("SHORTEST {k} GROUPS"),
                Selector::Any(u64::MAX) => "ALL".to_owned(),
                Selector::Any(k) => format!("ANY {k}"),
            },
        ),
        Plan::ShortestPath { all, .. } => (
            "ShortestPath",
            if *all {
                "all shortest paths".into()
            } else {
                "shortest path".into()
            },
        ),
        Plan::Filter { .. } => ("Filter", String::new()),
        Plan::Optional { .. } => ("Optional", String::new()),
        Plan::Apply { .. } => ("Apply", String::new()),
        Plan::InTransactions { .. } => ("TransactionApply", String::new()),
        Plan::Project { .. } => ("Projection", String::new()),
        Plan::Aggregate { keys, .. } => (
            if keys.is_empty() {
                "EagerAggregation"
            } else {
                "OrderedAggregation"
            },
            String::new(),
        ),
        Plan::Distinct { .. } => ("Distinct", String::new()),
        Plan::Sort { .. } => ("Sort", String::new()),
        Plan::Skip { .. } => ("Skip", String::new()),
        Plan::Limit { exhaustive, .. } => (
            if *exhaustive {
                "ExhaustiveLimit"
            } else {
                "Limit"
            },
            String::new(),
        ),
        Plan::Unwind { .. } => ("Unwind", String::new()),
        Plan::Union { distinct, .. } => {
            (if *distinct { "Distinct" } else { "Union" }, String::new())
        }
        Plan::Eager { .. } => ("Eager", String::new()),
        Plan::Create { .. } => ("Create", String::new()),
        Plan::Merge { .. } => ("Merge", String::new()),
        Plan::Set { .. } => ("SetProperty", String::new()),
        Plan::Delete { detach, .. } => (
            if *detach { "DetachDelete" } else { "Delete" },
            String::new(),
        ),
        Plan::Foreach { .. } => ("Foreach", String::new()),
        Plan::LoadCsv { .. } => ("LoadCSV", String::new()),
        Plan::Procedure { procedure, .. } => ("ProcedureCall", procedure.signature()),
        Plan::Command { command, .. } => ("CommandCall", command.describe()),
        Plan::Discard { .. } => ("EmptyResult", String::new()),
    }
}

fn operator(plan: &Plan, profile: Option<&ProfileData>) -> Bolt {
    let (operator_type, details) = name(plan);
    let mut args = Map::new();
    if !details.is_empty() {
        args.insert("Details".into(), Bolt::from(details));
    }
    let mut map = Map::new();
    map.insert(
        "operatorType".into(),
        Bolt::from(format!("{operator_type}@neo4j")),
    );
    map.insert("identifiers".into(), Bolt::List(Vec::new()));
    let key = plan as *const Plan as usize;
    if let Some(profile) = profile {
        let children_hits: u64 = plan
            .children()
            .iter()
            .map(|c| {
                profile
                    .db_hits
                    .get(&(*c as *const Plan as usize))
                    .copied()
                    .unwrap_or(0)
            })
            .sum();
        let hits = profile
            .db_hits
            .get(&key)
            .copied()
            .unwrap_or(0)
            .saturating_sub(children_hits);
        let rows = profile.rows.get(&key).copied().unwrap_or(0);
        let time = profile.nanos.get(&key).copied().unwrap_or(0);
        map.insert("rows".into(), Bolt::Integer(rows as i64));
        map.insert("dbHits".into(), Bolt::Integer(hits as i64));
        map.insert("time".into(), Bolt::Integer(time as i64));
        map.insert("pageCacheHits".into(), Bolt::Integer(0));
        map.insert("pageCacheMisses".into(), Bolt::Integer(0));
        map.insert("pageCacheHitRatio".into(), Bolt::Float(0.0));
        args.insert("Rows".into(), Bolt::Integer(rows as i64));
        args.insert("DbHits".into(), Bolt::Integer(hits as i64));
    }
    map.insert("args".into(), Bolt::Map(args));
    map.insert(
        "children".into(),
        Bolt::List(
            plan.children()
                .into_iter()
                .map(|c| operator(c, profile))
                .collect(),
        ),
    );
    Bolt::Map(map)
}

/// The description of a statement's plan, topped by `ProduceResults`.
pub(crate) fn describe(
    plan: &Plan,
    columns: &[(String, Slot)],
    profile: Option<&ProfileData>,
) -> Bolt {
    let mut args = Map::new();
    args.insert("planner".into(), Bolt::from("COST"));
    args.insert("planner-impl".into(), Bolt::from("IDP"));
    args.insert("planner-version".into(), Bolt::from("5.26"));
    args.insert("runtime".into(), Bolt::from("SLOTTED"));
    args.insert("runtime-impl".into(), Bolt::from("SLOTTED"));
    args.insert("runtime-version".into(), Bolt::from("5.26"));
    args.insert("version".into(), Bolt::from("CYPHER 5"));
    args.insert(
        "Details".into(),
        Bolt::from(
            columns
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    let mut root = Map::new();
    root.insert("operatorType".into(), Bolt::from("ProduceResults@neo4j"));
    root.insert(
        "identifiers".into(),
        Bolt::List(
            columns
                .iter()
                .map(|(n, _)| Bolt::from(n.as_str()))
                .collect(),
        ),
    );
    if let Some(profile) = profile {
        let key = plan as *const Plan as usize;
        let rows = profile.rows.get(&key).copied().unwrap_or(0);
        root.insert("rows".into(), Bolt::Integer(rows as i64));
        root.insert("dbHits".into(), Bolt::Integer(0));
        root.insert("time".into(), Bolt::Integer(0));
        root.insert("pageCacheHits".into(), Bolt::Integer(0));
        root.insert("pageCacheMisses".into(), Bolt::Integer(0));
        root.insert("pageCacheHitRatio".into(), Bolt::Float(0.0));
        args.insert("Rows".into(), Bolt::Integer(rows as i64));
    }
    root.insert("args".into(), Bolt::Map(args));
    root.insert("children".into(), Bolt::List(vec![operator(plan, profile)]));
    Bolt::Map(root)
}
