//! Template contexts for every internal page, and the pages themselves.
//!
//! Each page gets `site`, `root` (the relative path back to the site root,
//! such as `../../`), `nav` and `page`, plus the data of its kind. Markdown
//! is rendered here, so templates only print `*_html` fields with `safe`;
//! every other string is escaped by Tera.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::context::tera_value;
use crate::calendar::duration_minutes;
use crate::markdown::{href, render_inline, render_nested, render_outlined};
use crate::site::{Customer, PageEntry, PlaybookEntry, Site, SopEntry, SopRef};
use crate::status::CustomerState;

/// A page to render: output path, template name and context.
pub struct PageJob {
    /// Output path, such as `sops/kickoff/index.html`.
    pub path: String,
    /// Template file name.
    pub template: &'static str,
    /// The template context.
    pub context: Value,
}

/// The relative path from a page at `path` back to the site root.
pub fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The output path of an SOP page.
pub fn sop_path(id: &str) -> String {
    format!("sops/{id}/index.html")
}

/// The output path of a playbook page.
pub fn playbook_path(id: &str) -> String {
    format!("playbooks/{id}/index.html")
}

/// The output path of a customer status page.
pub fn customer_path(slug: &str) -> String {
    format!("customers/{slug}/index.html")
}

/// The output path of a free page.
pub fn page_path(path: &str) -> String {
    format!("pages/{path}/index.html")
}

/// The site block every page receives.
pub fn site_context(site: &Site) -> Value {
    json!({
        "title": site.config.title,
        "description": site.config.description,
        "as_of": site.as_of.to_string(),
        "base_url": site.config.base_url,
        "has_customers": !site.customers.is_empty(),
        "share_enabled": site.config.share.enabled,
    })
}

/// The pages in the nav. Weighted pages are the ones authors chose to
/// feature; three fit a header. Pages are sorted weighted first, so this
/// stops early: it must not cost a pass over all of them.
fn featured_pages(site: &Site) -> impl Iterator<Item = &PageEntry> {
    site.pages
        .iter()
        .take_while(|p| p.loaded.doc.weight.is_some())
        .take(3)
}

pub fn nav(site: &Site, active: &str) -> Value {
    let mut items: Vec<(&str, &str, String)> = vec![
        ("home", "Library", "index.html".to_string()),
        ("roles", "Roles", "roles/index.html".to_string()),
        ("glossary", "Glossary", "glossary/index.html".to_string()),
    ];
    if !site.customers.is_empty() {
        items.push(("customers", "Customers", "customers/index.html".to_string()));
    }
    for page in featured_pages(site) {
        items.push(("page", page.title.as_str(), page_path(&page.path)));
    }
    items.push(("search", "Search", "search/index.html".to_string()));
    Value::Array(
        items
            .into_iter()
            .map(|(kind, title, path)| {
                json!({ "kind": kind, "title": title, "url": href(&path), "active": kind == active || path == active })
            })
            .collect(),
    )
}

/// The common part of every page context.
pub fn base_context(
    site: &Site,
    path: &str,
    kind: &str,
    title: &str,
) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("site".into(), site_context(site));
    map.insert("root".into(), Value::String(root_for(path)));
    map.insert(
        "nav".into(),
        nav(site, if kind == "page" { path } else { kind }),
    );
    map.insert(
        "page".into(),
        json!({ "kind": kind, "title": title, "path": path }),
    );
    map
}

fn job(path: String, template: &'static str, context: serde_json::Map<String, Value>) -> PageJob {
    PageJob {
        path,
        template,
        context: Value::Object(context),
    }
}

fn role_link(site: &Site, id: Option<&str>) -> Value {
    match id {
        None => Value::Null,
        Some(id) => {
            let name = site
                .role(id)
                .map(|r| r.name.clone())
                .unwrap_or_else(|| id.to_string());
            json!({ "id": id, "name": name, "url": format!("roles/index.html#role-{id}") })
        }
    }
}

/// Resolves a `sop` or `sop#step` reference to a link.
pub fn sop_ref_link(site: &Site, text: &str) -> Value {
    let reference = SopRef::parse(text);
    let Some(sop) = site.sop(&reference.sop) else {
        return json!({ "text": text, "url": null, "title": text });
    };
    match &reference.step {
        Some(step) => {
            let title = sop
                .step_ids
                .iter()
                .position(|s| s == step)
                .map(|i| sop.loaded.doc.steps[i].title.value.clone())
                .unwrap_or_else(|| step.clone());
            json!({ "text": text, "url": format!("{}#{step}", sop_path(&sop.id)), "title": title, "sop_title": sop.loaded.doc.title, "is_step": true })
        }
        None => {
            json!({ "text": text, "url": sop_path(&sop.id), "title": sop.loaded.doc.title, "is_step": false })
        }
    }
}

