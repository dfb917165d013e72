//! The portfolio dashboard's rows: every customer in the order it needs
//! attention, each saying why, who must act and what the next action is.
//!
//! The page itself carries the first rows of each list (the triage); the
//! whole list goes to `customers/dashboard.js`, a compact data file that
//! the dashboard loads with a `<script>` tag (so it works from `file://`)
//! and pages through, sorts and filters in the browser.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Action, MilestoneStatus, Side};
use crate::site::{Customer, Site};
use crate::status::{CustomerState, Milestone, Progress};

/// Rows of each list the dashboard page carries before its script takes
/// over; the same number is a page of the browser's table.
pub const PAGE_ROWS: usize = 50;

/// Late and at-risk customers listed on the home page.
pub const HOME_ATTENTION_ROWS: usize = 10;

/// Where the dashboard's data file goes in the output.
pub const DATA_PATH: &str = "customers/dashboard.js";

/// Who must move next on an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Acts {
    /// The customer's team.
    Customer,
    /// The internal team.
    Us,
    /// Both sides.
    Together,
}

impl Acts {
    /// How the dashboard says it.
    pub fn label(self) -> &'static str {
        match self {
            Acts::Customer => "Customer",
            Acts::Us => "Us",
            Acts::Together => "Together",
        }
    }

    /// The side named in a tracker (`customer`, `internal`, `joint`).
    fn of_side(side: &str) -> Option<Acts> {
        match side.trim().to_ascii_lowercase().as_str() {
            "customer" => Some(Acts::Customer),
            "internal" | "us" => Some(Acts::Us),
            "joint" | "both" | "together" => Some(Acts::Together),
            _ => None,
        }
    }

    /// Who acts on a milestone of this side.
    pub fn of_milestone(side: Side) -> Acts {
        match side {
            Side::Customer => Acts::Customer,
            Side::Internal => Acts::Us,
            Side::Joint => Acts::Together,
        }
    }

    fn code(self) -> i64 {
        match self {
            Acts::Customer => 0,
            Acts::Us => 1,
            Acts::Together => 2,
        }
    }
}

/// The open action that comes next on an account.
#[derive(Clone, Debug, Serialize)]
pub struct NextAction<'a> {
    /// What to do.
    pub title: &'a str,
    /// Who does it.
    pub owner: Option<&'a str>,
    /// By when (ISO date).
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub due: Option<NaiveDate>,
    /// Its due date has passed.
    pub overdue: bool,
}

/// One customer as the dashboard and the home page list it.
#[derive(Clone, Debug, Serialize)]
pub struct DashboardRow<'a> {
    /// The customer's slug; its status page is `<slug>/index.html` beside
    /// the dashboard.
    pub slug: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Path of the status page from the site root.
    pub url: String,
    /// Overall state.
    pub state: CustomerState,
    /// The state in words.
    pub state_label: &'static str,
    /// Tier, as written.
    pub tier: Option<&'a str>,
    /// CSM, as written.
    pub csm: Option<&'a str>,
    /// Why the account is late or at risk: the blocker in the way, else
    /// the late milestone or the reason of the state.
    pub why: Option<String>,
    /// The milestone furthest behind, when one is late.
    pub late_milestone: Option<&'a str>,
    /// Its days late (0 when none is late).
    pub days_late: i64,
    /// Who must act next.
    pub acts: Option<Acts>,
    /// `acts` in words.
    pub acts_label: Option<&'static str>,
    /// The next open action.
    pub next_action: Option<NextAction<'a>>,
    /// The next open milestone.
    pub next_milestone: Option<&'a str>,
    /// Its target (ISO date).
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    pub next_target: Option<NaiveDate>,
    /// Milestones done and to do.
    pub progress: Progress,
    /// Percent done.
    pub percent: u32,
}

