//! Operators that run a sub-plan per input row: `OPTIONAL MATCH`,
//! `CALL { }` subqueries and `CALL { } IN TRANSACTIONS`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use super::{BoxedOperator, ExecCtx, Operator, Row, build};
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::expr::{Expr, Slot, eval};
use crate::engine::plan::{OnError, Plan};
use crate::engine::value::Value;

pub(crate) struct Optional {
    input: BoxedOperator,
    inner: Arc<Plan>,
    nullable: Vec<Slot>,
    current: Option<(Row, BoxedOperator, bool)>,
}

impl Optional {
    pub(crate) fn new(input: BoxedOperator, inner: Arc<Plan>, nullable: Vec<Slot>) -> Self {
        Optional {
            input,
            inner,
            nullable,
            current: None,
        }
    }
}

impl Operator for Optional {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if let Some((_, inner, matched)) = &mut self.current {
                if let Some(out) = inner.next(ctx)? {
                    *matched = true;
                    return Ok(Some(out));
                }
                let matched = *matched;
                let Some((mut row, _, _)) = self.current.take() else {
                    continue;
                };
                if !matched {
                    for slot in &self.nullable {
                        row[*slot] = Value::Null;
                    }
                    return Ok(Some(row));
                }
                continue;
            }
            let Some(row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            let inner = build(&self.inner, row.clone());
            self.current = Some((row, inner, false));
        }
    }
}

pub(crate) struct Apply {
    input: BoxedOperator,
    inner: Arc<Plan>,
    current: Option<BoxedOperator>,
}

impl Apply {
    pub(crate) fn new(input: BoxedOperator, inner: Arc<Plan>) -> Self {
        Apply {
            input,
            inner,
            current: None,
        }
    }
}

impl Operator for Apply {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if let Some(inner) = &mut self.current {
                if let Some(out) = inner.next(ctx)? {
                    return Ok(Some(out));
                }
                self.current = None;
            }
            let Some(row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            self.current = Some(build(&self.inner, row));
        }
    }
}

/// How many rows one transaction takes when `OF n ROWS` is not given.
const DEFAULT_BATCH: u64 = 1000;

pub(crate) struct InTransactions {
    input: BoxedOperator,
    inner: Arc<Plan>,
    batch: Option<Expr>,
    on_error: OnError,
    report: Option<Slot>,
    returns: bool,
    size: Option<u64>,
    output: VecDeque<Row>,
    done: bool,
    stopped: bool,
    batches: u64,
}

impl InTransactions {
    pub(crate) fn new(
        input: BoxedOperator,
        inner: Arc<Plan>,
        batch: Option<Expr>,
        on_error: OnError,
        report: Option<Slot>,
        returns: bool,
    ) -> Self {
        InTransactions {
            input,
            inner,
            batch,
            on_error,
            report,
            returns,
            size: None,
            output: VecDeque::new(),
            done: false,
            stopped: false,
            batches: 0,
        }
    }

    fn run_batch(&mut self, rows: Vec<Row>, ctx: &mut ExecCtx<'_>) -> Result<()> {
        self.batches += 1;
        let transaction_id = format!("{}-batch-{}", ctx.env.transaction_id, self.batches);
        if self.stopped {
            // After `ON ERROR BREAK`: the remaining rows are reported as not started.
            for mut row in rows {
                if let Some(slot) = self.report {
                    row[slot] = status(false, false, None, None);
                }
                self.output.push_back(row);
            }
            return Ok(());
        }
        let mut produced = Vec::new();
        let outcome: Result<()> = (|| {
            for row in &rows {
                let mut inner = build(&self.inner, row.clone());
                let mut any = false;
                while let Some(out) = inner.next(ctx)? {
                    any = true;
                    if self.returns {
                        produced.push(out);
                    }
                }
                if !self.returns || (!any && self.report.is_some()) {
                    produced.push(row.clone());
                }
            }
            ctx.validate_constraints()?;
            Ok(())
        })();
        match outcome {
            Ok(()) => {
                let graph = ctx.env.graph.clone();
                ctx.store.write_access()?.commit_and_renew(&graph.store)?;
                ctx.store.cache().clear();
                for mut row in produced {
                    if let Some(slot) = self.report {
                        row[slot] = status(true, true, Some(&transaction_id), None);
                    }
                    self.output.push_back(row);
                }
                Ok(())
            }
            Err(error) if self.on_error == OnError::Fail || error.code == codes::OUT_OF_MEMORY => {
                Err(error)
            }
            Err(error) => {
                let graph = ctx.env.graph.clone();
                ctx.store.write_access()?.abort_and_renew(&graph.store)?;
                ctx.store.cache().clear();
                if self.on_error == OnError::Break {
                    self.stopped = true;
                }
                for mut row in rows {
                    if let Some(slot) = self.report {
                        row[slot] =
                            status(true, false, Some(&transaction_id), Some(&error.message));
                    }
                    self.output.push_back(row);
                }
                Ok(())
            }
        }
    }
}

fn status(started: bool, committed: bool, transaction: Option<&str>, error: Option<&str>) -> Value {
    Value::Map(BTreeMap::from([
        ("started".to_owned(), Value::Bool(started)),
        ("committed".to_owned(), Value::Bool(committed)),
        (
            "transactionId".to_owned(),
            transaction.map_or(Value::Null, Value::string),
        ),
        (
            "errorMessage".to_owned(),
            error.map_or(Value::Null, Value::string),
        ),
    ]))
}

impl Operator for InTransactions {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.size.is_none() {
            let size = match &self.batch {
                None => DEFAULT_BATCH,
                Some(expr) => match eval(expr, &mut Vec::new(), ctx)? {
                    Value::Int(n) if n > 0 => n as u64,
                    other => {
                        return Err(EngineError::argument(format!(
                            "Invalid input. '{other}' is not a valid value. Must be a positive integer."
                        )));
                    }
                },
            };
            self.size = Some(size);
        }
        loop {
            if let Some(row) = self.output.pop_front() {
                return Ok(Some(row));
            }
            if self.done {
                return Ok(None);
            }
            let size = self.size.unwrap_or(DEFAULT_BATCH) as usize;
            let mut rows = Vec::with_capacity(size.min(4096));
            while rows.len() < size {
                match self.input.next(ctx)? {
                    Some(row) => rows.push(row),
                    None => {
                        self.done = true;
                        break;
                    }
                }
            }
            if rows.is_empty() {
                return Ok(None);
            }
            self.run_batch(rows, ctx)?;
        }
    }
}
