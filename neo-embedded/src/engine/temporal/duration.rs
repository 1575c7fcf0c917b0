//! Durations: months, days, seconds and nanoseconds kept apart (a month has
//! no fixed number of days, nor a day of seconds), normalised as Neo4j's
//! `DurationValue` is, with overflow reported rather than wrapped.

use std::fmt::{self, Write as _};

use super::{
    Date, DateTime, LocalDateTime, LocalTime, NANOS_PER_DAY, NANOS_PER_SECOND, Time, Zone,
};
use crate::engine::error::{EngineError, Result};

/// Average seconds of a Gregorian month (365.2425 days / 12).
const AVG_SECONDS_PER_MONTH: f64 = 2_629_746.0;
const SECONDS_PER_DAY_F: f64 = 86_400.0;

/// A temporal amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Duration {
    pub(crate) months: i64,
    pub(crate) days: i64,
    pub(crate) seconds: i64,
    /// Nanoseconds added to `seconds`, `0..10⁹` (as in `java.time.Duration`).
    pub(crate) nanos: i64,
}

fn overflow() -> EngineError {
    EngineError::integer_overflow()
}

impl Duration {
    pub(crate) const ZERO: Duration = Duration {
        months: 0,
        days: 0,
        seconds: 0,
        nanos: 0,
    };

    /// A normalised duration.
    pub(crate) fn new(months: i64, days: i64, seconds: i64, nanos: i64) -> Result<Duration> {
        let seconds = seconds
            .checked_add(nanos.div_euclid(NANOS_PER_SECOND))
            .ok_or_else(overflow)?;
        let nanos = nanos.rem_euclid(NANOS_PER_SECOND);
        Ok(Duration {
            months,
            days,
            seconds,
            nanos,
        })
    }

    /// A duration as received over the wire: kept as given when it is
    /// already normalised, normalised otherwise.
    pub(crate) fn from_parts(months: i64, days: i64, seconds: i64, nanos: i64) -> Result<Duration> {
        if (0..NANOS_PER_SECOND).contains(&nanos) {
            Ok(Duration {
                months,
                days,
                seconds,
                nanos,
            })
        } else {
            Duration::new(months, days, seconds, nanos)
        }
    }

    pub(crate) fn negate(self) -> Result<Duration> {
        Duration::new(
            self.months.checked_neg().ok_or_else(overflow)?,
            self.days.checked_neg().ok_or_else(overflow)?,
            self.seconds.checked_neg().ok_or_else(overflow)?,
            -self.nanos,
        )
    }

    pub(crate) fn add(self, other: Duration) -> Result<Duration> {
        Duration::new(
            self.months.checked_add(other.months).ok_or_else(overflow)?,
            self.days.checked_add(other.days).ok_or_else(overflow)?,
            self.seconds
                .checked_add(other.seconds)
                .ok_or_else(overflow)?,
            self.nanos + other.nanos,
        )
    }

    pub(crate) fn sub(self, other: Duration) -> Result<Duration> {
        Duration::new(
            self.months.checked_sub(other.months).ok_or_else(overflow)?,
            self.days.checked_sub(other.days).ok_or_else(overflow)?,
            self.seconds
                .checked_sub(other.seconds)
                .ok_or_else(overflow)?,
            self.nanos - other.nanos,
        )
    }

    pub(crate) fn mul_int(self, factor: i64) -> Result<Duration> {
        let nanos = i128::from(self.nanos) * i128::from(factor);
        let extra_seconds =
            i64::try_from(nanos / i128::from(NANOS_PER_SECOND)).map_err(|_| overflow())?;
        Duration::new(
            self.months.checked_mul(factor).ok_or_else(overflow)?,
            self.days.checked_mul(factor).ok_or_else(overflow)?,
            self.seconds
                .checked_mul(factor)
                .and_then(|s| s.checked_add(extra_seconds))
                .ok_or_else(overflow)?,
            (nanos % i128::from(NANOS_PER_SECOND)) as i64,
        )
    }

    pub(crate) fn mul_float(self, factor: f64) -> Result<Duration> {
        approximate(
            self.months as f64 * factor,
            self.days as f64 * factor,
            self.seconds as f64 * factor,
            self.nanos as f64 * factor,
        )
    }

