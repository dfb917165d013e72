//! The `broken-link` and `external-resource` lints: every internal link in
//! Markdown content resolves, and no text makes its page load anything
//! from outside the site.
//!
//! Links are found with pulldown-cmark (the parser that renders them), in
//! every Markdown text that becomes a page: SOP bodies, step bodies and
//! substeps, playbook bodies and phase summaries, free pages, tracker notes
//! and updates. A link is internal when it has no scheme: site-root links
//! (`/sops/kickoff/#confirm-readiness`), links relative to the page the text
//! is shown on (`../kickoff/`) and bare anchors (`#confirm-readiness`).
//! External links (`https:`, `mailto:`, ...) are not fetched.
//!
//! Anchors are checked where the page's anchors are known from content:
//! SOP pages (step ids and heading ids), playbook pages (phase ids and
//! heading ids), free pages (heading ids), the roles page (`#role-<id>`)
//! and the glossary (`#term-<term>`). Anchors on pages made only by
//! templates are left to the theme.
//!
//! Links are read as a browser reads them: percent-escapes are decoded
//! before a path is looked up, so `/pages/%C3%BCber/` reaches the page
//! written from `über.md`. Resources are images and the sources of raw
//! HTML that sanitising keeps (see [`markdown::external_resources`]).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::lints::spans;
use crate::diagnostics::lints::Reporter;
use crate::diagnostics::{Place, SourceFile};
use crate::load::Loaded;
use crate::markdown::{self, PageIds, has_scheme};
use crate::model::Spanned;
use crate::site::Site;

/// Checks every internal link of the site. `root` is the site folder, for
/// links to static files; without it, such links are not checked.
pub fn run(site: &Site, root: Option<&Path>, report: &mut Reporter<'_>) {
    run_scoped(site, root, None, report);
}

/// [`run`], checking the texts of the customers in `only` alone, when given.
pub fn run_scoped(
    site: &Site,
    root: Option<&Path>,
    only: Option<&std::collections::BTreeSet<String>>,
    report: &mut Reporter<'_>,
) {
    let targets = Targets::new(site, root);
    check_sops(&targets, site, report);
    check_playbooks(&targets, site, report);
    check_pages(&targets, site, report);
    check_customers(&targets, site, only, report);
}

/// The links of SOP bodies, step bodies and substeps.
fn check_sops(targets: &Targets<'_>, site: &Site, report: &mut Reporter<'_>) {
    for sop in &site.sops {
        let page = format!("sops/{}", sop.id);
        let doc = &sop.loaded.doc;
        let spans: spans::SopSpans = spans::parse(&sop.loaded);
        check_body(
            targets,
            &page,
            &sop.loaded,
            doc.body.as_ref(),
            spans.body.as_ref(),
            report,
        );
        for (index, step) in doc.steps.iter().enumerate() {
            let step_spans = spans.steps.get(index);
            let fallback = || Origin::field(&sop.loaded, &step.title);
            if let Some(body) = &step.body {
                let origin = step_spans
                    .and_then(|s| s.body.as_ref())
                    .map(|span| Origin::field(&sop.loaded, span))
                    .unwrap_or_else(fallback);
                check_text(targets, &page, body, &origin, report);
            }
            for (n, substep) in step.substeps.iter().enumerate() {
                let origin = step_spans
                    .and_then(|s| s.substeps.get(n))
                    .map(|span| Origin::field(&sop.loaded, span))
                    .unwrap_or_else(fallback);
                check_text(targets, &page, substep, &origin, report);
            }
        }
    }
}

