//! As-of computations for milestones and customers (SPEC section 2).
//!
//! Every status rule lives here, and [`assess`] is the one step that applies
//! them: resolve plans a customer's milestones (dates from the playbook),
//! then calls it with the site's as-of date. Pure functions over dates:
//! nothing here reads files, so every rule can be tested on its own.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::model::{MilestoneStatus, Side, Tracker};

/// A tracker milestone after the plan was applied, with its status as of
/// the site's date (`late`, `days_late`, `on_time` and
/// `target_on_non_working_day`, set by [`assess`]).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Milestone {
    /// Name.
    pub name: String,
    /// The mark it sets, given or inferred from the name.
    pub marks: Option<String>,
    /// Planned date (given, or derived from the playbook's offset).
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub target_date: Option<NaiveDate>,
    /// Whether the target came from the playbook plan.
    pub target_from_plan: bool,
    /// When it was done.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub actual_date: Option<NaiveDate>,
    /// Status as written.
    pub status: MilestoneStatus,
    /// What stands in the way.
    pub blockers: Vec<String>,
    /// Done criteria.
    pub criteria: Option<String>,
    /// Shown on the customer site.
    pub customer_visible: bool,
    /// Added from the playbook because the tracker did not list it.
    pub from_plan: bool,
    /// Not done and its target is before as-of.
    pub late: bool,
    /// Days past target: as-of minus target while late, actual minus target
    /// when completed after the target, else 0; null without a target.
    pub days_late: Option<i64>,
    /// For completed milestones with a target: done on or before it.
    pub on_time: Option<bool>,
    /// The target falls on a weekend or holiday.
    pub target_on_non_working_day: bool,
    /// The person who owns it.
    pub owner: Option<String>,
    /// Who does the work.
    pub side: Side,
    /// The agreed revised date while it is open.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub forecast_date: Option<NaiveDate>,
    /// Who signed it off for the customer.
    pub accepted_by: Option<String>,
    /// When the customer signed it off.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub accepted_on: Option<NaiveDate>,
    /// How it is reached: `sop` or `sop#step` references from the plan
    /// milestone's `sops:` and its `phase:`.
    pub sops: Vec<String>,
    /// The tracker line of the milestone (0 when it came from the plan).
    #[serde(skip)]
    pub line: usize,
}

impl Milestone {
    /// Complete or skipped.
    pub fn is_closed(&self) -> bool {
        matches!(
            self.status,
            MilestoneStatus::Complete | MilestoneStatus::Skipped
        )
    }
}

/// The mark a milestone sets when none is written: a name containing
/// "kickoff" marks `kickoff`, one containing "first value" marks `first_value`.
pub fn infer_mark(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    if lower.contains("kickoff") || lower.contains("kick-off") {
        Some("kickoff".to_string())
    } else if lower.contains("first value") {
        Some("first_value".to_string())
    } else {
        None
    }
}

/// Fills in lateness, days late, on-time and the non-working-day flag.
fn assess_milestone(milestone: &mut Milestone, as_of: NaiveDate, calendar: &WorkCalendar) {
    let done = milestone.is_closed();
    milestone.late = !done && milestone.target_date.is_some_and(|t| t < as_of);
    milestone.days_late = milestone.target_date.map(|target| {
        if milestone.late {
            (as_of - target).num_days()
        } else if milestone.status == MilestoneStatus::Complete {
            milestone
                .actual_date
                .map(|actual| (actual - target).num_days().max(0))
                .unwrap_or(0)
        } else {
            0
        }
    });
    milestone.on_time = match (
        milestone.status,
        milestone.target_date,
        milestone.actual_date,
    ) {
        (MilestoneStatus::Complete, Some(target), Some(actual)) => Some(actual <= target),
        _ => None,
    };
    milestone.target_on_non_working_day = milestone
        .target_date
        .is_some_and(|t| !calendar.is_working_day(t));
}

/// `complete | late | at_risk | on_track`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerState {
    /// Behind: a milestone is late.
    Late,
    /// Blocked, high risk, or due soon with open blockers.
    AtRisk,
    /// Everything on plan.
    OnTrack,
    /// Every milestone done.
    Complete,
}

