//! KPI measures over the portfolio (SPEC section 2).
//!
//! Every SOP KPI that has a `measure` is computed over the customer trackers
//! within its scope (`applies_to:`, all of them by default) and compared
//! with its target: an interval between two marks, the on-time
//! rate of completed milestones, the share of customers complete within N
//! days, or a statistic over tracker scores. The portfolio summary counts
//! customers by state, tier and CSM next to those KPI outcomes.
//!
//! Everything here is a pure function of the resolved [`Site`]: no files, no
//! clock. Missing data is left out and never guessed: a customer whose end
//! mark has not been reached does not count towards an interval.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::measure::{KpiDef, KpiScope, Measure, Unit};
use crate::model::MilestoneStatus;
use crate::site::{Customer, Site};
use crate::status::{self, CustomerState, Milestone};
use crate::target::{Stat, Target};

/// The tier and CSM name used when a tracker names none.
const UNASSIGNED: &str = "unassigned";

/// One KPI of one SOP, computed as of the site's date.
#[derive(Clone, Debug, Serialize)]
pub struct KpiResult {
    /// The SOP the KPI belongs to.
    pub sop: String,
    /// KPI id, unique within the SOP.
    pub id: String,
    /// KPI name.
    pub name: String,
    /// The target as written (`"< 5"`, `">= 85%"`).
    #[serde(rename = "target")]
    pub target_text: Option<String>,
    /// The parsed target.
    #[serde(skip)]
    pub target: Option<Target>,
    /// How the value is computed, if it is.
    #[serde(skip)]
    pub measure: Option<Measure>,
    /// The measured value: days or a score rounded to 2 decimals, or for
    /// rates a percentage (0 to 100) rounded to 1 decimal. `None` without a
    /// measure or without data.
    pub value: Option<f64>,
    /// The value's unit: `None` for scores and target-only KPIs.
    pub unit: Option<Unit>,
    /// Whether the value meets the target; `None` when either is missing.
    pub met: Option<bool>,
    /// Which customers the KPI is about (`applies_to:`).
    pub scope: KpiScope,
    /// How many customers fall within the scope (all of them when the KPI
    /// has none), whether or not they have data yet.
    pub in_scope: usize,
    /// How many customers the value is computed over: those in scope that
    /// have the data the measure needs.
    pub customers: usize,
    /// Per-customer values of interval and score measures (rounded like
    /// `value`), in customer order, for distribution charts; empty for rates.
    pub values: Vec<f64>,
    /// The customer each of `values` belongs to, as an index into
    /// `Site::customers`, so charts can name their dots.
    #[serde(skip)]
    pub value_customers: Vec<usize>,
}

/// Computes every KPI of every published SOP, in SOP-id order then in the
/// order the SOP lists its KPIs.
pub fn compute_kpis(site: &Site) -> Vec<KpiResult> {
    // Each KPI reads every customer, and the build waits for them all.
    let kpis: Vec<(&str, &KpiDef)> = site
        .sops
        .iter()
        .filter(|sop| sop.published)
        .flat_map(|sop| sop.kpis.iter().map(move |kpi| (sop.id.as_str(), kpi)))
        .collect();
    kpis.into_par_iter()
        .map(|(sop, kpi)| compute_kpi(site, sop, kpi))
        .collect()
}

/// Whether `kpi` measures `customer`: its `applies_to:` names the
/// customer's playbook and tier, or it has none.
pub fn in_scope(kpi: &KpiDef, customer: &Customer) -> bool {
    kpi.scope.includes(
        customer.playbook.as_deref(),
        customer.tracker().customer.tier.as_deref(),
    )
}

/// One KPI over the site's customers within its scope.
fn compute_kpi(site: &Site, sop: &str, kpi: &KpiDef) -> KpiResult {
    let (scoped_index, scoped): (Vec<usize>, Vec<&Customer>) = site
        .customers
        .iter()
        .enumerate()
        .filter(|(_, c)| in_scope(kpi, c))
        .unzip();
    let measured = match &kpi.measure {
        Some(measure) => Measured::of(measure, &scoped, site),
        None => Measured::default(),
    };
    // Judged on the unrounded figure, so that a rate of 84.96% does not pass
    // ">= 85%" because it is shown as 85.0.
    let met = kpi
        .target
        .as_ref()
        .zip(measured.compared)
        .map(|(target, value)| target.is_met_by(value));
    KpiResult {
        sop: sop.to_string(),
        id: kpi.id.clone(),
        name: kpi.name.clone(),
        target_text: kpi.target_text.clone(),
        target: kpi.target.clone(),
        measure: kpi.measure.clone(),
        value: measured.shown,
        unit: kpi.measure.as_ref().and_then(Measure::unit),
        met,
        scope: kpi.scope.clone(),
        in_scope: scoped.len(),
        customers: measured.customers,
        value_customers: measured
            .values
            .iter()
            .map(|(at, _)| scoped_index[*at])
            .collect(),
        values: measured.values.into_iter().map(|(_, v)| v).collect(),
    }
}

/// A measure's figures over the customers in a KPI's scope.
#[derive(Default)]
struct Measured {
    /// What the target is compared with, unrounded: a ratio for rates,
    /// since that is what `Target::is_met_by` expects for percent targets.
    compared: Option<f64>,
    /// The value shown: rounded, and a percentage for rates.
    shown: Option<f64>,
    /// Customers the value is computed over.
    customers: usize,
    /// Per-customer values (rounded) of interval and score measures, each
    /// with the position of its customer among those in scope.
    values: Vec<(usize, f64)>,
}

