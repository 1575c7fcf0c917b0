//! The schema of a database, built from the rows of Neo4j's schema
//! procedures.

use std::collections::BTreeMap;

use neo_cypher::schema::{Entity, Property, PropertyType, Schema};

use crate::types::cypher_type;

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

/// Builds the schema from the rows of `CALL db.schema.nodeTypeProperties()`
/// and `CALL db.schema.relTypeProperties()`.
///
/// A node type with several labels counts for each of them: a label's
/// property has the types seen on every node type with that label (a union,
/// its alternatives sorted by name), and is `NOT NULL` only when every one
/// of those node types has it as mandatory (a label that also appears
/// without it, or on a node type without properties, makes it nullable).
///
/// ```
/// use neo_schema::{NodeTypeRow, from_rows};
///
/// let rows = [NodeTypeRow {
///     labels: vec!["Person".into()],
///     property: Some("name".into()),
///     types: vec!["String".into()],
///     mandatory: true,
/// }];
/// let schema = from_rows(rows, []);
/// let name = schema.label("Person").and_then(|person| person.property("name")).unwrap();
/// assert_eq!(name.declared_type(), "STRING NOT NULL");
/// ```
pub fn from_rows(
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
        nodes: node_types.by_name(),
        relationships: rel_types.by_name(),
    }
}

/// What the rows say of one property: the types of its values, keyed by
/// their text so that they come out sorted, and whether it is always there.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observed {
    types: BTreeMap<String, PropertyType>,
    not_null: bool,
}

impl Observed {
    /// A property whose values have the types `names`, as the server
    /// reports them.
    fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>, not_null: bool) -> Self {
        let mut observed = Observed {
            types: BTreeMap::new(),
            not_null,
        };
        for name in names {
            match cypher_type(name.as_ref()) {
                PropertyType::Union(alternatives) => {
                    for alternative in alternatives {
                        observed.insert(alternative);
                    }
                }
                single => observed.insert(single),
            }
        }
        observed
    }

    fn insert(&mut self, ty: PropertyType) {
        self.types.insert(ty.to_string(), ty);
    }

    /// Adds the types of `other`; the property stays `NOT NULL` only if it
    /// is in both.
    fn merge(&mut self, other: &Observed) {
        self.types.extend(
            other
                .types
                .iter()
                .map(|(text, ty)| (text.clone(), ty.clone())),
        );
        self.not_null &= other.not_null;
    }

    fn into_property(self, name: String) -> Property {
        Property {
            name,
            ty: PropertyType::union(self.types.into_values()),
            not_null: self.not_null,
        }
    }
}

/// Entity types keyed by their sorted names (the label set of a node type,
/// the one name of a relationship type).
#[derive(Default)]
struct EntityTypes(BTreeMap<Vec<String>, BTreeMap<String, Observed>>);

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
        let seen = Observed::new(types, mandatory);
        match properties.get_mut(&property) {
            Some(known) => known.merge(&seen),
            None => {
                properties.insert(property, seen);
            }
        }
    }

    /// The entities, sorted by name, with their properties over every
    /// entity type carrying the name.
    fn by_name(&self) -> Vec<Entity> {
        let mut out: BTreeMap<String, BTreeMap<String, Observed>> = BTreeMap::new();
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
                    merged.not_null = false;
                }
            }
        }
        out.into_iter()
            .map(|(name, properties)| Entity {
                name,
                properties: properties
                    .into_iter()
                    .map(|(property, observed)| observed.into_property(property))
                    .collect(),
            })
            .collect()
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

    fn text(entity: Option<&Entity>) -> Vec<(String, String)> {
        entity
            .expect("the entity")
            .properties
            .iter()
            .map(|p| (p.name.clone(), p.declared_type()))
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
        let schema = from_rows(
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
            text(schema.label("Person")),
            pairs(&[
                ("born", "INTEGER | STRING"),
                ("height", "FLOAT"),
                ("name", "STRING")
            ])
        );
        assert_eq!(
            text(schema.label("Actor")),
            pairs(&[
                ("born", "STRING"),
                ("height", "FLOAT NOT NULL"),
                ("name", "STRING NOT NULL")
            ])
        );
        assert!(schema.label("Retired").unwrap().properties.is_empty());
    }

    #[test]
    fn node_types_without_labels_are_left_out() {
        let schema = from_rows([node(&[], Some("x"), &["Long"], true)], []);
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
        let schema = from_rows(
            [],
            [
                row(Some("roles"), true),
                row(Some("roles"), false),
                row(None, false),
            ],
        );
        assert_eq!(
            text(schema.relationship_type("ACTED_IN")),
            pairs(&[("roles", "LIST<STRING>")])
        );
    }

    fn declared(observed: Observed) -> String {
        observed.into_property("p".to_owned()).declared_type()
    }

    #[test]
    fn merged_types_are_a_union_sorted_by_name() {
        let mut born = Observed::new(["Long"], true);
        assert_eq!(declared(born.clone()), "INTEGER NOT NULL");
        born.merge(&Observed::new(["String"], false));
        assert_eq!(declared(born), "INTEGER | STRING");
    }

    #[test]
    fn unknown_types_absorb_the_others() {
        assert_eq!(
            declared(Observed::new(["Long", "Blob"], true)),
            "ANY NOT NULL"
        );
        assert_eq!(declared(Observed::new(Vec::<String>::new(), false)), "ANY");
        assert_eq!(
            declared(Observed::new(["String", "Long", "STRING"], false)),
            "INTEGER | STRING"
        );
        assert_eq!(
            declared(Observed::new(["String", "Long"], true)),
            "INTEGER NOT NULL | STRING NOT NULL"
        );
    }
}
