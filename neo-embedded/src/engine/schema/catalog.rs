//! Index and constraint definitions, kept in a table of the store.

use marsdb_graph::{Txn, WriteTransaction};
use marsdb_storage::TableDefinition;
use neo_bolt::packstream::{Dialect, Map, Packer, Unpacker, Value as Bolt};

use crate::engine::error::{EngineError, Result};

/// The schema table: one entry, the catalog, PackStream-encoded.
const SCHEMA: TableDefinition<'_, &str, &[u8]> = TableDefinition::new("neo_schema");
const CATALOG_KEY: &str = "catalog";

/// Nodes or relationships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityKind {
    Node,
    Relationship,
}

impl EntityKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            EntityKind::Node => "NODE",
            EntityKind::Relationship => "RELATIONSHIP",
        }
    }
}

/// The kinds of indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexKind {
    Range,
    Text,
    Point,
    Lookup,
    Fulltext,
    Vector,
}

impl IndexKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            IndexKind::Range => "RANGE",
            IndexKind::Text => "TEXT",
            IndexKind::Point => "POINT",
            IndexKind::Lookup => "LOOKUP",
            IndexKind::Fulltext => "FULLTEXT",
            IndexKind::Vector => "VECTOR",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<IndexKind> {
        Some(match name.to_ascii_uppercase().as_str() {
            "RANGE" | "BTREE" => IndexKind::Range,
            "TEXT" => IndexKind::Text,
            "POINT" => IndexKind::Point,
            "LOOKUP" => IndexKind::Lookup,
            "FULLTEXT" => IndexKind::Fulltext,
            "VECTOR" => IndexKind::Vector,
            _ => return None,
        })
    }

    pub(crate) fn provider(self) -> &'static str {
        match self {
            IndexKind::Range => "range-1.0",
            IndexKind::Text => "text-2.0",
            IndexKind::Point => "point-1.0",
            IndexKind::Lookup => "token-lookup-1.0",
            IndexKind::Fulltext => "fulltext-1.0",
            IndexKind::Vector => "vector-2.0",
        }
    }
}

/// An index.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndexDef {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) kind: IndexKind,
    pub(crate) entity: EntityKind,
    /// Labels or relationship types (none for a lookup index).
    pub(crate) tokens: Vec<String>,
    pub(crate) properties: Vec<String>,
    /// `OPTIONS {…}` as given (`indexProvider`, `indexConfig`).
    pub(crate) options: Map,
    /// The constraint the index backs.
    pub(crate) owner: Option<String>,
}

/// The kinds of constraints.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConstraintKind {
    Unique,
    Key,
    Exists,
    /// `IS :: TYPE`, the type as written.
    PropertyType(String),
}

impl ConstraintKind {
    /// The name `SHOW CONSTRAINTS` gives.
    pub(crate) fn name(&self, entity: EntityKind) -> &'static str {
        match (self, entity) {
            (ConstraintKind::Unique, EntityKind::Node) => "UNIQUENESS",
            (ConstraintKind::Unique, EntityKind::Relationship) => "RELATIONSHIP_UNIQUENESS",
            (ConstraintKind::Key, EntityKind::Node) => "NODE_KEY",
            (ConstraintKind::Key, EntityKind::Relationship) => "RELATIONSHIP_KEY",
            (ConstraintKind::Exists, EntityKind::Node) => "NODE_PROPERTY_EXISTENCE",
            (ConstraintKind::Exists, EntityKind::Relationship) => "RELATIONSHIP_PROPERTY_EXISTENCE",
            (ConstraintKind::PropertyType(_), EntityKind::Node) => "NODE_PROPERTY_TYPE",
            (ConstraintKind::PropertyType(_), EntityKind::Relationship) => {
                "RELATIONSHIP_PROPERTY_TYPE"
            }
        }
    }
}

/// A constraint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstraintDef {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) kind: ConstraintKind,
    pub(crate) entity: EntityKind,
    pub(crate) token: String,
    pub(crate) properties: Vec<String>,
    /// The index that backs a uniqueness or key constraint.
    pub(crate) index: Option<String>,
}

/// Every index and constraint of a database.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Catalog {
    pub(crate) indexes: Vec<IndexDef>,
    pub(crate) constraints: Vec<ConstraintDef>,
    pub(crate) next_id: i64,
}

