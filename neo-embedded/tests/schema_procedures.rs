//! `db.schema.nodeTypeProperties()` and `db.schema.relTypeProperties()` over
//! TCP: Neo4j 5's columns and value shapes, `YIELD`/`RETURN`/`ORDER BY`, and
//! reads of the transaction's own writes.

mod server_support;

use neo_bolt::message::TxExtra;
use neo_bolt::packstream::Value;
use neo_embedded::ServerConfig;
use server_support::*;

fn s(text: &str) -> Value {
    Value::from(text)
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|t| s(t)).collect())
}

const GRAPH: &str = "CREATE (k:Person {name: 'Keanu', born: 1964}), \
     (c:Person {name: 'Carrie'}), \
     (:Person:Actor {name: 'Hugo', born: 1960, height: 1.88, tags: ['a', 'b']}), \
     (m:Movie), \
     (:`Odd Label` {`odd key`: true, day: date('2024-01-02')}), \
     (k)-[:ACTED_IN {roles: ['Neo']}]->(m), \
     (c)-[:ACTED_IN {roles: ['Trinity'], lead: false}]->(m), \
     (k)-[:LIKES]->(c)";

#[tokio::test]
async fn node_type_properties_has_neo4j_columns_and_shapes() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.query(GRAPH).await;

    client
        .send_all(vec![run("CALL db.schema.nodeTypeProperties()"), pull_all()])
        .await;
    let fields = client.next().await.success();
    assert_eq!(
        fields["fields"],
        strings(&[
            "nodeType",
            "nodeLabels",
            "propertyName",
            "propertyTypes",
            "mandatory"
        ])
    );
    let (rows, summary) = client.records().await;
    assert_eq!(summary.success()["type"], s("r"));
    let row = |node_type: &str, labels: &[&str], name: Option<&str>, types: &[&str], m: bool| {
        vec![
            s(node_type),
            strings(labels),
            name.map_or(Value::Null, s),
            if name.is_some() {
                strings(types)
            } else {
                Value::Null
            },
            Value::Boolean(m),
        ]
    };
    let actor = |name: &str, types: &[&str]| {
        row(
            ":`Actor`:`Person`",
            &["Actor", "Person"],
            Some(name),
            types,
            true,
        )
    };
    assert_eq!(
        rows,
        vec![
            actor("born", &["Long"]),
            actor("height", &["Double"]),
            actor("name", &["String"]),
            actor("tags", &["StringArray"]),
            row(":`Movie`", &["Movie"], None, &[], false),
            row(":`Odd Label`", &["Odd Label"], Some("day"), &["Date"], true),
            row(
                ":`Odd Label`",
                &["Odd Label"],
                Some("odd key"),
                &["Boolean"],
                true
            ),
            row(":`Person`", &["Person"], Some("born"), &["Long"], false),
            row(":`Person`", &["Person"], Some("name"), &["String"], true),
        ]
    );
}

#[tokio::test]
async fn rel_type_properties_has_neo4j_columns_and_shapes() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.query(GRAPH).await;

    client
        .send_all(vec![run("CALL db.schema.relTypeProperties()"), pull_all()])
        .await;
    let fields = client.next().await.success();
    assert_eq!(
        fields["fields"],
        strings(&["relType", "propertyName", "propertyTypes", "mandatory"])
    );
    let (rows, _) = client.records().await;
    assert_eq!(
        rows,
        vec![
            vec![
                s(":`ACTED_IN`"),
                s("lead"),
                strings(&["Boolean"]),
                Value::Boolean(false)
            ],
            vec![
                s(":`ACTED_IN`"),
                s("roles"),
                strings(&["StringArray"]),
                Value::Boolean(true)
            ],
            vec![
                s(":`LIKES`"),
                Value::Null,
                Value::Null,
                Value::Boolean(false)
            ],
        ]
    );
}