    pub(crate) fn div(self, divisor: f64) -> Result<Duration> {
        if divisor == 0.0 {
            return Err(EngineError::arithmetic("/ by zero"));
        }
        approximate(
            self.months as f64 / divisor,
            self.days as f64 / divisor,
            self.seconds as f64 / divisor,
            self.nanos as f64 / divisor,
        )
    }

    /// A component (`years`, `minutesOfHour`, …); `None` for an unknown name.
    pub(crate) fn component(self, name: &str) -> Option<i64> {
        let lower = name.to_ascii_lowercase();
        Some(match lower.as_str() {
            "years" => self.months / 12,
            "quarters" => self.months / 3,
            "months" => self.months,
            "weeks" => self.days / 7,
            "days" => self.days,
            "hours" => self.seconds / 3600,
            "minutes" => self.seconds / 60,
            "seconds" => self.seconds,
            // 64-bit arithmetic that wraps, as Neo4j's does.
            "milliseconds" => self
                .seconds
                .wrapping_mul(1000)
                .wrapping_add(self.nanos / 1_000_000),
            "microseconds" => self
                .seconds
                .wrapping_mul(1_000_000)
                .wrapping_add(self.nanos / 1000),
            "nanoseconds" => self
                .seconds
                .wrapping_mul(NANOS_PER_SECOND)
                .wrapping_add(self.nanos),
            "quartersofyear" => self.months / 3 % 4,
            "monthsofquarter" => self.months % 3,
            "monthsofyear" => self.months % 12,
            "daysofweek" => self.days % 7,
            "minutesofhour" => self.seconds / 60 % 60,
            "secondsofminute" => self.seconds % 60,
            "millisecondsofsecond" => self.nanos / 1_000_000,
            "microsecondsofsecond" => self.nanos / 1000,
            "nanosecondsofsecond" => self.nanos,
            _ => return None,
        })
    }

    /// The sum of the parts in nanoseconds, months and days at their
    /// average length (for ordering only).
    pub(crate) fn average_nanos(self) -> i128 {
        i128::from(self.months) * (AVG_SECONDS_PER_MONTH as i128) * i128::from(NANOS_PER_SECOND)
            + i128::from(self.days) * i128::from(NANOS_PER_DAY)
            + i128::from(self.seconds) * i128::from(NANOS_PER_SECOND)
            + i128::from(self.nanos)
    }
}

fn to_long(value: f64) -> Result<i64> {
    if value.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&value) {
        return Err(EngineError::arithmetic(format!(
            "Duration component value out of range: {value}"
        )));
    }
    Ok(value as i64)
}

/// A duration from fractional parts, spilling fractions downwards at
/// average lengths (Neo4j's `DurationValue.approximate`).
pub(crate) fn approximate(months: f64, days: f64, seconds: f64, nanos: f64) -> Result<Duration> {
    let nanos_per_second = NANOS_PER_SECOND as f64;
    let whole_months = to_long(months)?;
    let month_rest_nanos = AVG_SECONDS_PER_MONTH * nanos_per_second * months
        - AVG_SECONDS_PER_MONTH * nanos_per_second * whole_months as f64;
    let days = days + month_rest_nanos / (nanos_per_second * SECONDS_PER_DAY_F);
    let whole_days = to_long(days)?;
    let day_rest_nanos = nanos_per_second * SECONDS_PER_DAY_F * days
        - nanos_per_second * SECONDS_PER_DAY_F * whole_days as f64;
    let seconds = seconds + day_rest_nanos / nanos_per_second;
    let whole_seconds = to_long(seconds)?;
    let second_rest_nanos = nanos_per_second * seconds - nanos_per_second * whole_seconds as f64;
    let nanos = nanos + second_rest_nanos;
    let whole_nanos = to_long(nanos)?;
    Duration::new(whole_months, whole_days, whole_seconds, whole_nanos)
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Duration::ZERO {
            return f.write_str("PT0S");
        }
        let mut out = String::from("P");
        let part = |out: &mut String, value: i64, unit: char| {
            if value != 0 {
                let _ = write!(out, "{value}{unit}");
            }
        };
        part(&mut out, self.months / 12, 'Y');
        part(&mut out, self.months % 12, 'M');
        part(&mut out, self.days, 'D');
        let total =
            i128::from(self.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanos);
        if total != 0 {
            out.push('T');
            let sign = if total < 0 { "-" } else { "" };
            let abs = total.unsigned_abs();
            let per_second = NANOS_PER_SECOND as u128;
            let hours = abs / (3600 * per_second);
            let minutes = abs / (60 * per_second) % 60;
            let seconds = abs / per_second % 60;
            let nanos = (abs % per_second) as i64;
            if hours != 0 {
                let _ = write!(out, "{sign}{hours}H");
            }
            if minutes != 0 {
                let _ = write!(out, "{sign}{minutes}M");
            }
            if seconds != 0 || nanos != 0 {
                let _ = write!(out, "{sign}{seconds}");
                fraction(&mut out, nanos);
                out.push('S');
            }
        }
        f.write_str(&out)
    }
}

