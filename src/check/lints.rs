//! The registry of named lints and the rules behind them.
//!
//! Each rule looks at the resolved [`Site`] and reports through the
//! [`Reporter`], which applies the level the site configured. Rules never
//! repeat what resolution already reports as a hard error (unknown roles,
//! unresolved references, unreadable targets): they only judge content
//! that is valid but unwise. Link checks live in [`super::links`].

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::calendar::duration_minutes;
use crate::diagnostics::Place;
use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::measure::Measure;
use crate::model::{MilestoneStatus, SopStatus};
use crate::site::{Customer, PlaybookEntry, Site, SopEntry, SopRef};
use crate::status::infer_mark;

/// Marks every site knows without a milestone declaring them.
const BUILT_IN_MARKS: &[&str] = &["start", "kickoff", "first_value", "handoff"];

/// Runs every lint. `root` is the site folder, used to check links to
/// static files; without it those links are not checked.
pub fn run(site: &Site, root: Option<&Path>, report: &mut Reporter<'_>) {
    run_scoped(site, root, None, report);
}

/// [`run`], with the lints and links of customers other than `only` left
/// out: the rest of the site is always checked, since a customer can
/// change what it finds (the marks an SOP's KPIs may name).
pub fn run_scoped(
    site: &Site,
    root: Option<&Path>,
    only: Option<&BTreeSet<String>>,
    report: &mut Reporter<'_>,
) {
    role_lints(site, report);
    share_lints(site, report);
    // Gathered once and only when a KPI names a mark that is not built in:
    // it reads every customer's milestones.
    let known = std::cell::OnceCell::new();
    for sop in &site.sops {
        sop_lints(site, sop, &known, report);
        split_list_items(
            &sop.loaded.file,
            sop.loaded.yaml_line_offset,
            yaml_text(&sop.loaded),
            report,
        );
    }
    for playbook in &site.playbooks {
        playbook_lints(site, playbook, report);
        split_list_items(
            &playbook.loaded.file,
            playbook.loaded.yaml_line_offset,
            yaml_text(&playbook.loaded),
            report,
        );
    }
    roles_file_lints(site, report);
    // Gathered once, and only when a customer has a tier.
    let tiers = std::cell::OnceCell::new();
    for customer in &site.customers {
        if only.is_none_or(|only| only.contains(&customer.slug)) {
            tracker_lints(site, customer, report);
            tier_lint(site, customer, &tiers, report);
            unknown_values(customer, report);
            split_list_items(&customer.loaded.file, 0, &customer.loaded.file.text, report);
        }
    }
    super::links::run_scoped(site, root, only, report);
}

// ---------------------------------------------------------------- share

/// Without a share secret, a customer's share folder is `share/<slug>/`:
/// anyone who knows one customer's link can guess another's. The secret
/// is looked up by [`crate::share::secret`], the function the build uses.
fn share_lints(site: &Site, report: &mut Reporter<'_>) {
    let share = &site.config.share;
    if !share.enabled || site.customers.is_empty() || crate::share::secret(site).is_some() {
        return;
    }
    let variable = &share.secret_env;
    let at = match &site.config_file {
        Some(file) => {
            // The line that names the variable, else the `share:` block.
            let lines = || file.text.lines().enumerate();
            let key = lines()
                .find(|(_, l)| l.trim_start().starts_with("secret_env:"))
                .or_else(|| lines().find(|(_, l)| l.starts_with("share:")));
            match key {
                Some((index, l)) => Place::at(file, index + 1, l.len() - l.trim_start().len() + 1),
                None => Place::file(file),
            }
        }
        None => Place::file(&crate::diagnostics::SourceFile::new("onboard.yaml", "")),
    };
    report.lint(
        "guessable-share-links",
        &at,
        format!(
            "`{variable}` is unset or empty, so share sites are built at share/<slug>/: links anyone can guess from a customer's name"
        ),
        format!(
            "set `{variable}` to a long random secret when you build (such as `export {variable}=$(openssl rand -hex 32)`), or set `share: {{ enabled: false }}` in onboard.yaml"
        ),
    );
}

