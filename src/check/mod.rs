//! Validation and lints: named rules with levels a site can change.
//!
//! Hard errors (a file that does not parse, a reference that does not
//! resolve, a duplicate id) always stop the build. Lints are named rules in
//! the style of Clippy: each has a default level that `onboard.yaml` can
//! change under `lints:` (`allow`, `warn` or `deny`). Names that would not
//! make safe, distinct output folders are hard errors too ([`names`]), so
//! that `check` fails wherever `build` would.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::diagnostics::lints::Reporter;

pub mod links;
pub mod lints;
pub mod names;
pub mod split_items;

/// Runs every lint over a resolved site; links to static files are not
/// checked, because the site folder is not known (see [`run_at`]).
pub fn run(site: &crate::site::Site) -> Diagnostics {
    run_at(site, None)
}

/// Runs every lint over a resolved site read from `root`.
pub fn run_at(site: &crate::site::Site, root: Option<&Path>) -> Diagnostics {
    let mut report = Reporter::new(&site.config.lints);
    names::run(site, None, &mut report);
    lints::run(site, root, &mut report);
    brand_files(site, root, &mut report);
    report.diagnostics
}

/// [`run_at`], leaving out the lints and links of customers not in `only`
/// (everything else is checked): what `serve` runs after tracker edits,
/// keeping the other customers' findings from before.
pub fn run_scoped(
    site: &crate::site::Site,
    root: Option<&Path>,
    only: &std::collections::BTreeSet<String>,
) -> Diagnostics {
    let mut report = Reporter::new(&site.config.lints);
    names::run(site, Some(only), &mut report);
    lints::run_scoped(site, root, Some(only), &mut report);
    brand_files(site, root, &mut report);
    report.diagnostics
}

/// Reports a brand logo or favicon that is not a file under `static/`
/// (paths that could never be there are reported when the config is
/// resolved).
fn brand_files(site: &crate::site::Site, root: Option<&Path>, report: &mut Reporter<'_>) {
    let (Some(root), Some(file)) = (root, &site.config_file) else {
        return;
    };
    let brand = &site.config.brand;
    for (key, path) in [("logo", &brand.logo), ("favicon", &brand.favicon)] {
        let Some(path) = path else { continue };
        let written = path.value.trim();
        if crate::config::brand_path_problem(written).is_some() {
            continue;
        }
        if !root.join("static").join(written).is_file() {
            report.error(
                "missing-brand-file",
                &crate::diagnostics::Place::at(
                    file,
                    path.referenced.line() as usize,
                    path.referenced.column() as usize,
                ),
                format!("brand.{key}: there is no file static/{written}"),
                "put the file under static/, or correct the path (it is relative to static/)",
            );
        }
    }
}
