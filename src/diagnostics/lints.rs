//! The lint registry and the [`Reporter`] that applies a site's lint levels.
//!
//! Every stage that finds content problems reports through a [`Reporter`]:
//! resolve for hard errors, `check` for lints. The registry lives here, below
//! both, so that resolve can name lints without importing `check`.

use std::collections::BTreeMap;

use super::{Diagnostic, Diagnostics, Place};
use crate::config::LintLevel;
use crate::config::LintLevel::{Allow, Deny, Warn};
use crate::model::Spanned;

/// Every lint onboard knows, in the order `docs/lints.md` documents them.
#[rustfmt::skip]
pub const ALL: &[LintInfo] = &[
    // Roles.
    LintInfo { name: "step-without-owner", default: Warn, summary: "an SOP step has no owner role" },
    LintInfo { name: "escalation-loop", default: Warn, summary: "a chain of `escalates_to` roles comes back to where it started" },
    // SOPs.
    LintInfo { name: "review-overdue", default: Warn, summary: "an SOP's last review plus its review cycle is before as-of" },
    LintInfo { name: "kpi-unknown-mark", default: Deny, summary: "a KPI interval measure names a mark that no milestone sets" },
    LintInfo { name: "approved-without-approvals", default: Warn, summary: "an approved SOP has no signed approval (a name and a date)" },
    LintInfo { name: "checklist-without-owner", default: Warn, summary: "an SOP step has a checklist but nobody owns it" },
    LintInfo { name: "no-review-cycle", default: Allow, summary: "an approved SOP has no review_cycle or no last_reviewed date" },
    // Playbooks.
    LintInfo { name: "milestone-count", default: Warn, summary: "a playbook plan has fewer than 3 or more than 5 milestones" },
    LintInfo { name: "first-value-without-criteria", default: Warn, summary: "a playbook's first-value milestone has no criteria" },
    LintInfo { name: "agenda-duration-mismatch", default: Warn, summary: "the agenda topics do not add up to the meeting's duration" },
    LintInfo { name: "phase-days", default: Warn, summary: "a phase's day range runs backwards, is malformed or overlaps the previous phase" },
    LintInfo { name: "retired-sop-reference", default: Warn, summary: "a playbook phase refers to a retired SOP" },
    // Trackers.
    LintInfo { name: "single-champion", default: Warn, summary: "a customer has fewer than two customer-side stakeholders" },
    LintInfo { name: "complete-without-actual-date", default: Deny, summary: "a milestone is complete but has no actual_date" },
    LintInfo { name: "actual-date-not-complete", default: Warn, summary: "a milestone has an actual_date but is not complete" },
    LintInfo { name: "actual-after-as-of", default: Warn, summary: "a milestone's actual date lies after the as-of date" },
    LintInfo { name: "date-after-as-of", default: Warn, summary: "a tracker update, an SOP review or an approval is dated after the as-of date" },
    LintInfo { name: "target-on-non-working-day", default: Warn, summary: "a milestone target falls on a weekend or holiday" },
    LintInfo { name: "blocked-without-blockers", default: Warn, summary: "a blocked milestone lists no blockers" },
    LintInfo { name: "late-without-explanation", default: Warn, summary: "a late milestone has no blocker and no update since its target date" },
    LintInfo { name: "late-kickoff", default: Warn, summary: "the kickoff happened (or is still open) after the playbook's kickoff offset" },
    LintInfo { name: "undeclared-tier", default: Warn, summary: "a customer's tier is declared by no playbook's `tiers:` and not in onboard.yaml's `tiers:`" },
    LintInfo { name: "unknown-value", default: Warn, summary: "a value outside its allowed set, such as a risk's `severity: critical`" },
    LintInfo { name: "milestone-without-target", default: Warn, summary: "an open milestone has no target date and no plan can give it one, so it can never be late" },
    // YAML.
    LintInfo { name: "split-list-item", default: Warn, summary: "an item of a `[...]` list reads like one phrase that a comma cut in two" },
    // Links.
    LintInfo { name: "broken-link", default: Deny, summary: "an internal Markdown link or #anchor does not resolve" },
    LintInfo { name: "external-resource", default: Deny, summary: "a page would load an image or other resource from outside the site" },
    // Configuration.
    LintInfo { name: "unknown-lint", default: Warn, summary: "onboard.yaml sets the level of a lint that does not exist" },
    LintInfo { name: "guessable-share-links", default: Warn, summary: "share sites are built without a share secret, so their folders are named by customer slugs" },
];

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
        ALL.iter()
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
