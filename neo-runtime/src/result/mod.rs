//! Query results: records, their stream, and the summary.

mod borrowed;
mod prefetch;
mod record;
mod row;
mod stream;
mod summary;

pub use borrowed::{FromRecordRef, FromValueRef};
pub(crate) use prefetch::Fetching;
pub use prefetch::PrefetchWatermarks;
pub use record::{ColumnIndex, FromRecord, Record};
#[doc(hidden)]
pub use row::ColumnOrder;
pub use stream::RecordStream;
pub use summary::ResultSummary;
