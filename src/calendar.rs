//! Working days, holidays and plan offsets.
//!
//! Onboarding plans schedule milestones relative to a start date ("kick-off + 3 business
//! days"). A [`WorkCalendar`] knows which weekdays a team works and which dates are
//! holidays, and turns an [`Offset`] into a concrete date.
//!
//! Business-day arithmetic skips whole weeks in one step and only walks day by day for the
//! last partial week and the holidays that fell inside a skipped stretch, so offsets of
//! thousands of business days cost about as much as a few days.
//!
//! Every date onboard reads or computes stays within [`FIRST_DAY`]..=[`LAST_DAY`]: a
//! date outside is a typo, and arithmetic that would leave the range returns `None`
//! rather than a date no page, chart or feed could show.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Bound;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The first day content may name or a plan may reach: 1 January 1900.
pub const FIRST_DAY: NaiveDate = ymd(1900, 1, 1);

/// The last day content may name or a plan may reach: 31 December 2200.
pub const LAST_DAY: NaiveDate = ymd(2200, 12, 31);

/// The longest offset a plan may hold, in calendar days: about 100 years.
pub const MAX_OFFSET_DAYS: u32 = 36_525;

/// Whether `date` lies within [`FIRST_DAY`]..=[`LAST_DAY`].
pub fn is_supported(date: NaiveDate) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&date)
}

/// A date known to exist, for constants.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("not a day of the calendar"),
    }
}

/// The weekdays worked when a calendar is built without any: Monday to Friday.
const STANDARD_WORKWEEK: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// Which weekdays a team works and which dates it takes off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Indexed by `Weekday::num_days_from_monday`.
    workdays: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    /// Builds a calendar from the worked weekdays and the holiday dates.
    ///
    /// An empty `workdays` list means the standard Monday–Friday week: a calendar with no
    /// working weekday could never reach a business-day deadline, and an omitted setting
    /// is far more likely than a team that never works.
    pub fn new(workdays: &[Weekday], holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        let worked = if workdays.is_empty() {
            &STANDARD_WORKWEEK[..]
        } else {
            workdays
        };
        let mut flags = [false; 7];
        for weekday in worked {
            flags[weekday.num_days_from_monday() as usize] = true;
        }
        Self {
            workdays: flags,
            holidays: holidays.into_iter().collect(),
        }
    }

    /// Whether `day` falls on a worked weekday and is not a holiday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        self.is_workday(day.weekday()) && !self.is_holiday(day)
    }

    /// Whether `day` is one of the calendar's holidays, whatever its weekday.
    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        self.holidays.contains(&day)
    }

    /// The date `n` working days after `start`: 3 business days after a Wednesday is the
    /// next Monday, or the Tuesday when that Monday is a holiday.
    ///
    /// `start` itself never counts, so `n = 0` returns `start` unchanged even when it is a
    /// weekend or holiday. `None` when the date would fall after [`LAST_DAY`]: the walk
    /// never goes further, however many holidays the calendar holds.
    pub fn add_business_days(&self, start: NaiveDate, n: u32) -> Option<NaiveDate> {
        let per_week = self.workdays_per_week();
        let mut day = start;
        // Invariant: `n - remaining` working days lie in (start, day].
        let mut remaining = u64::from(n);

        // Every run of 7 days holds exactly `per_week` worked weekdays, so whole weeks can
        // be skipped at once and the holidays inside them made up for afterwards. The
        // jump stops short of the last working day so that the walk below lands on a
        // working day rather than on whatever day closes the final week.
        while remaining > per_week {
            let weeks = (remaining - 1) / per_week;
            let next = day
                .checked_add_days(Days::new(weeks * 7))
                .filter(|next| *next <= LAST_DAY)?;
            let lost = self.workday_holidays_after_through(day, next);
            remaining -= weeks * per_week - lost;
            day = next;
        }

        while remaining > 0 {
            day = day.succ_opt().filter(|next| *next <= LAST_DAY)?;
            if self.is_working_day(day) {
                remaining -= 1;
            }
        }
        Some(day)
    }

    /// The number of working days in `(from, to]`, negated when `to` is before `from`.
    ///
    /// This is the inverse of [`Self::add_business_days`]:
    /// `business_days_between(d, add_business_days(d, n)) == n`. For `to < from` it
    /// mirrors the forward count, `-business_days_between(to, from)`, so a milestone two
    /// working days late reads as `-2` from the deadline's point of view.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.business_days_between(to, from);
        }
        let span = (to - from).num_days();
        let whole_weeks = span / 7;
        let first_weekday = from.weekday().num_days_from_monday() as i64;
        // The days left over after the whole weeks continue the weekday cycle from `from`.
        let leftover_workdays = (1..=span % 7)
            .filter(|offset| self.workdays[((first_weekday + offset) % 7) as usize])
            .count() as i64;
        let holidays = self.workday_holidays_after_through(from, to) as i64;
        whole_weeks * self.workdays_per_week() as i64 + leftover_workdays - holidays
    }

    /// The date `offset` after `start`; business-day offsets follow this calendar.
    ///
    /// `None` when that date would fall after [`LAST_DAY`].
    pub fn apply(&self, start: NaiveDate, offset: Offset) -> Option<NaiveDate> {
        let after_days = |days: u64| {
            start
                .checked_add_days(Days::new(days))
                .filter(|date| *date <= LAST_DAY)
        };
        match offset {
            Offset::Days(n) => after_days(u64::from(n)),
            Offset::Weeks(n) => after_days(u64::from(n) * 7),
            Offset::BusinessDays(n) => self.add_business_days(start, n),
        }
    }

    fn is_workday(&self, weekday: Weekday) -> bool {
        self.workdays[weekday.num_days_from_monday() as usize]
    }

    /// At least 1, because `new` never builds a calendar without workdays.
    fn workdays_per_week(&self) -> u64 {
        self.workdays.iter().filter(|&&worked| worked).count() as u64
    }

    /// Holidays in `(after, through]` that fall on a worked weekday; holidays on a weekend
    /// cost no working day.
    fn workday_holidays_after_through(&self, after: NaiveDate, through: NaiveDate) -> u64 {
        if through <= after {
            return 0;
        }
        self.holidays
            .range((Bound::Excluded(after), Bound::Included(through)))
            .filter(|day| self.is_workday(day.weekday()))
            .count() as u64
    }
}

