//! Customer-visible sites: one self-contained folder per customer.
//!
//! Share pages are built from [`ShareView`], a type that holds only what a
//! customer may see. It has no field for health, scores, risks, notes,
//! internal updates or hidden milestones, so leaking one of them would take
//! a change to this type, not a slip in a template. [`ShareView::of`] is the
//! only code that reads a tracker for the share site.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::model::{MilestoneStatus, Visibility};
use crate::site::{Customer, Site};
use crate::status::Progress;

/// A milestone as the customer sees it.
#[derive(Clone, Debug, Serialize)]
pub struct SharedMilestone {
    /// Name.
    pub name: String,
    /// Planned date.
    pub target_date: Option<String>,
    /// Completion date.
    pub actual_date: Option<String>,
    /// Status word.
    pub status: MilestoneStatus,
    /// Done criteria.
    pub criteria: Option<String>,
    /// What stands in the way.
    pub blockers: Vec<String>,
    /// Past target and not done.
    pub late: bool,
    /// Days past target.
    pub days_late: Option<i64>,
}

/// An action item as the customer sees it.
#[derive(Clone, Debug, Serialize)]
pub struct SharedAction {
    /// What to do.
    pub title: String,
    /// Who.
    pub owner: Option<String>,
    /// Which side.
    pub side: Option<String>,
    /// By when.
    pub due: Option<String>,
    /// Done yet.
    pub done: bool,
}

/// A stakeholder as the customer sees it.
#[derive(Clone, Debug, Serialize)]
pub struct SharedStakeholder {
    /// Name.
    pub name: String,
    /// Role in the project.
    pub role: Option<String>,
    /// Which side.
    pub side: Option<String>,
    /// Email.
    pub email: Option<String>,
}

/// A customer-visible update.
#[derive(Clone, Debug, Serialize)]
pub struct SharedUpdate {
    /// When.
    pub date: String,
    /// The text as HTML (rendered from Markdown, sanitised).
    pub html: String,
}

/// Everything a customer's share site shows, and nothing else.
#[derive(Clone, Debug, Serialize)]
pub struct ShareView {
    /// The customer's name.
    pub name: String,
    /// Their customer success manager.
    pub csm: Option<String>,
    /// The vendor's site title.
    pub site_title: String,
    /// The date status is computed against.
    pub as_of: String,
    /// Progress over visible milestones only.
    pub progress: Progress,
    /// Percent done over visible milestones.
    pub percent: u32,
    /// Visible milestones, in timeline order.
    pub milestones: Vec<SharedMilestone>,
    /// Action items.
    pub actions: Vec<SharedAction>,
    /// People.
    pub stakeholders: Vec<SharedStakeholder>,
    /// `visibility: customer` updates, newest first.
    pub updates: Vec<SharedUpdate>,
}

impl ShareView {
    /// The customer-visible part of a customer.
    pub fn of(site: &Site, customer: &Customer) -> ShareView {
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
            name: customer.name().to_string(),
            csm: tracker.customer.csm.clone(),
            site_title: site.config.title.clone(),
            as_of: site.as_of.to_string(),
            progress,
            percent: progress.percent(),
            milestones: visible
                .iter()
                .map(|m| SharedMilestone {
                    name: m.name.clone(),
                    target_date: m.target_date.map(|d| d.to_string()),
                    actual_date: m.actual_date.map(|d| d.to_string()),
                    status: m.status,
                    criteria: m.criteria.clone(),
                    blockers: m.blockers.clone(),
                    late: m.late,
                    days_late: m.days_late,
                })
                .collect(),
            actions: tracker
                .actions
                .iter()
                .map(|a| SharedAction {
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    side: a.side.clone(),
                    due: a.due.map(|d| d.to_string()),
                    done: a.done,
                })
                .collect(),
            stakeholders: tracker
                .stakeholders
                .iter()
                .map(|s| SharedStakeholder {
                    name: s.name.clone(),
                    role: s.role.clone(),
                    side: s.side.clone(),
                    email: s.email.clone(),
                })
                .collect(),
            updates: updates
                .into_iter()
                .map(|u| SharedUpdate {
                    date: u.date.to_string(),
                    html: crate::render::markdown::render_nested(&u.text, "", 2).html,
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

/// The share secret: the build option, else the variable named in the config.
pub fn secret(site: &Site) -> Option<String> {
    site.options
        .share_secret
        .clone()
        .or_else(|| std::env::var(&site.config.share.secret_env).ok())
        .filter(|s| !s.is_empty())
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
