//! `Date`: a calendar date as the API spells it, `YYYY-MM-DD` (`format: date`).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A valid calendar date, such as a user's birthday. Sent as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a string is not a `YYYY-MM-DD` date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {input:?}: expected a real calendar date as YYYY-MM-DD")]
pub struct DateError {
    input: String,
}

impl Date {
    /// The date, or `None` when it does not exist (`2023-02-29`).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(input: &str) -> Result<Self, DateError> {
        let error = || DateError {
            input: input.to_owned(),
        };
        let bytes = input.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(error());
        }
        let digits = |range: std::ops::Range<usize>| {
            let part = &input[range];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse::<u16>().ok()
            } else {
                None
            }
        };
        let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10))
        else {
            return Err(error());
        };
        Date::new(year, month as u8, day as u8).ok_or_else(error)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_docs_birthday() {
        let date: Date = "2017-07-21".parse().unwrap();
        assert_eq!((date.year(), date.month(), date.day()), (2017, 7, 21));
        assert_eq!(date.to_string(), "2017-07-21");
    }

    #[test]
    fn refuses_dates_that_do_not_exist_or_are_malformed() {
        for bad in [
            "2023-02-29",
            "2017-13-01",
            "2017-00-10",
            "2017-7-21",
            "21-07-2017",
            "2017-07-2a",
            "+017-07-21",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad} parsed");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
    }
}
