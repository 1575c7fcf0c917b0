//! Cypher's temporal values: dates, times, date-times and durations, with
//! `java.time`'s rules (Neo4j's reference): the year range ±999,999,999,
//! nanosecond precision, fixed offsets and named IANA zones (through
//! `chrono-tz`), ISO 8601 text both ways, component access, arithmetic,
//! truncation and `duration.between`.

mod arith;
pub(crate) mod calendar;
mod construct;
mod duration;
mod parse;
mod truncate;

pub(crate) use arith::{date_plus, datetime_plus, local_datetime_plus, local_time_plus, time_plus};
pub(crate) use construct::{
    build_date, build_datetime, build_local_datetime, build_local_time, build_time,
    datetime_from_epoch,
};
pub(crate) use duration::{
    BetweenUnit, Duration, DurationNumber, Moment, between, duration_from_map,
};
pub(crate) use parse::{
    parse_date, parse_datetime, parse_duration, parse_local_datetime, parse_local_time, parse_time,
    parse_zone,
};
pub(crate) use truncate::{TruncateTo, truncate};

use std::cmp::Ordering;
use std::fmt::{self, Write as _};

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;

use super::error::{EngineError, Result};

pub(crate) const NANOS_PER_SECOND: i64 = 1_000_000_000;
pub(crate) const SECONDS_PER_DAY: i64 = 86_400;
pub(crate) const NANOS_PER_DAY: i64 = SECONDS_PER_DAY * NANOS_PER_SECOND;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date {
    /// Days since 1970-01-01.
    pub(crate) days: i64,
}

/// A time of day without a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct LocalTime {
    /// Nanoseconds since midnight.
    pub(crate) nanos: i64,
}

/// A time of day with a UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Time {
    /// The wall-clock time.
    pub(crate) local: LocalTime,
    /// Seconds east of UTC.
    pub(crate) offset: i32,
}

/// A date and time without a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct LocalDateTime {
    /// The date.
    pub(crate) date: Date,
    /// The time of day.
    pub(crate) time: LocalTime,
}

/// A named zone or a fixed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Zone {
    /// A fixed offset, seconds east of UTC.
    Offset(i32),
    /// A named zone of the IANA database.
    Named(Tz),
}

/// A date-time in a zone: its wall-clock reading, the offset in force then
/// and the zone (as `java.time.ZonedDateTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DateTime {
    /// The wall-clock reading.
    pub(crate) local: LocalDateTime,
    /// The offset in force, seconds east of UTC.
    pub(crate) offset: i32,
    /// The zone.
    pub(crate) zone: Zone,
}

fn out_of_range(what: &str) -> EngineError {
    EngineError::argument(format!(
        "Invalid value for {what}: out of the supported range"
    ))
}

impl LocalTime {
    pub(crate) fn new(hour: i64, minute: i64, second: i64, nano: i64) -> Result<LocalTime> {
        let check = |value: i64, max: i64, name: &str| {
            if (0..max).contains(&value) {
                Ok(())
            } else {
                Err(EngineError::argument(format!(
                    "Invalid value for {name} (valid values 0 - {}): {value}",
                    max - 1
                )))
            }
        };
        check(hour, 24, "HourOfDay")?;
        check(minute, 60, "MinuteOfHour")?;
        check(second, 60, "SecondOfMinute")?;
        check(nano, NANOS_PER_SECOND, "NanoOfSecond")?;
        Ok(LocalTime {
            nanos: ((hour * 60 + minute) * 60 + second) * NANOS_PER_SECOND + nano,
        })
    }

    pub(crate) fn hour(self) -> i64 {
        self.nanos / (3600 * NANOS_PER_SECOND)
    }

    pub(crate) fn minute(self) -> i64 {
        self.nanos / (60 * NANOS_PER_SECOND) % 60
    }

    pub(crate) fn second(self) -> i64 {
        self.nanos / NANOS_PER_SECOND % 60
    }

    pub(crate) fn nano(self) -> i64 {
        self.nanos % NANOS_PER_SECOND
    }

    /// The time plus a signed number of nanoseconds, wrapping around midnight.
    pub(crate) fn plus_nanos(self, nanos: i128) -> LocalTime {
        LocalTime {
            nanos: (i128::from(self.nanos) + nanos).rem_euclid(i128::from(NANOS_PER_DAY)) as i64,
        }
    }
}

