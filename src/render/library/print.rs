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

use crate::markdown::{Rendered, has_scheme, render_inline, render_nested};
use crate::model::{SopStatus, slugify};
use crate::render::pages::{PageJob, base_context, playbook_path, root_for, sop_path};
use crate::site::{PlaybookEntry, Site, SopEntry, SopRef};

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

/// What the print page holds, to turn links into anchors: for each
/// printed document, the fragments of its own page that the print page
/// has an anchor for.
struct Held {
    /// SOP id → fragment on its page → anchor on the print page.
    sops: BTreeMap<String, BTreeMap<String, String>>,
    /// Playbook id → fragment → anchor.
    playbooks: BTreeMap<String, BTreeMap<String, String>>,
    /// `role-<id>` anchors.
    roles: HashSet<String>,
    /// `term-<slug>` anchors.
    terms: HashSet<String>,
}

impl Held {
    /// The print page's href for a link written on the page at `page`
    /// (an output path such as `sops/kickoff/index.html`).
    fn href(&self, page: &str, url: &str) -> String {
        let url = url.trim();
        if url.is_empty() || has_scheme(url) || url.starts_with("//") {
            return url.to_string();
        }
        let (rest, fragment) = match url.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment)),
            None => (url, None),
        };
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        let target = if path.is_empty() {
            page.to_string()
        } else {
            match resolve_path(page, path) {
                Some(target) => target,
                // Above the site root: not a file of the site.
                None => return url.to_string(),
            }
        };
        if let Some(anchor) = self.anchor(&target, fragment) {
            return format!("#{anchor}");
        }
        let mut href = format!("{PRINT_ROOT}{target}");
        if let Some(query) = query {
            href.push('?');
            href.push_str(query);
        }
        if let Some(fragment) = fragment {
            href.push('#');
            href.push_str(fragment);
        }
        href
    }

    /// The anchor on the print page for `fragment` of the output file
    /// `target`, when the print page holds that document.
    fn anchor(&self, target: &str, fragment: Option<&str>) -> Option<String> {
        let fragment = fragment.filter(|f| !f.is_empty());
        let parts: Vec<&str> = target.split('/').collect();
        match parts.as_slice() {
            ["sops", id, "index.html"] => {
                let held = self.sops.get(*id)?;
                Some(
                    fragment
                        .and_then(|f| held.get(f).cloned())
                        .unwrap_or_else(|| sop_anchor(id)),
                )
            }
            ["playbooks", id, "index.html"] => {
                let held = self.playbooks.get(*id)?;
                Some(
                    fragment
                        .and_then(|f| held.get(f).cloned())
                        .unwrap_or_else(|| playbook_anchor(id)),
                )
            }
            ["roles", "index.html"] => Some(match fragment {
                Some(f) if self.roles.contains(f) => f.to_string(),
                _ => "roles".to_string(),
            }),
            ["glossary", "index.html"] => Some(match fragment {
                Some(f) if self.terms.contains(f) => f.to_string(),
                _ => "glossary".to_string(),
            }),
            ["print", "index.html"] => Some(fragment.unwrap_or("top").to_string()),
            _ => None,
        }
    }
}

/// The output path that `path`, written on the page at `page`, names:
/// `..` and `.` resolved, and a folder read as its `index.html` (as
/// [`crate::markdown::relative_to_root`] writes links). None when it
/// climbs above the site root.
fn resolve_path(page: &str, path: &str) -> Option<String> {
    let mut segments: Vec<&str> = page.split('/').collect();
    // The page's own file name.
    segments.pop();
    if path.starts_with('/') {
        segments.clear();
    }
    let mut last = "";
    for segment in path.trim_start_matches('/').split('/') {
        last = segment;
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            name => segments.push(name),
        }
    }
    let mut target = segments.join("/");
    if last.is_empty() || last == "." || last == ".." || !last.contains('.') {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some(target)
}

