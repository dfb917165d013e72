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
    report.diagnostics
}
