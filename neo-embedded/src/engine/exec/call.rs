//! Procedure calls and schema/`SHOW` commands.

use std::collections::VecDeque;

use super::{BoxedOperator, ExecCtx, Operator, Row};
use crate::engine::error::{EngineError, Result};
use crate::engine::expr::{Expr, Slot, eval};
use crate::engine::procedures::{self, ProcedureRef};
use crate::engine::schema::SchemaCommand;
use crate::engine::value::Value;

pub(crate) struct Procedure {
    input: BoxedOperator,
    procedure: ProcedureRef,
    args: Vec<Expr>,
    yields: Vec<(usize, Slot)>,
    optional: bool,
    pending: VecDeque<Row>,
}

impl Procedure {
    pub(crate) fn new(
        input: BoxedOperator,
        procedure: ProcedureRef,
        args: Vec<Expr>,
        yields: Vec<(usize, Slot)>,
        optional: bool,
    ) -> Self {
        Procedure {
            input,
            procedure,
            args,
            yields,
            optional,
            pending: VecDeque::new(),
        }
    }
}

impl Operator for Procedure {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Ok(Some(row));
            }
            let Some(mut row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            let def = &self.procedure.0;
            let mut args = Vec::with_capacity(self.args.len());
            for (i, expr) in self.args.iter().enumerate() {
                let value = eval(expr, &mut row, ctx)?;
                let ty = def.inputs.get(i).map_or("ANY?", |(f, _)| f.ty.as_str());
                if !procedures::fits(&value, ty) {
                    return Err(EngineError::type_error(format!(
                        "Wrong argument type: Can't coerce `{}` to {ty}",
                        value.class_name()
                    )));
                }
                args.push(procedures::coerce(value, ty));
            }
            if self.procedure.writes() {
                ctx.store.write_txn()?;
            }
            let results = self.procedure.call(&args, ctx)?;
            if results.is_empty() && self.optional {
                for (_, slot) in &self.yields {
                    row[*slot] = Value::Null;
                }
                return Ok(Some(row));
            }
            if def.outputs.is_empty() {
                // A procedure with no output keeps the row.
                return Ok(Some(row));
            }
            for result in results {
                let mut out = row.clone();
                for (index, slot) in &self.yields {
                    out[*slot] = result.get(*index).cloned().unwrap_or(Value::Null);
                }
                self.pending.push_back(out);
            }
        }
    }
}

pub(crate) struct Command {
    command: SchemaCommand,
    columns: Vec<Slot>,
    argument: Option<Row>,
    rows: VecDeque<Vec<Value>>,
}

impl Command {
    pub(crate) fn new(command: SchemaCommand, columns: Vec<Slot>, argument: Row) -> Self {
        Command {
            command,
            columns,
            argument: Some(argument),
            rows: VecDeque::new(),
        }
    }
}

impl Operator for Command {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if let Some(argument) = self.argument.take() {
            self.rows = self.command.run(&argument, ctx)?.into();
            self.argument = None;
            let base = argument;
            let columns = self.columns.clone();
            self.rows = std::mem::take(&mut self.rows)
                .into_iter()
                .map(|values| {
                    let mut row = base.clone();
                    for (slot, value) in columns.iter().zip(values) {
                        row[*slot] = value;
                    }
                    row
                })
                .collect();
        }
        Ok(self.rows.pop_front())
    }
}
