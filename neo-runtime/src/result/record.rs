//! One row of a result, decoded lazily from the bytes it arrived in.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use neo_bolt::Value;
use neo_bolt::packstream::{Deserializer, Dialect, Unpacker};
use serde::Deserialize;

use super::row::{ColumnOrder, decode_row, mapping_error};
use crate::error::{Error, ErrorKind, decode_error};

/// One row of a result: values by column, decoded when asked for.
///
/// ```
/// # async fn example(mut result: neo_runtime::RecordStream<'_>) -> neo_runtime::Result<()> {
/// while let Some(record) = result.next().await {
///     let record = record?;
///     let name = record.get("name")?;
///     println!("{}", name.as_str().unwrap_or("?"));
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Record {
    keys: Arc<[String]>,
    body: Bytes,
    dialect: Dialect,
}

impl Record {
    pub(crate) fn new(keys: Arc<[String]>, body: Bytes, dialect: Dialect) -> Self {
        Record {
            keys,
            body,
            dialect,
        }
    }

    /// The RECORD message body.
    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }

    /// The column names, in order.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the record has no columns.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub(crate) fn fields(&self) -> Result<(Unpacker<'_>, usize), Error> {
        let mut unpacker = Unpacker::new(self.body.get(2..).unwrap_or_default(), self.dialect);
        let len = unpacker.read_list_header().map_err(decode_error)?;
        Ok((unpacker, len))
    }

    /// Every value, in column order.
    pub fn values(&self) -> Result<Vec<Value>, Error> {
        let (mut unpacker, len) = self.fields()?;
        unpacker.read_values(len).map_err(decode_error)
    }

    /// The value at a column position.
    pub fn value_at(&self, index: usize) -> Result<Value, Error> {
        let (mut unpacker, len) = self.fields()?;
        if index >= len {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("column {index} does not exist; the record has {len} column(s)"),
            ));
        }
        for _ in 0..index {
            unpacker.skip_value().map_err(decode_error)?;
        }
        unpacker.read_value().map_err(decode_error)
    }

    fn index_of(&self, key: &str) -> Result<usize, Error> {
        self.keys.iter().position(|k| k == key).ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                format!(
                    "no column named `{key}`; the columns are [{}]",
                    self.keys.join(", ")
                ),
            )
        })
    }

    /// The value of a column by name.
    ///
    /// `record["name"]` does not compile: reading a column decodes it, which
    /// can fail, so it returns a `Result`.
    #[doc(alias = "index")]
    pub fn get(&self, key: &str) -> Result<Value, Error> {
        self.value_at(self.index_of(key)?)
    }

    /// The value of the record's only column, as in
    /// `session.run("RETURN count(n)").await?.single().await?.value()?`. A
    /// record of several columns is an [`ErrorKind::Usage`] error naming
    /// them: read those with [`get`](Record::get).
    ///
    /// ```
    /// # async fn example(session: &mut neo_runtime::Session) -> neo_runtime::Result<()> {
    /// let count = session
    ///     .run("MATCH (p:Person) RETURN count(p)")
    ///     .await?
    ///     .single()
    ///     .await?
    ///     .value()?;
    /// println!("{count} people");
    /// # Ok(())
    /// # }
    /// ```
    #[doc(alias = "single_value")]
    pub fn value(&self) -> Result<Value, Error> {
        match self.keys.len() {
            1 => self.value_at(0),
            count => Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "`value()` reads a record of one column, and this one has {count} ([{}]); \
                     read a column by name with `get(\"…\")`",
                    self.keys.join(", ")
                ),
            )),
        }
    }

    /// A column decoded straight into a Rust type (any `T: Deserialize`,
    /// borrowing strings from the record where `T` allows).
    ///
    /// ```
    /// # fn example(record: &neo_runtime::Record) -> neo_runtime::Result<()> {
    /// let name: &str = record.get_as("name")?;
    /// let born: Option<i64> = record.get_as("born")?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_as<'r, T: Deserialize<'r>>(&'r self, key: &str) -> Result<T, Error> {
        let index = self.index_of(key)?;
        let (mut unpacker, _) = self.fields()?;
        for _ in 0..index {
            unpacker.skip_value().map_err(decode_error)?;
        }
        T::deserialize(&mut Deserializer::new(&mut unpacker))
            .map_err(|error| mapping_error::<T>(&format!("column `{key}`"), error))
    }

    /// The whole record decoded into a Rust type: a struct or map reads the
    /// columns by name, a tuple or sequence by position.
    ///
    /// ```
    /// # fn example(record: &neo_runtime::Record) -> neo_runtime::Result<()> {
    /// #[derive(serde::Deserialize)]
    /// struct Person {
    ///     name: String,
    ///     born: Option<i64>,
    /// }
    /// let person: Person = record.to()?;
    /// let (name, born): (String, i64) = record.to()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn to<'r, T: Deserialize<'r>>(&'r self) -> Result<T, Error> {
        decode_row(&self.keys, &self.body, self.dialect, None)
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        match self.values() {
            Ok(values) => {
                for (key, value) in self.keys.iter().zip(values) {
                    map.entry(key, &value);
                }
            }
            Err(error) => {
                map.entry(&"<undecodable>", &error.to_string());
            }
        }
        map.finish()
    }
}