/// The order of the dashboard: late customers by days late (most first),
/// then at-risk ones, then on-track ones, each by next due date (soonest
/// first, undated last), then complete ones; ties by name, then slug.
pub fn by_severity(a: &Customer, b: &Customer) -> Ordering {
    fn rank(state: CustomerState) -> u8 {
        match state {
            CustomerState::Late => 0,
            CustomerState::AtRisk => 1,
            CustomerState::OnTrack => 2,
            CustomerState::Complete => 3,
        }
    }
    let (sa, sb) = (&a.status, &b.status);
    rank(sa.state)
        .cmp(&rank(sb.state))
        .then_with(|| match sa.state {
            CustomerState::Late => sb.max_days_late.cmp(&sa.max_days_late),
            _ => Ordering::Equal,
        })
        .then_with(|| match (sa.next_target, sb.next_target) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.name().to_lowercase().cmp(&b.name().to_lowercase()))
        .then_with(|| a.slug.cmp(&b.slug))
}

/// The site's customers in [`by_severity`] order.
pub fn in_severity_order(site: &Site) -> Vec<&Customer> {
    let mut customers: Vec<&Customer> = site.customers.iter().collect();
    customers.sort_by(|a, b| by_severity(a, b));
    customers
}

/// The milestone an account's state is about: the one furthest behind,
/// else a blocked one, else the first open one with a blocker.
fn focus(customer: &Customer) -> Option<&Milestone> {
    let milestones = &customer.milestones;
    let mut late = milestones.iter().filter(|m| m.late);
    let first_late = late.next();
    let furthest = late.fold(first_late, |best, m| match best {
        Some(b) if b.days_late >= m.days_late => Some(b),
        _ => Some(m),
    });
    furthest
        .or_else(|| {
            milestones
                .iter()
                .find(|m| m.status == MilestoneStatus::Blocked)
        })
        .or_else(|| {
            milestones
                .iter()
                .find(|m| !m.is_closed() && !m.blockers.is_empty())
        })
}

/// The open action to do next: the earliest due, undated ones last, in
/// tracker order among equals.
pub fn next_action(customer: &Customer) -> Option<&Action> {
    customer
        .tracker()
        .actions
        .iter()
        .filter(|a| !a.done)
        .min_by_key(|a| (a.due.is_none(), a.due.as_ref().map(|d| d.0)))
}

/// Who must act on an account: the next action's side, else the side of
/// the stakeholder who owns it; when the action says neither (or there is
/// none), the side of the milestone the account is waiting on (`side:`,
/// internal unless the tracker says otherwise).
pub fn who_acts(
    customer: &Customer,
    action: Option<&Action>,
    milestone: Option<&Milestone>,
) -> Option<Acts> {
    action
        .and_then(|a| acts_on(customer, a))
        .or_else(|| milestone.map(|m| Acts::of_milestone(m.side)))
}

/// The milestone a row or a status page is about: the one its state is
/// about (see [`focus`]), else the next open one.
pub fn milestone_in_question(customer: &Customer) -> Option<&Milestone> {
    if customer.status.state == CustomerState::Complete {
        return None;
    }
    focus(customer).or_else(|| {
        customer
            .status
            .next_index
            .and_then(|i| customer.milestones.get(i))
    })
}

/// Who must act on an action: its side, else the side of the stakeholder
/// who owns it.
fn acts_on(customer: &Customer, action: &Action) -> Option<Acts> {
    if let Some(acts) = action.side.as_deref().and_then(Acts::of_side) {
        return Some(acts);
    }
    let owner = action.owner.as_deref()?.trim();
    customer
        .tracker()
        .stakeholders
        .iter()
        .find(|s| s.name.trim().eq_ignore_ascii_case(owner))
        .and_then(|s| s.side.as_deref())
        .and_then(Acts::of_side)
}

