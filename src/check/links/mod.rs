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

use std::path::Path;

use rayon::prelude::*;

use super::lints::spans;
use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::markdown;
use crate::model::Spanned;
use crate::site::Site;

mod origin;
mod targets;

use origin::Origin;
use targets::Targets;

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

#[cfg(test)]
mod tests {
    use crate::markdown::has_scheme;

    #[test]
    fn schemes_are_external() {
        assert!(has_scheme("https://example.com"));
        assert!(has_scheme("mailto:a@b.example"));
        assert!(!has_scheme("/sops/kickoff/"));
        assert!(!has_scheme("../kickoff/#a:b"));
        assert!(!has_scheme("#step"));
    }
}
