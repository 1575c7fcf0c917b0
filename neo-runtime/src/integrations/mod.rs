//! Types of other crates, each behind the cargo feature named after the
//! crate: [`FromValue`](crate::FromValue) reads them from records (and so
//! they can be the fields of derived structs), and `Value::from` (or
//! `Value::try_from` for JSON) makes them parameters.
//!
//! | feature | types | Neo4j values |
//! |---|---|---|
//! | `chrono` | `NaiveDate`, `NaiveTime`, `NaiveDateTime`, `DateTime<FixedOffset>`, `DateTime<Utc>` | temporal values |
//! | `time` | `Date`, `Time`, `PlainDateTime`, `OffsetDateTime`, `UtcDateTime`, `SignedDuration` | temporal values |
//! | `jiff` | `civil::{Date, Time, DateTime}`, `ZonedDateTime` (with its zone), `Timestamp`, `Span`, `SignedDuration` | temporal values |
//! | `uuid` | `Uuid` | strings |
//! | `json` | `serde_json::Value` | maps, lists and scalars |
//! | `geo` | `geo_types::Point` | 2D points |
//!
//! ```toml
//! [dependencies]
//! neo-runtime = { version = "0.1", features = ["jiff", "uuid"] }
//! ```

#[cfg(feature = "geo")]
pub mod geo;
#[cfg(feature = "jiff")]
pub mod jiff;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "time")]
pub mod time;
#[cfg(feature = "uuid")]
pub mod uuid;

#[cfg(any(feature = "time", feature = "jiff"))]
use crate::error::Error;

/// Nanoseconds in a second.
#[cfg(any(feature = "time", feature = "jiff"))]
const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// The error for a value the crate's type cannot hold.
#[cfg(any(feature = "time", feature = "jiff"))]
fn out_of_range(value: &impl std::fmt::Display, library: &str) -> Error {
    Error::mapping(format!(
        "{value} is outside the range {library} can represent"
    ))
}

/// Seconds and nanoseconds as one count of nanoseconds.
#[cfg(any(feature = "time", feature = "jiff"))]
fn total_nanoseconds(seconds: i64, nanoseconds: i64) -> i128 {
    i128::from(seconds) * i128::from(NANOS_PER_SECOND) + i128::from(nanoseconds)
}

/// Hours, minutes, seconds and nanoseconds of a time of day, if it is one.
#[cfg(any(feature = "time", feature = "jiff"))]
fn time_of_day(nanoseconds: i64) -> Option<(u8, u8, u8, u32)> {
    if !(0..86_400 * NANOS_PER_SECOND).contains(&nanoseconds) {
        return None;
    }
    let seconds = nanoseconds / NANOS_PER_SECOND;
    Some((
        u8::try_from(seconds / 3600).ok()?,
        u8::try_from(seconds / 60 % 60).ok()?,
        u8::try_from(seconds % 60).ok()?,
        u32::try_from(nanoseconds % NANOS_PER_SECOND).ok()?,
    ))
}

/// The error for a Neo4j duration with months or days read into a type of
/// seconds.
#[cfg(any(feature = "time", feature = "jiff"))]
fn calendar_duration(duration: &neo_bolt::packstream::Duration, target: &str) -> Error {
    Error::mapping(format!(
        "the duration {} has months or days, which have no fixed length in seconds; \
         read it into {target}, or return a duration of seconds from the query \
         (`duration.inSeconds(a, b)`)",
        neo_bolt::Value::Duration(*duration)
    ))
}
