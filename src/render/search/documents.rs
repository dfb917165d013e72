//! The documents search can find, collected from the site: one per SOP
//! step (deep-linked to its anchor), SOP, playbook, role, glossary term,
//! free page and customer.
//!
//! Customers contribute their name, CSM, tier and situation (blockers,
//! actions, risks, updates, notes, milestones, stakeholders): this index
//! belongs to the internal site only.

use std::borrow::Cow;

use rayon::prelude::*;

use super::tokenize::words;
use crate::markdown::{outline, plain_text};
use crate::model::{Tracker, Update};
use crate::render::pages::{customer_path, glossary_terms, page_path, playbook_path, sop_path};
use crate::site::{Customer, PageEntry, PlaybookEntry, RoleEntry, Site, SopEntry};

/// What a search result is, in the order ties are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// A step of an SOP, linked to its anchor.
    Step,
    /// An SOP page.
    Sop,
    /// A playbook page.
    Playbook,
    /// A customer's internal status page.
    Customer,
    /// A free page.
    Page,
    /// A role on the roles page.
    Role,
    /// A glossary term.
    Term,
}

impl DocKind {
    /// Every kind, in display order.
    pub const ALL: [DocKind; 7] = [
        DocKind::Step,
        DocKind::Sop,
        DocKind::Playbook,
        DocKind::Customer,
        DocKind::Page,
        DocKind::Role,
        DocKind::Term,
    ];

    /// The word used in the index and in facet values.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Step => "step",
            DocKind::Sop => "sop",
            DocKind::Playbook => "playbook",
            DocKind::Customer => "customer",
            DocKind::Page => "page",
            DocKind::Role => "role",
            DocKind::Term => "term",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Step => "Step",
            DocKind::Sop => "SOP",
            DocKind::Playbook => "Playbook",
            DocKind::Customer => "Customer",
            DocKind::Page => "Page",
            DocKind::Role => "Role",
            DocKind::Term => "Term",
        }
    }
}

/// The facets a customer can be narrowed by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerFacets {
    /// Tier, such as `enterprise`.
    pub tier: Option<String>,
    /// Computed state (`late`, `at_risk`, `on_track`, `complete`).
    pub state: String,
    /// The customer success manager.
    pub csm: Option<String>,
}

/// One thing search can find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDoc<'a> {
    /// What it is.
    pub kind: DocKind,
    /// Output path relative to the site root, with the anchor if any.
    pub url: String,
    /// Shown as the result's title; weighs most.
    pub title: String,
    /// Shown under the title (the SOP of a step, a summary); weighs next.
    pub context: String,
    /// Indexed with the context's weight but not shown (tags, headings).
    pub keywords: String,
    /// The body: indexed, and the source of the highlighted excerpt;
    /// borrowed from the site where it is already held as text.
    pub text: Cow<'a, str>,
    /// Facets, for customers.
    pub facets: Option<CustomerFacets>,
}

/// Joins pieces of text into one, dropping empty ones; each piece ends a
/// sentence so excerpts read naturally.
fn join_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            if !out.ends_with(['.', '!', '?', ':', ';']) {
                out.push('.');
            }
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Plain text and heading text of Markdown.
fn text_and_headings(markdown: &str) -> (String, String) {
    let parts = outline(markdown);
    (parts.text, parts.heading_text)
}

fn role_name(site: &Site, id: Option<&str>) -> String {
    id.map(|id| {
        site.role(id)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| id.to_string())
    })
    .unwrap_or_default()
}

fn sop_body(sop: &SopEntry) -> &str {
    sop.loaded.markdown(sop.loaded.doc.body.as_deref())
}

