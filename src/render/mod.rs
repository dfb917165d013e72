//! Rendering: the validated site → every output file, in memory.
//!
//! Nothing here writes to disk; [`crate::output`] does. Pages are rendered
//! in parallel with rayon from one compiled Tera instance, and the result is
//! an ordered map of output paths to bytes, so the same input always gives
//! the same bytes.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Site;

pub mod charts;
pub mod customers;
pub mod exports;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod theme;

/// Every file of a built site: output path (with `/`) → bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// The files, ordered by path.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// A file's bytes.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Total size in bytes.
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// Renders one page job with the theme.
pub fn render_job(theme: &theme::Theme, job: &pages::PageJob) -> Result<String, Diagnostic> {
    let context = tera::Context::from_serialize(&job.context).map_err(|error| {
        Diagnostic::file_error(
            "template",
            std::path::Path::new(job.template),
            error.to_string(),
        )
    })?;
    theme.tera.render(job.template, &context).map_err(|error| {
        Diagnostic::file_error(
            "template",
            std::path::Path::new(&format!("templates/{}", job.template)),
            format!("rendering {} failed: {}", job.path, error_chain(&error)),
        )
    })
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

/// Renders every internal page job in parallel into `output`.
pub fn render_jobs(
    theme: &theme::Theme,
    jobs: Vec<pages::PageJob>,
    output: &mut Output,
) -> Diagnostics {
    let results: Vec<(String, Result<String, Diagnostic>)> = jobs
        .par_iter()
        .map(|job| (job.path.clone(), render_job(theme, job)))
        .collect();
    let mut diagnostics = Diagnostics::default();
    for (path, result) in results {
        match result {
            Ok(html) => output.insert(path, html),
            Err(d) => diagnostics.push(d),
        }
    }
    diagnostics
}

/// The page jobs of the SOP library (home, SOPs, playbooks, roles,
/// glossary, pages, search, 404).
pub fn library_jobs(
    site: &Site,
    portfolio: &Value,
    kpis_by_sop: &BTreeMap<String, Value>,
) -> Vec<pages::PageJob> {
    let mut jobs = vec![
        pages::home_page(site, portfolio),
        pages::roles_page(site),
        pages::glossary_page(site),
        pages::search_page(site),
        pages::not_found_page(site),
    ];
    jobs.extend(site.sops.iter().filter(|s| s.published).map(|sop| {
        let kpis = kpis_by_sop
            .get(&sop.id)
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        pages::sop_page(site, sop, &kpis)
    }));
    jobs.extend(site.playbooks.iter().map(|p| pages::playbook_page(site, p)));
    jobs.extend(site.pages.iter().map(|p| pages::free_page(site, p)));
    jobs
}

/// `sitemap.xml` over the internal pages, when `base_url` is set. Share
/// folders are left out: their names may be secret tokens.
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
    for path in output.files.keys() {
        if !path.ends_with("index.html") || path.starts_with("share/") {
            continue;
        }
        let url = format!("{base}{}", path.trim_end_matches("index.html"));
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
