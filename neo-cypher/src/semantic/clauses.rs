//! Clause by clause: what each declares and checks.

use super::aggregation::{Agg, Ctx};
use super::patterns::PatternContext;
use super::scope::Var;
use super::types::Ty;
use super::{Analyzer, Check, Import, fail};
use crate::ErrorDetail;
use crate::ast::{Clause, ClauseKind, Expr, InTransactions, Name, QueryBody, Show, Yield};

impl<'a> Analyzer<'a> {
    /// Checks one clause; `standalone` when it is the whole query.
    pub(super) fn clause(&mut self, clause: &'a Clause, standalone: bool) -> Check {
        match &clause.kind {
            ClauseKind::Use(_) | ClauseKind::Finish => Ok(()),
            ClauseKind::Match {
                patterns,
                predicate,
                ..
            } => {
                self.patterns(patterns, PatternContext::Match)?;
                match predicate {
                    Some(predicate) => self.predicate(predicate, Ctx::PREDICATE),
                    None => Ok(()),
                }
            }
            ClauseKind::Unwind { list, variable } => {
                let ty = self.expr(list, Ctx::VALUE)?;
                self.bind(variable, ty.elements())
            }
            ClauseKind::With(projection) => self.projection(projection, clause.span, true),
            ClauseKind::Return(projection) => self.projection(projection, clause.span, false),
            ClauseKind::Create(patterns) => self.patterns(patterns, PatternContext::Create),
            ClauseKind::Merge { pattern, actions } => {
                self.patterns(std::slice::from_ref(pattern), PatternContext::Merge)?;
                for (_, items) in actions {
                    self.set_items(items)?;
                }
                Ok(())
            }
            ClauseKind::Set(items) => self.set_items(items),
            ClauseKind::Remove(items) => self.remove_items(items),
            ClauseKind::Delete { targets, .. } => self.delete(targets),
            ClauseKind::Foreach {
                variable,
                list,
                body,
            } => self.foreach(variable, list, body),
            ClauseKind::Subquery {
                scope,
                body,
                in_transactions,
                ..
            } => self.call_subquery(scope.as_deref(), body, in_transactions.as_ref()),
            ClauseKind::Procedure { args, yields, .. } => {
                self.procedure(args.as_deref(), yields.as_ref(), standalone)
            }
            ClauseKind::LoadCsv {
                from,
                variable,
                headers,
                ..
            } => {
                self.expr(from, Ctx::VALUE)?;
                let ty = if *headers {
                    Ty::MAP
                } else {
                    Ty::list_of(Ty::STRING)
                };
                self.bind(variable, ty)
            }
            ClauseKind::Filter(predicate) => self.predicate(predicate, Ctx::PREDICATE),
            ClauseKind::Let(bindings) => {
                for (variable, value) in bindings {
                    let ty = self.expr(value, Ctx::VALUE)?;
                    self.bind(variable, ty)?;
                }
                Ok(())
            }
            ClauseKind::Page(page) => {
                for sort in &page.order_by {
                    self.expr(&sort.expr, Ctx::VALUE)?;
                }
                self.paging(page)
            }
            ClauseKind::Show(show) => self.show(show),
        }
    }

    /// Declares a new variable of the query scope (`UNWIND … AS x`,
    /// `LOAD CSV … AS row`, `YIELD x`, `LET x = …`).
    fn bind(&mut self, variable: &'a Name, ty: Ty) -> Check {
        if self.scopes.local(&variable.name).is_some() {
            return fail(
                variable.span,
                ErrorDetail::VariableAlreadyBound,
                format!("Variable `{}` already declared", variable.name),
            );
        }
        self.declare(variable, ty);
        Ok(())
    }

    /// `CALL proc(args) YIELD …`: arguments may not aggregate; yielded
    /// fields are new variables; `YIELD *` only for a standalone call.
    fn procedure(
        &mut self,
        args: Option<&'a [Expr]>,
        yields: Option<&'a Yield>,
        standalone: bool,
    ) -> Check {
        let ctx = Ctx {
            agg: Agg::ProcedureArgument,
            boolean: false,
        };
        for arg in args.unwrap_or_default() {
            self.expr(arg, ctx)?;
        }
        let Some(yields) = yields else {
            return Ok(());
        };
        if yields.star && !standalone {
            return fail(
                yields.span,
                ErrorDetail::Syntax,
                "`YIELD *` is only allowed in a standalone procedure call; name the fields to yield",
            );
        }
        self.yielded(yields)
    }

    /// The fields of a `YIELD` (of a procedure or a `SHOW` command), then
    /// its paging and predicate.
    fn yielded(&mut self, yields: &'a Yield) -> Check {
        if yields.star {
            self.scopes.top().open = true;
        }
        for (field, alias) in &yields.items {
            self.bind(alias.as_ref().unwrap_or(field), Ty::ANY)?;
        }
        if let Some(page) = &yields.page {
            for sort in &page.order_by {
                self.expr(&sort.expr, Ctx::VALUE)?;
            }
            self.paging(page)?;
        }
        match &yields.predicate {
            Some(predicate) => self.predicate(predicate, Ctx::PREDICATE),
            None => Ok(()),
        }
    }

    /// `SHOW …`: the arguments are names and literals, the columns are
    /// known to the server only.
    fn show(&mut self, show: &'a Show) -> Check {
        match &show.yields {
            Some(yields) => self.yielded(yields),
            None => {
                let Some(predicate) = &show.predicate else {
                    return Ok(());
                };
                let was_open = std::mem::replace(&mut self.scopes.top().open, true);
                let result = self.predicate(predicate, Ctx::PREDICATE);
                self.scopes.top().open = was_open;
                result
            }
        }
    }

    /// `CALL [(scope)] { … } [IN TRANSACTIONS …]`: the inner query sees
    /// what it imports; what it returns joins the outer scope.
    fn call_subquery(
        &mut self,
        scope: Option<&'a [Name]>,
        body: &'a QueryBody,
        in_transactions: Option<&'a InTransactions>,
    ) -> Check {
        let import = match scope {
            None => Import::FirstWith,
            Some([star]) if star.name == "*" => Import::Vars(self.scopes.visible()),
            Some(names) => {
                let mut vars = Vec::with_capacity(names.len());
                for name in names {
                    let ty = self.variable(&name.name, name.span)?;
                    vars.push(Var {
                        name: &name.name,
                        ty,
                        span: name.span,
                    });
                }
                Import::Vars(vars)
            }
        };
        let saved = std::mem::take(&mut self.projected);
        let result = self.query_body(body, &import, false);
        self.projected = saved;
        let returned = result?;
        for var in returned.vars {
            if self.scopes.lookup(var.name).is_some() {
                if returned.star {
                    continue;
                }
                return fail(
                    var.span,
                    ErrorDetail::VariableAlreadyBound,
                    format!("Variable `{}` already declared in outer scope", var.name),
                );
            }
            self.scopes.declare(var);
        }
        if let Some(status) = in_transactions.and_then(|t| t.report_status.as_ref()) {
            self.bind(status, Ty::MAP)?;
        }
        Ok(())
    }
}