fn step_docs(site: &Site, sop: &SopEntry) -> Vec<SearchDoc<'static>> {
    let doc = &sop.loaded.doc;
    doc.steps
        .iter()
        .zip(&sop.step_ids)
        .map(|(step, id)| {
            let body = step.body.as_deref().map(plain_text).unwrap_or_default();
            let substeps: Vec<String> = step.substeps.iter().map(|s| plain_text(s)).collect();
            let owner = role_name(site, step.owner.as_ref().map(|o| o.value.as_str()));
            let escalation = step.escalation.as_ref().map(|e| {
                join_text([
                    format!("Escalate to {}", role_name(site, Some(&e.to.value))).as_str(),
                    e.when.as_deref().unwrap_or(""),
                ])
            });
            let mut parts: Vec<&str> = vec![step.objective.as_deref().unwrap_or(""), &body];
            parts.extend(substeps.iter().map(String::as_str));
            parts.extend(step.checklist.iter().map(String::as_str));
            parts.extend(step.mistakes.iter().map(String::as_str));
            parts.push(escalation.as_deref().unwrap_or(""));
            let tools = step.tools.join(", ");
            parts.push(&tools);
            let owner_line = if owner.is_empty() {
                String::new()
            } else {
                format!("Owner: {owner}")
            };
            parts.push(&owner_line);
            SearchDoc {
                kind: DocKind::Step,
                url: format!("{}#{id}", sop_path(&sop.id)),
                title: step.title.value.clone(),
                context: doc.title.clone(),
                keywords: step.when.clone().unwrap_or_default(),
                text: join_text(parts).into(),
                facets: None,
            }
        })
        .collect()
}

fn sop_doc(sop: &SopEntry) -> SearchDoc<'_> {
    let doc = &sop.loaded.doc;
    let (body, headings) = text_and_headings(sop_body(sop));
    let mut parts: Vec<&str> = vec![&body];
    parts.extend(doc.prerequisites.iter().map(String::as_str));
    parts.extend(doc.checklist.iter().map(String::as_str));
    parts.extend(doc.quality_standards.iter().map(String::as_str));
    let mut keywords = doc.tags.clone();
    keywords.extend(doc.applies_to.iter().cloned());
    keywords.push(headings);
    SearchDoc {
        kind: DocKind::Sop,
        url: sop_path(&sop.id),
        title: doc.title.clone(),
        context: doc.summary.clone().unwrap_or_default(),
        keywords: keywords.join(". "),
        text: join_text(parts).into(),
        facets: None,
    }
}

fn playbook_doc(playbook: &PlaybookEntry) -> SearchDoc<'_> {
    let doc = &playbook.loaded.doc;
    let source = playbook.loaded.markdown(doc.body.as_deref());
    let (body, headings) = text_and_headings(source);
    let phases: Vec<String> = doc
        .phases
        .iter()
        .map(|p| {
            join_text([
                p.name.as_str(),
                &p.summary.as_deref().map(plain_text).unwrap_or_default(),
            ])
        })
        .collect();
    let milestones: Vec<String> = doc
        .milestones
        .iter()
        .map(|m| join_text([m.name.value.as_str(), m.criteria.as_deref().unwrap_or("")]))
        .collect();
    let pitfalls: Vec<String> = doc
        .pitfalls
        .iter()
        .map(|p| join_text([p.title.as_str(), p.fix.as_deref().unwrap_or("")]))
        .collect();
    let dos: Vec<String> = doc
        .r#do
        .iter()
        .chain(&doc.dont)
        .map(|d| plain_text(d))
        .collect();
    let mut parts: Vec<&str> = vec![&body];
    parts.extend(phases.iter().map(String::as_str));
    parts.extend(milestones.iter().map(String::as_str));
    parts.extend(doc.checklist.iter().map(String::as_str));
    parts.extend(dos.iter().map(String::as_str));
    parts.extend(pitfalls.iter().map(String::as_str));
    parts.extend(doc.agenda.iter().map(|a| a.topic.as_str()));
    let mut keywords = doc.tiers.clone();
    keywords.extend(doc.tags.iter().cloned());
    keywords.extend(doc.phases.iter().map(|p| p.name.clone()));
    keywords.push(headings);
    SearchDoc {
        kind: DocKind::Playbook,
        url: playbook_path(&playbook.id),
        title: doc.title.clone(),
        context: doc.summary.clone().unwrap_or_default(),
        keywords: keywords.join(". "),
        text: join_text(parts).into(),
        facets: None,
    }
}

