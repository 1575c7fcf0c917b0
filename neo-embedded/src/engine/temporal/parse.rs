//! ISO 8601 text to temporal values, in the forms Neo4j accepts: calendar,
//! week and ordinal dates in extended and basic format, times with optional
//! minutes, seconds and fractions, offsets and `[Zone/Name]` suffixes, and
//! durations in unit and alternative format.

use chrono_tz::Tz;

use super::duration::{Duration, approximate};
use super::{Date, DateTime, LocalDateTime, LocalTime, NANOS_PER_SECOND, Time, Zone, calendar};
use crate::engine::error::{EngineError, Result};

fn invalid(kind: &str, text: &str) -> EngineError {
    EngineError::argument(format!("Text cannot be parsed to a {kind}\n\"{text}\""))
}

/// A cursor over ASCII text.
struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_ci(&mut self, c: u8) -> bool {
        if self.peek().map(|b| b.to_ascii_uppercase()) == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Counts the digits ahead without consuming them.
    fn digits_ahead(&self) -> usize {
        self.text[self.pos..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    }

    /// Exactly `n` digits.
    fn digits(&mut self, n: usize) -> Option<i64> {
        if self.digits_ahead() < n {
            return None;
        }
        let mut value: i64 = 0;
        for _ in 0..n {
            value = value * 10 + i64::from(self.text[self.pos] - b'0');
            self.pos += 1;
        }
        Some(value)
    }

    /// Between `min` and `max` digits, as many as there are.
    fn digits_between(&mut self, min: usize, max: usize) -> Option<i64> {
        let n = self.digits_ahead().min(max);
        if n < min {
            return None;
        }
        self.digits(n)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn rest(&self) -> &'a [u8] {
        &self.text[self.pos..]
    }
}

/// A parsed date part: epoch day.
fn date_part(s: &mut Scanner<'_>) -> Option<Result<Date>> {
    let year = match s.peek()? {
        b'+' | b'-' => {
            let negative = s.peek() == Some(b'-');
            s.pos += 1;
            let value = s.digits_between(1, 9)?;
            if negative { -value } else { value }
        }
        _ => s.digits(4)?,
    };
    let build = |days: Option<i64>, what: &str| -> Result<Date> {
        days.map(|days| Date { days })
            .ok_or_else(|| EngineError::argument(format!("Invalid date: {what}")))
    };
    if s.eat(b'-') {
        if s.eat_ci(b'W') {
            let week = s.digits(2)?;
            let day = if s.eat(b'-') { s.digits(1)? } else { 1 };
            return Some(build(
                calendar::days_from_week_date(year, week, day),
                "week date",
            ));
        }
        if s.digits_ahead() == 3 {
            let ordinal = s.digits(3)?;
            return Some(build(
                calendar::days_from_ordinal(year, ordinal),
                "ordinal date",
            ));
        }
        let month = s.digits_between(1, 2)?;
        let day = if s.eat(b'-') {
            s.digits_between(1, 2)?
        } else {
            1
        };
        return Some(Date::from_ymd(year, month, day));
    }
    if s.eat_ci(b'W') {
        let week = s.digits(2)?;
        let day = if s.digits_ahead() >= 1 {
            s.digits(1)?
        } else {
            1
        };
        return Some(build(
            calendar::days_from_week_date(year, week, day),
            "week date",
        ));
    }
    match s.digits_ahead() {
        0 => Some(Date::from_ymd(year, 1, 1)),
        3 => {
            let ordinal = s.digits(3)?;
            Some(build(
                calendar::days_from_ordinal(year, ordinal),
                "ordinal date",
            ))
        }
        2 => {
            let month = s.digits(2)?;
            Some(Date::from_ymd(year, month, 1))
        }
        4 => {
            let month = s.digits(2)?;
            let day = s.digits(2)?;
            Some(Date::from_ymd(year, month, day))
        }
        _ => None,
    }
}

/// A parsed time part.
fn time_part(s: &mut Scanner<'_>) -> Option<Result<LocalTime>> {
    let hour = s.digits(2)?;
    let mut minute = 0;
    let mut second = 0;
    let mut nano = 0;
    let extended = s.peek() == Some(b':');
    if extended {
        s.pos += 1;
        minute = s.digits(2)?;
        if s.eat(b':') {
            second = s.digits(2)?;
            nano = fraction(s)?;
        }
    } else if s.digits_ahead() >= 2 {
        minute = s.digits(2)?;
        if s.digits_ahead() >= 2 {
            second = s.digits(2)?;
            nano = fraction(s)?;
        }
    }
    Some(LocalTime::new(hour, minute, second, nano))
}

/// `[.,]digits` as nanoseconds (0 when absent).
fn fraction(s: &mut Scanner<'_>) -> Option<i64> {
    if !(s.eat(b'.') || s.eat(b',')) {
        return Some(0);
    }
    let n = s.digits_ahead();
    if n == 0 || n > 9 {
        return None;
    }
    let digits = s.digits(n)?;
    Some(digits * 10_i64.pow(9 - n as u32))
}

/// `Z` or `±HH[[:]MM[[:]SS]]`, seconds east of UTC.
fn offset_part(s: &mut Scanner<'_>) -> Option<i32> {
    if s.eat_ci(b'Z') {
        return Some(0);
    }
    let negative = match s.peek()? {
        b'+' => false,
        b'-' => true,
        _ => return None,
    };
    s.pos += 1;
    let hours = s.digits(2)?;
    let mut minutes = 0;
    let mut seconds = 0;
    let colon = s.eat(b':');
    if colon || s.digits_ahead() >= 2 {
        minutes = s.digits(2)?;
        if (colon && s.eat(b':')) || (!colon && s.digits_ahead() >= 2) {
            seconds = s.digits(2)?;
        }
    }
    if hours > 18 || minutes > 59 || seconds > 59 {
        return None;
    }
    let total = i32::try_from(hours * 3600 + minutes * 60 + seconds).ok()?;
    if total > 18 * 3600 {
        return None;
    }
    Some(if negative { -total } else { total })
}

/// A zone given as a name, `Z` or an offset.
pub(crate) fn parse_zone(text: &str) -> Option<Zone> {
    let mut s = Scanner::new(text);
    if let Some(offset) = offset_part(&mut s)
        && s.at_end()
    {
        return Some(Zone::Offset(offset));
    }
    named_zone(text)
}

fn named_zone(name: &str) -> Option<Zone> {
    if name.eq_ignore_ascii_case("UTC") || name == "Z" {
        return Some(Zone::Named(Tz::UTC));
    }
    let tz: Tz = name.parse().ok()?;
    Some(Zone::Named(tz))
}

/// `[Zone/Name]` at the end.
fn bracketed_zone(s: &mut Scanner<'_>) -> Option<Option<Zone>> {
    if !s.eat(b'[') {
        return Some(None);
    }
    let rest = std::str::from_utf8(s.rest()).ok()?;
    let end = rest.find(']')?;
    let zone = named_zone(&rest[..end])?;
    s.pos += end + 1;
    Some(Some(zone))
}

pub(crate) fn parse_date(text: &str) -> Result<Date> {
    let mut s = Scanner::new(text.trim());
    match date_part(&mut s) {
        Some(result) if s.at_end() => result,
        _ => Err(invalid("date", text)),
    }
}

pub(crate) fn parse_local_time(text: &str) -> Result<LocalTime> {
    let mut s = Scanner::new(text.trim());
    match time_part(&mut s) {
        Some(result) if s.at_end() => result,
        _ => Err(invalid("local time", text)),
    }
}

/// A time, with `default_offset` when the text has none.
pub(crate) fn parse_time(text: &str, default_offset: impl FnOnce() -> i32) -> Result<Time> {
    let mut s = Scanner::new(text.trim());
    let Some(local) = time_part(&mut s) else {
        return Err(invalid("time", text));
    };
    let local = local?;
    let offset = if s.at_end() {
        default_offset()
    } else {
        match offset_part(&mut s) {
            Some(offset) if s.at_end() => offset,
            _ => return Err(invalid("time", text)),
        }
    };
    Ok(Time { local, offset })
}

fn date_and_time(s: &mut Scanner<'_>, kind: &str, text: &str) -> Result<LocalDateTime> {
    let date = match date_part(s) {
        Some(date) => date?,
        None => return Err(invalid(kind, text)),
    };
    let time = if s.eat_ci(b'T') {
        match time_part(s) {
            Some(time) => time?,
            None => return Err(invalid(kind, text)),
        }
    } else {
        LocalTime { nanos: 0 }
    };
    Ok(LocalDateTime { date, time })
}

pub(crate) fn parse_local_datetime(text: &str) -> Result<LocalDateTime> {
    let mut s = Scanner::new(text.trim());
    let value = date_and_time(&mut s, "local date time", text)?;
    if s.at_end() {
        Ok(value)
    } else {
        Err(invalid("local date time", text))
    }
}

/// A date-time, in `default_zone` when the text names no offset or zone.
pub(crate) fn parse_datetime(text: &str, default_zone: Zone) -> Result<DateTime> {
    let mut s = Scanner::new(text.trim());
    let local = date_and_time(&mut s, "date time", text)?;
    let offset = if s.at_end() || s.peek() == Some(b'[') {
        None
    } else {
        match offset_part(&mut s) {
            Some(offset) => Some(offset),
            None => return Err(invalid("date time", text)),
        }
    };
    let Some(zone) = bracketed_zone(&mut s) else {
        return Err(invalid("date time", text));
    };
    if !s.at_end() {
        return Err(invalid("date time", text));
    }
    match (offset, zone) {
        (Some(offset), Some(zone)) => {
            // The offset picks between overlapping readings; a reading the
            // zone never shows is taken as the instant it names.
            let utc = local.plus_nanos(-i128::from(offset) * i128::from(NANOS_PER_SECOND))?;
            let at = DateTime::from_instant(utc, zone)?;
            Ok(at)
        }
        (Some(offset), None) => Ok(DateTime {
            local,
            offset,
            zone: Zone::Offset(offset),
        }),
        (None, Some(zone)) => DateTime::from_local(local, zone),
        (None, None) => DateTime::from_local(local, default_zone),
    }
}

/// One `number unit` of a duration: the integer part, the fraction digits.
struct Component {
    negative: bool,
    whole: i64,
    fraction: Option<(i64, u32)>,
}

impl Component {
    fn as_f64(&self) -> f64 {
        let mut value = self.whole as f64;
        if let Some((digits, count)) = self.fraction {
            value += digits as f64 / 10f64.powi(count as i32);
        }
        if self.negative { -value } else { value }
    }

    fn whole(&self) -> i64 {
        if self.negative {
            -self.whole
        } else {
            self.whole
        }
    }
}

fn component(s: &mut Scanner<'_>) -> Option<Component> {
    let negative = if s.eat(b'-') {
        true
    } else {
        s.eat(b'+');
        false
    };
    let n = s.digits_ahead();
    if n == 0 || n > 18 {
        return None;
    }
    let whole = s.digits(n)?;
    let fraction = if s.eat(b'.') || s.eat(b',') {
        let n = s.digits_ahead();
        if n == 0 {
            return None;
        }
        // Digits past the nanosecond cannot matter.
        let kept = n.min(18);
        let digits = s.digits(kept)?;
        s.pos += n - kept;
        Some((digits, kept as u32))
    } else {
        None
    };
    Some(Component {
        negative,
        whole,
        fraction,
    })
}

/// `[-]P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]` or `PYYYY-MM-DDThh:mm:ss[.f]`.
pub(crate) fn parse_duration(text: &str) -> Result<Duration> {
    let trimmed = text.trim();
    let fail = || invalid("duration", text);
    let mut s = Scanner::new(trimmed);
    let negative = if s.eat(b'-') {
        true
    } else {
        s.eat(b'+');
        false
    };
    if !s.eat_ci(b'P') {
        return Err(fail());
    }
    if let Some(duration) = alternative_duration(&mut s)? {
        return Ok(if negative {
            duration.negate()?
        } else {
            duration
        });
    }
    let mut date_units: [Option<Component>; 4] = [None, None, None, None];
    let mut time_units: [Option<Component>; 3] = [None, None, None];
    let mut any = false;
    let mut in_time = false;
    let mut last_rank: i32 = -1;
    while !s.at_end() {
        if !in_time && s.eat_ci(b'T') {
            in_time = true;
            last_rank = -1;
            if s.at_end() {
                return Err(fail());
            }
            continue;
        }
        let value = component(&mut s).ok_or_else(fail)?;
        let unit = s.peek().ok_or_else(fail)?.to_ascii_uppercase();
        s.pos += 1;
        let rank = if in_time {
            match unit {
                b'H' => 0,
                b'M' => 1,
                b'S' => 2,
                _ => return Err(fail()),
            }
        } else {
            match unit {
                b'Y' => 0,
                b'M' => 1,
                b'W' => 2,
                b'D' => 3,
                _ => return Err(fail()),
            }
        };
        if rank <= last_rank {
            return Err(fail());
        }
        last_rank = rank;
        any = true;
        if in_time {
            time_units[rank as usize] = Some(value);
        } else {
            date_units[rank as usize] = Some(value);
        }
    }
    if !any {
        return Err(fail());
    }
    let [years, months, weeks, days] = date_units;
    let [hours, minutes, seconds] = time_units;
    let fractional_outside_seconds = [&years, &months, &weeks, &days, &hours, &minutes]
        .iter()
        .any(|c| c.as_ref().is_some_and(|c| c.fraction.is_some()));
    let duration = if fractional_outside_seconds {
        let f = |c: &Option<Component>| c.as_ref().map_or(0.0, Component::as_f64);
        approximate(
            f(&years) * 12.0 + f(&months),
            f(&weeks) * 7.0 + f(&days),
            f(&hours) * 3600.0 + f(&minutes) * 60.0 + f(&seconds),
            0.0,
        )?
    } else {
        let w = |c: &Option<Component>| c.as_ref().map_or(0, Component::whole);
        let overflow = EngineError::integer_overflow;
        let month_total = w(&years)
            .checked_mul(12)
            .and_then(|y| y.checked_add(w(&months)))
            .ok_or_else(overflow)?;
        let day_total = w(&weeks)
            .checked_mul(7)
            .and_then(|x| x.checked_add(w(&days)))
            .ok_or_else(overflow)?;
        let second_total = w(&hours)
            .checked_mul(3600)
            .and_then(|h| h.checked_add(w(&minutes).checked_mul(60)?))
            .and_then(|x| x.checked_add(w(&seconds)))
            .ok_or_else(overflow)?;
        let nanos = match &seconds {
            Some(Component {
                fraction: Some((digits, count)),
                negative,
                ..
            }) => {
                let nanos = if *count <= 9 {
                    digits * 10_i64.pow(9 - count)
                } else {
                    digits / 10_i64.pow(count - 9)
                };
                if *negative { -nanos } else { nanos }
            }
            _ => 0,
        };
        Duration::new(month_total, day_total, second_total, nanos)?
    };
    if negative {
        duration.negate()
    } else {
        Ok(duration)
    }
}

/// `PYYYY-MM-DDThh:mm:ss[.f]` (each field a count, not a calendar value).
fn alternative_duration(s: &mut Scanner<'_>) -> Result<Option<Duration>> {
    let start = s.pos;
    if s.digits_ahead() != 4 || s.rest().get(4) != Some(&b'-') {
        return Ok(None);
    }
    let parsed = (|| {
        let years = s.digits(4)?;
        if !s.eat(b'-') {
            return None;
        }
        let months = s.digits(2)?;
        if !s.eat(b'-') {
            return None;
        }
        let days = s.digits(2)?;
        let (mut hours, mut minutes, mut seconds, mut nanos) = (0, 0, 0, 0);
        if s.eat_ci(b'T') {
            hours = s.digits(2)?;
            if !s.eat(b':') {
                return None;
            }
            minutes = s.digits(2)?;
            if !s.eat(b':') {
                return None;
            }
            seconds = s.digits(2)?;
            nanos = fraction(s)?;
        }
        if !s.at_end() || months > 12 || days > 31 || hours > 24 || minutes > 59 || seconds > 59 {
            return None;
        }
        Some((
            years * 12 + months,
            days,
            hours * 3600 + minutes * 60 + seconds,
            nanos,
        ))
    })();
    match parsed {
        Some((months, days, seconds, nanos)) => {
            Ok(Some(Duration::new(months, days, seconds, nanos)?))
        }
        None => {
            s.pos = start;
            Err(EngineError::argument(format!(
                "Text cannot be parsed to a duration\n\"{}\"",
                String::from_utf8_lossy(s.text)
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_form() {
        let expected = Date::from_ymd(2015, 7, 21).unwrap();
        for text in [
            "2015-07-21",
            "20150721",
            "2015-W30-2",
            "2015W302",
            "2015-202",
            "2015202",
        ] {
            assert_eq!(parse_date(text).unwrap(), expected, "{text}");
        }
        assert_eq!(
            parse_date("2015-07").unwrap(),
            Date::from_ymd(2015, 7, 1).unwrap()
        );
        assert_eq!(
            parse_date("2015").unwrap(),
            Date::from_ymd(2015, 1, 1).unwrap()
        );
        assert!(parse_date("2015-13-01").is_err());
    }

    #[test]
    fn datetimes_without_an_offset_use_the_default_zone() {
        let dt = parse_datetime("1976-06-13T12:34:56", Zone::Offset(0)).unwrap();
        assert_eq!(dt.to_string(), "1976-06-13T12:34:56Z");
        let dt = parse_datetime("2015-07-21T21:40:32.142+0100", Zone::Offset(0)).unwrap();
        assert_eq!(dt.to_string(), "2015-07-21T21:40:32.142+01:00");
        let dt = parse_datetime("2015-07-21T21:40:32.142[Europe/London]", Zone::Offset(0)).unwrap();
        assert_eq!(
            dt.to_string(),
            "2015-07-21T21:40:32.142+01:00[Europe/London]"
        );
    }

    #[test]
    fn durations_keep_every_nanosecond() {
        assert_eq!(
            parse_duration("PT0.123999S").unwrap().to_string(),
            "PT0.123999S"
        );
        assert_eq!(
            parse_duration("P1Y2M10DT12H45M30.25S").unwrap().to_string(),
            "P1Y2M10DT12H45M30.25S"
        );
        assert_eq!(
            parse_duration("P2012-02-02T14:37:21.545")
                .unwrap()
                .to_string(),
            "P2012Y2M2DT14H37M21.545S"
        );
        assert_eq!(parse_duration("PT-0.5S").unwrap().to_string(), "PT-0.5S");
    }
}
