//! The tag pages: `/tags/` lists every tag, `/tags/<slug>/` the SOPs,
//! playbooks and free pages that carry it.
//!
//! A tag is known by its slug ([`tag_slug`]), so `SaaS`, `saas` and `SAAS`
//! are one tag, shown as it is first written (SOPs by id, then playbooks,
//! then pages in their list order). A tag whose slug cannot be a folder
//! name is an error of `check` (see `check::names`), so it never gets here
//! in a build that succeeds; such a tag is left out here rather than
//! written to a bad path.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::markdown::href;
use crate::model::tag_slug;
use crate::render::pages::{BaseView, PageJob, page_job, page_path, playbook_path, sop_path};
use crate::site::Site;

/// The output path of the tag list.
pub const INDEX_PATH: &str = "tags/index.html";

/// The output path of one tag's page.
pub fn tag_path(slug: &str) -> String {
    format!("tags/{slug}/index.html")
}

/// A document that carries a tag.
#[derive(Debug, Serialize)]
pub struct TaggedItem<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    /// Relative to the site root.
    url: String,
}

/// One tag and what carries it.
#[derive(Debug, Serialize)]
pub struct TagView<'a> {
    /// The tag as first written.
    name: &'a str,
    slug: String,
    url: String,
    /// How many documents carry it.
    count: usize,
    sops: Vec<TaggedItem<'a>>,
    playbooks: Vec<TaggedItem<'a>>,
    pages: Vec<TaggedItem<'a>>,
}

/// A tag on the list of tags.
#[derive(Debug, Serialize)]
pub struct TagSummary<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
    sops: usize,
    playbooks: usize,
    pages: usize,
}

/// Which list of a tag a document goes in.
#[derive(Clone, Copy)]
enum Kind {
    Sop,
    Playbook,
    Page,
}

/// Adds a document to the tag `tag`.
fn add<'a>(tags: &mut BTreeMap<String, TagView<'a>>, tag: &str, kind: Kind, item: TaggedItem<'a>) {
    let slug = tag_slug(tag);
    if slug.is_empty() {
        return;
    }
    let entry = tags.entry(slug).or_insert_with_key(|slug| TagView {
        name: "",
        slug: slug.clone(),
        url: tag_path(slug),
        count: 0,
        sops: Vec::new(),
        playbooks: Vec::new(),
        pages: Vec::new(),
    });
    let list = match kind {
        Kind::Sop => &mut entry.sops,
        Kind::Playbook => &mut entry.playbooks,
        Kind::Page => &mut entry.pages,
    };
    // A document that writes a tag twice (or two spellings of it) is
    // listed once: its entries come one after the other.
    if list.last().is_some_and(|last| last.url == item.url) {
        return;
    }
    list.push(item);
    entry.count += 1;
}

/// Every tag of the site's built documents, by slug.
pub fn collect_tags(site: &Site) -> BTreeMap<String, TagView<'_>> {
    let mut tags: BTreeMap<String, TagView<'_>> = BTreeMap::new();
    for sop in site.sops.iter().filter(|s| s.published) {
        let doc = &sop.loaded.doc;
        for tag in &doc.tags {
            add(
                &mut tags,
                tag,
                Kind::Sop,
                TaggedItem {
                    title: &doc.title,
                    summary: doc.summary.as_deref(),
                    url: sop_path(&sop.id),
                },
            );
        }
    }
    for playbook in &site.playbooks {
        let doc = &playbook.loaded.doc;
        for tag in &doc.tags {
            add(
                &mut tags,
                tag,
                Kind::Playbook,
                TaggedItem {
                    title: &doc.title,
                    summary: doc.summary.as_deref(),
                    url: playbook_path(&playbook.id),
                },
            );
        }
    }
    for page in &site.pages {
        let meta = &page.loaded.doc;
        for tag in &meta.tags {
            add(
                &mut tags,
                tag,
                Kind::Page,
                TaggedItem {
                    title: &page.title,
                    summary: meta.description.as_deref(),
                    url: href(&page_path(&page.path)).into_owned(),
                },
            );
        }
    }
    name_tags(site, &mut tags);
    tags
}

/// Gives each tag the spelling it is first written with.
fn name_tags<'a>(site: &'a Site, tags: &mut BTreeMap<String, TagView<'a>>) {
    let written = site
        .sops
        .iter()
        .filter(|s| s.published)
        .flat_map(|s| &s.loaded.doc.tags)
        .chain(site.playbooks.iter().flat_map(|p| &p.loaded.doc.tags))
        .chain(site.pages.iter().flat_map(|p| &p.loaded.doc.tags));
    for tag in written {
        if let Some(view) = tags.get_mut(&tag_slug(tag))
            && view.name.is_empty()
        {
            view.name = tag.as_str();
        }
    }
}

/// The tag list's context.
#[derive(Serialize)]
struct TagsPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    tags: &'a [TagSummary<'a>],
}

/// One tag's page context.
#[derive(Serialize)]
struct TagPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    tag: &'a TagView<'a>,
}

/// The tag list and one page per tag.
pub fn tag_pages(site: &Site) -> Vec<PageJob> {
    let tags = collect_tags(site);
    let mut summaries: Vec<TagSummary<'_>> = tags
        .values()
        .map(|tag| TagSummary {
            name: tag.name,
            slug: &tag.slug,
            url: &tag.url,
            count: tag.count,
            sops: tag.sops.len(),
            playbooks: tag.playbooks.len(),
            pages: tag.pages.len(),
        })
        .collect();
    // Alphabetical as people read it; the slug breaks ties.
    summaries.sort_by(|a, b| (a.name.to_lowercase(), a.slug).cmp(&(b.name.to_lowercase(), b.slug)));
    let mut jobs = Vec::with_capacity(tags.len() + 1);
    let path = INDEX_PATH.to_string();
    let view = TagsPage {
        base: BaseView::new(site, &path, "tags", "Tags"),
        tags: &summaries,
    };
    jobs.push(page_job(&path, "tags.html", &view));
    for tag in tags.values() {
        let path = tag.url.clone();
        let title = format!("Tagged “{}”", tag.name);
        let view = TagPage {
            base: BaseView::new(site, &path, "tag", &title),
            tag,
        };
        jobs.push(page_job(&path, "tag.html", &view));
    }
    jobs
}