// ---------------------------------------------------------------- roles

fn role_lints(site: &Site, report: &mut Reporter<'_>) {
    let index: HashMap<&str, usize> = site
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let next = |i: usize| {
        site.roles[i]
            .escalates_to
            .as_deref()
            .and_then(|to| index.get(to).copied())
    };
    // Each role escalates to at most one other, so following the chain from
    // every role in turn finds each cycle exactly once: a walk stops at the
    // first role an earlier walk already finished.
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; site.roles.len()];
    for start in 0..site.roles.len() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(i) = current {
            match state[i] {
                NEW => {
                    state[i] = ON_PATH;
                    path.push(i);
                    current = next(i);
                }
                ON_PATH => {
                    let from = path.iter().position(|&p| p == i).unwrap_or(0);
                    report_escalation_loop(site, &path[from..], report);
                    current = None;
                }
                _ => current = None,
            }
        }
        for i in path {
            state[i] = DONE;
        }
    }
}

fn report_escalation_loop(site: &Site, cycle: &[usize], report: &mut Reporter<'_>) {
    // Start the chain at the role declared first, so the message does not
    // depend on where the walk entered the loop.
    let Some(first) = cycle
        .iter()
        .enumerate()
        .min_by_key(|(_, role)| **role)
        .map(|(at, _)| at)
    else {
        return;
    };
    let mut chain: Vec<&str> = cycle[first..]
        .iter()
        .chain(&cycle[..first])
        .map(|&i| site.roles[i].id.as_str())
        .collect();
    chain.push(chain[0]);
    let role = &site.roles[cycle[first]];
    report.lint(
        "escalation-loop",
        &role.declared_at,
        format!("the escalation chain of `{}` loops: {}", role.id, chain.join(" → ")),
        "end the chain at a role that escalates to nobody: remove or change one `escalates_to:` in the loop",
    );
}

// ----------------------------------------------------------------- SOPs

