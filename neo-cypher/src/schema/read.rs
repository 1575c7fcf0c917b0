//! Reading a schema file: the TOML tables, then each property's type.

use toml::de::{DeTable, DeValue};

use super::{Entity, Property, PropertyType, Schema, SchemaError};
use crate::suggest;

impl Schema {
    /// Parses the text of a schema file.
    pub fn parse(text: &str) -> Result<Schema, SchemaError> {
        let error = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            SchemaError {
                message,
                line,
                column,
            }
        };
        let document = DeTable::parse(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            error(offset, e.message().trim_end().to_owned())
        })?;
        let mut schema = Schema::default();
        for (key, value) in document.get_ref() {
            let relationships = match key.get_ref().as_ref() {
                "nodes" => false,
                "relationships" => true,
                other => {
                    return Err(error(
                        key.span().start,
                        format!("unknown table `{other}`; expected `nodes` or `relationships`"),
                    ));
                }
            };
            let group = key.get_ref().as_ref();
            let DeValue::Table(entities) = value.get_ref() else {
                return Err(error(
                    value.span().start,
                    format!("`{group}` must be a table of tables, such as `[{group}.Name]`"),
                ));
            };
            for (name, properties) in entities {
                let name = name.get_ref().as_ref();
                let DeValue::Table(properties) = properties.get_ref() else {
                    return Err(error(
                        properties.span().start,
                        format!("`{group}.{name}` must be a table of property types"),
                    ));
                };
                let mut entity = Entity {
                    name: name.to_owned(),
                    properties: Vec::with_capacity(properties.len()),
                };
                for (key, ty) in properties {
                    let key = key.get_ref().as_ref();
                    let path = format!("{group}.{name}.{key}");
                    let DeValue::String(text) = ty.get_ref() else {
                        return Err(error(
                            ty.span().start,
                            format!(
                                "`{path}` must be a type name in a string, such as \"STRING NOT NULL\""
                            ),
                        ));
                    };
                    let (ty_parsed, not_null) = parse_type(text).map_err(|message| {
                        error(ty.span().start, format!("`{path}`: {message}"))
                    })?;
                    entity.properties.push(Property {
                        name: key.to_owned(),
                        ty: ty_parsed,
                        not_null,
                    });
                }
                entity.properties.sort_by(|a, b| a.name.cmp(&b.name));
                if relationships {
                    schema.relationships.push(entity);
                } else {
                    schema.nodes.push(entity);
                }
            }
        }
        schema.nodes.sort_by(|a, b| a.name.cmp(&b.name));
        schema.relationships.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(schema)
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The type names, canonical first, for "did you mean".
const TYPE_NAMES: &[&str] = &[
    "ANY",
    "BOOLEAN",
    "STRING",
    "INTEGER",
    "FLOAT",
    "DATE",
    "LOCAL TIME",
    "ZONED TIME",
    "LOCAL DATETIME",
    "ZONED DATETIME",
    "DURATION",
    "POINT",
    "LIST",
];

impl PropertyType {
    /// Parses a type as a schema file declares it (`T [NOT NULL] | …` with
    /// `T` a name, in any case, or `LIST<T>`): the type, and whether it is
    /// `NOT NULL`. An error points at the start of the text.
    ///
    /// ```
    /// use neo_cypher::schema::PropertyType;
    ///
    /// let (ty, not_null) = PropertyType::parse_declared("int NOT NULL | Float NOT NULL")?;
    /// assert_eq!(ty.to_string(), "INTEGER | FLOAT");
    /// assert!(not_null);
    /// let error = PropertyType::parse_declared("LIST<INTEGR>").unwrap_err();
    /// assert_eq!(error.message, "unknown type `INTEGR`; did you mean `INTEGER`?");
    /// # Ok::<(), neo_cypher::schema::SchemaError>(())
    /// ```
    pub fn parse_declared(text: &str) -> Result<(PropertyType, bool), SchemaError> {
        parse_type(text).map_err(|message| SchemaError {
            message,
            line: 1,
            column: 1,
        })
    }
}

