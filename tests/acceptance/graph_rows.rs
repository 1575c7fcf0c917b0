//! Node and relationship structs read as columns of a `#[derive(Record)]`
//! row, decoded in place from the record bytes, over real TCP against the
//! embedded server: every kind of field, properties nobody reads, Bolt 4.4's
//! element ids, and the same errors as through `FromValue::from_value`.

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::{
    BoltVersion, Driver, FromRecord, FromValue, Node, Record, Relationship, SessionConfig,
};

#[derive(Debug, PartialEq, Node)]
#[neo(label = "Person")]
struct Person {
    #[neo(id)]
    id: i64,
    #[neo(element_id)]
    element_id: String,
    name: String,
    #[neo(rename = "born")]
    year: i64,
    score: f64,
    tags: Vec<String>,
    nickname: Option<String>,
    #[neo(default)]
    rank: i64,
}

#[derive(Debug, PartialEq, Relationship)]
#[neo(rel_type = "KNOWS")]
struct Knows {
    #[neo(id)]
    id: i64,
    #[neo(element_id)]
    element_id: String,
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
struct Row {
    a: Person,
    r: Knows,
    b: Person,
    after: String,
}

const CREATE: &str = "CREATE (:Person:Employee {name: 'Ann', born: 1990, score: 0.5, \
     tags: ['x', 'y'], rank: null, unread: [1, 2]})\
     -[:KNOWS {since: 2010, unread: 'z'}]->\
     (:Person {name: 'Ben', born: 1985, score: 1.5, tags: [], nickname: 'B', rank: 3})";

const READ: &str = "MATCH (a:Person)-[r:KNOWS]->(b:Person) \
     RETURN a, r, b, 'end' AS after, id(a) AS aid, elementId(a) AS aeid, id(r) AS rid, \
     elementId(r) AS reid, id(b) AS bid, elementId(b) AS beid";

async fn created_pair(driver: &Driver) -> Record {
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session.run(CREATE).await.unwrap().consume().await.unwrap();
    session.run(READ).await.unwrap().single().await.unwrap()
}

fn check_pair(row: &Row, record: &Record) {
    let int = |key: &str| record.get_as::<i64>(key).unwrap();
    let string = |key: &str| record.get_as::<String>(key).unwrap();
    assert_eq!(
        row.a,
        Person {
            id: int("aid"),
            element_id: string("aeid"),
            name: "Ann".into(),
            year: 1990,
            score: 0.5,
            tags: vec!["x".into(), "y".into()],
            nickname: None,
            rank: 0,
        }
    );
    assert_eq!(
        row.b,
        Person {
            id: int("bid"),
            element_id: string("beid"),
            name: "Ben".into(),
            year: 1985,
            score: 1.5,
            tags: vec![],
            nickname: Some("B".into()),
            rank: 3,
        }
    );
    assert_eq!(
        row.r,
        Knows {
            id: int("rid"),
            element_id: string("reid"),
            rel_type: "KNOWS".into(),
            from: int("aid"),
            to: int("bid"),
            from_element: string("aeid"),
            to_element: string("beid"),
            since: 2010,
        }
    );
    // The reader stood right after each structure: the next column reads.
    assert_eq!(row.after, "end");
    // The same as through `from_value`.
    assert_eq!(row.a, Person::from_value(record.get("a").unwrap()).unwrap());
    assert_eq!(row.r, Knows::from_value(record.get("r").unwrap()).unwrap());
}

#[tokio::test]
async fn nodes_and_relationships_are_read_in_place_with_every_kind_of_field() {
    let (_server, driver) = neo_tests::start();
    let record = created_pair(&driver).await;
    check_pair(&Row::from_record(&record).unwrap(), &record);
}

#[tokio::test]
async fn over_bolt_4_4_element_ids_are_the_decimal_ids() {
    let server =
        EmbeddedServer::start(ServerConfig::new().max_bolt_version(BoltVersion::V4_4)).unwrap();
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    let record = created_pair(&driver).await;
    let row = Row::from_record(&record).unwrap();
    check_pair(&row, &record);
    assert_eq!(row.a.element_id, row.a.id.to_string());
    assert_eq!(row.r.to_element, row.b.id.to_string());
}

/// The error of reading `query`'s one record as `R` (a row of one column
/// `a` of type `C`), next to the error of `C::from_value` on the column.
async fn errors<R: FromRecord + std::fmt::Debug, C: FromValue + std::fmt::Debug>(
    driver: &Driver,
    query: &str,
) -> (String, String) {
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let record = session.run(query).await.unwrap().single().await.unwrap();
    let in_place = R::from_record(&record).unwrap_err().to_string();
    // `next_into` builds the row where the record lies, with the same error.
    let mut result = session.run(query).await.unwrap();
    let streamed = result.next_into::<R>().await.unwrap().unwrap_err();
    assert_eq!(streamed.to_string(), in_place);
    let from_value = C::from_value(record.get("a").unwrap())
        .unwrap_err()
        .to_string();
    (in_place, from_value)
}

#[derive(Debug, Record)]
#[allow(dead_code)] // only its errors are read
struct OnePerson {
    a: Person,
}

#[derive(Debug, Record)]
#[allow(dead_code)] // only its errors are read
struct OneKnows {
    a: Knows,
}

#[tokio::test]
async fn what_does_not_fit_gives_the_errors_of_from_value() {
    let (_server, driver) = neo_tests::start();
    let cases = [
        (
            "CREATE (a:Robot {name: 'R2', born: 1, score: 1.0, tags: []}) RETURN a",
            "cannot decode `Person`: the node has no label `Person` (its labels are [Robot])",
        ),
        (
            "CREATE (a:Person {name: 'Ann', born: 'long ago', score: 1.0, tags: []}) RETURN a",
            "cannot decode `Person.year` from property `born`: expected Integer, found String",
        ),
        (
            "CREATE (a:Person {name: 'Ann', score: 1.0, tags: []}) RETURN a",
            "cannot decode `Person.year`: property `born` is missing",
        ),
        (
            "CREATE (a:Person {name: 'Ann', born: 1, score: 1.0, tags: [], rank: 'high'}) RETURN a",
            "cannot decode `Person.rank` from property `rank`: expected Integer, found String",
        ),
        (
            "RETURN 1 AS a",
            "cannot decode `Person`: expected Node, found Integer",
        ),
    ];
    for (query, expected) in cases {
        let (in_place, from_value) = errors::<OnePerson, Person>(&driver, query).await;
        assert_eq!(
            in_place,
            format!("cannot decode `OnePerson.a` from column `a`: {from_value}"),
            "{query}"
        );
        assert_eq!(from_value, expected, "{query}");
    }
    let (in_place, from_value) =
        errors::<OneKnows, Knows>(&driver, "CREATE ()-[a:LIKES {since: 1}]->() RETURN a").await;
    assert_eq!(
        from_value,
        "cannot decode `Knows`: the relationship has type `LIKES`, not `KNOWS`"
    );
    assert_eq!(
        in_place,
        format!("cannot decode `OneKnows.a` from column `a`: {from_value}")
    );
}
