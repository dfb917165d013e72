//! Lints of the library: SOPs and playbooks.

use std::collections::BTreeSet;

use crate::calendar::duration_minutes;
use crate::diagnostics::Place;
use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::measure::Measure;
use crate::model::{Phase, Playbook, SopStatus};
use crate::site::{PlaybookEntry, Site, SopEntry, SopRef};
use crate::status::infer_mark;

use super::spans;
use super::{BUILT_IN_MARKS, top_level_key};

// ----------------------------------------------------------------- SOPs

/// The lints of one SOP, in the order they are reported.
pub(super) fn sop_lints<'s>(
    site: &'s Site,
    sop: &SopEntry,
    known: &std::cell::OnceCell<BTreeSet<&'s str>>,
    report: &mut Reporter<'_>,
) {
    let spans: spans::SopSpans = spans::parse(&sop.loaded);
    sop_dates_after_as_of(site, sop, &spans, report);
    review_overdue(sop, report);
    steps_without_owner(sop, report);
    kpi_unknown_marks(site, sop, known, report);
    if sop.loaded.doc.status == SopStatus::Approved {
        approved_without_approvals(site, sop, &spans, report);
        no_review_cycle(sop, &spans, report);
    }
}

/// An SOP whose last review plus its review cycle is before the as-of day.
fn review_overdue(sop: &SopEntry, report: &mut Reporter<'_>) {
    let (true, Some(due)) = (sop.review_overdue, sop.review_due) else {
        return;
    };
    let at = sop
        .loaded
        .doc
        .review_cycle
        .as_ref()
        .map(|c| sop.loaded.place_of(c))
        .unwrap_or_else(|| sop.loaded.place());
    report.lint(
        "review-overdue",
        &at,
        format!("the review of `{}` was due on {due}", sop.id),
        "review the SOP, then set `last_reviewed:` to the review date",
    );
}

/// Steps without an owner role, and among them those with a checklist
/// nobody is accountable for: both lints of a step before the next step.
fn steps_without_owner(sop: &SopEntry, report: &mut Reporter<'_>) {
    for (step, step_id) in sop.loaded.doc.steps.iter().zip(&sop.step_ids) {
        if step.owner.is_some() {
            continue;
        }
        let at = step
            .id
            .as_ref()
            .map(|i| sop.loaded.place_of(i))
            .unwrap_or_else(|| sop.loaded.place_of(&step.title));
        report.lint(
            "step-without-owner",
            &at,
            format!("the step `{step_id}` of the SOP `{}` has no owner", sop.id),
            "add `owner:` with the id of the role that does this step",
        );
        if !step.checklist.is_empty() {
            report.lint(
                "checklist-without-owner",
                &at,
                format!(
                    "the step `{step_id}` of the SOP `{}` has a checklist of {} item{} but no owner to tick it",
                    sop.id,
                    step.checklist.len(),
                    if step.checklist.len() == 1 { "" } else { "s" }
                ),
                "add `owner:` so that one role is accountable for the checklist",
            );
        }
    }
}

