//! The proleptic Gregorian calendar on epoch days (days since 1970-01-01),
//! for the whole year range Cypher allows (±999,999,999), in plain integer
//! arithmetic.

/// The smallest year a temporal value may have.
pub(crate) const MIN_YEAR: i64 = -999_999_999;
/// The largest year a temporal value may have.
pub(crate) const MAX_YEAR: i64 = 999_999_999;

/// Whether `year` is a leap year.
pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1-12) of `year`.
pub(crate) fn month_length(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days in `year`.
pub(crate) fn year_length(year: i64) -> i64 {
    if is_leap(year) { 366 } else { 365 }
}

/// The epoch day of a valid civil date.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of an epoch day.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A civil date if it exists and its year is in range.
pub(crate) fn checked_days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > month_length(year, month)
    {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// ISO day of week, Monday = 1 … Sunday = 7.
pub(crate) fn day_of_week(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

/// The day of the year, 1-based.
pub(crate) fn ordinal_day(days: i64) -> i64 {
    let (year, _, _) = civil_from_days(days);
    days - days_from_civil(year, 1, 1) + 1
}

/// The quarter (1-4) of a month.
pub(crate) fn quarter_of(month: i64) -> i64 {
    (month - 1) / 3 + 1
}

/// The day of the quarter, 1-based.
pub(crate) fn day_of_quarter(days: i64) -> i64 {
    let (year, month, _) = civil_from_days(days);
    let first_month = (quarter_of(month) - 1) * 3 + 1;
    days - days_from_civil(year, first_month, 1) + 1
}

/// The epoch day of Monday of ISO week 1 of `week_year`.
fn week_one_monday(week_year: i64) -> i64 {
    let jan4 = days_from_civil(week_year, 1, 4);
    jan4 - (day_of_week(jan4) - 1)
}

/// The number of ISO weeks (52 or 53) of `week_year`.
pub(crate) fn weeks_in_year(week_year: i64) -> i64 {
    (week_one_monday(week_year + 1) - week_one_monday(week_year)) / 7
}

/// `(week_year, week)` of an epoch day.
pub(crate) fn iso_week(days: i64) -> (i64, i64) {
    let (year, _, _) = civil_from_days(days);
    let mut week_year = year;
    if days < week_one_monday(year) {
        week_year -= 1;
    } else if days >= week_one_monday(year + 1) {
        week_year += 1;
    }
    (week_year, (days - week_one_monday(week_year)) / 7 + 1)
}

/// The epoch day of an ISO week date, if valid.
pub(crate) fn days_from_week_date(week_year: i64, week: i64, day_of_week: i64) -> Option<i64> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&week_year)
        || week < 1
        || week > weeks_in_year(week_year)
        || !(1..=7).contains(&day_of_week)
    {
        return None;
    }
    Some(week_one_monday(week_year) + (week - 1) * 7 + day_of_week - 1)
}

/// The epoch day of an ordinal date, if valid.
pub(crate) fn days_from_ordinal(year: i64, ordinal: i64) -> Option<i64> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) || ordinal < 1 || ordinal > year_length(year) {
        return None;
    }
    Some(days_from_civil(year, 1, 1) + ordinal - 1)
}

/// The epoch day of a quarter date, if valid.
pub(crate) fn days_from_quarter(year: i64, quarter: i64, day_of_quarter: i64) -> Option<i64> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=4).contains(&quarter) {
        return None;
    }
    let first = days_from_civil(year, (quarter - 1) * 3 + 1, 1);
    let next = if quarter == 4 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, quarter * 3 + 1, 1)
    };
    if day_of_quarter < 1 || first + day_of_quarter > next {
        return None;
    }
    Some(first + day_of_quarter - 1)
}

/// `days` plus `months` calendar months, the day clamped to the end of the
/// target month (as `java.time` does).
pub(crate) fn plus_months(days: i64, months: i64) -> Option<i64> {
    let (year, month, day) = civil_from_days(days);
    let total = year
        .checked_mul(12)?
        .checked_add(month - 1)?
        .checked_add(months)?;
    let new_year = total.div_euclid(12);
    let new_month = total.rem_euclid(12) + 1;
    if !(MIN_YEAR..=MAX_YEAR).contains(&new_year) {
        return None;
    }
    let new_day = day.min(month_length(new_year, new_month));
    Some(days_from_civil(new_year, new_month, new_day))
}

/// Whether an epoch day is within the allowed year range.
pub(crate) fn in_range(days: i64) -> bool {
    (days_from_civil(MIN_YEAR, 1, 1)..=days_from_civil(MAX_YEAR, 12, 31)).contains(&days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips() {
        for days in [-1_000_000, -719_468, -1, 0, 1, 18_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(day_of_week(0), 4);
    }

    #[test]
    fn iso_weeks() {
        // 2015-07-21 is a Tuesday of week 30.
        let d = days_from_civil(2015, 7, 21);
        assert_eq!(iso_week(d), (2015, 30));
        assert_eq!(days_from_week_date(2015, 30, 2), Some(d));
        // 2021-01-01 belongs to week 53 of 2020.
        assert_eq!(iso_week(days_from_civil(2021, 1, 1)), (2020, 53));
    }
}
