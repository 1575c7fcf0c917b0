//! Temporal values from maps: `date({year: 1984, week: 10})`,
//! `datetime({date: d, time: t, timezone: 'Europe/Stockholm'})`, selecting
//! and overriding components of other temporal values.

use std::collections::BTreeMap;

use super::{
    Date, DateTime, LocalDateTime, LocalTime, NANOS_PER_SECOND, Time, Zone, calendar,
    zone_from_text,
};
use crate::engine::error::{EngineError, Result};
use crate::engine::value::Value;

/// The keys of a construction map, lower-cased.
struct Fields<'a> {
    map: BTreeMap<String, &'a Value>,
    kind: &'static str,
}

const DATE_KEYS: [&str; 8] = [
    "year",
    "month",
    "day",
    "week",
    "dayofweek",
    "quarter",
    "dayofquarter",
    "ordinalday",
];
const TIME_KEYS: [&str; 6] = [
    "hour",
    "minute",
    "second",
    "millisecond",
    "microsecond",
    "nanosecond",
];

impl<'a> Fields<'a> {
    fn new(map: &'a BTreeMap<String, Value>, kind: &'static str, allowed: &[&str]) -> Result<Self> {
        let mut out = BTreeMap::new();
        for (key, value) in map {
            let lower = key.to_ascii_lowercase();
            if !allowed.contains(&lower.as_str()) {
                return Err(EngineError::argument(format!(
                    "Cannot assign {key} to {kind}: no such field"
                )));
            }
            out.insert(lower, value);
        }
        Ok(Fields { map: out, kind })
    }

    fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    fn value(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).copied().filter(|v| !v.is_null())
    }

    fn int(&self, key: &str) -> Result<Option<i64>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Int(i)) => Ok(Some(*i)),
            Some(Value::String(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| EngineError::argument(format!("Invalid value for {key}: {s}"))),
            Some(other) => Err(EngineError::type_error(format!(
                "Invalid value for {key} of {}: expected an integer, got {}",
                self.kind,
                other.type_name()
            ))),
        }
    }

    fn zone(&self) -> Result<Option<Zone>> {
        match self.value("timezone") {
            None => Ok(None),
            Some(Value::String(s)) => zone_from_text(s).map(Some),
            Some(other) => Err(EngineError::type_error(format!(
                "Invalid value for timezone: expected a string, got {}",
                other.type_name()
            ))),
        }
    }

    fn any_of(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| self.has(k))
    }
}

fn invalid_combination(what: &str) -> EngineError {
    EngineError::argument(format!("Invalid temporal field combination: {what}"))
}

fn range(value: i64, lo: i64, hi: i64, name: &str) -> Result<i64> {
    if (lo..=hi).contains(&value) {
        Ok(value)
    } else {
        Err(EngineError::argument(format!(
            "Invalid value for {name} (valid values {lo} - {hi}): {value}"
        )))
    }
}

/// The date of a temporal value that has one.
fn date_of(value: &Value) -> Option<Date> {
    match value {
        Value::Date(d) => Some(*d),
        Value::LocalDateTime(dt) => Some(dt.date),
        Value::DateTime(dt) => Some(dt.local.date),
        _ => None,
    }
}

/// The time of day of a temporal value that has one, with its offset and
/// zone when it has them.
fn time_of(value: &Value) -> Option<(LocalTime, Option<(i32, Zone)>)> {
    match value {
        Value::LocalTime(t) => Some((*t, None)),
        Value::Time(t) => Some((t.local, Some((t.offset, Zone::Offset(t.offset))))),
        Value::LocalDateTime(dt) => Some((dt.time, None)),
        Value::DateTime(dt) => Some((dt.local.time, Some((dt.offset, dt.zone)))),
        _ => None,
    }
}

