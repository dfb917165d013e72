//! The pipeline: load → resolve → check → compute → render, in memory.
//!
//! `build`, `check` and `serve` all go through [`build_site`] or
//! [`check_site`]; writing the result is left to [`crate::output`].

use std::path::Path;

use serde_json::json;

use crate::diagnostics::{Diagnostic, Diagnostics, IoError};
use crate::load::Content;
use crate::render::{self, Output};
use crate::site::{self, BuildOptions, Site};

/// Why a build produced nothing.
#[derive(Debug)]
pub enum BuildFailure {
    /// The site could not be read at all (exit code 2).
    Io(IoError),
    /// The content has errors (exit code 1); warnings are included.
    Content(Diagnostics),
}

/// A successful build.
#[derive(Debug)]
pub struct Built {
    /// Every output file.
    pub output: Output,
    /// Warnings found on the way.
    pub diagnostics: Diagnostics,
    /// Counts for the summary line.
    pub stats: BuildStats,
}

/// What a build produced, for the summary line.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildStats {
    /// SOPs built.
    pub sops: usize,
    /// Playbooks built.
    pub playbooks: usize,
    /// Customers.
    pub customers: usize,
    /// Free pages.
    pub pages: usize,
    /// Files in the output.
    pub files: usize,
}

/// Loads, resolves and checks the site; returns it with every diagnostic.
pub fn load_and_check(root: &Path, options: BuildOptions) -> Result<(Site, Diagnostics), IoError> {
    let (content, diagnostics) = crate::load::load_site(root)?;
    Ok(resolve_and_check(root, content, diagnostics, options))
}

/// Resolves and checks content that is already loaded (`serve` keeps
/// loaded files between rebuilds), adding to the loader's diagnostics.
pub fn resolve_and_check(
    root: &Path,
    content: Content,
    mut diagnostics: Diagnostics,
    options: BuildOptions,
) -> (Site, Diagnostics) {
    let (site, more) = site::resolve(content, options);
    diagnostics.extend(more.0);
    diagnostics.extend(crate::check::run_at(&site, Some(root)).0);
    diagnostics.sort();
    (site, diagnostics)
}

/// Runs every check and writes nothing.
///
/// The theme's templates are compiled too, as `build` does before it
/// renders, so that a theme `build` would refuse fails `check` first. A
/// theme the loader refused already is not reported twice.
pub fn check_site(root: &Path, options: BuildOptions) -> Result<Diagnostics, IoError> {
    let (site, mut diagnostics) = load_and_check(root, options)?;
    let theme = &site.config.theme;
    if crate::load::theme_folder(root, theme).is_ok()
        && let Err(errors) = render::theme::load(root, theme)
    {
        diagnostics.extend(errors);
        diagnostics.sort();
    }
    Ok(diagnostics)
}

/// Builds the whole site in memory.
pub fn build_site(root: &Path, options: BuildOptions) -> Result<Built, BuildFailure> {
    build_site_to(root, options, Output::default())
}

/// Builds the whole site into `output`: in memory, or straight to disk for
/// a streaming output ([`Output::streaming`]).
pub fn build_site_to(
    root: &Path,
    options: BuildOptions,
    output: Output,
) -> Result<Built, BuildFailure> {
    build_site_then(root, options, output, drop)
}

/// [`build_site_to`], handing the loaded site to `done` once it is built
/// (or failed): a command that exits right after may `std::mem::forget`
/// it rather than free tens of thousands of trackers one by one.
pub fn build_site_then(
    root: &Path,
    options: BuildOptions,
    output: Output,
    done: impl FnOnce(Site),
) -> Result<Built, BuildFailure> {
    let (site, diagnostics) = load_and_check(root, options).map_err(BuildFailure::Io)?;
    let built = finish_into(root, &site, diagnostics, None, output).map_err(BuildFailure::Content);
    done(site);
    built
}

/// Renders a checked site, unless its diagnostics hold an error.
pub fn finish(root: &Path, site: &Site, diagnostics: Diagnostics) -> Result<Built, Diagnostics> {
    finish_reusing(root, site, diagnostics, None)
}

/// Files of a previous build that a new one may keep: the previous output
/// and the customers whose trackers changed since.
pub struct Reuse<'a> {
    /// The last good output.
    pub previous: &'a Output,
    /// Slugs of the customers to render again.
    pub changed: &'a std::collections::BTreeSet<String>,
}

/// [`finish`], rendering only what `reuse` says changed, when given.
pub fn finish_reusing(
    root: &Path,
    site: &Site,
    diagnostics: Diagnostics,
    reuse: Option<Reuse<'_>>,
) -> Result<Built, Diagnostics> {
    finish_into(root, site, diagnostics, reuse, Output::default())
}

