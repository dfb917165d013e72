//! What a rebuild renders: the own files of the customers whose trackers
//! changed, every file of the site, or, after tracker edits, the pages
//! that read every customer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::build::{BuildStats, Built};
use crate::diagnostics::{Diagnostics, display_path};
use crate::render::Output;
use crate::render::theme::Theme;
use crate::site::Site;

use super::rebuild::NewOutput;

/// The own files of the customers whose trackers changed since the last
/// good build (`slugs`: tracker → slug then), and the folders they replace.
pub(super) fn customer_update(
    theme: &Theme,
    site: &Site,
    slugs: &BTreeMap<String, String>,
    dirty: &BTreeSet<String>,
    diagnostics: Diagnostics,
) -> Result<NewOutput, Diagnostics> {
    let secret = crate::share::secret(site);
    let folders = |slug: &str| crate::share::customer_folders(slug, secret.as_deref());
    let mut stale = Vec::new();
    for file in dirty {
        if let Some(slug) = slugs.get(file) {
            stale.extend(folders(slug));
        }
    }
    let mut files = Output::default();
    let mut problems = Diagnostics::default();
    let shared = crate::render::customers::CustomerShared::new(site);
    for customer in site
        .customers
        .iter()
        .filter(|c| dirty.contains(&c.loaded.file.name))
    {
        stale.extend(folders(&customer.slug));
        problems.extend(
            crate::render::customers::customer_files(&shared, theme, customer, &mut files).0,
        );
    }
    if problems.has_errors() {
        let mut all = diagnostics;
        all.extend(problems.0);
        return Err(all);
    }
    stale.sort();
    stale.dedup();
    Ok(NewOutput::Customers {
        files,
        stale,
        diagnostics,
        stats: BuildStats::of(site, 0),
    })
}

/// Every file of `site`, with the warnings found before it rendered; a
/// rendering error is reported with them.
pub(super) fn whole_update(
    root: &Path,
    site: &Site,
    mut diagnostics: Diagnostics,
) -> Result<NewOutput, Diagnostics> {
    match crate::build::rebuild(root, site, None, Output::default()) {
        Ok(output) => {
            let steady = steady_files(root, site, &output);
            let built = Built {
                stats: BuildStats::of(site, output.len()),
                skipped_drafts: site.skipped_drafts(),
                output,
                diagnostics,
                site: None,
            };
            Ok(NewOutput::Whole { built, steady })
        }
        Err(more) => {
            diagnostics.extend(more.0);
            Err(diagnostics)
        }
    }
}

/// Every file of `site` but the customers' own: the library, the pages
/// that read every customer, exports, search index and static files. The
/// sitemap in it lists these files only; the server makes it again over
/// every file.
pub fn render_aggregates(root: &Path, site: &Site) -> Result<Output, Diagnostics> {
    crate::build::rebuild(root, site, Some(&BTreeSet::new()), Output::default())
}

/// The files of `output` that no tracker can change: the site's static
/// files, and the theme's where no page took their place.
fn steady_files(root: &Path, site: &Site, output: &Output) -> BTreeSet<String> {
    let mut steady = BTreeSet::new();
    if let Ok(theme) = crate::render::theme::load_for_site(root, &site.config) {
        for (path, bytes) in &theme.statics {
            if output.get(path) == Some(bytes.as_slice()) {
                steady.insert(path.clone());
            }
        }
    }
    let dir = root.join("static");
    for entry in ignore::WalkBuilder::new(&dir)
        .standard_filters(false)
        .hidden(true)
        .build()
        .flatten()
    {
        if entry.file_type().is_some_and(|t| t.is_file())
            && let Ok(relative) = entry.path().strip_prefix(&dir)
        {
            steady.insert(display_path(relative));
        }
    }
    steady
}
