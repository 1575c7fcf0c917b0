//! Cypher's value types as written in type predicates (`x IS :: INTEGER NOT
//! NULL`) and property type constraints (`REQUIRE n.p IS :: STRING`).

use std::fmt;

use crate::engine::error::{EngineError, Result};
use crate::engine::value::Value;

/// A type, nullable unless marked `NOT NULL`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CypherType {
    pub(crate) kind: TypeKind,
    pub(crate) nullable: bool,
}

/// The kinds of types.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TypeKind {
    Any,
    Nothing,
    Null,
    Boolean,
    String,
    Integer,
    Float,
    Date,
    LocalTime,
    ZonedTime,
    LocalDateTime,
    ZonedDateTime,
    Duration,
    Point,
    Node,
    Relationship,
    Map,
    Path,
    PropertyValue,
    List(Box<CypherType>),
    Union(Vec<CypherType>),
}

impl CypherType {
    /// Parses a type as written, e.g. `LIST<INTEGER NOT NULL> | STRING`.
    pub(crate) fn parse(text: &str) -> Result<CypherType> {
        let tokens = tokenize(text);
        let mut parser = TypeParser {
            tokens,
            pos: 0,
            text,
        };
        let ty = parser.union()?;
        if parser.pos != parser.tokens.len() {
            return Err(parser.fail());
        }
        Ok(ty)
    }

    /// Whether `value` has this type.
    pub(crate) fn matches(&self, value: &Value) -> bool {
        if value.is_null() {
            return self.nullable
                && !matches!(self.kind, TypeKind::Nothing)
                && match &self.kind {
                    TypeKind::Union(members) => members.iter().any(|m| m.nullable),
                    _ => true,
                };
        }
        self.kind.matches(value)
    }
}

impl TypeKind {
    fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (TypeKind::Any, _) => true,
            (TypeKind::Nothing | TypeKind::Null, _) => false,
            (TypeKind::Boolean, Value::Bool(_)) => true,
            (TypeKind::String, Value::String(_)) => true,
            (TypeKind::Integer, Value::Int(_)) => true,
            (TypeKind::Float, Value::Float(_)) => true,
            (TypeKind::Date, Value::Date(_)) => true,
            (TypeKind::LocalTime, Value::LocalTime(_)) => true,
            (TypeKind::ZonedTime, Value::Time(_)) => true,
            (TypeKind::LocalDateTime, Value::LocalDateTime(_)) => true,
            (TypeKind::ZonedDateTime, Value::DateTime(_)) => true,
            (TypeKind::Duration, Value::Duration(_)) => true,
            (TypeKind::Point, Value::Point(_)) => true,
            (TypeKind::Node, Value::Node(_)) => true,
            (TypeKind::Relationship, Value::Rel(_)) => true,
            (TypeKind::Map, Value::Map(_)) => true,
            (TypeKind::Path, Value::Path(_)) => true,
            (TypeKind::PropertyValue, value) => is_property_value(value),
            (TypeKind::List(element), Value::List(items)) => {
                items.iter().all(|i| element.matches(i))
            }
            (TypeKind::Union(members), value) => members.iter().any(|m| m.matches(value)),
            _ => false,
        }
    }
}

fn is_property_value(value: &Value) -> bool {
    match value {
        Value::List(items) => items
            .iter()
            .all(|i| !matches!(i, Value::List(_) | Value::Null) && is_property_value(i)),
        Value::Map(_) | Value::Node(_) | Value::Rel(_) | Value::Path(_) | Value::Null => false,
        _ => true,
    }
}

impl fmt::Display for CypherType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TypeKind::Any => f.write_str("ANY")?,
            TypeKind::Nothing => f.write_str("NOTHING")?,
            TypeKind::Null => f.write_str("NULL")?,
            TypeKind::Boolean => f.write_str("BOOLEAN")?,
            TypeKind::String => f.write_str("STRING")?,
            TypeKind::Integer => f.write_str("INTEGER")?,
            TypeKind::Float => f.write_str("FLOAT")?,
            TypeKind::Date => f.write_str("DATE")?,
            TypeKind::LocalTime => f.write_str("LOCAL TIME")?,
            TypeKind::ZonedTime => f.write_str("ZONED TIME")?,
            TypeKind::LocalDateTime => f.write_str("LOCAL DATETIME")?,
            TypeKind::ZonedDateTime => f.write_str("ZONED DATETIME")?,
            TypeKind::Duration => f.write_str("DURATION")?,
            TypeKind::Point => f.write_str("POINT")?,
            TypeKind::Node => f.write_str("NODE")?,
            TypeKind::Relationship => f.write_str("RELATIONSHIP")?,
            TypeKind::Map => f.write_str("MAP")?,
            TypeKind::Path => f.write_str("PATH")?,
            TypeKind::PropertyValue => f.write_str("PROPERTY VALUE")?,
            TypeKind::List(inner) => write!(f, "LIST<{inner}>")?,
            TypeKind::Union(members) => {
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{m}")?;
                }
                return Ok(());
            }
        }
        if !self.nullable && !matches!(self.kind, TypeKind::Nothing | TypeKind::Null) {
            f.write_str(" NOT NULL")?;
        }
        Ok(())
    }
}

fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c.to_ascii_uppercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if matches!(c, '<' | '>' | '|' | ',') {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

struct TypeParser<'a> {
    tokens: Vec<String>,
    pos: usize,
    text: &'a str,
}

