//! The macros over real TCP against the embedded server: `#[unit_of_work]`
//! functions and structs derived with `Record`, `Node` and `Relationship`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use neo_embedded::Trigger;
use neo_runtime::StatusCode;
use neo_runtime::{
    AccessMode, ErrorKind, FromValue, ManagedTransaction, MetadataValue, Node, Query, Record,
    Relationship, SessionConfig, Value, unit_of_work,
};

/// Creates a person and returns its id.
#[unit_of_work(
    write,
    timeout = 1,
    metadata(app = "hr", purpose = "onboarding", level = 3)
)]
async fn create_person(tx: &mut ManagedTransaction<'_>, name: &str) -> neo_runtime::Result<i64> {
    let record = tx
        .run(Query::new("CREATE (a:Person {name: $name}) RETURN id(a) AS id").param("name", name))
        .await?
        .single()
        .await?;
    record.get_as("id")
}

#[unit_of_work(read, timeout = "1500ms", max_retry_time = "2s")]
async fn count_people(tx: &mut ManagedTransaction<'_>) -> neo_runtime::Result<i64> {
    let record = tx
        .run("MATCH (a:Person) RETURN count(a) AS n")
        .await?
        .single()
        .await?;
    record.get_as("n")
}

#[unit_of_work(write)]
async fn create_pair(
    tx: &mut ManagedTransaction<'_>,
    first: String,
    second: &str,
) -> neo_runtime::Result<(i64, i64)> {
    let a = create_person::body(tx, &first).await?;
    let b = create_person::body(tx, second).await?;
    Ok((a, b))
}

#[unit_of_work(write)]
async fn counted_create(
    tx: &mut ManagedTransaction<'_>,
    attempts: &AtomicUsize,
) -> neo_runtime::Result<()> {
    attempts.fetch_add(1, Ordering::SeqCst);
    tx.run("CREATE (:Person {name: 'Retried'})")
        .await?
        .consume()
        .await?;
    Ok(())
}

#[unit_of_work(write, max_retry_time = 0)]
async fn counted_create_without_retries(
    tx: &mut ManagedTransaction<'_>,
    attempts: &AtomicUsize,
) -> neo_runtime::Result<()> {
    counted_create::body(tx, attempts).await
}

#[unit_of_work(read, database = "no-such-database")]
async fn read_elsewhere(tx: &mut ManagedTransaction<'_>) -> neo_runtime::Result<()> {
    tx.run("RETURN 1").await?.consume().await?;
    Ok(())
}

#[derive(Debug, PartialEq, Node)]
#[neo(label = "Person")]
struct Person {
    #[neo(id)]
    id: i64,
    #[neo(element_id)]
    element_id: String,
    #[neo(labels)]
    other_labels: Vec<String>,
    name: String,
    #[neo(rename = "born")]
    year: Option<i64>,
    #[neo(default)]
    tags: Vec<String>,
}

#[derive(Debug, PartialEq, Relationship)]
#[neo(rel_type = "KNOWS")]
struct Knows {
    #[neo(rel_type)]
    rel_type: String,
    #[neo(start_id)]
    from: i64,
    #[neo(end_id)]
    to: i64,
    #[neo(start_element_id)]
    from_element: String,
    #[neo(end_element_id)]
    to_element: String,
    since: i64,
}

#[derive(Debug, Record)]
struct Friendship {
    a: Person,
    r: Knows,
    b: Person,
    #[neo(rename = "names")]
    both: Vec<String>,
    missing: Option<String>,
    extra: BTreeMap<String, i64>,
    nested: Summary,
    p: neo_runtime::Path,
}

#[derive(Debug, PartialEq, Record)]
struct Summary {
    total: i64,
    #[neo(default)]
    note: String,
}

#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Active,
    Retired,
}

#[derive(Debug, Record)]
struct WithEnums {
    #[neo(serde)]
    status: Status,
    #[neo(serde)]
    previous: Option<Status>,
    #[neo(serde, default)]
    history: Vec<Status>,
}

#[test]
fn the_configuration_is_a_constant() {
    const CONFIG: neo_runtime::UnitOfWorkConfig = create_person::CONFIG;
    assert_eq!(CONFIG.mode(), AccessMode::Write);
    assert_eq!(CONFIG.timeout(), Some(Duration::from_secs(1)));
    assert_eq!(
        CONFIG.metadata(),
        &[
            ("app", MetadataValue::String("hr")),
            ("purpose", MetadataValue::String("onboarding")),
            ("level", MetadataValue::Integer(3)),
        ]
    );
    assert_eq!(count_people::CONFIG.mode(), AccessMode::Read);
    assert_eq!(
        count_people::CONFIG.timeout(),
        Some(Duration::from_millis(1500))
    );
    assert_eq!(
        count_people::CONFIG.max_retry_time(),
        Some(Duration::from_secs(2))
    );
    assert_eq!(count_people::CONFIG.database(), None);
}

