//! Writing a schema file: what [`Schema::parse`] reads back equal.

use std::fmt::Write;

use super::{Entity, Schema};

impl Schema {
    /// The text of the schema file: one `[nodes.<label>]` table per label,
    /// then one `[relationships.<type>]` table per relationship type, in
    /// the order of [`nodes`](Schema::nodes) and
    /// [`relationships`](Schema::relationships) (which [`Schema::parse`]
    /// sorts by name), separated by blank lines. Each table lists its
    /// properties with their [declared types](super::Property::declared_type).
    /// Names that are not bare TOML keys are quoted and escaped.
    ///
    /// ```
    /// use neo_cypher::schema::{Entity, Property, PropertyType, Schema};
    ///
    /// let schema = Schema {
    ///     nodes: vec![
    ///         Entity { name: "Movie".into(), properties: vec![] },
    ///         Entity {
    ///             name: "Odd Label".into(),
    ///             properties: vec![Property {
    ///                 name: "born".into(),
    ///                 ty: PropertyType::union([PropertyType::Integer, PropertyType::String]),
    ///                 not_null: false,
    ///             }],
    ///         },
    ///     ],
    ///     relationships: vec![Entity {
    ///         name: "ACTED_IN".into(),
    ///         properties: vec![Property {
    ///             name: "roles".into(),
    ///             ty: PropertyType::List(Box::new(PropertyType::String)),
    ///             not_null: true,
    ///         }],
    ///     }],
    /// };
    /// assert_eq!(schema.to_toml(), "\
    /// [nodes.Movie]
    ///
    /// [nodes.\"Odd Label\"]
    /// born = \"INTEGER | STRING\"
    ///
    /// [relationships.ACTED_IN]
    /// roles = \"LIST<STRING> NOT NULL\"
    /// ");
    /// assert_eq!(Schema::parse(&schema.to_toml()).unwrap(), schema);
    /// ```
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let tables = self.nodes.iter().map(|entity| ("nodes", entity)).chain(
            self.relationships
                .iter()
                .map(|entity| ("relationships", entity)),
        );
        for (i, (group, entity)) in tables.enumerate() {
            if i > 0 {
                out.push('\n');
            }
            table(&mut out, group, entity);
        }
        out
    }
}

fn table(out: &mut String, group: &str, entity: &Entity) {
    let _ = writeln!(out, "[{group}.{}]", key(&entity.name));
    for property in &entity.properties {
        let _ = writeln!(
            out,
            "{} = {}",
            key(&property.name),
            string(&property.declared_type())
        );
    }
}

/// A TOML key: bare when it is only ASCII letters, digits, `_` and `-`,
/// else a quoted string.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { name.to_owned() } else { string(name) }
}

