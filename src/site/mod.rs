//! The resolved site: what every later stage reads.
//!
//! [`resolve()`] turns loaded documents into a [`Site`]: it fills in default
//! ids, merges site-wide and SOP roles, resolves every cross-reference (step
//! owners, escalations, `sop#step` references, playbooks of trackers),
//! applies playbook plans to trackers ([`plan`]), then assesses each
//! customer as of the site's date ([`crate::status::assess`]). Problems are reported, never guessed around: an
//! unresolved reference is an error that names the line.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{Offset, WorkCalendar};
use crate::config::Config;
use crate::diagnostics::Place;
use crate::load::Loaded;
use crate::measure::KpiDef;
use crate::model::{PageMeta, PlanMilestone, Playbook, Sop, Tracker};
use crate::status::{CustomerStatus, Milestone};

mod customers;
mod plan;
mod playbooks;
mod resolve;
mod sops;

pub use customers::{customer_slug, resolve_customer};
pub use resolve::{effective_as_of, resolve};

/// Choices that change what is built.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Overrides `as_of` from the config.
    pub as_of: Option<NaiveDate>,
    /// Build draft SOPs and pages too.
    pub drafts: bool,
    /// The share secret, when the variable named in the config is set.
    pub share_secret: Option<String>,
}

/// A role known to the site.
#[derive(Clone, Debug, Serialize)]
pub struct RoleEntry {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is accountable for.
    pub responsibilities: Vec<String>,
    /// Role it escalates to.
    pub escalates_to: Option<String>,
    /// The SOP that declared it, or none for `playbooks/roles.yaml`.
    pub declared_in: Option<String>,
    /// Where its `id:` is written, for lints about the role itself.
    #[serde(skip)]
    pub declared_at: Place,
}

/// An SOP with its id and step ids resolved.
#[derive(Clone, Debug)]
pub struct SopEntry {
    /// Unique id.
    pub id: String,
    /// The document.
    pub loaded: Loaded<Sop>,
    /// Step ids, in order.
    pub step_ids: Vec<String>,
    /// When the next review is due.
    pub review_due: Option<NaiveDate>,
    /// Review due before as-of.
    pub review_overdue: bool,
    /// Parsed KPIs.
    pub kpis: Vec<KpiDef>,
    /// Built (not a draft, or drafts requested).
    pub published: bool,
}

/// A playbook with its id resolved.
#[derive(Clone, Debug)]
pub struct PlaybookEntry {
    /// Unique id.
    pub id: String,
    /// The document.
    pub loaded: Loaded<Playbook>,
    /// Offsets of plan milestones, parsed (None when missing or invalid).
    pub offsets: Vec<Option<PlanOffset>>,
}

impl PlaybookEntry {
    /// The plan: each milestone as written with its offset, parsed.
    pub fn plan(&self) -> impl Iterator<Item = (&PlanMilestone, Option<&PlanOffset>)> {
        self.loaded
            .doc
            .milestones
            .iter()
            .zip(self.offsets.iter().map(Option::as_ref))
    }
}

/// A plan milestone's offset, parsed: the same for every customer, or
/// chosen by the customer's tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanOffset {
    /// For customers of a tier not listed, and those without a tier.
    pub default: Offset,
    /// Tier → offset, in the order written; empty when the offset is one
    /// for all. Tiers match the tracker's `tier:` exactly.
    pub by_tier: Vec<(String, Offset)>,
}

impl PlanOffset {
    /// One offset for every tier.
    pub fn same_for_all(offset: Offset) -> PlanOffset {
        PlanOffset {
            default: offset,
            by_tier: Vec::new(),
        }
    }

    /// The offset that applies to a customer of `tier`.
    pub fn for_tier(&self, tier: Option<&str>) -> Offset {
        tier.and_then(|tier| {
            self.by_tier
                .iter()
                .find(|(t, _)| t == tier)
                .map(|(_, offset)| *offset)
        })
        .unwrap_or(self.default)
    }
}

