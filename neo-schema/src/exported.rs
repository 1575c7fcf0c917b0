//! A schema read from a server, and the text of the file it is written to.

use neo_cypher::schema::Schema;

/// A schema read from a server, with the database and the server it was
/// read from, which the file's leading comment names.
///
/// ```
/// use neo_schema::{ExportedSchema, NodeTypeRow, RelTypeRow, from_rows};
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
/// let schema = from_rows(
///     [person("name", "String", true), person("born", "Long", false), movie],
///     [acted_in],
/// );
/// let exported = ExportedSchema::new("neo4j", "bolt://localhost:7687", schema);
/// assert_eq!(exported.to_toml(), "\
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportedSchema {
    /// The database it describes.
    pub database: String,
    /// Where it was read from (a URI without credentials).
    pub source: String,
    /// Its labels, relationship types and property types.
    pub schema: Schema,
}

impl ExportedSchema {
    /// The schema of `database`, read from `source`.
    pub fn new(database: impl Into<String>, source: impl Into<String>, schema: Schema) -> Self {
        ExportedSchema {
            database: database.into(),
            source: source.into(),
            schema,
        }
    }

    /// The text of `neo-schema.toml`: a comment naming the database and its
    /// source, then the schema as [`Schema::to_toml`] writes it.
    pub fn to_toml(&self) -> String {
        format!(
            "# neo-schema.toml: labels, relationship types and property types of database `{}`\n\
             # exported from {} by `neo-schema`; checked queries read it at compile time.\n{}",
            one_line(&self.database),
            one_line(&self.source),
            self.schema.to_toml()
        )
    }
}

/// `text` with its control characters (line breaks included) replaced, for
/// a comment line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_stay_on_one_line() {
        let exported = ExportedSchema::new("a\nb", "bolt://x:1\r", Schema::default());
        assert_eq!(
            exported.to_toml(),
            "# neo-schema.toml: labels, relationship types and property types of database `a?b`\n\
             # exported from bolt://x:1? by `neo-schema`; checked queries read it at compile time.\n"
        );
        assert_eq!(Schema::parse(&exported.to_toml()), Ok(Schema::default()));
    }
}
