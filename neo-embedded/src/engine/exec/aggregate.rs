//! Grouping and aggregation.

use std::collections::HashMap;

use super::{BoxedOperator, ExecCtx, Operator, Row};
use crate::engine::error::Result;
use crate::engine::expr::aggregate::{Accumulator, AggSpec};
use crate::engine::expr::compare::Key;
use crate::engine::expr::{Expr, Slot, eval};

struct Group {
    /// The first row of the group: expressions over grouping keys read it.
    row: Row,
    accumulators: Vec<Accumulator>,
}

pub(crate) struct Aggregate {
    input: BoxedOperator,
    keys: Vec<(Slot, Expr)>,
    aggregates: Vec<(Slot, AggSpec)>,
    argument: Row,
    output: Option<std::vec::IntoIter<Row>>,
}

impl Aggregate {
    pub(crate) fn new(
        input: BoxedOperator,
        keys: Vec<(Slot, Expr)>,
        aggregates: Vec<(Slot, AggSpec)>,
        argument: Row,
    ) -> Self {
        Aggregate {
            input,
            keys,
            aggregates,
            argument,
            output: None,
        }
    }

    fn accumulators(&self) -> Vec<Accumulator> {
        self.aggregates
            .iter()
            .map(|(_, spec)| Accumulator::new(spec))
            .collect()
    }
}

impl Operator for Aggregate {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.output.is_none() {
            let mut groups: Vec<Group> = Vec::new();
            let mut index: HashMap<Key, usize> = HashMap::new();
            while let Some(mut row) = self.input.next(ctx)? {
                ctx.tick()?;
                let mut key_values = Vec::with_capacity(self.keys.len());
                for (_, expr) in &self.keys {
                    key_values.push(eval(expr, &mut row, ctx)?);
                }
                let key = Key(key_values.clone());
                let at = match index.get(&key) {
                    Some(at) => *at,
                    None => {
                        let mut first = row.clone();
                        for ((slot, _), value) in self.keys.iter().zip(key_values) {
                            first[*slot] = value;
                        }
                        groups.push(Group {
                            row: first,
                            accumulators: self.accumulators(),
                        });
                        index.insert(key, groups.len() - 1);
                        groups.len() - 1
                    }
                };
                for ((_, spec), acc) in self
                    .aggregates
                    .iter()
                    .zip(groups[at].accumulators.iter_mut())
                {
                    let value = match &spec.arg {
                        Some(expr) => Some(eval(expr, &mut row, ctx)?),
                        None => None,
                    };
                    let percentile = match &spec.percentile {
                        Some(expr) => Some(eval(expr, &mut row, ctx)?),
                        None => None,
                    };
                    acc.add(value, percentile)?;
                }
            }
            if groups.is_empty() && self.keys.is_empty() {
                groups.push(Group {
                    row: self.argument.clone(),
                    accumulators: self.accumulators(),
                });
            }
            let mut out = Vec::with_capacity(groups.len());
            for group in groups {
                let mut row = group.row;
                for ((slot, _), acc) in self.aggregates.iter().zip(group.accumulators) {
                    row[*slot] = acc.finish()?;
                }
                out.push(row);
            }
            self.output = Some(out.into_iter());
        }
        Ok(self.output.as_mut().and_then(Iterator::next))
    }
}