/// A TOML basic string: `"` and `\` escaped, control characters as escapes.
fn string(text: &str) -> String {
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
    use proptest::prelude::*;

    use super::*;
    use crate::schema::{Property, PropertyType};

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
    fn an_empty_schema_is_an_empty_file() {
        assert_eq!(Schema::default().to_toml(), "");
        assert_eq!(Schema::parse("").unwrap(), Schema::default());
    }

    fn property(name: &str, ty: PropertyType, not_null: bool) -> Property {
        Property {
            name: name.to_owned(),
            ty,
            not_null,
        }
    }

    fn list(element: PropertyType) -> PropertyType {
        PropertyType::List(Box::new(element))
    }

    /// Every property type, unions, `NOT NULL` and names that need quoting.
    fn every_kind_of_declaration() -> Schema {
        use PropertyType as T;
        let scalars = [
            T::Any,
            T::Boolean,
            T::String,
            T::Integer,
            T::Float,
            T::Date,
            T::LocalTime,
            T::ZonedTime,
            T::LocalDateTime,
            T::ZonedDateTime,
            T::Duration,
            T::Point,
        ];
        let mut everything = Vec::new();
        for (i, ty) in scalars.iter().enumerate() {
            everything.push(property(&format!("p{i:02}"), ty.clone(), i % 2 == 0));
            everything.push(property(
                &format!("p{i:02}_list"),
                list(ty.clone()),
                i % 2 == 1,
            ));
        }
        everything.extend([
            property(
                "union",
                T::union([T::Integer, T::String, list(T::Float)]),
                false,
            ),
            property("union_not_null", T::union([T::Date, T::Duration]), true),
            property(
                "union_in_list",
                list(T::union([T::Integer, T::Float])),
                true,
            ),
            property("nested_lists", list(list(list(T::Point))), false),
        ]);
        everything.sort_by(|a, b| a.name.cmp(&b.name));
        let odd_names = [
            "",
            " ",
            "a.b",
            "My.Label",
            "Say \"hi\" \\ there",
            "tab\there",
            "line\nbreak",
            "bell\u{7}del\u{7f}",
            "Straße",
            "日本語",
            "x`y",
            "[nodes.X]",
            "# not a comment",
            "= sign",
        ];
        let mut odd: Vec<Property> = odd_names
            .iter()
            .map(|name| property(name, T::String, true))
            .collect();
        odd.sort_by(|a, b| a.name.cmp(&b.name));
        let mut nodes = vec![
            Entity {
                name: "Everything".into(),
                properties: everything,
            },
            Entity {
                name: "Empty".into(),
                properties: vec![],
            },
            Entity {
                name: "Odd keys".into(),
                properties: odd,
            },
        ];
        nodes.extend(odd_names.iter().map(|name| Entity {
            name: (*name).to_owned(),
            properties: vec![property("x", T::Integer, false)],
        }));
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut relationships: Vec<Entity> = ["ACTED_IN", "KNOWS WELL", "nodes", ""]
            .iter()
            .map(|name| Entity {
                name: (*name).to_owned(),
                properties: vec![property("since", T::union([T::Date, T::Integer]), true)],
            })
            .collect();
        relationships.sort_by(|a, b| a.name.cmp(&b.name));
        Schema {
            nodes,
            relationships,
        }
    }

    #[test]
    fn what_is_written_reads_back_equal() {
        let schema = every_kind_of_declaration();
        let text = schema.to_toml();
        let read = Schema::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(read, schema, "{text}");
        // And the text is stable: writing what was read gives the same file.
        assert_eq!(read.to_toml(), text);
    }

    #[test]
    fn the_written_text_has_the_documented_layout() {
        let text = every_kind_of_declaration().to_toml();
        for line in [
            "[nodes.Everything]\n",
            "p00 = \"ANY NOT NULL\"\n",
            "p01_list = \"LIST<BOOLEAN> NOT NULL\"\n",
            "p07 = \"ZONED TIME\"\n",
            "union = \"INTEGER | STRING | LIST<FLOAT>\"\n",
            "union_not_null = \"DATE NOT NULL | DURATION NOT NULL\"\n",
            "union_in_list = \"LIST<INTEGER | FLOAT> NOT NULL\"\n",
            "nested_lists = \"LIST<LIST<LIST<POINT>>>\"\n",
            "[nodes.Empty]\n\n",
            "[nodes.\"Say \\\"hi\\\" \\\\ there\"]\n",
            "[nodes.\"line\\nbreak\"]\n",
            "\"bell\\u0007del\\u007F\" = \"STRING NOT NULL\"\n",
            "[relationships.\"KNOWS WELL\"]\nsince = \"DATE NOT NULL | INTEGER NOT NULL\"\n",
            "[relationships.nodes]\n",
        ] {
            assert!(text.contains(line), "{line:?} not in\n{text}");
        }
    }

    /// A property type of up to three levels of lists and unions, built
    /// the way the model requires (unions through `PropertyType::union`).
    fn property_type() -> impl Strategy<Value = PropertyType> {
        use PropertyType as T;
        let leaf = prop_oneof![
            Just(T::Any),
            Just(T::Boolean),
            Just(T::String),
            Just(T::Integer),
            Just(T::Float),
            Just(T::Date),
            Just(T::LocalTime),
            Just(T::ZonedTime),
            Just(T::LocalDateTime),
            Just(T::ZonedDateTime),
            Just(T::Duration),
            Just(T::Point),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(list),
                prop::collection::vec(inner, 2..5).prop_map(T::union),
            ]
        })
    }

    fn properties() -> impl Strategy<Value = Vec<Property>> {
        prop::collection::btree_map(any::<String>(), (property_type(), any::<bool>()), 0..5)
            .prop_map(|map| {
                map.into_iter()
                    .map(|(name, (ty, not_null))| Property { name, ty, not_null })
                    .collect()
            })
    }

    fn entities() -> impl Strategy<Value = Vec<Entity>> {
        prop::collection::btree_map(any::<String>(), properties(), 0..4).prop_map(|map| {
            map.into_iter()
                .map(|(name, properties)| Entity { name, properties })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn any_schema_reads_back_equal(nodes in entities(), relationships in entities()) {
            let schema = Schema { nodes, relationships };
            let text = schema.to_toml();
            let read = Schema::parse(&text);
            prop_assert_eq!(read, Ok(schema), "{}", text);
        }
    }
}
