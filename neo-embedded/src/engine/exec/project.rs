//! Row-by-row operators (filtering, projection, unwinding, paging) and the
//! ones that must see every row first (sorting, `DISTINCT` keeps a set,
//! `Eager`).

use std::cmp::Ordering;
use std::collections::HashSet;

use super::{BoxedOperator, ExecCtx, Operator, Row};
use crate::engine::error::{EngineError, Result};
use crate::engine::expr::compare::{Key, order};
use crate::engine::expr::functions::range_bounds;
use crate::engine::expr::{Expr, Function, Slot, eval, eval_predicate};
use crate::engine::plan::SortKey;
use crate::engine::value::Value;

/// The argument row, once.
pub(crate) struct Once {
    pub(crate) row: Option<Row>,
}

impl Operator for Once {
    fn next(&mut self, _ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        Ok(self.row.take())
    }
}

pub(crate) struct Filter {
    input: BoxedOperator,
    predicate: Expr,
}

impl Filter {
    pub(crate) fn new(input: BoxedOperator, predicate: Expr) -> Self {
        Filter { input, predicate }
    }
}

impl Operator for Filter {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        while let Some(mut row) = self.input.next(ctx)? {
            ctx.tick()?;
            if eval_predicate(&self.predicate, &mut row, ctx)? {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }
}

pub(crate) struct Project {
    input: BoxedOperator,
    items: Vec<(Slot, Expr)>,
}

impl Project {
    pub(crate) fn new(input: BoxedOperator, items: Vec<(Slot, Expr)>) -> Self {
        Project { input, items }
    }
}

impl Operator for Project {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        let Some(mut row) = self.input.next(ctx)? else {
            return Ok(None);
        };
        // Every item reads the row as it came in.
        let mut values = Vec::with_capacity(self.items.len());
        for (_, expr) in &self.items {
            values.push(eval(expr, &mut row, ctx)?);
        }
        for ((slot, _), value) in self.items.iter().zip(values) {
            row[*slot] = value;
        }
        Ok(Some(row))
    }
}

pub(crate) struct Distinct {
    input: BoxedOperator,
    slots: Vec<Slot>,
    seen: HashSet<Key>,
}

impl Distinct {
    pub(crate) fn new(input: BoxedOperator, slots: Vec<Slot>) -> Self {
        Distinct {
            input,
            slots,
            seen: HashSet::new(),
        }
    }
}