#[tokio::test]
async fn a_unit_of_work_runs_with_a_session_and_composes_inside_another() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let id = create_person(&mut session, "Alice").await.unwrap();
    let (a, b) = create_pair(&mut session, "Bob".to_owned(), "Carol")
        .await
        .unwrap();
    assert!(id != a && a != b);
    assert_eq!(count_people(&mut session).await.unwrap(), 3);
}

#[tokio::test]
async fn a_unit_of_work_future_runs_on_a_multi_threaded_runtime() {
    let (_server, driver) = neo_tests::start();
    let handle = tokio::spawn(async move {
        let mut session = driver.session(SessionConfig::default()).unwrap();
        let name = String::from("Dave");
        create_person(&mut session, &name).await
    });
    assert!(handle.await.unwrap().is_ok());
}

#[tokio::test]
async fn a_unit_of_work_is_retried_on_transient_failures_and_commits_once() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    server.controls().fail(
        Trigger::on("RUN").query_contains("CREATE"),
        2,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let attempts = AtomicUsize::new(0);
    counted_create(&mut session, &attempts).await.unwrap();
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "two failures, then success"
    );
    assert_eq!(count_people(&mut session).await.unwrap(), 1);
}

#[tokio::test]
async fn max_retry_time_overrides_the_driver_budget() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    server.controls().fail(
        Trigger::on("RUN").query_contains("CREATE"),
        2,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let attempts = AtomicUsize::new(0);
    let error = counted_create_without_retries(&mut session, &attempts)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::DEADLOCK_DETECTED.code()));
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_database_option_overrides_the_session_database() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let error = read_elsewhere(&mut session).await.unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::DATABASE_NOT_FOUND.code()));
    // The session itself still uses its own database.
    assert_eq!(count_people(&mut session).await.unwrap(), 0);
}

#[tokio::test]
async fn derived_structs_read_nodes_relationships_and_nested_values() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session
        .run("CREATE (:Person:Employee {name: 'Ann', born: 1990})-[:KNOWS {since: 2010}]->(:Person {name: 'Ben'})")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let record = session
        .run(
            "MATCH p = (a:Person)-[r:KNOWS]->(b:Person) \
             RETURN a, r, b, [a.name, b.name] AS names, {one: 1} AS extra, \
             {total: 2} AS nested, p, id(a) AS aid, elementId(a) AS aeid",
        )
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let friendship: Friendship = neo_runtime::FromRecord::from_record(&record).unwrap();
    assert_eq!(friendship.a.name, "Ann");
    assert_eq!(friendship.a.year, Some(1990));
    assert_eq!(friendship.a.other_labels, ["Employee"]);
    assert_eq!(friendship.a.id, record.get_as::<i64>("aid").unwrap());
    assert_eq!(
        friendship.a.element_id,
        record.get_as::<String>("aeid").unwrap()
    );
    assert!(friendship.a.tags.is_empty());
    assert_eq!(friendship.b.name, "Ben");
    assert_eq!(friendship.b.year, None);
    assert_eq!(friendship.r.rel_type, "KNOWS");
    assert_eq!(friendship.r.since, 2010);
    assert_eq!(friendship.r.from, friendship.a.id);
    assert_eq!(friendship.r.to, friendship.b.id);
    assert_eq!(friendship.r.from_element, friendship.a.element_id);
    assert_eq!(friendship.r.to_element, friendship.b.element_id);
    assert_eq!(friendship.both, ["Ann", "Ben"]);
    assert_eq!(friendship.missing, None);
    assert_eq!(friendship.extra["one"], 1);
    assert_eq!(
        friendship.nested,
        Summary {
            total: 2,
            note: String::new()
        }
    );
    assert_eq!(friendship.p.nodes.len(), 2);

    let mut result = session
        .run("MATCH (a:Person {name: 'Ben'}) RETURN a")
        .await
        .unwrap();
    let ben: Person = result.next_into().await.unwrap().unwrap();
    assert_eq!(ben.name, "Ben");
}

#[tokio::test]
async fn serde_fields_read_enums_from_strings() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let record = session
        .run("RETURN 'active' AS status")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let row = <WithEnums as neo_runtime::FromRecord>::from_record(&record).unwrap();
    assert_eq!(row.status, Status::Active);
    assert_eq!(row.previous, None);
    assert!(row.history.is_empty());

    let record = session
        .run("RETURN 'retired' AS status, 'active' AS previous, ['active', 'retired'] AS history")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let row = <WithEnums as neo_runtime::FromRecord>::from_record(&record).unwrap();
    assert_eq!(row.status, Status::Retired);
    assert_eq!(row.previous, Some(Status::Active));
    assert_eq!(row.history, [Status::Active, Status::Retired]);

    let record = session
        .run("RETURN 'sleeping' AS status")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let error = <WithEnums as neo_runtime::FromRecord>::from_record(&record).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("cannot decode `WithEnums.status` from column `status`: ")
            && message.contains("sleeping"),
        "{message}"
    );
}

