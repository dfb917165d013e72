//! Playbook plans applied to trackers: each milestone's planned date,
//! mark, criteria and SOPs. Its status as of the site's date is assessed
//! afterwards, by [`crate::status::assess`].

use chrono::NaiveDate;

use super::PlaybookEntry;
use crate::calendar::WorkCalendar;
use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::model::{MilestoneStatus, PlanMilestone, Tracker, TrackerMilestone};
use crate::status::{self, Milestone};

/// A plan milestone with its date for one tracker.
type Planned<'p> = (&'p PlanMilestone, Option<NaiveDate>);

/// Applies the playbook plan to a tracker: its milestones, each completed
/// from the plan milestone it matches, then the plan milestones it does
/// not list, in date order. Reports the tracker milestones' dates and
/// sign-offs that cannot be right.
pub(super) fn plan_milestones(
    loaded: &Loaded<Tracker>,
    playbook: Option<&PlaybookEntry>,
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    report: &mut Reporter<'_>,
) -> Vec<Milestone> {
    let plan = planned_dates(loaded, playbook, calendar, report);
    let how = sops_by_plan_milestone(&plan, playbook);
    let mut used = vec![false; plan.len()];
    let mut milestones = Vec::new();
    for m in &loaded.doc.milestones {
        let marks = m
            .marks
            .clone()
            .or_else(|| status::infer_mark(&m.name.value));
        let matched = match_plan(m, marks.as_deref(), &plan, &mut used);
        let status = m.status.as_ref().map(|s| s.value).unwrap_or_default();
        check_dates(loaded, m, status, as_of, calendar, report);
        check_sign_off(loaded, m, status, report);
        let planned = matched.map(|i| (plan[i], how[i].clone()));
        milestones.push(tracked(loaded, m, status, marks, planned));
    }
    for (i, (p, date)) in plan.iter().enumerate() {
        if !used[i] {
            milestones.push(planned_only(p, *date, how[i].clone()));
        }
    }
    // Date order reads as a timeline; undated milestones keep their place at the end.
    milestones.sort_by_key(|m| (m.target_date.is_none(), m.target_date));
    milestones
}

