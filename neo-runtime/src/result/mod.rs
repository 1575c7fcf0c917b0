//! Query results: records, their stream, and the summary.

mod record;
mod row;
mod stream;
mod summary;

pub use record::{ColumnIndex, FromRecord, Record};
pub use stream::RecordStream;
pub use summary::ResultSummary;
