//! The SOP page: its steps, roles, KPIs and review, in one typed view.

use serde::Serialize;

use super::{
    BaseView, PageJob, RoleLink, TitleLink, page_job, playbook_path, role_link, root_for, sop_path,
};
use crate::markdown::{Heading, PageIds, render_inline, render_on_page};
use crate::model::{Date, Revision, Sop, SopStatus, Step};
use crate::render::customers::KpiRow;
use crate::site::{Site, SopEntry, SopRef};

/// The SOP page's context.
#[derive(Serialize)]
struct SopPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    sop: SopView<'a>,
}

/// `sop` on the SOP page.
#[derive(Serialize)]
struct SopView<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a Option<String>,
    version: &'a Option<String>,
    owner: Option<RoleLink<'a>>,
    status: SopStatus,
    review: ReviewView<'a>,
    tags: &'a [String],
    applies_to: &'a [String],
    not_for: &'a [String],
    prerequisites: &'a [String],
    definitions: &'a indexmap::IndexMap<String, String>,
    roles: Vec<SopRoleView<'a>>,
    steps: Vec<StepView<'a>>,
    kpis: &'a [KpiRow<'a>],
    checklist: &'a [String],
    quality_standards: &'a [String],
    revisions: &'a [Revision],
    approvals: Vec<ApprovalView<'a>>,
    body_html: String,
    toc: Vec<Heading>,
    used_by: Vec<TitleLink<'a>>,
}

/// When the SOP is reviewed.
#[derive(Serialize)]
struct ReviewView<'a> {
    cycle: Option<&'a str>,
    last_reviewed: &'a Option<Date>,
    due: Option<String>,
    overdue: bool,
}

/// A role as an SOP declares it.
#[derive(Serialize)]
struct SopRoleView<'a> {
    id: &'a str,
    name: &'a str,
    responsibilities: &'a [String],
    escalates_to: Option<RoleLink<'a>>,
}

/// One step of an SOP.
#[derive(Serialize)]
struct StepView<'a> {
    number: usize,
    id: &'a str,
    title: &'a str,
    owner: Option<RoleLink<'a>>,
    when: &'a Option<String>,
    objective: &'a Option<String>,
    body_html: Option<String>,
    substeps: Vec<String>,
    checklist: &'a [String],
    mistakes: &'a [String],
    time_standard: &'a Option<String>,
    tools: &'a [String],
    escalation: Option<EscalationView<'a>>,
    prev: Option<StepNeighbour<'a>>,
    next: Option<StepNeighbour<'a>>,
}

/// Whom a step escalates to, within what time and when.
#[derive(Serialize)]
struct EscalationView<'a> {
    to: Option<RoleLink<'a>>,
    within: &'a Option<String>,
    when: &'a Option<String>,
}

/// The step before or after, for the step's own navigation.
#[derive(Serialize)]
struct StepNeighbour<'a> {
    id: &'a str,
    title: &'a str,
}

/// A sign-off of the SOP.
#[derive(Serialize)]
struct ApprovalView<'a> {
    role: Option<RoleLink<'a>>,
    name: Option<&'a str>,
    date: &'a Option<Date>,
}

fn step_views<'a>(
    site: &Site,
    sop: &'a SopEntry,
    root: &str,
    ids: &mut PageIds,
) -> Vec<StepView<'a>> {
    let doc: &'a Sop = &sop.loaded.doc;
    let neighbour = |index: usize| StepNeighbour {
        id: &sop.step_ids[index],
        title: &doc.steps[index].title.value,
    };
    doc.steps
        .iter()
        .zip(&sop.step_ids)
        .enumerate()
        .map(|(index, (step, id))| step_view(site, step, id, index, root, ids))
        .map(|mut view| {
            let index = view.number - 1;
            view.prev = (index > 0).then(|| neighbour(index - 1));
            view.next = (index + 1 < sop.step_ids.len()).then(|| neighbour(index + 1));
            view
        })
        .collect()
}

