//! Everything a link may point at: the pages of the site, the anchors
//! that content gives them, and static files; and why a link misses.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::markdown::{self, PageIds, has_scheme};
use crate::site::{PlaybookEntry, Site, SopEntry};

/// Why a link does not resolve.
pub(super) struct Problem {
    pub(super) message: String,
    pub(super) help: String,
}

impl Problem {
    pub(super) fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// Everything a link may point at.
pub(super) struct Targets<'a> {
    pub(super) site: &'a Site,
    pub(super) root: Option<&'a Path>,
    /// Anchors of the pages whose anchors content defines, by site path.
    pub(super) anchors: HashMap<String, BTreeSet<String>>,
    /// Free page paths and customer slugs, looked up once per link.
    pub(super) pages: HashSet<&'a str>,
    pub(super) customers: HashSet<&'a str>,
}

impl<'a> Targets<'a> {
    pub(super) fn new(site: &'a Site, root: Option<&'a Path>) -> Self {
        let mut anchors: HashMap<String, BTreeSet<String>> = HashMap::new();
        for sop in &site.sops {
            anchors.insert(format!("sops/{}", sop.id), sop_anchors(sop));
        }
        for playbook in &site.playbooks {
            anchors.insert(
                format!("playbooks/{}", playbook.id),
                playbook_anchors(playbook),
            );
        }
        anchors.par_extend(site.pages.par_iter().map(|page| {
            (
                format!("pages/{}", page.path),
                page.outline.headings.iter().map(|h| h.id.clone()).collect(),
            )
        }));
        anchors.insert(
            "roles".into(),
            site.roles
                .iter()
                .map(|r| format!("role-{}", r.id))
                .collect(),
        );
        anchors.insert("glossary".into(), glossary_anchors(site));
        Targets {
            site,
            root,
            anchors,
            pages: site.pages.iter().map(|p| p.path.as_str()).collect(),
            customers: site.customers.iter().map(|c| c.slug.as_str()).collect(),
        }
    }