/// One rendered piece of a document (a body, a step's text) with its ids
/// made unique on the print page and its links read from `page`.
///
/// Rendered HTML writes every attribute in double quotes and escapes `"`
/// in text, so ` id="` and ` href="` occur only as attributes.
fn scope_html(html: &str, prefix: &str, page: &str, held: &Held) -> String {
    let own: HashSet<&str> = attribute_values(html, " id=\"").collect();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    loop {
        let next_id = rest.find(" id=\"");
        let next_href = rest.find(" href=\"");
        let (at, is_id) = match (next_id, next_href) {
            (Some(i), Some(h)) if i < h => (i, true),
            (Some(i), None) => (i, true),
            (_, Some(h)) => (h, false),
            (None, None) => break,
        };
        let name_len = if is_id { 5 } else { 7 };
        let value_start = at + name_len;
        let Some(value_len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + value_len];
        out.push_str(&rest[..value_start]);
        if is_id {
            out.push_str(prefix);
            out.push_str(value);
        } else {
            // The attribute holds `&amp;` for `&`; anchors and paths of
            // the site do not, so the value is read as written.
            match value.strip_prefix('#') {
                Some(fragment) if own.contains(fragment) => {
                    out.push('#');
                    out.push_str(prefix);
                    out.push_str(fragment);
                }
                _ => out.push_str(&held.href(page, value)),
            }
        }
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

/// The values of every attribute that starts with `start` (` id="`).
fn attribute_values<'h>(html: &'h str, start: &'h str) -> impl Iterator<Item = &'h str> + 'h {
    html.match_indices(start).filter_map(move |(at, _)| {
        let from = at + start.len();
        html[from..].find('"').map(|len| &html[from..from + len])
    })
}

/// The Markdown of one SOP, rendered as on its page, before scoping.
struct RenderedSop<'a> {
    sop: &'a SopEntry,
    body: Rendered,
    steps: Vec<(Option<Rendered>, Vec<String>)>,
}

fn render_sop(sop: &SopEntry) -> RenderedSop<'_> {
    let root = root_for(&sop_path(&sop.id));
    let doc = &sop.loaded.doc;
    RenderedSop {
        sop,
        body: render_nested(sop.loaded.markdown(doc.body.as_deref()), &root, 2),
        steps: doc
            .steps
            .iter()
            .map(|step| {
                (
                    step.body.as_deref().map(|b| render_nested(b, &root, 4)),
                    step.substeps
                        .iter()
                        .map(|s| render_inline(s, &root))
                        .collect(),
                )
            })
            .collect(),
    }
}

/// The Markdown of one playbook, rendered as on its page, before scoping.
struct RenderedPlaybook<'a> {
    playbook: &'a PlaybookEntry,
    body: Rendered,
    phases: Vec<Option<Rendered>>,
    r#do: Vec<String>,
    dont: Vec<String>,
}

fn render_playbook(playbook: &PlaybookEntry) -> RenderedPlaybook<'_> {
    let root = root_for(&playbook_path(&playbook.id));
    let doc = &playbook.loaded.doc;
    RenderedPlaybook {
        playbook,
        body: render_nested(playbook.loaded.markdown(doc.body.as_deref()), &root, 2),
        phases: doc
            .phases
            .iter()
            .map(|p| p.summary.as_deref().map(|s| render_nested(s, &root, 4)))
            .collect(),
        r#do: doc.r#do.iter().map(|d| render_inline(d, &root)).collect(),
        dont: doc.dont.iter().map(|d| render_inline(d, &root)).collect(),
    }
}

/// The id of a playbook phase, as its page writes it.
fn phase_id(phase: &crate::model::Phase) -> String {
    phase.id.clone().unwrap_or_else(|| slugify(&phase.name))
}