impl Measured {
    /// Computes `measure` over `scoped`, the customers in scope.
    fn of(measure: &Measure, scoped: &[&Customer], site: &Site) -> Measured {
        let scoped = scoped.iter().copied();
        match measure {
            Measure::Interval {
                from,
                to,
                business_days,
                stat,
            } => Measured::statistic(interval_by_customer(
                scoped,
                from,
                to,
                *business_days,
                *stat,
                &site.calendar,
            )),
            Measure::OnTime => {
                Measured::rate(on_time_rate(scoped.map(|c| c.milestones.as_slice())))
            }
            Measure::CompleteWithin { days } => {
                Measured::rate(complete_within(scoped, *days, site.as_of))
            }
            Measure::Score { name, stat } => {
                Measured::statistic(score_by_customer(scoped, name, *stat))
            }
        }
    }

    /// A statistic over per-customer values, shown rounded to 2 decimals.
    fn statistic((value, customers, values): (Option<f64>, usize, Vec<(usize, f64)>)) -> Measured {
        Measured {
            compared: value,
            shown: value.map(round2),
            customers,
            values: values.into_iter().map(|(c, v)| (c, round2(v))).collect(),
        }
    }

    /// A rate, shown as a percentage with one decimal.
    fn rate((ratio, customers): (Option<f64>, usize)) -> Measured {
        Measured {
            compared: ratio,
            shown: ratio.map(percent),
            customers,
            values: Vec::new(),
        }
    }
}

/// The time from mark `from` to mark `to` per customer, condensed by `stat`.
///
/// `start` is the start date; any other mark is the actual date of the
/// completed milestone that sets it. Customers missing either date are left
/// out. Returns the statistic (unrounded), the number of customers measured
/// and their values in customer order, in calendar days or, with
/// `business_days`, in working days of `calendar`.
pub fn interval<'a>(
    customers: impl IntoIterator<Item = &'a Customer>,
    from: &str,
    to: &str,
    business_days: bool,
    stat: Stat,
    calendar: &WorkCalendar,
) -> (Option<f64>, usize, Vec<f64>) {
    let (value, count, values) =
        interval_by_customer(customers, from, to, business_days, stat, calendar);
    (value, count, values.into_iter().map(|(_, v)| v).collect())
}

/// [`interval`], each value with the position of its customer in `customers`.
fn interval_by_customer<'a>(
    customers: impl IntoIterator<Item = &'a Customer>,
    from: &str,
    to: &str,
    business_days: bool,
    stat: Stat,
    calendar: &WorkCalendar,
) -> (Option<f64>, usize, Vec<(usize, f64)>) {
    let values: Vec<(usize, f64)> = customers
        .into_iter()
        .enumerate()
        .filter_map(|(at, customer)| {
            let start = customer.start_date();
            let begin = status::mark_date(from, start, &customer.milestones)?;
            let end = status::mark_date(to, start, &customer.milestones)?;
            let length = if business_days {
                calendar.business_days_between(begin, end)
            } else {
                (end - begin).num_days()
            };
            Some((at, length as f64))
        })
        .collect();
    let numbers: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
    (stat.apply(&numbers), values.len(), values)
}

/// Completed milestones judged for timeliness, and how many were on time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct OnTimeTally {
    /// Completed milestones with both a target and an actual date.
    judged: usize,
    /// Of those, done on or before the target.
    on_time: usize,
    /// Customers with at least one judged milestone.
    customers: usize,
}

impl OnTimeTally {
    /// With `overdue`, open milestones past their target count as judged
    /// and not on time: they can no longer be (the portfolio's rule, so a
    /// CSM whose only account is late does not show 100%).
    fn of<'a>(
        milestones_by_customer: impl Iterator<Item = &'a [Milestone]>,
        overdue: bool,
    ) -> OnTimeTally {
        let mut tally = OnTimeTally::default();
        for milestones in milestones_by_customer {
            // `on_time` is set only for completed milestones with both dates:
            // one completed without an actual date cannot be judged.
            let judged: Vec<bool> = milestones
                .iter()
                .filter_map(|m| match m.on_time {
                    Some(on_time) => Some(on_time),
                    None => (overdue && m.late).then_some(false),
                })
                .collect();
            if !judged.is_empty() {
                tally.customers += 1;
                tally.judged += judged.len();
                tally.on_time += judged.iter().filter(|on_time| **on_time).count();
            }
        }
        tally
    }

    fn ratio(self) -> Option<f64> {
        (self.judged > 0).then(|| self.on_time as f64 / self.judged as f64)
    }
}

/// The share (0 to 1) of completed milestones with a target that were done
/// on or before it, and the number of customers having such a milestone.
///
/// `None` when no completed milestone has both a target and an actual date.
pub fn on_time_rate<'a>(
    milestones_by_customer: impl Iterator<Item = &'a [Milestone]>,
) -> (Option<f64>, usize) {
    let tally = OnTimeTally::of(milestones_by_customer, false);
    (tally.ratio(), tally.customers)
}

