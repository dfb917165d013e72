//! Validation and lints: named rules with levels a site can change.
//!
//! Hard errors (a file that does not parse, a reference that does not
//! resolve, a duplicate id) always stop the build. Lints are named rules in
//! the style of Clippy: each has a default level that `onboard.yaml` can
//! change under `lints:` (`allow`, `warn` or `deny`). Names that would not
//! make safe, distinct output folders are hard errors too ([`names`]), so
//! that `check` fails wherever `build` would.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::LintLevel;
use crate::diagnostics::{Diagnostic, Diagnostics, Place};
use crate::model::Spanned;

pub mod links;
pub mod lints;
pub mod names;

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

/// A lint: its stable name, default level and a one-line description.
#[derive(Clone, Copy, Debug)]
pub struct LintInfo {
    /// Stable name used in diagnostics and `lints:`.
    pub name: &'static str,
    /// Level when the site does not set one.
    pub default: LintLevel,
    /// What it catches.
    pub summary: &'static str,
}

/// Collects diagnostics, applying the site's lint levels.
pub struct Reporter<'a> {
    /// Everything reported so far.
    pub diagnostics: Diagnostics,
    levels: &'a BTreeMap<String, Spanned<LintLevel>>,
}

impl<'a> Reporter<'a> {
    /// A reporter honouring `levels` from `onboard.yaml`.
    pub fn new(levels: &'a BTreeMap<String, Spanned<LintLevel>>) -> Self {
        Reporter {
            diagnostics: Diagnostics::default(),
            levels,
        }
    }

    /// A hard error: the content cannot be built as written.
    pub fn error(
        &mut self,
        code: &str,
        at: &Place,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let help = help.into();
        let mut diagnostic = Diagnostic::error(code, at, message);
        if !help.is_empty() {
            diagnostic = diagnostic.with_help(help);
        }
        self.diagnostics.push(diagnostic);
    }

    /// Keeps an already built diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The level a lint runs at on this site.
    pub fn level(&self, lint: &str) -> LintLevel {
        if let Some(level) = self.levels.get(lint) {
            return level.value;
        }
        lints::ALL
            .iter()
            .find(|l| l.name == lint)
            .map(|l| l.default)
            .unwrap_or(LintLevel::Warn)
    }

    /// Reports a lint at its configured level (nothing when allowed).
    pub fn lint(
        &mut self,
        lint: &str,
        at: &Place,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let help = help.into();
        let mut diagnostic = match self.level(lint) {
            LintLevel::Allow => return,
            LintLevel::Warn => Diagnostic::warning(lint, at, message),
            LintLevel::Deny => Diagnostic::error(lint, at, message),
        };
        if !help.is_empty() {
            diagnostic = diagnostic.with_help(help);
        }
        self.diagnostics.push(diagnostic);
    }
}
