//! What users of the official drivers try first, over TCP: a record's only
//! value, values printed, the bookmarks of several sessions combined, and
//! errors printed with `{:?}`.

use neo_runtime::{Bookmarks, ErrorKind, Query, SessionConfig, Value};

#[tokio::test]
async fn a_single_value_is_read_with_value_and_printed_as_cypher_writes_it() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session
        .run("CREATE (:Person {name: 'Ann'}), (:Person {name: 'Bob'})")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let count = session
        .run("MATCH (p:Person) RETURN count(p)")
        .await
        .unwrap()
        .single()
        .await
        .unwrap()
        .value()
        .unwrap();
    assert_eq!(count, Value::Integer(2));
    assert_eq!(count.to_string(), "2");

    let record = session
        .run("RETURN {name: 'Ann', tags: ['a', 1]} AS person, date('2024-02-29') AS day")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(
        record.get("person").unwrap().to_string(),
        r#"{name: "Ann", tags: ["a", 1]}"#
    );
    assert_eq!(record.get("day").unwrap().to_string(), "2024-02-29");
    let error = record.value().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Usage);
    assert_eq!(
        error.to_string(),
        "`value()` reads a record of one column, and this one has 2 ([person, day]); \
         read a column by name with `get(\"…\")`"
    );
}

#[tokio::test]
async fn the_bookmarks_of_two_sessions_combine_into_one_set() {
    let (server, driver) = neo_tests::start();
    let mut bookmarks = Vec::new();
    for name in ["Ann", "Bob"] {
        let mut writer = driver.session(SessionConfig::default()).unwrap();
        writer
            .run(Query::new("CREATE (:Person {name: $name})").param("name", name))
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
        bookmarks.push(writer.last_bookmarks().await);
        writer.close().await;
    }
    let (first, second) = (bookmarks[0].clone(), bookmarks[1].clone());
    assert_ne!(first, second);
    let both = first.clone() + &second;
    assert_eq!(both.len(), 2);
    assert_eq!(bookmarks.iter().collect::<Bookmarks>(), both);
    assert_eq!(first.union(&second), both);

    let mut reader = driver
        .session(SessionConfig::default().with_bookmarks(vec![first, second]))
        .unwrap();
    let names: Vec<String> = reader
        .execute_read(async |tx| {
            tx.run("MATCH (p:Person) RETURN p.name AS name ORDER BY name")
                .await?
                .collect()
                .await?
                .iter()
                .map(|record| record.get_as("name"))
                .collect()
        })
        .await
        .unwrap();
    assert_eq!(names, ["Ann", "Bob"]);
    let begin = server.controls().messages_named("BEGIN").pop().unwrap();
    assert_eq!(Bookmarks::from_iter(begin.bookmarks), both);
}

#[tokio::test]
async fn an_error_debugs_on_one_line_with_code_status_and_message() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let error = session.run("RETRUN 1").await.unwrap_err();
    assert_eq!(
        format!("{error:?}"),
        "Error { kind: Server, code: \"Neo.ClientError.Statement.SyntaxError\", \
         gql_status: \"42001\", message: \"error: expected a clause, found `RETRUN`\\n\
         1 | RETRUN 1\\n  | ^^^^^^\\n  = help: did you mean `RETURN`?\" }"
    );
}
