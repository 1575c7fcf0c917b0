//! Result transformers: what [`Driver::execute_query_with`] makes of a
//! query's result.
//!
//! A transformer reads the result inside the managed transaction, so it
//! runs once per attempt; what it returns leaves the transaction. The
//! default, [`Eager`], keeps everything ([`EagerResult`]); the others decode
//! the rows into your own types, expect exactly one record, keep only the
//! summary, or run a closure of your own over the stream.
//!
//! ```no_run
//! # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
//! use neo_runtime::{QueryConfig, Record, transform};
//!
//! // Typed rows through serde, or through `#[derive(Record)]`:
//! #[derive(serde::Deserialize)]
//! struct Name {
//!     name: String,
//! }
//! let names: Vec<Name> = driver
//!     .execute_query_with("MATCH (p:Person) RETURN p.name AS name", QueryConfig::default(), transform::rows())
//!     .await?;
//!
//! // Exactly one record:
//! let count: Record = driver
//!     .execute_query_with("MATCH (p:Person) RETURN count(p) AS n", QueryConfig::default(), transform::single())
//!     .await?;
//!
//! // A closure over the stream:
//! let total = driver
//!     .execute_query_with(
//!         "UNWIND range(1, 100) AS x RETURN x",
//!         QueryConfig::default(),
//!         transform::from_fn(async |mut result| {
//!             let mut total = 0;
//!             while let Some(record) = result.next().await {
//!                 total += record?.get_as::<i64>("x")?;
//!             }
//!             Ok(total)
//!         }),
//!     )
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! [`Driver::execute_query_with`]: crate::Driver::execute_query_with
//! [`EagerResult`]: crate::EagerResult

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::EagerResult;
use crate::error::Error;
use crate::result::{FromRecord, RecordStream, ResultSummary};

/// Makes something of a query's result, inside its transaction.
///
/// It is called once per attempt of the managed transaction, with the
/// result of that attempt's query; an error fails the attempt (and is
/// retried when it is a retryable one, such as a lost connection while
/// reading). Records not read when it returns are discarded.
///
/// ```
/// use neo_runtime::transform::ResultTransformer;
/// use neo_runtime::{RecordStream, Result};
///
/// /// Counts the records.
/// struct Count;
///
/// impl ResultTransformer for Count {
///     type Output = usize;
///
///     async fn transform(&mut self, mut result: RecordStream<'_>) -> Result<usize> {
///         let mut count = 0;
///         while let Some(record) = result.next().await {
///             record?;
///             count += 1;
///         }
///         Ok(count)
///     }
/// }
/// ```
pub trait ResultTransformer {
    /// What the transformer makes of a result.
    type Output;

    /// Reads `result` and makes the output.
    fn transform(
        &mut self,
        result: RecordStream<'_>,
    ) -> impl Future<Output = Result<Self::Output, Error>>;
}

/// The default transformer: the keys, every record and the summary, as an
/// [`EagerResult`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Eager;

impl ResultTransformer for Eager {
    type Output = EagerResult;

    async fn transform(&mut self, mut result: RecordStream<'_>) -> Result<EagerResult, Error> {
        let keys = result.keys().to_vec();
        let mut records = Vec::new();
        while let Some(record) = result.next().await {
            records.push(record?);
        }
        let summary = result.consume().await?;
        Ok(EagerResult {
            keys,
            records,
            summary,
        })
    }
}

/// Every row decoded into `T` through serde (`T: Deserialize`): a struct
/// reads the columns by name, a tuple by position. See [`rows`].
pub struct Rows<T>(PhantomData<fn() -> T>);

/// Every row decoded with `T`'s [`FromRecord`] implementation (a
/// `#[derive(Record)]`, `#[derive(Node)]` or `#[derive(Relationship)]`
/// struct, or [`Record`](struct@crate::Record) itself). See [`records`].
pub struct Records<T>(PhantomData<fn() -> T>);

/// Exactly one record, built with `T`'s [`FromRecord`] implementation; none
/// or several is an [`ErrorKind::ResultNotSingle`](crate::ErrorKind::ResultNotSingle) error. See [`single`].
pub struct Single<T>(PhantomData<fn() -> T>);

