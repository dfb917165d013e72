//! Lints of customer trackers.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostics::Place;
use crate::diagnostics::lints::Reporter;
use crate::model::{MilestoneStatus, Tracker};
use crate::site::{Customer, PlaybookEntry, Site};
use crate::status::infer_mark;

use super::spans;
use super::{closest, top_level_key, value_place};

// ------------------------------------------------------------- trackers

/// A customer's tier that no playbook's `tiers:` and no `tiers:` in
/// onboard.yaml declares: `Enterprise` beside `enterprise` would make two
/// groups on the dashboard.
fn tier_lint<'s>(
    site: &'s Site,
    customer: &Customer,
    declared: &std::cell::OnceCell<BTreeSet<&'s str>>,
    report: &mut Reporter<'_>,
) {
    let Some(tier) = customer.tracker().customer.tier.as_deref() else {
        return;
    };
    let declared = declared.get_or_init(|| {
        site.config
            .tiers
            .keys()
            .map(String::as_str)
            .chain(
                site.playbooks
                    .iter()
                    .flat_map(|p| p.loaded.doc.tiers.iter().map(String::as_str)),
            )
            .collect()
    });
    if declared.contains(tier) {
        return;
    }
    let loaded = &customer.loaded;
    let at = value_place(loaded, "tier", tier, 0)
        .unwrap_or_else(|| loaded.place_of(&loaded.doc.customer.name));
    report.lint(
        "undeclared-tier",
        &at,
        format!(
            "the tier `{tier}` of `{}` is declared nowhere",
            customer.name()
        ),
        undeclared_tier_help(tier, declared),
    );
}

