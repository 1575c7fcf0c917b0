//! Zoned date-times with the time-zone database (feature `chrono-tz`):
//! read with their zone's offset, refused when the zone is unknown, and
//! sent to a Bolt 4.4 server without the `utc` patch in wall-clock form.

use chrono::TimeZone;
use chrono_tz::Tz;
use neo_embedded::{Answer, EmbeddedServer, ServerConfig, Trigger};
use neo_runtime::types::{DateTimeZoneId, LegacyDateTimeZoneId, Value};
use neo_runtime::{BoltVersion, Driver, ErrorKind, FromValue, Query, SessionConfig};

/// 2022-06-07T09:52:05Z in a zone.
fn zoned(tz_id: &str) -> Value {
    Value::DateTimeZoneId(DateTimeZoneId {
        seconds: 1_654_595_525,
        nanoseconds: 0,
        tz_id: tz_id.into(),
    })
}

#[tokio::test]
async fn zoned_date_times_are_read_with_their_zone_and_unknown_zones_refused() {
    let (server, driver) = neo_tests::start();
    server.controls().answer(
        Trigger::on("RUN").query_contains("founded"),
        Answer::Rows {
            fields: vec!["dt".into()],
            rows: vec![vec![zoned("Europe/Neo4j")], vec![zoned("Europe/Stockholm")]],
        },
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut result = session
        .run("MATCH (n:State) RETURN n.founded AS dt")
        .await
        .unwrap();
    let unknown = result.next().await.unwrap().unwrap();
    let error = chrono::DateTime::<Tz>::from_value(unknown.get("dt").unwrap()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Mapping);
    assert!(error.to_string().contains("Europe/Neo4j"), "{error}");
    // The record after it reads as usual.
    let known = result.next().await.unwrap().unwrap();
    let founded = chrono::DateTime::<Tz>::from_value(known.get("dt").unwrap()).unwrap();
    let stockholm: Tz = "Europe/Stockholm".parse().unwrap();
    assert_eq!(
        founded,
        stockholm.with_ymd_and_hms(2022, 6, 7, 11, 52, 5).unwrap()
    );
    session.close().await;
}

#[tokio::test]
async fn bolt_4_4_without_the_utc_patch_gets_the_wall_clock_form() {
    let server = EmbeddedServer::start(
        ServerConfig::new()
            .max_bolt_version(BoltVersion::V4_4)
            .utc_patch(false),
    )
    .unwrap();
    server.controls().answer(
        Trigger::on("RUN").query_contains("echo"),
        Answer::Parameters,
    );
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let echoed = session
        .run(Query::new("RETURN $dt AS dt // echo").param("dt", zoned("Europe/Stockholm")))
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    // The server got (and sends back) 11:52:05 wall-clock time in Stockholm.
    assert_eq!(
        echoed.get("dt").unwrap(),
        Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
            local_seconds: 1_654_595_525 + 7200,
            nanoseconds: 0,
            tz_id: "Europe/Stockholm".into(),
        })
    );
    let instant = chrono::DateTime::<Tz>::from_value(echoed.get("dt").unwrap()).unwrap();
    assert_eq!(instant.timestamp(), 1_654_595_525);

    // A zone the database does not know cannot be put on the wall clock.
    let error = session
        .run(Query::new("RETURN $dt AS dt // echo").param("dt", zoned("Europe/Neo4j")))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Mapping, "{error}");
    session.close().await;
}