fn fraction(out: &mut String, nanos: i64) {
    if nanos == 0 {
        return;
    }
    let mut digits = format!("{:09}", nanos.unsigned_abs());
    while digits.ends_with('0') {
        digits.pop();
    }
    out.push('.');
    out.push_str(&digits);
}

/// `duration({years: …, days: 1.5, …})`.
pub(crate) fn duration_from_map(entries: &[(String, DurationNumber)]) -> Result<Duration> {
    const KEYS: [&str; 11] = [
        "years",
        "quarters",
        "months",
        "weeks",
        "days",
        "hours",
        "minutes",
        "seconds",
        "milliseconds",
        "microseconds",
        "nanoseconds",
    ];
    let mut values = [DurationNumber::Int(0); 11];
    for (key, value) in entries {
        let lower = key.to_ascii_lowercase();
        let Some(index) = KEYS.iter().position(|k| *k == lower) else {
            return Err(EngineError::argument(format!("No such field: {key}")));
        };
        values[index] = *value;
    }
    let all_ints = values.iter().all(|v| matches!(v, DurationNumber::Int(_)));
    if all_ints {
        let v = |i: usize| match values[i] {
            DurationNumber::Int(x) => x,
            DurationNumber::Float(x) => x as i64,
        };
        let mul = |a: i64, b: i64| a.checked_mul(b).ok_or_else(overflow);
        let add = |a: i64, b: i64| a.checked_add(b).ok_or_else(overflow);
        let months = add(add(mul(v(0), 12)?, mul(v(1), 3)?)?, v(2))?;
        let days = add(mul(v(3), 7)?, v(4))?;
        let seconds = add(add(mul(v(5), 3600)?, mul(v(6), 60)?)?, v(7))?;
        let nanos = i128::from(v(8)) * 1_000_000 + i128::from(v(9)) * 1000 + i128::from(v(10));
        let extra = i64::try_from(nanos / i128::from(NANOS_PER_SECOND)).map_err(|_| overflow())?;
        Duration::new(
            months,
            days,
            add(seconds, extra)?,
            (nanos % i128::from(NANOS_PER_SECOND)) as i64,
        )
    } else {
        let v = |i: usize| match values[i] {
            DurationNumber::Int(x) => x as f64,
            DurationNumber::Float(x) => x,
        };
        approximate(
            v(0) * 12.0 + v(1) * 3.0 + v(2),
            v(3) * 7.0 + v(4),
            v(5) * 3600.0 + v(6) * 60.0 + v(7),
            v(8) * 1e6 + v(9) * 1e3 + v(10),
        )
    }
}

/// A number given to `duration({…})`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DurationNumber {
    Int(i64),
    Float(f64),
}

/// What `duration.between` and friends compare.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Moment {
    Date(Date),
    LocalTime(LocalTime),
    Time(Time),
    LocalDateTime(LocalDateTime),
    DateTime(DateTime),
}

/// A moment with every part it lacks marked absent.
#[derive(Debug, Clone, Copy)]
struct Parts {
    date: Option<Date>,
    time: Option<LocalTime>,
    offset: Option<i32>,
    zone: Option<Zone>,
}