/// A customer: tracker, plan applied, status computed.
#[derive(Clone, Debug)]
pub struct Customer {
    /// Unique slug.
    pub slug: String,
    /// The tracker as written.
    pub loaded: Loaded<Tracker>,
    /// The playbook id, when it resolved.
    pub playbook: Option<String>,
    /// Milestones after the plan was applied, ordered by target date.
    pub milestones: Vec<Milestone>,
    /// Computed status.
    pub status: CustomerStatus,
}

impl Customer {
    /// The tracker itself.
    pub fn tracker(&self) -> &Tracker {
        &self.loaded.doc
    }

    /// The customer's display name.
    pub fn name(&self) -> &str {
        &self.loaded.doc.customer.name.value
    }

    /// The start date.
    pub fn start_date(&self) -> Option<NaiveDate> {
        self.loaded
            .doc
            .customer
            .start_date
            .as_ref()
            .map(|d| d.value.0)
    }
}

/// A free page.
#[derive(Clone, Debug)]
pub struct PageEntry {
    /// Path under `content/pages/` without extension (`guide`, `team/faq`).
    pub path: String,
    /// Title (front matter, else first heading, else file stem).
    pub title: String,
    /// The document.
    pub loaded: Loaded<PageMeta>,
    /// Its body's headings, links and text, for checks and search.
    pub outline: crate::markdown::Outline,
}

/// The whole validated site.
#[derive(Clone, Debug)]
pub struct Site {
    /// Configuration.
    pub config: Config,
    /// `onboard.yaml`, when the site has one, for lints about the config.
    pub config_file: Option<std::sync::Arc<crate::diagnostics::SourceFile>>,
    /// Working calendar.
    pub calendar: WorkCalendar,
    /// The date status is computed against.
    pub as_of: NaiveDate,
    /// Every role, site-wide first.
    pub roles: Vec<RoleEntry>,
    /// SOPs, sorted by id (drafts included; see `published`).
    pub sops: Vec<SopEntry>,
    /// Playbooks, sorted by id.
    pub playbooks: Vec<PlaybookEntry>,
    /// Customers, sorted by slug.
    pub customers: Vec<Customer>,
    /// Published free pages, sorted by weight then path.
    pub pages: Vec<PageEntry>,
    /// The files of draft pages left out (built only with `--drafts`).
    pub skipped_pages: Vec<String>,
    /// Options the site was built with.
    pub options: BuildOptions,
}

impl Site {
    /// The SOP with this id.
    pub fn sop(&self, id: &str) -> Option<&SopEntry> {
        self.sops.iter().find(|s| s.id == id)
    }

    /// The role with this id.
    pub fn role(&self, id: &str) -> Option<&RoleEntry> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The playbook with this id.
    pub fn playbook(&self, id: &str) -> Option<&PlaybookEntry> {
        self.playbooks.iter().find(|p| p.id == id)
    }

    /// The drafts this build leaves out, SOPs then pages, each named by
    /// its file: empty when drafts are built.
    pub fn skipped_drafts(&self) -> Vec<String> {
        self.sops
            .iter()
            .filter(|s| !s.published)
            .map(|s| s.loaded.file.name.clone())
            .chain(self.skipped_pages.iter().cloned())
            .collect()
    }
}

/// A playbook phase's id: as written, else the slug of its name.
pub fn phase_id(phase: &crate::model::Phase) -> String {
    phase
        .id
        .as_deref()
        .map(str::trim)
        .map_or_else(|| crate::model::slugify(&phase.name), str::to_string)
}

/// A resolved `sop` or `sop#step` reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SopRef {
    /// SOP id.
    pub sop: String,
    /// Step id, when the reference names one.
    pub step: Option<String>,
}

impl SopRef {
    /// Splits `kickoff#confirm-readiness`.
    pub fn parse(text: &str) -> SopRef {
        match text.split_once('#') {
            Some((sop, step)) => SopRef {
                sop: sop.trim().to_string(),
                step: Some(step.trim().to_string()),
            },
            None => SopRef {
                sop: text.trim().to_string(),
                step: None,
            },
        }
    }
}

/// A review cycle: whole calendar months or a number of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewCycle {
    /// `monthly`, `quarterly`, `semiannual`, `annual`.
    Months(u32),
    /// `<N>d`.
    Days(u32),
}