fn role_link(site: &Site, held: &Held, id: &str) -> PrintLink {
    let name = site.role(id).map_or(id, |r| r.name.as_str());
    PrintLink {
        text: name.to_string(),
        href: held.href("", &format!("roles/index.html#role-{id}")),
    }
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
    for rendered in &rendered_sops {
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
    for rendered in &rendered_playbooks {
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
    let terms = glossary(site);
    held.terms = terms.iter().map(|t| t.anchor.clone()).collect();

    let sops: Vec<PrintSop> = rendered_sops
        .iter()
        .map(|rendered| print_sop(site, &held, rendered))
        .collect();
    let playbooks: Vec<PrintPlaybook> = rendered_playbooks
        .iter()
        .map(|rendered| print_playbook(site, &held, rendered))
        .collect();
    let roles = print_roles(site, &held);
    let terms: Vec<PrintTerm> = terms
        .into_iter()
        .map(|entry| PrintTerm {
            anchor: entry.anchor,
            term: entry.term,
            definition: entry.definition,
            sops: entry
                .defined_in
                .into_iter()
                .map(|(id, title)| PrintLink {
                    text: title,
                    href: held.href("", &sop_path(&id)),
                })
                .collect(),
        })
        .collect();

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
    if !roles.is_empty() {
        toc.push(TocEntry {
            title: "Roles".into(),
            href: "#roles".into(),
            children: Vec::new(),
        });
    }
    if !terms.is_empty() {
        toc.push(TocEntry {
            title: "Glossary".into(),
            href: "#glossary".into(),
            children: Vec::new(),
        });
    }
    PrintView {
        toc,
        sops,
        playbooks,
        roles,
        terms,
    }
}

fn print_sop(site: &Site, held: &Held, rendered: &RenderedSop<'_>) -> PrintSop {
    let sop = rendered.sop;
    let doc = &sop.loaded.doc;
    let page = sop_path(&sop.id);
    let anchor = sop_anchor(&sop.id);
    let steps = doc
        .steps
        .iter()
        .zip(&sop.step_ids)
        .zip(&rendered.steps)
        .enumerate()
        .map(|(index, ((step, id), (body, substeps)))| {
            let step_anchor = step_anchor(&sop.id, id);
            let prefix = format!("{step_anchor}---");
            PrintStep {
                number: index + 1,
                title: step.title.value.clone(),
                owner: step.owner.as_ref().map(|o| role_link(site, held, &o.value)),
                when: step.when.clone(),
                objective: step.objective.clone(),
                time_standard: step.time_standard.clone(),
                tools: step.tools.clone(),
                body_html: body
                    .as_ref()
                    .map(|b| scope_html(&b.html, &prefix, &page, held)),
                substeps_html: substeps
                    .iter()
                    .map(|s| scope_html(s, &prefix, &page, held))
                    .collect(),
                checklist: step.checklist.clone(),
                mistakes: step.mistakes.clone(),
                escalation: step.escalation.as_ref().map(|e| PrintEscalation {
                    to: role_link(site, held, &e.to.value),
                    within: e.within.clone(),
                    when: e.when.clone(),
                }),
                anchor: step_anchor,
            }
        })
        .collect();
    PrintSop {
        id: sop.id.clone(),
        title: doc.title.clone(),
        summary: doc.summary.clone(),
        version: doc.version.clone(),
        owner: doc.owner.as_ref().map(|o| role_link(site, held, &o.value)),
        review_cycle: doc.review_cycle.as_ref().map(|c| c.value.clone()),
        last_reviewed: doc
            .last_reviewed
            .map(|d| crate::calendar::Iso(d.0).to_string()),
        review_due: sop.review_due.map(|d| crate::calendar::Iso(d).to_string()),
        tags: doc.tags.clone(),
        applies_to: doc.applies_to.clone(),
        not_for: doc.not_for.clone(),
        prerequisites: doc.prerequisites.clone(),
        definitions: doc
            .definitions
            .iter()
            .map(|(t, d)| (t.clone(), d.clone()))
            .collect(),
        roles: doc
            .roles
            .iter()
            .map(|r| PrintSopRole {
                link: role_link(site, held, &r.id.value),
                responsibilities: r.responsibilities.clone(),
            })
            .collect(),
        steps,
        checklist: doc.checklist.clone(),
        quality_standards: doc.quality_standards.clone(),
        kpis: doc
            .kpis
            .iter()
            .map(|k| PrintKpi {
                name: k.name.clone(),
                target: k.target.as_ref().map(|t| t.value.clone()),
                description: k.description.clone(),
            })
            .collect(),
        body_html: scope_html(&rendered.body.html, &format!("{anchor}---"), &page, held),
        anchor,
    }
}

fn print_playbook(site: &Site, held: &Held, rendered: &RenderedPlaybook<'_>) -> PrintPlaybook {
    let playbook = rendered.playbook;
    let doc = &playbook.loaded.doc;
    let page = playbook_path(&playbook.id);
    let anchor = playbook_anchor(&playbook.id);
    let phases = doc
        .phases
        .iter()
        .zip(&rendered.phases)
        .map(|(phase, summary)| {
            let id = phase_id(phase);
            let phase_anchor = phase_anchor(&playbook.id, &id);
            let days = phase
                .days
                .as_ref()
                .map(|d| d.value.clone())
                .unwrap_or_default();
            PrintPhase {
                name: phase.name.clone(),
                first_day: days.first().copied(),
                last_day: days.get(1).or(days.first()).copied(),
                summary_html: summary
                    .as_ref()
                    .map(|s| scope_html(&s.html, &format!("{phase_anchor}---"), &page, held)),
                sops: phase
                    .sops
                    .iter()
                    .map(|reference| sop_reference(site, held, &reference.value))
                    .collect(),
                anchor: phase_anchor,
            }
        })
        .collect();
    let prefix = format!("{anchor}---");
    PrintPlaybook {
        id: playbook.id.clone(),
        title: doc.title.clone(),
        summary: doc.summary.clone(),
        tiers: doc.tiers.clone(),
        tags: doc.tags.clone(),
        phases,
        milestones: doc
            .milestones
            .iter()
            .zip(&playbook.offsets)
            .map(|(m, offset)| PrintMilestone {
                name: m.name.value.clone(),
                offset: offset.as_ref().map(plan_offset_text).or_else(|| {
                    match m.offset.as_ref().map(|o| &o.value) {
                        Some(crate::model::OffsetSpec::One(text)) => Some(text.clone()),
                        _ => None,
                    }
                }),
                criteria: m.criteria.clone(),
                customer_visible: m.customer_visible.unwrap_or(true),
            })
            .collect(),
        checklist: doc.checklist.clone(),
        do_html: rendered
            .r#do
            .iter()
            .map(|d| scope_html(d, &prefix, &page, held))
            .collect(),
        dont_html: rendered
            .dont
            .iter()
            .map(|d| scope_html(d, &prefix, &page, held))
            .collect(),
        pitfalls: doc
            .pitfalls
            .iter()
            .map(|p| (p.title.clone(), p.fix.clone()))
            .collect(),
        agenda: doc
            .agenda
            .iter()
            .map(|a| PrintAgendaItem {
                topic: a.topic.clone(),
                duration: a.duration.as_ref().map(|d| d.value.clone()),
                notes: a.notes.clone(),
            })
            .collect(),
        body_html: scope_html(&rendered.body.html, &prefix, &page, held),
        anchor,
    }
}

/// A playbook phase's `sop` or `sop#step` reference as a link.
fn sop_reference(site: &Site, held: &Held, text: &str) -> PrintLink {
    let reference = SopRef::parse(text);
    let Some(sop) = site.sop(&reference.sop) else {
        return PrintLink {
            text: text.to_string(),
            href: String::new(),
        };
    };
    let doc = &sop.loaded.doc;
    let (label, url) = match &reference.step {
        Some(step) => {
            let title = sop
                .step_ids
                .iter()
                .position(|s| s == step)
                .map_or(step.as_str(), |i| doc.steps[i].title.value.as_str());
            (
                format!("{}: {title}", doc.title),
                format!("{}#{step}", sop_path(&sop.id)),
            )
        }
        None => (doc.title.clone(), sop_path(&sop.id)),
    };
    PrintLink {
        text: label,
        href: held.href("", &url),
    }
}

fn print_roles(site: &Site, held: &Held) -> Vec<PrintRole> {
    site.roles
        .iter()
        .map(|role| {
            let mut owns = Vec::new();
            let mut steps = Vec::new();
            for sop in site.sops.iter().filter(|s| s.published) {
                let doc = &sop.loaded.doc;
                if doc.owner.as_ref().is_some_and(|o| o.value == role.id) {
                    owns.push(PrintLink {
                        text: doc.title.clone(),
                        href: held.href("", &sop_path(&sop.id)),
                    });
                }
                for (step, id) in doc.steps.iter().zip(&sop.step_ids) {
                    if step.owner.as_ref().is_some_and(|o| o.value == role.id) {
                        steps.push(PrintLink {
                            text: format!("{}: {}", doc.title, step.title.value),
                            href: held.href("", &format!("{}#{id}", sop_path(&sop.id))),
                        });
                    }
                }
            }
            PrintRole {
                anchor: format!("role-{}", role.id),
                id: role.id.clone(),
                name: role.name.clone(),
                responsibilities: role.responsibilities.clone(),
                escalates_to: role
                    .escalates_to
                    .as_deref()
                    .map(|id| role_link(site, held, id)),
                owns,
                steps,
            }
        })
        .collect()
}

/// A term of the glossary before its links are made.
struct GlossaryEntry {
    anchor: String,
    term: String,
    definition: String,
    /// The SOPs that define it: id and title.
    defined_in: Vec<(String, String)>,
}

/// Every definition of the built SOPs, by term, as the glossary page lists
/// them (the first definition of a term written in several SOPs).
fn glossary(site: &Site) -> Vec<GlossaryEntry> {
    let mut terms: BTreeMap<String, GlossaryEntry> = BTreeMap::new();
    for sop in site.sops.iter().filter(|s| s.published) {
        for (term, meaning) in &sop.loaded.doc.definitions {
            terms
                .entry(term.to_lowercase())
                .or_insert_with(|| GlossaryEntry {
                    anchor: format!("term-{}", slugify(term)),
                    term: term.clone(),
                    definition: meaning.clone(),
                    defined_in: Vec::new(),
                })
                .defined_in
                .push((sop.id.clone(), sop.loaded.doc.title.clone()));
        }
    }
    terms.into_values().collect()
}

/// The print page.
pub fn print_page(site: &Site) -> PageJob {
    let path = PAGE_PATH.to_string();
    let mut context = base_context(site, &path, "print", "The whole library");
    context.insert(
        "print".into(),
        serde_json::to_value(print_view(site)).expect("a view of strings and numbers"),
    );
    PageJob {
        path,
        template: "print.html",
        context: serde_json::Value::Object(context),
    }
}

/// A plan offset as printed: the default, then each tier's own offset.
fn plan_offset_text(offset: &crate::site::PlanOffset) -> String {
    if offset.by_tier.is_empty() {
        return offset.default.to_string();
    }
    let tiers: Vec<String> = offset
        .by_tier
        .iter()
        .map(|(tier, o)| format!("{tier}: {o}"))
        .collect();
    format!("{} ({})", offset.default, tiers.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held() -> Held {
        let mut kickoff = BTreeMap::new();
        kickoff.insert(
            "confirm-readiness".to_string(),
            step_anchor("kickoff", "confirm-readiness"),
        );
        let mut sops = BTreeMap::new();
        sops.insert("kickoff".to_string(), kickoff);
        Held {
            sops,
            playbooks: BTreeMap::new(),
            roles: ["role-csm".to_string()].into_iter().collect(),
            terms: HashSet::new(),
        }
    }

    #[test]
    fn relative_paths_resolve_from_the_page_they_were_written_on() {
        let page = "sops/kickoff/index.html";
        assert_eq!(
            resolve_path(page, "../handoff/").as_deref(),
            Some("sops/handoff/index.html")
        );
        assert_eq!(
            resolve_path(page, "../../pages/guide/index.html").as_deref(),
            Some("pages/guide/index.html")
        );
        assert_eq!(
            resolve_path(page, "../../pages/guide").as_deref(),
            Some("pages/guide/index.html")
        );
        assert_eq!(
            resolve_path(page, "../../logo.png").as_deref(),
            Some("logo.png")
        );
        assert_eq!(resolve_path(page, "../../../../x/"), None);
        assert_eq!(
            resolve_path("", "sops/kickoff/index.html").as_deref(),
            Some("sops/kickoff/index.html")
        );
    }

    #[test]
    fn links_to_held_documents_become_anchors_and_others_stay_files() {
        let held = held();
        let page = "sops/other/index.html";
        assert_eq!(
            held.href(page, "../kickoff/index.html#confirm-readiness"),
            "#sop-kickoff--confirm-readiness"
        );
        // An anchor the print page does not hold goes to the document.
        assert_eq!(held.href(page, "../kickoff/#nowhere"), "#sop-kickoff");
        assert_eq!(
            held.href(page, "../../roles/index.html#role-csm"),
            "#role-csm"
        );
        assert_eq!(held.href(page, "../../roles/index.html#role-x"), "#roles");
        assert_eq!(
            held.href(page, "../../pages/guide/index.html#setup"),
            "../pages/guide/index.html#setup"
        );
        assert_eq!(held.href(page, "../retired/"), "../sops/retired/index.html");
        assert_eq!(
            held.href(page, "https://example.com/a#b"),
            "https://example.com/a#b"
        );
        assert_eq!(
            held.href(page, "mailto:a@example.com"),
            "mailto:a@example.com"
        );
    }

    #[test]
    fn ids_get_the_prefix_and_links_to_them_follow() {
        let held = held();
        let html = r##"<h3 id="setup">Setup</h3><p>See <a href="#setup">setup</a>, <a href="#confirm-readiness">a step</a> and <a href="../../pages/guide/index.html">the guide</a>. Text with id=&quot;x&quot; stays.</p>"##;
        let scoped = scope_html(html, "sop-kickoff---", "sops/kickoff/index.html", &held);
        assert_eq!(
            scoped,
            r##"<h3 id="sop-kickoff---setup">Setup</h3><p>See <a href="#sop-kickoff---setup">setup</a>, <a href="#sop-kickoff--confirm-readiness">a step</a> and <a href="../pages/guide/index.html">the guide</a>. Text with id=&quot;x&quot; stays.</p>"##
        );
    }
}
