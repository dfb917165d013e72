//! Customer-visible sites: one self-contained folder per customer.
//!
//! Share pages are built from [`ShareView`], a type that holds only what a
//! customer may see. It has no field for health, scores, risks, notes,
//! internal updates or hidden milestones, so leaking one of them would take
//! a change to this type, not a slip in a template. [`ShareView::of`] is the
//! only code that reads a tracker for the share site.

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::model::{Date, MilestoneStatus, Visibility};
use crate::site::{Customer, Site};
use crate::status::Progress;

/// A milestone as the customer sees it.
#[derive(Clone, Debug, Serialize)]
pub struct SharedMilestone<'a> {
    /// Name.
    pub name: &'a str,
    /// Planned date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub target_date: Option<NaiveDate>,
    /// Completion date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub actual_date: Option<NaiveDate>,
    /// Status word.
    pub status: MilestoneStatus,
    /// Done criteria.
    pub criteria: Option<&'a str>,
    /// What stands in the way.
    pub blockers: &'a [String],
    /// Past target and not done.
    pub late: bool,
    /// Days past target.
    pub days_late: Option<i64>,
}

/// An action item as the customer sees it.
#[derive(Clone, Debug, Serialize)]
pub struct SharedAction<'a> {
    /// What to do.
    pub title: &'a str,
    /// Who.
    pub owner: Option<&'a str>,
    /// Which side.
    pub side: Option<&'a str>,
    /// By when.
    pub due: Option<Date>,
    /// Done yet.
    pub done: bool,
}

/// A stakeholder as the customer sees it.
#[derive(Clone, Debug, Serialize)]
pub struct SharedStakeholder<'a> {
    /// Name.
    pub name: &'a str,
    /// Role in the project.
    pub role: Option<&'a str>,
    /// Which side.
    pub side: Option<&'a str>,
    /// Email.
    pub email: Option<&'a str>,
}

/// A customer-visible update.
#[derive(Clone, Debug, Serialize)]
pub struct SharedUpdate {
    /// When.
    pub date: Date,
    /// The text as HTML (rendered from Markdown, sanitised).
    pub html: String,
}

/// Everything a customer's share site shows, and nothing else. It borrows
/// from the tracker, field by field, only what it names.
#[derive(Clone, Debug, Serialize)]
pub struct ShareView<'a> {
    /// The customer's name.
    pub name: &'a str,
    /// Their customer success manager.
    pub csm: Option<&'a str>,
    /// The vendor's site title.
    pub site_title: &'a str,
    /// The date status is computed against.
    pub as_of: NaiveDate,
    /// Progress over visible milestones only.
    pub progress: Progress,
    /// Percent done over visible milestones.
    pub percent: u32,
    /// Visible milestones, in timeline order.
    pub milestones: Vec<SharedMilestone<'a>>,
    /// Action items.
    pub actions: Vec<SharedAction<'a>>,
    /// People.
    pub stakeholders: Vec<SharedStakeholder<'a>>,
    /// `visibility: customer` updates, newest first.
    pub updates: Vec<SharedUpdate>,
}

impl<'a> ShareView<'a> {
    /// The customer-visible part of a customer.
    pub fn of(site: &'a Site, customer: &'a Customer) -> ShareView<'a> {
        let tracker = customer.tracker();
        let visible: Vec<&crate::status::Milestone> = customer
            .milestones
            .iter()
            .filter(|m| m.customer_visible)
            .collect();
        let progress = Progress::of(visible.iter().copied());
        let mut updates: Vec<&crate::model::Update> = tracker
            .updates
            .iter()
            .filter(|u| u.visibility == Visibility::Customer)
            .collect();
        updates.sort_by_key(|u| std::cmp::Reverse(u.date));
        ShareView {
            name: customer.name(),
            csm: tracker.customer.csm.as_deref(),
            site_title: &site.config.title,
            as_of: site.as_of,
            progress,
            percent: progress.percent(),
            milestones: visible
                .iter()
                .map(|m| SharedMilestone {
                    name: &m.name,
                    target_date: m.target_date,
                    actual_date: m.actual_date,
                    status: m.status,
                    criteria: m.criteria.as_deref(),
                    blockers: &m.blockers,
                    late: m.late,
                    days_late: m.days_late,
                })
                .collect(),
            actions: tracker
                .actions
                .iter()
                .filter(|a| a.visibility == Visibility::Customer)
                .map(|a| SharedAction {
                    title: &a.title,
                    owner: a.owner.as_deref(),
                    side: a.side.as_deref(),
                    due: a.due,
                    done: a.done,
                })
                .collect(),
            stakeholders: tracker
                .stakeholders
                .iter()
                .map(|s| SharedStakeholder {
                    name: &s.name,
                    role: s.role.as_deref(),
                    side: s.side.as_deref(),
                    email: s.email.as_deref(),
                })
                .collect(),
            updates: updates
                .into_iter()
                .map(|u| SharedUpdate {
                    date: u.date,
                    html: crate::markdown::render_nested(&u.text, "", 2).html,
                })
                .collect(),
        }
    }
}

/// The folder name of a customer's share site: an HMAC-SHA256 of the slug
/// keyed by the secret (128 bits, hex) when a secret is set, else the slug.
pub fn share_folder(slug: &str, secret: Option<&str>) -> String {
    match secret.filter(|s| !s.is_empty()) {
        None => slug.to_string(),
        Some(secret) => {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
                .expect("HMAC takes keys of any length");
            mac.update(slug.as_bytes());
            let digest = mac.finalize().into_bytes();
            digest[..16].iter().map(|b| format!("{b:02x}")).collect()
        }
    }
}

/// The output folders that hold one customer's own files, with a slash
/// at the end: its status page folder and its share folder. A rebuild
/// that renders the customer again replaces both.
pub fn customer_folders(slug: &str, secret: Option<&str>) -> [String; 2] {
    [
        format!("customers/{slug}/"),
        format!("share/{}/", share_folder(slug, secret)),
    ]
}

/// The share secret: the build option, else the environment variable the
/// config names. An empty value counts as unset, in either place. This is
/// the one place that reads the variable: the build, `serve` and the
/// `guessable-share-links` lint all ask here.
pub fn secret(site: &Site) -> Option<String> {
    let set = |s: &String| !s.is_empty();
    site.options.share_secret.clone().filter(set).or_else(|| {
        std::env::var(&site.config.share.secret_env)
            .ok()
            .filter(set)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_slugs_without_a_secret_and_tokens_with_one() {
        assert_eq!(share_folder("acme", None), "acme");
        assert_eq!(share_folder("acme", Some("")), "acme");
        let token = share_folder("acme", Some("s3cret"));
        assert_eq!(token.len(), 32);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(token, share_folder("acme", Some("s3cret")), "stable");
        assert_ne!(token, share_folder("acme", Some("other")), "secret matters");
        assert_ne!(
            token,
            share_folder("globex", Some("s3cret")),
            "slug matters"
        );
        assert!(!token.contains("acme"));
    }
}