/// A customer's dashboard row as of `as_of`.
pub fn row<'a>(customer: &'a Customer, as_of: NaiveDate) -> DashboardRow<'a> {
    let tracker = customer.tracker();
    let status = &customer.status;
    let focus = focus(customer).filter(|_| status.state != CustomerState::Complete);
    let why = match focus {
        Some(m) if !m.blockers.is_empty() => Some(m.blockers[0].trim().to_string()),
        Some(m) if m.late => Some(format!(
            "{} is {} day{} late",
            m.name,
            m.days_late.unwrap_or(0),
            if m.days_late == Some(1) { "" } else { "s" }
        )),
        _ => status.reasons.first().cloned(),
    };
    let action = next_action(customer);
    let acts = who_acts(customer, action, milestone_in_question(customer));
    DashboardRow {
        slug: &customer.slug,
        name: customer.name(),
        url: super::pages::customer_path(&customer.slug),
        state: status.state,
        state_label: status.state.label(),
        tier: tracker.customer.tier.as_deref(),
        csm: tracker.customer.csm.as_deref(),
        why,
        late_milestone: focus.filter(|m| m.late).map(|m| m.name.as_str()),
        days_late: status.max_days_late,
        acts,
        acts_label: acts.map(Acts::label),
        next_action: action.map(|a| NextAction {
            title: &a.title,
            owner: a.owner.as_deref(),
            due: a.due.as_ref().map(|d| d.0),
            overdue: a.due.as_ref().is_some_and(|d| d.0 < as_of),
        }),
        next_milestone: status.next_milestone.as_deref(),
        next_target: status.next_target,
        progress: status.progress,
        percent: status.percent,
    }
}

/// What the dashboard page carries of the customer list: the first rows of
/// the active and the complete customers, and their totals.
#[derive(Debug, Serialize)]
pub struct CustomerList<'a> {
    /// The first active customers (late, at risk, on track), most urgent
    /// first.
    pub active: Vec<DashboardRow<'a>>,
    /// Active customers in all.
    pub active_total: usize,
    /// The first complete customers.
    pub complete: Vec<DashboardRow<'a>>,
    /// Complete customers in all.
    pub complete_total: usize,
    /// Rows per page of the browser's table.
    pub page_rows: usize,
    /// The data file, from the site root.
    pub data_url: &'static str,
}

/// The page's part of the list, from rows in severity order.
pub fn customer_list<'a>(rows: &[DashboardRow<'a>]) -> CustomerList<'a> {
    let split = rows
        .iter()
        .position(|r| r.state == CustomerState::Complete)
        .unwrap_or(rows.len());
    let (active, complete) = rows.split_at(split);
    CustomerList {
        active: active.iter().take(PAGE_ROWS).cloned().collect(),
        active_total: active.len(),
        complete: complete.iter().take(PAGE_ROWS).cloned().collect(),
        complete_total: complete.len(),
        page_rows: PAGE_ROWS,
        data_url: DATA_PATH,
    }
}

/// The data file: every row, in severity order, as arrays of numbers that
/// index one table of strings (names of CSMs, milestones and dates repeat
/// across thousands of customers). Cells, in order: name, slug, state
/// (0 late, 1 at risk, 2 on track, 3 complete), tier, CSM, why, late
/// milestone, days late, who acts (0 customer, 1 us, 2 together), next
/// action, its owner, its due date, overdue (0 or 1), next milestone, its
/// target, milestones done, milestones in all, percent. Absent strings are
/// -1. `tier_names` gives each tier's display name (`tiers:` in
/// `onboard.yaml`). The file is JavaScript that hands the data to
/// `onboard.js`.
pub fn data_script(site: &Site, rows: &[DashboardRow]) -> String {
    // The dates as text, made first: the table of strings borrows them.
    let dates: Vec<[Option<String>; 2]> = rows
        .iter()
        .map(|r| {
            [
                r.next_action
                    .as_ref()
                    .and_then(|a| a.due)
                    .map(|d| d.to_string()),
                r.next_target.map(|d| d.to_string()),
            ]
        })
        .collect();
    let mut strings = Interner::default();
    let cells = rows
        .iter()
        .zip(&dates)
        .map(|(row, dates)| data_cells(row, dates, &mut strings))
        .collect();
    let data = DashboardData {
        as_of: site.as_of.to_string(),
        tier_names: rows
            .iter()
            .filter_map(|r| r.tier)
            .map(|tier| (tier, site.config.tier_name(tier)))
            .collect(),
        columns: &DATA_COLUMNS,
        strings: strings.strings,
        rows: cells,
    };
    // Strings and numbers always serialise; JSON is a JavaScript
    // expression, and U+2028/U+2029 are valid in JavaScript strings.
    let json = serde_json::to_string(&data).expect("dashboard data serialises");
    format!(
        "/* The onboard dashboard's customer list; read by onboard.js. */\nwindow.onboardDashboard = {json};\n"
    )
}

