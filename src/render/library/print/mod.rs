//! The print page (`/print/`): the whole library on one page, for print or
//! PDF, in the manner of mdBook's `print.html`: approved SOPs, then
//! playbooks, roles and the glossary, after a table of contents.
//!
//! Every document keeps its own anchors, made unique on the one page by a
//! prefix (`sop-<id>--<step>`, `playbook-<id>--<phase>`), and every link
//! between documents that the page holds becomes a link within the page,
//! so the printed or saved copy needs nothing else. Markdown is rendered as
//! on the document's own page and its links are then read from there: a
//! relative link (`../other/`) means what it meant on that page. Links to
//! anything the page does not hold (free pages, static files, drafts of
//! nothing) point to that file, relative to the print page.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::markdown::{Rendered, render_inline, render_nested};
use crate::model::{SopStatus, slugify};
use crate::render::pages::{BaseView, PageJob, page_job, playbook_path, root_for, sop_path};
use crate::site::{PlaybookEntry, Site, SopEntry, SopRef};

mod documents;
mod links;

use documents::{
    GlossaryEntry, RenderedPlaybook, RenderedSop, glossary, phase_id, print_playbook, print_roles,
    print_sop, print_terms, render_playbook, render_sop,
};
use links::Held;

/// The output path of the print page.
pub const PAGE_PATH: &str = "print/index.html";

/// The print page's root: back from `print/` to the site root.
const PRINT_ROOT: &str = "../";

/// The anchor of an SOP on the print page.
pub fn sop_anchor(id: &str) -> String {
    format!("sop-{id}")
}

/// The anchor of an SOP's step on the print page. Ids are slugs, which
/// never hold `--`, so no two SOP/step pairs give the same anchor.
pub fn step_anchor(sop: &str, step: &str) -> String {
    format!("sop-{sop}--{step}")
}

/// The anchor of a playbook on the print page.
pub fn playbook_anchor(id: &str) -> String {
    format!("playbook-{id}")
}

/// The anchor of a playbook's phase on the print page.
pub fn phase_anchor(playbook: &str, phase: &str) -> String {
    format!("playbook-{playbook}--{phase}")
}

/// Whether an SOP is in the print page: approved and built.
pub fn is_printed(sop: &SopEntry) -> bool {
    sop.published && sop.loaded.doc.status == SopStatus::Approved
}

/// A link as the print page shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PrintLink {
    text: String,
    /// `#anchor` within the page, or a path relative to the print page.
    href: String,
}

/// One entry of the table of contents.
#[derive(Debug, Serialize)]
pub struct TocEntry {
    title: String,
    href: String,
    children: Vec<TocEntry>,
}

/// A step of a printed SOP.
#[derive(Debug, Serialize)]
pub struct PrintStep {
    anchor: String,
    number: usize,
    title: String,
    owner: Option<PrintLink>,
    when: Option<String>,
    objective: Option<String>,
    time_standard: Option<String>,
    tools: Vec<String>,
    body_html: Option<String>,
    substeps_html: Vec<String>,
    checklist: Vec<String>,
    mistakes: Vec<String>,
    escalation: Option<PrintEscalation>,
}

/// Where a printed step escalates.
#[derive(Debug, Serialize)]
pub struct PrintEscalation {
    to: PrintLink,
    within: Option<String>,
    when: Option<String>,
}

/// A role declared in a printed SOP.
#[derive(Debug, Serialize)]
pub struct PrintSopRole {
    link: PrintLink,
    responsibilities: Vec<String>,
}

/// A KPI of a printed SOP: what it measures and its target (values belong
/// to the dashboard, not to the procedure).
#[derive(Debug, Serialize)]
pub struct PrintKpi {
    name: String,
    target: Option<String>,
    description: Option<String>,
}

/// A printed SOP.
#[derive(Debug, Serialize)]
pub struct PrintSop {
    anchor: String,
    id: String,
    title: String,
    summary: Option<String>,
    version: Option<String>,
    owner: Option<PrintLink>,
    review_cycle: Option<String>,
    last_reviewed: Option<String>,
    review_due: Option<String>,
    tags: Vec<String>,
    applies_to: Vec<String>,
    not_for: Vec<String>,
    prerequisites: Vec<String>,
    definitions: Vec<(String, String)>,
    roles: Vec<PrintSopRole>,
    steps: Vec<PrintStep>,
    checklist: Vec<String>,
    quality_standards: Vec<String>,
    kpis: Vec<PrintKpi>,
    body_html: String,
}

/// A phase of a printed playbook.
#[derive(Debug, Serialize)]
pub struct PrintPhase {
    anchor: String,
    name: String,
    first_day: Option<i64>,
    last_day: Option<i64>,
    summary_html: Option<String>,
    sops: Vec<PrintLink>,
}

/// A milestone of a printed playbook's plan.
#[derive(Debug, Serialize)]
pub struct PrintMilestone {
    name: String,
    offset: Option<String>,
    criteria: Option<String>,
    customer_visible: bool,
}

/// An agenda item of a printed playbook.
#[derive(Debug, Serialize)]
pub struct PrintAgendaItem {
    topic: String,
    duration: Option<String>,
    notes: Option<String>,
}

/// A printed playbook.
#[derive(Debug, Serialize)]
pub struct PrintPlaybook {
    anchor: String,
    id: String,
    title: String,
    summary: Option<String>,
    tiers: Vec<String>,
    tags: Vec<String>,
    phases: Vec<PrintPhase>,
    milestones: Vec<PrintMilestone>,
    checklist: Vec<String>,
    do_html: Vec<String>,
    dont_html: Vec<String>,
    pitfalls: Vec<(String, Option<String>)>,
    agenda: Vec<PrintAgendaItem>,
    body_html: String,
}