#[tokio::test]
async fn a_wrong_shape_names_the_struct_field_column_and_type_found() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let record = session
        .run("RETURN 'many' AS total")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let error = <Summary as neo_runtime::FromRecord>::from_record(&record).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Mapping);
    assert_eq!(
        error.to_string(),
        "cannot decode `Summary.total` from column `total`: expected Integer, found String"
    );

    let record = session
        .run("RETURN 1 AS other")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let error = <Summary as neo_runtime::FromRecord>::from_record(&record).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode `Summary.total`: column `total` is missing"
    );
}

#[tokio::test]
async fn a_node_without_the_declared_label_or_a_relationship_of_another_type_is_rejected() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let record = session
        .run("CREATE (a:Robot {name: 'R2'})-[r:LIKES {since: 1}]->(b:Robot {name: 'C3'}) RETURN a, r")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let error = Person::from_value(record.get("a").unwrap()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode `Person`: the node has no label `Person` (its labels are [Robot])"
    );
    let error = Knows::from_value(record.get("r").unwrap()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode `Knows`: the relationship has type `LIKES`, not `KNOWS`"
    );
    let error = Person::from_value(Value::from(1)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode `Person`: expected Node, found Integer"
    );
}

#[derive(Debug, PartialEq, Record)]
struct Measurement {
    id: i64,
    #[neo(rename = "label")]
    name: String,
    #[neo(default)]
    weight: f64,
    #[neo(serde)]
    status: Status,
    flag: bool,
}

/// Reads every row of `query` with `next_into`, and each again with
/// `from_record`: both must agree.
async fn measurements(
    session: &mut neo_runtime::Session,
    query: &str,
) -> Vec<neo_runtime::Result<Measurement>> {
    let streamed = {
        let mut result = session.run(query).await.unwrap();
        let mut rows = Vec::new();
        while let Some(row) = result.next_into::<Measurement>().await {
            rows.push(row);
        }
        rows
    };
    let records = session.run(query).await.unwrap().collect().await.unwrap();
    assert_eq!(records.len(), streamed.len());
    for (record, row) in records.iter().zip(&streamed) {
        match (
            <Measurement as neo_runtime::FromRecord>::from_record(record),
            row,
        ) {
            (Ok(a), Ok(b)) => assert_eq!(&a, b),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("from_record {a:?}, next_into {b:?}"),
        }
    }
    streamed
}

#[tokio::test]
async fn a_derived_row_reads_the_same_whatever_the_order_of_its_columns() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let expected = |id: i64| Measurement {
        id,
        name: format!("m{id}"),
        weight: 0.5,
        status: Status::Active,
        flag: id % 2 == 0,
    };
    // The fields' order, then another order, then with a column to skip.
    for query in [
        "UNWIND range(1, 3) AS i RETURN i AS id, 'm' + i AS label, 0.5 AS weight, 'active' AS status, i % 2 = 0 AS flag",
        "UNWIND range(1, 3) AS i RETURN i % 2 = 0 AS flag, 'active' AS status, 0.5 AS weight, 'm' + i AS label, i AS id",
        "UNWIND range(1, 3) AS i RETURN i AS id, 'm' + i AS label, 0.5 AS weight, 'active' AS status, i % 2 = 0 AS flag, 'x' AS extra",
    ] {
        let rows = measurements(&mut session, query).await;
        let rows: Vec<Measurement> = rows.into_iter().map(Result::unwrap).collect();
        assert_eq!(rows, [expected(1), expected(2), expected(3)], "{query}");
    }
    // A null for a defaulted field, in order.
    let rows = measurements(
        &mut session,
        "RETURN 7 AS id, 'm7' AS label, null AS weight, 'active' AS status, false AS flag",
    )
    .await;
    assert_eq!(rows[0].as_ref().unwrap().weight, 0.0);
    // A value of the wrong type, in order and not: the same error.
    for query in [
        "RETURN 1 AS id, 2 AS label, 0.5 AS weight, 'active' AS status, true AS flag",
        "RETURN 2 AS label, 1 AS id, 0.5 AS weight, 'active' AS status, true AS flag",
    ] {
        let rows = measurements(&mut session, query).await;
        assert_eq!(
            rows[0].as_ref().unwrap_err().to_string(),
            "cannot decode `Measurement.name` from column `label`: expected String, found Integer",
            "{query}"
        );
    }
}
