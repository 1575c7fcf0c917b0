//! Rows borrowing from the received batch (`RecordStream::next_borrowed`
//! for serde types, `next_borrowed_into` for derived records), over real
//! TCP against the embedded server: strings and bytes lent in place across
//! batches, columns matched by name, the prefetch messages unchanged, and
//! mapping errors.

use neo_embedded::EmbeddedServer;
use neo_runtime::{ErrorKind, SessionConfig};
use serde::Deserialize;

/// A `&str` or `&[u8]` field only deserializes from data lent in place
/// (serde rejects a copied string for it), so decoding one proves the row
/// was not copied.
#[derive(Debug, PartialEq, Deserialize)]
struct Item<'a> {
    id: i64,
    name: &'a str,
    tag: &'a [u8],
    note: Option<&'a str>,
}

const TEN_ITEMS: &str = "UNWIND range(1, 10) AS i \
     RETURN i AS id, 'item-' + toString(i) AS name, $tag AS tag, \
     CASE WHEN i % 2 = 0 THEN 'even' END AS note";

fn session(driver: &neo_runtime::Driver, fetch_size: i64) -> neo_runtime::Session {
    driver
        .session(SessionConfig::default().with_fetch_size(fetch_size))
        .unwrap()
}

#[tokio::test]
async fn strings_and_bytes_are_lent_from_the_batch_across_batches() {
    let (_server, driver) = neo_tests::start();
    let mut session = session(&driver, 3);
    let query =
        neo_runtime::Query::new(TEN_ITEMS).param("tag", neo_runtime::Value::Bytes(vec![1, 2, 3]));
    let mut result = session.run(query).await.unwrap();
    let mut seen = Vec::new();
    while let Some(item) = result.next_borrowed::<Item<'_>>().await {
        let item = item.unwrap();
        let i = item.id;
        assert_eq!(item.name, format!("item-{i}"));
        assert_eq!(item.tag, [1, 2, 3]);
        assert_eq!(item.note, (i % 2 == 0).then_some("even"));
        seen.push(i);
    }
    assert_eq!(seen, (1..=10).collect::<Vec<_>>());
    assert!(result.summary().is_some());
}

#[tokio::test]
async fn columns_in_another_order_are_matched_by_name() {
    let (_server, driver) = neo_tests::start();
    let mut session = session(&driver, 4);
    let mut result = session
        .run("UNWIND range(1, 6) AS i RETURN 'n' + toString(i) AS name, i AS id")
        .await
        .unwrap();
    #[derive(Deserialize)]
    struct Row<'a> {
        id: i64,
        name: &'a str,
    }
    let mut ids = Vec::new();
    while let Some(row) = result.next_borrowed::<Row<'_>>().await {
        let row = row.unwrap();
        assert_eq!(row.name, format!("n{}", row.id));
        ids.push(row.id);
    }
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn tuples_read_columns_by_position() {
    let (_server, driver) = neo_tests::start();
    let mut session = session(&driver, 2);
    let mut result = session
        .run("UNWIND ['a', 'bb', 'ccc'] AS s RETURN s, size(s) AS n")
        .await
        .unwrap();
    let mut rows = Vec::new();
    while let Some(row) = result.next_borrowed::<(&str, i64)>().await {
        let (s, n) = row.unwrap();
        rows.push((s.to_owned(), n));
    }
    assert_eq!(
        rows,
        [
            ("a".to_owned(), 1),
            ("bb".to_owned(), 2),
            ("ccc".to_owned(), 3)
        ]
    );
}

#[tokio::test]
async fn a_peeked_record_is_lent_by_the_next_call() {
    let (_server, driver) = neo_tests::start();
    let mut session = session(&driver, 2);
    let mut result = session
        .run("UNWIND ['x', 'y', 'z'] AS s RETURN s")
        .await
        .unwrap();
    let peeked = result.peek().await.unwrap().unwrap();
    assert_eq!(peeked.get_as::<&str>("s").unwrap(), "x");
    let mut all = Vec::new();
    while let Some(row) = result.next_borrowed::<(&str,)>().await {
        all.push(row.unwrap().0.to_owned());
    }
    assert_eq!(all, ["x", "y", "z"]);
}

#[tokio::test]
async fn a_value_of_another_type_is_a_mapping_error_and_reading_goes_on() {
    let (_server, driver) = neo_tests::start();
    let mut session = session(&driver, 2);
    let mut result = session
        .run("UNWIND [1, 2, 3] AS i RETURN CASE WHEN i = 2 THEN 42 ELSE 'ok' END AS s")
        .await
        .unwrap();
    let mut outcomes = Vec::new();
    while let Some(row) = result.next_borrowed::<(&str,)>().await {
        outcomes.push(row.map(|(s,)| s.to_owned()).map_err(|e| e.kind()));
    }
    assert_eq!(
        outcomes,
        [
            Ok("ok".to_owned()),
            Err(ErrorKind::Mapping),
            Ok("ok".to_owned())
        ]
    );
}

