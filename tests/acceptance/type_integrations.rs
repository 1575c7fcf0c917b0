//! Types of the ecosystem as parameters and results over TCP (features
//! `time`, `jiff`, `uuid`, `json`, `geo`): each travels as its Neo4j type
//! and comes back equal, read with `FromValue`, as fields of a derived
//! struct, and (for `uuid` and `serde_json`, which are `Serialize`) passed
//! to `Query::param` as they are. The embedded engine stores no points, so
//! points are sent back by the server as it decoded them (`Answer::Parameters`).

use neo_embedded::{Answer, Trigger};
use neo_runtime::{Driver, FromValue, Query, Record, Session, SessionConfig, Value};
use serde_json::json;
use uuid::Uuid;

/// Runs `RETURN $v AS v` with `value` and gives back what the server
/// returned.
async fn echo(session: &mut Session, value: Value) -> Value {
    session
        .run(Query::new("RETURN $v AS v").param("v", value))
        .await
        .unwrap()
        .single()
        .await
        .unwrap()
        .get("v")
        .unwrap()
}

/// The boolean column `same` of a query run with `parameters`.
async fn server_says(session: &mut Session, query: &str, parameters: Vec<(&str, Value)>) -> bool {
    let mut query = Query::new(query);
    for (name, value) in parameters {
        query = query.param(name, value);
    }
    session
        .run(query)
        .await
        .unwrap()
        .single()
        .await
        .unwrap()
        .get_as("same")
        .unwrap()
}

/// The values the server builds from Cypher temporal functions.
const SERVER_TEMPORALS: &str = "RETURN date('2024-02-29') AS d, \
    localtime('13:45:07.250000001') AS t, \
    localdatetime('2024-02-29T13:45:07.250000001') AS l, \
    datetime('2024-02-29T13:45:07.250000001+02:00') AS z, \
    datetime({year: 2024, month: 2, day: 29, hour: 13, minute: 45, second: 7, timezone: 'Europe/Paris'}) AS p, \
    duration({months: 14, days: 3, seconds: 7, nanoseconds: 9}) AS span, \
    duration({seconds: -90}) AS seconds";

/// Whether the server finds each parameter equal to the value its own
/// temporal functions build.
const SAME_AS_THE_SERVERS: &str = "RETURN $d = date('2024-02-29') \
    AND $t = localtime('13:45:07.250000001') \
    AND $l = localdatetime('2024-02-29T13:45:07.250000001') \
    AND $z = datetime('2024-02-29T13:45:07.250000001+02:00') AS same";

/// What `value` reads as after a round trip through the server.
async fn round_trip<T: FromValue>(session: &mut Session, value: impl Into<Value>) -> T {
    T::from_value(echo(session, value.into()).await).unwrap()
}

#[neo_runtime::test]
async fn time_values_travel_as_neo4j_temporal_values(mut session: Session) {
    use time::{Month, OffsetDateTime, PlainDateTime, SignedDuration, UtcDateTime, UtcOffset};

    let date = time::Date::from_calendar_date(2024, Month::February, 29).unwrap();
    let time = time::Time::from_hms_nano(13, 45, 7, 250_000_001).unwrap();
    let local = PlainDateTime::new(date, time);
    let zoned = local.assume_offset(UtcOffset::from_hms(2, 0, 0).unwrap());
    let duration = SignedDuration::new(-90, -5);

    assert!(matches!(
        echo(&mut session, Value::from(date)).await,
        Value::Date(_)
    ));
    assert_eq!(round_trip::<time::Date>(&mut session, date).await, date);
    assert_eq!(round_trip::<time::Time>(&mut session, time).await, time);
    assert_eq!(
        round_trip::<PlainDateTime>(&mut session, local).await,
        local
    );
    let read: OffsetDateTime = round_trip(&mut session, zoned).await;
    assert_eq!((read, read.offset()), (zoned, zoned.offset()));
    assert_eq!(
        round_trip::<UtcDateTime>(&mut session, zoned).await,
        zoned.to_utc()
    );
    assert_eq!(
        round_trip::<SignedDuration>(&mut session, duration).await,
        duration
    );

    // The server's own values read as the same ones, and the parameters
    // are the values the server's functions build.
    let record = session
        .run(SERVER_TEMPORALS)
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(
        time::Date::from_value(record.get("d").unwrap()).unwrap(),
        date
    );
    assert_eq!(
        time::Time::from_value(record.get("t").unwrap()).unwrap(),
        time
    );
    assert_eq!(
        PlainDateTime::from_value(record.get("l").unwrap()).unwrap(),
        local
    );
    assert_eq!(
        OffsetDateTime::from_value(record.get("z").unwrap()).unwrap(),
        zoned
    );
    assert_eq!(
        SignedDuration::from_value(record.get("seconds").unwrap()).unwrap(),
        SignedDuration::seconds(-90)
    );
    let same = vec![
        ("d", Value::from(date)),
        ("t", Value::from(time)),
        ("l", Value::from(local)),
        ("z", Value::from(zoned)),
    ];
    assert!(server_says(&mut session, SAME_AS_THE_SERVERS, same).await);
}