/// The data file's content (see [`data_script`]).
#[derive(Serialize)]
struct DashboardData<'a> {
    as_of: String,
    tier_names: std::collections::BTreeMap<&'a str, String>,
    columns: &'a [&'a str],
    strings: Vec<&'a str>,
    rows: Vec<Vec<i64>>,
}

/// The names of a data row's cells, in order.
const DATA_COLUMNS: [&str; 18] = [
    "name",
    "slug",
    "state",
    "tier",
    "csm",
    "why",
    "late_milestone",
    "days_late",
    "acts",
    "action",
    "action_owner",
    "action_due",
    "action_overdue",
    "next_milestone",
    "next_target",
    "done",
    "total",
    "percent",
];

/// One row's cells in [`DATA_COLUMNS`] order, its strings interned;
/// `[due, target]` are its next action's due date and its next target as
/// text.
fn data_cells<'a>(
    row: &'a DashboardRow<'a>,
    [due, target]: &'a [Option<String>; 2],
    strings: &mut Interner<'a>,
) -> Vec<i64> {
    let state = match row.state {
        CustomerState::Late => 0,
        CustomerState::AtRisk => 1,
        CustomerState::OnTrack => 2,
        CustomerState::Complete => 3,
    };
    let action = row.next_action.as_ref();
    vec![
        strings.intern(Some(row.name)),
        strings.intern(Some(row.slug)),
        state,
        strings.intern(row.tier),
        strings.intern(row.csm),
        strings.intern(row.why.as_deref()),
        strings.intern(row.late_milestone),
        row.days_late,
        row.acts.map_or(-1, Acts::code),
        strings.intern(action.map(|a| a.title)),
        strings.intern(action.and_then(|a| a.owner)),
        strings.intern(due.as_deref()),
        i64::from(action.is_some_and(|a| a.overdue)),
        strings.intern(row.next_milestone),
        strings.intern(target.as_deref()),
        row.progress.done as i64,
        row.progress.total as i64,
        i64::from(row.percent),
    ]
}

/// Strings stored once, referred to by their index.
#[derive(Default)]
struct Interner<'a> {
    strings: Vec<&'a str>,
    index: HashMap<&'a str, i64>,
}