/// A date from the date fields, over `base` when given.
fn date_fields(fields: &Fields<'_>, base: Option<Date>) -> Result<Date> {
    let year = fields.int("year")?;
    let month = fields.int("month")?;
    let day = fields.int("day")?;
    let week = fields.int("week")?;
    let day_of_week = fields.int("dayofweek")?;
    let quarter = fields.int("quarter")?;
    let day_of_quarter = fields.int("dayofquarter")?;
    let ordinal = fields.int("ordinalday")?;
    let calendar_form = month.is_some() || day.is_some();
    let week_form = week.is_some() || day_of_week.is_some();
    let quarter_form = quarter.is_some() || day_of_quarter.is_some();
    let ordinal_form = ordinal.is_some();
    if [calendar_form, week_form, quarter_form, ordinal_form]
        .iter()
        .filter(|f| **f)
        .count()
        > 1
    {
        return Err(invalid_combination(
            "a date takes one of month/day, week/dayOfWeek, quarter/dayOfQuarter or ordinalDay",
        ));
    }
    let invalid = |what: &str| EngineError::argument(format!("Invalid date: {what}"));
    if let Some(base) = base {
        let (base_year, base_month, base_day) = base.ymd();
        let year = match year {
            Some(y) => range(y, calendar::MIN_YEAR, calendar::MAX_YEAR, "Year")?,
            None => base_year,
        };
        if week_form {
            let (base_week_year, base_week) = calendar::iso_week(base.days);
            let week_year = if fields.has("year") {
                year
            } else {
                base_week_year
            };
            let week = week
                .unwrap_or(base_week)
                .min(calendar::weeks_in_year(week_year));
            let dow = day_of_week.unwrap_or_else(|| calendar::day_of_week(base.days));
            return calendar::days_from_week_date(week_year, week, dow)
                .map(|days| Date { days })
                .ok_or_else(|| invalid("week date"));
        }
        if quarter_form {
            let quarter = quarter.unwrap_or_else(|| calendar::quarter_of(base_month));
            let doq = day_of_quarter.unwrap_or_else(|| calendar::day_of_quarter(base.days));
            return calendar::days_from_quarter(year, quarter, doq)
                .map(|days| Date { days })
                .ok_or_else(|| invalid("quarter date"));
        }
        if let Some(ordinal) = ordinal {
            return calendar::days_from_ordinal(year, ordinal)
                .map(|days| Date { days })
                .ok_or_else(|| invalid("ordinal date"));
        }
        let month = month.unwrap_or(base_month);
        let day = match day {
            Some(d) => d,
            None => base_day.min(calendar::month_length(
                year,
                range(month, 1, 12, "MonthOfYear")?,
            )),
        };
        return Date::from_ymd(year, month, day);
    }
    let Some(year) = year else {
        return Err(EngineError::argument(format!(
            "{} cannot be built without a year",
            fields.kind
        )));
    };
    range(year, calendar::MIN_YEAR, calendar::MAX_YEAR, "Year")?;
    if week_form {
        let Some(week) = week else {
            return Err(invalid_combination("dayOfWeek needs week"));
        };
        let dow = range(day_of_week.unwrap_or(1), 1, 7, "DayOfWeek")?;
        range(
            week,
            1,
            calendar::weeks_in_year(year),
            "WeekOfWeekBasedYear",
        )?;
        return calendar::days_from_week_date(year, week, dow)
            .map(|days| Date { days })
            .ok_or_else(|| invalid("week date"));
    }
    if quarter_form {
        let Some(quarter) = quarter else {
            return Err(invalid_combination("dayOfQuarter needs quarter"));
        };
        range(quarter, 1, 4, "QuarterOfYear")?;
        let doq = range(day_of_quarter.unwrap_or(1), 1, 92, "DayOfQuarter")?;
        return calendar::days_from_quarter(year, quarter, doq)
            .map(|days| Date { days })
            .ok_or_else(|| invalid("quarter date"));
    }
    if let Some(ordinal) = ordinal {
        range(ordinal, 1, 366, "DayOfYear")?;
        return calendar::days_from_ordinal(year, ordinal)
            .map(|days| Date { days })
            .ok_or_else(|| invalid("ordinal date"));
    }
    if day.is_some() && month.is_none() {
        return Err(invalid_combination("day needs month"));
    }
    Date::from_ymd(year, month.unwrap_or(1), day.unwrap_or(1))
}

