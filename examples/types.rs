//! Types applications already use, as parameters and results: a `jiff`
//! zoned date-time (with its time zone), a `uuid::Uuid` and a
//! `serde_json::Value`, stored on a node and read back into a derived
//! struct (features `jiff`, `uuid` and `json` of `neo-runtime`; `time`,
//! `chrono` and `geo` work the same way).
//!
//! Runs against `NEO4J_URI` (with `NEO4J_USER` / `NEO4J_PASSWORD`) when set,
//! otherwise against an embedded server started in-process:
//!
//! ```sh
//! cargo run --example types
//! ```

use jiff::ZonedDateTime;
use neo_runtime::{FromRecord, Query, Record, SessionConfig, Value};
use uuid::Uuid;

/// A booking as the query returns it.
#[derive(Debug, Record)]
struct Booking {
    id: Uuid,
    begins: ZonedDateTime,
    details: serde_json::Value,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let connection = neo_examples::connect().await?;
    let mut session = connection.driver.session(SessionConfig::default())?;

    let id = Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
    let begins = jiff::civil::date(2025, 3, 30)
        .at(1, 30, 0, 0)
        .in_tz("Europe/Paris")?;
    let details = serde_json::json!({"room": "Ada", "seats": 12, "tags": ["projector"]});

    // A `Uuid` is a string to Neo4j, a zoned date-time a DATETIME with its
    // zone id; JSON objects are maps (nested maps are not property values,
    // so this one is returned, not stored).
    let record = session
        .run(
            Query::new(
                "CREATE (b:Booking {id: $id, begins: $begins}) \
                 RETURN b.id AS id, b.begins AS begins, $details AS details",
            )
            .param("id", id)
            .param("begins", Value::from(begins.clone()))
            .param("details", &details),
        )
        .await?
        .single()
        .await?;
    let booking = Booking::from_record(&record)?;
    println!("{booking:?}");
    assert_eq!((booking.id, &booking.begins), (id, &begins));
    assert_eq!(booking.details, details);

    let found = session
        .run(Query::new("MATCH (b:Booking {id: $id}) RETURN count(b)").param("id", id))
        .await?
        .single()
        .await?
        .value()?;
    println!("bookings with id {id}: {found}");
    session.close().await;
    Ok(())
}
