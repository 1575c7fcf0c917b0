//! Results: the requests on a result id, served by the driver's
//! [`RecordStream`].

use std::collections::HashMap;
use std::sync::Arc;

use neo_runtime::{Record, RecordStream};

use super::session::SessionContext;
use super::summary::{QueryRecord, summary};
use crate::protocol::responses::{RecordValues, Response};
use crate::protocol::values::{CypherValue, ValueError};

/// What can be asked of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResultOp {
    Next,
    Peek,
    Single,
    SingleOptional,
    List,
    Consume,
}

/// One result as testkit sees it. `'t` is the transaction its stream
/// borrows (`'static` for auto-commit results).
pub(crate) enum ResultSlot<'t> {
    /// Records may still be read.
    Open {
        stream: Box<RecordStream<'t>>,
        query: Arc<QueryRecord>,
    },
    /// Consumed; the summary, if consuming produced one.
    Consumed {
        summary: Option<Box<crate::protocol::responses::Summary>>,
    },
    /// Its transaction ended, and the stream with it.
    OutOfScope { reason: &'static str },
}

/// The results of a session or of one of its transactions, by id.
#[derive(Default)]
pub(crate) struct ResultTable<'t>(HashMap<String, ResultSlot<'t>>);

impl<'t> ResultTable<'t> {
    pub(crate) fn open(&mut self, id: String, stream: RecordStream<'t>, query: Arc<QueryRecord>) {
        self.0.insert(
            id,
            ResultSlot::Open {
                stream: Box::new(stream),
                query,
            },
        );
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut ResultSlot<'t>> {
        self.0.get_mut(id)
    }

    /// Marks a result whose transaction ended.
    pub(crate) fn out_of_scope(&mut self, id: String, reason: &'static str) {
        self.0.insert(id, ResultSlot::OutOfScope { reason });
    }

    /// Gives up every result still open (the driver discards what is left);
    /// consumed results keep their summaries.
    pub(crate) fn close_open(&mut self, reason: &'static str) {
        for slot in self.0.values_mut() {
            if matches!(slot, ResultSlot::Open { .. }) {
                *slot = ResultSlot::OutOfScope { reason };
            }
        }
    }

    /// The ids of every result in the table.
    pub(crate) fn ids(&self) -> Vec<String> {
        self.0.keys().cloned().collect()
    }
}

impl ResultSlot<'_> {
    /// Serves one request on the result.
    pub(crate) async fn apply(&mut self, op: ResultOp, ctx: &SessionContext) -> Response {
        match (op, &mut *self) {
            (_, ResultSlot::OutOfScope { reason }) => {
                let reason = *reason;
                ctx.usage(
                    "ResultOutOfScope",
                    format!("the result cannot be used any more: {reason}"),
                )
            }
            (ResultOp::Consume, ResultSlot::Consumed { summary }) => match summary {
                Some(summary) => Response::Summary(summary.clone()),
                None => ctx.usage(
                    "ResultConsumed",
                    "the result was consumed and its summary was not kept",
                ),
            },
            (_, ResultSlot::Consumed { .. }) => {
                ctx.usage("ResultConsumed", "the result has been consumed")
            }
            (ResultOp::Next, ResultSlot::Open { stream, .. }) => match stream.next().await {
                Some(Ok(record)) => record_response(&record, ctx),
                Some(Err(error)) => ctx.error(error),
                None => Response::NullRecord,
            },
            (ResultOp::Peek, ResultSlot::Open { stream, .. }) => match stream.peek().await {
                Some(Ok(record)) => record_response(record, ctx),
                Some(Err(error)) => ctx.error(error),
                None => Response::NullRecord,
            },
            (ResultOp::SingleOptional, ResultSlot::Open { stream, .. }) => {
                match stream.single_optional().await {
                    Ok(record) => match record.as_ref().map(record_values).transpose() {
                        Ok(values) => Response::RecordOptional {
                            record: values.map(|values| RecordValues { values }),
                            warnings: Vec::new(),
                        },
                        Err(error) => error.response(ctx),
                    },
                    Err(error) => ctx.error(error),
                }
            }
            (ResultOp::List, ResultSlot::Open { stream, .. }) => {
                let mut records = Vec::new();
                while let Some(record) = stream.next().await {
                    match record.map_err(|error| ctx.error(error)).and_then(|record| {
                        record_values(&record).map_err(|error| error.response(ctx))
                    }) {
                        Ok(values) => records.push(RecordValues { values }),
                        Err(response) => return response,
                    }
                }
                Response::RecordList { records }
            }
            (ResultOp::Single, ResultSlot::Open { stream, .. }) => match stream.single().await {
                Ok(record) => record_response(&record, ctx),
                Err(error) => ctx.error(error),
            },
            (ResultOp::Consume, ResultSlot::Open { .. }) => {
                let ResultSlot::Open { stream, query } =
                    std::mem::replace(self, ResultSlot::Consumed { summary: None })
                else {
                    unreachable!("matched as open above")
                };
                match stream.consume().await {
                    Ok(consumed) => match summary(&consumed, &query) {
                        Ok(summary) => {
                            let summary = Box::new(summary);
                            *self = ResultSlot::Consumed {
                                summary: Some(summary.clone()),
                            };
                            Response::Summary(summary)
                        }
                        Err(error) => Response::backend_error(format!(
                            "the summary holds a value testkit cannot take: {error}"
                        )),
                    },
                    Err(error) => ctx.error(error),
                }
            }
        }
    }
}

/// Why a record cannot be handed to testkit.
pub(crate) enum RecordError {
    /// The driver failed (decoding, or converting a value as an
    /// application would): a driver error for the test.
    Driver(neo_runtime::Error),
    /// The backend has no encoding for a value.
    Backend(String),
}

impl RecordError {
    /// The answer that reports it.
    pub(crate) fn response(self, ctx: &SessionContext) -> Response {
        match self {
            RecordError::Driver(error) => ctx.error(error),
            RecordError::Backend(message) => Response::backend_error(message),
        }
    }
}

/// A record's values in testkit's encoding.
pub(crate) fn record_values(record: &Record) -> Result<Vec<CypherValue>, RecordError> {
    let values = record.values().map_err(RecordError::Driver)?;
    values
        .iter()
        .map(|value| {
            CypherValue::from_value(value).map_err(|error| match error {
                ValueError::Driver(error) => RecordError::Driver(error),
                ValueError::Unsupported(message) => RecordError::Backend(format!(
                    "a record holds a value testkit cannot take: {message}"
                )),
            })
        })
        .collect()
}

fn record_response(record: &Record, ctx: &SessionContext) -> Response {
    match record_values(record) {
        Ok(values) => Response::Record { values },
        Err(error) => error.response(ctx),
    }
}
