//! The playbook page: phases, milestones, meeting and agenda, and the
//! customers on it.

use serde::Serialize;

use super::{
    BaseView, PageJob, SopLink, customer_path, page_job, playbook_path, root_for, sop_link,
};
use crate::calendar::duration_minutes;
use crate::markdown::{PageIds, render_inline, render_on_page};
use crate::model::{Attendees, DefaultSetting, Pitfall, Playbook};
use crate::site::{PlaybookEntry, Site};
use crate::status::CustomerState;

/// The playbook page's context.
#[derive(Serialize)]
struct PlaybookPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    playbook: PlaybookView<'a>,
}

/// `playbook` on the playbook page.
#[derive(Serialize)]
struct PlaybookView<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a Option<String>,
    tiers: &'a [String],
    tags: &'a [String],
    defaults: &'a [DefaultSetting],
    phases: Vec<PhaseView<'a>>,
    span_days: i64,
    milestones: Vec<PlanMilestoneView<'a>>,
    /// Present when some milestone's offset depends on the tier.
    plan_by_tier: Option<PlanByTierView<'a>>,
    checklist: &'a [String],
    #[serde(rename = "do")]
    dos: Vec<String>,
    dont: Vec<String>,
    pitfalls: &'a [Pitfall],
    meeting: Option<MeetingView<'a>>,
    agenda: Vec<AgendaView<'a>>,
    agenda_total_minutes: u32,
    agenda_matches_meeting: bool,
    body_html: String,
    customers: Vec<PlaybookCustomer<'a>>,
}

/// A phase of the plan, with links to the SOPs it runs.
#[derive(Serialize)]
struct PhaseView<'a> {
    id: &'a str,
    name: &'a str,
    first_day: Option<i64>,
    last_day: Option<i64>,
    summary_html: Option<String>,
    refs: Vec<SopLink<'a>>,
}

/// A milestone of the plan and when it falls.
#[derive(Serialize)]
struct PlanMilestoneView<'a> {
    name: &'a str,
    marks: Option<String>,
    /// The offset in its canonical form; for an offset by tier, the default.
    offset: Option<String>,
    /// Whether the offset depends on the tier (see `plan_by_tier`).
    by_tier: bool,
    criteria: &'a Option<String>,
    customer_visible: bool,
}

/// The plan per tier: a column per tier, a row per milestone.
#[derive(Serialize)]
struct PlanByTierView<'a> {
    /// Column heads: the playbook's tiers (else the tiers its offsets name),
    /// then `None` for customers of any other tier or of none.
    tiers: Vec<Option<&'a str>>,
    rows: Vec<PlanByTierRow<'a>>,
}

/// One milestone across the tiers.
#[derive(Serialize)]
struct PlanByTierRow<'a> {
    name: &'a str,
    /// One cell per column of `tiers`: the offset after the start, or
    /// `None` when the milestone has no offset.
    offsets: Vec<Option<String>>,
}

/// The milestone × tier table of a playbook whose offsets vary by tier.
fn plan_by_tier(playbook: &PlaybookEntry) -> Option<PlanByTierView<'_>> {
    if playbook
        .offsets
        .iter()
        .flatten()
        .all(|o| o.by_tier.is_empty())
    {
        return None;
    }
    let mut tiers: Vec<&str> = playbook
        .loaded
        .doc
        .tiers
        .iter()
        .map(String::as_str)
        .collect();
    if tiers.is_empty() {
        for offset in playbook.offsets.iter().flatten() {
            for (tier, _) in &offset.by_tier {
                if !tiers.contains(&tier.as_str()) {
                    tiers.push(tier);
                }
            }
        }
    }
    let mut columns: Vec<Option<&str>> = tiers.into_iter().map(Some).collect();
    columns.push(None);
    let rows = playbook
        .plan()
        .map(|(m, offset)| PlanByTierRow {
            name: &m.name.value,
            offsets: columns
                .iter()
                .map(|tier| offset.map(|o| o.for_tier(*tier).to_string()))
                .collect(),
        })
        .collect();
    Some(PlanByTierView {
        tiers: columns,
        rows,
    })
}

/// The kickoff meeting.
#[derive(Serialize)]
struct MeetingView<'a> {
    duration: Option<&'a str>,
    minutes: Option<u32>,
    attendees: &'a Attendees,
}

/// One item of the meeting's agenda.
#[derive(Serialize)]
struct AgendaView<'a> {
    topic: &'a str,
    duration: Option<&'a str>,
    minutes: Option<u32>,
    notes: &'a Option<String>,
}

/// A customer on the playbook, with where it stands.
#[derive(Serialize)]
struct PlaybookCustomer<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    state: CustomerState,
    state_label: &'static str,
}