fn corrupt(what: &str) -> EngineError {
    EngineError::internal(format!("the schema catalog could not be read: {what}"))
}

fn table_error(error: impl std::fmt::Display) -> EngineError {
    EngineError::internal(format!("storage failure: {error}"))
}

fn strings(value: Option<&Bolt>) -> Result<Vec<String>> {
    match value {
        Some(Bolt::List(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| corrupt("a name"))
            })
            .collect(),
        _ => Err(corrupt("a list of names")),
    }
}

fn text(map: &Map, key: &str) -> Result<String> {
    map.get(key)
        .and_then(Bolt::as_str)
        .map(str::to_owned)
        .ok_or_else(|| corrupt(key))
}

fn int(map: &Map, key: &str) -> Result<i64> {
    map.get(key)
        .and_then(Bolt::as_i64)
        .ok_or_else(|| corrupt(key))
}

fn entity(map: &Map) -> Result<EntityKind> {
    match text(map, "entity")?.as_str() {
        "NODE" => Ok(EntityKind::Node),
        "RELATIONSHIP" => Ok(EntityKind::Relationship),
        _ => Err(corrupt("entity")),
    }
}

fn names(items: &[String]) -> Bolt {
    Bolt::List(items.iter().map(|s| Bolt::from(s.as_str())).collect())
}

impl Catalog {
    /// The catalog as stored in `txn` (empty when there is none yet).
    pub(crate) fn load(txn: Txn<'_>) -> Result<Catalog> {
        let table = match txn.open_table(SCHEMA) {
            Ok(table) => table,
            Err(marsdb_storage::StorageError::Table(redb::TableError::TableDoesNotExist(_))) => {
                return Ok(Catalog::with_defaults());
            }
            Err(e) => return Err(table_error(e)),
        };
        let Some(bytes) = table.get(CATALOG_KEY).map_err(table_error)? else {
            return Ok(Catalog::with_defaults());
        };
        let value = Unpacker::new(bytes.value(), Dialect::LATEST)
            .read_value()
            .map_err(|e| corrupt(&e.to_string()))?;
        Catalog::from_bolt(&value)
    }

    /// A new database's catalog: the two token lookup indexes Neo4j creates.
    pub(crate) fn with_defaults() -> Catalog {
        let lookup = |id: i64, name: &str, entity: EntityKind| IndexDef {
            id,
            name: name.to_owned(),
            kind: IndexKind::Lookup,
            entity,
            tokens: Vec::new(),
            properties: Vec::new(),
            options: Map::new(),
            owner: None,
        };
        Catalog {
            indexes: vec![
                lookup(1, "index_343aff4e", EntityKind::Node),
                lookup(2, "index_f7700477", EntityKind::Relationship),
            ],
            constraints: Vec::new(),
            next_id: 3,
        }
    }

    /// Stores the catalog in `txn`.
    pub(crate) fn save(&self, txn: &WriteTransaction) -> Result<()> {
        let mut packer = Packer::new(Vec::new(), Dialect::LATEST);
        packer.write_value(&self.to_bolt()).map_err(table_error)?;
        let bytes = packer.into_inner();
        let mut table = txn.open_table(SCHEMA).map_err(table_error)?;
        table
            .insert(CATALOG_KEY, bytes.as_slice())
            .map_err(table_error)?;
        Ok(())
    }

    fn to_bolt(&self) -> Bolt {
        let indexes = self
            .indexes
            .iter()
            .map(|i| {
                let mut m = Map::new();
                m.insert("id".into(), Bolt::Integer(i.id));
                m.insert("name".into(), Bolt::from(i.name.as_str()));
                m.insert("kind".into(), Bolt::from(i.kind.name()));
                m.insert("entity".into(), Bolt::from(i.entity.name()));
                m.insert("tokens".into(), names(&i.tokens));
                m.insert("properties".into(), names(&i.properties));
                m.insert("options".into(), Bolt::Map(i.options.clone()));
                m.insert(
                    "owner".into(),
                    i.owner.as_deref().map_or(Bolt::Null, Bolt::from),
                );
                Bolt::Map(m)
            })
            .collect();
        let constraints = self
            .constraints
            .iter()
            .map(|c| {
                let mut m = Map::new();
                m.insert("id".into(), Bolt::Integer(c.id));
                m.insert("name".into(), Bolt::from(c.name.as_str()));
                let (kind, ty) = match &c.kind {
                    ConstraintKind::Unique => ("UNIQUE", Bolt::Null),
                    ConstraintKind::Key => ("KEY", Bolt::Null),
                    ConstraintKind::Exists => ("EXISTS", Bolt::Null),
                    ConstraintKind::PropertyType(t) => ("TYPE", Bolt::from(t.as_str())),
                };
                m.insert("kind".into(), Bolt::from(kind));
                m.insert("type".into(), ty);
                m.insert("entity".into(), Bolt::from(c.entity.name()));
                m.insert("token".into(), Bolt::from(c.token.as_str()));
                m.insert("properties".into(), names(&c.properties));
                m.insert(
                    "index".into(),
                    c.index.as_deref().map_or(Bolt::Null, Bolt::from),
                );
                Bolt::Map(m)
            })
            .collect();
        let mut m = Map::new();
        m.insert("indexes".into(), Bolt::List(indexes));
        m.insert("constraints".into(), Bolt::List(constraints));
        m.insert("next_id".into(), Bolt::Integer(self.next_id));
        Bolt::Map(m)
    }

