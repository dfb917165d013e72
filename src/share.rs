//! Customer-visible sites: one self-contained folder per customer.
//!
//! Share pages are built from [`ShareView`], a type that holds only what a
//! customer may see. It has no field for health, scores, risks, notes,
//! internal updates or hidden milestones, so leaking one of them would take
//! a change to this type, not a slip in a template. [`ShareView::of`], with
//! the helpers below it in this file, is the only code that reads a tracker
//! for the share site.

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::markdown::{PageIds, render_on_page};
use crate::model::{Date, MilestoneStatus, Side, Tracker, Update, Visibility};
use crate::site::{Customer, Site};
use crate::status::{Milestone, Progress};

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
    pub blockers: Vec<&'a str>,
    /// Past target and not done.
    pub late: bool,
    /// Days past target.
    pub days_late: Option<i64>,
    /// The agreed revised date, while it is open.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub forecast_date: Option<NaiveDate>,
    /// The person who owns it.
    pub owner: Option<&'a str>,
    /// Who does the work.
    pub side: Side,
    /// That side in the customer's words: the customer's name, the
    /// organization's, or "Together".
    pub side_label: &'a str,
    /// Who signed it off.
    pub accepted_by: Option<&'a str>,
    /// When it was signed off.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub accepted_on: Option<NaiveDate>,
    /// The file of its sign-off sheet in the share folder, when complete.
    pub sign_off_file: Option<String>,
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
    /// The side in the customer's words (the customer's name, the organization or "Together").
    pub side_label: Option<&'a str>,
    /// By when.
    pub due: Option<Date>,
    /// Done yet.
    pub done: bool,
    /// Open and due before as-of.
    pub overdue: bool,
}

/// A person to contact.
#[derive(Clone, Debug, Serialize)]
pub struct SharedContact<'a> {
    /// Name.
    pub name: &'a str,
    /// Email, for a `mailto:` link.
    pub email: Option<&'a str>,
}

/// The next milestone, with the date to expect it.
#[derive(Clone, Debug, Serialize)]
pub struct SharedNext<'a> {
    /// Name.
    pub name: &'a str,
    /// Planned date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub target_date: Option<NaiveDate>,
    /// The agreed revised date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub forecast_date: Option<NaiveDate>,
    /// Past target.
    pub late: bool,
    /// Who does the work, in the customer's words.
    pub side_label: &'a str,
}

/// The brand files of a share folder and the colour of its pages.
#[derive(Clone, Debug, Serialize)]
pub struct ShareBrand<'a> {
    /// The logo's file name in the share folder.
    pub logo: Option<String>,
    /// The favicon's file name in the share folder.
    pub favicon: String,
    /// The favicon's media type.
    pub favicon_type: &'static str,
    /// The accent colour.
    pub accent: Option<&'a str>,
    /// Text on the accent colour.
    pub accent_text: Option<&'static str>,
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
    /// The side in the customer's words (the customer's name, the organization or "Together").
    pub side_label: Option<&'a str>,
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
    /// The name customers see for the onboarding team.
    pub organization: &'a str,
    /// The pages' language.
    pub language: &'a str,
    /// Logo, favicon and accent.
    pub brand: ShareBrand<'a>,
    /// The welcome, as HTML (rendered from Markdown, sanitised).
    pub welcome_html: Option<String>,
    /// The customer success manager to contact: the stakeholder whose
    /// role is `csm`, else `customer.csm`.
    pub contact: Option<SharedContact<'a>>,
    /// What the customer must do: its open actions, overdue first, then by
    /// due date.
    pub needs: Vec<SharedAction<'a>>,
    /// The next open milestone.
    pub next: Option<SharedNext<'a>>,
    /// The date status is computed against.
    pub as_of: NaiveDate,
    /// Progress over visible milestones only.
    pub progress: Progress,
    /// Percent done over visible milestones.
    pub percent: u32,
    /// Visible milestones, in timeline order.
    pub milestones: Vec<SharedMilestone<'a>>,
    /// Customer-visible action items.
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
        let sides = Sides {
            organization: site.config.organization(),
            customer: customer.name(),
        };
        let visible: Vec<&Milestone> = customer
            .milestones
            .iter()
            .filter(|m| m.customer_visible)
            .collect();
        let progress = Progress::of(visible.iter().copied());
        let actions = shared_actions(tracker, sides, site.as_of);
        // The welcome and the updates share the page's ids with its own
        // sections: a heading `## Updates` in an update gets `updates-1`.
        let mut ids = PageIds::for_share_page();
        ShareView {
            name: customer.name(),
            csm: tracker.customer.csm.as_deref(),
            site_title: &site.config.title,
            organization: sides.organization,
            language: site.config.language(),
            brand: share_brand(&site.config),
            welcome_html: tracker
                .customer
                .welcome
                .as_deref()
                .filter(|w| !w.trim().is_empty())
                .map(|w| render_on_page(w, "", 2, &mut ids).html),
            contact: contact(tracker),
            needs: customer_needs(tracker, &actions),
            next: next_milestone(&visible, sides),
            as_of: site.as_of,
            progress,
            percent: progress.percent(),
            milestones: shared_milestones(&visible, sides),
            actions,
            stakeholders: shared_stakeholders(tracker, sides),
            updates: shared_updates(tracker, &mut ids),
        }
    }
}