impl Date {
    pub(crate) fn from_ymd(year: i64, month: i64, day: i64) -> Result<Date> {
        if !(calendar::MIN_YEAR..=calendar::MAX_YEAR).contains(&year) {
            return Err(EngineError::argument(format!(
                "Invalid value for Year (valid values -999999999 - 999999999): {year}"
            )));
        }
        if !(1..=12).contains(&month) {
            return Err(EngineError::argument(format!(
                "Invalid value for MonthOfYear (valid values 1 - 12): {month}"
            )));
        }
        if !(1..=31).contains(&day) {
            return Err(EngineError::argument(format!(
                "Invalid value for DayOfMonth (valid values 1 - 28/31): {day}"
            )));
        }
        calendar::checked_days_from_civil(year, month, day)
            .map(|days| Date { days })
            .ok_or_else(|| {
                EngineError::argument(format!("Invalid date '{year}-{month:02}-{day:02}'"))
            })
    }

    pub(crate) fn ymd(self) -> (i64, i64, i64) {
        calendar::civil_from_days(self.days)
    }

    pub(crate) fn checked(days: i64) -> Result<Date> {
        if calendar::in_range(days) {
            Ok(Date { days })
        } else {
            Err(out_of_range("Year"))
        }
    }

    pub(crate) fn plus_months(self, months: i64) -> Result<Date> {
        calendar::plus_months(self.days, months)
            .map(|days| Date { days })
            .ok_or_else(|| out_of_range("Year"))
    }

    pub(crate) fn plus_days(self, days: i64) -> Result<Date> {
        let days = self
            .days
            .checked_add(days)
            .ok_or_else(|| out_of_range("Year"))?;
        Date::checked(days)
    }
}

impl LocalDateTime {
    /// Seconds since the epoch, reading the wall clock as UTC.
    pub(crate) fn epoch_second(self) -> i64 {
        self.date.days * SECONDS_PER_DAY + self.time.nanos / NANOS_PER_SECOND
    }

    /// Nanoseconds since the epoch, reading the wall clock as UTC.
    pub(crate) fn epoch_nanos(self) -> i128 {
        i128::from(self.date.days) * i128::from(NANOS_PER_DAY) + i128::from(self.time.nanos)
    }

    /// The wall clock `nanos` after the epoch.
    pub(crate) fn from_epoch_nanos(nanos: i128) -> Result<LocalDateTime> {
        let per_day = i128::from(NANOS_PER_DAY);
        let days = i64::try_from(nanos.div_euclid(per_day)).map_err(|_| out_of_range("Year"))?;
        Ok(LocalDateTime {
            date: Date::checked(days)?,
            time: LocalTime {
                nanos: nanos.rem_euclid(per_day) as i64,
            },
        })
    }

    pub(crate) fn from_epoch_second(seconds: i64, nano: i64) -> Result<LocalDateTime> {
        LocalDateTime::from_epoch_nanos(
            i128::from(seconds) * i128::from(NANOS_PER_SECOND) + i128::from(nano),
        )
    }

    pub(crate) fn plus_nanos(self, nanos: i128) -> Result<LocalDateTime> {
        LocalDateTime::from_epoch_nanos(self.epoch_nanos() + nanos)
    }
}

/// The offset of `zone` at the UTC instant `utc` (a wall clock read as UTC).
pub(crate) fn offset_at_instant(zone: Zone, utc: LocalDateTime) -> i32 {
    match zone {
        Zone::Offset(offset) => offset,
        Zone::Named(tz) => {
            let seconds = utc
                .epoch_second()
                .clamp(CHRONO_MIN_SECONDS, CHRONO_MAX_SECONDS);
            match chrono::DateTime::from_timestamp(seconds, 0) {
                Some(instant) => tz
                    .offset_from_utc_datetime(&instant.naive_utc())
                    .fix()
                    .local_minus_utc(),
                None => 0,
            }
        }
    }
}

/// The range of instants `chrono` can represent (years ±262,000).
const CHRONO_MIN_SECONDS: i64 = -8_210_266_876_800;
const CHRONO_MAX_SECONDS: i64 = 8_210_298_412_799;