impl Parts {
    fn of(moment: Moment) -> Parts {
        match moment {
            Moment::Date(date) => Parts {
                date: Some(date),
                time: None,
                offset: None,
                zone: None,
            },
            Moment::LocalTime(time) => Parts {
                date: None,
                time: Some(time),
                offset: None,
                zone: None,
            },
            Moment::Time(time) => Parts {
                date: None,
                time: Some(time.local),
                offset: Some(time.offset),
                zone: Some(Zone::Offset(time.offset)),
            },
            Moment::LocalDateTime(dt) => Parts {
                date: Some(dt.date),
                time: Some(dt.time),
                offset: None,
                zone: None,
            },
            Moment::DateTime(dt) => Parts {
                date: Some(dt.local.date),
                time: Some(dt.local.time),
                offset: Some(dt.offset),
                zone: Some(dt.zone),
            },
        }
    }
}

/// Which part of the difference `duration.between` and friends compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BetweenUnit {
    /// `duration.between`: months, days, then the rest.
    All,
    /// `duration.inMonths`.
    Months,
    /// `duration.inDays`.
    Days,
    /// `duration.inSeconds`.
    Seconds,
}

/// The duration from `from` to `to` (`duration.between`, `inMonths`,
/// `inDays`, `inSeconds`).
pub(crate) fn between(from: Moment, to: Moment, unit: BetweenUnit) -> Result<Duration> {
    let mut a = Parts::of(from);
    let mut b = Parts::of(to);
    let midnight = LocalTime { nanos: 0 };
    // Attach midnight to a date where the other side (or the unit) has time.
    let time_based = unit == BetweenUnit::Seconds;
    if (time_based || b.time.is_some()) && a.time.is_none() && a.date.is_some() {
        a.time = Some(midnight);
    }
    if (time_based || a.time.is_some()) && b.time.is_none() && b.date.is_some() {
        b.time = Some(midnight);
    }
    // A side without a date takes the other side's date.
    if a.date.is_none() && b.date.is_some() && a.time.is_some() {
        a.date = b.date;
    } else if b.date.is_none() && a.date.is_some() && b.time.is_some() {
        b.date = a.date;
    }
    // A side without a zone is read in the other side's zone (once it has
    // its date, so that a named zone gives the offset of that day).
    match (a.zone, b.zone) {
        (Some(zone), None) => attach_zone(&mut b, zone)?,
        (None, Some(zone)) => attach_zone(&mut a, zone)?,
        _ => {}
    }
    let both_dates = a.date.is_some() && b.date.is_some();
    match unit {
        BetweenUnit::Months | BetweenUnit::Days => {
            if !both_dates {
                return Ok(Duration::ZERO);
            }
            let (from, to) = align(a, b)?;
            let months = unit == BetweenUnit::Months;
            let amount = until_date_unit(from, to, months);
            if months {
                Duration::new(amount, 0, 0, 0)
            } else {
                Duration::new(0, amount, 0, 0)
            }
        }
        BetweenUnit::Seconds => {
            let nanos = until_nanos(a, b)?;
            let seconds =
                i64::try_from(nanos / i128::from(NANOS_PER_SECOND)).map_err(|_| overflow())?;
            Duration::new(0, 0, seconds, (nanos % i128::from(NANOS_PER_SECOND)) as i64)
        }
        BetweenUnit::All => {
            let mut months = 0;
            let mut days = 0;
            let mut from = a;
            if both_dates {
                let (aligned_from, to) = align(a, b)?;
                months = until_date_unit(aligned_from, to, true);
                from = plus_date_unit(a, months, true)?;
                let (aligned_from, to) = align(from, b)?;
                days = until_date_unit(aligned_from, to, false);
                from = plus_date_unit(from, days, false)?;
            }
            let nanos = until_nanos(from, b)?;
            let seconds =
                i64::try_from(nanos / i128::from(NANOS_PER_SECOND)).map_err(|_| overflow())?;
            Duration::new(
                months,
                days,
                seconds,
                (nanos % i128::from(NANOS_PER_SECOND)) as i64,
            )
        }
    }
}

fn attach_zone(parts: &mut Parts, zone: Zone) -> Result<()> {
    parts.zone = Some(zone);
    parts.offset = Some(match (parts.date, parts.time) {
        (Some(date), Some(time)) => {
            DateTime::from_local(LocalDateTime { date, time }, zone)?.offset
        }
        (Some(date), None) => {
            DateTime::from_local(
                LocalDateTime {
                    date,
                    time: LocalTime { nanos: 0 },
                },
                zone,
            )?
            .offset
        }
        _ => match zone {
            Zone::Offset(offset) => offset,
            Zone::Named(_) => DateTime::from_instant(super::now_utc(), zone)?.offset,
        },
    });
    Ok(())
}

