//! The schema file (`neo-schema.toml`): which labels and relationship types
//! a database has, and the properties each may carry with their types.
//!
//! ```toml
//! [nodes.Person]
//! name = "STRING NOT NULL"
//! born = "INTEGER"
//!
//! [nodes.Movie]          # a label with no properties is an empty table
//! [relationships.ACTED_IN]
//! roles = "LIST<STRING>"
//! ```
//!
//! Property types are the Cypher 5 type-predicate names (`ANY`, `BOOLEAN`,
//! `STRING`, `INTEGER`, `FLOAT`, `DATE`, `LOCAL TIME`, `ZONED TIME`,
//! `LOCAL DATETIME`, `ZONED DATETIME`, `DURATION`, `POINT`, `LIST<T>`),
//! unions `A | B`, and an optional ` NOT NULL` suffix. The synonyms Neo4j
//! accepts (`INT`, `BOOL`, `VARCHAR`, `TIMESTAMP WITH TIME ZONE`, …) are
//! accepted too, case-insensitively.
//!
//! [`Schema`] is the one model of the file: [`Schema::parse`] reads it and
//! [`Schema::to_toml`] writes it, and what one writes the other reads back
//! equal.

use std::fmt;

mod read;
mod write;

pub use crate::schema_check::{ColumnType, SchemaProblem, SchemaProblemKind};

/// A schema file: its labels and relationship types with their properties.
///
/// ```
/// use neo_cypher::schema::{PropertyType, Schema};
///
/// let schema = Schema::parse(
///     "[nodes.Person]\nname = \"STRING NOT NULL\"\nborn = \"INTEGER\"\n\n\
///      [relationships.ACTED_IN]\nroles = \"LIST<STRING>\"\n",
/// )?;
/// let person = schema.label("Person").unwrap();
/// let name = person.property("name").unwrap();
/// assert_eq!(name.ty, PropertyType::String);
/// assert!(name.not_null);
/// let roles = &schema.relationship_type("ACTED_IN").unwrap().properties[0];
/// assert_eq!(roles.ty.to_string(), "LIST<STRING>");
/// assert_eq!(Schema::parse(&schema.to_toml())?, schema);
/// # Ok::<(), neo_cypher::schema::SchemaError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// The node labels, sorted by name, each name once.
    pub nodes: Vec<Entity>,
    /// The relationship types, sorted by name, each name once.
    pub relationships: Vec<Entity>,
}

/// A label or relationship type with its properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The label or type name.
    pub name: String,
    /// Its properties, sorted by name, each name once.
    pub properties: Vec<Property>,
}

/// A declared property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The property key.
    pub name: String,
    /// The type of its values.
    pub ty: PropertyType,
    /// `NOT NULL`: every node or relationship of the label or type has it.
    pub not_null: bool,
}

/// The type of a property's values (without nullability).
///
/// A `Union` holds two or more alternatives, none of them a union or
/// `Any`; [`PropertyType::union`] builds one that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyType {
    /// `ANY`: any property value.
    Any,
    /// `BOOLEAN`.
    Boolean,
    /// `STRING`.
    String,
    /// `INTEGER`.
    Integer,
    /// `FLOAT`.
    Float,
    /// `DATE`.
    Date,
    /// `LOCAL TIME`.
    LocalTime,
    /// `ZONED TIME`.
    ZonedTime,
    /// `LOCAL DATETIME`.
    LocalDateTime,
    /// `ZONED DATETIME`.
    ZonedDateTime,
    /// `DURATION`.
    Duration,
    /// `POINT`.
    Point,
    /// `LIST<T>`.
    List(Box<PropertyType>),
    /// `A | B | …`: two or more alternatives, none of them a union.
    Union(Vec<PropertyType>),
}