impl CustomerState {
    /// Every state, most urgent first.
    pub const ALL: [CustomerState; 4] = [
        CustomerState::Late,
        CustomerState::AtRisk,
        CustomerState::OnTrack,
        CustomerState::Complete,
    ];

    /// The word used in exports and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerState::Late => "late",
            CustomerState::AtRisk => "at_risk",
            CustomerState::OnTrack => "on_track",
            CustomerState::Complete => "complete",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            CustomerState::Late => "Late",
            CustomerState::AtRisk => "At risk",
            CustomerState::OnTrack => "On track",
            CustomerState::Complete => "Complete",
        }
    }
}

/// Done and total milestones, skipped ones excluded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Completed.
    pub done: usize,
    /// Not skipped.
    pub total: usize,
}

impl Progress {
    /// Counts over the given milestones.
    pub fn of<'a>(milestones: impl IntoIterator<Item = &'a Milestone>) -> Progress {
        let mut progress = Progress::default();
        for milestone in milestones {
            match milestone.status {
                MilestoneStatus::Skipped => {}
                MilestoneStatus::Complete => {
                    progress.done += 1;
                    progress.total += 1;
                }
                _ => progress.total += 1,
            }
        }
        progress
    }

    /// Whole percent done (0 when there is nothing to do).
    pub fn percent(&self) -> u32 {
        if self.total == 0 {
            0
        } else {
            ((self.done * 100) as f64 / self.total as f64).round() as u32
        }
    }
}

/// Computed figures for one customer.
#[derive(Clone, Debug, Serialize)]
pub struct CustomerStatus {
    /// Overall state.
    pub state: CustomerState,
    /// Milestones done / total.
    pub progress: Progress,
    /// Percent done.
    pub percent: u32,
    /// Index into the milestones of the next open one.
    #[serde(skip)]
    pub next_index: Option<usize>,
    /// Name of the next open milestone.
    pub next_milestone: Option<String>,
    /// Its target date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub next_target: Option<NaiveDate>,
    /// Business days from start to the kickoff milestone's actual date.
    pub time_to_kickoff_business_days: Option<i64>,
    /// Days from start to the first-value milestone's actual date.
    pub time_to_first_value_days: Option<i64>,
    /// Blockers on milestones that are not done.
    pub open_blockers: usize,
    /// Actions not done.
    pub open_actions: usize,
    /// How many milestones are late.
    pub late_milestones: usize,
    /// The largest days late among late milestones.
    pub max_days_late: i64,
    /// Why the state is what it is, in words.
    pub reasons: Vec<String>,
}

/// What [`assess`] reads of a tracker besides its milestones.
pub struct CustomerFacts<'a> {
    /// Contract signature.
    pub start_date: Option<NaiveDate>,
    /// `health.risk_level`.
    pub risk_level: Option<&'a str>,
    /// Actions not yet done.
    pub open_actions: usize,
}