/// The help for an undeclared `tier`: the closest declared tier, else how
/// to declare tiers when none are, else the declared ones.
fn undeclared_tier_help(tier: &str, declared: &BTreeSet<&str>) -> String {
    let close = closest(tier, declared.iter().copied());
    match (close, declared.is_empty()) {
        (Some(close), _) => format!(
            "did you mean `{close}`? Write a tier exactly as a playbook's `tiers:` or onboard.yaml's `tiers:` does"
        ),
        (None, true) => format!(
            "declare the site's tiers in onboard.yaml with their display names, such as `tiers: {{ {tier}: {} }}`",
            crate::config::tier_name(&indexmap::IndexMap::new(), tier)
        ),
        (None, false) => format!(
            "use a declared tier ({}), or add `{tier}` to `tiers:` in onboard.yaml",
            declared
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The tracker fields that take one of a few words.
pub(super) const ALLOWED_VALUES: &[(&str, &[&str])] = &[
    ("severity", &["low", "medium", "high"]),
    ("engagement", &["low", "medium", "high"]),
    ("sentiment", &["positive", "neutral", "negative"]),
    ("risk_level", &["low", "medium", "high"]),
    ("side", &["customer", "internal"]),
];

/// Risk severities, health signals and sides outside their allowed words.
fn unknown_values(customer: &Customer, report: &mut Reporter<'_>) {
    // The n-th time a key is written with the same wrong value, point at
    // the n-th place it is written so.
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (key, value) in written_values(customer.tracker()) {
        let Some((_, allowed)) = ALLOWED_VALUES.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        if allowed.contains(&value) {
            continue;
        }
        let nth = seen.entry((key, value)).or_default();
        let loaded = &customer.loaded;
        let at = value_place(loaded, key, value, *nth).unwrap_or_else(|| loaded.place());
        *nth += 1;
        report.lint(
            "unknown-value",
            &at,
            format!(
                "`{key}: {value}` in `{}` is not one of the allowed values",
                customer.name()
            ),
            allowed_values_help(key, value, allowed),
        );
    }
}

/// The values a tracker writes under the keys of [`ALLOWED_VALUES`], with
/// their key, in the order the checks report them: health, risks,
/// stakeholders, actions.
fn written_values(tracker: &Tracker) -> Vec<(&'static str, &str)> {
    let health = tracker.health.as_ref();
    [
        ("engagement", health.and_then(|h| h.engagement.as_deref())),
        ("sentiment", health.and_then(|h| h.sentiment.as_deref())),
        ("risk_level", health.and_then(|h| h.risk_level.as_deref())),
    ]
    .into_iter()
    .filter_map(|(key, value)| Some((key, value?)))
    .chain(
        tracker
            .risks
            .iter()
            .filter_map(|r| Some(("severity", r.severity.as_deref()?))),
    )
    .chain(
        tracker
            .stakeholders
            .iter()
            .filter_map(|s| Some(("side", s.side.as_deref()?))),
    )
    .chain(
        tracker
            .actions
            .iter()
            .filter_map(|a| Some(("side", a.side.as_deref()?))),
    )
    .collect()
}

/// The allowed words of `key`, led by the one closest to `value` if any.
fn allowed_values_help(key: &str, value: &str, allowed: &[&str]) -> String {
    let words = allowed
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match closest(value, allowed.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? `{key}` is one of {words}"),
        None => format!("`{key}` is one of {words}"),
    }
}

/// Open milestones that have no target date and that no plan can give
/// one: they can never be late, so nobody is warned when they slip.
fn milestones_without_target(site: &Site, customer: &Customer, report: &mut Reporter<'_>) {
    let open = || {
        customer
            .milestones
            .iter()
            .filter(|m| m.target_date.is_none() && !m.is_closed())
    };
    let playbook = customer
        .playbook
        .as_deref()
        .and_then(|id| site.playbook(id));
    if let Some(playbook) = playbook
        && customer.start_date().is_none()
    {
        plan_without_start_date(customer, playbook, open().count(), report);
        return;
    }
    // A planned milestone without an offset is reported once, at the
    // playbook ([`plan_milestones_without_offset`]), not for each customer.
    for milestone in open().filter(|m| !m.from_plan) {
        let help = match playbook {
            Some(playbook) => format!(
                "add `target_date:`, or give it an `offset:` in the plan of `{}` (the tracker's milestone name, or its `marks:`, must match)",
                playbook.id
            ),
            None => "add `target_date:`, or set `customer.playbook` to a playbook whose plan gives it an `offset:`".to_string(),
        };
        report.lint(
            "milestone-without-target",
            &milestone_place(customer, milestone),
            format!(
                "`{}` of `{}` has no target date and no plan gives it one, so it can never be late",
                milestone.name,
                customer.name()
            ),
            help,
        );
    }
}

/// A customer that follows `playbook` but has no start date: its `open`
/// milestones without a target date, if any, are reported once, at the
/// `playbook:` line.
fn plan_without_start_date(
    customer: &Customer,
    playbook: &PlaybookEntry,
    open: usize,
    report: &mut Reporter<'_>,
) {
    if open == 0 {
        return;
    }
    let loaded = &customer.loaded;
    let at = loaded
        .doc
        .customer
        .playbook
        .as_ref()
        .map(|p| loaded.place_of(p))
        .unwrap_or_else(|| loaded.place_of(&loaded.doc.customer.name));
    report.lint(
        "milestone-without-target",
        &at,
        format!(
            "`{}` has no start_date, so {open} open milestone{} of the plan `{}` can never get a target date",
            customer.name(),
            if open == 1 { "" } else { "s" },
            playbook.id
        ),
        "add `start_date:` under `customer:` (the contract signature); the plan's offsets count from it",
    );
}

/// The lints of one tracker, in the order they are reported. `tiers`, the
/// tiers the site declares, is gathered for the first customer with a tier.
pub(super) fn tracker_lints<'s>(
    site: &'s Site,
    customer: &Customer,
    tiers: &std::cell::OnceCell<BTreeSet<&'s str>>,
    report: &mut Reporter<'_>,
) {
    single_champion(customer, report);
    milestone_status_lints(customer, report);
    updates_after_as_of(site, customer, report);
    late_without_explanation(customer, report);
    late_kickoff(site, customer, report);
    milestones_without_target(site, customer, report);
    tier_lint(site, customer, tiers, report);
    unknown_values(customer, report);
}

/// A customer with fewer than two customer-side stakeholders.
fn single_champion(customer: &Customer, report: &mut Reporter<'_>) {
    let loaded = &customer.loaded;
    let tracker = &loaded.doc;
    let champions: Vec<&str> = tracker
        .stakeholders
        .iter()
        .filter(|s| {
            s.side
                .as_deref()
                .is_some_and(|side| side.trim().eq_ignore_ascii_case("customer"))
        })
        .map(|s| s.name.as_str())
        .collect();
    if champions.len() >= 2 {
        return;
    }
    let at = top_level_key(loaded, "stakeholders")
        .unwrap_or_else(|| loaded.place_of(&tracker.customer.name));
    let name = customer.name();
    let message = match champions.first() {
        Some(only) => format!(
            "`{name}` has one customer-side stakeholder, `{only}`; onboarding stalls if they leave"
        ),
        None => format!("`{name}` has no customer-side stakeholder"),
    };
    report.lint(
        "single-champion",
        &at,
        message,
        "list at least two people with `side: customer` under `stakeholders:`, such as the executive sponsor and the project lead",
    );
}

/// Written milestones whose status disagrees with the rest: an actual date
/// on one that is not complete, a blocked one without blockers; both lints
/// of a milestone before the next milestone.
fn milestone_status_lints(customer: &Customer, report: &mut Reporter<'_>) {
    let loaded = &customer.loaded;
    for m in &loaded.doc.milestones {
        let status = m.status.as_ref().map(|s| s.value).unwrap_or_default();
        if let Some(actual) = &m.actual_date
            && status != MilestoneStatus::Complete
        {
            report.lint(
                "actual-date-not-complete",
                &loaded.place_of(actual),
                format!(
                    "`{}` has an actual_date ({}) but its status is {}",
                    m.name.value,
                    actual.value,
                    status.as_str()
                ),
                "set `status: complete` if it is done, or write `actual_date: null` until it is",
            );
        }
        if status == MilestoneStatus::Blocked && m.blockers.iter().all(|b| b.trim().is_empty()) {
            let at = m
                .status
                .as_ref()
                .map(|s| loaded.place_of(s))
                .unwrap_or_else(|| loaded.place_of(&m.name));
            report.lint(
                "blocked-without-blockers",
                &at,
                format!("`{}` is blocked but lists no blockers", m.name.value),
                "add `blockers:` saying what stands in the way, so that someone can remove it",
            );
        }
    }
}

/// Updates dated after the as-of day.
fn updates_after_as_of(site: &Site, customer: &Customer, report: &mut Reporter<'_>) {
    let loaded = &customer.loaded;
    // Positions are read from the YAML a second time only when there is
    // something to point at: on a big portfolio, parsing every tracker again
    // would double the time of the whole check.
    let mut spans: Option<spans::TrackerSpans> = None;
    for (index, update) in loaded.doc.updates.iter().enumerate() {
        if update.date.0 > site.as_of {
            let at = spans
                .get_or_insert_with(|| spans::parse(loaded))
                .updates
                .get(index)
                .and_then(|u| u.date.as_ref())
                .map(|d| loaded.place_of(d))
                .or_else(|| top_level_key(loaded, "updates"))
                .unwrap_or_else(|| loaded.place());
            report.lint(
                "date-after-as-of",
                &at,
                format!(
                    "an update of `{}` is dated {}, after the as-of date {}",
                    customer.name(),
                    update.date,
                    site.as_of
                ),
                "updates record what happened; check the date, or the as_of setting in onboard.yaml",
            );
        }
    }
}

/// Late milestones with no blocker and no update since their target date.
fn late_without_explanation(customer: &Customer, report: &mut Reporter<'_>) {
    let updates = &customer.loaded.doc.updates;
    for milestone in customer.milestones.iter().filter(|m| m.late) {
        let Some(target) = milestone.target_date else {
            continue;
        };
        let explained = milestone.blockers.iter().any(|b| !b.trim().is_empty())
            || updates.iter().any(|u| u.date.0 >= target);
        if explained {
            continue;
        }
        report.lint(
            "late-without-explanation",
            &milestone_place(customer, milestone),
            format!(
                "`{}` of `{}` is {} day{} late (target {target}) with no blocker and no update since",
                milestone.name,
                customer.name(),
                milestone.days_late.unwrap_or(0),
                if milestone.days_late == Some(1) { "" } else { "s" }
            ),
            "add `blockers:` to the milestone or an update that explains the delay and the new date",
        );
    }
}

fn late_kickoff(site: &Site, customer: &Customer, report: &mut Reporter<'_>) {
    let Some(playbook) = customer
        .playbook
        .as_deref()
        .and_then(|id| site.playbook(id))
    else {
        return;
    };
    let Some(start) = customer.start_date() else {
        return;
    };
    let tier = customer.tracker().customer.tier.as_deref();
    let Some(offset) = playbook.plan().find_map(|(m, offset)| {
        let mark = m.marks.clone().or_else(|| infer_mark(&m.name.value));
        (mark.as_deref() == Some("kickoff")).then_some(offset?.for_tier(tier))
    }) else {
        return;
    };
    let Some(due) = site.calendar.apply(start, offset) else {
        return;
    };
    let Some(kickoff) = customer
        .milestones
        .iter()
        .find(|m| m.marks.as_deref() == Some("kickoff"))
    else {
        return;
    };
    let name = customer.name();
    let message = match (kickoff.status, kickoff.actual_date) {
        (MilestoneStatus::Skipped, _) => return,
        (_, Some(held)) if held > due => format!(
            "the kickoff of `{name}` was held on {held}, after the playbook's target of {due} ({offset} after the start)",
        ),
        (MilestoneStatus::Complete, _) | (_, Some(_)) => return,
        (_, None) if site.as_of > due => format!(
            "the kickoff of `{name}` is still open on {}, past the playbook's target of {due} ({offset} after the start)",
            site.as_of
        ),
        _ => return,
    };
    report.lint(
        "late-kickoff",
        &milestone_place(customer, kickoff),
        message,
        "hold the kickoff within the playbook's offset; if the plan is wrong for this customer, record why in an update",
    );
}

/// Where a planned milestone is written: its tracker entry, or the
/// `playbook:` line when the milestone came from the plan.
pub(super) fn milestone_place(customer: &Customer, milestone: &crate::status::Milestone) -> Place {
    let loaded = &customer.loaded;
    let tracker = &loaded.doc;
    tracker
        .milestones
        .iter()
        .map(|m| loaded.place_of(&m.name))
        .find(|place| milestone.line > 0 && place.line == milestone.line)
        .or_else(|| {
            tracker
                .customer
                .playbook
                .as_ref()
                .map(|p| loaded.place_of(p))
        })
        .unwrap_or_else(|| loaded.place_of(&tracker.customer.name))
}
