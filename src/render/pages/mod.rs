//! Template contexts for every internal page, and the pages themselves.
//!
//! Each page gets `site`, `root` (the relative path back to the site root,
//! such as `../../`), `nav` and `page` ([`BaseView`]), plus the data of its
//! kind. A library page's context is a typed view (`SopPage`,
//! `PlaybookPage`, ...), turned into the template's context by one
//! function, [`page_job`]. Markdown is rendered here, so templates only
//! print `*_html` fields with `safe`; every other string is escaped by Tera.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::context::tera_value;
use crate::markdown::{href, render_outlined};
use crate::site::{Customer, PageEntry, Site, SopRef};
use crate::status::CustomerState;

mod library;
mod playbook;
mod sop;

pub use library::{GlossaryTerm, glossary_page, glossary_terms, home_page, roles_page};
pub use playbook::playbook_page;
pub use sop::sop_page;

/// A page to render: output path, template name and context.
pub struct PageJob {
    /// Output path, such as `sops/kickoff/index.html`.
    pub path: String,
    /// Template file name.
    pub template: &'static str,
    /// The template context.
    pub context: Value,
}

/// The one way a page's view becomes its job: the view, serialised, is
/// the template's context.
fn page_job(path: &str, template: &'static str, view: &impl Serialize) -> PageJob {
    PageJob {
        path: path.to_string(),
        template,
        // A view has string keys only, so this cannot fail; were it to,
        // rendering reports a context that is not a map.
        context: serde_json::to_value(view).unwrap_or(Value::Null),
    }
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

/// The site block every page receives (`site`).
#[derive(Serialize)]
pub struct SiteView<'a> {
    title: &'a str,
    description: &'a Option<String>,
    as_of: String,
    base_url: &'a str,
    has_customers: bool,
    share_enabled: bool,
    organization: &'a str,
    language: &'a str,
    brand: BrandView<'a>,
}

/// The brand as internal pages link it: the site's own files, copied from
/// `static/` to the output root, else the theme's favicon.
#[derive(Serialize)]
pub struct BrandView<'a> {
    logo: Option<String>,
    favicon_type: &'static str,
    favicon: String,
    accent: Option<&'a str>,
    accent_text: Option<&'static str>,
}

impl<'a> BrandView<'a> {
    fn of(config: &'a crate::config::Config) -> Self {
        let brand = &config.brand;
        let usable = |p: &Option<crate::model::Spanned<String>>| {
            p.as_ref()
                .map(|p| p.value.trim().to_string())
                .filter(|p| crate::config::brand_path_problem(p).is_none())
        };
        let favicon = usable(&brand.favicon);
        let accent = config.accent();
        BrandView {
            logo: usable(&brand.logo),
            favicon_type: favicon
                .as_deref()
                .and_then(crate::config::brand_image_type)
                .unwrap_or("image/svg+xml"),
            favicon: favicon.unwrap_or_else(|| crate::share::DEFAULT_FAVICON.to_string()),
            accent,
            accent_text: accent.map(crate::config::text_on),
        }
    }
}

impl<'a> SiteView<'a> {
    fn of(site: &'a Site) -> Self {
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            as_of: site.as_of.to_string(),
            base_url: &site.config.base_url,
            has_customers: !site.customers.is_empty(),
            share_enabled: site.config.share.enabled,
            organization: site.config.organization(),
            language: site.config.language(),
            brand: BrandView::of(&site.config),
        }
    }
}

/// The site block every page receives, as JSON.
pub fn site_context(site: &Site) -> Value {
    json!(SiteView::of(site))
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

/// One link of the nav.
#[derive(Serialize)]
pub struct NavItem<'a> {
    kind: &'a str,
    title: &'a str,
    url: String,
    active: bool,
}

/// The nav, with the item of `active` (a page kind, or a free page's
/// output path) marked.
fn nav_items<'a>(site: &'a Site, active: &str) -> Vec<NavItem<'a>> {
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
    items
        .into_iter()
        .map(|(kind, title, path)| NavItem {
            kind,
            title,
            url: href(&path).into_owned(),
            active: kind == active || path == active,
        })
        .collect()
}