/// A time of day from the time fields, over `base` when given.
fn time_fields(fields: &Fields<'_>, base: Option<LocalTime>) -> Result<LocalTime> {
    let hour = fields.int("hour")?;
    let minute = fields.int("minute")?;
    let second = fields.int("second")?;
    let milli = fields.int("millisecond")?;
    let micro = fields.int("microsecond")?;
    let nano = fields.int("nanosecond")?;
    let sub_given = milli.is_some() || micro.is_some() || nano.is_some();
    let sub = if sub_given && let Some(base) = base {
        // Over a base value, a sub-second field replaces its own part: the
        // parts above it come from the base, those below it are zero.
        let base_nano = base.nano();
        let milli = milli.unwrap_or(if micro.is_some() || nano.is_some() {
            base_nano / 1_000_000
        } else {
            0
        });
        let micro = micro.unwrap_or(if nano.is_some() {
            base_nano / 1000 % 1000
        } else {
            0
        });
        let nano = nano.unwrap_or(0);
        Some(
            range(milli, 0, 999, "MilliOfSecond")? * 1_000_000
                + range(micro, 0, 999, "MicroOfSecond")? * 1000
                + range(nano, 0, 999, "NanoOfSecond")?,
        )
    } else if sub_given {
        let milli = range(milli.unwrap_or(0), 0, 999, "MilliOfSecond")?;
        let micro = match (milli, micro) {
            (_, Some(m)) if fields.has("millisecond") => range(m, 0, 999, "MicroOfSecond")?,
            (_, Some(m)) => range(m, 0, 999_999, "MicroOfSecond")?,
            (_, None) => 0,
        };
        let nano = match nano {
            Some(n) if fields.has("millisecond") || fields.has("microsecond") => {
                range(n, 0, 999, "NanoOfSecond")?
            }
            Some(n) => range(n, 0, 999_999_999, "NanoOfSecond")?,
            None => 0,
        };
        Some(milli * 1_000_000 + micro * 1000 + nano)
    } else {
        None
    };
    match base {
        Some(base) => LocalTime::new(
            hour.unwrap_or_else(|| base.hour()),
            minute.unwrap_or_else(|| base.minute()),
            second.unwrap_or_else(|| base.second()),
            sub.unwrap_or_else(|| base.nano()),
        ),
        None => {
            if minute.is_some() && hour.is_none() {
                return Err(invalid_combination("minute needs hour"));
            }
            if second.is_some() && minute.is_none() {
                return Err(invalid_combination("second needs minute"));
            }
            if sub_given && second.is_none() {
                return Err(invalid_combination("sub-second fields need second"));
            }
            LocalTime::new(
                hour.unwrap_or(0),
                minute.unwrap_or(0),
                second.unwrap_or(0),
                sub.unwrap_or(0),
            )
        }
    }
}