/// At most one record, built with `T`'s [`FromRecord`] implementation;
/// several is an [`ErrorKind::ResultNotSingle`](crate::ErrorKind::ResultNotSingle) error. See
/// [`single_optional`].
pub struct SingleOptional<T>(PhantomData<fn() -> T>);

/// The summary only: the records are discarded (for writes). See
/// [`summary`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary;

/// A closure over the result stream. See [`from_fn`].
pub struct FromFn<F>(F);

macro_rules! marker_impls {
    ($($name:ident),*) => {$(
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T> Copy for $name<T> {}

        impl<T> Default for $name<T> {
            fn default() -> Self {
                $name(PhantomData)
            }
        }

        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}<{}>", stringify!($name), std::any::type_name::<T>())
            }
        }
    )*};
}

marker_impls!(Rows, Records, Single, SingleOptional);

impl<F> fmt::Debug for FromFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FromFn")
    }
}

/// Every row as a `T: Deserialize`.
///
/// ```
/// use neo_runtime::transform::{self, Rows};
///
/// let rows: Rows<(String, i64)> = transform::rows();
/// ```
pub fn rows<T: DeserializeOwned>() -> Rows<T> {
    Rows::default()
}

/// Every row as a `T: FromRecord` (`Vec<Record>` for `T = Record`).
///
/// ```
/// use neo_runtime::Record;
/// use neo_runtime::transform::{self, Records};
///
/// let records: Records<Record> = transform::records();
/// ```
pub fn records<T: FromRecord>() -> Records<T> {
    Records::default()
}

/// Exactly one record as a `T: FromRecord`.
pub fn single<T: FromRecord>() -> Single<T> {
    Single::default()
}

/// At most one record as a `T: FromRecord`.
pub fn single_optional<T: FromRecord>() -> SingleOptional<T> {
    SingleOptional::default()
}

/// The summary only.
pub fn summary() -> Summary {
    Summary
}

/// A closure over the result stream, called once per attempt: an
/// `async` closure taking the [`RecordStream`] and returning
/// `Result<T>`.
///
/// ```
/// use neo_runtime::transform;
///
/// let first_column = transform::from_fn(async |result| Ok(result.keys().first().cloned()));
/// ```
pub fn from_fn<F, T>(f: F) -> FromFn<F>
where
    F: AsyncFnMut(RecordStream<'_>) -> Result<T, Error>,
{
    FromFn(f)
}

impl<T: DeserializeOwned> ResultTransformer for Rows<T> {
    type Output = Vec<T>;

    async fn transform(&mut self, mut result: RecordStream<'_>) -> Result<Vec<T>, Error> {
        let mut rows = Vec::new();
        while let Some(row) = result.next_as::<T>().await {
            rows.push(row?);
        }
        Ok(rows)
    }
}

impl<T: FromRecord> ResultTransformer for Records<T> {
    type Output = Vec<T>;

    async fn transform(&mut self, mut result: RecordStream<'_>) -> Result<Vec<T>, Error> {
        let mut rows = Vec::new();
        while let Some(row) = result.next_into::<T>().await {
            rows.push(row?);
        }
        Ok(rows)
    }
}

impl<T: FromRecord> ResultTransformer for Single<T> {
    type Output = T;

    async fn transform(&mut self, mut result: RecordStream<'_>) -> Result<T, Error> {
        T::from_record(&result.single().await?)
    }
}

impl<T: FromRecord> ResultTransformer for SingleOptional<T> {
    type Output = Option<T>;

    async fn transform(&mut self, mut result: RecordStream<'_>) -> Result<Option<T>, Error> {
        result
            .single_optional()
            .await?
            .map(|record| T::from_record(&record))
            .transpose()
    }
}

impl ResultTransformer for Summary {
    type Output = ResultSummary;

    async fn transform(&mut self, result: RecordStream<'_>) -> Result<ResultSummary, Error> {
        result.consume().await
    }
}

impl<F, T> ResultTransformer for FromFn<F>
where
    F: AsyncFnMut(RecordStream<'_>) -> Result<T, Error>,
{
    type Output = T;

    fn transform(&mut self, result: RecordStream<'_>) -> impl Future<Output = Result<T, Error>> {
        (self.0)(result)
    }
}
