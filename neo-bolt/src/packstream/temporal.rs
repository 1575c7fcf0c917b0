//! Temporal values, faithful to their wire form.
//!
//! These types hold exactly what Bolt sends, so nothing is lost in a round
//! trip; conversions to calendar libraries live in the driver.

/// A date, as days since 1970-01-01.
///
/// ```
/// use neo_bolt::packstream::Date;
/// assert_eq!(Date { days: 0 }, Date::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Date {
    /// Days since the Unix epoch (negative before it).
    pub days: i64,
}

/// A time of day with a UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Time {
    /// Nanoseconds since local midnight.
    pub nanoseconds: i64,
    /// The offset from UTC, in seconds.
    pub tz_offset_seconds: i64,
}

/// A time of day without a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LocalTime {
    /// Nanoseconds since midnight.
    pub nanoseconds: i64,
}

/// An instant with a UTC offset.
///
/// `seconds` always counts from the Unix epoch in UTC. Over Bolt 4.4 without
/// the `utc` patch the wire carries wall-clock seconds; the codec converts
/// both ways, which is exact because the offset is known.
///
/// ```
/// use neo_bolt::packstream::DateTime;
/// // 1970-01-01T02:15:00.000000042+01:00
/// let t = DateTime { seconds: 4500, nanoseconds: 42, tz_offset_seconds: 3600 };
/// assert_eq!(t.local_seconds(), 8100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DateTime {
    /// Seconds since the Unix epoch, in UTC.
    pub seconds: i64,
    /// Nanoseconds within the second (0..1e9).
    pub nanoseconds: i64,
    /// The offset from UTC, in seconds.
    pub tz_offset_seconds: i64,
}

impl DateTime {
    /// The wall-clock seconds (UTC seconds plus the offset), as Bolt 4.4
    /// sends them without the `utc` patch. Saturates at the `i64` bounds.
    pub fn local_seconds(&self) -> i64 {
        self.seconds.saturating_add(self.tz_offset_seconds)
    }
}

/// An instant with a named time zone (IANA id such as `Europe/Paris`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DateTimeZoneId {
    /// Seconds since the Unix epoch, in UTC.
    pub seconds: i64,
    /// Nanoseconds within the second (0..1e9).
    pub nanoseconds: i64,
    /// The zone id.
    pub tz_id: String,
}

/// A date-time with a named zone as Bolt 4.4 sends it without the `utc`
/// patch: wall-clock seconds, which need the zone's rules to become an
/// instant, so they are kept as they came.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct LegacyDateTimeZoneId {
    /// Wall-clock seconds since 1970-01-01T00:00, read as if they were UTC.
    pub local_seconds: i64,
    /// Nanoseconds within the second (0..1e9).
    pub nanoseconds: i64,
    /// The zone id.
    pub tz_id: String,
}

/// A date-time without a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LocalDateTime {
    /// Wall-clock seconds since 1970-01-01T00:00, read as if they were UTC.
    pub seconds: i64,
    /// Nanoseconds within the second (0..1e9).
    pub nanoseconds: i64,
}

/// A temporal amount; each part is independent and may be negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    /// Months.
    pub months: i64,
    /// Days.
    pub days: i64,
    /// Seconds.
    pub seconds: i64,
    /// Nanoseconds.
    pub nanoseconds: i64,
}
