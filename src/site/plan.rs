//! Playbook plans applied to trackers: each milestone's planned date and
//! mark, then its status as of the site's date.

use chrono::NaiveDate;

use super::PlaybookEntry;
use crate::calendar::WorkCalendar;
use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::model::{MilestoneStatus, Tracker, TrackerMilestone};
use crate::status::{self, Milestone};

/// Applies the playbook plan to a tracker and assesses every milestone.
pub(super) fn plan_milestones(
    loaded: &Loaded<Tracker>,
    playbook: Option<&PlaybookEntry>,
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    report: &mut Reporter<'_>,
) -> Vec<Milestone> {
    let tracker = &loaded.doc;
    let start = tracker.customer.start_date.as_ref();
    let plan: Vec<(&crate::model::PlanMilestone, Option<NaiveDate>)> = playbook
        .map(|p| {
            p.loaded
                .doc
                .milestones
                .iter()
                .zip(&p.offsets)
                .map(|(m, offset)| {
                    let (Some(start), Some(offset)) = (start, *offset) else {
                        return (m, None);
                    };
                    let date = calendar.apply(start.value.0, offset);
                    if date.is_none() {
                        report.error(
                            "invalid-offset",
                            &loaded.place_of(start),
                            format!(
                                "the playbook `{}` plans `{}` {offset} after this start date, \
                                 after {}, the last day onboard plans for",
                                p.id,
                                m.name.value,
                                crate::calendar::LAST_DAY
                            ),
                            "check the start date, or the offset in the playbook",
                        );
                    }
                    (m, date)
                })
                .collect()
        })
        .unwrap_or_default();
    let plan_mark = |m: &crate::model::PlanMilestone| {
        m.marks
            .clone()
            .or_else(|| status::infer_mark(&m.name.value))
    };
    // How each plan milestone is reached: its own SOP references, then
    // those of the phase it names (references are checked with the
    // playbook; an unknown phase adds nothing).
    let how: Vec<Vec<String>> = plan
        .iter()
        .map(|(m, _)| {
            let mut refs: Vec<String> = m.sops.iter().map(|r| r.value.clone()).collect();
            if let (Some(phase), Some(p)) = (&m.phase, playbook) {
                for candidate in &p.loaded.doc.phases {
                    if super::phase_id(candidate) == phase.value.trim() {
                        refs.extend(candidate.sops.iter().map(|r| r.value.clone()));
                    }
                }
            }
            let mut seen = std::collections::HashSet::new();
            refs.retain(|r| seen.insert(r.clone()));
            refs
        })
        .collect();
    let mut used = vec![false; plan.len()];
    let mut milestones = Vec::new();
    for m in &tracker.milestones {
        let marks = m
            .marks
            .clone()
            .or_else(|| status::infer_mark(&m.name.value));
        let matched = plan
            .iter()
            .enumerate()
            .find(|(i, (p, _))| !used[*i] && marks.is_some() && plan_mark(p) == marks)
            .or_else(|| {
                plan.iter().enumerate().find(|(i, (p, _))| {
                    !used[*i] && p.name.value.eq_ignore_ascii_case(m.name.value.trim())
                })
            })
            .map(|(i, entry)| (i, *entry));
        if let Some((i, _)) = matched {
            used[i] = true;
        }
        let status = m.status.as_ref().map(|s| s.value).unwrap_or_default();
        let target_from_plan =
            m.target_date.is_none() && matched.is_some_and(|(_, (_, d))| d.is_some());
        let target_date = m
            .target_date
            .as_ref()
            .map(|d| d.value.0)
            .or(matched.and_then(|(_, (_, d))| d));
        let actual_date = m.actual_date.as_ref().map(|d| d.value.0);
        let place = loaded.place_of(&m.name);
        if status == MilestoneStatus::Complete && actual_date.is_none() {
            report.lint(
                "complete-without-actual-date",
                &place,
                format!("`{}` is complete but has no actual_date", m.name.value),
                "add `actual_date:` with the day it was completed",
            );
        }
        if let Some(actual) = &m.actual_date
            && actual.value.0 > as_of
        {
            report.lint(
                "actual-after-as-of",
                &loaded.place_of(actual),
                format!(
                    "the actual date {} is after the as-of date {as_of}",
                    actual.value
                ),
                "an actual date records the past; check the date or the as_of setting",
            );
        }
        if let Some(target) = &m.target_date
            && !calendar.is_working_day(target.value.0)
        {
            report.lint(
                "target-on-non-working-day",
                &loaded.place_of(target),
                format!(
                    "the target {} of `{}` is not a working day",
                    target.value, m.name.value
                ),
                "move the target to a working day, or adjust `calendar:` in onboard.yaml",
            );
        }
        check_sign_off(loaded, m, status, report);
        let mut milestone = Milestone {
            name: m.name.value.clone(),
            marks: marks.or_else(|| matched.and_then(|(_, (p, _))| plan_mark(p))),
            target_date,
            target_from_plan,
            actual_date,
            status,
            blockers: m.blockers.clone(),
            criteria: m
                .criteria
                .clone()
                .or_else(|| matched.and_then(|(_, (p, _))| p.criteria.clone())),
            customer_visible: m
                .customer_visible
                .or_else(|| matched.and_then(|(_, (p, _))| p.customer_visible))
                .unwrap_or(true),
            from_plan: false,
            late: false,
            days_late: None,
            on_time: None,
            target_on_non_working_day: false,
            line: place.line,
            owner: m.owner.clone(),
            side: m.side.as_ref().map(|s| s.value).unwrap_or_default(),
            forecast_date: m.forecast_date.as_ref().map(|d| d.value.0),
            accepted_by: m.accepted_by.as_ref().map(|a| a.value.clone()),
            accepted_on: m.accepted_on.as_ref().map(|d| d.value.0),
            sops: matched.map(|(i, _)| how[i].clone()).unwrap_or_default(),
        };
        status::assess_milestone(&mut milestone, as_of, calendar);
        milestones.push(milestone);
    }
    for (i, (p, date)) in plan.iter().enumerate() {
        if used[i] {
            continue;
        }
        let mut milestone = Milestone {
            name: p.name.value.clone(),
            marks: plan_mark(p),
            target_date: *date,
            target_from_plan: date.is_some(),
            actual_date: None,
            status: MilestoneStatus::Pending,
            blockers: Vec::new(),
            criteria: p.criteria.clone(),
            customer_visible: p.customer_visible.unwrap_or(true),
            from_plan: true,
            late: false,
            days_late: None,
            on_time: None,
            target_on_non_working_day: false,
            line: 0,
            sops: how[i].clone(),
            ..Milestone::default()
        };
        status::assess_milestone(&mut milestone, as_of, calendar);
        milestones.push(milestone);
    }
    // Date order reads as a timeline; undated milestones keep their place at the end.
    milestones.sort_by_key(|m| (m.target_date.is_none(), m.target_date));
    milestones
}

