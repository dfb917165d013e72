//! The review page (`/reviews/`) and its feed (`reviews/reviews.ics`):
//! every built SOP with its owner, last review, next review due and review
//! state as of the site's date, grouped by owner with the most urgent first.
//!
//! The state is a pure function of the due date and `as_of`
//! ([`review_state`]), so the page, the home page's count and the feed agree.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::render::exports::{feed_host, ics};
use crate::render::pages::{BaseView, PageJob, page_job, sop_path};
use crate::site::{Site, SopEntry};

/// A review due within this many days of `as_of` (and not overdue) is "due soon".
pub const DUE_SOON_DAYS: u64 = 30;

/// The output path of the review page.
pub const PAGE_PATH: &str = "reviews/index.html";

/// The output path of the review feed.
pub const FEED_PATH: &str = "reviews/reviews.ics";

/// Where an SOP's review stands on a date. Ordered from the most urgent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// The review was due before `as_of`.
    Overdue,
    /// Due on `as_of` or within [`DUE_SOON_DAYS`] after it.
    DueSoon,
    /// Due later than that.
    Fine,
    /// No review cycle, or no last review to count it from.
    Unscheduled,
}

impl ReviewState {
    /// The state as the page says it.
    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Overdue => "Overdue",
            ReviewState::DueSoon => "Due within 30 days",
            ReviewState::Fine => "Fine",
            ReviewState::Unscheduled => "Not scheduled",
        }
    }
}

/// The review state of a review due on `due`, as of `as_of`.
pub fn review_state(due: Option<NaiveDate>, as_of: NaiveDate) -> ReviewState {
    let Some(due) = due else {
        return ReviewState::Unscheduled;
    };
    if due < as_of {
        return ReviewState::Overdue;
    }
    // Near the last day chrono knows, every later review is "soon" anyway.
    let soon_until = as_of
        .checked_add_days(Days::new(DUE_SOON_DAYS))
        .unwrap_or(NaiveDate::MAX);
    if due <= soon_until {
        ReviewState::DueSoon
    } else {
        ReviewState::Fine
    }
}

/// How many built SOPs are in each state.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct ReviewCounts {
    /// Overdue.
    pub overdue: usize,
    /// Due within 30 days.
    pub due_soon: usize,
    /// Due later.
    pub fine: usize,
    /// Without a review date.
    pub unscheduled: usize,
    /// Every built SOP.
    pub total: usize,
}

/// One SOP on the review page.
#[derive(Debug, Serialize)]
pub struct ReviewRow<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    version: Option<&'a str>,
    cycle: Option<&'a str>,
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    last_reviewed: Option<NaiveDate>,
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    due: Option<NaiveDate>,
    state: ReviewState,
    state_label: &'static str,
    /// Days from `as_of` to the due date: negative when overdue.
    days_until_due: Option<i64>,
}

/// The SOPs of one owner.
#[derive(Debug, Serialize)]
pub struct OwnerGroup<'a> {
    /// The owner's role id; none for SOPs without an owner.
    id: Option<&'a str>,
    /// The role's name, or "No owner".
    name: String,
    /// The role on the roles page.
    url: Option<String>,
    /// Anchor of the group on the review page.
    anchor: String,
    /// The group's most urgent state.
    state: ReviewState,
    overdue: usize,
    sops: Vec<ReviewRow<'a>>,
}

/// The review page's data (`reviews` in its context).
#[derive(Debug, Serialize)]
pub struct ReviewsView<'a> {
    as_of: String,
    due_soon_days: u64,
    counts: ReviewCounts,
    groups: Vec<OwnerGroup<'a>>,
    /// The feed, relative to the site root.
    feed_url: &'static str,
}

/// The owner role id of an SOP.
fn owner_of(sop: &SopEntry) -> Option<&str> {
    sop.loaded.doc.owner.as_ref().map(|o| o.value.as_str())
}