/// The share (0 to 1) of eligible customers whose every milestone was
/// complete within `days` of their start, and the number of eligible ones.
///
/// A customer is eligible when it is complete, or when its `days` have
/// passed by `as_of`; customers still inside their window are not judged
/// yet. Customers without a start date or without any milestone to do
/// (all skipped, or none) are left out, as are those whose only doubt is a
/// completed milestone without an actual date: nothing is guessed.
pub fn complete_within<'a>(
    customers: impl IntoIterator<Item = &'a Customer>,
    days: u32,
    as_of: NaiveDate,
) -> (Option<f64>, usize) {
    let mut eligible = 0;
    let mut succeeded = 0;
    for customer in customers {
        let Some(start) = customer.start_date() else {
            continue;
        };
        let deadline = start
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX);
        let complete = customer.status.state == CustomerState::Complete;
        if !complete && as_of < deadline {
            continue;
        }
        match done_by(&customer.milestones, deadline) {
            Some(success) => {
                eligible += 1;
                succeeded += usize::from(success);
            }
            None => continue,
        }
    }
    let ratio = (eligible > 0).then(|| succeeded as f64 / eligible as f64);
    (ratio, eligible)
}

/// Whether every non-skipped milestone was complete by `deadline`: `None`
/// when that cannot be told (nothing to do, or a completed milestone
/// without an actual date and no other milestone that settles it).
fn done_by(milestones: &[Milestone], deadline: NaiveDate) -> Option<bool> {
    let mut todo = milestones
        .iter()
        .filter(|m| m.status != MilestoneStatus::Skipped)
        .peekable();
    todo.peek()?;
    let mut unknown = false;
    for milestone in todo {
        if milestone.status != MilestoneStatus::Complete {
            return Some(false);
        }
        match milestone.actual_date {
            Some(actual) if actual > deadline => return Some(false),
            Some(_) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(true)
}

/// The statistic `stat` over the trackers' `scores` named `name` (customers
/// without that score are left out), the number of customers having it and
/// their scores in customer order.
pub fn score<'a>(
    customers: impl IntoIterator<Item = &'a Customer>,
    name: &str,
    stat: Stat,
) -> (Option<f64>, usize, Vec<f64>) {
    let (value, count, values) = score_by_customer(customers, name, stat);
    (value, count, values.into_iter().map(|(_, v)| v).collect())
}

/// [`score`], each value with the position of its customer in `customers`.
fn score_by_customer<'a>(
    customers: impl IntoIterator<Item = &'a Customer>,
    name: &str,
    stat: Stat,
) -> (Option<f64>, usize, Vec<(usize, f64)>) {
    let values: Vec<(usize, f64)> = customers
        .into_iter()
        .enumerate()
        .filter_map(|(at, customer)| Some((at, *customer.tracker().scores.get(name)?)))
        .collect();
    let numbers: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
    (stat.apply(&numbers), values.len(), values)
}

/// The portfolio at a glance: customers by state, tier and CSM, on-time
/// delivery and KPI outcomes.
#[derive(Clone, Debug, Serialize)]
pub struct Portfolio {
    /// Number of customers.
    pub total: usize,
    /// `(state, label, count)` for every state in [`CustomerState::ALL`]
    /// order, zero counts included so charts keep their colours.
    pub by_state: Vec<(String, String, usize)>,
    /// `(tier, count)` sorted by tier; trackers without one count as
    /// `unassigned`.
    pub by_tier: Vec<(String, usize)>,
    /// One row per CSM, sorted by name; trackers without one count as
    /// `unassigned`.
    pub by_csm: Vec<CsmSummary>,
    /// Percentage (0 to 100, 1 decimal) of judged milestones done by their
    /// target, over all customers: completed ones with both dates, and open
    /// ones past their target, which count as not on time. `None` when none
    /// can be judged.
    pub on_time_rate: Option<f64>,
    /// Milestones judged for `on_time_rate`.
    pub on_time_milestones: usize,
    /// Measured KPIs that meet their target.
    pub kpis_met: usize,
    /// Measured KPIs that miss their target.
    pub kpis_missed: usize,
    /// KPIs that have a measure but no data to compute it from.
    pub kpis_no_data: usize,
    /// Slugs of customers needing attention: late ones first, then at-risk
    /// ones, each group by slug.
    pub attention: Vec<String>,
}

/// One CSM's book of customers.
#[derive(Clone, Debug, Serialize)]
pub struct CsmSummary {
    /// The CSM's name as written in the trackers.
    pub csm: String,
    /// Customers they own.
    pub customers: usize,
    /// Of those, late.
    pub late: usize,
    /// Of those, at risk.
    pub at_risk: usize,
    /// Percentage (0 to 100, 1 decimal) of their judged milestones done by
    /// target (overdue open ones count as not on time, as in
    /// [`Portfolio::on_time_rate`]); `None` when none can be judged.
    pub on_time_rate: Option<f64>,
    /// Milestones judged for `on_time_rate`.
    pub on_time_milestones: usize,
}

/// Summarises the site's customers and the computed `kpis`.
pub fn portfolio(site: &Site, kpis: &[KpiResult]) -> Portfolio {
    let customers = &site.customers;
    let by_state = CustomerState::ALL
        .iter()
        .map(|state| {
            let count = customers
                .iter()
                .filter(|c| c.status.state == *state)
                .count();
            (state.as_str().to_string(), state.label().to_string(), count)
        })
        .collect();
    let tally = OnTimeTally::of(customers.iter().map(|c| c.milestones.as_slice()), true);

    // Target-only KPIs are shown but never counted: there is nothing to judge.
    let measured: Vec<&KpiResult> = kpis.iter().filter(|k| has_measure(site, k)).collect();
    let kpis_met = measured.iter().filter(|k| k.met == Some(true)).count();
    let kpis_missed = measured.iter().filter(|k| k.met == Some(false)).count();
    let kpis_no_data = measured.iter().filter(|k| k.value.is_none()).count();

    Portfolio {
        total: customers.len(),
        by_state,
        by_tier: count_by_tier(customers),
        by_csm: csm_summaries(customers),
        on_time_rate: tally.ratio().map(percent),
        on_time_milestones: tally.judged,
        kpis_met,
        kpis_missed,
        kpis_no_data,
        attention: needing_attention(customers),
    }
}

