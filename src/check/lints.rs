//! The registry of named lints and their default levels.

use super::{LintInfo, Reporter};
use crate::config::LintLevel::{Deny, Warn};
use crate::site::Site;

/// Every lint onboard knows, in the order the README documents them.
pub const ALL: &[LintInfo] = &[
    LintInfo {
        name: "review-overdue",
        default: Warn,
        summary: "an SOP's last review plus its review cycle is before as-of",
    },
    LintInfo {
        name: "actual-after-as-of",
        default: Warn,
        summary: "a tracker date lies after the as-of date",
    },
    LintInfo {
        name: "target-on-non-working-day",
        default: Warn,
        summary: "a milestone target falls on a weekend or holiday",
    },
    LintInfo {
        name: "complete-without-actual-date",
        default: Deny,
        summary: "a milestone is complete but has no actual_date",
    },
    LintInfo {
        name: "unknown-lint",
        default: Warn,
        summary: "onboard.yaml sets the level of a lint that does not exist",
    },
];

/// Runs the site-level lints.
pub fn run(site: &Site, report: &mut Reporter<'_>) {
    for sop in &site.sops {
        if sop.review_overdue
            && let Some(due) = sop.review_due
        {
            let at = sop
                .loaded
                .doc
                .review_cycle
                .as_ref()
                .map(|c| sop.loaded.place_of(c))
                .unwrap_or_else(|| sop.loaded.place());
            report.lint(
                "review-overdue",
                &at,
                format!("the review of `{}` was due on {due}", sop.id),
                "review the SOP, then set `last_reviewed:` to the review date",
            );
        }
    }
}