/// `record["name"]`: a compile error that says to call
/// [`Record::get`] instead (no key type implements [`ColumnIndex`]).
#[doc(hidden)]
impl<K: ColumnIndex> std::ops::Index<K> for Record {
    type Output = Value;

    fn index(&self, key: K) -> &Value {
        key.index(self)
    }
}

/// The key of `record[key]`, which no type is: reading a column decodes
/// it, which can fail, so a record is read with [`Record::get`], which
/// returns a `Result`. Its only purpose is the compiler's message.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a `Record` cannot be indexed with `[…]`",
    label = "read the column with `record.get(…)?` instead",
    note = "`record.get(\"name\")?` is the column's `Value`, `record.get_as::<T>(\"name\")?` decodes it into `T`, `record.value_at(0)?` reads by position, `record.value()?` reads a record's only column: each decodes when asked, which can fail, so each returns a `Result`"
)]
pub trait ColumnIndex {
    /// Never called: no type implements the trait.
    fn index(self, record: &Record) -> &Value;
}

/// Types that can be built from a whole record.
///
/// The `#[derive(Record)]` macro implements it; any `T: Deserialize` can
/// also be read with [`Record::to`](Record::to).
///
/// ```
/// use neo_runtime::{FromRecord, Record};
///
/// struct Count(i64);
///
/// impl FromRecord for Count {
///     fn from_record(record: &Record) -> neo_runtime::Result<Self> {
///         Ok(Count(record.get_as("n")?))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be built from a record",
    label = "`FromRecord` is not implemented for `{Self}`",
    note = "derive it with `#[derive(neo_runtime::Record)]` (a field per column), or implement `FromRecord` for it",
    note = "a `serde::Deserialize` type is read with `RecordStream::next_as` or `Record::to` instead"
)]
pub trait FromRecord: Sized {
    /// Builds the value from one record.
    fn from_record(record: &Record) -> Result<Self, Error>;

    /// Whether [`from_values`](Self::from_values) builds the value, so
    /// that [`RecordStream::next_into`](super::RecordStream::next_into)
    /// reads it where the record lies, without a [`Record`] (implemented
    /// by `#[derive(Record)]`).
    #[doc(hidden)]
    const FROM_VALUES: bool = false;

    /// Builds the value from a record's values: `values` stands at the
    /// first, one per column of `keys`, in their order; `order` remembers,
    /// across the records of one result, whether the columns are the
    /// fields in order. Called only when [`FROM_VALUES`](Self::FROM_VALUES)
    /// is true.
    #[doc(hidden)]
    fn from_values(
        keys: &[String],
        values: Unpacker<'_>,
        order: &mut ColumnOrder,
    ) -> Result<Self, Error> {
        let _ = (keys, values, order);
        Err(Error::new(
            ErrorKind::Usage,
            "this type is built from whole records (`FromRecord::from_record`)",
        ))
    }
}

impl FromRecord for Record {
    fn from_record(record: &Record) -> Result<Self, Error> {
        Ok(record.clone())
    }
}