/// The result messages the server received, oldest first.
fn result_messages(server: &EmbeddedServer) -> Vec<String> {
    server
        .controls()
        .messages()
        .into_iter()
        .filter_map(|m| match m.message {
            "RUN" => Some("RUN".to_owned()),
            "PULL" | "DISCARD" => Some(format!("{} {}", m.message, m.n.unwrap_or(i64::MIN))),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_next_batch_is_asked_for_at_the_same_record_as_with_next() {
    let (server, driver) = neo_tests::start();
    for (read, expected) in [
        // 3 of 8 left: above the low watermark of 2.
        (5, &["RUN", "PULL 8", "DISCARD -1"][..]),
        // 2 left: the next batch is asked for ahead of the reader.
        (6, &["RUN", "PULL 8", "PULL 8", "DISCARD -1"][..]),
    ] {
        server.controls().clear_messages();
        let mut session = session(&driver, 8);
        let mut result = session
            .run("UNWIND range(1, 20) AS i RETURN i")
            .await
            .unwrap();
        for expected in 1..=read {
            let (i,) = result.next_borrowed::<(i64,)>().await.unwrap().unwrap();
            assert_eq!(i, expected);
        }
        drop(result);
        session.close().await;
        assert_eq!(result_messages(&server), expected, "after {read} rows");
    }
}

/// A derived row borrowing from the batch: `&str`, `&[u8]` and their
/// `Option`s point into it, owned fields decode as in any derived row.
#[derive(Debug, PartialEq, neo_runtime::Record)]
struct DerivedItem<'a> {
    id: i64,
    #[neo(rename = "name")]
    label: &'a str,
    tag: &'a [u8],
    note: Option<&'a str>,
    absent: Option<&'a str>,
    #[neo(default)]
    rank: i64,
    tags: Vec<String>,
}

#[tokio::test]
async fn derived_rows_borrow_strings_and_bytes_from_the_batch_across_batches() {
    let (_server, driver) = neo_tests::start();
    let mut session = session(&driver, 3);
    let query = neo_runtime::Query::new(
        "UNWIND range(1, 10) AS i \
         RETURN $tag AS tag, i AS id, 'item-' + toString(i) AS name, \
         CASE WHEN i % 2 = 0 THEN 'even' END AS note, null AS rank, ['t', toString(i)] AS tags",
    )
    .param("tag", neo_runtime::Value::Bytes(vec![7, 8]));
    let mut result = session.run(query).await.unwrap();
    let mut seen = Vec::new();
    while let Some(item) = result.next_borrowed_into::<DerivedItem<'_>>().await {
        let item = item.unwrap();
        let i = item.id;
        assert_eq!(
            item,
            DerivedItem {
                id: i,
                label: &format!("item-{i}"),
                tag: &[7, 8],
                note: (i % 2 == 0).then_some("even"),
                absent: None,
                rank: 0,
                tags: vec!["t".to_owned(), i.to_string()],
            }
        );
        seen.push(i);
    }
    assert_eq!(seen, (1..=10).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_derived_row_names_the_field_and_column_that_do_not_fit() {
    let (_server, driver) = neo_tests::start();
    let mut session = session(&driver, 5);
    let mut result = session
        .run("RETURN 1 AS id, 42 AS name, 'x' AS tag, ['t'] AS tags")
        .await
        .unwrap();
    let error = result
        .next_borrowed_into::<DerivedItem<'_>>()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Mapping);
    assert_eq!(
        error.to_string(),
        "cannot decode `DerivedItem.label` from column `name`: expected String, found Integer"
    );
    let mut result = session
        .run("RETURN 1 AS id, 'n' AS name, 'x' AS tag, ['t'] AS tags")
        .await
        .unwrap();
    let error = result
        .next_borrowed_into::<DerivedItem<'_>>()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode `DerivedItem.tag` from column `tag`: expected Bytes, found String"
    );
    let mut result = session.run("RETURN 1 AS id, 'n' AS name").await.unwrap();
    let error = result
        .next_borrowed_into::<DerivedItem<'_>>()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode `DerivedItem.tag`: column `tag` is missing"
    );
}

#[tokio::test]
async fn a_peeked_record_is_lent_to_a_derived_row() {
    let (_server, driver) = neo_tests::start();
    let mut session = session(&driver, 2);
    let mut result = session
        .run("UNWIND ['x', 'y', 'z'] AS s RETURN s")
        .await
        .unwrap();
    #[derive(neo_runtime::Record)]
    struct One<'a> {
        s: &'a str,
    }
    assert!(result.peek().await.unwrap().is_ok());
    let mut all = Vec::new();
    while let Some(row) = result.next_borrowed_into::<One<'_>>().await {
        all.push(row.unwrap().s.to_owned());
    }
    assert_eq!(all, ["x", "y", "z"]);
}
