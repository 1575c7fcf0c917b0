//! Rows decoded straight from the record bytes with `next_as`, over real TCP
//! against the embedded server: columns in the struct's order, in another
//! order, fewer or more, and row types that take only maps.

use std::fmt;

use neo_runtime::{Driver, ErrorKind, SessionConfig};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// Reads every row of `query` as `T`, stopping at the first error.
async fn rows<T: de::DeserializeOwned>(
    driver: &Driver,
    query: &str,
) -> neo_runtime::Result<Vec<T>> {
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(3))
        .unwrap();
    let mut result = session.run(query).await?;
    let mut rows = Vec::new();
    while let Some(row) = result.next_as::<T>().await {
        rows.push(row?);
    }
    Ok(rows)
}

#[derive(Debug, PartialEq, Deserialize)]
struct Item {
    id: i64,
    name: String,
    score: f64,
}

const TEN_ITEMS: &str =
    "UNWIND range(1, 10) AS i RETURN i AS id, 'item-' + toString(i) AS name, i * 0.5 AS score";

fn expected_items() -> Vec<Item> {
    (1..=10)
        .map(|i| Item {
            id: i,
            name: format!("item-{i}"),
            score: i as f64 * 0.5,
        })
        .collect()
}

#[tokio::test]
async fn columns_in_the_struct_order_decode_every_row() {
    let (_server, driver) = neo_tests::start();
    assert_eq!(
        rows::<Item>(&driver, TEN_ITEMS).await.unwrap(),
        expected_items()
    );
}

#[tokio::test]
async fn columns_in_another_order_decode_by_name() {
    let (_server, driver) = neo_tests::start();
    let query =
        "UNWIND range(1, 10) AS i RETURN i * 0.5 AS score, 'item-' + toString(i) AS name, i AS id";
    assert_eq!(
        rows::<Item>(&driver, query).await.unwrap(),
        expected_items()
    );
}

#[tokio::test]
async fn extra_columns_are_ignored_and_missing_ones_are_named() {
    let (_server, driver) = neo_tests::start();
    let extra = "UNWIND range(1, 10) AS i RETURN i AS id, 'item-' + toString(i) AS name, i * 0.5 AS score, true AS extra";
    assert_eq!(
        rows::<Item>(&driver, extra).await.unwrap(),
        expected_items()
    );

    let missing = "UNWIND range(1, 3) AS i RETURN i AS id, 'item-' + toString(i) AS name";
    let error = rows::<Item>(&driver, missing).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Mapping);
    assert!(
        error.to_string().contains("missing field `score`"),
        "{error}"
    );
}

#[tokio::test]
async fn a_wrong_value_in_an_ordered_row_names_its_column() {
    let (_server, driver) = neo_tests::start();
    let query = "UNWIND range(1, 3) AS i RETURN i AS id, i AS name, i * 0.5 AS score";
    let error = rows::<Item>(&driver, query).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Mapping);
    assert!(error.to_string().contains("column `name`"), "{error}");
}

#[tokio::test]
async fn a_later_row_that_does_not_fit_fails_after_the_good_ones() {
    let (_server, driver) = neo_tests::start();
    let query = "UNWIND range(1, 5) AS i RETURN i AS id, CASE WHEN i < 5 THEN 'ok' ELSE null END AS name, 1.0 AS score";
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(2))
        .unwrap();
    let mut result = session.run(query).await.unwrap();
    for id in 1..5 {
        let item = result.next_as::<Item>().await.unwrap().unwrap();
        assert_eq!((item.id, item.name.as_str()), (id, "ok"));
    }
    let error = result.next_as::<Item>().await.unwrap().unwrap_err();
    assert!(error.to_string().contains("column `name`"), "{error}");
}

/// A row type written by hand that understands only maps.
#[derive(Debug, PartialEq)]
struct MapOnly {
    id: i64,
    name: String,
    score: f64,
}

impl<'de> Deserialize<'de> for MapOnly {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapOnlyVisitor;

        impl<'de> Visitor<'de> for MapOnlyVisitor {
            type Value = MapOnly;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map with id, name and score")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MapOnly, A::Error> {
                let (mut id, mut name, mut score) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" => id = Some(map.next_value()?),
                        "name" => name = Some(map.next_value()?),
                        "score" => score = Some(map.next_value()?),
                        _ => map.next_value::<de::IgnoredAny>().map(drop)?,
                    }
                }
                Ok(MapOnly {
                    id: id.ok_or_else(|| de::Error::missing_field("id"))?,
                    name: name.ok_or_else(|| de::Error::missing_field("name"))?,
                    score: score.ok_or_else(|| de::Error::missing_field("score"))?,
                })
            }
        }

        deserializer.deserialize_struct("MapOnly", &["id", "name", "score"], MapOnlyVisitor)
    }
}

#[tokio::test]
async fn a_row_type_that_takes_only_maps_still_decodes() {
    let (_server, driver) = neo_tests::start();
    let decoded = rows::<MapOnly>(&driver, TEN_ITEMS).await.unwrap();
    let expected: Vec<MapOnly> = expected_items()
        .into_iter()
        .map(|Item { id, name, score }| MapOnly { id, name, score })
        .collect();
    assert_eq!(decoded, expected);
}

/// Serde lists an alias among the field names: columns named like that list
/// must not be matched by position.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Aliased {
    #[serde(alias = "ident")]
    id: i64,
    name: String,
}

#[tokio::test]
async fn an_alias_among_the_columns_is_not_matched_by_position() {
    let (_server, driver) = neo_tests::start();
    let error = rows::<Aliased>(&driver, "RETURN 1 AS id, 2 AS ident, 'a' AS name")
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("duplicate field `id`"),
        "{error}"
    );

    let by_alias = rows::<Aliased>(&driver, "RETURN 7 AS ident, 'a' AS name")
        .await
        .unwrap();
    assert_eq!(by_alias[0].id, 7);
}

#[tokio::test]
async fn tuples_read_the_columns_by_position() {
    let (_server, driver) = neo_tests::start();
    let pairs = rows::<(String, i64)>(&driver, "UNWIND [1, 2] AS i RETURN 'n' + toString(i), i")
        .await
        .unwrap();
    assert_eq!(pairs, [("n1".to_owned(), 1), ("n2".to_owned(), 2)]);
}