impl PropertyType {
    /// The type whose values have one of the types `alternatives`, in their
    /// order: nested unions are flattened and repeats dropped; `ANY` among
    /// them, or no alternative at all, is `ANY`; one alternative is itself.
    ///
    /// ```
    /// use neo_cypher::schema::PropertyType;
    ///
    /// let union = PropertyType::union([
    ///     PropertyType::Integer,
    ///     PropertyType::union([PropertyType::String, PropertyType::Integer]),
    /// ]);
    /// assert_eq!(union.to_string(), "INTEGER | STRING");
    /// assert_eq!(PropertyType::union([PropertyType::Float]), PropertyType::Float);
    /// assert_eq!(PropertyType::union([PropertyType::Date, PropertyType::Any]), PropertyType::Any);
    /// assert_eq!(PropertyType::union([]), PropertyType::Any);
    /// ```
    pub fn union(alternatives: impl IntoIterator<Item = PropertyType>) -> PropertyType {
        let mut flat: Vec<PropertyType> = Vec::new();
        for alternative in alternatives {
            let members = match alternative {
                PropertyType::Union(members) => members,
                single => vec![single],
            };
            for member in members {
                if !flat.contains(&member) {
                    flat.push(member);
                }
            }
        }
        if flat.len() == 1 {
            return flat.remove(0);
        }
        if flat.is_empty() || flat.contains(&PropertyType::Any) {
            return PropertyType::Any;
        }
        PropertyType::Union(flat)
    }
}

impl fmt::Display for PropertyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            PropertyType::Any => "ANY",
            PropertyType::Boolean => "BOOLEAN",
            PropertyType::String => "STRING",
            PropertyType::Integer => "INTEGER",
            PropertyType::Float => "FLOAT",
            PropertyType::Date => "DATE",
            PropertyType::LocalTime => "LOCAL TIME",
            PropertyType::ZonedTime => "ZONED TIME",
            PropertyType::LocalDateTime => "LOCAL DATETIME",
            PropertyType::ZonedDateTime => "ZONED DATETIME",
            PropertyType::Duration => "DURATION",
            PropertyType::Point => "POINT",
            PropertyType::List(element) => return write!(f, "LIST<{element}>"),
            PropertyType::Union(alternatives) => {
                for (i, alternative) in alternatives.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{alternative}")?;
                }
                return Ok(());
            }
        };
        f.write_str(name)
    }
}

impl Property {
    /// The property's type as the file writes it: the type, each
    /// alternative of a union followed by ` NOT NULL` when the property is
    /// always there (in a union, as in Cypher, `NOT NULL` binds to one
    /// alternative).
    ///
    /// ```
    /// use neo_cypher::schema::{Property, PropertyType};
    ///
    /// let born = Property {
    ///     name: "born".into(),
    ///     ty: PropertyType::union([PropertyType::Integer, PropertyType::String]),
    ///     not_null: true,
    /// };
    /// assert_eq!(born.declared_type(), "INTEGER NOT NULL | STRING NOT NULL");
    /// ```
    pub fn declared_type(&self) -> String {
        if !self.not_null {
            return self.ty.to_string();
        }
        match &self.ty {
            PropertyType::Union(alternatives) => alternatives
                .iter()
                .map(|alternative| format!("{alternative} NOT NULL"))
                .collect::<Vec<_>>()
                .join(" | "),
            single => format!("{single} NOT NULL"),
        }
    }
}

/// Why a schema file was rejected, and where (1-based line and column, the
/// column counted in characters).
///
/// ```
/// use neo_cypher::schema::Schema;
///
/// let error = Schema::parse("[nodes.Person]\nname = \"STRNG\"\n").unwrap_err();
/// assert_eq!((error.line, error.column), (2, 8));
/// assert_eq!(
///     error.message,
///     "`nodes.Person.name`: unknown type `STRNG`; did you mean `STRING`?"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for SchemaError {}

impl Schema {
    /// The label called `name`.
    pub fn label(&self, name: &str) -> Option<&Entity> {
        find(&self.nodes, name)
    }

    /// The relationship type called `name`.
    pub fn relationship_type(&self, name: &str) -> Option<&Entity> {
        find(&self.relationships, name)
    }
}

impl Entity {
    /// The property called `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties
            .binary_search_by(|p| p.name.as_str().cmp(name))
            .ok()
            .and_then(|i| self.properties.get(i))
    }
}

fn find<'a>(entities: &'a [Entity], name: &str) -> Option<&'a Entity> {
    entities
        .binary_search_by(|e| e.name.as_str().cmp(name))
        .ok()
        .and_then(|i| entities.get(i))
}
