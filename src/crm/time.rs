//! Time: stored in UTC, shown and entered in the configured zone (default Asia/Shanghai).

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use super::error::{Error, Result};

const DATETIME: &str = "%Y-%m-%d %H:%M:%S";

#[derive(Clone, Copy, Debug)]
pub struct Clock {
    pub zone: Tz,
}

impl Clock {
    pub fn new(zone: Tz) -> Self {
        Clock { zone }
    }

    /// Now in UTC, to the second (the wire format has no fractions).
    pub fn now(&self) -> NaiveDateTime {
        let now = Utc::now().naive_utc();
        now.with_nanosecond(0).unwrap_or(now)
    }

    /// A stored UTC time as `yyyy-MM-dd HH:mm:ss` in the configured zone.
    pub fn render(&self, utc: NaiveDateTime) -> String {
        self.zone.from_utc_datetime(&utc).format(DATETIME).to_string()
    }

    /// Parses a local `yyyy-MM-dd HH:mm:ss` (or `yyyy-MM-dd HH:mm`, or `yyyy-MM-dd`) into UTC.
    pub fn parse_local(&self, text: &str) -> Option<NaiveDateTime> {
        let text = text.trim();
        let local = NaiveDateTime::parse_from_str(text, DATETIME)
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
            .ok()
            .or_else(|| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()?
                    .and_hms_opt(0, 0, 0)
            })?;
        let zoned = self.zone.from_local_datetime(&local).earliest()?;
        Some(zoned.naive_utc())
    }

    /// Like `parse_local`, with the Chinese error the API shows for a bad date.
    pub fn parse_field(&self, field: &str, text: &str) -> Result<NaiveDateTime> {
        self.parse_local(text)
            .ok_or_else(|| Error::bad(format!("{field}日期格式错误，例:2020-01-01 00:00:00")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_local_time_through_utc() {
        let clock = Clock::new(chrono_tz::Asia::Shanghai);
        let utc = clock.parse_local("2020-10-16 08:30:00").unwrap();
        assert_eq!(utc.to_string(), "2020-10-16 00:30:00");
        assert_eq!(clock.render(utc), "2020-10-16 08:30:00");
        assert_eq!(
            clock.render(clock.parse_local("2020-10-16").unwrap()),
            "2020-10-16 00:00:00"
        );
        assert!(clock.parse_local("2020-13-01").is_none());
        assert!(clock.parse_local("'; drop table x").is_none());
    }
}
