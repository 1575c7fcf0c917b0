//! Rows that borrow from the received batch, built with `#[derive(Record)]`
//! on a struct with a lifetime.

use neo_bolt::packstream::{Dialect, Header, Unpacker, marker};

use crate::error::{Error, ErrorKind, decode_error};
use crate::from_value::{FromValue, mismatch, read_value};

/// Rows that borrow from the received batch, read with
/// [`RecordStream::next_borrowed_into`](super::RecordStream::next_borrowed_into).
/// `#[derive(Record)]` implements it for a struct with one lifetime
/// parameter, whose fields are [`FromValueRef`] types: `&str` and `&[u8]`
/// fields point into the batch, so reading a row copies no string.
///
/// ```
/// # async fn example(mut result: neo_runtime::RecordStream<'_>) -> neo_runtime::Result<()> {
/// #[derive(neo_runtime::Record)]
/// struct Person<'a> {
///     name: &'a str,
///     nickname: Option<&'a str>,
///     born: i64,
/// }
/// while let Some(person) = result.next_borrowed_into::<Person<'_>>().await {
///     let person = person?;
///     println!("{} ({})", person.name, person.nickname.unwrap_or("-"));
/// }
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be built from a borrowed record",
    label = "`FromRecordRef` is not implemented for `{Self}`",
    note = "derive it with `#[derive(neo_runtime::Record)]` on a struct with a lifetime (`struct Row<'a> {{ name: &'a str }}`)",
    note = "a `serde::Deserialize` type borrowing from the batch is read with `RecordStream::next_borrowed` instead"
)]
pub trait FromRecordRef<'r>: Sized {
    /// Builds the row from its values: `values` stands at the first, and
    /// they come in the order of `keys`.
    #[doc(hidden)]
    fn from_values_ref(keys: &[String], values: Unpacker<'r>) -> Result<Self, Error>;
}

/// The type of a field of a borrowed row (see [`FromRecordRef`]): every
/// [`FromValue`] type, and `&str`, `&[u8]` and their `Option`s, which
/// point into the received batch.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a borrowed row",
    label = "`FromValueRef` is not implemented for `{Self}`",
    note = "a field is a `FromValue` type (owned), or `&str`, `&[u8]`, `Option<&str>`, `Option<&[u8]>` borrowing from the batch"
)]
pub trait FromValueRef<'r>: Sized {
    /// Decodes the value where `unpacker` stands and moves past it; a
    /// value of another type is an [`ErrorKind::Mapping`] error naming the
    /// type found.
    #[doc(hidden)]
    fn from_packstream_ref(unpacker: &mut Unpacker<'r>) -> Result<Self, Error>;

    /// The value of an absent column, if the type has one.
    #[doc(hidden)]
    fn from_missing_ref() -> Option<Self> {
        None
    }
}

impl<'r, T: FromValue> FromValueRef<'r> for T {
    #[inline]
    fn from_packstream_ref(unpacker: &mut Unpacker<'r>) -> Result<Self, Error> {
        T::from_packstream(unpacker)
    }

    fn from_missing_ref() -> Option<Self> {
        T::from_missing()
    }
}

impl<'r> FromValueRef<'r> for &'r str {
    #[inline]
    fn from_packstream_ref(unpacker: &mut Unpacker<'r>) -> Result<Self, Error> {
        let mut probe = unpacker.clone();
        match probe.read_str() {
            Ok(string) => {
                *unpacker = probe;
                Ok(string)
            }
            // Another type (named as `String::from_value` names it), or
            // bytes that do not decode.
            Err(_) => Err(mismatch("String", &read_value(unpacker)?)),
        }
    }
}

impl<'r> FromValueRef<'r> for &'r [u8] {
    #[inline]
    fn from_packstream_ref(unpacker: &mut Unpacker<'r>) -> Result<Self, Error> {
        let mut probe = unpacker.clone();
        if let Ok(Header::Bytes(len)) = probe.read_header()
            && let Ok(bytes) = probe.take(len)
        {
            *unpacker = probe;
            return Ok(bytes);
        }
        Err(mismatch("Bytes", &read_value(unpacker)?))
    }
}

/// `Option<&str>` and `Option<&[u8]>`: null (or a missing column) is `None`.
macro_rules! optional_borrowed {
    ($($ty:ty),*) => {$(
        impl<'r> FromValueRef<'r> for Option<$ty> {
            #[inline]
            fn from_packstream_ref(unpacker: &mut Unpacker<'r>) -> Result<Self, Error> {
                if unpacker.peek_marker().ok() == Some(marker::NULL) {
                    unpacker.skip_value().map_err(decode_error)?;
                    return Ok(None);
                }
                <$ty>::from_packstream_ref(unpacker).map(Some)
            }

            fn from_missing_ref() -> Option<Self> {
                Some(None)
            }
        }
    )*};
}

optional_borrowed!(&'r str, &'r [u8]);

/// A RECORD body's values: the unpacker at the first, checked to be one
/// per column.
pub(crate) fn record_values(
    body: &[u8],
    dialect: Dialect,
    columns: usize,
) -> Result<Unpacker<'_>, Error> {
    let mut unpacker = Unpacker::new(body.get(2..).unwrap_or_default(), dialect);
    let len = unpacker.read_list_header().map_err(decode_error)?;
    if len != columns {
        return Err(Error::new(
            ErrorKind::Protocol,
            format!("the record has {len} values for {columns} columns"),
        ));
    }
    Ok(unpacker)
}
