//! Template contexts for every internal page, and the pages themselves.
//!
//! Each page gets `site`, `root` (the relative path back to the site root,
//! such as `../../`), `nav` and `page` ([`BaseView`]), plus the data of its
//! kind. Every page's context is a typed view (`SopPage`, `PlaybookPage`,
//! [`FreePage`], ...): a library page's becomes its job with [`page_job`];
//! pages made by the thousand (free pages, customer pages) take `site` and
//! `nav` converted once from [`SharedBase`]. Markdown is rendered here, so
//! templates only print `*_html` fields with `safe`; every other string is
//! escaped by Tera.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use super::context::view_context;
use crate::markdown::{href, render_outlined};
use crate::model::Date;
use crate::site::{PageEntry, Site, SopRef};

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
    pub context: tera::Context,
}

/// The one way a page's view becomes its job: the view, serialised, is
/// the template's context.
pub fn page_job(path: &str, template: &'static str, view: &impl Serialize) -> PageJob {
    PageJob {
        path: path.to_string(),
        template,
        context: view_context(view),
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
    /// The base of the page at `path`, of `kind`, titled `title`.
    pub fn new(site: &'a Site, path: &'a str, kind: &'a str, title: &'a str) -> Self {
        BaseView {
            site: SiteView::of(site),
            root: root_for(path),
            nav: nav_items(site, if kind == "page" { path } else { kind }),
            page: PageInfo { kind, title, path },
        }
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
pub struct SopLink<'a> {
    text: &'a str,
    url: Option<String>,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sop_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_step: Option<bool>,
}

/// Resolves a `sop` or `sop#step` reference to a link.
pub fn sop_link<'a>(site: &'a Site, text: &'a str) -> SopLink<'a> {
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

/// `site` and `nav` as Tera values, converted once for the many pages
/// that share them: on a site of thousands of customers or free pages,
/// building and converting them for each page cost more than rendering it.
pub struct SharedBase {
    site: tera::Value,
    nav: tera::Value,
}

impl SharedBase {
    /// The shared parts of `site`'s pages whose nav marks `active` (a page
    /// kind, or "" for none).
    pub fn new(site: &Site, active: &str) -> Self {
        SharedBase {
            site: tera::Value::from_serializable(&SiteView::of(site)),
            nav: tera::Value::from_serializable(&nav_items(site, active)),
        }
    }

    /// The context of the page at `path`: the fields of its `view`, then
    /// `site`, `root`, `nav` (the shared one unless `nav` is given) and
    /// `page`, as [`BaseView`] gives them.
    pub fn page_context(
        &self,
        path: &str,
        kind: &str,
        title: &str,
        nav: Option<tera::Value>,
        view: &impl Serialize,
    ) -> tera::Context {
        let mut context = view_context(view);
        context.insert_value("site", self.site.clone());
        context.insert_value("root", root_for(path).into());
        context.insert_value("nav", nav.unwrap_or_else(|| self.nav.clone()));
        context.insert("page", &PageInfo { kind, title, path });
        context
    }
}

/// What the contexts of all free pages share.
pub struct SharedContext {
    /// Site and nav with no item active.
    base: SharedBase,
    /// Output paths of the pages in the nav, which mark themselves active.
    featured: Vec<String>,
}

impl SharedContext {
    /// The shared parts of `site`'s free page contexts.
    pub fn new(site: &Site) -> Self {
        SharedContext {
            base: SharedBase::new(site, ""),
            featured: featured_pages(site).map(|p| page_path(&p.path)).collect(),
        }
    }
}

/// A free page's context, beside the base.
#[derive(Serialize)]
pub struct FreePage<'a> {
    content: ContentView<'a>,
}

/// `content`: the page's front matter and its rendered Markdown.
#[derive(Serialize)]
struct ContentView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    date: &'a Option<Date>,
    tags: &'a [String],
    /// `extra:` as written: any map the author wants templates to read.
    extra: &'a IndexMap<String, Value>,
    html: String,
    toc: Vec<TocEntry<'a>>,
    /// Whether the Markdown opens with the page's title as a heading.
    starts_with_title: bool,
    draft: bool,
}

/// A heading in a free page's table of contents (levels 2 and 3).
#[derive(Serialize)]
struct TocEntry<'a> {
    level: u64,
    id: &'a str,
    text: &'a str,
}

/// A free page: its output path and Tera context, built on the worker
/// thread that renders it, as there can be tens of thousands of them.
pub fn free_page(site: &Site, shared: &SharedContext, page: &PageEntry) -> (String, tera::Context) {
    let path = page_path(&page.path);
    let root = root_for(&path);
    let rendered = render_outlined(page.loaded.body(), &page.outline, &root, 1);
    let meta = &page.loaded.doc;
    let view = FreePage {
        content: ContentView {
            title: &page.title,
            description: meta.description.as_deref(),
            date: &meta.date,
            tags: &meta.tags,
            extra: &meta.extra,
            html: rendered.html,
            toc: rendered
                .headings
                .iter()
                .filter(|h| h.level >= 2 && h.level <= 3)
                .map(|h| TocEntry {
                    level: u64::from(h.level),
                    id: &h.id,
                    text: &h.text,
                })
                .collect(),
            starts_with_title: rendered
                .headings
                .first()
                .is_some_and(|h| h.text == page.title),
            draft: meta.draft,
        },
    };
    // A page in the nav marks itself active there.
    let nav = shared
        .featured
        .contains(&path)
        .then(|| tera::Value::from_serializable(&nav_items(site, &path)));
    let context = shared
        .base
        .page_context(&path, "page", &page.title, nav, &view);
    (path, context)
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
