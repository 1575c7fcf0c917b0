//! The schema file's text.

use std::fmt::Write;

use crate::schema::{Properties, Schema};

impl Schema {
    /// The text of `neo-schema.toml`: a comment naming the database and its
    /// source, then one `[nodes.<label>]` table per label and one
    /// `[relationships.<type>]` table per relationship type, sorted by name,
    /// each listing its properties (sorted) with their Cypher types.
    ///
    /// ```
    /// use neo_schema::{NodeTypeRow, RelTypeRow, Schema};
    ///
    /// let person = |property: &str, types: &str, mandatory| NodeTypeRow {
    ///     labels: vec!["Person".into()],
    ///     property: Some(property.into()),
    ///     types: vec![types.into()],
    ///     mandatory,
    /// };
    /// let acted_in = RelTypeRow {
    ///     rel_type: "ACTED_IN".into(),
    ///     property: Some("roles".into()),
    ///     types: vec!["StringArray".into()],
    ///     mandatory: false,
    /// };
    /// let movie = NodeTypeRow { labels: vec!["Movie".into()], property: None, types: vec![], mandatory: false };
    /// let schema = Schema::from_rows(
    ///     "neo4j",
    ///     "bolt://localhost:7687",
    ///     [person("name", "String", true), person("born", "Long", false), movie],
    ///     [acted_in],
    /// );
    /// assert_eq!(schema.to_toml(), "\
    /// ## neo-schema.toml: labels, relationship types and property types of database `neo4j`
    /// ## exported from bolt://localhost:7687 by `neo-schema`; checked queries read it at compile time.
    /// [nodes.Movie]
    ///
    /// [nodes.Person]
    /// born = \"INTEGER\"
    /// name = \"STRING NOT NULL\"
    ///
    /// [relationships.ACTED_IN]
    /// roles = \"LIST<STRING>\"
    /// ");
    /// ```
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# neo-schema.toml: labels, relationship types and property types of database `{}`",
            one_line(&self.database)
        );
        let _ = writeln!(
            out,
            "# exported from {} by `neo-schema`; checked queries read it at compile time.",
            one_line(&self.source)
        );
        let tables = self
            .nodes
            .iter()
            .map(|(name, properties)| ("nodes", name, properties))
            .chain(
                self.relationships
                    .iter()
                    .map(|(name, properties)| ("relationships", name, properties)),
            );
        for (i, (kind, name, properties)) in tables.enumerate() {
            if i > 0 {
                out.push('\n');
            }
            table(&mut out, kind, name, properties);
        }
        out
    }
}

fn table(out: &mut String, kind: &str, name: &str, properties: &Properties) {
    let _ = writeln!(out, "[{kind}.{}]", key(name));
    for (property, property_type) in properties {
        let _ = writeln!(
            out,
            "{} = {}",
            key(property),
            string(&property_type.to_string())
        );
    }
}

/// `text` with its control characters (line breaks included) replaced, for
/// a comment line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// A TOML key: bare when it is only ASCII letters, digits, `_` and `-`,
/// else a quoted string.
pub(crate) fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { name.to_owned() } else { string(name) }
}

/// A TOML basic string: `"` and `\` escaped, control characters as escapes.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_bare_only_when_toml_allows_it() {
        assert_eq!(key("Person_2-x"), "Person_2-x");
        assert_eq!(key("Odd Label"), "\"Odd Label\"");
        assert_eq!(key("a.b"), "\"a.b\"");
        assert_eq!(key("x`y"), "\"x`y\"");
        assert_eq!(key(""), "\"\"");
        assert_eq!(key("Straße"), "\"Straße\"");
    }

    #[test]
    fn strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(
            string("a\"b\\c\nd\u{1}\u{7f}é"),
            "\"a\\\"b\\\\c\\nd\\u0001\\u007Fé\""
        );
    }

    #[test]
    fn comments_stay_on_one_line() {
        let schema = Schema {
            database: "a\nb".into(),
            source: "bolt://x:1".into(),
            ..Schema::default()
        };
        assert_eq!(schema.to_toml().lines().count(), 2);
    }
}