/// The nav as JSON.
pub fn nav(site: &Site, active: &str) -> Value {
    json!(nav_items(site, active))
}

/// What every page's context starts with.
#[derive(Serialize)]
pub struct BaseView<'a> {
    site: SiteView<'a>,
    root: String,
    nav: Vec<NavItem<'a>>,
    page: PageInfo<'a>,
}

/// `page`: what kind of page this is, its title and output path.
#[derive(Serialize)]
struct PageInfo<'a> {
    kind: &'a str,
    title: &'a str,
    path: &'a str,
}

impl<'a> BaseView<'a> {
    fn new(site: &'a Site, path: &'a str, kind: &'a str, title: &'a str) -> Self {
        BaseView {
            site: SiteView::of(site),
            root: root_for(path),
            nav: nav_items(site, if kind == "page" { path } else { kind }),
            page: PageInfo { kind, title, path },
        }
    }
}

/// The common part of every page context, as a JSON map.
pub fn base_context(
    site: &Site,
    path: &str,
    kind: &str,
    title: &str,
) -> serde_json::Map<String, Value> {
    match json!(BaseView::new(site, path, kind, title)) {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// A link to a role on the roles page.
#[derive(Serialize)]
struct RoleLink<'a> {
    id: &'a str,
    name: String,
    url: String,
}

fn role_link<'a>(site: &Site, id: Option<&'a str>) -> Option<RoleLink<'a>> {
    let id = id?;
    let name = site
        .role(id)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| id.to_string());
    Some(RoleLink {
        id,
        name,
        url: format!("roles/index.html#role-{id}"),
    })
}

/// A `sop` or `sop#step` reference as a link: `url` is none when no SOP
/// has that id, and then neither `sop_title` nor `is_step` is given.
#[derive(Serialize)]
struct SopLink<'a> {
    text: &'a str,
    url: Option<String>,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sop_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_step: Option<bool>,
}

fn sop_link<'a>(site: &'a Site, text: &'a str) -> SopLink<'a> {
    let reference = SopRef::parse(text);
    let Some(sop) = site.sop(&reference.sop) else {
        return SopLink {
            text,
            url: None,
            title: text.to_string(),
            sop_title: None,
            is_step: None,
        };
    };
    let sop_title = sop.loaded.doc.title.as_str();
    match &reference.step {
        Some(step) => {
            let title = sop
                .step_ids
                .iter()
                .position(|s| s == step)
                .map(|i| sop.loaded.doc.steps[i].title.value.clone())
                .unwrap_or_else(|| step.clone());
            SopLink {
                text,
                url: Some(format!("{}#{step}", sop_path(&sop.id))),
                title,
                sop_title: Some(sop_title),
                is_step: Some(true),
            }
        }
        None => SopLink {
            text,
            url: Some(sop_path(&sop.id)),
            title: sop_title.to_string(),
            sop_title: None,
            is_step: Some(false),
        },
    }
}

/// A link to a page by its id and title (the playbooks that use an SOP,
/// the SOPs that define a term).
#[derive(Serialize)]
pub struct TitleLink<'a> {
    /// The SOP's or playbook's id.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its output path.
    pub url: String,
}

/// Resolves a `sop` or `sop#step` reference to a link, as JSON.
pub fn sop_ref_link(site: &Site, text: &str) -> Value {
    json!(sop_link(site, text))
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

/// A page whose context is the common part alone.
#[derive(Serialize)]
struct PlainPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
}

/// The search page (the index itself is produced by the search module).
pub fn search_page(site: &Site) -> PageJob {
    let path = "search/index.html".to_string();
    let view = PlainPage {
        base: BaseView::new(site, &path, "search", "Search"),
    };
    page_job(&path, "search.html", &view)
}

/// The not-found page, served by `serve` and by most static hosts.
pub fn not_found_page(site: &Site) -> PageJob {
    let path = "404.html".to_string();
    let view = PlainPage {
        base: BaseView::new(site, &path, "not-found", "Page not found"),
    };
    page_job(&path, "404.html", &view)
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
