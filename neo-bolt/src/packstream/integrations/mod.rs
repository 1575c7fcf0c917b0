//! Types of other crates as values, each behind the feature named after
//! the crate (`time`, `jiff`, `uuid`, `json`, `geo`), beside `chrono`'s
//! own module: `From` (or `TryFrom`) conversions into [`Value`](super::Value),
//! so that they can be passed wherever a value goes. Reading them back is
//! `FromValue`, in the driver.

#[cfg(feature = "geo")]
mod geo;
#[cfg(feature = "jiff")]
mod jiff;
#[cfg(feature = "json")]
mod json;
#[cfg(feature = "time")]
mod time;
#[cfg(feature = "uuid")]
mod uuid;

/// Nanoseconds in a second.
#[cfg(any(feature = "time", feature = "jiff"))]
const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// Seconds and nanoseconds within the second (`0..1e9`) of a count of
/// nanoseconds that fits them.
#[cfg(any(feature = "time", feature = "jiff"))]
fn seconds_and_nanos(nanoseconds: i128) -> (i64, i64) {
    let per_second = i128::from(NANOS_PER_SECOND);
    let seconds = nanoseconds.div_euclid(per_second);
    let nanos = nanoseconds.rem_euclid(per_second);
    (
        i64::try_from(seconds).unwrap_or(if seconds < 0 { i64::MIN } else { i64::MAX }),
        // Below a second.
        i64::try_from(nanos).unwrap_or(0),
    )
}