/// Summary of an SOP for lists.
pub fn sop_summary(site: &Site, sop: &SopEntry) -> Value {
    let doc = &sop.loaded.doc;
    json!({
        "id": sop.id,
        "title": doc.title,
        "summary": doc.summary,
        "status": doc.status,
        "version": doc.version,
        "owner": role_link(site, doc.owner.as_ref().map(|o| o.value.as_str())),
        "tags": doc.tags,
        "steps": doc.steps.len(),
        "review_overdue": sop.review_overdue,
        "url": sop_path(&sop.id),
    })
}

/// The SOP page.
pub fn sop_page(site: &Site, sop: &SopEntry, kpi_results: &Value) -> PageJob {
    let path = sop_path(&sop.id);
    let root = root_for(&path);
    let doc = &sop.loaded.doc;
    let steps: Vec<Value> = doc
        .steps
        .iter()
        .zip(&sop.step_ids)
        .enumerate()
        .map(|(index, (step, id))| {
            json!({
                "number": index + 1,
                "id": id,
                "title": step.title.value,
                "owner": role_link(site, step.owner.as_ref().map(|o| o.value.as_str())),
                "when": step.when,
                "objective": step.objective,
                "body_html": step.body.as_deref().map(|b| render_nested(b, &root, 3).html),
                "substeps": step.substeps.iter().map(|s| render_inline(s, &root)).collect::<Vec<_>>(),
                "checklist": step.checklist,
                "mistakes": step.mistakes,
                "time_standard": step.time_standard,
                "tools": step.tools,
                "escalation": step.escalation.as_ref().map(|e| json!({
                    "to": role_link(site, Some(&e.to.value)),
                    "within": e.within,
                    "when": e.when,
                })),
                "prev": if index > 0 { Some(json!({"id": sop.step_ids[index - 1], "title": doc.steps[index - 1].title.value})) } else { None },
                "next": sop.step_ids.get(index + 1).map(|next| json!({"id": next, "title": doc.steps[index + 1].title.value})),
            })
        })
        .collect();
    let body = render_nested(sop.loaded.markdown(doc.body.as_deref()), &root, 1);
    let roles: Vec<Value> = doc
        .roles
        .iter()
        .map(|r| {
            json!({
                "id": r.id.value,
                "name": r.name,
                "responsibilities": r.responsibilities,
                "escalates_to": role_link(site, r.escalates_to.as_ref().map(|e| e.value.as_str())),
            })
        })
        .collect();
    let used_by: Vec<Value> = site
        .playbooks
        .iter()
        .filter(|p| {
            p.loaded.doc.phases.iter().any(|ph| {
                ph.sops
                    .iter()
                    .any(|s| SopRef::parse(&s.value).sop == sop.id)
            })
        })
        .map(|p| json!({ "id": p.id, "title": p.loaded.doc.title, "url": playbook_path(&p.id) }))
        .collect();
    let mut context = base_context(site, &path, "sop", &doc.title);
    context.insert(
        "sop".into(),
        json!({
            "id": sop.id,
            "title": doc.title,
            "summary": doc.summary,
            "version": doc.version,
            "owner": role_link(site, doc.owner.as_ref().map(|o| o.value.as_str())),
            "status": doc.status,
            "review": {
                "cycle": doc.review_cycle.as_ref().map(|c| c.value.clone()),
                "last_reviewed": doc.last_reviewed,
                "due": sop.review_due.map(|d| d.to_string()),
                "overdue": sop.review_overdue,
            },
            "tags": doc.tags,
            "applies_to": doc.applies_to,
            "not_for": doc.not_for,
            "prerequisites": doc.prerequisites,
            "definitions": doc.definitions,
            "roles": roles,
            "steps": steps,
            "kpis": kpi_results,
            "checklist": doc.checklist,
            "quality_standards": doc.quality_standards,
            "revisions": doc.revisions,
            "approvals": doc.approvals.iter().map(|a| json!({
                "role": role_link(site, Some(&a.role.value)),
                "name": a.name.as_deref().filter(|n| !n.trim().is_empty()),
                "date": a.date,
            })).collect::<Vec<_>>(),
            "body_html": body.html,
            "toc": body.headings.iter().filter(|h| h.level <= 3).collect::<Vec<_>>(),
            "used_by": used_by,
        }),
    );
    job(path, "sop.html", context)
}

