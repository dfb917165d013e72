//! A customer's internal status page: where the account stands and what
//! happens next, then everything its tracker says.

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::Serialize;

use super::CustomerShared;
use crate::markdown::{PageIds, render_on_page};
use crate::model::{Action, CustomerInfo, Date, Health, Risk, Stakeholder, Update, Visibility};
use crate::render::dashboard::{self, Acts};
use crate::render::pages::{SopLink, customer_path, playbook_path, root_for, sop_link, sop_path};
use crate::site::{Customer, Site, SopRef};
use crate::status::{CustomerState, Milestone, Progress};

/// The status page's context, beside the base (site, root, nav, page).
#[derive(Serialize)]
struct StatusPage<'a> {
    customer: CustomerView<'a>,
    /// Where the page anchors the timeline's scroll box, in percent of its
    /// width (see customer.html); absent when today is off the timeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline_today: Option<String>,
}

/// `customer`: the account's status and its tracker, as the page shows them.
#[derive(Serialize)]
struct CustomerView<'a> {
    slug: &'a str,
    name: &'a str,
    tier: &'a Option<String>,
    csm: &'a Option<String>,
    /// The tracker's `customer:` block as written, every key of it: a key
    /// added to [`CustomerInfo`] reaches the template as
    /// `customer.written.<key>` with no change here.
    written: &'a CustomerInfo,
    /// The playbook the plan comes from, when the site has it.
    playbook: Option<PlaybookLink<'a>>,
    playbook_title: Option<&'a str>,
    playbook_url: Option<String>,
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    start_date: Option<NaiveDate>,
    state: CustomerState,
    state_label: &'static str,
    progress: Progress,
    percent: u32,
    next_milestone: &'a Option<String>,
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    next_target: Option<NaiveDate>,
    max_days_late: i64,
    open_blockers: usize,
    open_actions: usize,
    reasons: &'a [String],
    health: &'a Option<Health>,
    /// This page, from the site root.
    url: String,
    milestones: Vec<MilestoneView<'a>>,
    stakeholders: &'a [Stakeholder],
    actions: &'a [Action],
    risks: &'a [Risk],
    scores: &'a IndexMap<String, f64>,
    target_first_value: &'a Option<Date>,
    time_to_kickoff_business_days: Option<i64>,
    time_to_first_value_days: Option<i64>,
    /// Every update, internal ones too, newest first.
    updates: Vec<UpdateView<'a>>,
    notes_html: Option<String>,
    timeline_svg: &'a str,
    /// The milestone feed, from the site root.
    ics_url: String,
    /// The customer's share page, from the site root, when sharing is on.
    share_url: Option<String>,
    situation: Situation<'a>,
}

/// A link to the customer's playbook.
#[derive(Serialize)]
struct PlaybookLink<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
}

/// A milestone with the SOPs and steps that reach it.
#[derive(Serialize)]
struct MilestoneView<'a> {
    #[serde(flatten)]
    milestone: &'a Milestone,
    /// Links to the SOPs and steps its plan milestone names (`sops:`, and
    /// those of its `phase:`).
    links: Vec<SopLink<'a>>,
}

/// An update with its text rendered.
#[derive(Serialize)]
struct UpdateView<'a> {
    date: Date,
    visibility: &'a Visibility,
    html: String,
}

/// The top of a status page: where the customer stands and what happens
/// next.
#[derive(Serialize)]
struct Situation<'a> {
    /// The milestone that matters most now: the most overdue late one,
    /// else the next open one.
    focus: Option<&'a str>,
    /// Its agreed revised date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    revised_eta: Option<NaiveDate>,
    /// Its planned date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    planned: Option<NaiveDate>,
    /// Open blockers of open milestones.
    blockers: Vec<&'a str>,
    /// The open action due first (overdue ones first of all).
    next_action: Option<NextAction<'a>>,
    /// Who must act next, as the dashboard says it (see
    /// [`dashboard::who_acts`]).
    acts: Option<Acts>,
    /// `acts` in words.
    acts_label: Option<&'static str>,
    /// The escalation of the SOP steps behind the focus milestone.
    escalation: Option<EscalationView<'a>>,
}

#[derive(Serialize)]
struct NextAction<'a> {
    title: &'a str,
    owner: Option<&'a str>,
    side: Option<&'a str>,
    due: Option<Date>,
    overdue: bool,
    internal: bool,
}

impl<'a> NextAction<'a> {
    fn of(action: &'a Action, as_of: NaiveDate) -> Self {
        NextAction {
            title: &action.title,
            owner: action.owner.as_deref(),
            side: action.side.as_deref(),
            due: action.due,
            overdue: action.due.is_some_and(|d| d.0 < as_of),
            internal: action.visibility == Visibility::Internal,
        }
    }
}

#[derive(Serialize)]
struct EscalationView<'a> {
    /// The role escalated to, by name.
    to: &'a str,
    within: Option<&'a str>,
    /// The trigger.
    when: Option<&'a str>,
    /// The step it comes from.
    step: &'a str,
    url: String,
}