/// The review page's view as of the site's date.
pub fn reviews_view(site: &Site) -> ReviewsView<'_> {
    let mut counts = ReviewCounts::default();
    let mut groups: Vec<OwnerGroup<'_>> = Vec::new();
    for sop in site.sops.iter().filter(|s| s.published) {
        let row = review_row(site, sop);
        let state = row.state;
        counts.add(state);
        let group = owner_group(&mut groups, site, owner_of(sop), state);
        group.state = group.state.min(state);
        group.overdue += usize::from(state == ReviewState::Overdue);
        group.sops.push(row);
    }
    sort_by_urgency(&mut groups);
    ReviewsView {
        as_of: site.as_of.to_string(),
        due_soon_days: DUE_SOON_DAYS,
        counts,
        groups,
        feed_url: FEED_PATH,
    }
}

impl ReviewCounts {
    /// Counts one more SOP in `state`.
    fn add(&mut self, state: ReviewState) {
        match state {
            ReviewState::Overdue => self.overdue += 1,
            ReviewState::DueSoon => self.due_soon += 1,
            ReviewState::Fine => self.fine += 1,
            ReviewState::Unscheduled => self.unscheduled += 1,
        }
        self.total += 1;
    }
}

/// An SOP's row, its review state as of the site's date.
fn review_row<'a>(site: &Site, sop: &'a SopEntry) -> ReviewRow<'a> {
    let doc = &sop.loaded.doc;
    let state = review_state(sop.review_due, site.as_of);
    ReviewRow {
        id: &sop.id,
        title: &doc.title,
        url: sop_path(&sop.id),
        version: doc.version.as_deref(),
        cycle: doc.review_cycle.as_ref().map(|c| c.value.as_str()),
        last_reviewed: doc.last_reviewed.map(|d| d.0),
        due: sop.review_due,
        state,
        state_label: state.label(),
        days_until_due: sop.review_due.map(|due| (due - site.as_of).num_days()),
    }
}

/// The group of `owner` (none for SOPs without an owner), added empty at
/// the end, with `state`, when it is not there yet.
fn owner_group<'g, 'a>(
    groups: &'g mut Vec<OwnerGroup<'a>>,
    site: &Site,
    owner: Option<&'a str>,
    state: ReviewState,
) -> &'g mut OwnerGroup<'a> {
    let index = match groups.iter().position(|g| g.id == owner) {
        Some(index) => index,
        None => {
            let role = owner.and_then(|id| site.role(id));
            groups.push(OwnerGroup {
                id: owner,
                name: match (role, owner) {
                    (Some(role), _) => role.name.clone(),
                    (None, Some(id)) => id.to_string(),
                    (None, None) => "No owner".to_string(),
                },
                url: owner.map(|id| format!("roles/index.html#role-{id}")),
                anchor: owner.map_or_else(|| "owner-none".to_string(), |id| format!("owner-{id}")),
                state,
                overdue: 0,
                sops: Vec::new(),
            });
            groups.len() - 1
        }
    };
    &mut groups[index]
}

/// Sorts the groups and their SOPs, most urgent first.
fn sort_by_urgency(groups: &mut [OwnerGroup<'_>]) {
    for group in groups.iter_mut() {
        // Most urgent first; among equals, the earliest due, then the id.
        group
            .sops
            .sort_by(|a, b| (a.state, a.due, a.id).cmp(&(b.state, b.due, b.id)));
    }
    // Owners with the most overdue SOPs first, then by how urgent their
    // most urgent SOP is; SOPs without an owner last among equals.
    groups.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.overdue),
            a.state,
            a.id.is_none(),
            &a.name,
        )
            .cmp(&(
                std::cmp::Reverse(b.overdue),
                b.state,
                b.id.is_none(),
                &b.name,
            ))
    });
}

/// The review page's context.
#[derive(Serialize)]
struct ReviewsPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    reviews: ReviewsView<'a>,
}

/// The review page.
pub fn reviews_page(site: &Site) -> PageJob {
    let path = PAGE_PATH.to_string();
    let view = ReviewsPage {
        base: BaseView::new(site, &path, "reviews", "Reviews"),
        reviews: reviews_view(site),
    };
    page_job(&path, "reviews.html", &view)
}