impl DateTime {
    /// The date-time at wall clock `local` in `zone`; a wall clock in a gap
    /// moves forward by the gap, one in an overlap takes the earlier offset
    /// (as `ZonedDateTime.ofLocal`).
    pub(crate) fn from_local(local: LocalDateTime, zone: Zone) -> Result<DateTime> {
        match zone {
            Zone::Offset(offset) => Ok(DateTime {
                local,
                offset,
                zone,
            }),
            Zone::Named(_) => {
                let seconds = local.epoch_second();
                let before = offset_at_instant(
                    zone,
                    LocalDateTime::from_epoch_second(seconds - SECONDS_PER_DAY, 0)?,
                );
                let after = offset_at_instant(
                    zone,
                    LocalDateTime::from_epoch_second(seconds + SECONDS_PER_DAY, 0)?,
                );
                let valid = |offset: i32| {
                    let utc = LocalDateTime::from_epoch_second(seconds - i64::from(offset), 0);
                    utc.map(|utc| offset_at_instant(zone, utc) == offset)
                        .unwrap_or(false)
                };
                // An overlap: both offsets are valid; the earlier instant has
                // the larger offset.
                let offset = match (valid(before), valid(after)) {
                    (true, true) => before.max(after),
                    (true, false) => before,
                    (false, true) => after,
                    (false, false) => {
                        // A gap: move forward by its length.
                        let gap = i64::from(after - before);
                        let moved = local.plus_nanos(i128::from(gap * NANOS_PER_SECOND))?;
                        return Ok(DateTime {
                            local: moved,
                            offset: after,
                            zone,
                        });
                    }
                };
                Ok(DateTime {
                    local,
                    offset,
                    zone,
                })
            }
        }
    }

    /// The date-time at the UTC instant `utc` in `zone`.
    pub(crate) fn from_instant(utc: LocalDateTime, zone: Zone) -> Result<DateTime> {
        let offset = offset_at_instant(zone, utc);
        Ok(DateTime {
            local: utc.plus_nanos(i128::from(offset) * i128::from(NANOS_PER_SECOND))?,
            offset,
            zone,
        })
    }

    /// The UTC wall clock of the instant.
    pub(crate) fn utc(self) -> LocalDateTime {
        // Cannot leave the range: offsets are at most 18 hours.
        self.local
            .plus_nanos(-i128::from(self.offset) * i128::from(NANOS_PER_SECOND))
            .unwrap_or(self.local)
    }

    pub(crate) fn epoch_nanos(self) -> i128 {
        self.local.epoch_nanos() - i128::from(self.offset) * i128::from(NANOS_PER_SECOND)
    }

    /// The same instant in another zone.
    pub(crate) fn with_zone_same_instant(self, zone: Zone) -> Result<DateTime> {
        DateTime::from_instant(self.utc(), zone)
    }
}

impl Time {
    /// Nanoseconds of the day at UTC, for comparisons.
    pub(crate) fn utc_nanos(self) -> i64 {
        self.local.nanos - i64::from(self.offset) * NANOS_PER_SECOND
    }
}

/// Order of two times by their instant at UTC, then by wall clock
/// (`OffsetTime.compareTo`).
pub(crate) fn compare_times(a: &Time, b: &Time) -> Ordering {
    a.utc_nanos()
        .cmp(&b.utc_nanos())
        .then(a.local.nanos.cmp(&b.local.nanos))
}

/// Order of two date-times by instant, then wall clock, then zone name.
pub(crate) fn compare_datetimes(a: &DateTime, b: &DateTime) -> Ordering {
    a.epoch_nanos()
        .cmp(&b.epoch_nanos())
        .then(a.local.cmp(&b.local))
        .then_with(|| zone_name(a.zone).cmp(&zone_name(b.zone)))
}

/// The zone's id as Neo4j prints it (`+01:00`, `Z`, `Europe/Stockholm`).
pub(crate) fn zone_name(zone: Zone) -> String {
    match zone {
        Zone::Offset(offset) => format_offset(offset),
        Zone::Named(tz) => tz.name().to_owned(),
    }
}

/// `Z`, `+01:00` or `+01:00:30`.
pub(crate) fn format_offset(offset: i32) -> String {
    if offset == 0 {
        return "Z".to_owned();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    let (hours, minutes, seconds) = (abs / 3600, abs / 60 % 60, abs % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}:{minutes:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}:{seconds:02}")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        if year > 9999 {
            write!(f, "+{year}")?;
        } else if year < 0 {
            write!(f, "-{:04}", -year)?;
        } else {
            write!(f, "{year:04}")?;
        }
        write!(f, "-{month:02}-{day:02}")
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}:{:02}",
            self.hour(),
            self.minute(),
            self.second()
        )?;
        let nano = self.nano();
        if nano != 0 {
            let mut digits = format!("{nano:09}");
            while digits.ends_with('0') {
                digits.pop();
            }
            write!(f, ".{digits}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.local, format_offset(self.offset))
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{}", self.date, self.time)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.local, format_offset(self.offset))?;
        if let Zone::Named(tz) = self.zone {
            f.write_char('[')?;
            f.write_str(tz.name())?;
            f.write_char(']')?;
        }
        Ok(())
    }
}

