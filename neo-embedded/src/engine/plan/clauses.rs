//! Planning query bodies clause by clause: `UNION`, projections (`WITH`,
//! `RETURN`, aggregation, ordering and paging), `UNWIND`, `CALL`
//! subqueries and procedures, `LOAD CSV`, `SHOW`, and the `Eager`
//! barriers that keep clause-at-a-time semantics where a clause writes what
//! another reads.

use std::sync::Arc;

use neo_cypher::ast::{self, ClauseKind};

use super::builder::Planner;
use super::expressions::{Aggregation, Substitutions, contains_aggregate, normalized};
use super::scope::{Scope, VarKind};
use super::{OnError, Plan, SortKey};
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::expr::{BinOp, Expr, Slot};
use crate::engine::procedures::{self, ProcedureRef};
use crate::engine::schema::SchemaCommand;
use crate::engine::value::Value;

/// Columns: names and the slots holding them.
pub(super) type Columns = Vec<(String, Slot)>;

/// Whether a clause writes.
pub(super) fn clause_writes(clause: &ast::Clause) -> bool {
    match &clause.kind {
        ClauseKind::Create(_)
        | ClauseKind::Merge { .. }
        | ClauseKind::Set(_)
        | ClauseKind::Remove(_)
        | ClauseKind::Delete { .. }
        | ClauseKind::Foreach { .. } => true,
        ClauseKind::Subquery {
            body,
            in_transactions,
            ..
        } => in_transactions.is_some() || body_writes(body),
        _ => false,
    }
}

fn body_writes(body: &ast::QueryBody) -> bool {
    body.parts
        .iter()
        .any(|p| p.clauses.iter().any(clause_writes))
}

/// Whether a clause reads the graph (beyond the rows it is given).
fn clause_reads(clause: &ast::Clause) -> bool {
    matches!(
        clause.kind,
        ClauseKind::Match { .. }
            | ClauseKind::Merge { .. }
            | ClauseKind::Subquery { .. }
            | ClauseKind::Procedure { .. }
            | ClauseKind::Show(_)
    ) || clause_has_graph_expressions(clause)
}

/// Whether a clause's expressions read the graph (patterns, subqueries).
fn clause_has_graph_expressions(clause: &ast::Clause) -> bool {
    let mut found = false;
    let mut check = |e: &ast::Expr| {
        super::expressions::visit(e, &mut |x| {
            if matches!(
                x.kind,
                ast::ExprKind::Subquery(..)
                    | ast::ExprKind::PatternSubquery(..)
                    | ast::ExprKind::Pattern(_)
                    | ast::ExprKind::PatternComprehension { .. }
            ) {
                found = true;
            }
            !found
        })
    };
    match &clause.kind {
        ClauseKind::With(p) | ClauseKind::Return(p) | ClauseKind::Page(p) => {
            p.items.iter().for_each(|i| check(&i.expr));
            p.order_by.iter().for_each(|s| check(&s.expr));
            if let Some(w) = &p.predicate {
                check(w);
            }
        }
        ClauseKind::Unwind { list, .. } => check(list),
        ClauseKind::Filter(e) => check(e),
        ClauseKind::Let(items) => items.iter().for_each(|(_, e)| check(e)),
        _ => {}
    }
    found
}

