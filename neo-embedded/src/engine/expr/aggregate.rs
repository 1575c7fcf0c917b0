//! Aggregating functions: `count`, `sum`, `avg`, `min`, `max`, `collect`,
//! `stDev`, `stDevP`, `percentileCont`, `percentileDisc`, with `DISTINCT`.

use std::cmp::Ordering;
use std::collections::HashSet;

use super::Expr;
use super::compare::{Key, order};
use crate::engine::error::{EngineError, Result};
use crate::engine::temporal::Duration;
use crate::engine::value::Value;

/// Which aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AggKind {
    CountStar,
    Count,
    Sum,
    Avg,
    Min,
    Max,
    Collect,
    StDev,
    StDevP,
    PercentileCont,
    PercentileDisc,
}

impl AggKind {
    /// The function's name as Cypher writes it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            AggKind::CountStar | AggKind::Count => "count",
            AggKind::Sum => "sum",
            AggKind::Avg => "avg",
            AggKind::Min => "min",
            AggKind::Max => "max",
            AggKind::Collect => "collect",
            AggKind::StDev => "stDev",
            AggKind::StDevP => "stDevP",
            AggKind::PercentileCont => "percentileCont",
            AggKind::PercentileDisc => "percentileDisc",
        }
    }

    /// The aggregate named `name`, with its number of arguments.
    pub(crate) fn resolve(name: &str) -> Option<(AggKind, usize)> {
        Some(match name.to_ascii_lowercase().as_str() {
            "count" => (AggKind::Count, 1),
            "sum" => (AggKind::Sum, 1),
            "avg" => (AggKind::Avg, 1),
            "min" => (AggKind::Min, 1),
            "max" => (AggKind::Max, 1),
            "collect" => (AggKind::Collect, 1),
            "stdev" => (AggKind::StDev, 1),
            "stdevp" => (AggKind::StDevP, 1),
            "percentilecont" => (AggKind::PercentileCont, 2),
            "percentiledisc" => (AggKind::PercentileDisc, 2),
            _ => return None,
        })
    }
}

/// One aggregate of a projection.
#[derive(Debug, Clone)]
pub(crate) struct AggSpec {
    pub(crate) kind: AggKind,
    pub(crate) distinct: bool,
    pub(crate) arg: Option<Expr>,
    /// The percentile of `percentileCont`/`percentileDisc`.
    pub(crate) percentile: Option<Expr>,
}

/// The running state of one aggregate for one group.
#[derive(Debug)]
pub(crate) struct Accumulator {
    kind: AggKind,
    seen: Option<HashSet<Key>>,
    count: i64,
    int_sum: i64,
    float_sum: f64,
    all_ints: bool,
    duration_sum: Option<Duration>,
    best: Option<Value>,
    values: Vec<Value>,
    numbers: Vec<f64>,
    percentile: Option<f64>,
}

impl Accumulator {
    pub(crate) fn new(spec: &AggSpec) -> Accumulator {
        Accumulator {
            kind: spec.kind,
            seen: spec.distinct.then(HashSet::new),
            count: 0,
            int_sum: 0,
            float_sum: 0.0,
            all_ints: true,
            duration_sum: None,
            best: None,
            values: Vec::new(),
            numbers: Vec::new(),
            percentile: None,
        }
    }

    /// Adds one row's value (`None` for `count(*)`).
    pub(crate) fn add(&mut self, value: Option<Value>, percentile: Option<Value>) -> Result<()> {
        let Some(value) = value else {
            self.count += 1;
            return Ok(());
        };
        if value.is_null() {
            return Ok(());
        }
        if let Some(seen) = &mut self.seen
            && !seen.insert(Key(vec![value.clone()]))
        {
            return Ok(());
        }
        match self.kind {
            AggKind::CountStar | AggKind::Count => self.count += 1,
            AggKind::Sum | AggKind::Avg => self.add_number(value)?,
            AggKind::Min | AggKind::Max => {
                let replace = match &self.best {
                    None => true,
                    Some(best) => {
                        let o = order(&value, best);
                        if self.kind == AggKind::Min {
                            o == Ordering::Less
                        } else {
                            o == Ordering::Greater
                        }
                    }
                };
                if replace {
                    self.best = Some(value);
                }
            }
            AggKind::Collect => {
                self.values.push(value);
                if self.values.len() as i64 > super::functions::MAX_COLLECTED {
                    return Err(EngineError::new(
                        crate::engine::error::codes::OUT_OF_MEMORY,
                        "collect() gathered more values than the limit of one list",
                    ));
                }
            }
            AggKind::StDev
            | AggKind::StDevP
            | AggKind::PercentileCont
            | AggKind::PercentileDisc => {
                let Some(x) = value.as_number() else {
                    return Err(EngineError::type_error(format!(
                        "{}() can only handle numerical values; got {}",
                        self.kind.name(),
                        value.class_name()
                    )));
                };
                self.numbers.push(x);
                if matches!(self.kind, AggKind::PercentileCont | AggKind::PercentileDisc) {
                    self.values.push(value);
                    if self.percentile.is_none() {
                        let p = match percentile {
                            Some(Value::Int(i)) => i as f64,
                            Some(Value::Float(f)) => f,
                            _ => {
                                return Err(EngineError::argument(
                                    "The percentile must be a number between 0.0 and 1.0",
                                ));
                            }
                        };
                        if !(0.0..=1.0).contains(&p) {
                            return Err(EngineError::argument(format!(
                                "Invalid input '{}' is not a valid argument, must be a number in the range 0.0 to 1.0",
                                crate::engine::value::format_float(p)
                            )));
                        }
                        self.percentile = Some(p);
                    }
                }
            }
        }
        Ok(())
    }