/// `(tier, count)` by tier, trackers without one as `unassigned`.
fn count_by_tier(customers: &[Customer]) -> Vec<(String, usize)> {
    let mut tiers: BTreeMap<String, usize> = BTreeMap::new();
    for customer in customers {
        let tier = customer.tracker().customer.tier.as_deref();
        *tiers.entry(name_or_unassigned(tier)).or_default() += 1;
    }
    tiers.into_iter().collect()
}

/// One row per CSM, by name, trackers without one as `unassigned`.
fn csm_summaries(customers: &[Customer]) -> Vec<CsmSummary> {
    let mut books: BTreeMap<String, Vec<&Customer>> = BTreeMap::new();
    for customer in customers {
        let csm = customer.tracker().customer.csm.as_deref();
        books
            .entry(name_or_unassigned(csm))
            .or_default()
            .push(customer);
    }
    books
        .into_iter()
        .map(|(csm, book)| {
            let tally = OnTimeTally::of(book.iter().map(|c| c.milestones.as_slice()), true);
            let in_state = |state| book.iter().filter(|c| c.status.state == state).count();
            CsmSummary {
                csm,
                customers: book.len(),
                late: in_state(CustomerState::Late),
                at_risk: in_state(CustomerState::AtRisk),
                on_time_rate: tally.ratio().map(percent),
                on_time_milestones: tally.judged,
            }
        })
        .collect()
}

/// The slugs of late customers, then of at-risk ones, each group by slug.
fn needing_attention(customers: &[Customer]) -> Vec<String> {
    let mut attention: Vec<&Customer> = customers
        .iter()
        .filter(|c| matches!(c.status.state, CustomerState::Late | CustomerState::AtRisk))
        .collect();
    // `CustomerState` orders Late before AtRisk.
    attention.sort_by(|a, b| (a.status.state, &a.slug).cmp(&(b.status.state, &b.slug)));
    attention.into_iter().map(|c| c.slug.clone()).collect()
}

/// Whether the KPI behind `result` has a measure in the site.
fn has_measure(site: &Site, result: &KpiResult) -> bool {
    site.sop(&result.sop)
        .and_then(|sop| sop.kpis.iter().find(|kpi| kpi.id == result.id))
        .is_some_and(|kpi| kpi.measure.is_some())
}

/// A tier or CSM name, blank ones grouped as `unassigned`.
fn name_or_unassigned(name: Option<&str>) -> String {
    match name.map(str::trim) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => UNASSIGNED.to_string(),
    }
}