impl Operator for Distinct {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        while let Some(row) = self.input.next(ctx)? {
            ctx.tick()?;
            let key = Key(self.slots.iter().map(|s| row[*s].clone()).collect());
            if self.seen.insert(key) {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }
}

pub(crate) struct Sort {
    input: BoxedOperator,
    keys: Vec<SortKey>,
    sorted: Option<std::vec::IntoIter<Row>>,
}

impl Sort {
    pub(crate) fn new(input: BoxedOperator, keys: Vec<SortKey>) -> Self {
        Sort {
            input,
            keys,
            sorted: None,
        }
    }
}

/// Compares two sort keys as `ORDER BY` does.
pub(crate) fn compare_keys(a: &[Value], b: &[Value], keys: &[SortKey]) -> Ordering {
    for ((x, y), key) in a.iter().zip(b).zip(keys) {
        let nulls_first = key.nulls_first.unwrap_or(key.descending);
        let o = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => {
                if nulls_first {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (false, true) => {
                if nulls_first {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            _ => {
                let o = order(x, y);
                if key.descending { o.reverse() } else { o }
            }
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

impl Operator for Sort {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.sorted.is_none() {
            let mut rows: Vec<(Vec<Value>, Row)> = Vec::new();
            while let Some(mut row) = self.input.next(ctx)? {
                ctx.tick()?;
                let mut key = Vec::with_capacity(self.keys.len());
                for k in &self.keys {
                    key.push(eval(&k.expr, &mut row, ctx)?);
                }
                rows.push((key, row));
            }
            let keys = &self.keys;
            rows.sort_by(|a, b| compare_keys(&a.0, &b.0, keys));
            self.sorted = Some(
                rows.into_iter()
                    .map(|(_, r)| r)
                    .collect::<Vec<_>>()
                    .into_iter(),
            );
        }
        Ok(self.sorted.as_mut().and_then(Iterator::next))
    }
}

/// Evaluates a `SKIP`/`LIMIT` count.
fn count(expr: &Expr, what: &str, ctx: &mut ExecCtx<'_>) -> Result<u64> {
    let mut scratch = Vec::new();
    // Neo4j reports a bad value of a parameter here as a syntax error.
    match eval(expr, &mut scratch, ctx)? {
        Value::Int(n) if n >= 0 => Ok(n as u64),
        Value::Int(n) => Err(EngineError::syntax(format!(
            "Invalid input. '{n}' is not a valid value. Must be a non-negative integer."
        ))),
        other => Err(EngineError::syntax(format!(
            "Invalid input. '{other}' is not a valid value for {what}. Must be a non-negative integer."
        ))),
    }
}

pub(crate) struct Skip {
    input: BoxedOperator,
    count: Expr,
    remaining: Option<u64>,
}

impl Skip {
    pub(crate) fn new(input: BoxedOperator, count: Expr) -> Self {
        Skip {
            input,
            count,
            remaining: None,
        }
    }
}

impl Operator for Skip {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.remaining.is_none() {
            self.remaining = Some(count(&self.count, "SKIP", ctx)?);
        }
        loop {
            let Some(row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            match &mut self.remaining {
                Some(n) if *n > 0 => *n -= 1,
                _ => return Ok(Some(row)),
            }
        }
    }
}

pub(crate) struct Limit {
    input: BoxedOperator,
    count: Expr,
    exhaustive: bool,
    remaining: Option<u64>,
}

impl Limit {
    pub(crate) fn new(input: BoxedOperator, count: Expr, exhaustive: bool) -> Self {
        Limit {
            input,
            count,
            exhaustive,
            remaining: None,
        }
    }
}

impl Operator for Limit {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.remaining.is_none() {
            self.remaining = Some(count(&self.count, "LIMIT", ctx)?);
        }
        if self.remaining == Some(0) {
            if self.exhaustive {
                while self.input.next(ctx)?.is_some() {
                    ctx.tick()?;
                }
            }
            return Ok(None);
        }
        let row = self.input.next(ctx)?;
        if row.is_some()
            && let Some(n) = &mut self.remaining
        {
            *n -= 1;
        }
        Ok(row)
    }
}

pub(crate) struct Unwind {
    input: BoxedOperator,
    list: Expr,
    slot: Slot,
    row: Option<Row>,
    items: Items,
}

/// What is left of the list being unwound.
enum Items {
    List(std::vec::IntoIter<Value>),
    /// `UNWIND range(…)`: the integers made one at a time, so that a long
    /// range streams in constant memory.
    Range {
        next: i128,
        step: i128,
        left: i128,
    },
}

impl Iterator for Items {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        match self {
            Items::List(items) => items.next(),
            Items::Range { next, step, left } => {
                if *left <= 0 {
                    return None;
                }
                let value = Value::Int(*next as i64);
                *left -= 1;
                *next += *step;
                Some(value)
            }
        }
    }
}

impl Unwind {
    pub(crate) fn new(input: BoxedOperator, list: Expr, slot: Slot) -> Self {
        Unwind {
            input,
            list,
            slot,
            row: None,
            items: Items::List(Vec::new().into_iter()),
        }
    }

    fn items(&self, row: &mut Row, ctx: &mut ExecCtx<'_>) -> Result<Items> {
        if let Expr::Call(Function::Range, args) = &self.list {
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                values.push(eval(arg, row, ctx)?);
            }
            let mut values = values.into_iter();
            let (start, step, count) = range_bounds(
                values.next().unwrap_or_default(),
                values.next().unwrap_or_default(),
                values.next(),
            )?;
            return Ok(Items::Range {
                next: i128::from(start),
                step: i128::from(step),
                left: count,
            });
        }
        Ok(Items::List(
            match eval(&self.list, row, ctx)? {
                Value::Null => Vec::new(),
                Value::List(items) => items,
                other => vec![other],
            }
            .into_iter(),
        ))
    }
}

impl Operator for Unwind {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if let Some(row) = &self.row
                && let Some(item) = self.items.next()
            {
                ctx.tick()?;
                let mut out = row.clone();
                out[self.slot] = item;
                return Ok(Some(out));
            }
            let Some(mut row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            ctx.tick()?;
            self.items = self.items(&mut row, ctx)?;
            self.row = Some(row);
        }
    }
}

pub(crate) struct Union {
    parts: Vec<(BoxedOperator, Vec<Slot>)>,
    columns: Vec<Slot>,
    seen: Option<HashSet<Key>>,
    current: usize,
}

impl Union {
    pub(crate) fn new(
        parts: Vec<(BoxedOperator, Vec<Slot>)>,
        columns: Vec<Slot>,
        distinct: bool,
    ) -> Self {
        Union {
            parts,
            columns,
            seen: distinct.then(HashSet::new),
            current: 0,
        }
    }
}

impl Operator for Union {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        while let Some((part, slots)) = self.parts.get_mut(self.current) {
            let Some(row) = part.next(ctx)? else {
                self.current += 1;
                continue;
            };
            ctx.tick()?;
            let mut out = row.clone();
            for (column, slot) in self.columns.iter().zip(slots.iter()) {
                out[*column] = row[*slot].clone();
            }
            if let Some(seen) = &mut self.seen {
                let key = Key(self.columns.iter().map(|c| out[*c].clone()).collect());
                if !seen.insert(key) {
                    continue;
                }
            }
            return Ok(Some(out));
        }
        Ok(None)
    }
}

pub(crate) struct Eager {
    input: BoxedOperator,
    rows: Option<std::vec::IntoIter<Row>>,
}

impl Eager {
    pub(crate) fn new(input: BoxedOperator) -> Self {
        Eager { input, rows: None }
    }
}

impl Operator for Eager {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.rows.is_none() {
            let mut rows = Vec::new();
            while let Some(row) = self.input.next(ctx)? {
                ctx.tick()?;
                rows.push(row);
            }
            self.rows = Some(rows.into_iter());
        }
        Ok(self.rows.as_mut().and_then(Iterator::next))
    }
}

pub(crate) struct Discard {
    input: BoxedOperator,
}

impl Discard {
    pub(crate) fn new(input: BoxedOperator) -> Self {
        Discard { input }
    }
}

impl Operator for Discard {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        while self.input.next(ctx)?.is_some() {
            ctx.tick()?;
        }
        Ok(None)
    }
}