/// The names of the two sides as the customer reads them.
#[derive(Clone, Copy)]
struct Sides<'a> {
    /// The name customers see for the onboarding team.
    organization: &'a str,
    /// The customer's name.
    customer: &'a str,
}

impl<'a> Sides<'a> {
    /// A milestone's side in the customer's words: the customer's name,
    /// the organization's, or "Together".
    fn label(self, side: Side) -> &'a str {
        match side {
            Side::Internal => self.organization,
            Side::Customer => self.customer,
            Side::Joint => "Together",
        }
    }

    /// An action's or a person's side as written (`customer`, `internal`,
    /// `joint`), in the customer's words; none for anything else.
    fn words(self, side: &str) -> Option<&'a str> {
        match side.trim().to_ascii_lowercase().as_str() {
            "customer" => Some(self.label(Side::Customer)),
            "internal" => Some(self.label(Side::Internal)),
            "joint" => Some(self.label(Side::Joint)),
            _ => None,
        }
    }
}

/// The `visibility: customer` action items, as the customer sees them.
fn shared_actions<'a>(
    tracker: &'a Tracker,
    sides: Sides<'a>,
    as_of: NaiveDate,
) -> Vec<SharedAction<'a>> {
    tracker
        .actions
        .iter()
        .filter(|a| a.visibility == Visibility::Customer)
        .map(|a| SharedAction {
            title: &a.title,
            owner: a.owner.as_deref(),
            side: a.side.as_deref(),
            side_label: a.side.as_deref().and_then(|side| sides.words(side)),
            due: a.due,
            done: a.done,
            overdue: !a.done && a.due.is_some_and(|d| d.0 < as_of),
        })
        .collect()
}

/// What the customer must do: the open shared actions on their side (by
/// `side:`, else by an owner who is one of their people), overdue first,
/// then by due date.
fn customer_needs<'a>(tracker: &'a Tracker, actions: &[SharedAction<'a>]) -> Vec<SharedAction<'a>> {
    let customer_people: Vec<&str> = tracker
        .stakeholders
        .iter()
        .filter(|s| s.side.as_deref().is_some_and(is_customer_side))
        .map(|s| s.name.as_str())
        .collect();
    let mut needs: Vec<SharedAction> = actions
        .iter()
        .filter(|a| !a.done)
        .filter(|a| match a.side {
            Some(side) => is_customer_side(side),
            None => a.owner.is_some_and(|o| customer_people.contains(&o)),
        })
        .cloned()
        .collect();
    needs.sort_by_key(|a| (!a.overdue, a.due.is_none(), a.due));
    needs
}

/// The customer success manager to contact: the stakeholder whose role is
/// `csm`, else `customer.csm` (with the email of a stakeholder so named).
fn contact(tracker: &Tracker) -> Option<SharedContact<'_>> {
    let by_role = tracker.stakeholders.iter().find(|s| {
        s.role
            .as_deref()
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("csm"))
    });
    if let Some(s) = by_role {
        return Some(SharedContact {
            name: &s.name,
            email: s.email.as_deref().filter(|e| !e.trim().is_empty()),
        });
    }
    let name = tracker.customer.csm.as_deref()?;
    Some(SharedContact {
        name,
        email: tracker
            .stakeholders
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.email.as_deref()),
    })
}

/// The open visible milestone due first (undated ones last).
fn next_milestone<'a>(visible: &[&'a Milestone], sides: Sides<'a>) -> Option<SharedNext<'a>> {
    visible
        .iter()
        .filter(|m| !m.is_closed())
        .min_by_key(|m| (m.target_date.is_none(), m.target_date))
        .map(|m| SharedNext {
            name: &m.name,
            target_date: m.target_date,
            forecast_date: m.forecast_date,
            late: m.late,
            side_label: sides.label(m.side),
        })
}

