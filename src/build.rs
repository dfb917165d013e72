//! The pipeline: load → resolve → check → compute → render, in memory.
//!
//! Three entry points: [`check`] runs every check and writes nothing,
//! [`build`] builds the whole site into an [`Output`] (a streaming staging
//! folder for `onboard build`, memory for `serve`), and [`rebuild`]
//! renders an already checked site again, for some customers or all
//! (`serve` keeps its loaded site between builds). Writing the output
//! folder is left to [`crate::output`].

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, IoError};
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
    /// The files of the drafts left out (see [`Site::skipped_drafts`]),
    /// so that the summary can name them and say how to include them.
    pub skipped_drafts: Vec<String>,
    /// The site the output was rendered from, when [`build`] loaded it
    /// (serve's rebuilds keep theirs). `onboard build` exits right after
    /// and forgets it rather than free every document one by one: freeing
    /// 10,000 pages on another thread while the output is swapped in made
    /// the whole build 4% slower on two cores (0.77 s against 0.80 s).
    pub site: Option<Box<Site>>,
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

impl BuildStats {
    /// The counts of `site`, built into `files` files.
    pub fn of(site: &Site, files: usize) -> BuildStats {
        BuildStats {
            sops: site.sops.iter().filter(|s| s.published).count(),
            playbooks: site.playbooks.len(),
            customers: site.customers.len(),
            pages: site.pages.len(),
            files,
        }
    }
}

/// Runs every check and writes nothing.
///
/// The theme's templates are compiled too, as `build` does before it
/// renders, so that a theme `build` would refuse fails `check` first. A
/// theme the loader refused already is not reported twice.
pub fn check(root: &Path, options: BuildOptions) -> Result<Diagnostics, IoError> {
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

/// Builds the whole site into `output`: in memory, or straight to disk for
/// a streaming output ([`Output::streaming`]).
pub fn build(root: &Path, options: BuildOptions, output: Output) -> Result<Built, BuildFailure> {
    let (site, mut diagnostics) = load_and_check(root, options).map_err(BuildFailure::Io)?;
    if diagnostics.has_errors() {
        free_later(site);
        return Err(BuildFailure::Content(diagnostics));
    }
    match render_site(root, &site, None, output) {
        Ok(output) => Ok(Built {
            stats: BuildStats::of(&site, output.len()),
            skipped_drafts: site.skipped_drafts(),
            output,
            diagnostics,
            site: Some(Box::new(site)),
        }),
        Err(more) => {
            free_later(site);
            diagnostics.extend(more.0);
            Err(BuildFailure::Content(diagnostics))
        }
    }
}

/// Renders a site that [`check`]'s stages found free of errors into
/// `output` (see [`build`]): every file, or with `only`, the files of those customers and every file
/// that is not one customer's own (library, dashboard, exports, search
/// index, static files). A customer's own files depend only on its tracker,
/// the playbooks, the config and as-of, so `serve` keeps the others from
/// its previous build.
pub fn rebuild(
    root: &Path,
    site: &Site,
    only: Option<&BTreeSet<String>>,
    output: Output,
) -> Result<Output, Diagnostics> {
    render_site(root, site, only, output)
}

/// Loads, resolves and checks the site; returns it with every diagnostic.
fn load_and_check(root: &Path, options: BuildOptions) -> Result<(Site, Diagnostics), IoError> {
    let (content, mut diagnostics) = crate::load::load_site(root)?;
    let (site, more) = site::resolve(content, options);
    diagnostics.extend(more.0);
    diagnostics.extend(crate::check::run_at(&site, Some(root)).0);
    diagnostics.sort();
    Ok((site, diagnostics))
}

/// Frees `value` on a thread of its own: tens of thousands of trackers take
/// a while to free one by one. `onboard build` exits right after (the
/// operating system reclaims what the thread has not freed yet); `serve`
/// answers the browser meanwhile.
pub fn free_later<T: Send + 'static>(value: T) {
    // If no thread can start, the closure and the value are freed here.
    let _ = std::thread::Builder::new()
        .name("onboard-free".into())
        .spawn(move || drop(value));
}

/// Renders a validated site into `output`: pages, data exports, static
/// files; with `only`, of the customers only those.
fn render_site(
    root: &Path,
    site: &Site,
    only: Option<&BTreeSet<String>>,
    mut output: Output,
) -> Result<Output, Diagnostics> {
    let theme = render::theme::load_for_site(root, &site.config).map_err(Diagnostics)?;
    for (path, bytes) in &theme.statics {
        output.insert(path.clone(), bytes.clone());
    }
    let kpis = crate::kpi::compute_kpis(site);
    let portfolio = crate::kpi::portfolio(site, &kpis);
    let kpis_by_sop = render::customers::kpis_by_sop(site, &kpis);
    // The site search index (under search/, internal pages only) reads
    // nothing but the site: it is built and written while the pages
    // render, so that its serial parts keep the other core busy rather
    // than run alone after them.
    let mut search = output.part();
    let (diagnostics, ()) = rayon::join(
        || {
            let mut diagnostics =
                render::render_library(site, &theme, &portfolio, &kpis_by_sop, &mut output);
            diagnostics.extend(
                render::customers::render_customers(
                    site,
                    &theme,
                    &kpis,
                    &portfolio,
                    &mut output,
                    only,
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