    /// Whether `url`, written on the page at `page`, resolves.
    pub(super) fn check(&self, page: &str, url: &str) -> Result<(), Problem> {
        let url = url.trim();
        if url.is_empty() || has_scheme(url) || url.starts_with("//") {
            return Ok(());
        }
        let (path, fragment) = match url.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (url, None),
        };
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if path.is_empty() {
            // A bare anchor: the page the text is shown on.
            let (kind, name) = match page.split_once('/') {
                Some(("sops", id)) => ("SOP", id),
                Some(("playbooks", id)) => ("playbook", id),
                Some(("pages", path)) => ("page", path),
                _ => ("page", page),
            };
            return self.anchor(page, fragment, kind, name);
        }
        let segments = if let Some(from_root) = path.strip_prefix('/') {
            match normalize(&[], from_root) {
                Some(segments) => segments,
                None => {
                    return Err(Problem::new(
                        "it climbs above the site root",
                        "remove the extra `..` segments",
                    ));
                }
            }
        } else {
            let base: Vec<String> = page.split('/').map(str::to_string).collect();
            match normalize(&base, path) {
                Some(segments) => segments,
                // Leaves the site: not ours to check.
                None => return Ok(()),
            }
        };
        // Output paths hold the names as written: `%20` is a space.
        let segments: Vec<String> = segments.iter().map(|s| percent_decode(s)).collect();
        self.resolve(&segments, fragment)
    }

    /// Whether the site path `segments` (decoded, from the root) and its
    /// `#fragment` name a page, an anchor on it, or a file of the site.
    pub(super) fn resolve(
        &self,
        segments: &[String],
        fragment: Option<&str>,
    ) -> Result<(), Problem> {
        let mut parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        if parts.last() == Some(&"index.html") {
            parts.pop();
        }
        match parts.as_slice() {
            [] | ["search"] | ["customers"] | ["404.html"] => Ok(()),
            ["reviews"] | ["reviews", "reviews.ics"] | ["print"] | ["tags"] => Ok(()),
            ["tags", slug] => self.tag(slug),
            [
                "data",
                "customers.json" | "customers.csv" | "kpis.json" | "kpis.csv",
            ] => Ok(()),
            // Share folders may be named by a secret token; not checked.
            ["share", ..] => Ok(()),
            ["sops", id] => self.sop(id, fragment),
            ["playbooks", id] => self.playbook(id, fragment),
            ["pages", rest @ ..] if !rest.is_empty() => self.page(rest, &parts, fragment),
            ["roles"] => self.anchor("roles", fragment, "roles page", "roles"),
            ["glossary"] => self.anchor("glossary", fragment, "glossary", "glossary"),
            ["customers", slug] | ["customers", slug, "milestones.ics"] => self.customer(slug),
            _ => self.static_file(&parts),
        }
    }

    /// `tags/<slug>/`: a tag of a built SOP, playbook or page.
    fn tag(&self, slug: &str) -> Result<(), Problem> {
        let tags = tag_slugs(self.site);
        if tags.contains(slug) {
            Ok(())
        } else {
            Err(Problem::new(
                format!("there is no tag `{slug}`"),
                known("tags", tags.iter().map(String::as_str)),
            ))
        }
    }

    /// `sops/<id>/`: a published SOP, and an anchor on its page.
    fn sop(&self, id: &str, fragment: Option<&str>) -> Result<(), Problem> {
        let site = self.site;
        match site.sop(id) {
            Some(sop) if sop.published => self.anchor(&format!("sops/{id}"), fragment, "SOP", id),
            Some(_) => Err(Problem::new(
                format!("the SOP `{id}` is a draft and is not built"),
                "approve the SOP (`status: approved`) or remove the link",
            )),
            None => Err(Problem::new(
                format!("there is no SOP `{id}`"),
                known(
                    "SOPs",
                    site.sops
                        .iter()
                        .filter(|s| s.published)
                        .map(|s| s.id.as_str()),
                ),
            )),
        }
    }

    /// `playbooks/<id>/`: a playbook, and an anchor on its page.
    fn playbook(&self, id: &str, fragment: Option<&str>) -> Result<(), Problem> {
        match self.site.playbook(id) {
            Some(_) => self.anchor(&format!("playbooks/{id}"), fragment, "playbook", id),
            None => Err(Problem::new(
                format!("there is no playbook `{id}`"),
                known(
                    "playbooks",
                    self.site.playbooks.iter().map(|p| p.id.as_str()),
                ),
            )),
        }
    }

    /// `pages/<rest>`: a free page and an anchor on it, or a static file
    /// under `pages/` (the whole path is `parts`).
    fn page(&self, rest: &[&str], parts: &[&str], fragment: Option<&str>) -> Result<(), Problem> {
        let path = rest.join("/");
        if self.pages.contains(path.as_str()) {
            self.anchor(&format!("pages/{path}"), fragment, "page", &path)
        } else if rest.last().is_some_and(|l| l.contains('.')) {
            // A file name, such as a static file under `pages/`.
            self.static_file(parts)
        } else {
            Err(Problem::new(
                format!("there is no page `{path}`"),
                known("pages", self.site.pages.iter().map(|p| p.path.as_str())),
            ))
        }
    }

    /// `customers/<slug>/` or its calendar: a customer of the site.
    fn customer(&self, slug: &str) -> Result<(), Problem> {
        if self.customers.contains(slug) {
            Ok(())
        } else {
            Err(Problem::new(
                format!("there is no customer `{slug}`"),
                known(
                    "customers",
                    self.site.customers.iter().map(|c| c.slug.as_str()),
                ),
            ))
        }
    }

    /// Checks `#fragment` against the anchors of a page whose anchors are known.
    pub(super) fn anchor(
        &self,
        page: &str,
        fragment: Option<&str>,
        kind: &str,
        name: &str,
    ) -> Result<(), Problem> {
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            return Ok(());
        };
        let Some(ids) = self.anchors.get(page) else {
            return Ok(());
        };
        let fragment = percent_decode(fragment);
        if ids.contains(&fragment) {
            return Ok(());
        }
        let what = match kind {
            "SOP" => format!("the SOP `{name}` has no step or heading `#{fragment}`"),
            "playbook" => format!("the playbook `{name}` has no phase or heading `#{fragment}`"),
            "page" => format!("the page `{name}` has no heading `#{fragment}`"),
            _ => format!("the {kind} has no anchor `#{fragment}`"),
        };
        Err(Problem::new(
            what,
            known("anchors", ids.iter().map(String::as_str)),
        ))
    }

    pub(super) fn static_file(&self, parts: &[&str]) -> Result<(), Problem> {
        let Some(root) = self.root else { return Ok(()) };
        let path = parts.join("/");
        let theme = &self.site.config.theme;
        let in_site = !path.is_empty() && root.join("static").join(&path).is_file();
        let in_theme = !path.is_empty()
            && root
                .join("themes")
                .join(theme)
                .join("static")
                .join(&path)
                .is_file();
        let in_default_theme = crate::default_theme::has_static(&path);
        if in_site || in_theme || in_default_theme {
            return Ok(());
        }
        Err(Problem::new(
            format!("there is no page or static file at `/{path}`"),
            "link to /sops/<id>/, /playbooks/<id>/, /pages/<path>/, /customers/<slug>/, /roles/, /glossary/, /reviews/, /print/, /tags/ or /search/, or put the file under static/",
        ))
    }
}