fn role_doc(site: &Site, role: &RoleEntry) -> SearchDoc<'static> {
    // Nearly every role escalates somewhere; as context, that line would
    // make every role a strong match for "escalation".
    let escalates = role
        .escalates_to
        .as_deref()
        .map(|to| format!("Escalates to {}", role_name(site, Some(to))))
        .unwrap_or_default();
    SearchDoc {
        kind: DocKind::Role,
        url: format!("roles/index.html#role-{}", role.id),
        title: role.name.clone(),
        context: String::new(),
        keywords: role.id.clone(),
        text: join_text(
            role.responsibilities
                .iter()
                .map(String::as_str)
                .chain([escalates.as_str()]),
        )
        .into(),
        facets: None,
    }
}

fn term_docs(site: &Site) -> Vec<SearchDoc<'static>> {
    glossary_terms(site)
        .into_iter()
        .map(|term| {
            let sops: Vec<&str> = term.sops.iter().map(|sop| sop.title).collect();
            // Where a term is defined says nothing about what it means, so
            // it goes with the body's weight, not the context's.
            let defined_in = if sops.is_empty() {
                String::new()
            } else {
                format!("Defined in {}.", sops.join(", "))
            };
            SearchDoc {
                kind: DocKind::Term,
                url: format!("glossary/index.html#{}", term.id),
                title: term.term.to_string(),
                context: String::new(),
                keywords: String::new(),
                text: join_text([term.definition, defined_in.as_str()]).into(),
                facets: None,
            }
        })
        .collect()
}

fn page_doc(page: &PageEntry) -> SearchDoc<'_> {
    let meta = &page.loaded.doc;
    let headings = page.outline.heading_text.clone();
    let mut keywords = meta.tags.clone();
    keywords.push(headings);
    SearchDoc {
        kind: DocKind::Page,
        url: crate::markdown::href(&page_path(&page.path)).into_owned(),
        title: page.title.clone(),
        context: meta.description.clone().unwrap_or_default(),
        keywords: keywords.join(". "),
        text: Cow::Borrowed(&page.outline.text),
        facets: None,
    }
}

/// A customer as search sees it on the internal site: its name, who
/// looks after it, and its situation, so that what people remember of a
/// customer ("the one waiting on SSO metadata") finds it. The situation
/// is the body, what matters now first: open blockers, open actions,
/// risks, updates (newest first), notes, done actions, milestones and
/// stakeholders. It weighs as any body does, so that a word of a blocker
/// ("SSO") still finds the SOP about it first, and the customer beside it.
/// Health and scores are left out: they are levels and numbers, not words
/// anyone searches for.
///
/// Only the internal site's index is built from these documents; a share
/// site carries no search index at all (see `share.rs`).
fn customer_doc(customer: &Customer) -> SearchDoc<'_> {
    let info = &customer.tracker().customer;
    let state = customer.status.state;
    let keywords = [
        info.csm.as_deref().unwrap_or(""),
        info.tier.as_deref().unwrap_or(""),
    ];
    SearchDoc {
        kind: DocKind::Customer,
        url: customer_path(&customer.slug),
        title: customer.name().to_string(),
        context: customer_context(customer),
        keywords: keywords.join(". "),
        text: customer_situation(customer).into(),
        facets: Some(CustomerFacets {
            tier: info.tier.clone(),
            state: state.as_str().to_string(),
            csm: info.csm.clone(),
        }),
    }
}

