//! Property types: the names servers report, and their Cypher 5 spelling.

use std::collections::BTreeSet;
use std::fmt;

/// The Cypher 5 name of a property type as a server reports it.
///
/// Neo4j 5's schema procedures give storage names (`String`, `Long`,
/// `StringArray`, …); newer servers may give Cypher names already
/// (`STRING`, `LIST<STRING NOT NULL>`), which are kept, with the
/// `NOT NULL` of list elements dropped (stored lists never hold nulls).
/// Anything unknown is `ANY`.
///
/// ```
/// use neo_schema::cypher_type;
///
/// assert_eq!(cypher_type("Long"), "INTEGER");
/// assert_eq!(cypher_type("DateTime"), "ZONED DATETIME");
/// assert_eq!(cypher_type("StringArray"), "LIST<STRING>");
/// assert_eq!(cypher_type("LIST<STRING NOT NULL>"), "LIST<STRING>");
/// assert_eq!(cypher_type("Hyperloglog"), "ANY");
/// ```
pub fn cypher_type(name: &str) -> String {
    let name = name.trim();
    if let Some(element) = name.strip_suffix("Array").filter(|e| !e.is_empty()) {
        return format!("LIST<{}>", cypher_type(element));
    }
    let upper = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    if let Some(element) = list_element(&upper) {
        let element = element.trim();
        let element = element.strip_suffix(" NOT NULL").unwrap_or(element);
        return format!("LIST<{}>", cypher_type(element));
    }
    let known = match name {
        "String" | "Char" => "STRING",
        "Long" | "Integer" | "Short" | "Byte" => "INTEGER",
        "Double" | "Float" => "FLOAT",
        "Boolean" => "BOOLEAN",
        "Date" => "DATE",
        "Time" => "ZONED TIME",
        "LocalTime" => "LOCAL TIME",
        "DateTime" => "ZONED DATETIME",
        "LocalDateTime" => "LOCAL DATETIME",
        "Duration" => "DURATION",
        "Point" => "POINT",
        _ => match upper.as_str() {
            "STRING" | "VARCHAR" => "STRING",
            "INTEGER" | "INT" | "SIGNED INTEGER" | "INTEGER64" => "INTEGER",
            "FLOAT" | "FLOAT64" => "FLOAT",
            "BOOLEAN" | "BOOL" => "BOOLEAN",
            "DATE" => "DATE",
            "ZONED TIME" | "TIME WITH TIME ZONE" => "ZONED TIME",
            "LOCAL TIME" | "TIME WITHOUT TIME ZONE" => "LOCAL TIME",
            "ZONED DATETIME" | "TIMESTAMP WITH TIME ZONE" => "ZONED DATETIME",
            "LOCAL DATETIME" | "TIMESTAMP WITHOUT TIME ZONE" => "LOCAL DATETIME",
            "DURATION" => "DURATION",
            "POINT" => "POINT",
            _ => "ANY",
        },
    };
    known.to_owned()
}

/// `X` of `LIST<X>` or `ARRAY<X>` (upper-case input).
fn list_element(upper: &str) -> Option<&str> {
    let inner = upper
        .strip_prefix("LIST")
        .or_else(|| upper.strip_prefix("ARRAY"))?
        .trim_start()
        .strip_prefix('<')?
        .strip_suffix('>')?;
    Some(inner)
}

/// The type of one property of a label or relationship type: the Cypher
/// types its values have, and whether every entity has it.
///
/// Its text is the value written to the schema file: the types sorted and
/// joined by ` | `, each followed by ` NOT NULL` when the property is
/// always there.
///
/// ```
/// use neo_schema::PropertyType;
///
/// let mut born = PropertyType::new(["Long"], true);
/// assert_eq!(born.to_string(), "INTEGER NOT NULL");
/// born.merge(&PropertyType::new(["String"], false));
/// assert_eq!(born.to_string(), "INTEGER | STRING");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PropertyType {
    types: BTreeSet<String>,
    not_null: bool,
}

impl PropertyType {
    /// A property whose values have the types `names` (as the server
    /// reports them, see [`cypher_type`]); `not_null` when every entity has it.
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>, not_null: bool) -> Self {
        PropertyType {
            types: names.into_iter().map(|n| cypher_type(n.as_ref())).collect(),
            not_null,
        }
    }

    /// The Cypher type names, sorted; one of them is `ANY` when the value's
    /// type is unknown.
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(String::as_str)
    }

    /// Whether every entity has the property.
    pub fn is_not_null(&self) -> bool {
        self.not_null
    }

    /// Adds the types of `other`; the property stays `NOT NULL` only if it
    /// is in both.
    pub fn merge(&mut self, other: &PropertyType) {
        self.types.extend(other.types.iter().cloned());
        self.not_null &= other.not_null;
    }

    /// Marks the property as possibly missing.
    pub(crate) fn set_nullable(&mut self) {
        self.not_null = false;
    }
}

impl fmt::Display for PropertyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // In a union, `NOT NULL` binds to one member, as in Cypher: a
        // property that is always there says so on every member.
        let not_null = if self.not_null { " NOT NULL" } else { "" };
        if self.types.is_empty() || self.types.contains("ANY") {
            return write!(f, "ANY{not_null}");
        }
        for (i, name) in self.types.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{name}{not_null}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_names_become_cypher_names() {
        for (given, expected) in [
            ("String", "STRING"),
            ("Long", "INTEGER"),
            ("Double", "FLOAT"),
            ("Boolean", "BOOLEAN"),
            ("Date", "DATE"),
            ("Time", "ZONED TIME"),
            ("LocalTime", "LOCAL TIME"),
            ("DateTime", "ZONED DATETIME"),
            ("LocalDateTime", "LOCAL DATETIME"),
            ("Duration", "DURATION"),
            ("Point", "POINT"),
            ("LongArray", "LIST<INTEGER>"),
            ("DoubleArray", "LIST<FLOAT>"),
            ("PointArray", "LIST<POINT>"),
            ("Array", "ANY"),
            ("", "ANY"),
        ] {
            assert_eq!(cypher_type(given), expected, "{given}");
        }
    }

    #[test]
    fn cypher_names_are_kept_and_normalised() {
        for (given, expected) in [
            ("STRING", "STRING"),
            ("INTEGER", "INTEGER"),
            ("zoned  datetime", "ZONED DATETIME"),
            ("LIST<STRING NOT NULL>", "LIST<STRING>"),
            ("LIST<LOCAL DATETIME NOT NULL>", "LIST<LOCAL DATETIME>"),
            ("LIST<FLOAT>", "LIST<FLOAT>"),
            ("LIST<NOTHING>", "LIST<ANY>"),
            ("MAP", "ANY"),
        ] {
            assert_eq!(cypher_type(given), expected, "{given}");
        }
    }

    #[test]
    fn unknown_types_absorb_the_others() {
        assert_eq!(
            PropertyType::new(["Long", "Blob"], true).to_string(),
            "ANY NOT NULL"
        );
        assert_eq!(
            PropertyType::new(Vec::<String>::new(), false).to_string(),
            "ANY"
        );
        assert_eq!(
            PropertyType::new(["String", "Long", "STRING"], false).to_string(),
            "INTEGER | STRING"
        );
        assert_eq!(
            PropertyType::new(["String", "Long"], true).to_string(),
            "INTEGER NOT NULL | STRING NOT NULL"
        );
    }
}