    fn add_number(&mut self, value: Value) -> Result<()> {
        self.count += 1;
        match value {
            Value::Int(i) => {
                if self.all_ints {
                    match self.int_sum.checked_add(i) {
                        Some(s) => self.int_sum = s,
                        None => return Err(EngineError::integer_overflow()),
                    }
                }
                self.float_sum += i as f64;
            }
            Value::Float(f) => {
                self.all_ints = false;
                self.float_sum += f;
            }
            Value::Duration(d) => {
                let total = match self.duration_sum {
                    None => *d,
                    Some(sum) => sum.add(*d)?,
                };
                self.duration_sum = Some(total);
            }
            other => {
                return Err(EngineError::type_error(format!(
                    "{}() can only handle numerical values, duration, and null. Got {}",
                    if self.kind == AggKind::Sum {
                        "sum"
                    } else {
                        "avg"
                    },
                    other.class_name()
                )));
            }
        }
        if self.duration_sum.is_some() && (self.int_sum != 0 || self.float_sum != 0.0) {
            return Err(EngineError::type_error(
                "Cannot mix durations and numbers in one aggregation",
            ));
        }
        Ok(())
    }

    /// The aggregate's result.
    pub(crate) fn finish(self) -> Result<Value> {
        Ok(match self.kind {
            AggKind::CountStar | AggKind::Count => Value::Int(self.count),
            AggKind::Sum => match self.duration_sum {
                Some(d) => Value::Duration(Box::new(d)),
                None if self.all_ints => Value::Int(self.int_sum),
                None => Value::Float(self.float_sum),
            },
            AggKind::Avg => {
                if self.count == 0 {
                    Value::Null
                } else if let Some(d) = self.duration_sum {
                    Value::Duration(Box::new(d.div(self.count as f64)?))
                } else {
                    Value::Float(self.float_sum / self.count as f64)
                }
            }
            AggKind::Min | AggKind::Max => self.best.unwrap_or(Value::Null),
            AggKind::Collect => Value::List(self.values),
            AggKind::StDev | AggKind::StDevP => {
                let n = self.numbers.len();
                let sample = self.kind == AggKind::StDev;
                if n == 0 || (sample && n == 1) {
                    Value::Float(0.0)
                } else {
                    let mean = self.numbers.iter().sum::<f64>() / n as f64;
                    let squares: f64 = self.numbers.iter().map(|x| (x - mean).powi(2)).sum();
                    let divisor = if sample { n - 1 } else { n } as f64;
                    Value::Float((squares / divisor).sqrt())
                }
            }
            AggKind::PercentileCont | AggKind::PercentileDisc => {
                if self.numbers.is_empty() {
                    return Ok(Value::Null);
                }
                let p = self.percentile.unwrap_or(0.0);
                let mut pairs: Vec<(f64, Value)> =
                    self.numbers.into_iter().zip(self.values).collect();
                pairs.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(Ordering::Equal));
                let n = pairs.len();
                if self.kind == AggKind::PercentileDisc {
                    let index = if p == 0.0 {
                        0
                    } else {
                        ((p * n as f64).ceil() as usize)
                            .saturating_sub(1)
                            .min(n - 1)
                    };
                    pairs.swap_remove(index).1
                } else {
                    let position = p * (n - 1) as f64;
                    let lower = position.floor() as usize;
                    let upper = position.ceil() as usize;
                    let fraction = position - lower as f64;
                    Value::Float(pairs[lower].0 + (pairs[upper].0 - pairs[lower].0) * fraction)
                }
            }
        })
    }
}
