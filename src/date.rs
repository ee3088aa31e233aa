//! Calendar dates (`YYYY-MM-DD`) for skip rules' `until`, and today's date
//! from the system clock or from `COV_TODAY` for reproducible runs.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _};

/// Environment variable that fixes today's date (`COV_TODAY=2027-01-31`).
pub const TODAY_ENV: &str = "COV_TODAY";

/// A proleptic Gregorian date. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD` and rejects impossible days (`2027-02-30`).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let year = i32::try_from(digits(0..4)?).ok()?;
        let month = u8::try_from(digits(5..7)?).ok()?;
        let day = u8::try_from(digits(8..10)?).ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_unix_days(days: i64) -> Date {
        // Civil-from-days over 400-year eras of 146,097 days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Today: `COV_TODAY` when set, else the system clock (UTC).
    pub fn today() -> anyhow::Result<Date> {
        match std::env::var(TODAY_ENV) {
            Ok(value) => match Date::parse(value.trim()) {
                Some(date) => Ok(date),
                None => bail!("{TODAY_ENV}={value:?} is not a date: write it as YYYY-MM-DD"),
            },
            Err(_) => {
                let secs = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .context("the system clock is before 1970")?
                    .as_secs();
                Ok(Date::from_unix_days(
                    i64::try_from(secs / 86_400).unwrap_or(0),
                ))
            }
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(
            Date::parse("2027-03-31").map(|d| d.to_string()),
            Some("2027-03-31".into())
        );
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2100-02-29").is_none());
        assert!(Date::parse("2000-02-29").is_some());
        for bad in [
            "2027-3-31",
            "2027-13-01",
            "2027-00-10",
            "2027-01-00",
            "27-01-01",
            "2027/01/01",
            "2027-01-0x",
            "",
            "2027-01-011",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn orders_chronologically() {
        let a = Date::parse("2026-12-31").unwrap();
        let b = Date::parse("2027-01-01").unwrap();
        assert!(a < b);
    }

    #[test]
    fn converts_unix_days() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix_days(20_454).to_string(), "2026-01-01");
    }
}