/// Rounds days and scores for display.
fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A ratio as a percentage with one decimal.
fn percent(ratio: f64) -> f64 {
    (ratio * 1000.0).round() / 10.0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::site::Site;

    pub(crate) fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// The site that `files` resolve to as of `as_of`, which must have no
    /// errors.
    pub(crate) fn site_from(files: &[(&str, &str)], as_of: &str) -> Site {
        let (site, resolved) = crate::site::testing::resolve_files(files, as_of);
        assert!(!resolved.has_errors(), "{resolved}");
        site
    }

    use crate::site::testing::CONFIG;

    const SOP: &str = r#"
kind: sop
id: kickoff
title: Kickoff
kpis:
  - id: time-to-kickoff
    name: Business days to kickoff
    measure: { from: start, to: kickoff, unit: business_days, stat: median }
    target: "< 5"
  - id: ttfv
    name: Days to first value
    measure: { from: start, to: first_value, unit: days, stat: median }
    target: "< 14"
  - id: kickoff-to-value
    name: Kickoff to first value
    measure: { from: kickoff, to: first_value, stat: mean }
    target: "< 10"
  - id: kickoff-p90
    name: Slowest kickoffs
    measure: { from: start, to: kickoff, unit: days, stat: p90 }
  - id: completion-90
    name: Complete within 90 days
    measure: { rate: complete_within, days: 90 }
    target: ">= 85%"
  - id: on-time
    name: Milestones on time
    measure: { rate: on_time }
    target: ">= 90%"
  - id: nps
    name: NPS
    measure: { score: nps, stat: mean }
    target: ">= 40"
  - id: adherence
    name: Process adherence
    target: "> 95%"
  - id: csat
    name: CSAT
    measure: { score: csat, stat: median }
    target: ">= 4"
"#;

    const DRAFT_SOP: &str = r#"
kind: sop
id: a-draft
title: Draft
status: draft
kpis:
  - id: hidden
    name: Not built
    measure: { rate: on_time }
"#;

    // Start Thu 2026-01-15. Kickoff on time; first value a day late. Complete.
    const ALPHA: &str = r#"
customer: { name: Alpha, slug: alpha, tier: enterprise, csm: Jane Smith, start_date: "2026-01-15" }
milestones:
  - { name: Kickoff completed, target_date: "2026-01-16", actual_date: "2026-01-16", status: complete }
  - { name: First value achieved, target_date: "2026-01-29", actual_date: "2026-01-30", status: complete }
scores: { nps: 50 }
"#;

    // Start Mon 2026-01-12; kickoff Tue 01-20 across the Monday holiday.
    // Training is open past its target: late, and not complete within 90 days.
    const BRAVO: &str = r#"
customer: { name: Bravo, slug: bravo, tier: enterprise, csm: Jane Smith, start_date: "2026-01-12" }
milestones:
  - { name: Kickoff completed, target_date: "2026-01-14", actual_date: "2026-01-20", status: complete }
  - { name: First value achieved, target_date: "2026-01-26", actual_date: "2026-01-26", status: complete }
  - { name: Training delivered, target_date: "2026-02-10", status: pending }
scores: { nps: 30 }
"#;

    // Started recently: first value not reached, 90 days not yet passed. High risk.
    const CHARLIE: &str = r#"
customer: { name: Charlie, slug: charlie, tier: mid-market, csm: Omar Diaz, start_date: "2026-03-02" }
milestones:
  - { name: Kickoff completed, target_date: "2026-03-04", actual_date: "2026-03-03", status: complete }
  - { name: First value achieved, target_date: "2026-04-24", status: in_progress }
health: { risk_level: high }
"#;

    // No start date, no tier, no CSM. A completed milestone without a target.
    const DELTA: &str = r#"
customer: { name: Delta, slug: delta }
milestones:
  - { name: Kickoff completed, target_date: "2026-02-02", actual_date: "2026-02-02", status: complete }
  - { name: First value achieved, target_date: "2026-02-09", actual_date: "2026-02-10", status: complete }
  - { name: Training delivered, actual_date: "2026-02-12", status: complete }
"#;

    // Complete well before its 90 days are over.
    const ECHO: &str = r#"
customer: { name: Echo, slug: echo, tier: smb, csm: Omar Diaz, start_date: "2026-03-16" }
milestones:
  - { name: Kickoff completed, target_date: "2026-03-18", actual_date: "2026-03-18", status: complete }
  - { name: First value achieved, target_date: "2026-03-30", actual_date: "2026-03-30", status: complete }
  - { name: Handoff, marks: handoff, target_date: "2026-03-31", actual_date: "2026-03-31", status: complete }
  - { name: Extra workshop, status: skipped }
scores: { nps: 45 }
"#;

    // Nothing done yet, nothing late.
    const FOXTROT: &str = r#"
customer: { name: Foxtrot, slug: foxtrot, tier: mid-market, csm: Omar Diaz, start_date: "2026-04-10" }
milestones:
  - { name: Kickoff completed, target_date: "2026-04-22", status: pending }
"#;

    const AS_OF: &str = "2026-04-20";

    pub(crate) fn portfolio_site() -> Site {
        site_from(
            &[
                ("onboard.yaml", CONFIG),
                ("playbooks/kickoff.yaml", SOP),
                ("playbooks/draft.yaml", DRAFT_SOP),
                ("content/customers/alpha.yaml", ALPHA),
                ("content/customers/bravo.yaml", BRAVO),
                ("content/customers/charlie.yaml", CHARLIE),
                ("content/customers/delta.yaml", DELTA),
                ("content/customers/echo.yaml", ECHO),
                ("content/customers/foxtrot.yaml", FOXTROT),
            ],
            AS_OF,
        )
    }

    fn kpi<'a>(kpis: &'a [KpiResult], id: &str) -> &'a KpiResult {
        kpis.iter()
            .find(|k| k.id == id)
            .unwrap_or_else(|| panic!("no KPI {id}"))
    }

    #[test]
    fn kpis_of_published_sops_in_order() {
        let site = portfolio_site();
        let kpis = compute_kpis(&site);
        let ids: Vec<(&str, &str)> = kpis
            .iter()
            .map(|k| (k.sop.as_str(), k.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("kickoff", "time-to-kickoff"),
                ("kickoff", "ttfv"),
                ("kickoff", "kickoff-to-value"),
                ("kickoff", "kickoff-p90"),
                ("kickoff", "completion-90"),
                ("kickoff", "on-time"),
                ("kickoff", "nps"),
                ("kickoff", "adherence"),
                ("kickoff", "csat"),
            ],
            "the draft SOP is not built, so its KPIs are not computed"
        );
    }

    #[test]
    fn business_day_interval_with_even_median() {
        let kpis = compute_kpis(&portfolio_site());
        let k = kpi(&kpis, "time-to-kickoff");
        // alpha Thu→Fri = 1; bravo Mon 12 → Tue 20 skipping the holiday = 5;
        // charlie Mon→Tue = 1; echo Mon→Wed = 2; delta has no start and
        // foxtrot no kickoff yet: both left out. Sorted 1, 1, 2, 5.
        assert_eq!(k.values, [1.0, 5.0, 1.0, 2.0]);
        assert_eq!(k.customers, 4);
        assert_eq!(k.value, Some(1.5));
        assert_eq!(k.unit.map(Unit::as_str), Some("business_days"));
        assert_eq!(k.target_text.as_deref(), Some("< 5"));
        assert_eq!(k.met, Some(true));
    }

    #[test]
    fn missing_end_leaves_customer_out_and_odd_median_is_the_middle() {
        let kpis = compute_kpis(&portfolio_site());
        let k = kpi(&kpis, "ttfv");
        // alpha 01-15 → 01-30 = 15, bravo 01-12 → 01-26 = 14, echo 03-16 →
        // 03-30 = 14; charlie has not reached first value: left out, not
        // counted as zero or as today.
        assert_eq!(k.values, [15.0, 14.0, 14.0]);
        assert_eq!(k.customers, 3);
        assert_eq!(k.value, Some(14.0));
        assert_eq!(k.unit.map(Unit::as_str), Some("days"));
        assert_eq!(k.met, Some(false), "14 is not < 14");
    }

    #[test]
    fn mean_interval_between_milestone_marks() {
        let kpis = compute_kpis(&portfolio_site());
        let k = kpi(&kpis, "kickoff-to-value");
        // alpha 01-16 → 01-30 = 14, bravo 01-20 → 01-26 = 6, delta 02-02 → 02-10 = 8,
        // echo 03-18 → 03-30 = 12; no start date needed. 40 / 4 = 10.
        assert_eq!(k.values, [14.0, 6.0, 8.0, 12.0]);
        assert_eq!(k.value, Some(10.0));
        assert_eq!(k.met, Some(false), "10 is not < 10");
        assert_eq!(
            k.unit.map(Unit::as_str),
            Some("days"),
            "days is the default unit"
        );
    }

    #[test]
    fn p90_interval_without_target_has_no_verdict() {
        let kpis = compute_kpis(&portfolio_site());
        let k = kpi(&kpis, "kickoff-p90");
        // alpha 1, bravo 8, charlie 1, echo 2: rank ceil(3.6) = 4th smallest = 8.
        assert_eq!(k.values, [1.0, 8.0, 1.0, 2.0]);
        assert_eq!(k.value, Some(8.0));
        assert_eq!(k.target, None);
        assert_eq!(k.met, None);
    }

    #[test]
    fn complete_within_counts_only_eligible_customers() {
        let kpis = compute_kpis(&portfolio_site());
        let k = kpi(&kpis, "completion-90");
        // Eligible: alpha (complete, success), bravo (90 days passed on 04-15,
        // training open: failure), echo (complete early, success; the skipped
        // milestone does not count). Charlie and foxtrot are still inside
        // their 90 days; delta has no start date. 2 of 3.
        assert_eq!(k.customers, 3);
        assert_eq!(k.value, Some(66.7));
        assert_eq!(k.unit.map(Unit::as_str), Some("%"));
        assert!(k.values.is_empty());
        assert_eq!(k.met, Some(false));
    }

    #[test]
    fn complete_within_judges_a_customer_once_its_days_have_passed() {
        let site = portfolio_site();
        let bravo = |as_of| complete_within(&site.customers[1..2], 90, day(as_of));
        assert_eq!(site.customers[1].slug, "bravo");
        // Start 2026-01-12 + 90 days = 2026-04-12.
        assert_eq!(bravo("2026-04-11"), (None, 0), "not yet eligible");
        assert_eq!(bravo("2026-04-12"), (Some(0.0), 1));
        // Alpha finished on 01-30: within 14 days but not within 10.
        let alpha = &site.customers[0..1];
        assert_eq!(complete_within(alpha, 15, day(AS_OF)), (Some(1.0), 1));
        assert_eq!(complete_within(alpha, 10, day(AS_OF)), (Some(0.0), 1));
    }

    #[test]
    fn complete_within_leaves_out_what_cannot_be_told() {
        // The date is missing on purpose, so its lint is lowered to a warning.
        let config = format!("{CONFIG}lints: {{ complete-without-actual-date: warn }}\n");
        let site = site_from(
            &[
                ("onboard.yaml", &config),
                // Complete, but one completion date is unknown: left out.
                (
                    "content/customers/golf.yaml",
                    "customer: { name: Golf, start_date: \"2026-01-05\" }\nmilestones:\n  \
                     - { name: Kickoff, status: complete }\n  \
                     - { name: Go live, actual_date: \"2026-01-20\", status: complete }\n",
                ),
                // Nothing to do: left out rather than counted as a success.
                (
                    "content/customers/hotel.yaml",
                    "customer: { name: Hotel, start_date: \"2026-01-05\" }\nmilestones:\n  \
                     - { name: Workshop, status: skipped }\n",
                ),
                // An unknown date, but an open milestone settles it: a failure.
                (
                    "content/customers/india.yaml",
                    "customer: { name: India, start_date: \"2026-01-05\" }\nmilestones:\n  \
                     - { name: Kickoff, status: complete }\n  \
                     - { name: Training, status: pending }\n",
                ),
            ],
            AS_OF,
        );
        assert_eq!(
            complete_within(&site.customers, 30, day(AS_OF)),
            (Some(0.0), 1)
        );
    }

    #[test]
    fn on_time_rate_over_completed_milestones_with_targets() {
        let site = portfolio_site();
        let kpis = compute_kpis(&site);
        let k = kpi(&kpis, "on-time");
        // On time / judged: alpha 1/2, bravo 1/2, charlie 1/1, delta 1/2 (the
        // milestone without a target is not judged), echo 3/3, foxtrot none.
        // 7 of 10, over the 5 customers that have a judged milestone.
        assert_eq!(k.value, Some(70.0));
        assert_eq!(k.customers, 5);
        assert_eq!(k.met, Some(false));
        let (ratio, customers) =
            on_time_rate(site.customers.iter().map(|c| c.milestones.as_slice()));
        assert_eq!(ratio, Some(0.7));
        assert_eq!(customers, 5);
        assert_eq!(on_time_rate(std::iter::empty()), (None, 0));
    }

    #[test]
    fn score_mean_and_no_data() {
        let site = portfolio_site();
        let kpis = compute_kpis(&site);
        let nps = kpi(&kpis, "nps");
        // (50 + 30 + 45) / 3 = 41.666…
        assert_eq!(nps.values, [50.0, 30.0, 45.0]);
        assert_eq!(nps.value, Some(41.67));
        assert_eq!(nps.customers, 3);
        assert_eq!(nps.unit, None);
        assert_eq!(nps.met, Some(true));

        let csat = kpi(&kpis, "csat");
        assert_eq!((csat.value, csat.customers, csat.met), (None, 0, None));
        assert_eq!(
            score(&site.customers, "nps", Stat::Median),
            (Some(45.0), 3, vec![50.0, 30.0, 45.0])
        );
    }

    #[test]
    fn kpi_without_measure_is_target_only() {
        let kpis = compute_kpis(&portfolio_site());
        let k = kpi(&kpis, "adherence");
        assert_eq!(k.target_text.as_deref(), Some("> 95%"));
        assert_eq!(
            (k.value, k.met, k.customers, k.unit.map(Unit::as_str)),
            (None, None, 0, None)
        );
    }

    #[test]
    fn interval_in_calendar_or_business_days() {
        let site = portfolio_site();
        let calendar = &site.calendar;
        let bravo = &site.customers[1..2];
        assert_eq!(
            interval(bravo, "start", "kickoff", false, Stat::Max, calendar),
            (Some(8.0), 1, vec![8.0])
        );
        assert_eq!(
            interval(bravo, "start", "kickoff", true, Stat::Max, calendar),
            (Some(5.0), 1, vec![5.0])
        );
        // Nobody reached handoff except echo; an unknown mark matches nobody.
        assert_eq!(
            interval(
                &site.customers,
                "start",
                "handoff",
                false,
                Stat::Mean,
                calendar
            )
            .1,
            1
        );
        assert_eq!(
            interval(
                &site.customers,
                "start",
                "go_live",
                false,
                Stat::Mean,
                calendar
            ),
            (None, 0, vec![])
        );
    }

    #[test]
    fn portfolio_counts_states_tiers_and_csms() {
        let site = portfolio_site();
        let kpis = compute_kpis(&site);
        let p = portfolio(&site, &kpis);
        assert_eq!(p.total, 6);
        let states: Vec<(&str, &str, usize)> = p
            .by_state
            .iter()
            .map(|(s, l, n)| (s.as_str(), l.as_str(), *n))
            .collect();
        assert_eq!(
            states,
            [
                ("late", "Late", 1),
                ("at_risk", "At risk", 1),
                ("on_track", "On track", 1),
                ("complete", "Complete", 3)
            ]
        );
        let tiers: Vec<(&str, usize)> = p.by_tier.iter().map(|(t, n)| (t.as_str(), *n)).collect();
        assert_eq!(
            tiers,
            [
                ("enterprise", 2),
                ("mid-market", 2),
                ("smb", 1),
                ("unassigned", 1)
            ]
        );

        // (csm, customers, late, at risk, on-time %, judged milestones)
        type CsmRow<'a> = (&'a str, usize, usize, usize, Option<f64>, usize);
        let csms: Vec<CsmRow> = p
            .by_csm
            .iter()
            .map(|c| {
                (
                    c.csm.as_str(),
                    c.customers,
                    c.late,
                    c.at_risk,
                    c.on_time_rate,
                    c.on_time_milestones,
                )
            })
            .collect();
        assert_eq!(
            csms,
            [
                // Bravo's training is late: judged, and not on time.
                ("Jane Smith", 2, 1, 0, Some(40.0), 5),
                ("Omar Diaz", 3, 0, 1, Some(100.0), 4),
                ("unassigned", 1, 0, 0, Some(50.0), 2),
            ]
        );
        assert_eq!(p.on_time_rate, Some(63.6));
        assert_eq!(p.on_time_milestones, 11);
        // Met: time-to-kickoff, nps. Missed: ttfv, kickoff-to-value,
        // completion-90, on-time. No data: csat. Neither: kickoff-p90 (no
        // target) and adherence (no measure).
        assert_eq!((p.kpis_met, p.kpis_missed, p.kpis_no_data), (2, 4, 1));
        assert_eq!(p.attention, ["bravo", "charlie"]);
    }

    #[test]
    fn overdue_open_milestones_count_as_not_on_time_by_csm() {
        let late_only = r#"
customer: { name: Late Co, slug: late-co, csm: Lena Park, start_date: "2026-03-02" }
milestones:
  - { name: Kickoff completed, target_date: "2026-03-04", actual_date: "2026-03-04", status: complete }
  - { name: Data imported, target_date: "2026-04-01", status: in_progress }
  - { name: Training, target_date: "2026-05-01", status: pending }
"#;
        let site = site_from(
            &[
                ("onboard.yaml", CONFIG),
                ("content/customers/late-co.yaml", late_only),
            ],
            AS_OF,
        );
        let p = portfolio(&site, &compute_kpis(&site));
        let lena = &p.by_csm[0];
        // One done on time, one overdue, one not due yet (not judged).
        assert_eq!(
            (lena.on_time_rate, lena.on_time_milestones),
            (Some(50.0), 2)
        );
        assert_eq!((p.on_time_rate, p.on_time_milestones), (Some(50.0), 2));
        // The KPI measure keeps its documented rule: completed ones only.
        assert_eq!(
            on_time_rate(site.customers.iter().map(|c| c.milestones.as_slice())),
            (Some(1.0), 1)
        );
    }

    #[test]
    fn empty_portfolio_has_every_state_at_zero() {
        let site = site_from(&[("onboard.yaml", CONFIG)], AS_OF);
        let p = portfolio(&site, &compute_kpis(&site));
        assert_eq!(p.total, 0);
        assert_eq!(p.by_state.len(), 4);
        assert!(p.by_state.iter().all(|(_, _, n)| *n == 0));
        assert_eq!(p.on_time_rate, None);
        assert!(p.by_tier.is_empty() && p.by_csm.is_empty() && p.attention.is_empty());
    }

    const SCOPED_SOP: &str = r#"