impl<'a> EscalationView<'a> {
    /// The escalation of the first step behind `milestone` that has one:
    /// of the step a `sop#step` reference names, else of any step of the
    /// SOP.
    fn of(site: &'a Site, milestone: &'a Milestone) -> Option<Self> {
        milestone.sops.iter().find_map(|text| {
            let reference = SopRef::parse(text);
            let sop = site.sop(&reference.sop)?;
            let steps = &sop.loaded.doc.steps;
            let (index, step) = steps.iter().enumerate().find(|(i, s)| {
                s.escalation.is_some()
                    && reference
                        .step
                        .as_ref()
                        .is_none_or(|id| sop.step_ids.get(*i) == Some(id))
            })?;
            let escalation = step.escalation.as_ref()?;
            Some(EscalationView {
                to: site
                    .role(&escalation.to.value)
                    .map_or(escalation.to.value.as_str(), |r| r.name.as_str()),
                within: escalation.within.as_deref(),
                when: escalation.when.as_deref(),
                step: &step.title.value,
                url: format!(
                    "{}#{}",
                    sop_path(&sop.id),
                    sop.step_ids.get(index).map_or("", String::as_str)
                ),
            })
        })
    }
}

impl<'a> Situation<'a> {
    fn of(site: &'a Site, customer: &'a Customer) -> Situation<'a> {
        let focus = customer
            .milestones
            .iter()
            .filter(|m| m.late)
            .max_by_key(|m| m.days_late)
            .or_else(|| customer.status.next_index.map(|i| &customer.milestones[i]));
        // The dashboard's next action, so both pages name the same one.
        let next = dashboard::next_action(customer);
        let acts = dashboard::who_acts(customer, next, dashboard::milestone_in_question(customer));
        Situation {
            focus: focus.map(|m| m.name.as_str()),
            revised_eta: focus.and_then(|m| m.forecast_date),
            planned: focus.and_then(|m| m.target_date),
            blockers: customer
                .milestones
                .iter()
                .filter(|m| !m.is_closed())
                .flat_map(|m| m.blockers.iter().map(String::as_str))
                .collect(),
            next_action: next.map(|a| NextAction::of(a, site.as_of)),
            acts,
            acts_label: acts.map(Acts::label),
            escalation: focus.and_then(|m| EscalationView::of(site, m)),
        }
    }
}

/// A customer's internal status page: its output path and Tera context.
/// `timeline_svg` is the customer's milestone timeline (see
/// [`super::timeline`]) and `timeline_today` where today falls on it.
pub fn customer_page(
    shared: &CustomerShared,
    customer: &Customer,
    share_path: Option<&str>,
    timeline_svg: &str,
    timeline_today: Option<String>,
) -> (String, tera::Context) {
    let path = customer_path(&customer.slug);
    let view = StatusPage {
        customer: customer_view(shared.site, customer, &path, share_path, timeline_svg),
        timeline_today,
    };
    let context = shared
        .base
        .page_context(&path, "customers", customer.name(), None, &view);
    (path, context)
}

/// The `customer` of the status page at `path`.
fn customer_view<'a>(
    site: &'a Site,
    customer: &'a Customer,
    path: &str,
    share_path: Option<&str>,
    timeline_svg: &'a str,
) -> CustomerView<'a> {
    let tracker = customer.tracker();
    let status = &customer.status;
    let playbook = playbook_link(site, customer);
    let root = root_for(path);
    // The updates and the notes share the page's ids with its own sections:
    // a heading `## Risks` in the notes gets `risks-1`.
    let mut ids = PageIds::for_customer_page();
    let updates = update_views(&tracker.updates, &root, &mut ids);
    CustomerView {
        slug: &customer.slug,
        name: customer.name(),
        tier: &tracker.customer.tier,
        csm: &tracker.customer.csm,
        written: &tracker.customer,
        playbook_title: playbook.as_ref().map(|p| p.title),
        playbook_url: playbook.as_ref().map(|p| p.url.clone()),
        playbook,
        start_date: customer.start_date(),
        state: status.state,
        state_label: status.state.label(),
        progress: status.progress,
        percent: status.percent,
        next_milestone: &status.next_milestone,
        next_target: status.next_target,
        max_days_late: status.max_days_late,
        open_blockers: status.open_blockers,
        open_actions: status.open_actions,
        reasons: &status.reasons,
        health: &tracker.health,
        url: customer_path(&customer.slug),
        milestones: milestone_views(site, &customer.milestones),
        stakeholders: &tracker.stakeholders,
        actions: &tracker.actions,
        risks: &tracker.risks,
        scores: &tracker.scores,
        target_first_value: &tracker.customer.target_first_value,
        time_to_kickoff_business_days: status.time_to_kickoff_business_days,
        time_to_first_value_days: status.time_to_first_value_days,
        updates,
        notes_html: (tracker.notes.as_deref()).map(|n| render_on_page(n, &root, 2, &mut ids).html),
        timeline_svg,
        ics_url: format!("customers/{}/milestones.ics", customer.slug),
        share_url: share_path.map(|p| format!("share/{p}/index.html")),
        situation: Situation::of(site, customer),
    }
}