/// The ids the SOP page gives its headings: unique on the page, steps
/// first (see `markdown::PageIds`).
fn sop_anchors(sop: &SopEntry) -> BTreeSet<String> {
    let doc = &sop.loaded.doc;
    let mut page = PageIds::for_sop(doc, &sop.step_ids);
    let mut ids: BTreeSet<String> = sop.step_ids.iter().cloned().collect();
    for step in &doc.steps {
        let body = step.body.as_deref().unwrap_or("");
        ids.extend(markdown::heading_ids_on_page(body, &mut page));
    }
    let body = sop.loaded.markdown(doc.body.as_deref());
    ids.extend(markdown::heading_ids_on_page(body, &mut page));
    ids
}

/// The ids the playbook page gives: its phases, then the headings of their
/// summaries and of its body, unique on the page (see `markdown::PageIds`).
fn playbook_anchors(playbook: &PlaybookEntry) -> BTreeSet<String> {
    let doc = &playbook.loaded.doc;
    let phase_ids: Vec<String> = doc.phases.iter().map(crate::site::phase_id).collect();
    let mut page = PageIds::for_playbook(doc, &phase_ids);
    let mut ids: BTreeSet<String> = phase_ids.iter().cloned().collect();
    for summary in doc.phases.iter().filter_map(|p| p.summary.as_deref()) {
        ids.extend(markdown::heading_ids_on_page(summary, &mut page));
    }
    let body = playbook.loaded.markdown(doc.body.as_deref());
    ids.extend(markdown::heading_ids_on_page(body, &mut page));
    ids
}

/// The glossary's anchors: one per term the published SOPs define.
fn glossary_anchors(site: &Site) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    for sop in site.sops.iter().filter(|s| s.published) {
        for term in sop.loaded.doc.definitions.keys() {
            terms.insert(format!("term-{}", crate::model::slugify(term)));
        }
    }
    terms
}

/// The slugs of every tag of the built SOPs, playbooks and pages (their
/// pages are `/tags/<slug>/`).
fn tag_slugs(site: &Site) -> BTreeSet<String> {
    site.sops
        .iter()
        .filter(|s| s.published)
        .flat_map(|s| &s.loaded.doc.tags)
        .chain(site.playbooks.iter().flat_map(|p| &p.loaded.doc.tags))
        .chain(site.pages.iter().flat_map(|p| &p.loaded.doc.tags))
        .map(|tag| crate::model::tag_slug(tag))
        .collect()
}

/// `known SOPs: a, b, c`, or a note that there are none.
fn known<'n>(what: &str, names: impl Iterator<Item = &'n str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        format!("the site has no {what}")
    } else {
        format!("known {what}: {}", names.join(", "))
    }
}

/// Resolves `path` against the folder `base`; none when it climbs above the root.
fn normalize(base: &[String], path: &str) -> Option<Vec<String>> {
    let mut segments = base.to_vec();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            other => segments.push(other.to_string()),
        }
    }
    Some(segments)
}

/// Decodes `%20`-style escapes; text whose escapes do not decode to UTF-8
/// is kept as written.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_string(), |decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_page_folder() {
        let base: Vec<String> = vec!["sops".into(), "saas".into()];
        assert_eq!(
            normalize(&base, "../kickoff/"),
            Some(vec!["sops".to_string(), "kickoff".to_string()])
        );
        assert_eq!(
            normalize(&base, "../../pages/guide/"),
            Some(vec!["pages".to_string(), "guide".to_string()])
        );
        assert_eq!(normalize(&base, "../../../outside"), None);
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("a%20b.pdf"), "a b.pdf");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%e2%82"), "%e2%82");
    }
}