/// The playbook page.
pub fn playbook_page(site: &Site, playbook: &PlaybookEntry) -> PageJob {
    let path = playbook_path(&playbook.id);
    let root = root_for(&path);
    let doc = &playbook.loaded.doc;
    let phases: Vec<Value> = doc
        .phases
        .iter()
        .map(|phase| {
            let days = phase
                .days
                .as_ref()
                .map(|d| d.value.clone())
                .unwrap_or_default();
            json!({
                "id": phase.id.clone().unwrap_or_else(|| crate::model::slugify(&phase.name)),
                "name": phase.name,
                "first_day": days.first(),
                "last_day": days.get(1).or(days.first()),
                "summary_html": phase.summary.as_deref().map(|s| render_nested(s, &root, 3).html),
                "refs": phase.sops.iter().map(|s| sop_ref_link(site, &s.value)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let span = doc
        .phases
        .iter()
        .filter_map(|p| p.days.as_ref().and_then(|d| d.value.iter().copied().max()))
        .max()
        .unwrap_or(0);
    let milestones: Vec<Value> = doc
        .milestones
        .iter()
        .zip(&playbook.offsets)
        .map(|(m, offset)| json!({
            "name": m.name.value,
            "marks": m.marks.clone().or_else(|| crate::status::infer_mark(&m.name.value)),
            "offset": offset.map(|o| o.to_string()).or_else(|| m.offset.as_ref().map(|o| o.value.clone())),
            "criteria": m.criteria,
            "customer_visible": m.customer_visible.unwrap_or(true),
        }))
        .collect();
    let agenda_total: u32 = doc
        .agenda
        .iter()
        .filter_map(|a| a.duration.as_ref().and_then(|d| duration_minutes(&d.value)))
        .sum();
    let meeting_minutes = doc
        .meeting
        .as_ref()
        .and_then(|m| m.duration.as_ref())
        .and_then(|d| duration_minutes(&d.value));
    let customers: Vec<Value> = site
        .customers
        .iter()
        .filter(|c| c.playbook.as_deref() == Some(playbook.id.as_str()))
        .map(|c| json!({ "slug": c.slug, "name": c.name(), "url": customer_path(&c.slug), "state": c.status.state, "state_label": c.status.state.label() }))
        .collect();
    let body_source = playbook.loaded.markdown(doc.body.as_deref());
    let mut context = base_context(site, &path, "playbook", &doc.title);
    context.insert(
        "playbook".into(),
        json!({
            "id": playbook.id,
            "title": doc.title,
            "summary": doc.summary,
            "tiers": doc.tiers,
            "tags": doc.tags,
            "defaults": doc.defaults,
            "phases": phases,
            "span_days": span,
            "milestones": milestones,
            "checklist": doc.checklist,
            "do": doc.r#do.iter().map(|d| render_inline(d, &root)).collect::<Vec<_>>(),
            "dont": doc.dont.iter().map(|d| render_inline(d, &root)).collect::<Vec<_>>(),
            "pitfalls": doc.pitfalls,
            "meeting": doc.meeting.as_ref().map(|m| json!({
                "duration": m.duration.as_ref().map(|d| d.value.clone()),
                "minutes": meeting_minutes,
                "attendees": m.attendees,
            })),
            "agenda": doc.agenda.iter().map(|a| json!({
                "topic": a.topic,
                "duration": a.duration.as_ref().map(|d| d.value.clone()),
                "minutes": a.duration.as_ref().and_then(|d| duration_minutes(&d.value)),
                "notes": a.notes,
            })).collect::<Vec<_>>(),
            "agenda_total_minutes": agenda_total,
            "agenda_matches_meeting": meeting_minutes.is_none_or(|m| m == agenda_total),
            "body_html": render_nested(body_source, &root, 1).html,
            "customers": customers,
        }),
    );
    job(path, "playbook.html", context)
}

/// The roles page: every role and what it owns across SOPs.
pub fn roles_page(site: &Site) -> PageJob {
    let path = "roles/index.html".to_string();
    let roles: Vec<Value> = site
        .roles
        .iter()
        .map(|role| {
            let mut owns_sops = Vec::new();
            let mut steps = Vec::new();
            let mut escalations = Vec::new();
            for sop in site.sops.iter().filter(|s| s.published) {
                let doc = &sop.loaded.doc;
                if doc.owner.as_ref().is_some_and(|o| o.value == role.id) {
                    owns_sops.push(json!({ "title": doc.title, "url": sop_path(&sop.id) }));
                }
                for (step, id) in doc.steps.iter().zip(&sop.step_ids) {
                    let link = json!({ "sop": doc.title, "title": step.title.value, "url": format!("{}#{id}", sop_path(&sop.id)) });
                    if step.owner.as_ref().is_some_and(|o| o.value == role.id) {
                        steps.push(link.clone());
                    }
                    if step.escalation.as_ref().is_some_and(|e| e.to.value == role.id) {
                        escalations.push(link);
                    }
                }
            }
            let escalated_by: Vec<Value> = site
                .roles
                .iter()
                .filter(|r| r.escalates_to.as_deref() == Some(role.id.as_str()))
                .map(|r| json!({ "id": r.id, "name": r.name }))
                .collect();
            json!({
                "id": role.id,
                "name": role.name,
                "responsibilities": role.responsibilities,
                "escalates_to": role_link(site, role.escalates_to.as_deref()),
                "escalated_by": escalated_by,
                "declared_in": role.declared_in.as_deref().map(|id| json!({ "id": id, "url": sop_path(id) })),
                "owns_sops": owns_sops,
                "steps": steps,
                "escalations": escalations,
            })
        })
        .collect();
    let mut context = base_context(site, &path, "roles", "Roles");
    context.insert("roles".into(), Value::Array(roles));
    job(path, "roles.html", context)
}

/// Every definition across all SOPs, by term.
pub fn glossary_terms(site: &Site) -> Vec<Value> {
    let mut terms: BTreeMap<String, (String, String, Vec<Value>)> = BTreeMap::new();
    for sop in site.sops.iter().filter(|s| s.published) {
        for (term, meaning) in &sop.loaded.doc.definitions {
            let entry = terms
                .entry(term.to_lowercase())
                .or_insert_with(|| (term.clone(), meaning.clone(), Vec::new()));
            entry.2.push(
                json!({ "id": sop.id, "title": sop.loaded.doc.title, "url": sop_path(&sop.id) }),
            );
        }
    }
    terms
        .into_values()
        .map(|(term, meaning, sops)| json!({ "term": term, "id": format!("term-{}", crate::model::slugify(&term)), "definition": meaning, "sops": sops }))
        .collect()
}

/// The glossary page.
pub fn glossary_page(site: &Site) -> PageJob {
    let path = "glossary/index.html".to_string();
    let mut context = base_context(site, &path, "glossary", "Glossary");
    context.insert("terms".into(), Value::Array(glossary_terms(site)));
    job(path, "glossary.html", context)
}

/// What the contexts of all free pages share, converted to Tera values
/// once per build: on a site of thousands of pages, building and
/// converting the same site and nav maps for each page cost more than
/// rendering its template.
pub struct SharedContext {
    site: tera::Value,
    /// The nav with no item active.
    nav: tera::Value,
    /// Output paths of the pages in the nav, which mark themselves active.
    featured: Vec<String>,
}

impl SharedContext {
    /// The shared parts of `site`'s free page contexts.
    pub fn new(site: &Site) -> Self {
        SharedContext {
            site: tera_value(&site_context(site)),
            nav: tera_value(&nav(site, "")),
            featured: featured_pages(site).map(|p| page_path(&p.path)).collect(),
        }
    }
}

/// A free page: its output path and Tera context, built directly rather
/// than as JSON first, as there can be tens of thousands of them.
pub fn free_page(site: &Site, shared: &SharedContext, page: &PageEntry) -> (String, tera::Context) {
    let path = page_path(&page.path);
    let root = root_for(&path);
    let rendered = render_outlined(page.loaded.body(), &page.outline, &root, 1);
    let meta = &page.loaded.doc;
    let toc: Vec<tera::Value> = rendered
        .headings
        .iter()
        .filter(|h| h.level >= 2 && h.level <= 3)
        .map(|h| {
            tera_map([
                ("level", u64::from(h.level).into()),
                ("id", h.id.as_str().into()),
                ("text", h.text.as_str().into()),
            ])
        })
        .collect();
    let starts_with_title = rendered
        .headings
        .first()
        .is_some_and(|h| h.text == page.title);
    let content = tera_map([
        ("title", page.title.as_str().into()),
        (
            "description",
            meta.description
                .as_deref()
                .map_or_else(tera::Value::none, Into::into),
        ),
        ("date", tera_value(&json!(meta.date))),
        ("tags", tera_value(&json!(meta.tags))),
        ("extra", tera_value(&json!(meta.extra))),
        ("html", rendered.html.as_str().into()),
        ("toc", toc.into()),
        ("starts_with_title", starts_with_title.into()),
        ("draft", meta.draft.into()),
    ]);
    let nav = if shared.featured.contains(&path) {
        tera_value(&nav(site, &path))
    } else {
        shared.nav.clone()
    };
    let mut context = tera_base_context(&shared.site, nav, &root, &path, "page", &page.title);
    context.insert_value("content", content);
    (path, context)
}

/// [`base_context`] as a Tera context, from the `site` and `nav` values a
/// caller converted once for many pages.
pub fn tera_base_context(
    site: &tera::Value,
    nav: tera::Value,
    root: &str,
    path: &str,
    kind: &str,
    title: &str,
) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert_value("site", site.clone());
    context.insert_value("root", root.into());
    context.insert_value("nav", nav);
    context.insert_value(
        "page",
        tera_map([
            ("kind", kind.into()),
            ("title", title.into()),
            ("path", path.into()),
        ]),
    );
    context
}

pub fn tera_map<const N: usize>(entries: [(&'static str, tera::Value); N]) -> tera::Value {
    let mut map = tera::Map::with_capacity(N);
    for (key, value) in entries {
        map.insert(tera::value::Key::Str(key), value);
    }
    map.into()
}

/// A customer row for lists and the dashboard table, and the start of a
/// status page's `customer`. Borrowed from the site and serialised as is,
/// into JSON or straight into a Tera value.
#[derive(Serialize)]
pub struct CustomerSummary<'a> {
    slug: &'a str,
    name: &'a str,
    tier: &'a Option<String>,
    csm: &'a Option<String>,
    playbook: &'a Option<String>,
    playbook_title: Option<&'a str>,
    playbook_url: Option<String>,
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    start_date: Option<NaiveDate>,
    state: CustomerState,
    state_label: &'static str,
    progress: crate::status::Progress,
    percent: u32,
    next_milestone: &'a Option<String>,
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    next_target: Option<NaiveDate>,
    max_days_late: i64,
    open_blockers: usize,
    open_actions: usize,
    reasons: &'a [String],
    health: &'a Option<crate::model::Health>,
    url: String,
}

/// A customer row for lists and the dashboard table.
pub fn customer_summary<'a>(site: &'a Site, customer: &'a Customer) -> CustomerSummary<'a> {
    let tracker = customer.tracker();
    let status = &customer.status;
    let playbook = customer
        .playbook
        .as_deref()
        .and_then(|id| site.playbook(id));
    CustomerSummary {
        slug: &customer.slug,
        name: customer.name(),
        tier: &tracker.customer.tier,
        csm: &tracker.customer.csm,
        playbook: &customer.playbook,
        playbook_title: playbook.map(|p| p.loaded.doc.title.as_str()),
        playbook_url: playbook.map(|p| playbook_path(&p.id)),
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
    }
}

/// The home page: library, playbooks, pages and the portfolio summary.
pub fn home_page(site: &Site, portfolio: &Value) -> PageJob {
    let path = "index.html".to_string();
    let mut context = base_context(site, &path, "home", &site.config.title);
    context.insert(
        "sops".into(),
        site.sops
            .iter()
            .filter(|s| s.published)
            .map(|s| sop_summary(site, s))
            .collect(),
    );
    context.insert(
        "playbooks".into(),
        site.playbooks
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "title": p.loaded.doc.title,
                    "summary": p.loaded.doc.summary,
                    "tiers": p.loaded.doc.tiers,
                    "phases": p.loaded.doc.phases.len(),
                    "milestones": p.loaded.doc.milestones.len(),
                    "url": playbook_path(&p.id),
                })
            })
            .collect(),
    );
    context.insert(
        "pages".into(),
        site.pages
            .iter()
            .map(|p| {
                json!({
                    "title": p.title,
                    "description": p.loaded.doc.description,
                    "url": href(&page_path(&p.path)),
                })
            })
            .collect(),
    );
    context.insert("portfolio".into(), portfolio.clone());
    let attention: Vec<Value> = site
        .customers
        .iter()
        .filter(|c| {
            matches!(
                c.status.state,
                crate::status::CustomerState::Late | crate::status::CustomerState::AtRisk
            )
        })
        .map(|c| json!(customer_summary(site, c)))
        .collect();
    context.insert("attention".into(), Value::Array(attention));
    job(path, "index.html", context)
}

/// The search page (the index itself is produced by the search module).
pub fn search_page(site: &Site) -> PageJob {
    let path = "search/index.html".to_string();
    let context = base_context(site, &path, "search", "Search");
    job(path, "search.html", context)
}

/// The not-found page, served by `serve` and by most static hosts.
pub fn not_found_page(site: &Site) -> PageJob {
    let path = "404.html".to_string();
    let context = base_context(site, &path, "not-found", "Page not found");
    job(path, "404.html", context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_count_folders() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("sops/kickoff/index.html"), "../../");
    }
}