    fn from_bolt(value: &Bolt) -> Result<Catalog> {
        let Bolt::Map(m) = value else {
            return Err(corrupt("not a map"));
        };
        let mut catalog = Catalog {
            next_id: int(m, "next_id")?,
            ..Catalog::default()
        };
        if let Some(Bolt::List(items)) = m.get("indexes") {
            for item in items {
                let Bolt::Map(i) = item else {
                    return Err(corrupt("index"));
                };
                catalog.indexes.push(IndexDef {
                    id: int(i, "id")?,
                    name: text(i, "name")?,
                    kind: IndexKind::from_name(&text(i, "kind")?)
                        .ok_or_else(|| corrupt("index kind"))?,
                    entity: entity(i)?,
                    tokens: strings(i.get("tokens"))?,
                    properties: strings(i.get("properties"))?,
                    options: match i.get("options") {
                        Some(Bolt::Map(o)) => o.clone(),
                        _ => Map::new(),
                    },
                    owner: i.get("owner").and_then(Bolt::as_str).map(str::to_owned),
                });
            }
        }
        if let Some(Bolt::List(items)) = m.get("constraints") {
            for item in items {
                let Bolt::Map(c) = item else {
                    return Err(corrupt("constraint"));
                };
                let kind = match text(c, "kind")?.as_str() {
                    "UNIQUE" => ConstraintKind::Unique,
                    "KEY" => ConstraintKind::Key,
                    "EXISTS" => ConstraintKind::Exists,
                    "TYPE" => ConstraintKind::PropertyType(text(c, "type")?),
                    _ => return Err(corrupt("constraint kind")),
                };
                catalog.constraints.push(ConstraintDef {
                    id: int(c, "id")?,
                    name: text(c, "name")?,
                    kind,
                    entity: entity(c)?,
                    token: text(c, "token")?,
                    properties: strings(c.get("properties"))?,
                    index: c.get("index").and_then(Bolt::as_str).map(str::to_owned),
                });
            }
        }
        Ok(catalog)
    }

    /// The property indexes on `entity` with `token`.
    pub(crate) fn indexes_on<'a>(
        &'a self,
        entity: EntityKind,
        token: &'a str,
    ) -> impl Iterator<Item = &'a IndexDef> + 'a {
        self.indexes
            .iter()
            .filter(move |i| i.entity == entity && i.tokens.iter().any(|t| t == token))
    }

    /// Whether any index keeps entries for `entity`s.
    pub(crate) fn has_entries(&self, entity: EntityKind) -> bool {
        self.indexes
            .iter()
            .any(|i| i.entity == entity && i.kind != IndexKind::Lookup)
    }

    pub(crate) fn index(&self, name: &str) -> Option<&IndexDef> {
        self.indexes.iter().find(|i| i.name == name)
    }

    pub(crate) fn constraint(&self, name: &str) -> Option<&ConstraintDef> {
        self.constraints.iter().find(|c| c.name == name)
    }

    /// Constraints on `token` of `entity`.
    pub(crate) fn constraints_on<'a>(
        &'a self,
        entity: EntityKind,
        token: &'a str,
    ) -> impl Iterator<Item = &'a ConstraintDef> + 'a {
        self.constraints
            .iter()
            .filter(move |c| c.entity == entity && c.token == token)
    }
}