/// The current instant, as a UTC wall clock.
pub(crate) fn now_utc() -> LocalDateTime {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let nanos = i128::try_from(since.as_nanos()).unwrap_or(0);
    LocalDateTime::from_epoch_nanos(nanos).unwrap_or(LocalDateTime {
        date: Date { days: 0 },
        time: LocalTime { nanos: 0 },
    })
}

/// A component of a date (`year`, `month`, `week`, …); `None` if it has no
/// such component.
pub(crate) fn date_component(date: Date, name: &str) -> Option<i64> {
    let (year, month, day) = date.ymd();
    Some(match name {
        "year" => year,
        "quarter" => calendar::quarter_of(month),
        "month" => month,
        "week" => calendar::iso_week(date.days).1,
        "weekYear" => calendar::iso_week(date.days).0,
        "dayOfQuarter" => calendar::day_of_quarter(date.days),
        "quarterDay" => calendar::day_of_quarter(date.days),
        "day" => day,
        "ordinalDay" => calendar::ordinal_day(date.days),
        "dayOfWeek" | "weekDay" => calendar::day_of_week(date.days),
        _ => return None,
    })
}

/// A component of a time of day (`hour`, `millisecond`, …).
pub(crate) fn time_component(time: LocalTime, name: &str) -> Option<i64> {
    Some(match name {
        "hour" => time.hour(),
        "minute" => time.minute(),
        "second" => time.second(),
        "millisecond" => time.nano() / 1_000_000,
        "microsecond" => time.nano() / 1_000,
        "nanosecond" => time.nano(),
        _ => return None,
    })
}

/// The zone components of a time or date-time.
pub(crate) fn zone_component(offset: i32, zone: Zone, name: &str) -> Option<ZoneComponent> {
    Some(match name {
        "timezone" => ZoneComponent::Text(match zone {
            Zone::Offset(_) => format_offset(offset),
            Zone::Named(tz) => tz.name().to_owned(),
        }),
        "offset" => ZoneComponent::Text(format_offset(offset)),
        "offsetMinutes" => ZoneComponent::Number(i64::from(offset) / 60),
        "offsetSeconds" => ZoneComponent::Number(i64::from(offset)),
        _ => return None,
    })
}

/// A zone component: a name or a number.
pub(crate) enum ZoneComponent {
    Text(String),
    Number(i64),
}

/// Seconds and nanoseconds since the epoch of a date-time's instant
/// (`epochSeconds`, `epochMillis`).
pub(crate) fn epoch_component(datetime: DateTime, name: &str) -> Option<i64> {
    let nanos = datetime.epoch_nanos();
    match name {
        "epochSeconds" => i64::try_from(nanos.div_euclid(i128::from(NANOS_PER_SECOND))).ok(),
        "epochMillis" => i64::try_from(nanos.div_euclid(1_000_000)).ok(),
        _ => None,
    }
}

/// Resolves a zone name or offset text (`Europe/Stockholm`, `+01:00`, `Z`).
pub(crate) fn zone_from_text(text: &str) -> Result<Zone> {
    parse_zone(text)
        .ok_or_else(|| EngineError::argument(format!("Invalid value for TimeZone: Text '{text}'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_java_time() {
        let date = Date::from_ymd(2015, 7, 21).unwrap();
        assert_eq!(date.to_string(), "2015-07-21");
        let time = LocalTime::new(0, 0, 0, 0).unwrap();
        assert_eq!(time.to_string(), "00:00:00");
        let time = LocalTime::new(21, 40, 32, 142_000_000).unwrap();
        assert_eq!(time.to_string(), "21:40:32.142");
        assert_eq!(format_offset(3600), "+01:00");
        assert_eq!(format_offset(-5400), "-01:30");
        assert_eq!(Date::from_ymd(-1, 1, 1).unwrap().to_string(), "-0001-01-01");
        assert_eq!(
            Date::from_ymd(10000, 1, 1).unwrap().to_string(),
            "+10000-01-01"
        );
    }

    #[test]
    fn named_zones_resolve_offsets_with_daylight_saving() {
        let zone = Zone::Named(Tz::Europe__Stockholm);
        let summer = LocalDateTime {
            date: Date::from_ymd(2017, 7, 1).unwrap(),
            time: LocalTime::new(12, 0, 0, 0).unwrap(),
        };
        assert_eq!(DateTime::from_local(summer, zone).unwrap().offset, 7200);
        // In the spring gap: 02:30 moves to 03:30.
        let gap = LocalDateTime {
            date: Date::from_ymd(2017, 3, 26).unwrap(),
            time: LocalTime::new(2, 30, 0, 0).unwrap(),
        };
        let moved = DateTime::from_local(gap, zone).unwrap();
        assert_eq!((moved.local.time.hour(), moved.offset), (3, 7200));
    }
}
