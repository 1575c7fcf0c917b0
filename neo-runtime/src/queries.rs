//! Support for compile-time checked query modules (`#[queries]`).
//!
//! The macro checks the Cypher text and its parameters while the user's
//! crate compiles; the items here let the generated code check the returned
//! columns against the row type (in a constant, so a mismatch is a compile
//! error) and turn a result into the declared return type.

use crate::error::{Error, ErrorKind};
use crate::result::{FromRecord, RecordStream, ResultSummary};
use crate::value_kinds::ValueKinds;

/// The columns a row type reads, for checking queries at compile time.
///
/// `#[derive(Record)]` implements it with the struct's column names; types
/// that read any shape (such as [`Record`](struct@crate::Record)) say `None`, which
/// skips the check.
///
/// ```
/// use neo_runtime::RowColumns;
///
/// struct Person;
/// impl RowColumns for Person {
///     const COLUMNS: Option<&'static [&'static str]> = Some(&["name", "born"]);
/// }
/// ```
pub trait RowColumns {
    /// The column names the type reads, in any order; `None` for any shape.
    const COLUMNS: Option<&'static [&'static str]>;
    /// The columns among them that a row may lack (`Option` and defaulted
    /// fields).
    const OPTIONAL: &'static [&'static str] = &[];
    /// The kinds of value each column's field accepts
    /// ([`FromValue::ACCEPTS`](crate::FromValue::ACCEPTS)), for checking
    /// against a schema file; columns not listed are not checked.
    #[doc(hidden)]
    const KINDS: &'static [(&'static str, ValueKinds)] = &[];
}

impl RowColumns for crate::Record {
    const COLUMNS: Option<&'static [&'static str]> = None;
}

/// Whether a row type fits the columns a query returns: every returned
/// column is one the type reads, and every column it needs is returned.
#[doc(hidden)]
pub const fn columns_match<T: RowColumns>(returned: &[&str]) -> bool {
    let Some(expected) = T::COLUMNS else {
        return true;
    };
    let mut i = 0;
    while i < returned.len() {
        if !contains(expected, returned[i]) {
            return false;
        }
        i += 1;
    }
    let mut i = 0;
    while i < expected.len() {
        if !contains(returned, expected[i]) && !contains(T::OPTIONAL, expected[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether the row type's field for `column` accepts every kind in
/// `required` (true when the type does not say what the field accepts).
#[doc(hidden)]
pub const fn column_accepts<T: RowColumns>(column: &str, required: ValueKinds) -> bool {
    let mut i = 0;
    while i < T::KINDS.len() {
        let (name, accepts) = T::KINDS[i];
        if str_eq(name, column) {
            return accepts.contains(required);
        }
        i += 1;
    }
    true
}

const fn contains(haystack: &[&str], needle: &str) -> bool {
    let mut i = 0;
    while i < haystack.len() {
        if str_eq(haystack[i], needle) {
            return true;
        }
        i += 1;
    }
    false
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Every row, for a query function declared to return `Vec<T>`.
#[doc(hidden)]
pub async fn all_rows<T: FromRecord>(mut result: RecordStream<'_>) -> Result<Vec<T>, Error> {
    let mut rows = Vec::new();
    while let Some(row) = result.next_into::<T>().await {
        rows.push(row?);
    }
    Ok(rows)
}

/// The row if there is one, for `Option<T>`; more than one is an error.
#[doc(hidden)]
pub async fn optional_row<T: FromRecord>(mut result: RecordStream<'_>) -> Result<Option<T>, Error> {
    let first = result.next_into::<T>().await.transpose()?;
    if first.is_some() && result.next().await.transpose()?.is_some() {
        return Err(Error::new(
            ErrorKind::Usage,
            "the query returned more than one row where at most one was declared",
        ));
    }
    Ok(first)
}

/// Exactly one row, for a plain `T`.
#[doc(hidden)]
pub async fn single_row<T: FromRecord>(mut result: RecordStream<'_>) -> Result<T, Error> {
    T::from_record(&result.single().await?)
}

/// The summary, for `ResultSummary`.
#[doc(hidden)]
pub async fn summary(result: RecordStream<'_>) -> Result<ResultSummary, Error> {
    result.consume().await
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Person;
    impl RowColumns for Person {
        const COLUMNS: Option<&'static [&'static str]> = Some(&["name", "born"]);
    }

    struct MaybeBorn;
    impl RowColumns for MaybeBorn {
        const COLUMNS: Option<&'static [&'static str]> = Some(&["name", "born"]);
        const OPTIONAL: &'static [&'static str] = &["born"];
    }

    struct Typed;
    impl RowColumns for Typed {
        const COLUMNS: Option<&'static [&'static str]> = Some(&["name", "born"]);
        const KINDS: &'static [(&'static str, ValueKinds)] = &[
            ("name", ValueKinds::STRING),
            ("born", ValueKinds::INTEGER.union(ValueKinds::NULL)),
        ];
    }

    #[test]
    fn column_kinds_are_checked_only_where_known() {
        assert!(column_accepts::<Typed>("name", ValueKinds::STRING));
        assert!(!column_accepts::<Typed>("name", ValueKinds::INTEGER));
        assert!(column_accepts::<Typed>("born", ValueKinds::INTEGER));
        assert!(!column_accepts::<Typed>("born", ValueKinds::FLOAT));
        assert!(column_accepts::<Typed>("other", ValueKinds::FLOAT));
        assert!(column_accepts::<Person>("name", ValueKinds::INTEGER));
    }

    const _: () = assert!(!column_accepts::<Typed>("name", ValueKinds::BOOLEAN));

    #[test]
    fn columns_are_compared_as_sets() {
        assert!(columns_match::<Person>(&["born", "name"]));
        assert!(!columns_match::<Person>(&["name"]));
        assert!(columns_match::<MaybeBorn>(&["name"]));
        assert!(!columns_match::<MaybeBorn>(&["born"]));
        assert!(!columns_match::<Person>(&["name", "born", "x"]));
        assert!(!columns_match::<Person>(&["name", "bron"]));
        assert!(columns_match::<crate::Record>(&["anything"]));
    }

    // Evaluated by the compiler: the check works in constants.
    const _: () = assert!(columns_match::<Person>(&["name", "born"]));
    const _: () = assert!(!columns_match::<Person>(&["name", "age"]));
}