/// Parses a property type: `T [NOT NULL] | … ` with `T` a name or
/// `LIST<T>`. Returns the type and whether it is `NOT NULL`.
fn parse_type(text: &str) -> Result<(PropertyType, bool), String> {
    let tokens = tokens(text);
    let mut cursor = Cursor {
        tokens,
        pos: 0,
        depth: 0,
    };
    let parsed = cursor.union()?;
    match cursor.peek() {
        None => Ok(parsed),
        Some(token) => Err(format!("unexpected `{token}` in the type `{text}`")),
    }
}

/// Words, `<`, `>` and `|`, upper-cased.
fn tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c.to_ascii_uppercase());
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() {
            tokens.push(c.to_string());
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

struct Cursor {
    tokens: Vec<String>,
    pos: usize,
    /// Nesting of `LIST<…>` and `ANY<…>`, bounded so that any input
    /// parses in a small stack.
    depth: usize,
}

/// How deeply `LIST<…>` and `ANY<…>` may nest.
const MAX_DEPTH: usize = 16;

impl Cursor {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn peek_is(&self, words: &[&str]) -> bool {
        words
            .iter()
            .enumerate()
            .all(|(i, w)| self.tokens.get(self.pos + i).is_some_and(|t| t == w))
    }

    fn eat(&mut self, words: &[&str]) -> bool {
        let matched = self.peek_is(words);
        if matched {
            self.pos += words.len();
        }
        matched
    }

    /// `member ('|' member)*`; NOT NULL when every member is.
    fn union(&mut self) -> Result<(PropertyType, bool), String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!("types nest deeper than {MAX_DEPTH} levels"));
        }
        self.depth += 1;
        let result = self.alternatives();
        self.depth -= 1;
        result
    }

    fn alternatives(&mut self) -> Result<(PropertyType, bool), String> {
        let mut alternatives = Vec::new();
        let mut not_null = true;
        loop {
            let (ty, member_not_null) = self.member()?;
            not_null &= member_not_null;
            alternatives.push(ty);
            if !self.eat(&["|"]) {
                break;
            }
        }
        Ok((PropertyType::union(alternatives), not_null))
    }

    /// A simple type with an optional `NOT NULL`.
    fn member(&mut self) -> Result<(PropertyType, bool), String> {
        let ty = self.simple()?;
        let not_null = self.eat(&["NOT", "NULL"]) || self.eat(&["!"]);
        Ok((ty, not_null))
    }

    fn simple(&mut self) -> Result<PropertyType, String> {
        let Some(word) = self.peek().map(str::to_owned) else {
            return Err("a type is missing".to_owned());
        };
        const NAMES: &[(&[&str], PropertyType)] = &[
            (&["PROPERTY", "VALUE"], PropertyType::Any),
            (&["ANY", "PROPERTY", "VALUE"], PropertyType::Any),
            (&["ANY", "VALUE"], PropertyType::Any),
            (&["BOOLEAN"], PropertyType::Boolean),
            (&["BOOL"], PropertyType::Boolean),
            (&["STRING"], PropertyType::String),
            (&["VARCHAR"], PropertyType::String),
            (&["INTEGER"], PropertyType::Integer),
            (&["INT"], PropertyType::Integer),
            (&["SIGNED", "INTEGER"], PropertyType::Integer),
            (&["INTEGER64"], PropertyType::Integer),
            (&["FLOAT"], PropertyType::Float),
            (&["FLOAT64"], PropertyType::Float),
            (&["DATE"], PropertyType::Date),
            (&["LOCAL", "TIME"], PropertyType::LocalTime),
            (
                &["TIME", "WITHOUT", "TIME", "ZONE"],
                PropertyType::LocalTime,
            ),
            (&["TIME", "WITHOUT", "TIMEZONE"], PropertyType::LocalTime),
            (&["ZONED", "TIME"], PropertyType::ZonedTime),
            (&["TIME", "WITH", "TIME", "ZONE"], PropertyType::ZonedTime),
            (&["TIME", "WITH", "TIMEZONE"], PropertyType::ZonedTime),
            (&["LOCAL", "DATETIME"], PropertyType::LocalDateTime),
            (
                &["TIMESTAMP", "WITHOUT", "TIME", "ZONE"],
                PropertyType::LocalDateTime,
            ),
            (
                &["TIMESTAMP", "WITHOUT", "TIMEZONE"],
                PropertyType::LocalDateTime,
            ),
            (&["ZONED", "DATETIME"], PropertyType::ZonedDateTime),
            (
                &["TIMESTAMP", "WITH", "TIME", "ZONE"],
                PropertyType::ZonedDateTime,
            ),
            (
                &["TIMESTAMP", "WITH", "TIMEZONE"],
                PropertyType::ZonedDateTime,
            ),
            (&["DURATION"], PropertyType::Duration),
            (&["POINT"], PropertyType::Point),
        ];
        // Longest spelling first, so that `ANY VALUE` is not read as `ANY`.
        let mut best: Option<(usize, &PropertyType)> = None;
        for (words, ty) in NAMES {
            if self.peek_is(words) && best.is_none_or(|(n, _)| words.len() > n) {
                best = Some((words.len(), ty));
            }
        }
        if let Some((len, ty)) = best {
            self.pos += len;
            return Ok(ty.clone());
        }
        if self.eat(&["LIST"]) || self.eat(&["ARRAY"]) {
            if !self.eat(&["<"]) {
                return Err("`LIST` needs an element type: `LIST<STRING>`".to_owned());
            }
            let (element, _) = self.union()?;
            if !self.eat(&[">"]) {
                return Err("expected `>` after the element type of `LIST<…>`".to_owned());
            }
            return Ok(PropertyType::List(Box::new(element)));
        }
        if self.eat(&["ANY"]) {
            if self.eat(&["<"]) {
                let (ty, not_null) = self.union()?;
                if !self.eat(&[">"]) {
                    return Err("expected `>` after the alternatives of `ANY<…>`".to_owned());
                }
                let _ = not_null;
                return Ok(ty);
            }
            return Ok(PropertyType::Any);
        }
        let hint = suggest(&word, TYPE_NAMES.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_else(|| {
                "; expected a property type such as `STRING`, `INTEGER` or `LIST<STRING>`"
                    .to_owned()
            });
        Err(format!("unknown type `{word}`{hint}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> (PropertyType, bool) {
        parse_type(text).unwrap()
    }

    #[test]
    fn synonyms_map_to_the_canonical_types() {
        assert_eq!(ty("int"), (PropertyType::Integer, false));
        assert_eq!(ty("BOOL NOT NULL"), (PropertyType::Boolean, true));
        assert_eq!(
            ty("timestamp without time zone").0,
            PropertyType::LocalDateTime
        );
        assert_eq!(ty("TIME WITH TIME ZONE").0, PropertyType::ZonedTime);
        assert_eq!(ty("ANY VALUE").0, PropertyType::Any);
        assert_eq!(ty("PROPERTY VALUE").0, PropertyType::Any);
    }

    #[test]
    fn unions_flatten_and_need_every_member_not_null() {
        let (union, not_null) = ty("INTEGER NOT NULL | FLOAT | INTEGER");
        assert_eq!(
            union,
            PropertyType::Union(vec![PropertyType::Integer, PropertyType::Float])
        );
        assert!(!not_null);
        assert!(ty("INTEGER NOT NULL | FLOAT NOT NULL").1);
        assert_eq!(
            ty("ANY<STRING | INTEGER>").0.to_string(),
            "STRING | INTEGER"
        );
        assert_eq!(ty("STRING | ANY").0, PropertyType::Any);
    }

    #[test]
    fn lists_take_an_element_type() {
        assert_eq!(
            ty("LIST<STRING NOT NULL> NOT NULL").0.to_string(),
            "LIST<STRING>"
        );
        assert_eq!(
            ty("list<integer | float>").0.to_string(),
            "LIST<INTEGER | FLOAT>"
        );
        assert!(parse_type("LIST").is_err());
        assert!(parse_type("LIST<STRING").is_err());
    }

    #[test]
    fn leftovers_and_unknown_names_are_errors() {
        assert_eq!(
            parse_type("STRING NULL").unwrap_err(),
            "unexpected `NULL` in the type `STRING NULL`"
        );
        assert_eq!(
            parse_type("INTEGR").unwrap_err(),
            "unknown type `INTEGR`; did you mean `INTEGER`?"
        );
        assert_eq!(parse_type("").unwrap_err(), "a type is missing");
        let deep = format!("{}STRING{}", "LIST<".repeat(100), ">".repeat(100));
        assert_eq!(
            parse_type(&deep).unwrap_err(),
            "types nest deeper than 16 levels"
        );
    }
}