/// The links of playbook bodies, phase summaries and `do:`/`dont:` items.
fn check_playbooks(targets: &Targets<'_>, site: &Site, report: &mut Reporter<'_>) {
    for playbook in &site.playbooks {
        let page = format!("playbooks/{}", playbook.id);
        let doc = &playbook.loaded.doc;
        let spans: spans::PlaybookSpans = spans::parse(&playbook.loaded);
        check_body(
            targets,
            &page,
            &playbook.loaded,
            doc.body.as_ref(),
            spans.body.as_ref(),
            report,
        );
        for (index, phase) in doc.phases.iter().enumerate() {
            let Some(summary) = &phase.summary else {
                continue;
            };
            let origin = spans
                .phases
                .get(index)
                .and_then(|p| p.summary.as_ref())
                .map(|span| Origin::field(&playbook.loaded, span))
                .unwrap_or_else(|| Origin::start(&playbook.loaded));
            check_text(targets, &page, summary, &origin, report);
        }
        // `do:` and `dont:` items are rendered as Markdown too.
        let items = [(&doc.r#do, &spans.dos), (&doc.dont, &spans.dont)];
        for (texts, positions) in items {
            for (index, text) in texts.iter().enumerate() {
                let origin = positions
                    .get(index)
                    .map(|span| Origin::field(&playbook.loaded, span))
                    .unwrap_or_else(|| Origin::start(&playbook.loaded));
                check_text(targets, &page, text, &origin, report);
            }
        }
    }
}

/// The links of free pages.
fn check_pages(targets: &Targets<'_>, site: &Site, report: &mut Reporter<'_>) {
    // Most texts have no broken link: they are checked on all cores first,
    // and only the ones with a problem are checked again to report it.
    let pages_with_problems: Vec<bool> = site
        .pages
        .par_iter()
        .map(|page| {
            let path = format!("pages/{}", page.path);
            page.outline
                .links
                .iter()
                .any(|(dest, _)| targets.check(&path, dest).is_err())
                || !markdown::external_resources(page.loaded.body()).is_empty()
        })
        .collect();
    for (page, _) in site
        .pages
        .iter()
        .zip(pages_with_problems)
        .filter(|(_, p)| *p)
    {
        let path = format!("pages/{}", page.path);
        check_links(
            targets,
            &path,
            page.loaded.body(),
            &page.outline.links,
            &Origin::body(&page.loaded),
            report,
        );
    }
}

/// The links of tracker notes and updates (with `only`, of those
/// customers alone).
fn check_customers(
    targets: &Targets<'_>,
    site: &Site,
    only: Option<&std::collections::BTreeSet<String>>,
    report: &mut Reporter<'_>,
) {
    let customers_with_problems: Vec<bool> = site
        .customers
        .par_iter()
        .map(|customer| {
            if only.is_some_and(|only| !only.contains(&customer.slug)) {
                return false;
            }
            let page = format!("customers/{}", customer.slug);
            let tracker = &customer.loaded.doc;
            tracker
                .notes
                .iter()
                .chain(tracker.updates.iter().map(|u| &u.text))
                .any(|text| {
                    has_problem(targets, &page, text)
                        || !markdown::external_resources(text).is_empty()
                })
        })
        .collect();
    let customers = site.customers.iter().zip(customers_with_problems);
    for (customer, _) in customers.filter(|(_, p)| *p) {
        let page = format!("customers/{}", customer.slug);
        let tracker = &customer.loaded.doc;
        // Read again from the YAML for the positions: only for the rare
        // tracker with a broken link.
        let spans: spans::TrackerSpans = spans::parse(&customer.loaded);
        let fallback = || Origin::start(&customer.loaded);
        if let Some(notes) = &tracker.notes {
            let origin = spans
                .notes
                .as_ref()
                .map(|span| Origin::field(&customer.loaded, span))
                .unwrap_or_else(fallback);
            check_text(targets, &page, notes, &origin, report);
        }
        for (index, update) in tracker.updates.iter().enumerate() {
            let origin = spans
                .updates
                .get(index)
                .and_then(|u| u.text.as_ref())
                .map(|span| Origin::field(&customer.loaded, span))
                .unwrap_or_else(fallback);
            check_text(targets, &page, &update.text, &origin, report);
        }
    }
}

/// Checks the Markdown a document is written in (see [`Loaded::markdown`]):
/// its body after the front matter, or its `body:` key with that key's span.
fn check_body<T>(
    targets: &Targets<'_>,
    page: &str,
    loaded: &Loaded<T>,
    yaml_body: Option<&String>,
    span: Option<&Spanned<String>>,
    report: &mut Reporter<'_>,
) {
    if !loaded.body().trim().is_empty() {
        check_text(targets, page, loaded.body(), &Origin::body(loaded), report);
    } else if let (Some(body), Some(span)) = (yaml_body, span) {
        check_text(targets, page, body, &Origin::field(loaded, span), report);
    }
}

/// Whether one Markdown text shown on the page at `page` has a link that
/// does not resolve.
fn has_problem(targets: &Targets<'_>, page: &str, text: &str) -> bool {
    // Texts without a link (most tracker updates) need no parsing.
    if !text.contains('[') {
        return false;
    }
    internal_links(text)
        .iter()
        .any(|(dest, _)| targets.check(page, dest).is_err())
}

/// The links of a Markdown text that may be internal, with their offsets.
fn internal_links(text: &str) -> Vec<(String, usize)> {
    markdown::outline(text).links
}

/// Checks the links of one Markdown text shown on the page at `page`
/// (a site path without slashes at either end, such as `sops/kickoff`).
fn check_text(
    targets: &Targets<'_>,
    page: &str,
    text: &str,
    origin: &Origin,
    report: &mut Reporter<'_>,
) {
    check_links(targets, page, text, &internal_links(text), origin, report);
}

/// Checks links already found in `text` (see [`internal_links`]), and
/// the resources the text loads.
fn check_links(
    targets: &Targets<'_>,
    page: &str,
    text: &str,
    links: &[(String, usize)],
    origin: &Origin,
    report: &mut Reporter<'_>,
) {
    for (url, start) in markdown::external_resources(text) {
        report.lint(
            "external-resource",
            &origin.place(text, start),
            format!(
                "the page loads `{url}` from outside the site, so it needs that host to show it: it breaks offline and on an intranet"
            ),
            "copy the file under static/ and refer to it from the site root, such as `![logo](/images/logo.png)`; to link to it instead, drop the `!`",
        );
    }
    for (dest, start) in links {
        let start = *start;
        if let Err(problem) = targets.check(page, dest) {
            report.lint(
                "broken-link",
                &origin.place(text, start),
                format!(
                    "the link `{}` does not resolve: {}",
                    dest.trim(),
                    problem.message
                ),
                problem.help,
            );
        }
    }
}

/// Why a link does not resolve.
struct Problem {
    message: String,
    help: String,
}

impl Problem {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// Everything a link may point at.
struct Targets<'a> {
    site: &'a Site,
    root: Option<&'a Path>,
    /// Anchors of the pages whose anchors content defines, by site path.
    anchors: HashMap<String, BTreeSet<String>>,
    /// Free page paths and customer slugs, looked up once per link.
    pages: HashSet<&'a str>,
    customers: HashSet<&'a str>,
}

impl<'a> Targets<'a> {
    fn new(site: &'a Site, root: Option<&'a Path>) -> Self {
        let mut anchors: HashMap<String, BTreeSet<String>> = HashMap::new();
        for sop in &site.sops {
            let doc = &sop.loaded.doc;
            // The ids the SOP page gives its headings: unique on the page,
            // steps first (see `markdown::PageIds`).
            let mut page = PageIds::for_sop(doc, &sop.step_ids);
            let mut ids: BTreeSet<String> = sop.step_ids.iter().cloned().collect();
            for step in &doc.steps {
                let body = step.body.as_deref().unwrap_or("");
                ids.extend(markdown::heading_ids_on_page(body, &mut page));
            }
            let body = sop.loaded.markdown(doc.body.as_deref());
            ids.extend(markdown::heading_ids_on_page(body, &mut page));
            anchors.insert(format!("sops/{}", sop.id), ids);
        }
        for playbook in &site.playbooks {
            let doc = &playbook.loaded.doc;
            let mut ids: BTreeSet<String> = doc
                .phases
                .iter()
                .map(|p| {
                    p.id.clone()
                        .unwrap_or_else(|| crate::model::slugify(&p.name))
                })
                .collect();
            ids.extend(heading_ids(playbook.loaded.markdown(doc.body.as_deref())));
            anchors.insert(format!("playbooks/{}", playbook.id), ids);
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
        let mut terms = BTreeSet::new();
        for sop in site.sops.iter().filter(|s| s.published) {
            for term in sop.loaded.doc.definitions.keys() {
                terms.insert(format!("term-{}", crate::model::slugify(term)));
            }
        }
        anchors.insert("glossary".into(), terms);
        Targets {
            site,
            root,
            anchors,
            pages: site.pages.iter().map(|p| p.path.as_str()).collect(),
            customers: site.customers.iter().map(|c| c.slug.as_str()).collect(),
        }
    }

    /// Whether `url`, written on the page at `page`, resolves.
    fn check(&self, page: &str, url: &str) -> Result<(), Problem> {
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

    fn resolve(&self, segments: &[String], fragment: Option<&str>) -> Result<(), Problem> {
        let mut parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        if parts.last() == Some(&"index.html") {
            parts.pop();
        }
        let site = self.site;
        match parts.as_slice() {
            [] | ["search"] | ["customers"] | ["404.html"] => Ok(()),
            ["reviews"] | ["reviews", "reviews.ics"] | ["print"] | ["tags"] => Ok(()),
            ["tags", slug] => {
                let tags = tag_slugs(site);
                if tags.contains(*slug) {
                    Ok(())
                } else {
                    Err(Problem::new(
                        format!("there is no tag `{slug}`"),
                        known("tags", tags.iter().map(String::as_str)),
                    ))
                }
            }
            [
                "data",
                "customers.json" | "customers.csv" | "kpis.json" | "kpis.csv",
            ] => Ok(()),
            // Share folders may be named by a secret token; not checked.
            ["share", ..] => Ok(()),
            ["sops", id] => match site.sop(id) {
                Some(sop) if sop.published => {
                    self.anchor(&format!("sops/{id}"), fragment, "SOP", id)
                }
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
            },
            ["playbooks", id] => match site.playbook(id) {
                Some(_) => self.anchor(&format!("playbooks/{id}"), fragment, "playbook", id),
                None => Err(Problem::new(
                    format!("there is no playbook `{id}`"),
                    known("playbooks", site.playbooks.iter().map(|p| p.id.as_str())),
                )),
            },
            ["pages", rest @ ..] if !rest.is_empty() => {
                let path = rest.join("/");
                if self.pages.contains(path.as_str()) {
                    self.anchor(&format!("pages/{path}"), fragment, "page", &path)
                } else if rest.last().is_some_and(|l| l.contains('.')) {
                    // A file name, such as a static file under `pages/`.
                    self.static_file(&parts)
                } else {
                    Err(Problem::new(
                        format!("there is no page `{path}`"),
                        known("pages", site.pages.iter().map(|p| p.path.as_str())),
                    ))
                }
            }
            ["roles"] => self.anchor("roles", fragment, "roles page", "roles"),
            ["glossary"] => self.anchor("glossary", fragment, "glossary", "glossary"),
            ["customers", slug] | ["customers", slug, "milestones.ics"] => {
                if self.customers.contains(slug) {
                    Ok(())
                } else {
                    Err(Problem::new(
                        format!("there is no customer `{slug}`"),
                        known("customers", site.customers.iter().map(|c| c.slug.as_str())),
                    ))
                }
            }
            _ => self.static_file(&parts),
        }
    }

    /// Checks `#fragment` against the anchors of a page whose anchors are known.
    fn anchor(
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

    fn static_file(&self, parts: &[&str]) -> Result<(), Problem> {
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

/// The heading ids the renderer gives a Markdown text.
fn heading_ids(text: &str) -> impl Iterator<Item = String> {
    markdown::heading_ids(text).into_iter()
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

/// Where a Markdown text stands in its file, to turn offsets into places.
struct Origin {
    file: Arc<SourceFile>,
    line: usize,
    column: usize,
    layout: Layout,
}

/// How the lines of a text map onto the lines of its file.
enum Layout {
    /// Line by line, every line starting at `column` (a Markdown body, a
    /// YAML literal block).
    Lines,
    /// On one line, starting at `column` (a plain one-line YAML scalar).
    OneLine,
    /// Only the start is known (folded scalars, quoted ones with escapes).
    Start,
}

impl Origin {
    /// The Markdown body of a file.
    fn body<T>(loaded: &Loaded<T>) -> Origin {
        Origin {
            file: loaded.file.clone(),
            line: loaded.body_line,
            column: 1,
            layout: Layout::Lines,
        }
    }

    /// The start of a document's YAML, when nothing closer is known.
    fn start<T>(loaded: &Loaded<T>) -> Origin {
        let place = loaded.place_at(0, 1);
        Origin {
            file: loaded.file.clone(),
            line: place.line,
            column: place.column,
            layout: Layout::Start,
        }
    }

    /// A YAML string field; the layout is read from the file around it.
    fn field<T>(loaded: &Loaded<T>, span: &Spanned<String>) -> Origin {
        let place = loaded.place_of(span);
        let value = &span.value;
        let source = loaded.file.line_text(place.line).unwrap_or("");
        let from_column: String = source
            .chars()
            .skip(place.column.saturating_sub(1))
            .collect();
        let first_line = value.lines().next().unwrap_or("");
        let after_literal_indicator = place.line > 1
            && loaded
                .file
                .line_text(place.line - 1)
                .is_some_and(|previous| {
                    let previous = previous.split(" #").next().unwrap_or("").trim_end();
                    previous.ends_with('|') || previous.ends_with("|-") || previous.ends_with("|+")
                });
        let one_line = !value.contains('\n');
        // A quoted scalar without escapes reads the same one column on.
        let quoted = one_line
            && from_column
                .strip_prefix(['"', '\''])
                .is_some_and(|rest| rest.starts_with(value.as_str()));
        let (column, layout) = if after_literal_indicator && from_column.starts_with(first_line) {
            (place.column, Layout::Lines)
        } else if one_line && from_column.starts_with(value.as_str()) {
            (place.column, Layout::OneLine)
        } else if quoted {
            (place.column + 1, Layout::OneLine)
        } else {
            (place.column, Layout::Start)
        };
        Origin {
            file: loaded.file.clone(),
            line: place.line,
            column,
            layout,
        }
    }

    /// The place of the byte `offset` of `text`.
    fn place(&self, text: &str, offset: usize) -> Place {
        let before = text.get(..offset).unwrap_or(text);
        let line_index = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count();
        match self.layout {
            Layout::Lines => Place::at(&self.file, self.line + line_index, self.column + column),
            Layout::OneLine => Place::at(&self.file, self.line, self.column + column),
            Layout::Start => Place::at(&self.file, self.line, self.column),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_external() {
        assert!(has_scheme("https://example.com"));
        assert!(has_scheme("mailto:a@b.example"));
        assert!(!has_scheme("/sops/kickoff/"));
        assert!(!has_scheme("../kickoff/#a:b"));
        assert!(!has_scheme("#step"));
    }

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

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let file = SourceFile::new("x.md", "---\nkind: sop\n---\nintro\n\nsee [k](/sops/k/)\n");
        let origin = Origin {
            file,
            line: 4,
            column: 1,
            layout: Layout::Lines,
        };
        let text = "intro\n\nsee [k](/sops/k/)\n";
        let place = origin.place(text, text.find('[').unwrap_or(0));
        assert_eq!((place.line, place.column), (6, 5));
    }
}