/// A role on the print page.
#[derive(Debug, Serialize)]
pub struct PrintRole {
    anchor: String,
    id: String,
    name: String,
    responsibilities: Vec<String>,
    escalates_to: Option<PrintLink>,
    owns: Vec<PrintLink>,
    steps: Vec<PrintLink>,
}

/// A glossary term on the print page.
#[derive(Debug, Serialize)]
pub struct PrintTerm {
    anchor: String,
    term: String,
    definition: String,
    sops: Vec<PrintLink>,
}

/// The print page's data (`print` in its context).
#[derive(Debug, Serialize)]
pub struct PrintView {
    toc: Vec<TocEntry>,
    sops: Vec<PrintSop>,
    playbooks: Vec<PrintPlaybook>,
    roles: Vec<PrintRole>,
    terms: Vec<PrintTerm>,
}

/// The print page's view.
pub fn print_view(site: &Site) -> PrintView {
    let rendered_sops: Vec<RenderedSop<'_>> = site
        .sops
        .iter()
        .filter(|s| is_printed(s))
        .map(render_sop)
        .collect();
    let rendered_playbooks: Vec<RenderedPlaybook<'_>> =
        site.playbooks.iter().map(render_playbook).collect();
    let terms = glossary(site);
    let held = held_anchors(site, &rendered_sops, &rendered_playbooks, &terms);

    let sops: Vec<PrintSop> = rendered_sops
        .iter()
        .map(|rendered| print_sop(site, &held, rendered))
        .collect();
    let playbooks: Vec<PrintPlaybook> = rendered_playbooks
        .iter()
        .map(|rendered| print_playbook(site, &held, rendered))
        .collect();
    let roles = print_roles(site, &held);
    let terms = print_terms(&held, terms);
    PrintView {
        toc: table_of_contents(&sops, &playbooks, !roles.is_empty(), !terms.is_empty()),
        sops,
        playbooks,
        roles,
        terms,
    }
}

/// The anchors the page holds: each printed document's headings, steps
/// and phases, the roles and the glossary's terms.
fn held_anchors(
    site: &Site,
    rendered_sops: &[RenderedSop<'_>],
    rendered_playbooks: &[RenderedPlaybook<'_>],
    terms: &[GlossaryEntry],
) -> Held {
    let mut held = Held {
        sops: BTreeMap::new(),
        playbooks: BTreeMap::new(),
        roles: site
            .roles
            .iter()
            .map(|r| format!("role-{}", r.id))
            .collect(),
        terms: HashSet::new(),
    };
    for rendered in rendered_sops {
        let sop = rendered.sop;
        let mut fragments = BTreeMap::new();
        // Headings first: on the SOP page a step and a heading with the
        // same id are one anchor, and the step is the one a reader means.
        for heading in &rendered.body.headings {
            fragments.insert(
                heading.id.clone(),
                format!("{}---{}", sop_anchor(&sop.id), heading.id),
            );
        }
        for step in &sop.step_ids {
            fragments.insert(step.clone(), step_anchor(&sop.id, step));
        }
        held.sops.insert(sop.id.clone(), fragments);
    }
    for rendered in rendered_playbooks {
        let playbook = rendered.playbook;
        let mut fragments = BTreeMap::new();
        for heading in &rendered.body.headings {
            fragments.insert(
                heading.id.clone(),
                format!("{}---{}", playbook_anchor(&playbook.id), heading.id),
            );
        }
        for phase in &playbook.loaded.doc.phases {
            let id = phase_id(phase);
            let anchor = phase_anchor(&playbook.id, &id);
            fragments.insert(format!("phase-{id}"), anchor.clone());
            fragments.insert(id, anchor);
        }
        held.playbooks.insert(playbook.id.clone(), fragments);
    }
    held.terms = terms.iter().map(|t| t.anchor.clone()).collect();
    held
}

/// The table of contents: SOPs with their steps, playbooks, and the roles
/// and glossary when the page has them.
fn table_of_contents(
    sops: &[PrintSop],
    playbooks: &[PrintPlaybook],
    has_roles: bool,
    has_terms: bool,
) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    if !sops.is_empty() {
        toc.push(TocEntry {
            title: "Standard operating procedures".into(),
            href: "#print-sops".into(),
            children: sops
                .iter()
                .map(|s| TocEntry {
                    title: s.title.clone(),
                    href: format!("#{}", s.anchor),
                    children: s
                        .steps
                        .iter()
                        .map(|step| TocEntry {
                            title: format!("{}. {}", step.number, step.title),
                            href: format!("#{}", step.anchor),
                            children: Vec::new(),
                        })
                        .collect(),
                })
                .collect(),
        });
    }
    if !playbooks.is_empty() {
        toc.push(TocEntry {
            title: "Playbooks".into(),
            href: "#print-playbooks".into(),
            children: playbooks
                .iter()
                .map(|p| TocEntry {
                    title: p.title.clone(),
                    href: format!("#{}", p.anchor),
                    children: Vec::new(),
                })
                .collect(),
        });
    }
    if has_roles {
        toc.push(TocEntry {
            title: "Roles".into(),
            href: "#roles".into(),
            children: Vec::new(),
        });
    }
    if has_terms {
        toc.push(TocEntry {
            title: "Glossary".into(),
            href: "#glossary".into(),
            children: Vec::new(),
        });
    }
    toc
}

/// The print page's context.
#[derive(Serialize)]
struct PrintPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    print: PrintView,
}

/// The print page.
pub fn print_page(site: &Site) -> PageJob {
    let path = PAGE_PATH.to_string();
    let view = PrintPage {
        base: BaseView::new(site, &path, "print", "The whole library"),
        print: print_view(site),
    };
    page_job(&path, "print.html", &view)
}