kind: sop
id: scoped
title: Scoped
kpis:
  - id: ttk-all
    name: Time to kickoff, everyone
    measure: { from: start, to: kickoff, stat: mean }
  - id: ttk-fast
    name: Time to kickoff on the fast plan
    measure: { from: start, to: kickoff, stat: mean }
    target: "< 2"
    applies_to: { playbooks: [fast] }
  - id: nps-fast
    name: NPS on the fast plan
    measure: { score: nps, stat: mean }
    applies_to: { playbooks: [fast] }
  - id: nps-smb
    name: NPS of small accounts
    measure: { score: nps, stat: mean }
    applies_to: { tiers: [smb] }
  - id: ttk-fast-enterprise
    name: Time to kickoff, enterprise accounts on the fast plan
    measure: { from: start, to: kickoff, stat: mean }
    applies_to: { playbooks: [fast, nowhere-used], tiers: [enterprise] }
"#;

    /// Four customers on two playbooks and two tiers; kickoff days after
    /// the start: kilo 2, lima 10, mike 1, november 1.
    fn scoped_site() -> Site {
        let tracker = |name: &str,
                       playbook: &str,
                       tier: &str,
                       start: &str,
                       kickoff: &str,
                       nps: &str| {
            format!(
                "customer: {{ name: {name}, tier: {tier}, {playbook} start_date: \"{start}\" }}\n\
                 milestones:\n  - {{ name: Kickoff completed, actual_date: \"{kickoff}\", status: complete }}\n{nps}"
            )
        };
        let kilo = tracker(
            "Kilo",
            "playbook: fast,",
            "smb",
            "2026-01-05",
            "2026-01-07",
            "scores: { nps: 50 }\n",
        );
        let lima = tracker(
            "Lima",
            "playbook: slow,",
            "enterprise",
            "2026-01-05",
            "2026-01-15",
            "scores: { nps: 20 }\n",
        );
        let mike = tracker(
            "Mike",
            "playbook: fast,",
            "enterprise",
            "2026-01-12",
            "2026-01-13",
            "scores: { nps: 40 }\n",
        );
        let november = tracker("November", "", "smb", "2026-01-05", "2026-01-06", "");
        let playbook =
            |id: &str| format!("kind: playbook\nid: {id}\ntitle: {id}\ntiers: [smb, enterprise]\n");
        site_from(
            &[
                ("onboard.yaml", CONFIG),
                ("playbooks/scoped.yaml", SCOPED_SOP),
                ("playbooks/fast.yaml", &playbook("fast")),
                ("playbooks/slow.yaml", &playbook("slow")),
                ("playbooks/nowhere-used.yaml", &playbook("nowhere-used")),
                ("content/customers/kilo.yaml", &kilo),
                ("content/customers/lima.yaml", &lima),
                ("content/customers/mike.yaml", &mike),
                ("content/customers/november.yaml", &november),
            ],
            AS_OF,
        )
    }

    #[test]
    fn kpi_scoped_to_one_playbook_changes_its_value_and_count() {
        let site = scoped_site();
        let kpis = compute_kpis(&site);
        // Everyone: (2 + 10 + 1 + 1) / 4 = 3.5.
        let all = kpi(&kpis, "ttk-all");
        assert_eq!((all.value, all.customers, all.in_scope), (Some(3.5), 4, 4));
        assert!(all.scope.is_all());
        // The fast plan: kilo 2 and mike 1, (2 + 1) / 2 = 1.5; lima (slow)
        // and november (no playbook) are left out.
        let fast = kpi(&kpis, "ttk-fast");
        assert_eq!(fast.values, [2.0, 1.0]);
        // Each value knows its customer, so a chart can name its dot.
        let named: Vec<&str> = fast
            .value_customers
            .iter()
            .map(|at| site.customers[*at].slug.as_str())
            .collect();
        assert_eq!(named, ["kilo", "mike"]);
        let smb = kpi(&kpis, "nps-smb");
        assert_eq!(smb.values, [50.0]);
        assert_eq!(site.customers[smb.value_customers[0]].slug, "kilo");
        assert_eq!(
            (fast.value, fast.customers, fast.in_scope),
            (Some(1.5), 2, 2)
        );
        assert_eq!(fast.met, Some(true), "1.5 < 2, where 3.5 would miss");
        assert_eq!(fast.scope.playbooks, ["fast"]);
        // NPS on the fast plan: (50 + 40) / 2 = 45, where all would be 36.67.
        let nps = kpi(&kpis, "nps-fast");
        assert_eq!((nps.value, nps.customers), (Some(45.0), 2));
    }

    #[test]
    fn kpi_scoped_by_tier_counts_customers_in_scope_without_data() {
        let kpis = compute_kpis(&scoped_site());
        // smb: kilo (50) and november (no score): one measured of two.
        let smb = kpi(&kpis, "nps-smb");
        assert_eq!((smb.value, smb.customers, smb.in_scope), (Some(50.0), 1, 2));
        // Both lists must match: only mike is enterprise on the fast plan.
        let both = kpi(&kpis, "ttk-fast-enterprise");
        assert_eq!(
            (both.value, both.customers, both.in_scope),
            (Some(1.0), 1, 1)
        );
    }

    #[test]
    fn rounding_for_display() {
        assert_eq!(round2(41.666_666), 41.67);
        assert_eq!(round2(14.5), 14.5);
        assert_eq!(percent(2.0 / 3.0), 66.7);
        assert_eq!(percent(0.7), 70.0);
    }
}
