//! Rendering: the validated site → every output file.
//!
//! Pages are rendered in parallel with rayon from one compiled Tera
//! instance into an [`Output`]: an ordered map of output paths to bytes, so
//! the same input always gives the same bytes. Nothing here opens a file; a
//! streaming output hands each file to a [`Sink`] as soon as it is rendered,
//! which is how `onboard build` keeps memory flat. The output stage's
//! staging folder is that sink: render defines the trait and output
//! implements it, so render never imports the stage after it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::kpi::Portfolio;
use crate::site::Site;

pub mod charts;
pub mod context;
pub mod customers;
pub mod dashboard;
pub mod exports;
pub mod library;
pub mod pages;
pub mod search;
pub mod theme;

/// Where a streaming [`Output`] hands each file as it is rendered.
pub trait Sink: Send + Sync + std::fmt::Debug {
    /// Writes one file (`path` relative to the output, with `/`).
    fn write(&self, path: &str, bytes: &[u8]);

    /// Writes one of many files with the same bytes, all written under the
    /// same `name` (a sink may store them once).
    fn write_copy(&self, name: &str, path: &str, bytes: &[u8]);
}

/// Every file of a built site: output path (with `/`) → bytes.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// The files, ordered by path.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The files of a streaming output, already handed to the staging
    /// folder: their paths only (see [`Output::streaming`]).
    pub streamed: BTreeSet<String>,
    staging: Option<Arc<dyn Sink>>,
}

impl PartialEq for Output {
    fn eq(&self, other: &Self) -> bool {
        self.files == other.files && self.streamed == other.streamed
    }
}

impl Eq for Output {}

impl Output {
    /// An output that writes every file into `staging` as it is inserted
    /// and keeps only its path.
    pub fn streaming(staging: Arc<dyn Sink>) -> Output {
        Output {
            staging: Some(staging),
            ..Output::default()
        }
    }

    /// An empty output that writes where this one writes: one part of a
    /// build, filled on a worker thread and [`Output::merge`]d after.
    pub fn part(&self) -> Output {
        Output {
            staging: self.staging.clone(),
            ..Output::default()
        }
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let path = path.into();
        let mut bytes = bytes.into();
        if let Some(staging) = &self.staging {
            staging.write(&path, &bytes);
            self.streamed.insert(path);
            return;
        }
        // A string built by pushing can hold up to twice its length, and
        // every file stays in memory until it is written.
        bytes.shrink_to_fit();
        self.files.insert(path, bytes);
    }

    /// Adds a file from borrowed bytes: a streaming output writes them
    /// without a copy.
    pub fn insert_slice(&mut self, path: &str, bytes: &[u8]) {
        match &self.staging {
            Some(staging) => {
                staging.write(path, bytes);
                self.streamed.insert(path.to_string());
            }
            None => self.insert(path, bytes.to_vec()),
        }
    }

    /// Adds one of many files with the same bytes, all inserted under the
    /// same `name`: a streaming output hands them to [`Sink::write_copy`].
    pub fn insert_copy(&mut self, name: &str, path: impl Into<String>, bytes: &[u8]) {
        let path = path.into();
        match &self.staging {
            Some(staging) => {
                staging.write_copy(name, &path, bytes);
                self.streamed.insert(path);
            }
            None => self.insert(path, bytes.to_vec()),
        }
    }

    /// Adds the files of a part.
    pub fn merge(&mut self, part: Output) {
        // One insert per file: `BTreeMap::append` rebuilds the whole map.
        self.files.extend(part.files);
        self.streamed.extend(part.streamed);
    }

    /// A file's bytes (none for a streamed file).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every output path, in order, kept or streamed.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        // Both are sorted: merged in step, without building a set of tens
        // of thousands of paths.
        let mut kept = self.files.keys().map(String::as_str).peekable();
        let mut streamed = self.streamed.iter().map(String::as_str).peekable();
        std::iter::from_fn(move || match (kept.peek(), streamed.peek()) {
            (Some(a), Some(b)) if a == b => {
                streamed.next();
                kept.next()
            }
            (Some(a), Some(b)) if b < a => streamed.next(),
            (Some(_), _) => kept.next(),
            (None, _) => streamed.next(),
        })
    }

    /// How many files, kept or streamed.
    pub fn len(&self) -> usize {
        self.streamed.len()
            + self
                .files
                .keys()
                .filter(|path| !self.streamed.contains(*path))
                .count()
    }

    /// No file at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.streamed.is_empty()
    }

    /// Total size in bytes of the kept files.
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// Renders `template` with `context` into `output` as the file at `path`.
///
/// Each thread renders into one buffer it keeps: rendering into a fresh
/// string would grow it step by step, and the freed steps fragment the heap
/// of a big build. A streaming output writes the page straight from the
/// buffer; one that keeps its files copies it out at its exact size.
pub fn render_into(
    theme: &theme::Theme,
    template: &str,
    path: &str,
    context: &tera::Context,
    output: &mut Output,
) -> Result<(), Diagnostic> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER
        .with_borrow_mut(|buffer| {
            buffer.clear();
            theme.tera.render_to(template, context, &mut *buffer)?;
            // A page of megabytes (the dashboard of a big portfolio) takes
            // the buffer with it rather than being copied: it is not worth
            // keeping for the pages after it.
            if buffer.capacity() > 1 << 20 {
                output.insert(path, std::mem::take(buffer));
            } else {
                output.insert_slice(path, buffer);
            }
            Ok(())
        })
        .map_err(|error: tera::Error| template_error(template, path, &error))
}