/// The customer's playbook, when the site has it.
fn playbook_link<'a>(site: &'a Site, customer: &Customer) -> Option<PlaybookLink<'a>> {
    let playbook = site.playbook(customer.playbook.as_deref()?)?;
    Some(PlaybookLink {
        id: &playbook.id,
        title: &playbook.loaded.doc.title,
        url: playbook_path(&playbook.id),
    })
}

/// Milestones with links to how each is reached.
fn milestone_views<'a>(site: &'a Site, milestones: &'a [Milestone]) -> Vec<MilestoneView<'a>> {
    milestones
        .iter()
        .map(|milestone| MilestoneView {
            milestone,
            links: milestone.sops.iter().map(|r| sop_link(site, r)).collect(),
        })
        .collect()
}

/// Every update, newest first, rendered for a page `root` below the site
/// root whose ids are `ids`.
fn update_views<'a>(updates: &'a [Update], root: &str, ids: &mut PageIds) -> Vec<UpdateView<'a>> {
    let mut updates: Vec<&Update> = updates.iter().collect();
    updates.sort_by_key(|u| std::cmp::Reverse(u.date));
    updates
        .into_iter()
        .map(|u| UpdateView {
            date: u.date,
            visibility: &u.visibility,
            html: render_on_page(&u.text, root, 2, ids).html,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::tests::site_from;
    use crate::site::testing::CONFIG;

    const TRACKER: &str = r###"
customer: { name: Acme, slug: acme, start_date: "2026-01-05" }
milestones:
  - { name: Kickoff, target_date: "2026-01-09", actual_date: "2026-01-09", status: complete }
  - { name: Go live, target_date: "2026-01-20", status: in_progress, blockers: [SSO metadata] }
actions:
  - { title: Send the metadata, owner: Maria, side: customer, due: "2026-01-22" }
updates:
  - { date: "2026-01-10", text: "Kickoff held." }
  - { date: "2026-01-23", text: "## Risks\nSSO is late.", visibility: internal }
notes: "## Notes\nChanged providers."
"###;

    /// The status page context of the one customer, as JSON.
    fn context(today: Option<String>) -> (String, serde_json::Value) {
        let site = site_from(
            &[
                ("onboard.yaml", CONFIG),
                ("content/customers/acme.yaml", TRACKER),
            ],
            "2026-01-25",
        );
        let shared = CustomerShared::new(&site);
        let (path, context) =
            customer_page(&shared, &site.customers[0], Some("f"), "<svg/>", today);
        let mut json = serde_json::Map::new();
        for key in ["site", "root", "nav", "page", "customer", "timeline_today"] {
            if let Some(value) = context.get(key) {
                json.insert(key.to_string(), serde_json::to_value(value).unwrap());
            }
        }
        (path, serde_json::Value::Object(json))
    }

    #[test]
    fn the_status_page_context_holds_the_base_and_the_customer() {
        let (path, context) = context(None);
        assert_eq!(path, "customers/acme/index.html");
        assert_eq!(context["root"], "../../");
        assert_eq!(context["page"]["kind"], "customers");
        assert_eq!(context["page"]["title"], "Acme");
        assert!(
            context["nav"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["active"] == true)
        );
        assert!(context.get("timeline_today").is_none(), "absent, not null");
        let customer = &context["customer"];
        assert_eq!(customer["name"], "Acme");
        // Every key of the `customer:` block, as written, for templates.
        assert_eq!(customer["written"]["name"], "Acme");
        assert_eq!(customer["written"]["share"], true);
        assert_eq!(customer["share_url"], "share/f/index.html");
        assert_eq!(customer["ics_url"], "customers/acme/milestones.ics");
        assert_eq!(customer["playbook"], serde_json::Value::Null);
        assert_eq!(customer["milestones"][1]["name"], "Go live");
        assert_eq!(customer["milestones"][1]["links"], serde_json::json!([]));
        assert_eq!(customer["situation"]["focus"], "Go live");
        assert_eq!(
            customer["situation"]["next_action"]["title"],
            "Send the metadata"
        );
    }

    #[test]
    fn updates_come_newest_first_and_their_headings_keep_off_the_page_ids() {
        let (_, context) = context(Some("40".to_string()));
        assert_eq!(context["timeline_today"], "40");
        let updates = &context["customer"]["updates"];
        assert_eq!(updates[0]["date"], "2026-01-23");
        assert_eq!(updates[0]["visibility"], "internal");
        assert!(
            updates[0]["html"]
                .as_str()
                .unwrap()
                .contains("id=\"risks-1\"")
        );
        assert_eq!(updates[1]["date"], "2026-01-10");
        let notes = context["customer"]["notes_html"].as_str().unwrap();
        assert!(notes.contains("id=\"notes-1\""), "{notes}");
    }
}