impl TypeParser<'_> {
    fn fail(&self) -> EngineError {
        EngineError::syntax(format!("Invalid type: {}", self.text))
    }

    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn peek_at(&self, n: usize) -> Option<&str> {
        self.tokens.get(self.pos + n).map(String::as_str)
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.peek() == Some(word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn union(&mut self) -> Result<CypherType> {
        let mut members = vec![self.single()?];
        while self.eat("|") {
            members.push(self.single()?);
        }
        if members.len() == 1 {
            return Ok(members.remove(0));
        }
        let nullable = members.iter().all(|m| m.nullable);
        Ok(CypherType {
            kind: TypeKind::Union(members),
            nullable,
        })
    }

    fn single(&mut self) -> Result<CypherType> {
        let word = self.peek().ok_or_else(|| self.fail())?.to_owned();
        self.pos += 1;
        let kind = match word.as_str() {
            "ANY" => {
                if self.eat("VALUE") {
                    if self.eat("<") {
                        let inner = self.union()?;
                        if !self.eat(">") {
                            return Err(self.fail());
                        }
                        inner.kind
                    } else {
                        TypeKind::Any
                    }
                } else if self.eat("PROPERTY") {
                    self.eat("VALUE");
                    TypeKind::PropertyValue
                } else if self.eat("<") {
                    let inner = self.union()?;
                    if !self.eat(">") {
                        return Err(self.fail());
                    }
                    inner.kind
                } else {
                    for word in ["NODE", "VERTEX", "RELATIONSHIP", "EDGE", "MAP"] {
                        if self.eat(word) {
                            return self.finish(match word {
                                "NODE" | "VERTEX" => TypeKind::Node,
                                "MAP" => TypeKind::Map,
                                _ => TypeKind::Relationship,
                            });
                        }
                    }
                    TypeKind::Any
                }
            }
            "NOTHING" => TypeKind::Nothing,
            "NULL" => {
                return Ok(CypherType {
                    kind: TypeKind::Null,
                    nullable: true,
                });
            }
            "BOOL" | "BOOLEAN" => TypeKind::Boolean,
            "STRING" | "VARCHAR" => TypeKind::String,
            "INT" | "INTEGER" | "INTEGER64" | "INT64" => TypeKind::Integer,
            "SIGNED" => {
                if !self.eat("INTEGER") {
                    return Err(self.fail());
                }
                TypeKind::Integer
            }
            "FLOAT" | "FLOAT64" => TypeKind::Float,
            "DATE" => TypeKind::Date,
            "LOCAL" => {
                if self.eat("TIME") {
                    TypeKind::LocalTime
                } else if self.eat("DATETIME") {
                    TypeKind::LocalDateTime
                } else {
                    return Err(self.fail());
                }
            }
            "ZONED" => {
                if self.eat("TIME") {
                    TypeKind::ZonedTime
                } else if self.eat("DATETIME") {
                    TypeKind::ZonedDateTime
                } else {
                    return Err(self.fail());
                }
            }
            "TIME" | "TIMESTAMP" => {
                let zoned = if self.eat("WITH") {
                    true
                } else if self.eat("WITHOUT") {
                    false
                } else {
                    return Err(self.fail());
                };
                if !(self.eat("TIMEZONE") || (self.eat("TIME") && self.eat("ZONE"))) {
                    return Err(self.fail());
                }
                match (word.as_str(), zoned) {
                    ("TIME", true) => TypeKind::ZonedTime,
                    ("TIME", false) => TypeKind::LocalTime,
                    (_, true) => TypeKind::ZonedDateTime,
                    (_, false) => TypeKind::LocalDateTime,
                }
            }
            "DURATION" => TypeKind::Duration,
            "POINT" => TypeKind::Point,
            "NODE" | "VERTEX" => TypeKind::Node,
            "RELATIONSHIP" | "EDGE" => TypeKind::Relationship,
            "MAP" => TypeKind::Map,
            "PATH" => TypeKind::Path,
            "PROPERTY" => {
                if !self.eat("VALUE") {
                    return Err(self.fail());
                }
                TypeKind::PropertyValue
            }
            "LIST" | "ARRAY" => {
                if !self.eat("<") {
                    return Err(self.fail());
                }
                let inner = self.union()?;
                if !self.eat(">") {
                    return Err(self.fail());
                }
                TypeKind::List(Box::new(inner))
            }
            _ => return Err(self.fail()),
        };
        self.finish(kind)
    }

    fn finish(&mut self, kind: TypeKind) -> Result<CypherType> {
        let not_null = self.peek() == Some("NOT") && self.peek_at(1) == Some("NULL");
        if not_null {
            self.pos += 2;
        }
        Ok(CypherType {
            kind,
            nullable: !not_null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let t = CypherType::parse("LIST<INTEGER NOT NULL>").unwrap();
        assert!(t.matches(&Value::List(vec![Value::Int(1)])));
        assert!(!t.matches(&Value::List(vec![Value::Null])));
        let t = CypherType::parse("INTEGER | FLOAT").unwrap();
        assert!(t.matches(&Value::Float(1.0)));
        assert!(t.matches(&Value::Null));
        let t = CypherType::parse("STRING NOT NULL").unwrap();
        assert!(!t.matches(&Value::Null));
        assert_eq!(t.to_string(), "STRING NOT NULL");
    }
}
