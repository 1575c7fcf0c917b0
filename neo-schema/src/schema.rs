//! The schema of a database, built from the rows of Neo4j's schema procedures.

use std::collections::BTreeMap;

use crate::types::PropertyType;

/// The properties of one label or relationship type, by name.
pub type Properties = BTreeMap<String, PropertyType>;

/// One row of `CALL db.schema.nodeTypeProperties()`: a property of the nodes
/// that have exactly the labels `labels`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeTypeRow {
    /// The node type's labels (`nodeLabels`).
    pub labels: Vec<String>,
    /// The property (`propertyName`); `None` for a node type without any.
    pub property: Option<String>,
    /// The types of its values as the server names them (`propertyTypes`).
    pub types: Vec<String>,
    /// Whether every node of the type has it (`mandatory`).
    pub mandatory: bool,
}

/// One row of `CALL db.schema.relTypeProperties()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelTypeRow {
    /// The relationship type, unquoted (`relType` is ``:`ACTED_IN` ``).
    pub rel_type: String,
    /// The property (`propertyName`); `None` for a type without any.
    pub property: Option<String>,
    /// The types of its values as the server names them (`propertyTypes`).
    pub types: Vec<String>,
    /// Whether every relationship of the type has it (`mandatory`).
    pub mandatory: bool,
}

/// The labels, relationship types and property types of a database.
///
/// ```
/// use neo_schema::{NodeTypeRow, Schema};
///
/// let rows = [NodeTypeRow {
///     labels: vec!["Person".into()],
///     property: Some("name".into()),
///     types: vec!["String".into()],
///     mandatory: true,
/// }];
/// let schema = Schema::from_rows("neo4j", "bolt://localhost:7687", rows, []);
/// assert_eq!(schema.nodes["Person"]["name"].to_string(), "STRING NOT NULL");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    /// The database it describes.
    pub database: String,
    /// Where it was read from (a URI without credentials).
    pub source: String,
    /// The properties of each label.
    pub nodes: BTreeMap<String, Properties>,
    /// The properties of each relationship type.
    pub relationships: BTreeMap<String, Properties>,
}

impl Schema {
    /// Builds the schema from the procedures' rows.
    ///
    /// A node type with several labels counts for each of them: a label's
    /// property has the types seen on every node type with that label, and
    /// is `NOT NULL` only when every one of those node types has it as
    /// mandatory (a label that also appears without it, or on a node type
    /// without properties, makes it nullable).
    pub fn from_rows(
        database: impl Into<String>,
        source: impl Into<String>,
        nodes: impl IntoIterator<Item = NodeTypeRow>,
        relationships: impl IntoIterator<Item = RelTypeRow>,
    ) -> Schema {
        let mut node_types = EntityTypes::default();
        for row in nodes {
            let mut labels = row.labels;
            labels.sort();
            labels.dedup();
            node_types.add(labels, row.property, &row.types, row.mandatory);
        }
        let mut rel_types = EntityTypes::default();
        for row in relationships {
            rel_types.add(vec![row.rel_type], row.property, &row.types, row.mandatory);
        }
        Schema {
            database: database.into(),
            source: source.into(),
            nodes: node_types.by_name(),
            relationships: rel_types.by_name(),
        }
    }
}

/// Entity types keyed by their sorted names (the label set of a node type,
/// the one name of a relationship type).
#[derive(Default)]
struct EntityTypes(BTreeMap<Vec<String>, Properties>);

impl EntityTypes {
    fn add(
        &mut self,
        names: Vec<String>,
        property: Option<String>,
        types: &[String],
        mandatory: bool,
    ) {
        let properties = self.0.entry(names).or_default();
        let Some(property) = property else {
            return;
        };
        let seen = PropertyType::new(types, mandatory);
        match properties.get_mut(&property) {
            Some(known) => known.merge(&seen),
            None => {
                properties.insert(property, seen);
            }
        }
    }

    /// The properties of each name, over every entity type carrying it.
    fn by_name(&self) -> BTreeMap<String, Properties> {
        let mut out: BTreeMap<String, Properties> = BTreeMap::new();
        // How many entity types carry each name, and how many of those have
        // each of its properties.
        let mut carriers: BTreeMap<&str, usize> = BTreeMap::new();
        let mut holders: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (names, properties) in &self.0 {
            for name in names {
                *carriers.entry(name).or_default() += 1;
                let merged = out.entry(name.clone()).or_default();
                for (property, seen) in properties {
                    *holders.entry((name, property)).or_default() += 1;
                    match merged.get_mut(property) {
                        Some(known) => known.merge(seen),
                        None => {
                            merged.insert(property.clone(), seen.clone());
                        }
                    }
                }
            }
        }
        for (name, properties) in &mut out {
            let total = carriers.get(name.as_str()).copied().unwrap_or(0);
            for (property, merged) in properties.iter_mut() {
                if holders.get(&(name.as_str(), property.as_str())).copied() != Some(total) {
                    merged.set_nullable();
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(
        labels: &[&str],
        property: Option<&str>,
        types: &[&str],
        mandatory: bool,
    ) -> NodeTypeRow {
        NodeTypeRow {
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            property: property.map(str::to_owned),
            types: types.iter().map(|t| (*t).to_owned()).collect(),
            mandatory,
        }
    }

    fn text(properties: &Properties) -> Vec<(String, String)> {
        properties
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_label_is_not_null_only_when_every_node_type_with_it_has_the_property() {
        let schema = Schema::from_rows(
            "neo4j",
            "bolt://h:7687",
            [
                node(&["Person"], Some("name"), &["String"], true),
                node(&["Person"], Some("born"), &["Long"], true),
                node(&["Actor", "Person"], Some("name"), &["String"], true),
                node(&["Actor", "Person"], Some("height"), &["Double"], true),
                node(&["Actor", "Person"], Some("born"), &["String"], false),
                node(&["Person", "Retired"], None, &[], false),
            ],
            [],
        );
        assert_eq!(
            text(&schema.nodes["Person"]),
            pairs(&[
                ("born", "INTEGER | STRING"),
                ("height", "FLOAT"),
                ("name", "STRING")
            ])
        );
        assert_eq!(
            text(&schema.nodes["Actor"]),
            pairs(&[
                ("born", "STRING"),
                ("height", "FLOAT NOT NULL"),
                ("name", "STRING NOT NULL")
            ])
        );
        assert!(schema.nodes["Retired"].is_empty());
    }

    #[test]
    fn node_types_without_labels_are_left_out() {
        let schema = Schema::from_rows("neo4j", "", [node(&[], Some("x"), &["Long"], true)], []);
        assert!(schema.nodes.is_empty());
    }

    #[test]
    fn relationship_rows_give_their_type_properties() {
        let row = |property: Option<&str>, mandatory| RelTypeRow {
            rel_type: "ACTED_IN".into(),
            property: property.map(str::to_owned),
            types: vec!["StringArray".into()],
            mandatory,
        };
        let schema = Schema::from_rows(
            "neo4j",
            "",
            [],
            [
                row(Some("roles"), true),
                row(Some("roles"), false),
                row(None, false),
            ],
        );
        assert_eq!(
            text(&schema.relationships["ACTED_IN"]),
            pairs(&[("roles", "LIST<STRING>")])
        );
    }
}