/// Reports a sign-off that cannot stand: one on a milestone that is not
/// complete, a name without a date or a date without a name, and a
/// sign-off dated before the milestone was completed.
fn check_sign_off(
    loaded: &Loaded<Tracker>,
    m: &TrackerMilestone,
    status: MilestoneStatus,
    report: &mut Reporter<'_>,
) {
    let place = match (&m.accepted_by, &m.accepted_on) {
        (Some(by), _) => loaded.place_of(by),
        (None, Some(on)) => loaded.place_of(on),
        (None, None) => return,
    };
    if status != MilestoneStatus::Complete {
        report.error(
            "sign-off-on-open-milestone",
            &place,
            format!(
                "`{}` is signed off (`accepted_by`, `accepted_on`) but its status is `{}`",
                m.name.value,
                status.as_str()
            ),
            "a customer signs off a completed milestone: set `status: complete` and \
             `actual_date:`, or remove the sign-off until it is done",
        );
        return;
    }
    match (&m.accepted_by, &m.accepted_on) {
        (Some(_), None) => report.error(
            "incomplete-sign-off",
            &place,
            format!("`{}` names who accepted it but not when", m.name.value),
            "add `accepted_on:` with the day of the sign-off",
        ),
        (None, Some(_)) => report.error(
            "incomplete-sign-off",
            &place,
            format!("`{}` has a sign-off date but no name", m.name.value),
            "add `accepted_by:` with the name of the person who signed off",
        ),
        _ => {}
    }
    if let (Some(on), Some(actual)) = (&m.accepted_on, &m.actual_date)
        && on.value < actual.value
    {
        report.error(
            "sign-off-before-completion",
            &loaded.place_of(on),
            format!(
                "`{}` is signed off on {}, before it was completed on {}",
                m.name.value, on.value, actual.value
            ),
            "check `accepted_on` and `actual_date`: a sign-off follows completion",
        );
    }
}