impl Default for WorkCalendar {
    /// Monday to Friday with no holidays.
    fn default() -> Self {
        Self::new(&STANDARD_WORKWEEK, [])
    }
}

/// A distance from a start date, as written in a plan ("5 business days").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offset {
    /// Calendar days, weekends and holidays included.
    Days(u32),
    /// Working days of the team's [`WorkCalendar`].
    BusinessDays(u32),
    /// Calendar weeks of seven days.
    Weeks(u32),
}

impl FromStr for Offset {
    type Err = String;

    /// Accepts "N days", "N business days", "N working days" and "N weeks", singular or
    /// plural, in any letter case and with any spacing.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            format!(
                "invalid offset {text:?}: expected \"N days\", \"N business days\", \
                 \"N working days\" or \"N weeks\" (singular also accepted), \
                 with N a whole number such as 0, 3 or 10"
            )
        };
        let trimmed = text.trim();
        let digits_end = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len());
        let (number, unit) = trimmed.split_at(digits_end);
        let count: u32 = number.parse().map_err(|_| invalid())?;
        let unit = unit
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        let (offset, most, units) = match unit.as_str() {
            "day" | "days" => (Self::Days(count), MAX_OFFSET_DAYS, "days"),
            "business day" | "business days" | "working day" | "working days" => (
                Self::BusinessDays(count),
                MAX_OFFSET_DAYS / 7 * 5,
                "business days",
            ),
            "week" | "weeks" => (Self::Weeks(count), MAX_OFFSET_DAYS / 7, "weeks"),
            _ => return Err(invalid()),
        };
        if count > most {
            return Err(format!(
                "the offset {text:?} reaches beyond any plan: write at most {most} {units} \
                 (about 100 years)"
            ));
        }
        Ok(offset)
    }
}

impl fmt::Display for Offset {
    /// Writes the canonical form that [`Offset::from_str`] reads back: "1 day", "3 business
    /// days", "2 weeks".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (count, unit) = match *self {
            Self::Days(n) => (n, "day"),
            Self::BusinessDays(n) => (n, "business day"),
            Self::Weeks(n) => (n, "week"),
        };
        let plural = if count == 1 { "" } else { "s" };
        write!(f, "{count} {unit}{plural}")
    }
}