/// `from` and `to` as wall clocks in `from`'s zone, for date-based units.
fn align(from: Parts, to: Parts) -> Result<(LocalDateTime, LocalDateTime)> {
    let clock = |p: Parts| LocalDateTime {
        date: p.date.unwrap_or(Date { days: 0 }),
        time: p.time.unwrap_or(LocalTime { nanos: 0 }),
    };
    let a = clock(from);
    let mut b = clock(to);
    if let (Some(zone), Some(offset_a), Some(offset_b)) = (from.zone, from.offset, to.offset) {
        let instant = DateTime {
            local: b,
            offset: offset_b,
            zone,
        };
        let _ = offset_a;
        b = instant.with_zone_same_instant(zone)?.local;
    }
    Ok((a, b))
}

/// Whole months or days from `a` to `b` (`LocalDateTime.until`).
fn until_date_unit(a: LocalDateTime, b: LocalDateTime, months: bool) -> i64 {
    let mut end = b.date;
    if end > a.date && b.time < a.time {
        end.days -= 1;
    } else if end < a.date && b.time > a.time {
        end.days += 1;
    }
    if months {
        let (y1, m1, d1) = a.date.ymd();
        let (y2, m2, d2) = end.ymd();
        let packed1 = (y1 * 12 + m1 - 1) * 32 + d1;
        let packed2 = (y2 * 12 + m2 - 1) * 32 + d2;
        (packed2 - packed1) / 32
    } else {
        end.days - a.date.days
    }
}

/// `parts` plus months or days, on the wall clock, re-resolving the offset
/// in its zone.
fn plus_date_unit(parts: Parts, amount: i64, months: bool) -> Result<Parts> {
    let Some(date) = parts.date else {
        return Ok(parts);
    };
    let date = if months {
        date.plus_months(amount)?
    } else {
        date.plus_days(amount)?
    };
    let mut out = Parts {
        date: Some(date),
        ..parts
    };
    if let (Some(zone @ Zone::Named(_)), Some(time)) = (parts.zone, parts.time) {
        let resolved = DateTime::from_local(LocalDateTime { date, time }, zone)?;
        out.date = Some(resolved.local.date);
        out.time = Some(resolved.local.time);
        out.offset = Some(resolved.offset);
    }
    Ok(out)
}

/// Nanoseconds from `a` to `b`, on the instant line when both have offsets.
fn until_nanos(a: Parts, b: Parts) -> Result<i128> {
    let value = |p: Parts| -> i128 {
        let day = p
            .date
            .map_or(0, |d| i128::from(d.days) * i128::from(NANOS_PER_DAY));
        let time = p.time.map_or(0, |t| i128::from(t.nanos));
        let offset = p
            .offset
            .map_or(0, |o| i128::from(o) * i128::from(NANOS_PER_SECOND));
        day + time - offset
    };
    if a.date.is_some() != b.date.is_some() {
        // Only the times of day can be compared.
        let strip = |p: Parts| Parts { date: None, ..p };
        return Ok(value(strip(b)) - value(strip(a)));
    }
    Ok(value(b) - value(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_neo4j() {
        let d = Duration::new(14, 16, 12 * 3600 + 45 * 60 + 30, 250_000_000).unwrap();
        assert_eq!(d.to_string(), "P1Y2M16DT12H45M30.25S");
        assert_eq!(
            Duration::new(0, 0, 0, -500_000_000).unwrap().to_string(),
            "PT-0.5S"
        );
        assert_eq!(
            Duration::new(0, 0, -90, 0).unwrap().to_string(),
            "PT-1M-30S"
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let max = Duration::new(i64::MAX, 0, 0, 0).unwrap();
        assert!(max.add(Duration::new(1, 0, 0, 0).unwrap()).is_err());
    }

    #[test]
    fn between_dates() {
        let a = Date::from_ymd(2018, 1, 1).unwrap();
        let b = Date::from_ymd(2019, 2, 3).unwrap();
        let d = between(Moment::Date(a), Moment::Date(b), BetweenUnit::All).unwrap();
        assert_eq!(d.to_string(), "P1Y1M2D");
    }
}