/// The visible milestones, in timeline order, each completed one with its
/// sign-off sheet.
fn shared_milestones<'a>(visible: &[&'a Milestone], sides: Sides<'a>) -> Vec<SharedMilestone<'a>> {
    visible
        .iter()
        .enumerate()
        .map(|(index, m)| SharedMilestone {
            name: &m.name,
            target_date: m.target_date,
            actual_date: m.actual_date,
            status: m.status,
            criteria: m.criteria.as_deref(),
            blockers: m.blockers.iter().map(|b| blocker_text(b)).collect(),
            late: m.late,
            days_late: m.days_late,
            forecast_date: m.forecast_date.filter(|_| !m.is_closed()),
            owner: m.owner.as_deref(),
            side: m.side,
            side_label: sides.label(m.side),
            accepted_by: m.accepted_by.as_deref(),
            accepted_on: m.accepted_on,
            sign_off_file: (m.status == MilestoneStatus::Complete).then(|| sign_off_file(index)),
        })
        .collect()
}

/// Every stakeholder, with their side in the customer's words.
fn shared_stakeholders<'a>(tracker: &'a Tracker, sides: Sides<'a>) -> Vec<SharedStakeholder<'a>> {
    tracker
        .stakeholders
        .iter()
        .map(|s| SharedStakeholder {
            name: &s.name,
            role: s.role.as_deref(),
            side: s.side.as_deref(),
            side_label: s.side.as_deref().and_then(|side| sides.words(side)),
            email: s.email.as_deref(),
        })
        .collect()
}

/// The `visibility: customer` updates, newest first, rendered on a page
/// whose ids are `ids`.
fn shared_updates(tracker: &Tracker, ids: &mut PageIds) -> Vec<SharedUpdate> {
    let mut updates: Vec<&Update> = tracker
        .updates
        .iter()
        .filter(|u| u.visibility == Visibility::Customer)
        .collect();
    updates.sort_by_key(|u| std::cmp::Reverse(u.date));
    updates
        .into_iter()
        .map(|u| SharedUpdate {
            date: u.date,
            html: render_on_page(&u.text, "", 2, ids).html,
        })
        .collect()
}

/// The file name of the sign-off sheet of the visible milestone at `index`.
pub fn sign_off_file(index: usize) -> String {
    format!("sign-off-{}.html", index + 1)
}

/// Whether a free-text side names the customer.
fn is_customer_side(side: &str) -> bool {
    side.trim().eq_ignore_ascii_case("customer")
}

/// A blocker as the share page shows it under "Waiting on": without a
/// "Waiting on" or "Waiting for" of its own.
pub fn blocker_text(blocker: &str) -> &str {
    let trimmed = blocker.trim();
    for prefix in ["waiting on ", "waiting for "] {
        if trimmed.len() > prefix.len()
            && trimmed.is_char_boundary(prefix.len())
            && trimmed[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            return trimmed[prefix.len()..].trim_start();
        }
    }
    trimmed
}

/// The share folder name of a brand file: `logo.<ext>` or `favicon.<ext>`.
pub fn brand_file_name(kind: &str, path: &str) -> String {
    let ext = path
        .rsplit_once('.')
        .map_or("svg".to_string(), |(_, e)| e.to_ascii_lowercase());
    format!("{kind}.{ext}")
}

/// The theme's own favicon, used when the config names none.
pub const DEFAULT_FAVICON: &str = "favicon.svg";

/// Logo, favicon and accent of a share folder.
pub fn share_brand(config: &crate::config::Config) -> ShareBrand<'_> {
    let brand = &config.brand;
    let favicon = brand.favicon.as_ref().map(|f| f.value.trim());
    let accent = config.accent();
    ShareBrand {
        logo: brand
            .logo
            .as_ref()
            .map(|l| brand_file_name("logo", l.value.trim())),
        favicon: favicon.map_or(DEFAULT_FAVICON.to_string(), |f| {
            brand_file_name("favicon", f)
        }),
        favicon_type: favicon
            .and_then(crate::config::brand_image_type)
            .unwrap_or("image/svg+xml"),
        accent,
        accent_text: accent.map(crate::config::text_on),
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
    fn blockers_lose_their_own_waiting_on() {
        assert_eq!(
            blocker_text("Waiting on customer SSO metadata"),
            "customer SSO metadata"
        );
        assert_eq!(blocker_text("waiting for IT"), "IT");
        assert_eq!(blocker_text("Security review"), "Security review");
        assert_eq!(blocker_text("Waiting on"), "Waiting on");
    }

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