/// The plan milestone a tracker milestone stands for: the first one not
/// matched yet that sets the same mark, else the first with its name
/// (case aside); from now on matched.
fn match_plan(
    m: &TrackerMilestone,
    marks: Option<&str>,
    plan: &[Planned<'_>],
    used: &mut [bool],
) -> Option<usize> {
    let by_mark = marks.and_then(|marks| {
        (0..plan.len()).find(|&i| !used[i] && plan_mark(plan[i].0).as_deref() == Some(marks))
    });
    let found = by_mark.or_else(|| {
        (0..plan.len()).find(|&i| {
            !used[i]
                && plan[i]
                    .0
                    .name
                    .value
                    .eq_ignore_ascii_case(m.name.value.trim())
        })
    })?;
    used[found] = true;
    Some(found)
}

/// A tracker milestone as planned: what the tracker writes, and where it
/// writes nothing (target date, mark, criteria, visibility) what the plan
/// milestone it matched says, with that milestone's SOPs.
fn tracked(
    loaded: &Loaded<Tracker>,
    m: &TrackerMilestone,
    status: MilestoneStatus,
    marks: Option<String>,
    planned: Option<(Planned<'_>, Vec<String>)>,
) -> Milestone {
    let plan = planned.as_ref().map(|((p, _), _)| *p);
    let plan_date = planned.as_ref().and_then(|((_, date), _)| *date);
    Milestone {
        name: m.name.value.clone(),
        marks: marks.or_else(|| plan.and_then(plan_mark)),
        target_date: m.target_date.as_ref().map(|d| d.value.0).or(plan_date),
        target_from_plan: m.target_date.is_none() && plan_date.is_some(),
        actual_date: m.actual_date.as_ref().map(|d| d.value.0),
        status,
        blockers: m.blockers.clone(),
        criteria: m
            .criteria
            .clone()
            .or_else(|| plan.and_then(|p| p.criteria.clone())),
        customer_visible: m
            .customer_visible
            .or_else(|| plan.and_then(|p| p.customer_visible))
            .unwrap_or(true),
        from_plan: false,
        line: loaded.place_of(&m.name).line,
        owner: m.owner.clone(),
        side: m.side.as_ref().map(|s| s.value).unwrap_or_default(),
        forecast_date: m.forecast_date.as_ref().map(|d| d.value.0),
        accepted_by: m.accepted_by.as_ref().map(|a| a.value.clone()),
        accepted_on: m.accepted_on.as_ref().map(|d| d.value.0),
        sops: planned.map(|(_, sops)| sops).unwrap_or_default(),
        // Status as of the site's date comes later, from `status::assess`.
        ..Milestone::default()
    }
}

/// The playbook's milestones, each with its date for this tracker (its
/// start date plus the offset for its tier). A date past the last day
/// onboard plans for is reported at the start date, and left out.
fn planned_dates<'p>(
    loaded: &Loaded<Tracker>,
    playbook: Option<&'p PlaybookEntry>,
    calendar: &WorkCalendar,
    report: &mut Reporter<'_>,
) -> Vec<Planned<'p>> {
    let tracker = &loaded.doc;
    let start = tracker.customer.start_date.as_ref();
    let Some(p) = playbook else {
        return Vec::new();
    };
    p.plan()
        .map(|(m, offset)| {
            let (Some(start), Some(offset)) = (start, offset) else {
                return (m, None);
            };
            let offset = offset.for_tier(tracker.customer.tier.as_deref());
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
}

/// A plan milestone's mark: written, or read from its name.
fn plan_mark(m: &PlanMilestone) -> Option<String> {
    m.marks
        .clone()
        .or_else(|| status::infer_mark(&m.name.value))
}

/// How each plan milestone is reached: its own SOP references, then
/// those of the phase it names (references are checked with the
/// playbook; an unknown phase adds nothing).
fn sops_by_plan_milestone(
    plan: &[Planned<'_>],
    playbook: Option<&PlaybookEntry>,
) -> Vec<Vec<String>> {
    plan.iter()
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
        .collect()
}

/// Reports a tracker milestone's dates that cannot be right: complete
/// without an actual date, an actual date after the as-of date, a target
/// on a day off.
fn check_dates(
    loaded: &Loaded<Tracker>,
    m: &TrackerMilestone,
    status: MilestoneStatus,
    as_of: NaiveDate,
    calendar: &WorkCalendar,
    report: &mut Reporter<'_>,
) {
    if status == MilestoneStatus::Complete && m.actual_date.is_none() {
        report.lint(
            "complete-without-actual-date",
            &loaded.place_of(&m.name),
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
}

/// A plan milestone that the tracker does not list, as planned: pending,
/// due on its planned date.
fn planned_only(p: &PlanMilestone, date: Option<NaiveDate>, sops: Vec<String>) -> Milestone {
    Milestone {
        name: p.name.value.clone(),
        marks: plan_mark(p),
        target_date: date,
        target_from_plan: date.is_some(),
        actual_date: None,
        status: MilestoneStatus::Pending,
        blockers: Vec::new(),
        criteria: p.criteria.clone(),
        customer_visible: p.customer_visible.unwrap_or(true),
        from_plan: true,
        line: 0,
        sops,
        ..Milestone::default()
    }
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::diagnostics::{Diagnostic, Diagnostics};
    use crate::site::Site;

    use crate::site::testing::CONFIG;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// Loads and resolves `files` as of 2026-01-14.
    fn resolved(files: &[(&str, &str)]) -> (Site, Diagnostics) {
        crate::site::testing::resolve_files(files, "2026-01-14")
    }

    fn errors(diagnostics: &Diagnostics) -> Vec<&Diagnostic> {
        diagnostics
            .0
            .iter()
            .filter(|d| d.level == crate::diagnostics::Severity::Error)
            .collect()
    }

    const TIERED: &str = "\
kind: playbook
id: tiered
title: Tiered
tiers: [smb, enterprise]
milestones:
  - name: Kickoff
    offset: { default: 5 business days, enterprise: 10 business days }
  - name: Go live
    offset: { default: 2 weeks, smb: 3 business days }
  - name: Review
    offset: 30 days
";

    fn tracker(slug: &str, tier: Option<&str>) -> String {
        let tier = tier.map(|t| format!("tier: {t}, ")).unwrap_or_default();
        format!(
            "customer: {{ name: {slug}, {tier}playbook: tiered, start_date: \"2026-01-14\" }}\n"
        )
    }

    /// The planned target of each milestone of customer `slug`, by name.
    fn targets(site: &Site, slug: &str) -> Vec<(String, NaiveDate)> {
        let customer = site.customers.iter().find(|c| c.slug == slug).unwrap();
        let mut targets: Vec<(String, NaiveDate)> = customer
            .milestones
            .iter()
            .map(|m| (m.name.clone(), m.target_date.unwrap()))
            .collect();
        targets.sort();
        targets
    }

    #[test]
    fn a_tier_map_moves_target_dates_by_the_customers_tier() {
        let (site, diagnostics) = resolved(&[
            ("onboard.yaml", CONFIG),
            ("playbooks/tiered.yaml", TIERED),
            (
                "content/customers/small.yaml",
                &tracker("small", Some("smb")),
            ),
            (
                "content/customers/large.yaml",
                &tracker("large", Some("enterprise")),
            ),
            (
                "content/customers/other.yaml",
                &tracker("other", Some("mid-market")),
            ),
            (
                "content/customers/untiered.yaml",
                &tracker("untiered", None),
            ),
        ]);
        assert!(errors(&diagnostics).is_empty(), "{diagnostics}");
        // Start Wednesday 14 January; Monday 19 January is a holiday.
        // Default kickoff, 5 business days: Thu 15, Fri 16, (Mon 19 off),
        // Tue 20, Wed 21, Thu 22. Default go-live: 14 days, Wed 28.
        // Review: 30 days for every tier, Fri 13 February.
        let default = vec![
            ("Go live".to_string(), day("2026-01-28")),
            ("Kickoff".to_string(), day("2026-01-22")),
            ("Review".to_string(), day("2026-02-13")),
        ];
        assert_eq!(targets(&site, "other"), default, "a tier not in the map");
        assert_eq!(targets(&site, "untiered"), default, "no tier at all");
        // smb go-live, 3 business days: Thu 15, Fri 16, (Mon 19 off), Tue 20.
        assert_eq!(
            targets(&site, "small"),
            [
                ("Go live".to_string(), day("2026-01-20")),
                ("Kickoff".to_string(), day("2026-01-22")),
                ("Review".to_string(), day("2026-02-13")),
            ]
        );
        // Enterprise kickoff, 10 business days: 15, 16, (19 off), 20, 21, 22,
        // 23, 26, 27, 28, 29: Thursday 29 January.
        assert_eq!(
            targets(&site, "large"),
            [
                ("Go live".to_string(), day("2026-01-28")),
                ("Kickoff".to_string(), day("2026-01-29")),
                ("Review".to_string(), day("2026-02-13")),
            ]
        );
    }

    #[test]
    fn a_tier_map_needs_a_default_and_known_tiers() {
        const BAD: &str = "\
kind: playbook
id: tiered
title: Tiered
tiers: [smb, enterprise]
milestones:
  - name: Kickoff
    offset: { smb: 5 business days, enterprize: 10 business days }
  - name: Go live
    offset: { default: 2 weeks, smb: 3 fortnights }
";
        let (site, diagnostics) = resolved(&[
            ("onboard.yaml", CONFIG),
            ("playbooks/tiered.yaml", BAD),
            (
                "content/customers/small.yaml",
                &tracker("small", Some("smb")),
            ),
        ]);
        let found: Vec<(&str, usize, usize)> = errors(&diagnostics)
            .iter()
            .map(|d| (d.code.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                ("unknown-tier", 7, 37),
                ("invalid-offset", 7, 13),
                ("invalid-offset", 9, 38),
            ],
            "{diagnostics}"
        );
        let unknown = errors(&diagnostics)[0];
        assert!(unknown.message.contains("`enterprize`"), "{unknown:?}");
        assert!(
            unknown
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `enterprise`?"),
            "{unknown:?}"
        );
        assert!(errors(&diagnostics)[1].message.contains("no `default`"));
        // Nothing is guessed: the broken offsets plan no date.
        let small = &site.customers[0];
        assert!(small.milestones.iter().all(|m| m.target_date.is_none()));
    }

    #[test]
    fn kpi_scopes_name_known_playbooks_and_tiers() {
        const SOP: &str = "\
kind: sop
id: scoped
title: Scoped
kpis:
  - id: nps
    name: NPS
    measure: { score: nps, stat: mean }
    applies_to: { playbooks: [tierd, tiered], tiers: [smb, entreprise, gold] }
";
        let (_, diagnostics) = resolved(&[
            ("onboard.yaml", CONFIG),
            ("playbooks/tiered.yaml", TIERED),
            ("playbooks/scoped.yaml", SOP),
            (
                "content/customers/small.yaml",
                &tracker("small", Some("smb")),
            ),
        ]);
        let found: Vec<(&str, &str, usize, usize)> = errors(&diagnostics)
            .iter()
            .map(|d| (d.code.as_str(), d.file.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                ("unknown-playbook", "playbooks/scoped.yaml", 8, 31),
                ("unknown-tier", "playbooks/scoped.yaml", 8, 60),
                ("unknown-tier", "playbooks/scoped.yaml", 8, 72),
            ],
            "{diagnostics}"
        );
        let help: Vec<&str> = errors(&diagnostics)
            .iter()
            .map(|d| d.help.as_deref().unwrap())
            .collect();
        assert_eq!(help[0], "did you mean `tiered`? known playbooks: tiered");
        assert_eq!(
            help[1],
            "did you mean `enterprise`? known tiers: enterprise, smb"
        );
        assert_eq!(help[2], "known tiers: enterprise, smb");
    }
}
