//! Time: stored in UTC, shown and entered in the configured zone (default Asia/Shanghai).

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
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
        // Written out rather than through `format(DATETIME)`, which parses its pattern on
        // every call (exports render a few per row). Years 0–9999, as the pattern writes them.
        let t = self.zone.from_utc_datetime(&utc).naive_local();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
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

    #[test]
    fn renders_as_the_pattern_does() {
        let clock = Clock::new(chrono_tz::America::New_York);
        let mut t = NaiveDate::from_ymd_opt(1901, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        while t.year() < 2100 {
            let pattern = clock.zone.from_utc_datetime(&t).format(DATETIME).to_string();
            assert_eq!(clock.render(t), pattern);
            t += chrono::Duration::seconds(86_400 * 37 + 3_671);
        }
    }
}

/// The local date range (inclusive) of a relative date keyword such as `today`,
/// `lastMonth` or `previous7day`, as WukongCRM's filters name them.
pub fn keyword_range(keyword: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    use chrono::{Datelike, Days, Months};
    let day = |offset: i64| today.checked_add_signed(chrono::Duration::days(offset));
    let week_start = today.checked_sub_days(Days::new(today.weekday().num_days_from_monday() as u64))?;
    let month_start = today.with_day(1)?;
    let quarter_start = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)?;
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1)?;
    let span = |start: NaiveDate, months: u32| {
        Some((start, start.checked_add_months(Months::new(months))?.pred_opt()?))
    };
    let shift = |start: NaiveDate, months: i32| {
        if months < 0 {
            start.checked_sub_months(Months::new(months.unsigned_abs()))
        } else {
            start.checked_add_months(Months::new(months as u32))
        }
    };
    match keyword {
        "today" => Some((today, today)),
        "yesterday" => Some((day(-1)?, day(-1)?)),
        "tomorrow" => Some((day(1)?, day(1)?)),
        "week" => Some((week_start, week_start + Days::new(6))),
        "lastWeek" => Some((week_start - Days::new(7), week_start - Days::new(1))),
        "nextWeek" => Some((week_start + Days::new(7), week_start + Days::new(13))),
        "month" => span(month_start, 1),
        "lastMonth" => span(shift(month_start, -1)?, 1),
        "nextMonth" => span(shift(month_start, 1)?, 1),
        "quarter" => span(quarter_start, 3),
        "lastQuarter" => span(shift(quarter_start, -3)?, 3),
        "nextQuarter" => span(shift(quarter_start, 3)?, 3),
        "year" => span(year_start, 12),
        "lastYear" => span(shift(year_start, -12)?, 12),
        "nextYear" => span(shift(year_start, 12)?, 12),
        "firstHalfYear" => span(year_start, 6),
        "nextHalfYear" => span(shift(year_start, 6)?, 6),
        "previous7day" => Some((day(-6)?, today)),
        "previous30day" => Some((day(-29)?, today)),
        "future7day" => Some((today, day(6)?)),
        "future30day" => Some((today, day(29)?)),
        _ => None,
    }
}

impl Clock {
    /// Today in the configured zone.
    pub fn today(&self) -> NaiveDate {
        self.zone.from_utc_datetime(&self.now()).date_naive()
    }
}

#[cfg(test)]
mod keyword_tests {
    use super::*;

    #[test]
    fn keywords_cover_the_expected_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2026-11-25"); // a Wednesday
        let r = |k: &str| keyword_range(k, today).unwrap();
        assert_eq!(r("today"), (today, today));
        assert_eq!(r("yesterday"), (d("2026-11-24"), d("2026-11-24")));
        assert_eq!(r("week"), (d("2026-11-23"), d("2026-11-29")));
        assert_eq!(r("lastWeek"), (d("2026-11-16"), d("2026-11-22")));
        assert_eq!(r("month"), (d("2026-11-01"), d("2026-11-30")));
        assert_eq!(r("lastMonth"), (d("2026-10-01"), d("2026-10-31")));
        assert_eq!(r("nextMonth"), (d("2026-12-01"), d("2026-12-31")));
        assert_eq!(r("quarter"), (d("2026-10-01"), d("2026-12-31")));
        assert_eq!(r("lastQuarter"), (d("2026-07-01"), d("2026-09-30")));
        assert_eq!(r("nextQuarter"), (d("2027-01-01"), d("2027-03-31")));
        assert_eq!(r("year"), (d("2026-01-01"), d("2026-12-31")));
        assert_eq!(r("lastYear"), (d("2025-01-01"), d("2025-12-31")));
        assert_eq!(r("firstHalfYear"), (d("2026-01-01"), d("2026-06-30")));
        assert_eq!(r("nextHalfYear"), (d("2026-07-01"), d("2026-12-31")));
        assert_eq!(r("previous7day"), (d("2026-11-19"), today));
        assert_eq!(r("future30day"), (today, d("2026-12-24")));
        assert!(keyword_range("someday", today).is_none());
    }
}