#[tokio::test]
async fn yield_where_return_and_order_by_apply_to_the_rows() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.query(GRAPH).await;

    let (rows, _) = client
        .query(
            "CALL db.schema.nodeTypeProperties() \
             YIELD nodeType, propertyName, mandatory \
             WHERE mandatory \
             RETURN nodeType AS type, propertyName ORDER BY propertyName DESC, type",
        )
        .await;
    let pairs: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_owned(),
                r[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        (":`Actor`:`Person`", "tags"),
        (":`Odd Label`", "odd key"),
        (":`Actor`:`Person`", "name"),
        (":`Person`", "name"),
        (":`Actor`:`Person`", "height"),
        (":`Odd Label`", "day"),
        (":`Actor`:`Person`", "born"),
    ];
    assert_eq!(pairs, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));

    let (rows, _) = client
        .query(
            "CALL db.schema.relTypeProperties() YIELD relType, propertyName \
             RETURN relType, count(propertyName) AS properties ORDER BY relType",
        )
        .await;
    assert_eq!(
        rows,
        vec![
            vec![s(":`ACTED_IN`"), Value::Integer(2)],
            vec![s(":`LIKES`"), Value::Integer(0)],
        ]
    );
}

#[tokio::test]
async fn the_procedures_read_the_transactions_own_writes() {
    let server = start(ServerConfig::new()).await;
    let mut writer = RawClient::open(&server).await;
    writer.query("CREATE (:Kept {id: 1})").await;
    writer.send(begin(TxExtra::default())).await;
    writer.next().await.success();
    writer
        .send_all(vec![run("CREATE (:Draft {title: 'x'})"), pull_all()])
        .await;
    writer.next().await.success();
    writer.records().await.1.success();
    writer
        .send_all(vec![
            run("CALL db.schema.nodeTypeProperties() YIELD nodeType RETURN nodeType"),
            pull_all(),
        ])
        .await;
    writer.next().await.success();
    let (rows, _) = writer.records().await;
    assert_eq!(rows, vec![vec![s(":`Draft`")], vec![s(":`Kept`")]]);

    writer.send(neo_bolt::message::Request::Rollback).await;
    writer.next().await.success();
    let (rows, _) = writer
        .query("CALL db.schema.nodeTypeProperties() YIELD nodeType, mandatory RETURN *")
        .await;
    assert_eq!(rows.len(), 1, "{rows:?}");
}

#[tokio::test]
async fn unlabelled_nodes_have_an_empty_node_type() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.query("CREATE ({x: 1}), ({x: 'a', y: 2})").await;
    let (rows, _) = client.query("CALL db.schema.nodeTypeProperties()").await;
    assert_eq!(
        rows,
        vec![
            vec![
                s(""),
                strings(&[]),
                s("x"),
                strings(&["Long", "String"]),
                Value::Boolean(true)
            ],
            vec![
                s(""),
                strings(&[]),
                s("y"),
                strings(&["Long"]),
                Value::Boolean(false)
            ],
        ]
    );
}

#[tokio::test]
async fn label_type_and_key_listings_have_neo4j_columns() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.query(GRAPH).await;

    for (query, column, expected) in [
        (
            "CALL db.labels()",
            "label",
            &["Actor", "Movie", "Odd Label", "Person"][..],
        ),
        (
            "CALL db.relationshipTypes()",
            "relationshipType",
            &["ACTED_IN", "LIKES"],
        ),
        (
            "CALL db.propertyKeys()",
            "propertyKey",
            &[
                "born", "day", "height", "lead", "name", "odd key", "roles", "tags",
            ],
        ),
    ] {
        client.send_all(vec![run(query), pull_all()]).await;
        let fields = client.next().await.success();
        assert_eq!(fields["fields"], strings(&[column]), "{query}");
        let (rows, _) = client.records().await;
        let mut values: Vec<&str> = rows.iter().map(|r| r[0].as_str().unwrap()).collect();
        values.sort();
        assert_eq!(values, expected, "{query}");
    }
}