fn step_view<'a>(
    site: &Site,
    step: &'a Step,
    id: &'a str,
    index: usize,
    root: &str,
    ids: &mut PageIds,
) -> StepView<'a> {
    StepView {
        number: index + 1,
        id,
        title: &step.title.value,
        owner: role_link(site, step.owner.as_ref().map(|o| o.value.as_str())),
        when: &step.when,
        objective: &step.objective,
        body_html: step
            .body
            .as_deref()
            .map(|b| render_on_page(b, root, 3, ids).html),
        substeps: step
            .substeps
            .iter()
            .map(|s| render_inline(s, root))
            .collect(),
        checklist: &step.checklist,
        mistakes: &step.mistakes,
        time_standard: &step.time_standard,
        tools: &step.tools,
        escalation: step.escalation.as_ref().map(|e| EscalationView {
            to: role_link(site, Some(&e.to.value)),
            within: &e.within,
            when: &e.when,
        }),
        prev: None,
        next: None,
    }
}

/// The SOP page.
pub fn sop_page(site: &Site, sop: &SopEntry, kpi_results: &[KpiRow]) -> PageJob {
    let path = sop_path(&sop.id);
    let root = root_for(&path);
    let doc = &sop.loaded.doc;
    // Heading ids are unique on the page: the steps take theirs first, as
    // the page shows them first, and the link check gives out the same.
    let mut ids = PageIds::for_sop(doc, &sop.step_ids);
    let steps = step_views(site, sop, &root, &mut ids);
    let body = render_on_page(sop.loaded.markdown(doc.body.as_deref()), &root, 1, &mut ids);
    let view = SopPage {
        base: BaseView::new(site, &path, "sop", &doc.title),
        sop: SopView {
            id: &sop.id,
            title: &doc.title,
            summary: &doc.summary,
            version: &doc.version,
            owner: role_link(site, doc.owner.as_ref().map(|o| o.value.as_str())),
            status: doc.status,
            review: ReviewView {
                cycle: doc.review_cycle.as_ref().map(|c| c.value.as_str()),
                last_reviewed: &doc.last_reviewed,
                due: sop.review_due.map(|d| d.to_string()),
                overdue: sop.review_overdue,
            },
            tags: &doc.tags,
            applies_to: &doc.applies_to,
            not_for: &doc.not_for,
            prerequisites: &doc.prerequisites,
            definitions: &doc.definitions,
            roles: role_views(site, doc),
            steps,
            kpis: kpi_results,
            checklist: &doc.checklist,
            quality_standards: &doc.quality_standards,
            revisions: &doc.revisions,
            approvals: approval_views(site, doc),
            toc: body
                .headings
                .iter()
                .filter(|h| h.level <= 3)
                .cloned()
                .collect(),
            body_html: body.html,
            used_by: playbooks_using(site, &sop.id),
        },
    };
    page_job(&path, "sop.html", &view)
}

/// The SOP's roles, each linked to the role it escalates to.
fn role_views<'a>(site: &Site, doc: &'a Sop) -> Vec<SopRoleView<'a>> {
    doc.roles
        .iter()
        .map(|r| SopRoleView {
            id: &r.id.value,
            name: &r.name,
            responsibilities: &r.responsibilities,
            escalates_to: role_link(site, r.escalates_to.as_ref().map(|e| e.value.as_str())),
        })
        .collect()
}

/// The SOP's sign-offs, each linked to its role.
fn approval_views<'a>(site: &Site, doc: &'a Sop) -> Vec<ApprovalView<'a>> {
    doc.approvals
        .iter()
        .map(|a| ApprovalView {
            role: role_link(site, Some(&a.role.value)),
            name: a.name.as_deref().filter(|n| !n.trim().is_empty()),
            date: &a.date,
        })
        .collect()
}

/// The playbooks that have the SOP in one of their phases.
fn playbooks_using<'a>(site: &'a Site, sop: &str) -> Vec<TitleLink<'a>> {
    site.playbooks
        .iter()
        .filter(|p| {
            p.loaded
                .doc
                .phases
                .iter()
                .any(|ph| ph.sops.iter().any(|s| SopRef::parse(&s.value).sop == sop))
        })
        .map(|p| TitleLink {
            id: &p.id,
            title: &p.loaded.doc.title,
            url: playbook_path(&p.id),
        })
        .collect()
}
