//! `chrono` values as parameters and results over TCP (feature `chrono`).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::{AuthToken, Driver, FromValue, Query, SessionConfig, Value};

#[tokio::test]
async fn chrono_values_travel_as_neo4j_temporal_values() {
    let server = EmbeddedServer::start(ServerConfig::new()).unwrap();
    let driver = Driver::new(&server.uri(), AuthToken::basic("neo4j", "password")).unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let time = NaiveTime::from_hms_milli_opt(13, 45, 7, 250).unwrap();
    let local = date.and_time(time);
    let zoned: DateTime<FixedOffset> =
        DateTime::parse_from_rfc3339("2024-02-29T13:45:07+02:00").unwrap();
    let record = session
        .run(
            Query::new("RETURN $d AS d, $t AS t, $l AS l, $z AS z")
                .param("d", Value::from(date))
                .param("t", Value::from(time))
                .param("l", Value::from(local))
                .param("z", Value::from(zoned)),
        )
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(
        NaiveDate::from_value(record.get("d").unwrap()).unwrap(),
        date
    );
    assert_eq!(
        NaiveTime::from_value(record.get("t").unwrap()).unwrap(),
        time
    );
    assert_eq!(
        NaiveDateTime::from_value(record.get("l").unwrap()).unwrap(),
        local
    );
    assert_eq!(
        DateTime::<FixedOffset>::from_value(record.get("z").unwrap()).unwrap(),
        zoned
    );
}