/// The line under a customer's result: its CSM, tier and state, those it
/// has, joined by " · ".
fn customer_context(customer: &Customer) -> String {
    let info = &customer.tracker().customer;
    [
        info.csm.clone(),
        info.tier.clone(),
        Some(customer.status.state.label().to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

/// A customer's situation as one text, what matters now first: open
/// blockers, open actions, risks, updates (newest first), notes, done
/// actions, milestones and stakeholders.
fn customer_situation(customer: &Customer) -> String {
    let tracker = customer.tracker();
    let blockers = open_blockers(customer);
    let risks = risk_lines(tracker);
    let updates = updates_newest_first(tracker);
    let notes = tracker.notes.as_deref().map(plain_text).unwrap_or_default();
    let milestones: Vec<&str> = customer
        .milestones
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    let stakeholders: Vec<&str> = tracker
        .stakeholders
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let open_line = labelled("Open actions", &action_titles(tracker, false));
    let done_line = labelled("Done", &action_titles(tracker, true));
    let milestone_line = labelled("Milestones", &milestones);
    let people_line = labelled("Stakeholders", &stakeholders);
    let mut parts: Vec<&str> = blockers.iter().map(String::as_str).collect();
    parts.push(&open_line);
    parts.extend(risks.iter().map(String::as_str));
    parts.extend(updates.iter().map(String::as_str));
    parts.push(&notes);
    parts.push(&done_line);
    parts.push(&milestone_line);
    parts.push(&people_line);
    join_text(parts)
}

/// What stands in the way now: the blockers of milestones not yet done,
/// each as "Blocked: …".
fn open_blockers(customer: &Customer) -> Vec<String> {
    customer
        .milestones
        .iter()
        .filter(|m| m.actual_date.is_none())
        .flat_map(|m| m.blockers.iter())
        .map(|b| format!("Blocked: {b}"))
        .collect()
}

/// The titles of a tracker's actions that are done (`done`) or still open.
fn action_titles(tracker: &Tracker, done: bool) -> Vec<&str> {
    tracker
        .actions
        .iter()
        .filter(|a| a.done == done)
        .map(|a| a.title.as_str())
        .collect()
}

/// Each risk as "Risk: title", with ". Mitigation: …" when it has one.
fn risk_lines(tracker: &Tracker) -> Vec<String> {
    tracker
        .risks
        .iter()
        .map(|r| match r.mitigation.as_deref() {
            Some(m) if !m.trim().is_empty() => format!("Risk: {}. Mitigation: {m}", r.title),
            _ => format!("Risk: {}", r.title),
        })
        .collect()
}

/// The updates' text, newest first; the dates themselves are left out, as
/// every customer would be found by "2026".
fn updates_newest_first(tracker: &Tracker) -> Vec<String> {
    let mut updates: Vec<&Update> = tracker.updates.iter().collect();
    updates.sort_by_key(|u| std::cmp::Reverse(u.date));
    updates.into_iter().map(|u| plain_text(&u.text)).collect()
}

/// "Label: a; b; c", or nothing when there are no items.
fn labelled(label: &str, items: &[&str]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!("{label}: {}", items.join("; "))
    }
}

/// Every searchable document of the internal site, in id order: by kind,
/// then folded title, then URL. Drafts are left out unless built.
pub fn documents(site: &Site) -> Vec<SearchDoc<'_>> {
    let published: Vec<&SopEntry> = site.sops.iter().filter(|s| s.published).collect();
    let mut docs: Vec<SearchDoc<'_>> = published
        .par_iter()
        .flat_map_iter(|sop| step_docs(site, sop))
        .collect();
    docs.extend(published.iter().map(|sop| sop_doc(sop)));
    docs.extend(site.playbooks.iter().map(playbook_doc));
    docs.extend(site.customers.iter().map(customer_doc));
    docs.par_extend(site.pages.par_iter().map(page_doc));
    docs.extend(site.roles.iter().map(|r| role_doc(site, r)));
    docs.extend(term_docs(site));
    let mut keyed: Vec<((DocKind, String), SearchDoc<'_>)> = docs
        .into_par_iter()
        .map(|d| ((d.kind, words(&d.title).join(" ")), d))
        .collect();
    keyed.par_sort_by(|(ka, a), (kb, b)| {
        ka.cmp(kb)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.url.cmp(&b.url))
    });
    keyed.into_iter().map(|(_, d)| d).collect()
}

/// A document with the given fields, its URL made from its kind and title.
#[cfg(test)]
pub(super) fn doc(kind: DocKind, title: &str, context: &str, text: &str) -> SearchDoc<'static> {
    SearchDoc {
        kind,
        url: format!("{}/{}", kind.as_str(), words(title).join("-")),
        title: title.into(),
        context: context.into(),
        keywords: String::new(),
        text: text.to_string().into(),
        facets: None,
    }
}