fn finish_into(
    root: &Path,
    site: &Site,
    mut diagnostics: Diagnostics,
    reuse: Option<Reuse<'_>>,
    output: Output,
) -> Result<Built, Diagnostics> {
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    match render_site_into(root, site, reuse, output) {
        Ok(output) => {
            let stats = BuildStats {
                sops: site.sops.iter().filter(|s| s.published).count(),
                playbooks: site.playbooks.len(),
                customers: site.customers.len(),
                pages: site.pages.len(),
                files: output.len(),
            };
            Ok(Built {
                output,
                diagnostics,
                stats,
            })
        }
        Err(more) => {
            diagnostics.extend(more.0);
            Err(diagnostics)
        }
    }
}

/// Renders a validated site in memory: pages, data exports, static files.
pub fn render_site(root: &Path, site: &Site) -> Result<Output, Diagnostics> {
    render_site_reusing(root, site, None)
}

/// [`render_site`], keeping from `reuse.previous` the files of every
/// customer not in `reuse.changed`. A customer's own files depend only on
/// its tracker, the playbooks, the config and as-of; everything shared
/// (dashboard, library pages, exports, search index) is rendered again.
pub fn render_site_reusing(
    root: &Path,
    site: &Site,
    reuse: Option<Reuse<'_>>,
) -> Result<Output, Diagnostics> {
    render_site_into(root, site, reuse, Output::default())
}

/// [`render_site_reusing`] into `output`: in memory, or straight to disk
/// for a streaming output (see [`build_site_to`]; `serve` reuses files of
/// in-memory builds only).
pub fn render_site_into(
    root: &Path,
    site: &Site,
    reuse: Option<Reuse<'_>>,
    mut output: Output,
) -> Result<Output, Diagnostics> {
    let theme = render::theme::load(root, &site.config.theme).map_err(Diagnostics)?;
    if let Some(reuse) = &reuse {
        let secret = crate::share::secret(site);
        let stale: Vec<String> = reuse
            .changed
            .iter()
            .flat_map(|slug| crate::share::customer_folders(slug, secret.as_deref()))
            .chain(["search/".to_string()])
            .collect();
        output.files = reuse
            .previous
            .files
            .iter()
            .filter(|(path, _)| !stale.iter().any(|prefix| path.starts_with(prefix.as_str())))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect();
    }
    for (path, bytes) in &theme.statics {
        output.insert(path.clone(), bytes.clone());
    }
    let kpis = crate::kpi::compute_kpis(site);
    let portfolio = crate::kpi::portfolio(site, &kpis);
    let kpis_by_sop = render::customers::kpis_by_sop(site, &kpis);
    let portfolio_value = json!(portfolio);
    // The site search index (under search/, internal pages only) reads
    // nothing but the site: it is built and written while the pages
    // render, so that its serial parts keep the other core busy rather
    // than run alone after them.
    let mut search = output.part();
    let (diagnostics, ()) = rayon::join(
        || {
            let mut diagnostics =
                render::render_library(site, &theme, &portfolio_value, &kpis_by_sop, &mut output);
            diagnostics.extend(
                render::customers::render_customers(
                    site,
                    &theme,
                    &kpis,
                    &portfolio,
                    &mut output,
                    reuse.as_ref().map(|r| r.changed),
                )
                .0,
            );
            diagnostics
        },
        || render::search::insert_index(site, &mut search),
    );
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    output.merge(search);
    if let Some(xml) = render::sitemap(&site.config.base_url, &output) {
        output.insert("sitemap.xml", xml);
    }
    copy_site_static(root, &mut output).map_err(|d| Diagnostics(vec![d]))?;
    Ok(output)
}

/// Copies the site's `static/` folder to the output root as-is, one file
/// at a time (a streaming output writes each at once).
fn copy_site_static(root: &Path, output: &mut Output) -> Result<(), Diagnostic> {
    let dir = root.join("static");
    let cannot_read = |error: IoError| {
        Diagnostic::file_error("io", &error.path, format!("cannot read: {}", error.error))
    };
    for path in crate::load::find_all_files(root, &dir)
        .map_err(cannot_read)?
        .files
    {
        let bytes = std::fs::read(&path).map_err(|error| {
            cannot_read(IoError {
                path: path.clone(),
                error,
            })
        })?;
        output.insert(
            crate::diagnostics::display_path(path.strip_prefix(&dir).unwrap_or(&path)),
            bytes,
        );
    }
    Ok(())
}