fn with_keys<'k>(base: &[&'k str], extra: &[&'k str]) -> Vec<&'k str> {
    base.iter().chain(extra).copied().collect()
}

/// `date({…})`.
pub(crate) fn build_date(map: &BTreeMap<String, Value>) -> Result<Date> {
    let fields = Fields::new(map, "Date", &with_keys(&DATE_KEYS, &["date"]))?;
    let base = match fields.value("date") {
        Some(v) => Some(date_of(v).ok_or_else(|| {
            EngineError::type_error(format!("Cannot select a date from {}", v.type_name()))
        })?),
        None => None,
    };
    date_fields(&fields, base)
}

/// `localtime({…})`.
pub(crate) fn build_local_time(map: &BTreeMap<String, Value>) -> Result<LocalTime> {
    let fields = Fields::new(map, "LocalTime", &with_keys(&TIME_KEYS, &["time"]))?;
    let base = match fields.value("time") {
        Some(v) => Some(
            time_of(v)
                .ok_or_else(|| {
                    EngineError::type_error(format!("Cannot select a time from {}", v.type_name()))
                })?
                .0,
        ),
        None => None,
    };
    if base.is_none() && !fields.has("hour") {
        return Err(EngineError::argument(
            "LocalTime cannot be built without an hour",
        ));
    }
    time_fields(&fields, base)
}

/// `time({…})`; `now` gives the current instant for a named zone's offset.
pub(crate) fn build_time(
    map: &BTreeMap<String, Value>,
    default_zone: Zone,
    now: LocalDateTime,
) -> Result<Time> {
    let fields = Fields::new(map, "Time", &with_keys(&TIME_KEYS, &["time", "timezone"]))?;
    let zone = fields.zone()?;
    let offset_of = |zone: Zone| -> Result<i32> { Ok(DateTime::from_instant(now, zone)?.offset) };
    match fields.value("time") {
        Some(v) => {
            let (local, source) = time_of(v).ok_or_else(|| {
                EngineError::type_error(format!("Cannot select a time from {}", v.type_name()))
            })?;
            let local = time_fields(&fields, Some(local))?;
            match (source, zone) {
                (Some((offset, _)), Some(zone)) => {
                    let target = offset_of(zone)?;
                    let shifted = local
                        .plus_nanos(i128::from(target - offset) * i128::from(NANOS_PER_SECOND));
                    Ok(Time {
                        local: shifted,
                        offset: target,
                    })
                }
                (Some((offset, _)), None) => Ok(Time { local, offset }),
                (None, Some(zone)) => Ok(Time {
                    local,
                    offset: offset_of(zone)?,
                }),
                (None, None) => Ok(Time {
                    local,
                    offset: offset_of(default_zone)?,
                }),
            }
        }
        None => {
            if !fields.has("hour") {
                return Err(EngineError::argument(
                    "Time cannot be built without an hour",
                ));
            }
            let local = time_fields(&fields, None)?;
            Ok(Time {
                local,
                offset: offset_of(zone.unwrap_or(default_zone))?,
            })
        }
    }
}

/// `localdatetime({…})`.
pub(crate) fn build_local_datetime(map: &BTreeMap<String, Value>) -> Result<LocalDateTime> {
    let keys = with_keys(
        &with_keys(&DATE_KEYS, &TIME_KEYS),
        &["date", "time", "datetime"],
    );
    let fields = Fields::new(map, "LocalDateTime", &keys)?;
    let (base_date, base_time) = bases(&fields)?;
    if base_date.is_none() && !fields.has("year") {
        return Err(EngineError::argument(
            "LocalDateTime cannot be built without a year",
        ));
    }
    let date = date_fields(&fields, base_date)?;
    let time = time_fields(&fields, base_time.map(|(t, _)| t))?;
    Ok(LocalDateTime { date, time })
}

/// The base date and time a date-time map selects from.
#[allow(clippy::type_complexity)]
fn bases(fields: &Fields<'_>) -> Result<(Option<Date>, Option<(LocalTime, Option<(i32, Zone)>)>)> {
    let type_error = |what: &str, v: &Value| {
        EngineError::type_error(format!("Cannot select {what} from {}", v.type_name()))
    };
    if let Some(v) = fields.value("datetime") {
        if fields.has("date") || fields.has("time") {
            return Err(invalid_combination("datetime with date or time"));
        }
        let date = date_of(v).ok_or_else(|| type_error("a date-time", v))?;
        let time = time_of(v).ok_or_else(|| type_error("a date-time", v))?;
        return Ok((Some(date), Some(time)));
    }
    let date = match fields.value("date") {
        Some(v) => Some(date_of(v).ok_or_else(|| type_error("a date", v))?),
        None => None,
    };
    let time = match fields.value("time") {
        Some(v) => Some(time_of(v).ok_or_else(|| type_error("a time", v))?),
        None => None,
    };
    Ok((date, time))
}

/// `datetime({…})`.
pub(crate) fn build_datetime(
    map: &BTreeMap<String, Value>,
    default_zone: Zone,
) -> Result<DateTime> {
    let keys = with_keys(
        &with_keys(&DATE_KEYS, &TIME_KEYS),
        &[
            "date",
            "time",
            "datetime",
            "timezone",
            "epochseconds",
            "epochmillis",
        ],
    );
    let fields = Fields::new(map, "DateTime", &keys)?;
    let zone = fields.zone()?;
    if fields.any_of(&["epochseconds", "epochmillis"]) {
        let nanos = if let Some(seconds) = fields.int("epochseconds")? {
            i128::from(seconds) * i128::from(NANOS_PER_SECOND)
        } else {
            i128::from(fields.int("epochmillis")?.unwrap_or(0)) * 1_000_000
        };
        let extra = i128::from(fields.int("millisecond")?.unwrap_or(0)) * 1_000_000
            + i128::from(fields.int("microsecond")?.unwrap_or(0)) * 1000
            + i128::from(fields.int("nanosecond")?.unwrap_or(0));
        let utc = LocalDateTime::from_epoch_nanos(nanos + extra)?;
        return DateTime::from_instant(utc, zone.unwrap_or(Zone::Offset(0)));
    }
    let (base_date, base_time) = bases(&fields)?;
    if base_date.is_none() && !fields.has("year") {
        return Err(EngineError::argument(
            "DateTime cannot be built without a year",
        ));
    }
    let date = date_fields(&fields, base_date)?;
    let time = time_fields(&fields, base_time.map(|(t, _)| t))?;
    let local = LocalDateTime { date, time };
    let source_zone = base_time.and_then(|(_, zone)| zone);
    match (source_zone, zone) {
        (Some((offset, source)), Some(zone)) => {
            // The same instant, shown in the new zone.
            let at = DateTime {
                local,
                offset,
                zone: source,
            };
            let at = if matches!(source, Zone::Named(_)) {
                DateTime::from_local(local, source)?
            } else {
                at
            };
            at.with_zone_same_instant(zone)
        }
        (Some((offset, source)), None) => match source {
            Zone::Named(_) => DateTime::from_local(local, source),
            Zone::Offset(_) => Ok(DateTime {
                local,
                offset,
                zone: source,
            }),
        },
        (None, Some(zone)) => DateTime::from_local(local, zone),
        (None, None) => DateTime::from_local(local, default_zone),
    }
}

/// `datetime.fromepoch(seconds, nanos)` and `datetime.fromepochmillis(ms)`.
pub(crate) fn datetime_from_epoch(nanos: i128) -> Result<DateTime> {
    DateTime::from_instant(LocalDateTime::from_epoch_nanos(nanos)?, Zone::Offset(0))
}