impl Planner<'_> {
    /// The top-level query: its plan and columns.
    pub(super) fn top_level(&mut self, body: &ast::QueryBody) -> Result<(Plan, Columns)> {
        let (plan, columns) = self.body(body, &Scope::default())?;
        if columns.is_empty() {
            return Ok((
                Plan::Discard {
                    input: plan.boxed(),
                },
                columns,
            ));
        }
        Ok((plan, columns))
    }

    /// A query body (parts joined by `UNION`) run with `scope` bound.
    pub(super) fn body(&mut self, body: &ast::QueryBody, scope: &Scope) -> Result<(Plan, Columns)> {
        if body.parts.len() == 1 {
            let (plan, columns, _) = self.single(&body.parts[0], scope.clone())?;
            return Ok((plan, columns));
        }
        let mut parts = Vec::new();
        let mut output: Columns = Vec::new();
        for (i, part) in body.parts.iter().enumerate() {
            let (plan, columns, _) = self.single(part, scope.clone())?;
            if i == 0 {
                output = columns
                    .iter()
                    .map(|(name, _)| (name.clone(), self.slot()))
                    .collect();
            }
            let mut slots = Vec::with_capacity(output.len());
            for (name, _) in &output {
                let slot = columns
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, s)| *s)
                    .ok_or_else(|| {
                        EngineError::syntax(
                            "All sub queries in an UNION must have the same return column names",
                        )
                    })?;
                slots.push(slot);
            }
            parts.push((plan, slots));
        }
        let distinct = body.union_all.iter().any(|all| !all);
        if distinct && body.union_all.iter().any(|all| *all) {
            return Err(EngineError::syntax(
                "Invalid combination of UNION and UNION ALL",
            ));
        }
        Ok((
            Plan::Union {
                parts,
                columns: output.iter().map(|(_, s)| *s).collect(),
                distinct,
            },
            output,
        ))
    }

    /// A subquery expression's body, correlated with the outer scope.
    pub(super) fn subquery_plan(
        &mut self,
        body: &ast::QueryBody,
        scope: &Scope,
    ) -> Result<(Plan, Columns)> {
        self.body(body, scope)
    }

    /// The clauses of one part of a query.
    pub(super) fn single(
        &mut self,
        part: &ast::SingleQuery,
        scope: Scope,
    ) -> Result<(Plan, Columns, Scope)> {
        self.clauses(&part.clauses, scope)
    }

    /// A sequence of clauses run with `scope` bound.
    pub(super) fn clauses(
        &mut self,
        clauses: &[ast::Clause],
        scope: Scope,
    ) -> Result<(Plan, Columns, Scope)> {
        let mut plan = Plan::Argument;
        let mut scope = scope;
        let mut columns: Columns = Vec::new();
        let mut read_graph = false;
        let mut wrote = false;
        let mut eager_since_read = true;
        let standalone = clauses.len() == 1;
        for clause in clauses {
            let writes = clause_writes(clause);
            let reads = clause_reads(clause);
            let write_after_read = writes && read_graph && !eager_since_read;
            // A MERGE reads as well as writes: rows ahead of it must have
            // made their writes before it matches for any row.
            let is_merge = matches!(clause.kind, ClauseKind::Merge { .. });
            let read_after_write = (!writes || is_merge)
                && wrote
                && (reads || read_graph)
                && !matches!(plan, Plan::Eager { .. });
            if write_after_read || read_after_write {
                plan = Plan::Eager {
                    input: plan.boxed(),
                };
            }
            if writes {
                eager_since_read = true;
            }
            let exhaustive = wrote;
            match &clause.kind {
                ClauseKind::Use(target) => self.check_use(target)?,
                ClauseKind::Match {
                    optional,
                    patterns,
                    predicate,
                } => {
                    let outer = self.repeatable;
                    self.repeatable = self.query.match_mode(clause.span)
                        == neo_cypher::ast::MatchMode::RepeatableElements;
                    let planned =
                        self.plan_match(plan, &mut scope, patterns, predicate.as_ref(), *optional);
                    self.repeatable = outer;
                    plan = planned?;
                }
                ClauseKind::Unwind { list, variable } => {
                    let list = self.expr(list, &scope)?;
                    let slot = self.slot();
                    plan = Plan::Unwind {
                        input: plan.boxed(),
                        list,
                        slot,
                    };
                    scope.bind(&variable.name, slot, VarKind::Value);
                }
                ClauseKind::With(projection) => {
                    let (p, s, _) = self.projection(plan, &scope, projection, false, exhaustive)?;
                    plan = p;
                    scope = s;
                }
                ClauseKind::Return(projection) => {
                    let (p, s, c) = self.projection(plan, &scope, projection, true, exhaustive)?;
                    plan = p;
                    scope = s;
                    columns = c;
                }
                ClauseKind::Create(patterns) => {
                    plan = self.plan_create(plan, &mut scope, patterns)?
                }
                ClauseKind::Merge { pattern, actions } => {
                    plan = self.plan_merge(plan, &mut scope, pattern, actions)?;
                }
                ClauseKind::Set(items) => plan = self.plan_set(plan, &scope, items)?,
                ClauseKind::Remove(items) => plan = self.plan_remove(plan, &scope, items)?,
                ClauseKind::Delete { detach, targets } => {
                    plan = self.plan_delete(plan, &scope, targets, *detach)?;
                }
                ClauseKind::Foreach {
                    variable,
                    list,
                    body,
                } => {
                    plan = self.plan_foreach(plan, &scope, variable, list, body)?;
                }
                ClauseKind::Subquery {
                    optional,
                    scope: imports,
                    body,
                    in_transactions,
                } => {
                    plan = self.plan_call_subquery(
                        plan,
                        &mut scope,
                        *optional,
                        imports.as_deref(),
                        body,
                        in_transactions.as_ref(),
                    )?;
                }
                ClauseKind::Procedure {
                    optional,
                    name,
                    args,
                    yields,
                } => {
                    let (p, c) = self.plan_procedure(
                        plan,
                        &mut scope,
                        *optional,
                        name,
                        args.as_deref(),
                        yields.as_ref(),
                        standalone,
                    )?;
                    plan = p;
                    if standalone {
                        columns = c;
                    }
                }
                ClauseKind::LoadCsv {
                    headers,
                    from,
                    variable,
                    terminator,
                } => {
                    let url = self.expr(from, &scope)?;
                    let slot = self.slot();
                    let terminator = match terminator.as_deref() {
                        None => ',',
                        Some(t) => {
                            let mut chars = t.chars();
                            match (chars.next(), chars.next()) {
                                (Some(c), None) => c,
                                _ => {
                                    return Err(EngineError::syntax(format!(
                                        "The field terminator must be a single character, not '{t}'"
                                    )));
                                }
                            }
                        }
                    };
                    let line = self.slot();
                    let file = self.slot();
                    plan = Plan::LoadCsv {
                        input: plan.boxed(),
                        url,
                        headers: *headers,
                        slot,
                        source: (line, file),
                        terminator,
                    };
                    scope.bind(&variable.name, slot, VarKind::Value);
                    scope.bind(" load csv linenumber", line, VarKind::Value);
                    scope.bind(" load csv file", file, VarKind::Value);
                }
                ClauseKind::Finish => columns.clear(),
                ClauseKind::Filter(predicate) => {
                    let predicate = self.expr(predicate, &scope)?;
                    plan = Plan::Filter {
                        input: plan.boxed(),
                        predicate,
                    };
                }
                ClauseKind::Let(bindings) => {
                    for (name, value) in bindings {
                        let value = self.expr(value, &scope)?;
                        let slot = self.slot();
                        plan = Plan::Project {
                            input: plan.boxed(),
                            items: vec![(slot, value)],
                        };
                        scope.bind(&name.name, slot, VarKind::Value);
                    }
                }
                ClauseKind::Page(projection) => {
                    plan =
                        self.order_and_page(plan, &scope, projection, &Vec::new(), exhaustive)?;
                }
                ClauseKind::Show(show) => {
                    let (p, c) = self.plan_show(plan, &mut scope, show, standalone)?;
                    plan = p;
                    columns = c;
                }
            }
            if reads {
                read_graph = true;
                if !writes {
                    eager_since_read = false;
                }
            }
            if writes {
                wrote = true;
            }
        }
        Ok((plan, columns, scope))
    }

    fn check_use(&mut self, target: &ast::Expr) -> Result<()> {
        let name = match &target.kind {
            ast::ExprKind::Variable(name) => name.clone(),
            // `graph.byName(name)`, the name a string or a parameter.
            ast::ExprKind::Function { name, args, .. }
                if name.name.eq_ignore_ascii_case("graph.byName") && args.len() == 1 =>
            {
                match &args[0].kind {
                    ast::ExprKind::String(text) => text.clone(),
                    ast::ExprKind::Parameter(param) => match self.ctx.params.get(param) {
                        Some(Value::String(text)) => text.clone(),
                        Some(other) => {
                            return Err(EngineError::type_error(format!(
                                "graph.byName expects a String, got {}",
                                other.type_name()
                            )));
                        }
                        None => {
                            return Err(EngineError::new(
                                codes::PARAMETER_MISSING,
                                format!("Expected parameter(s): {param}"),
                            ));
                        }
                    },
                    _ => target.span.text(self.text).trim().to_owned(),
                }
            }
            _ => target.span.text(self.text).trim().to_owned(),
        };
        let name = name.trim_matches('`');
        if name.eq_ignore_ascii_case(self.ctx.database) {
            return Ok(());
        }
        Err(EngineError::not_supported(format!(
            "USE {name}: a query runs on the database its transaction was opened on ('{}'); \
             composite databases and switching databases inside a query are not supported by the \
             embedded engine",
            self.ctx.database
        )))
    }

    /// `WITH`/`RETURN`: projection, aggregation, `DISTINCT`, `ORDER BY`,
    /// `SKIP`, `LIMIT` and `WHERE`; gives the new scope and the columns.
    pub(super) fn projection(
        &mut self,
        input: Plan,
        scope: &Scope,
        projection: &ast::Projection,
        is_return: bool,
        exhaustive: bool,
    ) -> Result<(Plan, Scope, Columns)> {
        // The items: `*` first (alphabetically in RETURN), then the rest.
        let mut star: Vec<(String, Slot, VarKind)> = Vec::new();
        if projection.star {
            let mut vars: Vec<_> = scope.visible().cloned().collect();
            if is_return {
                vars.sort_by(|a, b| a.name.cmp(&b.name));
            }
            if is_return && vars.is_empty() && projection.items.is_empty() {
                return Err(EngineError::syntax(
                    "RETURN * is not allowed when there are no variables in scope",
                ));
            }
            star = vars.into_iter().map(|v| (v.name, v.slot, v.kind)).collect();
        }
        let aggregating = projection.items.iter().any(|i| contains_aggregate(&i.expr));
        let mut plan = input;
        let mut new_scope = Scope::default();
        let mut columns: Columns = Vec::new();
        for (name, slot, kind) in &star {
            new_scope.bind(name, *slot, *kind);
            columns.push((name.clone(), *slot));
        }
        let mut subs: Substitutions = Vec::new();
        if !aggregating {
            let mut items = Vec::new();
            for item in &projection.items {
                let expr = self.expr(&item.expr, scope)?;
                let kind = self.kind_of(&item.expr, scope);
                let slot = match (&expr, &item.alias) {
                    // A variable passed through keeps its slot.
                    (Expr::Slot(s), _) if matches!(item.expr.kind, ast::ExprKind::Variable(_)) => {
                        *s
                    }
                    _ => {
                        let slot = self.slot();
                        items.push((slot, expr));
                        slot
                    }
                };
                subs.push((normalized(item.expr.span.text(self.text)), slot));
                new_scope.bind(&item.column, slot, kind);
                columns.push((item.column.clone(), slot));
            }
            if !items.is_empty() {
                plan = Plan::Project {
                    input: plan.boxed(),
                    items,
                };
            }
            if projection.distinct {
                plan = Plan::Distinct {
                    input: plan.boxed(),
                    slots: columns.iter().map(|(_, s)| *s).collect(),
                };
            }
            // ORDER BY sees the projected names and, without DISTINCT, the
            // variables from before.
            let mut order_scope = if projection.distinct {
                Scope::default()
            } else {
                scope.clone()
            };
            for var in new_scope.vars() {
                order_scope.bind(&var.name, var.slot, var.kind);
            }
            plan = self.order_and_page(plan, &order_scope, projection, &subs, exhaustive)?;
        } else {
            let mut keys: Vec<(Slot, Expr)> = Vec::new();
            let mut aggregation = Aggregation {
                scope,
                aggregates: Vec::new(),
            };
            let mut post: Vec<(Slot, Expr)> = Vec::new();
            for (name, slot, _) in &star {
                keys.push((*slot, Expr::Slot(*slot)));
                subs.push((normalized(name), *slot));
            }
            // Grouping keys first, so that aggregated items can refer to them.
            let mut item_slots = Vec::new();
            for item in &projection.items {
                if contains_aggregate(&item.expr) {
                    item_slots.push(None);
                    continue;
                }
                let expr = self.expr(&item.expr, scope)?;
                let slot = self.slot();
                keys.push((slot, expr));
                subs.push((normalized(item.expr.span.text(self.text)), slot));
                item_slots.push(Some(slot));
            }
            for (item, slot) in projection.items.iter().zip(item_slots.iter_mut()) {
                if slot.is_some() {
                    continue;
                }
                let expr = self.expr_aggregating(&item.expr, scope, &mut aggregation, &subs)?;
                let out = match expr {
                    Expr::Slot(s) => s,
                    other => {
                        let s = self.slot();
                        post.push((s, other));
                        s
                    }
                };
                subs.push((normalized(item.expr.span.text(self.text)), out));
                *slot = Some(out);
            }
            plan = Plan::Aggregate {
                input: plan.boxed(),
                keys,
                aggregates: aggregation.aggregates,
            };
            if !post.is_empty() {
                plan = Plan::Project {
                    input: plan.boxed(),
                    items: post,
                };
            }
            for (item, slot) in projection.items.iter().zip(item_slots) {
                let slot =
                    slot.ok_or_else(|| EngineError::internal("projection item without a slot"))?;
                new_scope.bind(&item.column, slot, self.kind_of(&item.expr, scope));
                columns.push((item.column.clone(), slot));
            }
            if projection.distinct {
                plan = Plan::Distinct {
                    input: plan.boxed(),
                    slots: columns.iter().map(|(_, s)| *s).collect(),
                };
            }
            let order_scope = new_scope.clone();
            plan = self.order_and_page(plan, &order_scope, projection, &subs, exhaustive)?;
        }
        if let Some(predicate) = &projection.predicate {
            let mut where_scope = new_scope.clone();
            if !aggregating && !projection.distinct {
                // Variables from before stay readable.
                for var in scope.vars() {
                    if !where_scope.contains(&var.name) {
                        where_scope.bind(&var.name, var.slot, var.kind);
                    }
                }
                for var in new_scope.vars() {
                    where_scope.bind(&var.name, var.slot, var.kind);
                }
            }
            let predicate = self.expr_substituted(predicate, &where_scope, &subs)?;
            plan = Plan::Filter {
                input: plan.boxed(),
                predicate,
            };
        }
        Ok((plan, new_scope, columns))
    }

    /// `ORDER BY`, `SKIP`/`OFFSET` and `LIMIT`.
    pub(super) fn order_and_page(
        &mut self,
        input: Plan,
        scope: &Scope,
        projection: &ast::Projection,
        subs: &Substitutions,
        exhaustive: bool,
    ) -> Result<Plan> {
        let mut plan = input;
        if !projection.order_by.is_empty() {
            let mut keys = Vec::new();
            for item in &projection.order_by {
                keys.push(SortKey {
                    expr: self.expr_substituted(&item.expr, scope, subs)?,
                    descending: item.descending,
                    nulls_first: item.nulls_first,
                });
            }
            plan = Plan::Sort {
                input: plan.boxed(),
                keys,
            };
        }
        if let Some(skip) = &projection.skip {
            let count = self.paging_count(skip, "SKIP")?;
            plan = Plan::Skip {
                input: plan.boxed(),
                count,
            };
        }
        if let Some(limit) = &projection.limit {
            let count = self.paging_count(limit, "LIMIT")?;
            plan = Plan::Limit {
                input: plan.boxed(),
                count,
                exhaustive,
            };
        }
        Ok(plan)
    }

    fn paging_count(&mut self, e: &ast::Expr, what: &str) -> Result<Expr> {
        let expr = self.expr(e, &Scope::default()).map_err(|err| {
            if err.message.contains("not defined") {
                EngineError::syntax(format!(
                    "It is not allowed to refer to variables in {what}, so that the value for {what} \
                     can be statically calculated."
                ))
            } else {
                err
            }
        })?;
        if let Expr::Const(value) = &expr {
            match value {
                Value::Int(n) if *n >= 0 => {}
                Value::Int(n) => {
                    return Err(EngineError::syntax(format!(
                        "Invalid input. '{n}' is not a valid value. Must be a non-negative integer."
                    )));
                }
                other => {
                    return Err(EngineError::syntax(format!(
                        "Invalid input. '{other}' is not a valid value. Must be a non-negative integer."
                    )));
                }
            }
        }
        Ok(expr)
    }

    /// What an expression gives, when the planner can tell.
    pub(super) fn kind_of(&self, e: &ast::Expr, scope: &Scope) -> VarKind {
        match &e.kind {
            ast::ExprKind::Variable(name) => scope.get(name).map_or(VarKind::Value, |v| v.kind),
            ast::ExprKind::Integer(_) => VarKind::Literal("Integer"),
            ast::ExprKind::Float(_) => VarKind::Literal("Float"),
            ast::ExprKind::Bool(_) => VarKind::Literal("Boolean"),
            ast::ExprKind::String(_) => VarKind::Literal("String"),
            ast::ExprKind::List(_) => VarKind::Literal("List"),
            _ => VarKind::Value,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn plan_call_subquery(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        optional: bool,
        imports: Option<&[ast::Name]>,
        body: &ast::QueryBody,
        in_transactions: Option<&ast::InTransactions>,
    ) -> Result<Plan> {
        // The inner query sees the imported variables (all of them for the
        // old form, where a leading `WITH` picks them).
        let inner_scope = match imports {
            None => {
                let leading_with = body.parts.iter().all(|p| {
                    matches!(
                        p.clauses.first().map(|c| &c.kind),
                        Some(ClauseKind::With(_))
                    )
                });
                if leading_with {
                    scope.clone()
                } else {
                    Scope::default()
                }
            }
            Some(names) if names.iter().any(|n| n.name == "*") => scope.clone(),
            Some(names) => {
                let mut s = Scope::default();
                for name in names {
                    let var = scope.get(&name.name).ok_or_else(|| {
                        EngineError::syntax(format!("Variable `{}` not defined", name.name))
                    })?;
                    s.bind(&var.name, var.slot, var.kind);
                }
                s
            }
        };
        let (inner, columns) = self.body(body, &inner_scope)?;
        let returns = !columns.is_empty();
        let new_slots: Vec<Slot> = columns.iter().map(|(_, s)| *s).collect();
        for (name, slot) in &columns {
            scope.bind(name, *slot, VarKind::Value);
        }
        if let Some(tx) = in_transactions {
            self.in_transactions = true;
            if optional {
                return Err(EngineError::not_supported(
                    "OPTIONAL CALL { } IN TRANSACTIONS",
                ));
            }
            if let Some(concurrency) = &tx.concurrency {
                // Batches run one after another here; the setting is checked.
                let _ = self.expr(concurrency, &Scope::default())?;
            }
            let batch = match &tx.batch_size {
                Some(e) => Some(self.expr(e, &Scope::default())?),
                None => None,
            };
            let on_error = match tx
                .on_error
                .as_deref()
                .map(str::to_ascii_uppercase)
                .as_deref()
            {
                None | Some("FAIL") => OnError::Fail,
                Some("CONTINUE") => OnError::Continue,
                Some("BREAK") => OnError::Break,
                Some(other) => {
                    return Err(EngineError::syntax(format!(
                        "Unknown ON ERROR behaviour: {other}"
                    )));
                }
            };
            let report = match &tx.report_status {
                Some(name) => {
                    if on_error == OnError::Fail {
                        return Err(EngineError::syntax(
                            "REPORT STATUS can only be used when specifying ON ERROR CONTINUE or ON ERROR BREAK",
                        ));
                    }
                    let slot = self.slot();
                    scope.bind(&name.name, slot, VarKind::Value);
                    Some(slot)
                }
                None => None,
            };
            return Ok(Plan::InTransactions {
                input: input.boxed(),
                inner: Arc::new(inner),
                batch,
                on_error,
                report,
                returns,
            });
        }
        if !returns {
            // A unit subquery: each input row once, after its side effects.
            return Ok(Plan::Foreach {
                input: input.boxed(),
                slot: self.slot(),
                list: Expr::Const(Value::List(vec![Value::Null])),
                body: Arc::new(inner),
            });
        }
        if optional {
            return Ok(Plan::Optional {
                input: input.boxed(),
                inner: Arc::new(inner),
                nullable: new_slots,
            });
        }
        Ok(Plan::Apply {
            input: input.boxed(),
            inner: Arc::new(inner),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn plan_procedure(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        optional: bool,
        name: &ast::Name,
        args: Option<&[ast::Expr]>,
        yields: Option<&ast::Yield>,
        standalone: bool,
    ) -> Result<(Plan, Columns)> {
        let procedure = self.ctx.procedures.get(&name.name).ok_or_else(|| {
            EngineError::new(
                codes::PROCEDURE_NOT_FOUND,
                format!(
                    "There is no procedure with the name `{}` registered for this database instance. \
                     Please ensure you've spelled the procedure name correctly and that the procedure \
                     is properly deployed.",
                    name.name
                ),
            )
        })?;
        let def = &procedure.0;
        // Arguments: given, or (standalone `CALL p`) read from parameters
        // named like the inputs.
        let mut compiled = Vec::new();
        match args {
            Some(args) => {
                let required = def
                    .inputs
                    .iter()
                    .filter(|(_, default)| default.is_none())
                    .count();
                if args.len() < required || args.len() > def.inputs.len() {
                    return Err(EngineError::syntax(if args.len() > def.inputs.len() {
                        format!(
                            "Procedure call provides too many arguments: got {} expected no more than {}.\n\n\
                             Procedure {} has signature: {}",
                            args.len(),
                            def.inputs.len(),
                            def.name,
                            procedure.signature()
                        )
                    } else {
                        format!(
                            "Procedure call does not provide the required number of arguments: got {} expected at least {} (total: {}, {} of which have default values).\n\n\
                             Procedure {} has signature: {}",
                            args.len(),
                            required,
                            def.inputs.len(),
                            def.inputs.len() - required,
                            def.name,
                            procedure.signature()
                        )
                    }));
                }
                for (i, arg) in args.iter().enumerate() {
                    let expr = self.expr(arg, scope)?;
                    if let Expr::Const(value) = &expr {
                        let ty = &def.inputs[i].0.ty;
                        if !procedures::fits(value, ty) {
                            return Err(EngineError::syntax(format!(
                                "Type mismatch: expected {ty} but was {}",
                                value.class_name()
                            )));
                        }
                    }
                    compiled.push(expr);
                }
                for (field, default) in def.inputs.iter().skip(args.len()) {
                    let _ = field;
                    compiled.push(Expr::Const(default.clone().unwrap_or(Value::Null)));
                }
            }
            None => {
                if !standalone {
                    return Err(EngineError::syntax(
                        "Procedure call inside a query does not support passing arguments implicitly (pass explicitly after procedure name instead)",
                    ));
                }
                let mut missing = Vec::new();
                for (field, default) in &def.inputs {
                    match (self.ctx.params.contains_key(&field.name), default) {
                        (true, _) => compiled.push(Expr::Param(field.name.clone())),
                        (false, Some(d)) => compiled.push(Expr::Const(d.clone())),
                        (false, None) => missing.push(field.name.clone()),
                    }
                }
                if !missing.is_empty() {
                    return Err(EngineError::new(
                        codes::PARAMETER_MISSING,
                        format!("Expected parameter(s): {}", missing.join(", ")),
                    ));
                }
            }
        }
        // Outputs.
        let mut yielded: Vec<(usize, String)> = Vec::new();
        let mut predicate = None;
        let mut page = None;
        match yields {
            // Inside a query, a call without YIELD binds nothing.
            None if !standalone => {}
            None => {
                yielded = def
                    .outputs
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (i, f.name.clone()))
                    .collect();
            }
            Some(y) => {
                if y.star {
                    if !standalone {
                        return Err(EngineError::syntax(
                            "Cannot use `YIELD *` outside standalone call",
                        ));
                    }
                    yielded = def
                        .outputs
                        .iter()
                        .enumerate()
                        .map(|(i, f)| (i, f.name.clone()))
                        .collect();
                }
                for (field, alias) in &y.items {
                    let index = def
                        .outputs
                        .iter()
                        .position(|o| o.name == field.name)
                        .ok_or_else(|| {
                            EngineError::syntax(format!(
                                "Unknown procedure output: `{}`",
                                field.name
                            ))
                        })?;
                    yielded.push((index, alias.as_ref().unwrap_or(field).name.clone()));
                }
                predicate = y.predicate.as_ref();
                page = y.page.as_ref();
            }
        }
        let mut yields_slots = Vec::new();
        let mut columns = Vec::new();
        for (index, name) in &yielded {
            let slot = self.slot();
            scope.bind(name, slot, VarKind::Value);
            yields_slots.push((*index, slot));
            columns.push((name.clone(), slot));
        }
        let mut plan = Plan::Procedure {
            input: input.boxed(),
            procedure: ProcedureRef(procedure.0.clone()),
            args: compiled,
            yields: yields_slots,
            optional,
        };
        if let Some(page) = page {
            plan = self.order_and_page(plan, scope, page, &Vec::new(), false)?;
        }
        if let Some(predicate) = predicate {
            let predicate = self.expr(predicate, scope)?;
            plan = Plan::Filter {
                input: plan.boxed(),
                predicate,
            };
        }
        Ok((plan, columns))
    }

    fn plan_show(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        show: &ast::Show,
        standalone: bool,
    ) -> Result<(Plan, Columns)> {
        let command = SchemaCommand::show(show, self)?;
        let all = command.all_columns();
        let default = command.columns();
        let slots: Vec<(String, Slot)> =
            all.iter().map(|name| (name.clone(), self.slot())).collect();
        let _ = input;
        let mut plan = Plan::Command {
            command: Box::new(command),
            columns: slots.iter().map(|(_, s)| *s).collect(),
        };
        let mut columns: Columns;
        let mut inner = Scope::default();
        for (name, slot) in &slots {
            inner.bind(name, *slot, VarKind::Value);
        }
        match &show.yields {
            Some(y) => {
                let mut chosen = Vec::new();
                if y.star {
                    chosen = slots.clone();
                }
                for (field, alias) in &y.items {
                    let slot = inner.slot(&field.name).ok_or_else(|| {
                        EngineError::syntax(format!(
                            "Trying to YIELD non-existing column: `{}`",
                            field.name
                        ))
                    })?;
                    chosen.push((alias.as_ref().unwrap_or(field).name.clone(), slot));
                }
                let mut yielded_scope = Scope::default();
                for (name, slot) in &chosen {
                    yielded_scope.bind(name, *slot, VarKind::Value);
                }
                // `YIELD … ORDER BY/SKIP/LIMIT … WHERE …` read the yielded names
                // and the other columns.
                let mut read_scope = inner.clone();
                for (name, slot) in &chosen {
                    read_scope.bind(name, *slot, VarKind::Value);
                }
                if let Some(page) = &y.page {
                    plan = self.order_and_page(plan, &read_scope, page, &Vec::new(), false)?;
                }
                if let Some(predicate) = &y.predicate {
                    let predicate = self.expr(predicate, &read_scope)?;
                    plan = Plan::Filter {
                        input: plan.boxed(),
                        predicate,
                    };
                }
                columns = chosen;
                *scope = yielded_scope;
            }
            None => {
                if let Some(predicate) = &show.predicate {
                    let predicate = self.expr(predicate, &inner)?;
                    plan = Plan::Filter {
                        input: plan.boxed(),
                        predicate,
                    };
                }
                columns = default
                    .iter()
                    .filter_map(|name| inner.slot(name).map(|s| (name.clone(), s)))
                    .collect();
                *scope = inner;
            }
        }
        if !standalone {
            columns = Vec::new();
        }
        Ok((plan, columns))
    }
}

/// `a = b` as a compiled equality.
pub(super) fn equality(a: Expr, b: Expr) -> Expr {
    Expr::Binary(BinOp::Eq, a.boxed(), b.boxed())
}
