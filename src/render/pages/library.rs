//! The library's own pages: home, roles and glossary.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    BaseView, PageJob, RoleLink, TitleLink, page_job, page_path, playbook_path, role_link, sop_path,
};
use crate::kpi::Portfolio;
use crate::markdown::href;
use crate::model::SopStatus;
use crate::render::dashboard;
use crate::site::{Site, SopEntry};

/// An SOP in the library's list.
#[derive(Serialize)]
struct SopSummary<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a Option<String>,
    status: SopStatus,
    version: &'a Option<String>,
    owner: Option<RoleLink<'a>>,
    tags: &'a [String],
    steps: usize,
    review_overdue: bool,
    url: String,
}

fn sop_summary<'a>(site: &Site, sop: &'a SopEntry) -> SopSummary<'a> {
    let doc = &sop.loaded.doc;
    SopSummary {
        id: &sop.id,
        title: &doc.title,
        summary: &doc.summary,
        status: doc.status,
        version: &doc.version,
        owner: role_link(site, doc.owner.as_ref().map(|o| o.value.as_str())),
        tags: &doc.tags,
        steps: doc.steps.len(),
        review_overdue: sop.review_overdue,
        url: sop_path(&sop.id),
    }
}

/// The home page's context.
#[derive(Serialize)]
struct HomePage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    sops: Vec<SopSummary<'a>>,
    playbooks: Vec<PlaybookSummary<'a>>,
    pages: Vec<PageSummary<'a>>,
    portfolio: &'a Portfolio,
    /// How many customers are late or at risk.
    attention_total: usize,
    /// The most urgent few, in the dashboard's order.
    attention: Vec<crate::render::dashboard::DashboardRow<'a>>,
}

/// A playbook in the library's list.
#[derive(Serialize)]
struct PlaybookSummary<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a Option<String>,
    tiers: &'a [String],
    phases: usize,
    milestones: usize,
    url: String,
}

/// A free page in the library's list.
#[derive(Serialize)]
struct PageSummary<'a> {
    title: &'a str,
    description: &'a Option<String>,
    url: String,
}

/// The home page: library, playbooks, pages and the portfolio summary.
pub fn home_page(site: &Site, portfolio: &Portfolio) -> PageJob {
    let path = "index.html".to_string();
    // The most urgent few, in the dashboard's order: the home page stays
    // light however many customers are late.
    let urgent: Vec<&crate::site::Customer> = dashboard::in_severity_order(site)
        .into_iter()
        .filter(|c| crate::render::customers::needs_attention(c.status.state))
        .collect();
    let view = HomePage {
        base: BaseView::new(site, &path, "home", &site.config.title),
        sops: site
            .sops
            .iter()
            .filter(|s| s.published)
            .map(|s| sop_summary(site, s))
            .collect(),
        playbooks: site
            .playbooks
            .iter()
            .map(|p| PlaybookSummary {
                id: &p.id,
                title: &p.loaded.doc.title,
                summary: &p.loaded.doc.summary,
                tiers: &p.loaded.doc.tiers,
                phases: p.loaded.doc.phases.len(),
                milestones: p.loaded.doc.milestones.len(),
                url: playbook_path(&p.id),
            })
            .collect(),
        pages: site
            .pages
            .iter()
            .map(|p| PageSummary {
                title: &p.title,
                description: &p.loaded.doc.description,
                url: href(&page_path(&p.path)).into_owned(),
            })
            .collect(),
        portfolio,
        attention_total: urgent.len(),
        attention: urgent
            .iter()
            .take(dashboard::HOME_ATTENTION_ROWS)
            .map(|c| dashboard::row(c, site.as_of))
            .collect(),
    };
    page_job(&path, "index.html", &view)
}

/// The roles page's context.
#[derive(Serialize)]
struct RolesPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    roles: Vec<RoleView<'a>>,
}

/// A role and what it owns across SOPs.
#[derive(Serialize)]
struct RoleView<'a> {
    id: &'a str,
    name: &'a str,
    responsibilities: &'a [String],
    escalates_to: Option<RoleLink<'a>>,
    escalated_by: Vec<RoleName<'a>>,
    declared_in: Option<DeclaredIn<'a>>,
    owns_sops: Vec<SopTitle<'a>>,
    steps: Vec<StepLink<'a>>,
    escalations: Vec<StepLink<'a>>,
}