/// The phases of `playbook`, each with its id from `phase_ids`.
fn phase_views<'a>(
    site: &'a Site,
    playbook: &'a PlaybookEntry,
    phase_ids: &'a [String],
    root: &str,
    ids: &mut PageIds,
) -> Vec<PhaseView<'a>> {
    playbook
        .loaded
        .doc
        .phases
        .iter()
        .zip(phase_ids)
        .map(|(phase, id)| {
            let days: &[i64] = phase.days.as_ref().map_or(&[][..], |d| d.value.as_slice());
            PhaseView {
                id,
                name: &phase.name,
                first_day: days.first().copied(),
                last_day: days.get(1).or(days.first()).copied(),
                summary_html: phase
                    .summary
                    .as_deref()
                    .map(|s| render_on_page(s, root, 3, ids).html),
                refs: phase
                    .sops
                    .iter()
                    .map(|s| sop_link(site, &s.value))
                    .collect(),
            }
        })
        .collect()
}

/// The playbook page.
pub fn playbook_page(site: &Site, playbook: &PlaybookEntry) -> PageJob {
    let path = playbook_path(&playbook.id);
    let root = root_for(&path);
    let doc = &playbook.loaded.doc;
    let span = doc
        .phases
        .iter()
        .filter_map(|p| p.days.as_ref().and_then(|d| d.value.iter().copied().max()))
        .max()
        .unwrap_or(0);
    let agenda = agenda_views(doc);
    let agenda_total: u32 = agenda.iter().filter_map(|a| a.minutes).sum();
    let meeting_minutes = doc.meeting.as_ref().and_then(|m| minutes(&m.duration));
    // Heading ids are unique on the page: the phases and their summaries
    // take theirs first, as the page shows them first, and the link check
    // gives out the same.
    let phase_ids: Vec<String> = doc.phases.iter().map(crate::site::phase_id).collect();
    let mut ids = PageIds::for_playbook(doc, &phase_ids);
    let phases = phase_views(site, playbook, &phase_ids, &root, &mut ids);
    let body_source = playbook.loaded.markdown(doc.body.as_deref());
    let body_html = render_on_page(body_source, &root, 1, &mut ids).html;
    let view = PlaybookPage {
        base: BaseView::new(site, &path, "playbook", &doc.title),
        playbook: PlaybookView {
            id: &playbook.id,
            title: &doc.title,
            summary: &doc.summary,
            tiers: &doc.tiers,
            tags: &doc.tags,
            defaults: &doc.defaults,
            phases,
            span_days: span,
            milestones: milestone_views(playbook),
            plan_by_tier: plan_by_tier(playbook),
            checklist: &doc.checklist,
            dos: doc.r#do.iter().map(|d| render_inline(d, &root)).collect(),
            dont: doc.dont.iter().map(|d| render_inline(d, &root)).collect(),
            pitfalls: &doc.pitfalls,
            meeting: doc.meeting.as_ref().map(|m| MeetingView {
                duration: m.duration.as_ref().map(|d| d.value.as_str()),
                minutes: meeting_minutes,
                attendees: &m.attendees,
            }),
            agenda,
            agenda_total_minutes: agenda_total,
            agenda_matches_meeting: meeting_minutes.is_none_or(|m| m == agenda_total),
            body_html,
            customers: customers_on(site, &playbook.id),
        },
    };
    page_job(&path, "playbook.html", &view)
}

/// The minutes of a written duration (`30 min`), when it reads as one.
fn minutes(duration: &Option<crate::model::Spanned<String>>) -> Option<u32> {
    duration.as_ref().and_then(|d| duration_minutes(&d.value))
}

/// The plan's milestones: each one's default offset (or the offset as
/// written, when it did not parse) and whether tiers change it.
fn milestone_views(playbook: &PlaybookEntry) -> Vec<PlanMilestoneView<'_>> {
    playbook
        .plan()
        .map(|(m, offset)| PlanMilestoneView {
            name: &m.name.value,
            marks: m
                .marks
                .clone()
                .or_else(|| crate::status::infer_mark(&m.name.value)),
            offset: offset
                .map(|o| o.default.to_string())
                .or_else(|| m.offset_text().map(str::to_string)),
            by_tier: offset.is_some_and(|o| !o.by_tier.is_empty()),
            criteria: &m.criteria,
            customer_visible: m.customer_visible.unwrap_or(true),
        })
        .collect()
}

/// The kickoff agenda, each topic with its minutes.
fn agenda_views(doc: &Playbook) -> Vec<AgendaView<'_>> {
    doc.agenda
        .iter()
        .map(|a| AgendaView {
            topic: &a.topic,
            duration: a.duration.as_ref().map(|d| d.value.as_str()),
            minutes: minutes(&a.duration),
            notes: &a.notes,
        })
        .collect()
}

/// The customers on the playbook, with their state.
fn customers_on<'a>(site: &'a Site, playbook: &str) -> Vec<PlaybookCustomer<'a>> {
    site.customers
        .iter()
        .filter(|c| c.playbook.as_deref() == Some(playbook))
        .map(|c| PlaybookCustomer {
            slug: &c.slug,
            name: c.name(),
            url: customer_path(&c.slug),
            state: c.status.state,
            state_label: c.status.state.label(),
        })
        .collect()
}