fn template_error(template: &str, path: &str, error: &tera::Error) -> Diagnostic {
    Diagnostic::file_error(
        "template",
        std::path::Path::new(&format!("templates/{template}")),
        format!("rendering {path} failed: {}", error_chain(error)),
    )
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// Renders page jobs in parallel into `output`.
///
/// Jobs may be produced lazily on the worker threads (see [`library_jobs`]):
/// each context is dropped as soon as its page is rendered, so memory holds
/// the rendered pages, never every context at once.
pub fn render_jobs(
    theme: &theme::Theme,
    jobs: impl IntoParallelIterator<Item = pages::PageJob>,
    output: &mut Output,
) -> Diagnostics {
    let results: Vec<Result<Output, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let mut page = output.part();
            render_into(theme, job.template, &job.path, &job.context, &mut page)?;
            Ok(page)
        })
        .collect();
    merge_parts(output, results)
}

/// Merges rendered parts into `output`, in order, and collects the errors.
fn merge_parts(output: &mut Output, parts: Vec<Result<Output, Diagnostic>>) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    for part in parts {
        match part {
            Ok(part) => output.merge(part),
            Err(d) => diagnostics.push(d),
        }
    }
    diagnostics
}

/// Renders the SOP library (home, SOPs, playbooks, roles, glossary, free
/// pages, search, 404) into `output`.
pub fn render_library(
    site: &Site,
    theme: &theme::Theme,
    portfolio: &Portfolio,
    kpis_by_sop: &BTreeMap<&str, Vec<customers::KpiRow>>,
    output: &mut Output,
) -> Diagnostics {
    let mut diagnostics = render_jobs(theme, library_jobs(site, portfolio, kpis_by_sop), output);
    diagnostics.extend(render_free_pages(site, theme, output).0);
    for (path, text) in library::files(site) {
        output.insert(path, text);
    }
    diagnostics
}

/// Renders every free page into `output`, each on the worker thread that
/// built its context.
pub fn render_free_pages(site: &Site, theme: &theme::Theme, output: &mut Output) -> Diagnostics {
    let shared = pages::SharedContext::new(site);
    // Small pieces, so that a core that finishes other work (the search
    // index is built beside the pages) can take over some of them: a piece
    // already begun is not shared, and the last would end the build alone.
    let results: Vec<Result<Output, Diagnostic>> = site
        .pages
        .par_iter()
        .with_max_len(16)
        .map(|page| {
            let (path, context) = pages::free_page(site, &shared, page);
            let mut part = output.part();
            render_into(theme, "page.html", &path, &context, &mut part)?;
            Ok(part)
        })
        .collect();
    merge_parts(output, results)
}

/// The page jobs of the SOP library but its free pages (home, SOPs,
/// playbooks, roles, glossary, search, 404), built on the worker threads
/// that render them: an SOP's Markdown is rendered in its job, so building
/// the jobs up front would leave all but one core idle.
pub fn library_jobs<'a>(
    site: &'a Site,
    portfolio: &'a Portfolio,
    kpis_by_sop: &'a BTreeMap<&str, Vec<customers::KpiRow>>,
) -> impl ParallelIterator<Item = pages::PageJob> + 'a {
    let fixed = vec![
        pages::home_page(site, portfolio),
        pages::roles_page(site),
        pages::glossary_page(site),
        pages::search_page(site),
        pages::not_found_page(site),
    ];
    let sops = site.sops.par_iter().filter(|s| s.published).map(|sop| {
        let kpis = kpis_by_sop
            .get(sop.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        pages::sop_page(site, sop, kpis)
    });
    let playbooks = site
        .playbooks
        .par_iter()
        .map(|p| pages::playbook_page(site, p));
    fixed
        .into_par_iter()
        .chain(library::jobs(site))
        .chain(sops)
        .chain(playbooks)
}

/// Whether a page belongs in the sitemap: the SOP library (home, SOPs,
/// playbooks, roles, glossary) and the free pages. Customer pages, share
/// sites, search and data are never listed: a sitemap is public, and
/// customer names are not.
fn in_sitemap(path: &str) -> bool {
    path == "index.html"
        || ["sops/", "playbooks/", "roles/", "glossary/", "pages/"]
            .iter()
            .any(|folder| path.starts_with(folder))
}

/// `sitemap.xml` over the library and free pages ([`in_sitemap`]), when
/// `base_url` is set.
pub fn sitemap(base_url: &str, output: &Output) -> Option<String> {
    let base = base_url.trim();
    if base.is_empty() {
        return None;
    }
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in output.paths() {
        if !path.ends_with("index.html") || !in_sitemap(path) {
            continue;
        }
        let url = format!(
            "{base}{}",
            crate::markdown::href(path.trim_end_matches("index.html"))
        );
        xml.push_str("  <url><loc>");
        xml.push_str(
            &url.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
        );
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_merge_kept_and_streamed_files_in_order_once_each() {
        let mut output = Output::default();
        for path in ["b.html", "d/index.html", "f.css"] {
            output.insert(path, "kept");
        }
        for path in ["a.html", "b.html", "c/x.ics", "g.js"] {
            output.streamed.insert(path.to_string());
        }
        let paths: Vec<&str> = output.paths().collect();
        assert_eq!(
            paths,
            [
                "a.html",
                "b.html",
                "c/x.ics",
                "d/index.html",
                "f.css",
                "g.js"
            ]
        );
        assert_eq!(output.len(), paths.len());
        assert!(Output::default().paths().next().is_none());
    }
}