/// A role that escalates to this one.
#[derive(Serialize)]
struct RoleName<'a> {
    id: &'a str,
    name: &'a str,
}

/// The SOP that declares a role.
#[derive(Serialize)]
struct DeclaredIn<'a> {
    id: &'a str,
    url: String,
}

/// An SOP the role owns.
#[derive(Serialize)]
struct SopTitle<'a> {
    title: &'a str,
    url: String,
}

/// A step the role owns or is escalated to.
#[derive(Clone, Serialize)]
struct StepLink<'a> {
    sop: &'a str,
    title: &'a str,
    url: String,
}

fn role_view<'a>(site: &'a Site, role: &'a crate::site::RoleEntry) -> RoleView<'a> {
    let mut owns_sops = Vec::new();
    let mut steps = Vec::new();
    let mut escalations = Vec::new();
    for sop in site.sops.iter().filter(|s| s.published) {
        let doc = &sop.loaded.doc;
        if doc.owner.as_ref().is_some_and(|o| o.value == role.id) {
            owns_sops.push(SopTitle {
                title: &doc.title,
                url: sop_path(&sop.id),
            });
        }
        for (step, id) in doc.steps.iter().zip(&sop.step_ids) {
            let link = StepLink {
                sop: &doc.title,
                title: &step.title.value,
                url: format!("{}#{id}", sop_path(&sop.id)),
            };
            if step.owner.as_ref().is_some_and(|o| o.value == role.id) {
                steps.push(link.clone());
            }
            if step
                .escalation
                .as_ref()
                .is_some_and(|e| e.to.value == role.id)
            {
                escalations.push(link);
            }
        }
    }
    RoleView {
        id: &role.id,
        name: &role.name,
        responsibilities: &role.responsibilities,
        escalates_to: role_link(site, role.escalates_to.as_deref()),
        escalated_by: site
            .roles
            .iter()
            .filter(|r| r.escalates_to.as_deref() == Some(role.id.as_str()))
            .map(|r| RoleName {
                id: &r.id,
                name: &r.name,
            })
            .collect(),
        declared_in: role.declared_in.as_deref().map(|id| DeclaredIn {
            id,
            url: sop_path(id),
        }),
        owns_sops,
        steps,
        escalations,
    }
}

/// The roles page: every role and what it owns across SOPs.
pub fn roles_page(site: &Site) -> PageJob {
    let path = "roles/index.html".to_string();
    let view = RolesPage {
        base: BaseView::new(site, &path, "roles", "Roles"),
        roles: site
            .roles
            .iter()
            .map(|role| role_view(site, role))
            .collect(),
    };
    page_job(&path, "roles.html", &view)
}

/// A term defined in SOPs, with its first definition and every SOP that
/// defines it.
#[derive(Serialize)]
pub struct GlossaryTerm<'a> {
    /// The term as first written.
    pub term: &'a str,
    /// Its anchor on the glossary page.
    pub id: String,
    /// Its first definition.
    pub definition: &'a str,
    /// The SOPs that define it.
    pub sops: Vec<TitleLink<'a>>,
}

/// Every definition across all SOPs, by term.
pub fn glossary_terms(site: &Site) -> Vec<GlossaryTerm<'_>> {
    let mut terms: BTreeMap<String, GlossaryTerm> = BTreeMap::new();
    for sop in site.sops.iter().filter(|s| s.published) {
        for (term, meaning) in &sop.loaded.doc.definitions {
            let entry = terms
                .entry(term.to_lowercase())
                .or_insert_with(|| GlossaryTerm {
                    term,
                    id: format!("term-{}", crate::model::slugify(term)),
                    definition: meaning,
                    sops: Vec::new(),
                });
            entry.sops.push(TitleLink {
                id: &sop.id,
                title: &sop.loaded.doc.title,
                url: sop_path(&sop.id),
            });
        }
    }
    terms.into_values().collect()
}

/// The glossary page's context.
#[derive(Serialize)]
struct GlossaryPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    terms: Vec<GlossaryTerm<'a>>,
}

/// The glossary page.
pub fn glossary_page(site: &Site) -> PageJob {
    let path = "glossary/index.html".to_string();
    let view = GlossaryPage {
        base: BaseView::new(site, &path, "glossary", "Glossary"),
        terms: glossary_terms(site),
    };
    page_job(&path, "glossary.html", &view)
}