/// Interval KPIs that measure from or to a mark no milestone sets. `known`
/// is gathered on the first mark that is not built in.
fn kpi_unknown_marks<'s>(
    site: &'s Site,
    sop: &SopEntry,
    known: &std::cell::OnceCell<BTreeSet<&'s str>>,
    report: &mut Reporter<'_>,
) {
    for (kpi, def) in sop.loaded.doc.kpis.iter().zip(&sop.kpis) {
        let (Some(Measure::Interval { .. }), Some(spec)) = (&def.measure, &kpi.measure) else {
            continue;
        };
        for (end, mark) in [("from", &spec.value.from), ("to", &spec.value.to)] {
            let Some(mark) = mark else { continue };
            if BUILT_IN_MARKS.contains(&mark.value.as_str()) {
                continue;
            }
            let known = known.get_or_init(|| known_marks(site));
            if known.contains(mark.value.as_str()) {
                continue;
            }
            report.lint(
                "kpi-unknown-mark",
                &sop.loaded.place_of(mark),
                format!(
                    "the KPI `{}` of `{}` measures {end} the mark `{}`, which no milestone sets",
                    def.id, sop.id, mark.value
                ),
                format!(
                    "use a mark that a milestone sets with `marks:`; known marks: {}",
                    known.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
}

/// Where an SOP's status is written, else its `kind:`.
fn status_place(sop: &SopEntry, spans: &spans::SopSpans) -> Place {
    spans
        .status
        .as_ref()
        .map(|s| sop.loaded.place_of(s))
        .unwrap_or_else(|| sop.loaded.place_of(&sop.loaded.doc.kind))
}

/// An approved SOP without an approval signed with a name and a date.
fn approved_without_approvals(
    site: &Site,
    sop: &SopEntry,
    spans: &spans::SopSpans,
    report: &mut Reporter<'_>,
) {
    let doc = &sop.loaded.doc;
    let signed = doc
        .approvals
        .iter()
        .any(|a| a.name.as_deref().is_some_and(|n| !n.trim().is_empty()) && a.date.is_some());
    if signed {
        return;
    }
    let at = doc
        .approvals
        .first()
        .map(|a| sop.loaded.place_of(&a.role))
        .unwrap_or_else(|| status_place(sop, spans));
    report.lint(
        "approved-without-approvals",
        &at,
        format!("`{}` is approved but no approval is signed with a name and a date", sop.id),
        format!(
            "fill in `approvals:` with who signed and when, such as `{{ role: {}, name: \"<who signed>\", date: {} }}`, or set `status: draft` until then",
            example_role(site, sop),
            site.as_of
        ),
    );
}

/// An approved SOP without a review cycle or a last review date, so that
/// its reviews can never be overdue.
fn no_review_cycle(sop: &SopEntry, spans: &spans::SopSpans, report: &mut Reporter<'_>) {
    let doc = &sop.loaded.doc;
    let missing: Vec<&str> = [
        ("review_cycle", doc.review_cycle.is_none()),
        ("last_reviewed", doc.last_reviewed.is_none()),
    ]
    .into_iter()
    .filter(|(_, missing)| *missing)
    .map(|(key, _)| key)
    .collect();
    if missing.is_empty() {
        return;
    }
    report.lint(
        "no-review-cycle",
        &status_place(sop, spans),
        format!("`{}` is approved but has no {}", sop.id, missing.join(" and no ")),
        "set `review_cycle:` (monthly, quarterly, semiannual, annual or such as 45d) and `last_reviewed:` so that overdue reviews are flagged",
    );
}

/// A role an approval of `sop` could name, for an example in a help text:
/// the role of its first approval, else its owner, else the site's first.
fn example_role<'a>(site: &'a Site, sop: &'a SopEntry) -> &'a str {
    let doc = &sop.loaded.doc;
    doc.approvals
        .first()
        .map(|a| a.role.value.as_str())
        .filter(|role| !role.trim().is_empty())
        .or(doc.owner.as_ref().map(|o| o.value.as_str()))
        .or(site.roles.first().map(|r| r.id.as_str()))
        .unwrap_or("cs-lead")
}

/// An SOP's review or approval dated after the as-of day: it cannot have
/// happened yet, so the date or the as-of setting is a slip.
fn sop_dates_after_as_of(
    site: &Site,
    sop: &SopEntry,
    spans: &spans::SopSpans,
    report: &mut Reporter<'_>,
) {
    let doc = &sop.loaded.doc;
    if let Some(reviewed) = doc.last_reviewed.as_ref().filter(|d| d.0 > site.as_of) {
        let at = spans
            .last_reviewed
            .as_ref()
            .map(|d| sop.loaded.place_of(d))
            .or_else(|| top_level_key(&sop.loaded, "last_reviewed"))
            .unwrap_or_else(|| sop.loaded.place());
        report.lint(
            "date-after-as-of",
            &at,
            format!(
                "`{}` was last reviewed on {reviewed}, after the as-of date {}",
                sop.id, site.as_of
            ),
            "a review cannot be later than the day the site is judged on; check the date, or the as_of setting in onboard.yaml",
        );
    }
    for approval in &doc.approvals {
        let Some(date) = approval.date.as_ref().filter(|d| d.0 > site.as_of) else {
            continue;
        };
        report.lint(
            "date-after-as-of",
            &sop.loaded.place_of(&approval.role),
            format!(
                "an approval of `{}` is dated {date}, after the as-of date {}",
                sop.id, site.as_of
            ),
            "an approval cannot be later than the day the site is judged on; check the date, or the as_of setting in onboard.yaml",
        );
    }
}

/// The marks an interval KPI may name: the built-in ones and every mark a
/// playbook or tracker milestone sets, written or inferred from its name.
fn known_marks(site: &Site) -> BTreeSet<&str> {
    let mut marks: BTreeSet<&str> = BUILT_IN_MARKS.iter().copied().collect();
    for playbook in &site.playbooks {
        for m in &playbook.loaded.doc.milestones {
            if let Some(mark) = &m.marks {
                marks.insert(mark.as_str());
            }
        }
    }
    for customer in &site.customers {
        for m in &customer.milestones {
            if let Some(mark) = &m.marks {
                marks.insert(mark.as_str());
            }
        }
    }
    // Inferred marks are always `kickoff` or `first_value`, already built in.
    marks
}

// ------------------------------------------------------------ playbooks

/// The lints of one playbook, in the order they are reported.
pub(super) fn playbook_lints(site: &Site, playbook: &PlaybookEntry, report: &mut Reporter<'_>) {
    milestone_count(playbook, report);
    first_value_without_criteria(playbook, report);
    agenda_lints(playbook, report);
    phase_lints(site, playbook, report);
    plan_milestones_without_offset(playbook, report);
}

/// A plan of fewer than 3 or more than 5 milestones.
fn milestone_count(playbook: &PlaybookEntry, report: &mut Reporter<'_>) {
    let loaded = &playbook.loaded;
    let doc = &loaded.doc;
    let count = doc.milestones.len();
    if (3..=5).contains(&count) {
        return;
    }
    let at = top_level_key(loaded, "milestones")
        .or_else(|| doc.id.as_ref().map(|i| loaded.place_of(i)))
        .unwrap_or_else(|| loaded.place_of(&doc.kind));
    let (message, help) = if count == 0 {
        (
            format!("the playbook `{}` has no milestones", playbook.id),
            "add a `milestones:` plan of 3 to 5 measurable customer outcomes, each with an `offset:` and `criteria:`",
        )
    } else if count < 3 {
        (
            format!(
                "the playbook `{}` has {count} milestone{}; 3 to 5 measurable milestones work best",
                playbook.id,
                if count == 1 { "" } else { "s" }
            ),
            "split the plan into 3 to 5 customer outcomes that both sides can check",
        )
    } else {
        (
            format!(
                "the playbook `{}` has {count} milestones; 3 to 5 measurable milestones work best",
                playbook.id
            ),
            "merge milestones, or move the smaller ones into phase checklists, so that 3 to 5 remain",
        )
    };
    report.lint("milestone-count", &at, message, help);
}

/// A first-value milestone of the plan, written or inferred from its
/// name, without criteria that say when first value is reached.
fn first_value_without_criteria(playbook: &PlaybookEntry, report: &mut Reporter<'_>) {
    let loaded = &playbook.loaded;
    for m in &loaded.doc.milestones {
        let mark = m.marks.clone().or_else(|| infer_mark(&m.name.value));
        if mark.as_deref() == Some("first_value")
            && m.criteria.as_deref().is_none_or(|c| c.trim().is_empty())
        {
            report.lint(
                "first-value-without-criteria",
                &loaded.place_of(&m.name),
                format!("the first-value milestone `{}` of `{}` has no criteria", m.name.value, playbook.id),
                "add `criteria:` that say how both sides will know first value was reached, such as `three automated workflows running`",
            );
        }
    }
}

fn agenda_lints(playbook: &PlaybookEntry, report: &mut Reporter<'_>) {
    let loaded = &playbook.loaded;
    let doc = &loaded.doc;
    let Some(duration) = doc.meeting.as_ref().and_then(|m| m.duration.as_ref()) else {
        return;
    };
    if doc.agenda.is_empty() {
        return;
    }
    let Some(meeting_minutes) = duration_minutes(&duration.value) else {
        report.lint(
            "agenda-duration-mismatch",
            &loaded.place_of(duration),
            format!(
                "cannot read the meeting duration `{}`, so the agenda cannot be checked against it",
                duration.value
            ),
            "write the duration in minutes or hours, such as `45 minutes` or `1 h 30`",
        );
        return;
    };
    let mut total: u64 = 0;
    let mut readable = true;
    for item in &doc.agenda {
        let Some(text) = &item.duration else { continue };
        match duration_minutes(&text.value) {
            Some(minutes) => total = total.saturating_add(u64::from(minutes)),
            None => {
                readable = false;
                report.lint(
                    "agenda-duration-mismatch",
                    &loaded.place_of(text),
                    format!(
                        "cannot read the duration `{}` of the agenda topic `{}`",
                        text.value, item.topic
                    ),
                    "write the duration in minutes, such as `10 min`",
                );
            }
        }
    }
    if readable && total != u64::from(meeting_minutes) {
        report.lint(
            "agenda-duration-mismatch",
            &loaded.place_of(duration),
            format!(
                "the agenda topics of `{}` add up to {total} minutes but the meeting lasts {meeting_minutes} minutes",
                playbook.id
            ),
            "change the topic durations or the meeting's `duration:` so that they agree",
        );
    }
}

/// The lints of a playbook's phases, phase by phase: references to
/// retired SOPs, then the phase's day range.
fn phase_lints(site: &Site, playbook: &PlaybookEntry, report: &mut Reporter<'_>) {
    // The previous phase with a readable day range, and its last day.
    let mut previous: Option<(&str, i64)> = None;
    for phase in &playbook.loaded.doc.phases {
        retired_sop_references(site, playbook, phase, report);
        if let Some(last) = phase_days(&playbook.loaded, phase, previous, report) {
            previous = Some((&phase.name, last));
        }
    }
}

/// A phase's references to SOPs that are retired.
fn retired_sop_references(
    site: &Site,
    playbook: &PlaybookEntry,
    phase: &Phase,
    report: &mut Reporter<'_>,
) {
    for reference in &phase.sops {
        let target = SopRef::parse(&reference.value);
        if site
            .sop(&target.sop)
            .is_some_and(|s| s.loaded.doc.status == SopStatus::Retired)
        {
            report.lint(
                "retired-sop-reference",
                &playbook.loaded.place_of(reference),
                format!(
                    "the phase `{}` of `{}` refers to `{}`, which is retired",
                    phase.name, playbook.id, reference.value
                ),
                "point the phase to the SOP that replaced it, or remove the reference",
            );
        }
    }
}

/// A phase's `days:` that are not two numbers, run backwards, or start
/// before the `previous` phase (its name and last day) ends. Returns the
/// phase's last day when its range can be read, for the next phase.
fn phase_days(
    loaded: &Loaded<Playbook>,
    phase: &Phase,
    previous: Option<(&str, i64)>,
    report: &mut Reporter<'_>,
) -> Option<i64> {
    let days = phase.days.as_ref()?;
    let at = loaded.place_of(days);
    let &[first, last] = days.value.as_slice() else {
        report.lint(
            "phase-days",
            &at,
            format!(
                "the days of the phase `{}` are not a range of two numbers",
                phase.name
            ),
            "write the first and last day counted from the start, such as `days: [1, 3]`",
        );
        return None;
    };
    if last < first {
        report.lint(
            "phase-days",
            &at,
            format!(
                "the days of the phase `{}` run backwards, from day {first} to day {last}",
                phase.name
            ),
            "write the first day before the last, such as `days: [1, 3]`",
        );
        return None;
    }
    if let Some((name, previous_last)) = previous
        && first < previous_last
    {
        report.lint(
            "phase-days",
            &at,
            format!(
                "the phase `{}` starts on day {first}, before the phase `{name}` ends on day {previous_last}",
                phase.name
            ),
            format!("start it on day {previous_last} or later; phases may touch on their boundary day"),
        );
    }
    Some(last)
}

/// Plan milestones without an offset: no customer following the plan gets
/// a target date for them.
fn plan_milestones_without_offset(playbook: &PlaybookEntry, report: &mut Reporter<'_>) {
    let loaded = &playbook.loaded;
    for m in loaded.doc.milestones.iter().filter(|m| m.offset.is_none()) {
        report.lint(
            "milestone-without-target",
            &loaded.place_of(&m.name),
            format!(
                "the plan milestone `{}` of `{}` has no offset, so customers following the plan never get a target date for it",
                m.name.value, playbook.id
            ),
            "add `offset:`, such as `offset: 14 days`, counted from the customer's start date",
        );
    }
}
