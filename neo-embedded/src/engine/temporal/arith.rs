//! A temporal value plus or minus a duration: months, then days, then
//! seconds and nanoseconds, each part applied where the value has the
//! matching fields (as `DurationValue.addTo` does with `java.time`).

use super::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_SECOND, SECONDS_PER_DAY, Time,
    Zone,
};
use crate::engine::error::Result;

fn sign(amount: i64, negate: bool) -> i64 {
    if negate {
        amount.wrapping_neg()
    } else {
        amount
    }
}

fn time_nanos(d: &Duration, negate: bool) -> i128 {
    let total = i128::from(d.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(d.nanos);
    if negate { -total } else { total }
}

pub(crate) fn date_plus(date: Date, d: &Duration, negate: bool) -> Result<Date> {
    let mut out = date.plus_months(sign(d.months, negate))?;
    out = out.plus_days(sign(d.days, negate))?;
    // Whole days of the seconds part; the rest is below a date's precision.
    let days = d.seconds / SECONDS_PER_DAY;
    out.plus_days(sign(days, negate))
}

pub(crate) fn local_time_plus(time: LocalTime, d: &Duration, negate: bool) -> LocalTime {
    time.plus_nanos(time_nanos(d, negate))
}

pub(crate) fn time_plus(time: Time, d: &Duration, negate: bool) -> Time {
    Time {
        local: time.local.plus_nanos(time_nanos(d, negate)),
        offset: time.offset,
    }
}

pub(crate) fn local_datetime_plus(
    dt: LocalDateTime,
    d: &Duration,
    negate: bool,
) -> Result<LocalDateTime> {
    let date = dt.date.plus_months(sign(d.months, negate))?;
    let date = date.plus_days(sign(d.days, negate))?;
    LocalDateTime {
        date,
        time: dt.time,
    }
    .plus_nanos(time_nanos(d, negate))
}

pub(crate) fn datetime_plus(dt: DateTime, d: &Duration, negate: bool) -> Result<DateTime> {
    let mut out = dt;
    if d.months != 0 || d.days != 0 {
        let date = dt.local.date.plus_months(sign(d.months, negate))?;
        let date = date.plus_days(sign(d.days, negate))?;
        let local = LocalDateTime {
            date,
            time: dt.local.time,
        };
        out = resolve_preferring(local, dt.zone, dt.offset)?;
    }
    let nanos = time_nanos(d, negate);
    if nanos != 0 {
        let utc = out.utc().plus_nanos(nanos)?;
        out = DateTime::from_instant(utc, out.zone)?;
    }
    Ok(out)
}

/// The wall clock `local` in `zone`, keeping `preferred` when it is one of
/// the valid offsets (as `ZonedDateTime.plusDays` does in an overlap).
fn resolve_preferring(local: LocalDateTime, zone: Zone, preferred: i32) -> Result<DateTime> {
    let resolved = DateTime::from_local(local, zone)?;
    if resolved.offset != preferred && matches!(zone, Zone::Named(_)) {
        let utc = local.plus_nanos(-i128::from(preferred) * i128::from(NANOS_PER_SECOND))?;
        if super::offset_at_instant(zone, utc) == preferred {
            return Ok(DateTime {
                local,
                offset: preferred,
                zone,
            });
        }
    }
    Ok(resolved)
}