impl<'a> CustomerFacts<'a> {
    /// The facts a tracker states: its start date, risk level and the
    /// actions not yet done.
    pub fn of(tracker: &'a Tracker) -> CustomerFacts<'a> {
        CustomerFacts {
            start_date: tracker.customer.start_date.as_ref().map(|d| d.value.0),
            risk_level: tracker
                .health
                .as_ref()
                .and_then(|h| h.risk_level.as_deref()),
            open_actions: tracker.actions.iter().filter(|a| !a.done).count(),
        }
    }
}

/// The date a mark was reached: `start` is the start date, any other mark
/// the actual date of the completed milestone that sets it.
pub fn mark_date(
    mark: &str,
    start: Option<NaiveDate>,
    milestones: &[Milestone],
) -> Option<NaiveDate> {
    if mark == "start" {
        return start;
    }
    milestones
        .iter()
        .find(|m| m.marks.as_deref() == Some(mark) && m.status == MilestoneStatus::Complete)
        .and_then(|m| m.actual_date)
}

/// Assesses one customer as of `as_of`: each planned milestone's lateness,
/// days late, on-time flag and non-working-day flag, then the customer's
/// state, progress and the other figures of SPEC section 2. The one place
/// status is computed; resolve calls it for each customer once its plan
/// is applied.
pub fn assess(
    milestones: &mut [Milestone],
    facts: &CustomerFacts<'_>,
    as_of: NaiveDate,
    calendar: &WorkCalendar,
) -> CustomerStatus {
    for milestone in milestones.iter_mut() {
        assess_milestone(milestone, as_of, calendar);
    }
    customer_status(milestones, facts, as_of, calendar)
}

/// State, progress and the other per-customer figures, over milestones
/// already assessed.
fn customer_status(
    milestones: &[Milestone],
    facts: &CustomerFacts<'_>,
    as_of: NaiveDate,
    calendar: &WorkCalendar,
) -> CustomerStatus {
    let progress = Progress::of(milestones);
    let late: Vec<&Milestone> = milestones.iter().filter(|m| m.late).collect();
    let (state, reasons) = customer_state(milestones, &late, progress, facts, as_of, calendar);
    let next_index = next_open(milestones);
    let start = facts.start_date;
    let kickoff = mark_date("kickoff", None, milestones);
    let first_value = mark_date("first_value", None, milestones);
    CustomerStatus {
        state,
        progress,
        percent: progress.percent(),
        next_index,
        next_milestone: next_index.map(|i| milestones[i].name.clone()),
        next_target: next_index.and_then(|i| milestones[i].target_date),
        time_to_kickoff_business_days: start
            .zip(kickoff)
            .map(|(start, kickoff)| calendar.business_days_between(start, kickoff)),
        time_to_first_value_days: start
            .zip(first_value)
            .map(|(start, value)| (value - start).num_days()),
        open_blockers: milestones
            .iter()
            .filter(|m| !m.is_closed())
            .map(|m| m.blockers.len())
            .sum(),
        open_actions: facts.open_actions,
        late_milestones: late.len(),
        max_days_late: late.iter().filter_map(|m| m.days_late).max().unwrap_or(0),
        reasons,
    }
}

/// The customer's state and why, in words: complete when every milestone
/// is done; else late when one is late; else at risk for any of
/// [`risk_reasons`]; else on track.
fn customer_state(
    milestones: &[Milestone],
    late: &[&Milestone],
    progress: Progress,
    facts: &CustomerFacts<'_>,
    as_of: NaiveDate,
    calendar: &WorkCalendar,
) -> (CustomerState, Vec<String>) {
    if progress.total > 0 && progress.done == progress.total {
        return (CustomerState::Complete, Vec::new());
    }
    if !late.is_empty() {
        let reasons = late
            .iter()
            .map(|m| {
                format!(
                    "{} is {} day{} late",
                    m.name,
                    m.days_late.unwrap_or(0),
                    if m.days_late == Some(1) { "" } else { "s" }
                )
            })
            .collect();
        return (CustomerState::Late, reasons);
    }
    let risks = risk_reasons(milestones, facts, as_of, calendar);
    if risks.is_empty() {
        (CustomerState::OnTrack, risks)
    } else {
        (CustomerState::AtRisk, risks)
    }
}

/// What puts a customer at risk: blocked milestones, a high risk level,
/// and open milestones with blockers due within 2 working days.
fn risk_reasons(
    milestones: &[Milestone],
    facts: &CustomerFacts<'_>,
    as_of: NaiveDate,
    calendar: &WorkCalendar,
) -> Vec<String> {
    let mut reasons: Vec<String> = milestones
        .iter()
        .filter(|m| m.status == MilestoneStatus::Blocked)
        .map(|m| format!("{} is blocked", m.name))
        .collect();
    if facts
        .risk_level
        .is_some_and(|r| r.eq_ignore_ascii_case("high"))
    {
        reasons.push("risk level is high".to_string());
    }
    let due_soon =
        |target: NaiveDate| target >= as_of && calendar.business_days_between(as_of, target) <= 2;
    reasons.extend(
        milestones
            .iter()
            .filter(|m| !m.is_closed() && !m.blockers.is_empty())
            .filter(|m| m.target_date.is_some_and(due_soon))
            .map(|m| format!("{} is due within 2 working days with open blockers", m.name)),
    );
    reasons
}

/// The open milestone due first (undated ones last, ties in list order).
fn next_open(milestones: &[Milestone]) -> Option<usize> {
    milestones
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.is_closed())
        .min_by_key(|(index, m)| (m.target_date.is_none(), m.target_date, *index))
        .map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn milestone(
        name: &str,
        target: &str,
        actual: Option<&str>,
        status: MilestoneStatus,
    ) -> Milestone {
        Milestone {
            name: name.to_string(),
            marks: infer_mark(name),
            target_date: Some(day(target)),
            target_from_plan: false,
            actual_date: actual.map(day),
            status,
            blockers: Vec::new(),
            criteria: None,
            customer_visible: true,
            from_plan: false,
            late: false,
            days_late: None,
            on_time: None,
            target_on_non_working_day: false,
            line: 0,
            ..Milestone::default()
        }
    }