impl ReviewCycle {
    /// Parses `monthly | quarterly | semiannual | annual | <N>d`.
    pub fn parse(text: &str) -> Option<ReviewCycle> {
        let text = text.trim().to_lowercase();
        match text.as_str() {
            "monthly" => Some(ReviewCycle::Months(1)),
            "quarterly" => Some(ReviewCycle::Months(3)),
            "semiannual" | "semi-annual" | "semiannually" => Some(ReviewCycle::Months(6)),
            "annual" | "annually" | "yearly" => Some(ReviewCycle::Months(12)),
            other => other
                .strip_suffix('d')?
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=crate::calendar::MAX_OFFSET_DAYS).contains(d))
                .map(ReviewCycle::Days),
        }
    }

    /// The review after one reviewed on `last`. Months are calendar months,
    /// so a quarterly review of 10 January is due on 10 April (and one of
    /// 31 January on the last day of April). `None` after
    /// [`crate::calendar::LAST_DAY`].
    pub fn next_after(self, last: NaiveDate) -> Option<NaiveDate> {
        match self {
            ReviewCycle::Months(n) => last.checked_add_months(chrono::Months::new(n)),
            ReviewCycle::Days(n) => last.checked_add_days(chrono::Days::new(u64::from(n))),
        }
        .filter(|due| *due <= crate::calendar::LAST_DAY)
    }
}

/// Helpers for the unit tests of the stages from resolve on.
#[cfg(test)]
pub(crate) mod testing {
    use super::{BuildOptions, Site, resolve};
    use crate::diagnostics::Diagnostics;

    /// An `onboard.yaml` for test sites: weekdays are working days, and
    /// Monday 2026-01-19 is a holiday.
    pub(crate) const CONFIG: &str = "\
title: Test
base_url: https://onboarding.example.com/
calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: [2026-01-19]
";

    /// Writes `files` (path relative to the site root, text) into a
    /// temporary site folder and runs the real loader and resolver on it as
    /// of `as_of` (`YYYY-MM-DD`). The files must load without errors; what
    /// resolve reports is returned with the site.
    pub(crate) fn resolve_files(files: &[(&str, &str)], as_of: &str) -> (Site, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (content, loaded) = crate::load::load_site(dir.path()).unwrap();
        assert!(!loaded.has_errors(), "{loaded}");
        let as_of = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
        let options = BuildOptions {
            as_of: Some(as_of),
            ..Default::default()
        };
        resolve(content, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_cycles() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let quarterly = ReviewCycle::parse("quarterly").unwrap();
        assert_eq!(
            quarterly.next_after(day("2026-01-10")),
            Some(day("2026-04-10"))
        );
        assert_eq!(
            quarterly.next_after(day("2026-01-31")),
            Some(day("2026-04-30"))
        );
        assert_eq!(
            ReviewCycle::parse("Annual")
                .unwrap()
                .next_after(day("2028-02-29")),
            Some(day("2029-02-28"))
        );
        assert_eq!(ReviewCycle::parse("45d"), Some(ReviewCycle::Days(45)));
        assert_eq!(
            ReviewCycle::parse("45d")
                .unwrap()
                .next_after(day("2026-01-10")),
            Some(day("2026-02-24"))
        );
        assert_eq!(ReviewCycle::parse("0d"), None);
        assert_eq!(ReviewCycle::parse("36526d"), None);
        assert_eq!(ReviewCycle::parse("4294967295d"), None);
        assert_eq!(quarterly.next_after(day("2200-11-01")), None);
        assert_eq!(quarterly.next_after(NaiveDate::MAX), None);
        assert_eq!(ReviewCycle::parse("sometimes"), None);
    }

    #[test]
    fn sop_refs_split_on_hash() {
        assert_eq!(
            SopRef::parse("kickoff#confirm-readiness"),
            SopRef {
                sop: "kickoff".into(),
                step: Some("confirm-readiness".into())
            }
        );
        assert_eq!(SopRef::parse("kickoff").step, None);
    }
}
