//! Each printed document's part of the page: SOPs, playbooks, roles and
//! the glossary, their Markdown rendered as on their own pages and then
//! scoped to the print page.

use std::collections::BTreeMap;

use super::links::{Held, scope_html};
use super::*;

/// The Markdown of one SOP, rendered as on its page, before scoping.
pub(super) struct RenderedSop<'a> {
    pub(super) sop: &'a SopEntry,
    pub(super) body: Rendered,
    pub(super) steps: Vec<(Option<Rendered>, Vec<String>)>,
}

pub(super) fn render_sop(sop: &SopEntry) -> RenderedSop<'_> {
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
pub(super) struct RenderedPlaybook<'a> {
    pub(super) playbook: &'a PlaybookEntry,
    pub(super) body: Rendered,
    pub(super) phases: Vec<Option<Rendered>>,
    pub(super) r#do: Vec<String>,
    pub(super) dont: Vec<String>,
}

pub(super) fn render_playbook(playbook: &PlaybookEntry) -> RenderedPlaybook<'_> {
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
pub(super) fn phase_id(phase: &crate::model::Phase) -> String {
    phase.id.clone().unwrap_or_else(|| slugify(&phase.name))
}

fn role_link(site: &Site, held: &Held, id: &str) -> PrintLink {
    let name = site.role(id).map_or(id, |r| r.name.as_str());
    PrintLink {
        text: name.to_string(),
        href: held.href("", &format!("roles/index.html#role-{id}")),
    }
}

pub(super) fn print_sop(site: &Site, held: &Held, rendered: &RenderedSop<'_>) -> PrintSop {
    let sop = rendered.sop;
    let doc = &sop.loaded.doc;
    let page = sop_path(&sop.id);
    let anchor = sop_anchor(&sop.id);
    PrintSop {
        id: sop.id.clone(),
        title: doc.title.clone(),
        summary: doc.summary.clone(),
        version: doc.version.clone(),
        owner: doc.owner.as_ref().map(|o| role_link(site, held, &o.value)),
        review_cycle: doc.review_cycle.as_ref().map(|c| c.value.clone()),
        last_reviewed: doc.last_reviewed.map(|d| d.0.to_string()),
        review_due: sop.review_due.map(|d| d.to_string()),
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
        steps: print_steps(site, held, rendered),
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

/// An SOP's steps, numbered from 1, each with its anchor on the print
/// page and its Markdown scoped under that anchor.
fn print_steps(site: &Site, held: &Held, rendered: &RenderedSop<'_>) -> Vec<PrintStep> {
    let sop = rendered.sop;
    let page = sop_path(&sop.id);
    sop.loaded
        .doc
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
        .collect()
}

pub(super) fn print_playbook(
    site: &Site,
    held: &Held,
    rendered: &RenderedPlaybook<'_>,
) -> PrintPlaybook {
    let playbook = rendered.playbook;
    let doc = &playbook.loaded.doc;
    let page = playbook_path(&playbook.id);
    let anchor = playbook_anchor(&playbook.id);
    let prefix = format!("{anchor}---");
    let scoped = |fragments: &[String]| -> Vec<String> {
        fragments
            .iter()
            .map(|d| scope_html(d, &prefix, &page, held))
            .collect()
    };
    PrintPlaybook {
        id: playbook.id.clone(),
        title: doc.title.clone(),
        summary: doc.summary.clone(),
        tiers: doc.tiers.clone(),
        tags: doc.tags.clone(),
        phases: print_phases(site, held, rendered),
        milestones: print_milestones(playbook),
        checklist: doc.checklist.clone(),
        do_html: scoped(&rendered.r#do),
        dont_html: scoped(&rendered.dont),
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

/// A playbook's phases, each with its anchor on the print page, its days,
/// its summary scoped under that anchor and links to its SOPs.
fn print_phases(site: &Site, held: &Held, rendered: &RenderedPlaybook<'_>) -> Vec<PrintPhase> {
    let playbook = rendered.playbook;
    let page = playbook_path(&playbook.id);
    playbook
        .loaded
        .doc
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
        .collect()
}

/// A playbook's milestones with their offsets: the planned offset as
/// resolved (by tier when it differs), else the text written when it
/// could not be resolved.
fn print_milestones(playbook: &PlaybookEntry) -> Vec<PrintMilestone> {
    playbook
        .plan()
        .map(|(m, offset)| PrintMilestone {
            name: m.name.value.clone(),
            offset: offset
                .map(plan_offset_text)
                .or_else(|| m.offset_text().map(str::to_string)),
            criteria: m.criteria.clone(),
            customer_visible: m.customer_visible.unwrap_or(true),
        })
        .collect()
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

pub(super) fn print_roles(site: &Site, held: &Held) -> Vec<PrintRole> {
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

/// The glossary's terms, each linked to the SOPs that define it.
pub(super) fn print_terms(held: &Held, terms: Vec<GlossaryEntry>) -> Vec<PrintTerm> {
    terms
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
        .collect()
}

/// A term of the glossary before its links are made.
pub(super) struct GlossaryEntry {
    pub(super) anchor: String,
    pub(super) term: String,
    pub(super) definition: String,
    /// The SOPs that define it: id and title.
    pub(super) defined_in: Vec<(String, String)>,
}

/// Every definition of the built SOPs, by term, as the glossary page lists
/// them (the first definition of a term written in several SOPs).
pub(super) fn glossary(site: &Site) -> Vec<GlossaryEntry> {
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