    fn assessed(mut list: Vec<Milestone>, as_of: &str) -> Vec<Milestone> {
        let calendar = WorkCalendar::default();
        for m in &mut list {
            assess_milestone(m, day(as_of), &calendar);
        }
        list
    }

    fn facts() -> CustomerFacts<'static> {
        CustomerFacts {
            start_date: Some(day("2026-01-15")),
            risk_level: None,
            open_actions: 0,
        }
    }

    #[test]
    fn marks_are_inferred_from_names() {
        assert_eq!(infer_mark("Kickoff completed").as_deref(), Some("kickoff"));
        assert_eq!(
            infer_mark("First value achieved").as_deref(),
            Some("first_value")
        );
        assert_eq!(infer_mark("Training delivered"), None);
    }

    #[test]
    fn open_milestone_past_target_is_late_by_calendar_days() {
        let list = assessed(
            vec![milestone(
                "Integration configured",
                "2026-01-22",
                None,
                MilestoneStatus::InProgress,
            )],
            "2026-01-25",
        );
        assert!(list[0].late);
        assert_eq!(list[0].days_late, Some(3));
        assert_eq!(list[0].on_time, None);
    }

    #[test]
    fn milestone_due_today_is_not_late() {
        let list = assessed(
            vec![milestone(
                "Training",
                "2026-01-25",
                None,
                MilestoneStatus::Pending,
            )],
            "2026-01-25",
        );
        assert!(!list[0].late);
        assert_eq!(list[0].days_late, Some(0));
    }

    #[test]
    fn completed_after_target_is_not_late_but_not_on_time() {
        let list = assessed(
            vec![milestone(
                "Kickoff completed",
                "2026-01-17",
                Some("2026-01-19"),
                MilestoneStatus::Complete,
            )],
            "2026-01-25",
        );
        assert!(!list[0].late);
        assert_eq!(list[0].on_time, Some(false));
        assert_eq!(list[0].days_late, Some(2));
        assert!(
            list[0].target_on_non_working_day,
            "2026-01-17 is a Saturday"
        );
    }

    #[test]
    fn late_wins_over_at_risk() {
        let mut blocked = milestone("Training", "2026-02-10", None, MilestoneStatus::Blocked);
        blocked.blockers.push("No trainer".into());
        let list = assessed(
            vec![
                milestone(
                    "Integration",
                    "2026-01-22",
                    None,
                    MilestoneStatus::InProgress,
                ),
                blocked,
            ],
            "2026-01-25",
        );
        let status = customer_status(&list, &facts(), day("2026-01-25"), &WorkCalendar::default());
        assert_eq!(status.state, CustomerState::Late);
        assert_eq!(status.open_blockers, 1);
        assert_eq!(status.late_milestones, 1);
    }

    #[test]
    fn blocked_or_high_risk_or_due_soon_with_blockers_is_at_risk() {
        let as_of = day("2026-01-23"); // a Friday
        let calendar = WorkCalendar::default();
        let blocked = assessed(
            vec![milestone(
                "Training",
                "2026-02-10",
                None,
                MilestoneStatus::Blocked,
            )],
            "2026-01-23",
        );
        assert_eq!(
            customer_status(&blocked, &facts(), as_of, &calendar).state,
            CustomerState::AtRisk
        );

        let fine = assessed(
            vec![milestone(
                "Training",
                "2026-02-10",
                None,
                MilestoneStatus::Pending,
            )],
            "2026-01-23",
        );
        let risky = CustomerFacts {
            risk_level: Some("High"),
            ..facts()
        };
        assert_eq!(
            customer_status(&fine, &risky, as_of, &calendar).state,
            CustomerState::AtRisk
        );
        assert_eq!(
            customer_status(&fine, &facts(), as_of, &calendar).state,
            CustomerState::OnTrack
        );

        // Tuesday is 2 working days after Friday; Wednesday is 3.
        let mut soon = milestone(
            "Integration",
            "2026-01-27",
            None,
            MilestoneStatus::InProgress,
        );
        soon.blockers.push("Waiting on SSO metadata".into());
        let mut later = soon.clone();
        later.target_date = Some(day("2026-01-28"));
        let soon = assessed(vec![soon], "2026-01-23");
        let later = assessed(vec![later], "2026-01-23");
        assert_eq!(
            customer_status(&soon, &facts(), as_of, &calendar).state,
            CustomerState::AtRisk
        );
        assert_eq!(
            customer_status(&later, &facts(), as_of, &calendar).state,
            CustomerState::OnTrack
        );
    }

    #[test]
    fn progress_excludes_skipped_and_complete_state_needs_all_done() {
        let list = assessed(
            vec![
                milestone(
                    "Kickoff completed",
                    "2026-01-16",
                    Some("2026-01-16"),
                    MilestoneStatus::Complete,
                ),
                milestone("Optional", "2026-01-20", None, MilestoneStatus::Skipped),
                milestone(
                    "First value achieved",
                    "2026-01-29",
                    Some("2026-01-28"),
                    MilestoneStatus::Complete,
                ),
            ],
            "2026-02-01",
        );
        let status = customer_status(&list, &facts(), day("2026-02-01"), &WorkCalendar::default());
        assert_eq!(status.progress, Progress { done: 2, total: 2 });
        assert_eq!(status.state, CustomerState::Complete);
        assert_eq!(status.time_to_kickoff_business_days, Some(1));
        assert_eq!(status.time_to_first_value_days, Some(13));
        assert_eq!(status.next_milestone, None);
    }

    #[test]
    fn assess_fills_in_each_milestone_then_the_customer() {
        let mut list = vec![
            milestone(
                "Kickoff completed",
                "2026-01-16",
                Some("2026-01-19"),
                MilestoneStatus::Complete,
            ),
            milestone("Training", "2026-01-22", None, MilestoneStatus::Pending),
        ];
        let status = assess(
            &mut list,
            &facts(),
            day("2026-01-25"),
            &WorkCalendar::default(),
        );
        assert_eq!(list[0].on_time, Some(false));
        assert_eq!(list[0].days_late, Some(3));
        assert!(list[1].late);
        assert_eq!(list[1].days_late, Some(3));
        assert_eq!(status.state, CustomerState::Late);
        assert_eq!(status.reasons, ["Training is 3 days late"]);
        assert_eq!(status.next_milestone.as_deref(), Some("Training"));
        assert_eq!(status.max_days_late, 3);
    }

    #[test]
    fn next_milestone_is_the_earliest_open_target() {
        let list = assessed(
            vec![
                milestone("B", "2026-01-29", None, MilestoneStatus::Pending),
                milestone("A", "2026-01-27", None, MilestoneStatus::Pending),
                milestone(
                    "Done",
                    "2026-01-20",
                    Some("2026-01-20"),
                    MilestoneStatus::Complete,
                ),
            ],
            "2026-01-25",
        );
        let status = customer_status(&list, &facts(), day("2026-01-25"), &WorkCalendar::default());
        assert_eq!(status.next_milestone.as_deref(), Some("A"));
        assert_eq!(status.next_target, Some(day("2026-01-27")));
        assert_eq!(
            status.time_to_kickoff_business_days, None,
            "no kickoff reached"
        );
    }
}