#[neo_runtime::test]
async fn jiff_values_travel_with_their_time_zone(mut session: Session) {
    use jiff::civil::{date, time};
    use jiff::{SignedDuration, Span, Timestamp, ToSpan, ZonedDateTime};

    let day = date(2024, 2, 29);
    let moment = time(13, 45, 7, 250_000_001);
    let local = day.to_datetime(moment);
    let paris: ZonedDateTime = local.in_tz("Europe/Paris").unwrap();
    let span = 14.months().days(3).seconds(7).nanoseconds(9);

    assert_eq!(
        round_trip::<jiff::civil::Date>(&mut session, day).await,
        day
    );
    assert_eq!(
        round_trip::<jiff::civil::Time>(&mut session, moment).await,
        moment
    );
    assert_eq!(
        round_trip::<jiff::civil::DateTime>(&mut session, local).await,
        local
    );
    let returned = echo(&mut session, Value::from(paris.clone())).await;
    assert!(
        matches!(&returned, Value::DateTimeZoneId(zoned) if zoned.tz_id == "Europe/Paris"),
        "{returned:?}"
    );
    assert_eq!(ZonedDateTime::from_value(returned).unwrap(), paris);
    assert_eq!(
        round_trip::<Timestamp>(&mut session, paris.timestamp()).await,
        paris.timestamp()
    );
    let read: Span = round_trip(&mut session, span).await;
    assert_eq!(read.fieldwise(), span.fieldwise());
    let duration = SignedDuration::new(3600, 1);
    assert_eq!(
        round_trip::<SignedDuration>(&mut session, duration).await,
        duration
    );

    let record = session
        .run(SERVER_TEMPORALS)
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(
        jiff::civil::Date::from_value(record.get("d").unwrap()).unwrap(),
        day
    );
    assert_eq!(
        jiff::civil::Time::from_value(record.get("t").unwrap()).unwrap(),
        moment
    );
    assert_eq!(
        jiff::civil::DateTime::from_value(record.get("l").unwrap()).unwrap(),
        local
    );
    let at_offset = ZonedDateTime::from_value(record.get("z").unwrap()).unwrap();
    assert_eq!(at_offset.datetime(), local);
    assert_eq!(at_offset.offset().seconds(), 7200);
    let in_paris = ZonedDateTime::from_value(record.get("p").unwrap()).unwrap();
    assert_eq!(
        in_paris,
        date(2024, 2, 29)
            .at(13, 45, 7, 0)
            .in_tz("Europe/Paris")
            .unwrap()
    );
    let read = Span::from_value(record.get("span").unwrap()).unwrap();
    assert_eq!(
        read.fieldwise(),
        14.months().days(3).seconds(7).nanoseconds(9).fieldwise()
    );
    let at_offset = local
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(2)))
        .unwrap();
    let same = vec![
        ("d", Value::from(day)),
        ("t", Value::from(moment)),
        ("l", Value::from(local)),
        ("z", Value::from(at_offset)),
    ];
    assert!(server_says(&mut session, SAME_AS_THE_SERVERS, same).await);
}