fn sop_lints<'s>(
    site: &'s Site,
    sop: &SopEntry,
    known: &std::cell::OnceCell<BTreeSet<&'s str>>,
    report: &mut Reporter<'_>,
) {
    let doc = &sop.loaded.doc;
    let spans: spans::SopSpans = spans::parse(&sop.loaded);

    if sop.review_overdue
        && let Some(due) = sop.review_due
    {
        let at = doc
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

    for (step, step_id) in doc.steps.iter().zip(&sop.step_ids) {
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

    for (kpi, def) in doc.kpis.iter().zip(&sop.kpis) {
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

    let status_place = || {
        spans
            .status
            .as_ref()
            .map(|s| sop.loaded.place_of(s))
            .unwrap_or_else(|| sop.loaded.place_of(&doc.kind))
    };
    if doc.status == SopStatus::Approved {
        let signed = doc
            .approvals
            .iter()
            .any(|a| a.name.as_deref().is_some_and(|n| !n.trim().is_empty()) && a.date.is_some());
        if !signed {
            let at = doc
                .approvals
                .first()
                .map(|a| sop.loaded.place_of(&a.role))
                .unwrap_or_else(status_place);
            report.lint(
                "approved-without-approvals",
                &at,
                format!("`{}` is approved but no approval is signed with a name and a date", sop.id),
                "fill in `approvals:` with who signed and when, such as `{ role: operations-director, name: Dana Whitfield, date: 2026-01-10 }`, or set `status: draft` until then",
            );
        }
        let missing: Vec<&str> = [
            ("review_cycle", doc.review_cycle.is_none()),
            ("last_reviewed", doc.last_reviewed.is_none()),
        ]
        .into_iter()
        .filter(|(_, missing)| *missing)
        .map(|(key, _)| key)
        .collect();
        if !missing.is_empty() {
            report.lint(
                "no-review-cycle",
                &status_place(),
                format!("`{}` is approved but has no {}", sop.id, missing.join(" and no ")),
                "set `review_cycle:` (monthly, quarterly, semiannual, annual or such as 45d) and `last_reviewed:` so that overdue reviews are flagged",
            );
        }
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

fn playbook_lints(site: &Site, playbook: &PlaybookEntry, report: &mut Reporter<'_>) {
    let loaded = &playbook.loaded;
    let doc = &loaded.doc;

    let count = doc.milestones.len();
    if !(3..=5).contains(&count) {
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

    for m in &doc.milestones {
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

    agenda_lints(playbook, report);
    phase_lints(site, playbook, report);
    plan_milestones_without_offset(playbook, report);
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

fn phase_lints(site: &Site, playbook: &PlaybookEntry, report: &mut Reporter<'_>) {
    let loaded = &playbook.loaded;
    let mut previous: Option<(&str, i64)> = None;
    for phase in &loaded.doc.phases {
        for reference in &phase.sops {
            let target = SopRef::parse(&reference.value);
            if site
                .sop(&target.sop)
                .is_some_and(|s| s.loaded.doc.status == SopStatus::Retired)
            {
                report.lint(
                    "retired-sop-reference",
                    &loaded.place_of(reference),
                    format!(
                        "the phase `{}` of `{}` refers to `{}`, which is retired",
                        phase.name, playbook.id, reference.value
                    ),
                    "point the phase to the SOP that replaced it, or remove the reference",
                );
            }
        }
        let Some(days) = &phase.days else { continue };
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
            continue;
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
            continue;
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
        previous = Some((&phase.name, last));
    }
}

// ----------------------------------------------------------------- YAML

/// The site-wide roles file (SOPs' own roles are scanned with the SOP).
fn roles_file_lints(site: &Site, report: &mut Reporter<'_>) {
    let mut files: Vec<&std::sync::Arc<crate::diagnostics::SourceFile>> = site
        .roles
        .iter()
        .filter(|r| r.declared_in.is_none())
        .map(|r| &r.declared_at.file)
        .collect();
    files.dedup_by(|a, b| a.name == b.name);
    for file in files {
        split_list_items(file, 0, &file.text, report);
    }
}

/// Reports each `[...]` list whose items read like one phrase cut by a
/// comma (see [`super::split_items`]). `yaml` is the document's YAML,
/// starting `line_offset` lines into `file`.
fn split_list_items(
    file: &std::sync::Arc<crate::diagnostics::SourceFile>,
    line_offset: usize,
    yaml: &str,
    report: &mut Reporter<'_>,
) {
    for split in super::split_items::find(yaml) {
        let shown: Vec<String> = split.items.iter().map(|i| format!("“{i}”")).collect();
        let whole = split.items.join(", ");
        report.lint(
            "split-list-item",
            &Place::at(file, split.line + line_offset, split.column),
            format!(
                "this list has {} items, {}: “{}” reads like the rest of the item before it",
                split.items.len(),
                shown.join(", "),
                split.items[split.at]
            ),
            format!(
                "a comma in `[...]` starts a new item: quote an item that holds commas, such as `[\"{}\"]`, or write the list one `- item` per line",
                whole.replace('"', "\\\"")
            ),
        );
    }
}

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
    let close = closest(tier, declared.iter().copied());
    let help = match (close, declared.is_empty()) {
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
    };
    report.lint(
        "undeclared-tier",
        &at,
        format!(
            "the tier `{tier}` of `{}` is declared nowhere",
            customer.name()
        ),
        help,
    );
}

/// The tracker fields that take one of a few words.
const ALLOWED_VALUES: &[(&str, &[&str])] = &[
    ("severity", &["low", "medium", "high"]),
    ("engagement", &["low", "medium", "high"]),
    ("sentiment", &["positive", "neutral", "negative"]),
    ("risk_level", &["low", "medium", "high"]),
    ("side", &["customer", "internal"]),
];

/// Risk severities, health signals and sides outside their allowed words.
fn unknown_values(customer: &Customer, report: &mut Reporter<'_>) {
    let tracker = customer.tracker();
    let health = tracker.health.as_ref();
    let written: Vec<(&str, &str)> = [
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
    .collect();
    // The n-th time a key is written with the same wrong value, point at
    // the n-th place it is written so.
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (key, value) in written {
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
        let words = allowed
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match closest(value, allowed.iter().copied()) {
            Some(close) => format!("did you mean `{close}`? `{key}` is one of {words}"),
            None => format!("`{key}` is one of {words}"),
        };
        report.lint(
            "unknown-value",
            &at,
            format!(
                "`{key}: {value}` in `{}` is not one of the allowed values",
                customer.name()
            ),
            help,
        );
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
    let name = customer.name();
    let loaded = &customer.loaded;
    let playbook = customer
        .playbook
        .as_deref()
        .and_then(|id| site.playbook(id));
    if let Some(playbook) = playbook
        && customer.start_date().is_none()
    {
        let count = open().count();
        if count == 0 {
            return;
        }
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
                "`{name}` has no start_date, so {count} open milestone{} of the plan `{}` can never get a target date",
                if count == 1 { "" } else { "s" },
                playbook.id
            ),
            "add `start_date:` under `customer:` (the contract signature); the plan's offsets count from it",
        );
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
                "`{}` of `{name}` has no target date and no plan gives it one, so it can never be late",
                milestone.name
            ),
            help,
        );
    }
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

fn tracker_lints(site: &Site, customer: &Customer, report: &mut Reporter<'_>) {
    let loaded = &customer.loaded;
    let tracker = &loaded.doc;
    let name = customer.name();

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
    if champions.len() < 2 {
        let at = top_level_key(loaded, "stakeholders")
            .unwrap_or_else(|| loaded.place_of(&tracker.customer.name));
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

    for m in &tracker.milestones {
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

    // Positions are read from the YAML a second time only when there is
    // something to point at: on a big portfolio, parsing every tracker again
    // would double the time of the whole check.
    let mut spans: Option<spans::TrackerSpans> = None;
    for (index, update) in tracker.updates.iter().enumerate() {
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
                format!("an update of `{name}` is dated {}, after the as-of date {}", update.date, site.as_of),
                "updates record what happened; check the date, or the as_of setting in onboard.yaml",
            );
        }
    }

    for milestone in customer.milestones.iter().filter(|m| m.late) {
        let Some(target) = milestone.target_date else {
            continue;
        };
        let explained = milestone.blockers.iter().any(|b| !b.trim().is_empty())
            || tracker.updates.iter().any(|u| u.date.0 >= target);
        if explained {
            continue;
        }
        report.lint(
            "late-without-explanation",
            &milestone_place(customer, milestone),
            format!(
                "`{}` of `{name}` is {} day{} late (target {target}) with no blocker and no update since",
                milestone.name,
                milestone.days_late.unwrap_or(0),
                if milestone.days_late == Some(1) { "" } else { "s" }
            ),
            "add `blockers:` to the milestone or an update that explains the delay and the new date",
        );
    }

    late_kickoff(site, customer, report);
    milestones_without_target(site, customer, report);
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
    let plan = &playbook.loaded.doc.milestones;
    let tier = customer.tracker().customer.tier.as_deref();
    let Some(offset) = plan.iter().zip(&playbook.offsets).find_map(|(m, offset)| {
        let mark = m.marks.clone().or_else(|| infer_mark(&m.name.value));
        (mark.as_deref() == Some("kickoff")).then_some(offset.as_ref()?.for_tier(tier))
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
fn milestone_place(customer: &Customer, milestone: &crate::status::Milestone) -> Place {
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

// -------------------------------------------------------------- helpers

/// The YAML text of a document: its front matter, or the whole file.
pub(crate) fn yaml_text<T>(loaded: &Loaded<T>) -> &str {
    if loaded.yaml_line_offset > 0 {
        crate::load::split_front_matter(&loaded.file.text)
            .map(|split| split.yaml)
            .unwrap_or("")
    } else {
        &loaded.file.text
    }
}

/// Where the `nth` (from 0) `key: value` is written in a document's YAML,
/// pointing at the value (quoted or not, in block or flow style).
fn value_place<T>(loaded: &Loaded<T>, key: &str, value: &str, nth: usize) -> Option<Place> {
    let pattern = format!("{key}:");
    let mut count = 0;
    for (index, line) in yaml_text(loaded).lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(&pattern) {
            let key_at = from + found;
            from = key_at + pattern.len();
            // A whole key: at the line's start, or after a space, `{` or `,`.
            if line[..key_at]
                .chars()
                .next_back()
                .is_some_and(|c| !matches!(c, ' ' | '{' | ',' | '-'))
            {
                continue;
            }
            let rest = &line[from..];
            let value_at = from + (rest.len() - rest.trim_start().len());
            let written = line[value_at..]
                .split([',', '}', '#'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            if written != value {
                continue;
            }
            if count == nth {
                let column = line[..value_at].chars().count() + 1;
                return Some(loaded.place_at(index + 1, column));
            }
            count += 1;
        }
    }
    None
}

/// The candidate closest to `written`: the same ignoring case and `-`/`_`,
/// else one or two edits away.
fn closest<'a>(
    written: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let fold = |t: &str| t.to_lowercase().replace(['-', '_', ' '], "");
    let folded = fold(written);
    if let Some(same) = candidates.clone().find(|c| fold(c) == folded) {
        return Some(same);
    }
    candidates
        .map(|c| (edit_distance(&fold(c), &folded), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// The line of a top-level `key:` in a document's YAML.
fn top_level_key<T>(loaded: &Loaded<T>, key: &str) -> Option<Place> {
    yaml_text(loaded)
        .lines()
        .enumerate()
        .find_map(|(index, line)| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
                .then(|| loaded.place_at(index + 1, 1))
        })
}

/// Positions of fields the content model keeps as plain values.
///
/// The model spans only what cross-file checks need. For the rest (SOP
/// status, Markdown fields, update dates) the document's YAML is read a
/// second time into these lenient shapes, which keep nothing but the
/// positions. A document that parsed once parses again; if not, the
/// positions are simply unknown and lints fall back to coarser places.
pub(crate) mod spans {
    use serde::Deserialize;
    use serde::de::DeserializeOwned;

    use crate::load::Loaded;
    use crate::model::Spanned;

    /// Positions in an SOP.
    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub struct SopSpans {
        /// `status:`.
        pub status: Option<Spanned<String>>,
        /// `body:` (pure YAML files).
        pub body: Option<Spanned<String>>,
        /// Steps, in order.
        pub steps: Vec<StepSpans>,
    }

    /// Positions in an SOP step.
    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub struct StepSpans {
        /// `body:`.
        pub body: Option<Spanned<String>>,
        /// `substeps:`, in order.
        pub substeps: Vec<Spanned<String>>,
    }

    /// Positions in a playbook.
    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub struct PlaybookSpans {
        /// `body:` (pure YAML files).
        pub body: Option<Spanned<String>>,
        /// Phases, in order.
        pub phases: Vec<PhaseSpans>,
        /// `do:`, in order.
        #[serde(rename = "do")]
        pub dos: Vec<Spanned<String>>,
        /// `dont:`, in order.
        pub dont: Vec<Spanned<String>>,
    }

    /// Positions in a playbook phase.
    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub struct PhaseSpans {
        /// `summary:`.
        pub summary: Option<Spanned<String>>,
    }

    /// Positions in a tracker.
    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub struct TrackerSpans {
        /// `notes:`.
        pub notes: Option<Spanned<String>>,
        /// Updates, in order.
        pub updates: Vec<UpdateSpans>,
    }

    /// Positions in a tracker update.
    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub struct UpdateSpans {
        /// `date:`.
        pub date: Option<Spanned<String>>,
        /// `text:`.
        pub text: Option<Spanned<String>>,
    }

    /// Reads the positions of a loaded document, or none when they cannot be read.
    pub fn parse<S: DeserializeOwned + Default, T>(loaded: &Loaded<T>) -> S {
        serde_saphyr::from_str(super::yaml_text(loaded)).unwrap_or_default()
    }
}
