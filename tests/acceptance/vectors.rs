//! The values of Bolt 6: vectors as parameters, in records and in derived
//! structs, and the placeholder of a type the protocol version cannot
//! carry; servers before Bolt 6 never see either.

use neo_embedded::{Answer, EmbeddedServer, ServerConfig, Trigger};
use neo_runtime::types::{UnsupportedType, Value, Vector, VectorType};
use neo_runtime::{BoltVersion, Driver, ErrorKind, Query, QueryConfig, SessionConfig, transform};

/// A server that answers queries mentioning `$` with their parameters.
fn echoing(version: BoltVersion) -> (EmbeddedServer, Driver) {
    let server = EmbeddedServer::start(ServerConfig::new().max_bolt_version(version)).unwrap();
    server
        .controls()
        .answer(Trigger::on("RUN").query_contains("$"), Answer::Parameters);
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    (server, driver)
}

fn every_type() -> Vec<Vector> {
    vec![
        Vector::from(vec![i8::MIN, 0, i8::MAX]),
        Vector::from(vec![i16::MIN, 7, i16::MAX]),
        Vector::from(vec![i32::MIN, 7, i32::MAX]),
        Vector::from(vec![i64::MIN, 7, i64::MAX]),
        Vector::from(vec![0.25_f32, -1.5, f32::MAX]),
        Vector::from(vec![1e-300_f64, -2.5, f64::MAX]),
    ]
}

#[tokio::test]
async fn vectors_of_every_type_go_out_as_parameters_and_come_back() {
    let (_server, driver) = echoing(BoltVersion::V6_0);
    assert_eq!(
        driver.server_info().await.unwrap().protocol_version,
        BoltVersion::V6_0
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    for vector in every_type() {
        let record = session
            .run(Query::new("RETURN $v AS v").param("v", vector.clone()))
            .await
            .unwrap()
            .single()
            .await
            .unwrap();
        assert_eq!(record.get("v").unwrap(), Value::Vector(vector.clone()));
        let back: Vector = record.get_as("v").unwrap();
        assert_eq!(back.element_type(), vector.element_type());
        assert_eq!(back, vector);
    }
}

#[derive(Debug, neo_runtime::Record)]
struct Document {
    title: String,
    embedding: Vector,
    /// A vector reads as a list of numbers too.
    scores: Vec<f64>,
}

#[derive(Debug, serde::Deserialize)]
struct Row {
    embedding: Vec<f32>,
    counts: Vec<i64>,
}

#[tokio::test]
async fn vectors_read_into_derived_structs_and_serde_rows() {
    let (_server, driver) = echoing(BoltVersion::V6_0);
    let embedding = Vector::from(vec![0.5_f32, -1.25, 2.0]);
    let query = Query::new("RETURN $embedding, $scores, $title")
        .param("title", "On vectors")
        .param("embedding", embedding.clone())
        .param("scores", Vector::from(vec![1.5_f64, 2.5]));
    let documents = driver
        .execute_query_with(
            query,
            QueryConfig::default(),
            transform::records::<Document>(),
        )
        .await
        .unwrap();
    assert_eq!(documents.len(), 1);
    let document = &documents[0];
    assert_eq!(document.title, "On vectors");
    assert_eq!(document.embedding, embedding);
    assert_eq!(document.embedding.element_type(), VectorType::F32);
    assert_eq!(document.scores, [1.5, 2.5]);

    let rows = driver
        .execute_query_with(
            Query::new("RETURN $embedding, $counts")
                .param("embedding", embedding)
                .param("counts", Vector::from(vec![3_i16, -4])),
            QueryConfig::default(),
            transform::rows::<Row>(),
        )
        .await
        .unwrap();
    assert_eq!(rows[0].embedding, [0.5, -1.25, 2.0]);
    assert_eq!(rows[0].counts, [3, -4]);
}

#[tokio::test]
async fn a_server_before_bolt_6_never_sees_a_vector() {
    let (server, driver) = echoing(BoltVersion::V5_8);
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let error = session
        .run(Query::new("RETURN $v AS v").param("v", Vector::from(vec![1.0_f32])))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnsupportedFeature);
    assert!(error.to_string().contains("Bolt 6.0"), "{error}");
    assert_eq!(server.controls().received("RUN"), 0, "nothing was sent");
    // The session goes on, and plain values still travel.
    let record = session
        .run(Query::new("RETURN $n AS n").param("n", 1))
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(record.get_as::<i64>("n").unwrap(), 1);
}

#[derive(Debug, neo_runtime::Record)]
struct Typed {
    #[allow(dead_code)]
    future: i64,
}

#[tokio::test]
async fn a_placeholder_stands_for_a_value_the_protocol_cannot_carry() {
    let server = neo_tests::server();
    let placeholder = UnsupportedType::new(
        "QUANTUM_STATE",
        BoltVersion::new(6, 9),
        Some("upgrade the driver".into()),
    );
    server.controls().answer(
        Trigger::on("RUN").query_contains("future"),
        Answer::Rows {
            fields: vec!["future".into()],
            rows: vec![vec![Value::from(placeholder.clone())]],
        },
    );
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let record = session
        .run("RETURN future")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let Value::Unsupported(received) = record.get("future").unwrap() else {
        panic!("a placeholder was sent");
    };
    assert_eq!(*received, placeholder);
    assert_eq!(received.name(), "QUANTUM_STATE");
    assert_eq!(received.minimum_protocol_version(), BoltVersion::new(6, 9));
    assert_eq!(received.message(), Some("upgrade the driver"));

    let error = neo_runtime::FromRecord::from_record(&record)
        .map(|_: Typed| ())
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Mapping);
    let message = error.to_string();
    assert!(
        message.contains("QUANTUM_STATE") && message.contains("6.9"),
        "{message}"
    );
}