impl<'a> Interner<'a> {
    /// The index of `text`, -1 for none.
    fn intern(&mut self, text: Option<&'a str>) -> i64 {
        let Some(text) = text else { return -1 };
        let strings = &mut self.strings;
        *self.index.entry(text).or_insert_with(|| {
            strings.push(text);
            strings.len() as i64 - 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::tests::site_from;

    const CONFIG: &str = "title: Test\n";

    fn tracker(slug: &str, state_lines: &str) -> String {
        format!(
            "customer: {{ name: {name}, slug: {slug}, tier: smb, csm: Jane Smith, start_date: \"2026-03-02\" }}\n{state_lines}",
            name = slug.to_uppercase()
        )
    }

    fn site() -> Site {
        let trackers = [
            // Late by 5 days (target 04-15), blocked by the customer.
            (
                "late5",
                "milestones:\n  - { name: SSO live, target_date: \"2026-04-15\", status: in_progress, blockers: [\"Waiting on the customer's SSO metadata\"] }\nstakeholders:\n  - { name: Maria Lopez, role: it_admin, side: customer }\nactions:\n  - { title: Send the metadata, owner: Maria Lopez, due: \"2026-04-17\" }\n  - { title: Book training, owner: Jane Smith, side: internal }\n",
            ),
            // Late by 20 days, without a blocker.
            (
                "late20",
                "milestones:\n  - { name: Data imported, target_date: \"2026-03-31\", status: pending }\nactions:\n  - { title: Run the import, owner: Jane Smith, side: internal, due: \"2026-04-25\" }\n",
            ),
            // At risk (high risk), next due 04-30.
            (
                "risk30",
                "milestones:\n  - { name: Training, target_date: \"2026-04-30\", status: pending }\nhealth: { risk_level: high }\n",
            ),
            // At risk (blocked), next due 04-22.
            (
                "risk22",
                "milestones:\n  - { name: Training, target_date: \"2026-04-22\", status: blocked, blockers: [Trainer unavailable] }\n",
            ),
            // On track, due 05-10, 04-25 and undated.
            (
                "track10",
                "milestones:\n  - { name: Go live, target_date: \"2026-05-10\", status: pending }\n",
            ),
            (
                "track25",
                "milestones:\n  - { name: Go live, target_date: \"2026-04-25\", status: pending }\n",
            ),
            (
                "undated",
                "milestones:\n  - { name: Go live, status: pending }\n",
            ),
            (
                "done",
                "milestones:\n  - { name: Go live, target_date: \"2026-04-01\", actual_date: \"2026-04-01\", status: complete }\n",
            ),
        ];
        let texts: Vec<(String, String)> = trackers
            .iter()
            .map(|(slug, lines)| {
                (
                    format!("content/customers/{slug}.yaml"),
                    tracker(slug, lines),
                )
            })
            .collect();
        let mut files: Vec<(&str, &str)> = vec![("onboard.yaml", CONFIG)];
        files.extend(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        site_from(&files, "2026-04-20")
    }

    #[test]
    fn late_by_days_late_then_at_risk_then_on_track_by_next_due_date() {
        let site = site();
        let order: Vec<&str> = in_severity_order(&site)
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "late20", "late5", "risk22", "risk30", "track25", "track10", "undated", "done"
            ]
        );
    }

    #[test]
    fn rows_say_why_who_acts_and_the_next_action() {
        let site = site();
        let as_of = site.as_of;
        let find = |slug: &str| {
            let customer = site.customers.iter().find(|c| c.slug == slug).unwrap();
            row(customer, as_of)
        };
        let late5 = find("late5");
        assert_eq!(
            late5.why.as_deref(),
            Some("Waiting on the customer's SSO metadata"),
            "the blocker, not a count"
        );
        assert_eq!(late5.late_milestone, Some("SSO live"));
        assert_eq!(late5.days_late, 5);
        let action = late5.next_action.as_ref().unwrap();
        assert_eq!(
            (action.title, action.owner, action.overdue),
            ("Send the metadata", Some("Maria Lopez"), true)
        );
        assert_eq!(late5.acts, Some(Acts::Customer), "from the owner's side");

        let late20 = find("late20");
        assert_eq!(late20.why.as_deref(), Some("Data imported is 20 days late"));
        assert_eq!(late20.acts, Some(Acts::Us), "from the action's side");
        assert!(!late20.next_action.as_ref().unwrap().overdue);

        assert_eq!(find("risk22").why.as_deref(), Some("Trainer unavailable"));
        assert_eq!(find("risk30").why.as_deref(), Some("risk level is high"));
        let track = find("track25");
        assert_eq!(track.why, None);
        assert_eq!(
            track.acts,
            Some(Acts::Us),
            "no action: the next milestone's side, internal by default"
        );
        assert_eq!(find("done").acts, None, "nothing left to act on");
        assert_eq!(find("done").why, None);
    }

    #[test]
    fn an_action_that_names_no_side_leaves_it_to_the_milestone_in_question() {
        // Each customer's next action has no side and an owner who is not a
        // stakeholder; the late milestone's side decides who must act.
        let late = |slug: &str, side: &str| {
            (
                format!("content/customers/{slug}.yaml"),
                tracker(
                    slug,
                    &format!(
                        "milestones:\n  - {{ name: Done first, target_date: \"2026-04-01\", actual_date: \"2026-04-01\", status: complete, side: customer }}\n  - {{ name: SSO live, target_date: \"2026-04-15\", status: in_progress{side} }}\n  - {{ name: Training, target_date: \"2026-05-15\", status: pending, side: customer }}\nactions:\n  - {{ title: Chase the metadata, owner: Somebody Else, due: \"2026-04-22\" }}\n"
                    ),
                ),
            )
        };
        let texts = [
            late("customer-side", ", side: customer"),
            late("joint-side", ", side: joint"),
            late("internal-side", ""),
        ];
        let mut files: Vec<(&str, &str)> = vec![("onboard.yaml", CONFIG)];
        files.extend(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let site = site_from(&files, "2026-04-20");
        let acts = |slug: &str| {
            let customer = site.customers.iter().find(|c| c.slug == slug).unwrap();
            row(customer, site.as_of).acts
        };
        assert_eq!(acts("customer-side"), Some(Acts::Customer));
        assert_eq!(acts("joint-side"), Some(Acts::Together));
        assert_eq!(
            acts("internal-side"),
            Some(Acts::Us),
            "the late milestone, not the customer's next one"
        );
        // An action that names its side still wins over the milestone.
        let customer = site
            .customers
            .iter()
            .find(|c| c.slug == "customer-side")
            .unwrap();
        let ours = Action {
            side: Some("internal".to_string()),
            ..customer.tracker().actions[0].clone()
        };
        assert_eq!(
            who_acts(customer, Some(&ours), milestone_in_question(customer)),
            Some(Acts::Us)
        );
    }

    #[test]
    fn the_page_carries_the_first_rows_and_the_data_file_all() {
        let site = site();
        let rows: Vec<DashboardRow> = in_severity_order(&site)
            .into_iter()
            .map(|c| row(c, site.as_of))
            .collect();
        let list = customer_list(&rows);
        assert_eq!((list.active_total, list.complete_total), (7, 1));
        assert_eq!(list.complete[0].slug, "done");
        let script = data_script(&site, &rows);
        let json = script
            .strip_prefix("/* The onboard dashboard's customer list; read by onboard.js. */\nwindow.onboardDashboard = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap();
        let data: serde_json::Value = serde_json::from_str(json).unwrap();
        let strings = data["strings"].as_array().unwrap();
        let data_rows = data["rows"].as_array().unwrap();
        assert_eq!(data_rows.len(), 8);
        let text = |cell: &serde_json::Value| strings[cell.as_i64().unwrap() as usize].as_str();
        assert_eq!(text(&data_rows[0][1]), Some("late20"));
        assert_eq!(data_rows[0][7], 20, "days late");
        assert_eq!(
            text(&data_rows[1][5]),
            Some("Waiting on the customer's SSO metadata")
        );
        assert_eq!(data_rows[1][8], 0, "the customer acts");
        assert_eq!(data_rows[7][2], 3, "complete last");
        assert_eq!(data_rows[6][14], -1, "no target");
        // Repeated strings are stored once.
        assert_eq!(strings.iter().filter(|s| *s == "Jane Smith").count(), 1);
        // Tiers keep their id for filters and carry the name readers see.
        assert_eq!(text(&data_rows[0][3]), Some("smb"));
        assert_eq!(data["tier_names"], serde_json::json!({ "smb": "SMB" }));
    }
}