/// Reads a weekday name as teams write it in settings: "mon", "Monday", "TUE", "thurs".
pub fn parse_weekday(name: &str) -> Option<Weekday> {
    let weekday = match name.trim().to_lowercase().as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(weekday)
}

/// Reads a date written `YYYY-MM-DD` (four-digit year, two-digit month and
/// day), or `None` for any other shape or a day the calendar lacks such as
/// 2026-02-30. No allocation and no format string: every tracker date and
/// every date a template shows goes through here.
pub fn parse_ymd(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(
        i32::try_from(digits(0..4)?).ok()?,
        digits(5..7)?,
        digits(8..10)?,
    )
}

/// A date as every page shows it, in prose and in tables alike: "5 Jan
/// 2026" (`%-d %b %Y`). Files for machines (CSV, JSON, calendar feeds) and
/// `datetime` attributes write ISO dates instead.
pub fn long_date(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    if !(0..=9999).contains(&date.year()) {
        return date.format("%-d %b %Y").to_string();
    }
    format!(
        "{} {} {:04}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// Serialises an optional date as `YYYY-MM-DD` text (or none), for the page
/// contexts and exports that carry thousands of them.
pub fn serialize_iso<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
}

/// Minutes in a duration such as `45 minutes`, `5 min`, `1 h`, `1h30`.
pub fn duration_minutes(text: &str) -> Option<u32> {
    let lower = text.trim().to_lowercase();
    let digits: String = lower.chars().take_while(|c| c.is_ascii_digit()).collect();
    let number: u32 = digits.parse().ok()?;
    let rest = lower[digits.len()..].trim_start();
    if rest.starts_with('h') {
        let after = rest.trim_start_matches(|c: char| c.is_alphabetic()).trim();
        let extra: u32 = after
            .trim_end_matches(|c: char| c.is_alphabetic())
            .trim()
            .parse()
            .unwrap_or(0);
        // Checked: `99999999 h` is no duration, and must not overflow.
        number.checked_mul(60)?.checked_add(extra)
    } else if rest.is_empty() || rest.starts_with('m') {
        Some(number)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
    }

    #[test]
    fn reads_iso_dates_and_nothing_else() {
        assert_eq!(parse_ymd("2026-01-05"), Some(date(2026, 1, 5)));
        assert_eq!(parse_ymd("2024-02-29"), Some(date(2024, 2, 29)));
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-1-05",
            "2026/01/05",
            " 2026-01-05",
            "2026-01-0x",
            "",
            "20260105",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
    }

    #[test]
    fn long_dates_match_the_format_string() {
        let mut day = date(1999, 12, 25);
        for _ in 0..800 {
            assert_eq!(long_date(day), day.format("%-d %b %Y").to_string());
            day = day.succ_opt().unwrap();
        }
        assert_eq!(long_date(date(2026, 1, 5)), "5 Jan 2026");
    }

    fn with_holidays(holidays: &[NaiveDate]) -> WorkCalendar {
        WorkCalendar::new(&STANDARD_WORKWEEK, holidays.iter().copied())
    }

    /// The obvious day-by-day definition, to check the week-skipping one against.
    fn walk_business_days(calendar: &WorkCalendar, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut remaining = n;
        while remaining > 0 {
            day = day.succ_opt().expect("test dates stay in range");
            if calendar.is_working_day(day) {
                remaining -= 1;
            }
        }
        day
    }

    #[test]
    fn weekends_are_not_working_days() {
        let calendar = WorkCalendar::default();
        assert!(calendar.is_working_day(date(2026, 1, 16))); // Friday
        assert!(!calendar.is_working_day(date(2026, 1, 17))); // Saturday
        assert!(!calendar.is_working_day(date(2026, 1, 18))); // Sunday
        assert!(calendar.is_working_day(date(2026, 1, 19))); // Monday
    }

    #[test]
    fn business_days_skip_the_weekend() {
        let calendar = WorkCalendar::default();
        let friday = date(2026, 1, 16);
        assert_eq!(
            calendar.add_business_days(friday, 1),
            Some(date(2026, 1, 19))
        );
        assert_eq!(
            calendar.add_business_days(friday, 5),
            Some(date(2026, 1, 23))
        );
        // Starting on a weekend counts from the following Monday.
        let saturday = date(2026, 1, 17);
        assert_eq!(
            calendar.add_business_days(saturday, 1),
            Some(date(2026, 1, 19))
        );
        assert_eq!(
            calendar.add_business_days(saturday, 5),
            Some(date(2026, 1, 23))
        );
    }

    #[test]
    fn a_monday_holiday_pushes_the_deadline_to_tuesday() {
        let wednesday = date(2026, 1, 14);
        assert_eq!(wednesday.weekday(), Weekday::Wed);
        assert_eq!(
            WorkCalendar::default().add_business_days(wednesday, 3),
            Some(date(2026, 1, 19))
        );
        let calendar = with_holidays(&[date(2026, 1, 19)]);
        assert!(calendar.is_holiday(date(2026, 1, 19)));
        assert!(!calendar.is_working_day(date(2026, 1, 19)));
        assert_eq!(
            calendar.add_business_days(wednesday, 3),
            Some(date(2026, 1, 20))
        );
    }

    #[test]
    fn a_weekend_holiday_costs_no_working_day() {
        let calendar = with_holidays(&[date(2026, 1, 17)]);
        assert!(calendar.is_holiday(date(2026, 1, 17)));
        assert_eq!(
            calendar.add_business_days(date(2026, 1, 14), 3),
            Some(date(2026, 1, 19))
        );
        assert_eq!(
            calendar.business_days_between(date(2026, 1, 14), date(2026, 1, 19)),
            3
        );
    }

    #[test]
    fn offsets_cross_months_and_years() {
        let calendar = WorkCalendar::default();
        let monday = date(2025, 12, 29);
        assert_eq!(monday.weekday(), Weekday::Mon);
        assert_eq!(
            calendar.add_business_days(monday, 5),
            Some(date(2026, 1, 5))
        );
        let new_year = with_holidays(&[date(2026, 1, 1)]);
        assert_eq!(
            new_year.add_business_days(monday, 5),
            Some(date(2026, 1, 6))
        );
        // Friday 30 January to Monday 2 February.
        assert_eq!(
            calendar.add_business_days(date(2026, 1, 30), 1),
            Some(date(2026, 2, 2))
        );
        assert_eq!(
            calendar.apply(date(2025, 12, 20), Offset::Days(15)),
            Some(date(2026, 1, 4))
        );
    }

    #[test]
    fn leap_day_2028_is_an_ordinary_tuesday() {
        let calendar = WorkCalendar::default();
        let monday = date(2028, 2, 28);
        assert_eq!(monday.weekday(), Weekday::Mon);
        assert_eq!(
            calendar.apply(monday, Offset::Days(1)),
            Some(date(2028, 2, 29))
        );
        assert_eq!(
            calendar.apply(monday, Offset::Days(2)),
            Some(date(2028, 3, 1))
        );
        assert_eq!(
            calendar.add_business_days(monday, 1),
            Some(date(2028, 2, 29))
        );
        assert_eq!(
            calendar.add_business_days(monday, 2),
            Some(date(2028, 3, 1))
        );
        // Friday 25 February to Wednesday 1 March: Monday, Tuesday 29th, Wednesday.
        assert_eq!(
            calendar.business_days_between(date(2028, 2, 25), date(2028, 3, 1)),
            3
        );
        let leap_holiday = with_holidays(&[date(2028, 2, 29)]);
        assert_eq!(
            leap_holiday.add_business_days(monday, 1),
            Some(date(2028, 3, 1))
        );
    }

    #[test]
    fn offset_zero_returns_the_start_unchanged() {
        let saturday = date(2026, 1, 17);
        let holiday = date(2026, 1, 19);
        let calendar = with_holidays(&[holiday]);
        assert_eq!(calendar.add_business_days(saturday, 0), Some(saturday));
        assert_eq!(calendar.add_business_days(holiday, 0), Some(holiday));
        assert_eq!(calendar.apply(saturday, Offset::Days(0)), Some(saturday));
        assert_eq!(calendar.apply(saturday, Offset::Weeks(0)), Some(saturday));
        assert_eq!(
            calendar.apply(saturday, Offset::BusinessDays(0)),
            Some(saturday)
        );
        assert_eq!(calendar.business_days_between(saturday, saturday), 0);
    }

    #[test]
    fn weeks_are_seven_calendar_days_regardless_of_holidays() {
        let calendar = with_holidays(&[date(2026, 1, 19)]);
        let start = date(2026, 1, 14);
        assert_eq!(
            calendar.apply(start, Offset::Weeks(1)),
            Some(date(2026, 1, 21))
        );
        assert_eq!(
            calendar.apply(start, Offset::Weeks(3)),
            Some(date(2026, 2, 4))
        );
        assert_eq!(
            calendar.apply(start, Offset::Weeks(52)),
            Some(date(2027, 1, 13))
        );
        assert_eq!(
            calendar.apply(start, Offset::BusinessDays(3)),
            Some(date(2026, 1, 20))
        );
    }

    #[test]
    fn business_days_between_counts_in_both_directions() {
        let calendar = WorkCalendar::default();
        let wednesday = date(2026, 1, 14);
        let monday = date(2026, 1, 19);
        assert_eq!(calendar.business_days_between(wednesday, monday), 3);
        assert_eq!(calendar.business_days_between(monday, wednesday), -3);
        // Saturday to Sunday holds no working day either way.
        let saturday = date(2026, 1, 17);
        let sunday = date(2026, 1, 18);
        assert_eq!(calendar.business_days_between(saturday, sunday), 0);
        assert_eq!(calendar.business_days_between(sunday, saturday), 0);
        // A whole year of Mondays to Fridays: 2026 has 261 of them.
        assert_eq!(
            calendar.business_days_between(date(2025, 12, 31), date(2026, 12, 31)),
            261
        );
    }

    #[test]
    fn business_days_between_leaves_out_holidays() {
        let calendar = with_holidays(&[date(2026, 1, 19), date(2026, 1, 1)]);
        let wednesday = date(2026, 1, 14);
        let monday = date(2026, 1, 19);
        assert_eq!(calendar.business_days_between(wednesday, monday), 2);
        assert_eq!(calendar.business_days_between(monday, wednesday), -2);
        assert_eq!(
            calendar.business_days_between(date(2025, 12, 31), date(2026, 1, 31)),
            20
        );
    }

    #[test]
    fn adding_then_counting_round_trips() {
        let calendar = with_holidays(&[
            date(2026, 1, 1),
            date(2026, 1, 19),
            date(2026, 2, 16),
            date(2026, 5, 25),
            date(2026, 7, 3),
            date(2026, 7, 4),
            date(2026, 9, 7),
            date(2026, 11, 26),
            date(2026, 11, 27),
            date(2026, 12, 24),
            date(2026, 12, 25),
            date(2026, 12, 28),
            date(2026, 12, 29),
            date(2026, 12, 30),
            date(2026, 12, 31),
            date(2027, 1, 1),
        ]);
        let mut start = date(2025, 12, 1);
        for _ in 0..450 {
            for n in (0..=40).chain([57, 128, 261, 400]) {
                let end = calendar.add_business_days(start, n).expect("in range");
                assert_eq!(
                    end,
                    walk_business_days(&calendar, start, n),
                    "{start} + {n}"
                );
                assert_eq!(
                    calendar.business_days_between(start, end),
                    i64::from(n),
                    "{start} + {n}"
                );
                assert_eq!(calendar.business_days_between(end, start), -i64::from(n));
                if n > 0 {
                    assert!(calendar.is_working_day(end), "{start} + {n} = {end}");
                }
            }
            start = start.succ_opt().expect("in range");
        }
    }

    #[test]
    fn ten_thousand_business_days_match_the_day_by_day_walk() {
        let holidays: Vec<_> = (2026..2070)
            .flat_map(|year| [date(year, 1, 1), date(year, 7, 4), date(year, 12, 25)])
            .collect();
        for calendar in [WorkCalendar::default(), with_holidays(&holidays)] {
            let start = date(2026, 3, 11);
            let end = calendar.add_business_days(start, 10_000).expect("in range");
            assert_eq!(end, walk_business_days(&calendar, start, 10_000));
            assert_eq!(calendar.business_days_between(start, end), 10_000);
        }
    }

    #[test]
    fn a_long_closure_is_crossed() {
        // The whole of January 2026 off: the jump lands inside it repeatedly.
        let closure: Vec<_> = (1..=31).map(|day| date(2026, 1, day)).collect();
        let calendar = with_holidays(&closure);
        let start = date(2025, 12, 31);
        assert_eq!(calendar.add_business_days(start, 1), Some(date(2026, 2, 2)));
        assert_eq!(
            calendar.add_business_days(start, 11),
            Some(date(2026, 2, 16))
        );
        assert_eq!(calendar.business_days_between(start, date(2026, 2, 16)), 11);
    }

    #[test]
    fn dates_past_the_last_day_are_none_instead_of_overflowing() {
        let closed_forever: Vec<_> = (0..=366)
            .map(|day| date(2200, 1, 1) + Days::new(day))
            .collect();
        for calendar in [WorkCalendar::default(), with_holidays(&closed_forever)] {
            let start = date(2026, 1, 1);
            assert_eq!(calendar.apply(start, Offset::Days(u32::MAX)), None);
            assert_eq!(calendar.apply(start, Offset::Weeks(u32::MAX)), None);
            assert_eq!(calendar.apply(start, Offset::BusinessDays(u32::MAX)), None);
            assert_eq!(calendar.add_business_days(LAST_DAY, 1), None);
            assert_eq!(calendar.apply(NaiveDate::MAX, Offset::Days(1)), None);
            assert_eq!(calendar.add_business_days(NaiveDate::MAX, 1), None);
        }
        // A walk through a year of holidays stops at the last day.
        assert_eq!(
            with_holidays(&closed_forever).add_business_days(date(2199, 12, 31), 1),
            None
        );
        // The last day itself is still reachable.
        let calendar = WorkCalendar::default();
        let days = (LAST_DAY - date(2200, 12, 1)).num_days() as u32;
        assert_eq!(
            calendar.apply(date(2200, 12, 1), Offset::Days(days)),
            Some(LAST_DAY)
        );
        assert_eq!(
            calendar.apply(date(2200, 12, 1), Offset::Days(days + 1)),
            None
        );
        assert!(is_supported(FIRST_DAY) && is_supported(LAST_DAY));
        assert!(!is_supported(FIRST_DAY.pred_opt().unwrap()));
        assert!(!is_supported(LAST_DAY.succ_opt().unwrap()));
    }

    #[test]
    fn offsets_longer_than_a_century_are_refused() {
        assert_eq!("36525 days".parse::<Offset>(), Ok(Offset::Days(36_525)));
        assert_eq!("5217 weeks".parse::<Offset>(), Ok(Offset::Weeks(5_217)));
        assert_eq!(
            "26085 business days".parse::<Offset>(),
            Ok(Offset::BusinessDays(26_085))
        );
        for text in [
            "36526 days",
            "5218 weeks",
            "26086 business days",
            "95000000 days",
        ] {
            let error = text.parse::<Offset>().expect_err(text);
            assert!(error.contains("about 100 years"), "{text}: {error}");
        }
    }

    #[test]
    fn a_sunday_to_thursday_week() {
        let workdays: Vec<_> = ["sun", "Mon", "TUE", "wednesday", "thu"]
            .into_iter()
            .map(|name| parse_weekday(name).expect("known weekday"))
            .collect();
        let calendar = WorkCalendar::new(&workdays, []);
        let thursday = date(2026, 1, 15);
        assert!(!calendar.is_working_day(date(2026, 1, 16))); // Friday
        assert!(!calendar.is_working_day(date(2026, 1, 17))); // Saturday
        assert!(calendar.is_working_day(date(2026, 1, 18))); // Sunday
        assert_eq!(
            calendar.add_business_days(thursday, 1),
            Some(date(2026, 1, 18))
        );
        assert_eq!(
            calendar.add_business_days(thursday, 5),
            Some(date(2026, 1, 22))
        );
        assert_eq!(
            calendar.add_business_days(thursday, 6),
            Some(date(2026, 1, 25))
        );
        assert_eq!(
            calendar.business_days_between(thursday, date(2026, 1, 25)),
            6
        );
        for n in 0..100 {
            let end = calendar.add_business_days(thursday, n).expect("in range");
            assert_eq!(end, walk_business_days(&calendar, thursday, n));
            assert_eq!(calendar.business_days_between(thursday, end), i64::from(n));
        }
    }

    #[test]
    fn no_workdays_means_monday_to_friday() {
        let calendar = WorkCalendar::new(&[], [date(2026, 1, 19)]);
        assert_eq!(calendar, with_holidays(&[date(2026, 1, 19)]));
        assert_eq!(
            calendar.add_business_days(date(2026, 1, 14), 3),
            Some(date(2026, 1, 20))
        );
    }

    #[test]
    fn parses_every_offset_form() {
        let cases = [
            ("5 days", Offset::Days(5)),
            ("1 day", Offset::Days(1)),
            ("0 days", Offset::Days(0)),
            ("3 business days", Offset::BusinessDays(3)),
            ("1 business day", Offset::BusinessDays(1)),
            ("10 working days", Offset::BusinessDays(10)),
            ("1 working day", Offset::BusinessDays(1)),
            ("2 weeks", Offset::Weeks(2)),
            ("1 week", Offset::Weeks(1)),
            ("  4   Business   DAYS  ", Offset::BusinessDays(4)),
            ("7 DAYS", Offset::Days(7)),
            ("\t6 Weeks\n", Offset::Weeks(6)),
            ("3days", Offset::Days(3)),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<Offset>(), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn rejects_malformed_offsets_naming_the_accepted_forms() {
        for text in [
            "",
            "   ",
            "days",
            "5",
            "five days",
            "-3 days",
            "+3 days",
            "2.5 days",
            "3 months",
            "3 business",
            "3 business weeks",
            "99999999999 days",
        ] {
            let error = text.parse::<Offset>().expect_err(text);
            assert!(error.contains("N business days"), "{text:?}: {error}");
            assert!(error.contains("N weeks"), "{text:?}: {error}");
        }
    }

    #[test]
    fn offsets_display_in_the_form_they_parse_from() {
        let cases = [
            (Offset::Days(1), "1 day"),
            (Offset::Days(0), "0 days"),
            (Offset::Days(12), "12 days"),
            (Offset::BusinessDays(1), "1 business day"),
            (Offset::BusinessDays(3), "3 business days"),
            (Offset::Weeks(1), "1 week"),
            (Offset::Weeks(2), "2 weeks"),
        ];
        for (offset, text) in cases {
            assert_eq!(offset.to_string(), text);
            assert_eq!(text.parse::<Offset>(), Ok(offset));
        }
    }

    #[test]
    fn parses_weekday_names_and_abbreviations() {
        assert_eq!(parse_weekday("mon"), Some(Weekday::Mon));
        assert_eq!(parse_weekday("Monday"), Some(Weekday::Mon));
        assert_eq!(parse_weekday("Tue"), Some(Weekday::Tue));
        assert_eq!(parse_weekday("WEDNESDAY"), Some(Weekday::Wed));
        assert_eq!(parse_weekday("thurs"), Some(Weekday::Thu));
        assert_eq!(parse_weekday(" fri "), Some(Weekday::Fri));
        assert_eq!(parse_weekday("Sat"), Some(Weekday::Sat));
        assert_eq!(parse_weekday("sunday"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("mo"), None);
        assert_eq!(parse_weekday(""), None);
        assert_eq!(parse_weekday("weekday"), None);
    }

    #[test]
    fn durations_in_minutes() {
        assert_eq!(duration_minutes("45 minutes"), Some(45));
        assert_eq!(duration_minutes("5 min"), Some(5));
        assert_eq!(duration_minutes("1 h"), Some(60));
        assert_eq!(duration_minutes("1h 30"), Some(90));
        assert_eq!(duration_minutes("soon"), None);
    }

    #[test]
    fn durations_too_long_to_count_are_unreadable() {
        // Found by the loader mutation test in tests/lints.rs: this overflowed.
        assert_eq!(duration_minutes("99999999 h"), None);
        assert_eq!(duration_minutes("71582788 h 59"), None);
    }
}