/// `reviews.ics`: one all-day event on each built SOP's review due date.
///
/// An event's UID names the SOP only, so when the SOP is reviewed and its
/// due date moves, calendar clients move the event rather than add one.
/// The DTSTAMP is the as-of date: the same site gives the same bytes.
pub fn reviews_ics(site: &Site) -> String {
    let host = feed_host(&site.config.base_url);
    let stamp = format!("{}T000000Z", ics::date(site.as_of));
    let base = site.config.base_url.trim();
    let mut feed = String::new();
    ics::line(&mut feed, "BEGIN:VCALENDAR");
    ics::line(&mut feed, "VERSION:2.0");
    ics::line(&mut feed, "PRODID:-//onboard//reviews//EN");
    ics::line(&mut feed, "CALSCALE:GREGORIAN");
    ics::line(&mut feed, "METHOD:PUBLISH");
    ics::text(
        &mut feed,
        "X-WR-CALNAME",
        &format!("{} — SOP reviews", site.config.title),
    );
    for sop in site.sops.iter().filter(|s| s.published) {
        let Some(due) = sop.review_due else { continue };
        let doc = &sop.loaded.doc;
        ics::line(&mut feed, "BEGIN:VEVENT");
        ics::text(&mut feed, "UID", &format!("review-{}@{host}", sop.id));
        ics::line(&mut feed, &format!("DTSTAMP:{stamp}"));
        ics::line(&mut feed, &format!("DTSTART;VALUE=DATE:{}", ics::date(due)));
        // DTEND of an all-day event is exclusive: the next day.
        let end = due.checked_add_days(Days::new(1)).unwrap_or(due);
        ics::line(&mut feed, &format!("DTEND;VALUE=DATE:{}", ics::date(end)));
        ics::text(&mut feed, "SUMMARY", &format!("Review due: {}", doc.title));
        let mut lines = Vec::new();
        if let Some(owner) = owner_of(sop) {
            let name = site.role(owner).map_or(owner, |r| r.name.as_str());
            lines.push(format!("Owner: {name}"));
        }
        if let Some(cycle) = &doc.review_cycle {
            lines.push(format!("Cycle: {}", cycle.value));
        }
        if let Some(last) = doc.last_reviewed {
            lines.push(format!("Last reviewed: {}", last.0));
        }
        let state = review_state(Some(due), site.as_of);
        lines.push(format!("State on {}: {}", site.as_of, state.label()));
        ics::text(&mut feed, "DESCRIPTION", &lines.join("\n"));
        // URL is a URI, not TEXT: written as is, so only a base URL
        // without spaces or control characters makes one.
        if !base.is_empty() && !base.chars().any(|c| c.is_whitespace() || c.is_control()) {
            let base = base.trim_end_matches('/');
            ics::line(&mut feed, &format!("URL:{base}/sops/{}/", sop.id));
        }
        // A due date is a deadline, not a meeting: it must not show as busy.
        ics::line(&mut feed, "TRANSP:TRANSPARENT");
        ics::line(&mut feed, "END:VEVENT");
    }
    ics::line(&mut feed, "END:VCALENDAR");
    feed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn states_change_on_the_due_date_and_thirty_days_before_it() {
        let due = Some(day("2026-04-10"));
        for (as_of, state) in [
            ("2026-03-10", ReviewState::Fine),
            ("2026-03-11", ReviewState::DueSoon),
            ("2026-04-09", ReviewState::DueSoon),
            ("2026-04-10", ReviewState::DueSoon),
            ("2026-04-11", ReviewState::Overdue),
            ("2027-01-01", ReviewState::Overdue),
        ] {
            assert_eq!(review_state(due, day(as_of)), state, "as of {as_of}");
        }
        assert_eq!(
            review_state(None, day("2026-04-10")),
            ReviewState::Unscheduled
        );
        // The last day chrono knows does not overflow.
        assert_eq!(
            review_state(Some(NaiveDate::MAX), NaiveDate::MAX),
            ReviewState::DueSoon
        );
    }

    #[test]
    fn states_sort_from_the_most_urgent() {
        let mut states = [
            ReviewState::Unscheduled,
            ReviewState::Fine,
            ReviewState::Overdue,
            ReviewState::DueSoon,
        ];
        states.sort();
        assert_eq!(
            states,
            [
                ReviewState::Overdue,
                ReviewState::DueSoon,
                ReviewState::Fine,
                ReviewState::Unscheduled
            ]
        );
    }
}
