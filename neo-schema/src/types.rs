//! Property types as servers name them, mapped to the schema file's types.

use neo_cypher::schema::PropertyType;

/// The schema file's type for a property type as a server reports it.
///
/// Neo4j 5's schema procedures give storage names (`String`, `Long`,
/// `StringArray`, …); newer servers may give Cypher names already
/// (`STRING`, `LIST<STRING NOT NULL>`), which are read as the schema file
/// reads them, with the `NOT NULL` of list elements dropped (stored lists
/// never hold nulls). Anything unknown is `ANY`.
///
/// ```
/// use neo_schema::cypher_type;
///
/// assert_eq!(cypher_type("Long").to_string(), "INTEGER");
/// assert_eq!(cypher_type("DateTime").to_string(), "ZONED DATETIME");
/// assert_eq!(cypher_type("StringArray").to_string(), "LIST<STRING>");
/// assert_eq!(cypher_type("LIST<STRING NOT NULL>").to_string(), "LIST<STRING>");
/// assert_eq!(cypher_type("Hyperloglog").to_string(), "ANY");
/// ```
pub fn cypher_type(name: &str) -> PropertyType {
    let name = name.trim();
    if let Some(element) = name.strip_suffix("Array").filter(|e| !e.is_empty()) {
        return PropertyType::List(Box::new(cypher_type(element)));
    }
    let upper = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    if let Some(element) = list_element(&upper) {
        let element = element.trim();
        let element = element.strip_suffix(" NOT NULL").unwrap_or(element);
        return PropertyType::List(Box::new(cypher_type(element)));
    }
    if let Some(storage) = storage_type(name) {
        return storage;
    }
    PropertyType::parse_declared(name).map_or(PropertyType::Any, |(ty, _)| ty)
}

/// The type of a Neo4j storage type name, as `db.schema.*TypeProperties()`
/// report them.
fn storage_type(name: &str) -> Option<PropertyType> {
    Some(match name {
        "String" | "Char" => PropertyType::String,
        "Long" | "Integer" | "Short" | "Byte" => PropertyType::Integer,
        "Double" | "Float" => PropertyType::Float,
        "Boolean" => PropertyType::Boolean,
        "Date" => PropertyType::Date,
        "Time" => PropertyType::ZonedTime,
        "LocalTime" => PropertyType::LocalTime,
        "DateTime" => PropertyType::ZonedDateTime,
        "LocalDateTime" => PropertyType::LocalDateTime,
        "Duration" => PropertyType::Duration,
        "Point" => PropertyType::Point,
        _ => return None,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str) -> String {
        cypher_type(name).to_string()
    }

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
            assert_eq!(text(given), expected, "{given}");
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
            assert_eq!(text(given), expected, "{given}");
        }
    }

    #[test]
    fn the_synonyms_of_the_schema_file_are_read_as_it_reads_them() {
        for (given, expected) in [
            ("VARCHAR", "STRING"),
            ("int", "INTEGER"),
            ("SIGNED INTEGER", "INTEGER"),
            ("FLOAT64", "FLOAT"),
            ("BOOL", "BOOLEAN"),
            ("TIME WITH TIME ZONE", "ZONED TIME"),
            ("TIMESTAMP WITHOUT TIME ZONE", "LOCAL DATETIME"),
            ("ARRAY<INT>", "LIST<INTEGER>"),
        ] {
            assert_eq!(text(given), expected, "{given}");
        }
    }
}