#[neo_runtime::test]
async fn uuids_travel_as_strings(mut session: Session) {
    let id = Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
    let record = session
        .run(
            Query::new("CREATE (p:Person {id: $id}) RETURN p.id AS id, $same AS same")
                .param("id", id)
                .param("same", Value::from(id)),
        )
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(
        record.get("id").unwrap(),
        Value::from("67e55044-10b1-426f-9247-bb680e5fe0c8")
    );
    assert_eq!(Uuid::from_value(record.get("same").unwrap()).unwrap(), id);
    assert_eq!(
        record.get_as::<Uuid>("id").unwrap(),
        id,
        "through serde too"
    );
    let found: i64 = session
        .run(Query::new("MATCH (p:Person {id: $id}) RETURN count(p) AS n").param("id", id))
        .await
        .unwrap()
        .single()
        .await
        .unwrap()
        .get_as("n")
        .unwrap();
    assert_eq!(found, 1, "a UUID parameter matches the string stored");
}

#[neo_runtime::test]
async fn json_documents_travel_as_maps_lists_and_scalars(mut session: Session) {
    let document = json!({
        "name": "Ann",
        "born": 1980,
        "score": 0.5,
        "admin": false,
        "nickname": null,
        "tags": ["a", 1, [2.5]],
        "address": {"city": "Rome", "zip": "00184"}
    });
    let record = session
        .run(
            Query::new("RETURN $serialized AS serialized, $converted AS converted, $serialized.address.city AS city")
                .param("serialized", &document)
                .param("converted", Value::try_from(document.clone()).unwrap()),
        )
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(
        serde_json::Value::from_value(record.get("serialized").unwrap()).unwrap(),
        document
    );
    assert_eq!(
        serde_json::Value::from_value(record.get("converted").unwrap()).unwrap(),
        document
    );
    assert_eq!(
        record.get("city").unwrap(),
        Value::from("Rome"),
        "a map to the server"
    );
}

/// A server that answers every query mentioning `echo` with the
/// parameters it decoded, and a session on it.
fn echo_server() -> (neo_embedded::EmbeddedServer, Driver, Session) {
    let (server, driver) = neo_tests::start();
    server.controls().answer(
        Trigger::on("RUN").query_contains("echo"),
        Answer::Parameters,
    );
    let session = driver.session(SessionConfig::default()).unwrap();
    (server, driver, session)
}

#[tokio::test]
async fn geo_points_travel_as_wgs84_points() {
    let (_server, _driver, mut session) = echo_server();
    let rome = geo_types::Point::new(12.4964, 41.9028);
    let routes = vec![rome, geo_types::Point::new(2.3522, 48.8566)];
    let record = session
        .run(
            Query::new("RETURN 'echo'")
                .param("point", Value::from(rome))
                .param("route", Value::from(routes.clone())),
        )
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let point = record.get("point").unwrap();
    assert!(
        matches!(point, Value::Point2D(point) if point.srid == 4326),
        "{point:?}"
    );
    assert_eq!(geo_types::Point::from_value(point).unwrap(), rome);
    assert_eq!(
        Vec::<geo_types::Point>::from_value(record.get("route").unwrap()).unwrap(),
        routes
    );
}

/// A row whose fields are all types of other crates.
#[derive(Debug, Record)]
struct Visit {
    id: Uuid,
    day: time::Date,
    at: jiff::ZonedDateTime,
    place: geo_types::Point,
    notes: serde_json::Value,
    left: Option<jiff::Timestamp>,
}

#[tokio::test]
async fn derived_structs_read_fields_of_other_crates() {
    let (_server, _driver, mut session) = echo_server();
    let id = Uuid::from_u128(7);
    let day = time::Date::from_calendar_date(2024, time::Month::March, 1).unwrap();
    let at = jiff::civil::date(2024, 3, 1)
        .at(9, 30, 0, 0)
        .in_tz("Europe/Rome")
        .unwrap();
    let place = geo_types::Point::new(12.5, 41.9);
    let notes = json!({"rating": 5, "tags": ["museum"]});
    let visit: Visit = session
        .run(
            Query::new("RETURN 'echo'")
                .param("id", id)
                .param("day", Value::from(day))
                .param("at", Value::from(at.clone()))
                .param("place", Value::from(place))
                .param("notes", &notes)
                .param("left", Value::Null),
        )
        .await
        .unwrap()
        .next_into::<Visit>()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(visit.id, id);
    assert_eq!(visit.day, day);
    assert_eq!(visit.at, at);
    assert_eq!(visit.place, place);
    assert_eq!(visit.notes, notes);
    assert_eq!(visit.left, None);
}
