//! Dates as years, months and days of the proleptic Gregorian calendar,
//! the calendar of Neo4j's dates, for every date a [`Date`] can hold.

use super::Date;

impl Date {
    /// The date of a year, month (1 to 12) and day (1 to the month's
    /// length); `None` when there is no such day.
    ///
    /// ```
    /// use neo_bolt::packstream::Date;
    ///
    /// assert_eq!(Date::from_ymd(1970, 1, 2), Some(Date { days: 1 }));
    /// assert_eq!(Date::from_ymd(2024, 2, 29).map(|d| d.to_ymd()), Some((2024, 2, 29)));
    /// assert_eq!(Date::from_ymd(2023, 2, 29), None);
    /// ```
    pub fn from_ymd(year: i64, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let days = days_from_civil(i128::from(year), month, day);
        i64::try_from(days).ok().map(|days| Date { days })
    }

    /// The year, month (1 to 12) and day of the month.
    ///
    /// ```
    /// use neo_bolt::packstream::Date;
    ///
    /// assert_eq!(Date { days: -1 }.to_ymd(), (1969, 12, 31));
    /// ```
    pub fn to_ymd(self) -> (i64, u8, u8) {
        let (year, month, day) = civil_from_days(i128::from(self.days));
        // Every `i64` of days is a year well within `i64`.
        let year = i64::try_from(year).unwrap_or(if year < 0 { i64::MIN } else { i64::MAX });
        (year, month, day)
    }
}

/// Days since 1970-01-01 of a valid date of a calendar library, whose years
/// are small enough for the count to fit.
#[cfg(feature = "jiff")]
pub(crate) fn days_from_ymd(year: i64, month: u8, day: u8) -> i64 {
    let days = days_from_civil(i128::from(year), month, day);
    i64::try_from(days).unwrap_or(if days < 0 { i64::MIN } else { i64::MAX })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid date (eras of 400 years, counted from
/// March so that the leap day ends each year).
fn days_from_civil(year: i128, month: u8, day: u8) -> i128 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i128::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i128::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The year, month and day of a count of days since 1970-01-01.
fn civil_from_days(days: i128) -> (i128, u8, u8) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i128::from(month <= 2);
    // `month` is 1..=12 and `day` 1..=31 by construction.
    (year, month as u8, day as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(Date { days: 0 }.to_ymd(), (1970, 1, 1));
        assert_eq!(Date { days: 19_782 }.to_ymd(), (2024, 2, 29));
        assert_eq!(Date { days: -719_162 }.to_ymd(), (1, 1, 1));
        assert_eq!(Date { days: -719_163 }.to_ymd(), (0, 12, 31));
        assert_eq!(Date::from_ymd(-1, 3, 1), Some(Date { days: -719_834 }));
        assert_eq!(Date::from_ymd(2000, 2, 29), Some(Date { days: 11_016 }));
        assert_eq!(Date::from_ymd(1900, 2, 29), None);
        assert_eq!(Date::from_ymd(2024, 13, 1), None);
        assert_eq!(Date::from_ymd(2024, 4, 31), None);
    }

    #[test]
    fn every_day_of_eight_centuries_round_trips_and_follows_the_previous() {
        let start = Date::from_ymd(1600, 1, 1).unwrap().days;
        let mut previous = (1599, 12, 31);
        for days in start..start + 292_194 {
            let today = Date { days }.to_ymd();
            assert_eq!(
                Date::from_ymd(today.0, today.1, today.2),
                Some(Date { days })
            );
            let (year, month, day) = previous;
            let expected = if day < days_in_month(year, month) {
                (year, month, day + 1)
            } else if month < 12 {
                (year, month + 1, 1)
            } else {
                (year + 1, 1, 1)
            };
            assert_eq!(today, expected);
            previous = today;
        }
    }

    #[test]
    fn the_extremes_do_not_overflow() {
        let (year, _, _) = Date { days: i64::MAX }.to_ymd();
        assert!(year > 25_000_000_000_000_000);
        let (year, _, _) = Date { days: i64::MIN }.to_ymd();
        assert!(year < -25_000_000_000_000_000);
        assert_eq!(Date::from_ymd(i64::MAX, 12, 31), None);
    }
}
