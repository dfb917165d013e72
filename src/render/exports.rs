//! Machine-readable exports: `customers.json`, `kpis.json`, `kpis.csv` and
//! each customer's `milestones.ics` (SPEC section 4).
//!
//! The JSON shapes are written as structs rather than maps so that keys come
//! out in the order the SPEC lists them. Nothing here reads the clock: the
//! same site and as-of date give byte-identical files, which is why the
//! iCalendar DTSTAMP is the as-of date and not the time of the build.
//!
//! Exports are opened by other programs, so what content writes in them is
//! made inert there: text cells of the CSV cannot start a spreadsheet
//! formula, and text in a feed cannot end its line (see [`ics`]).

use std::borrow::Cow;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::kpi::KpiResult;
use crate::measure::KpiScope;
use crate::measure::Unit;
use crate::model::{MilestoneStatus, slugify};
use crate::site::{Customer, Site};
use crate::status::Milestone;

/// `YYYY-MM-DD`, the one date format of every export.
fn ymd(date: NaiveDate) -> String {
    date.to_string()
}

/// Top level of `customers.json`.
#[derive(Serialize)]
struct CustomersExport<'a> {
    as_of: String,
    customers: Vec<CustomerExport<'a>>,
}

/// One customer in `customers.json`.
#[derive(Serialize)]
struct CustomerExport<'a> {
    slug: &'a str,
    name: &'a str,
    tier: Option<&'a str>,
    csm: Option<&'a str>,
    playbook: Option<&'a str>,
    start_date: Option<String>,
    state: &'static str,
    progress: ProgressExport,
    next_milestone: Option<&'a str>,
    time_to_kickoff_business_days: Option<i64>,
    time_to_first_value_days: Option<i64>,
    milestones: Vec<MilestoneExport<'a>>,
}

/// `progress` of a customer in `customers.json`.
#[derive(Serialize)]
struct ProgressExport {
    done: usize,
    total: usize,
}

/// One milestone in `customers.json`.
#[derive(Serialize)]
struct MilestoneExport<'a> {
    name: &'a str,
    marks: Option<&'a str>,
    target_date: Option<String>,
    actual_date: Option<String>,
    status: &'static str,
    late: bool,
    days_late: Option<i64>,
}

/// `customers.json`: every customer with its computed status, sorted by slug.
pub fn customers_json(site: &Site) -> String {
    let customers = site
        .customers
        .iter()
        .map(|customer| {
            let info = &customer.tracker().customer;
            let status = &customer.status;
            CustomerExport {
                slug: &customer.slug,
                name: customer.name(),
                tier: info.tier.as_deref(),
                csm: info.csm.as_deref(),
                playbook: customer.playbook.as_deref(),
                start_date: customer.start_date().map(ymd),
                state: status.state.as_str(),
                progress: ProgressExport {
                    done: status.progress.done,
                    total: status.progress.total,
                },
                next_milestone: status.next_milestone.as_deref(),
                time_to_kickoff_business_days: status.time_to_kickoff_business_days,
                time_to_first_value_days: status.time_to_first_value_days,
                milestones: customer
                    .milestones
                    .iter()
                    .map(|m| MilestoneExport {
                        name: &m.name,
                        marks: m.marks.as_deref(),
                        target_date: m.target_date.map(ymd),
                        actual_date: m.actual_date.map(ymd),
                        status: m.status.as_str(),
                        late: m.late,
                        days_late: m.days_late,
                    })
                    .collect(),
            }
        })
        .collect();
    pretty_json(&CustomersExport {
        as_of: ymd(site.as_of),
        customers,
    })
}

/// Top level of `kpis.json`.
#[derive(Serialize)]
struct KpisExport<'a> {
    as_of: String,
    kpis: Vec<KpiExport<'a>>,
}

/// One KPI row of `kpis.json`; the per-customer values stay out of it.
#[derive(Serialize)]
struct KpiExport<'a> {
    sop: &'a str,
    id: &'a str,
    name: &'a str,
    target: Option<&'a str>,
    value: Option<f64>,
    unit: Option<&'a str>,
    met: Option<bool>,
    /// `applies_to:`; `null` when the KPI measures every customer.
    applies_to: Option<&'a KpiScope>,
    /// Customers within the scope, with data or not.
    in_scope: usize,
    /// Customers the value is computed over.
    customers: usize,
}

impl<'a> From<&'a KpiResult> for KpiExport<'a> {
    fn from(kpi: &'a KpiResult) -> Self {
        KpiExport {
            sop: &kpi.sop,
            id: &kpi.id,
            name: &kpi.name,
            target: kpi.target_text.as_deref(),
            value: kpi.value,
            unit: kpi.unit.map(Unit::as_str),
            met: kpi.met,
            applies_to: (!kpi.scope.is_all()).then_some(&kpi.scope),
            in_scope: kpi.in_scope,
            customers: kpi.customers,
        }
    }
}

/// `kpis.json`: every computed KPI as of `as_of`; `met` is null when there is
/// no data, no measure or no target.
pub fn kpis_json(as_of: NaiveDate, kpis: &[KpiResult]) -> String {
    pretty_json(&KpisExport {
        as_of: ymd(as_of),
        kpis: kpis.iter().map(KpiExport::from).collect(),
    })
}

/// Pretty JSON with a final newline, as text files end.
fn pretty_json(value: &impl Serialize) -> String {
    // Plain structs of strings, numbers and options always serialise.
    let mut text = serde_json::to_string_pretty(value).expect("export structs serialise");
    text.push('\n');
    text
}

/// `kpis.csv`: the rows of `kpis.json` under the header
/// `sop,id,name,target,value,unit,met,customers,playbooks,tiers,in_scope`;
/// null is an empty cell, and the scope's playbooks and tiers are each
/// joined with `;` (both empty when the KPI measures every customer).
/// Text cells go through [`text_cell`]; numbers and booleans are written
/// as they are, so a negative value stays a number.
pub fn kpis_csv(kpis: &[KpiResult]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing into a Vec cannot fail, and every row has the header's width.
    writer
        .write_record([
            "sop",
            "id",
            "name",
            "target",
            "value",
            "unit",
            "met",
            "customers",
            "playbooks",
            "tiers",
            "in_scope",
        ])
        .expect("in-memory CSV");
    for kpi in kpis {
        let value = kpi.value.map(|v| v.to_string()).unwrap_or_default();
        let met = kpi.met.map(|m| m.to_string()).unwrap_or_default();
        writer
            .write_record([
                &*text_cell(&kpi.sop),
                &*text_cell(&kpi.id),
                &*text_cell(&kpi.name),
                &*text_cell(kpi.target_text.as_deref().unwrap_or("")),
                value.as_str(),
                &*text_cell(kpi.unit.map_or("", Unit::as_str)),
                met.as_str(),
                kpi.customers.to_string().as_str(),
                &*text_cell(&kpi.scope.playbooks.join(";")),
                &*text_cell(&kpi.scope.tiers.join(";")),
                kpi.in_scope.to_string().as_str(),
            ])
            .expect("in-memory CSV");
    }
    let bytes = writer.into_inner().expect("in-memory CSV");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// `customers.csv`: one row per customer in the dashboard's order (most
/// urgent first) under the header `slug,name,state,tier,csm,why,
/// late_milestone,days_late,who_acts,next_action,action_owner,action_due,
/// next_milestone,next_target,done,total,percent`; absent values are empty
/// cells. It is the dashboard's list for readers without JavaScript.
pub fn customers_csv(rows: &[super::dashboard::DashboardRow]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "slug",
            "name",
            "state",
            "tier",
            "csm",
            "why",
            "late_milestone",
            "days_late",
            "who_acts",
            "next_action",
            "action_owner",
            "action_due",
            "next_milestone",
            "next_target",
            "done",
            "total",
            "percent",
        ])
        .expect("in-memory CSV");
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for r in rows {
        let action = r.next_action.as_ref();
        writer
            .write_record([
                &*text_cell(r.slug),
                &*text_cell(r.name),
                r.state.as_str(),
                &*text_cell(r.tier.unwrap_or("")),
                &*text_cell(r.csm.unwrap_or("")),
                &*text_cell(r.why.as_deref().unwrap_or("")),
                &*text_cell(r.late_milestone.unwrap_or("")),
                r.days_late.to_string().as_str(),
                r.acts_label.unwrap_or(""),
                &*text_cell(action.map_or("", |a| a.title)),
                &*text_cell(action.and_then(|a| a.owner).unwrap_or("")),
                date(action.and_then(|a| a.due)).as_str(),
                &*text_cell(r.next_milestone.unwrap_or("")),
                date(r.next_target).as_str(),
                r.progress.done.to_string().as_str(),
                r.progress.total.to_string().as_str(),
                r.percent.to_string().as_str(),
            ])
            .expect("in-memory CSV");
    }
    let bytes = writer.into_inner().expect("in-memory CSV");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// A text cell of a CSV export, safe to open in a spreadsheet: text that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read
/// as a formula (`=HYPERLINK(...)`), so it gets a leading `'`, which
/// spreadsheets show as text (OWASP's advice on CSV injection).
fn text_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A customer's milestones as an iCalendar (RFC 5545) feed: one all-day
/// event per milestone that has a target date.
///
/// With `visible_only` the feed is fit for the customer: milestones marked
/// `customer_visible: false` are left out, and events carry only what the
/// customer site shows (name, dates, status, criteria, blockers). Event UIDs
/// derive from the customer and milestone names so that calendar clients
/// update events in place across builds.
pub fn milestones_ics(site: &Site, customer: &Customer, visible_only: bool) -> String {
    let [internal, shared] = milestone_feeds(site, customer, !visible_only, visible_only);
    if visible_only { shared } else { internal }
}

/// A customer's two feeds of [`milestones_ics`]: the internal one (empty
/// unless `internal` is set) and the customer's (empty unless `shared`
/// is set). An event that reads the same in both (a visible milestone
/// whose UID no hidden one took first) is written once for the two.
pub fn milestone_feeds(
    site: &Site,
    customer: &Customer,
    internal: bool,
    shared: bool,
) -> [String; 2] {
    let host = feed_host(&site.config.base_url);
    // Fixed to the as-of date: a DTSTAMP of "now" would change every build.
    let stamp = format!("{}T000000Z", ics::date(site.as_of));
    let head = calendar_head(customer);
    let mut feeds = [head.clone(), head];
    let mut internal_uids: Vec<String> = Vec::new();
    let mut shared_uids: Vec<String> = Vec::new();
    let event_text = |uid: &str, milestone: &Milestone, target: NaiveDate| {
        milestone_event(customer, &stamp, uid, milestone, target)
    };
    for milestone in &customer.milestones {
        let Some(target) = milestone.target_date else {
            continue;
        };
        let mut written = None;
        if internal {
            let uid = unique_uid(&mut internal_uids, &customer.slug, &milestone.name, &host);
            let text = event_text(&uid, milestone, target);
            feeds[0].push_str(&text);
            written = Some((uid, text));
        }
        if shared && milestone.customer_visible {
            let uid = unique_uid(&mut shared_uids, &customer.slug, &milestone.name, &host);
            match written {
                Some((same, text)) if same == uid => feeds[1].push_str(&text),
                _ => feeds[1].push_str(&event_text(&uid, milestone, target)),
            }
        }
    }
    for feed in &mut feeds {
        ics::line(feed, "END:VCALENDAR");
    }
    for (feed, wanted) in feeds.iter_mut().zip([internal, shared]) {
        if !wanted {
            feed.clear();
        }
    }
    feeds
}

/// The lines that open a customer's milestone calendar.
fn calendar_head(customer: &Customer) -> String {
    let mut head = String::new();
    ics::line(&mut head, "BEGIN:VCALENDAR");
    ics::line(&mut head, "VERSION:2.0");
    ics::line(&mut head, "PRODID:-//onboard//milestones//EN");
    ics::line(&mut head, "CALSCALE:GREGORIAN");
    ics::line(&mut head, "METHOD:PUBLISH");
    ics::text(
        &mut head,
        "X-WR-CALNAME",
        &format!("{} — onboarding milestones", customer.name()),
    );
    head
}

/// A milestone as an all-day calendar event on its target date.
fn milestone_event(
    customer: &Customer,
    stamp: &str,
    uid: &str,
    milestone: &Milestone,
    target: NaiveDate,
) -> String {
    let mut event = String::new();
    ics::line(&mut event, "BEGIN:VEVENT");
    ics::text(&mut event, "UID", uid);
    ics::line(&mut event, &format!("DTSTAMP:{stamp}"));
    ics::line(
        &mut event,
        &format!("DTSTART;VALUE=DATE:{}", ics::date(target)),
    );
    // DTEND of an all-day event is exclusive: the next day.
    let end = target.checked_add_days(Days::new(1)).unwrap_or(target);
    ics::line(&mut event, &format!("DTEND;VALUE=DATE:{}", ics::date(end)));
    ics::text(
        &mut event,
        "SUMMARY",
        &format!("{} — {}", milestone.name, customer.name()),
    );
    ics::text(&mut event, "DESCRIPTION", &event_description(milestone));
    if milestone.status == MilestoneStatus::Skipped {
        ics::line(&mut event, "STATUS:CANCELLED");
    }
    // A milestone is a deadline, not a meeting: it must not show as busy.
    ics::line(&mut event, "TRANSP:TRANSPARENT");
    ics::line(&mut event, "END:VEVENT");
    event
}

/// Content lines of an iCalendar file (RFC 5545, section 3.1).
///
/// Written here rather than with the icalendar crate: its line folding
/// counts characters from the start of the line for every fold, so a
/// feed took seconds per megabyte of a long name, and it leaves a bare
/// carriage return in a text value as it is. Both functions here take
/// time in proportion to their input.
pub(crate) mod ics {
    use chrono::{Datelike, NaiveDate};

    /// Octets on one line, not counting its CRLF.
    const LINE_OCTETS: usize = 75;

    /// `YYYYMMDD`, the DATE form.
    pub fn date(date: NaiveDate) -> String {
        format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
    }

    /// Appends a content line that is already valid iCalendar, folded.
    pub fn line(out: &mut String, content: &str) {
        let mut octets = 0;
        for character in content.chars() {
            let width = character.len_utf8();
            if octets + width > LINE_OCTETS {
                // A fold is a line break and one space, which the reader drops.
                out.push_str("\r\n ");
                octets = 1;
            }
            out.push(character);
            octets += width;
        }
        out.push_str("\r\n");
    }

    /// Appends the property `name` with a TEXT value: backslashes,
    /// semicolons and commas escaped, and every line break (CRLF, LF or a
    /// bare CR) written as `\n`, so no text can end the line it is on.
    pub fn text(out: &mut String, name: &str, value: &str) {
        let mut content = String::with_capacity(name.len() + 1 + value.len() + value.len() / 8);
        content.push_str(name);
        content.push(':');
        let mut characters = value.chars().peekable();
        while let Some(character) = characters.next() {
            match character {
                '\\' => content.push_str("\\\\"),
                ';' => content.push_str("\\;"),
                ',' => content.push_str("\\,"),
                '\r' => {
                    characters.next_if_eq(&'\n');
                    content.push_str("\\n");
                }
                '\n' => content.push_str("\\n"),
                // Other control characters have no place in TEXT (only tab).
                other if other.is_ascii_control() && other != '\t' => {}
                other => content.push(other),
            }
        }
        line(out, &content);
    }
}

/// `<customer>-<milestone>@<host>`, with `-2`, `-3`… for repeated names,
/// since two events of one feed must not share a UID.
fn unique_uid(taken: &mut Vec<String>, customer: &str, milestone: &str, host: &str) -> String {
    let mut stem = slugify(milestone);
    if stem.is_empty() {
        stem = "milestone".to_string();
    }
    let mut uid = format!("{customer}-{stem}@{host}");
    let mut n = 2;
    while taken.contains(&uid) {
        uid = format!("{customer}-{stem}-{n}@{host}");
        n += 1;
    }
    taken.push(uid.clone());
    uid
}

/// The event text: status, lateness, completion, criteria and blockers.
fn event_description(milestone: &Milestone) -> String {
    let mut lines = vec![format!("Status: {}", status_label(milestone.status))];
    if milestone.late {
        let days = milestone.days_late.unwrap_or(0);
        lines.push(format!(
            "Late by {days} day{}",
            if days == 1 { "" } else { "s" }
        ));
    }
    if let Some(actual) = milestone.actual_date {
        lines.push(format!("Done on {}", ymd(actual)));
    }
    if let Some(criteria) = &milestone.criteria {
        lines.push(format!("Criteria: {}", criteria.trim()));
    }
    if !milestone.blockers.is_empty() && !milestone.is_closed() {
        lines.push(format!("Blockers: {}", milestone.blockers.join("; ")));
    }
    if !milestone.customer_visible {
        lines.push("Internal: not shown to the customer".to_string());
    }
    lines.join("\n")
}

/// A milestone status as people read it.
fn status_label(status: MilestoneStatus) -> &'static str {
    match status {
        MilestoneStatus::Pending => "Pending",
        MilestoneStatus::InProgress => "In progress",
        MilestoneStatus::Complete => "Complete",
        MilestoneStatus::Blocked => "Blocked",
        MilestoneStatus::Skipped => "Skipped",
    }
}

/// The host of `base_url` (`https://onboarding.example.com/` →
/// `onboarding.example.com`), or `onboard` when there is none.
pub(crate) fn feed_host(base_url: &str) -> String {
    let url = base_url.trim();
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        // An IPv6 literal keeps its brackets; its colons are not a port.
        Some(v6) => v6
            .split(']')
            .next()
            .map(|h| format!("[{h}]"))
            .unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or("").to_string(),
    };
    if host.is_empty() || host == "[]" {
        "onboard".to_string()
    } else {
        host.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::compute_kpis;
    use crate::kpi::tests::site_from;

    use crate::site::testing::CONFIG;

    const SOP: &str = r#"
kind: sop
id: kickoff
title: Kickoff
kpis:
  - id: on-time
    name: Milestones done on time, by target
    measure: { rate: on_time }
    target: ">= 90%"
  - id: nps
    name: NPS
    measure: { score: nps, stat: mean }
    target: ">= 50"
  - id: adherence
    name: Process adherence
    target: "> 95%"
"#;

    const PLAYBOOK: &str = r#"
kind: playbook
id: saas
title: SaaS onboarding
milestones:
  - { name: Kickoff completed, marks: kickoff, offset: 2 days, criteria: Kickoff meeting held }
  - { name: First value achieved, marks: first_value, offset: 14 days }
  - { name: Internal handover review, offset: 20 days, customer_visible: false }
"#;

    // Start Thu 2026-01-15: the plan puts kickoff on Sat 01-17, first value
    // on 01-29 and the hidden review on 02-04.
    const ACME: &str = r#"
customer: { name: "Acme Corp", slug: acme, tier: enterprise, csm: Jane Smith, playbook: saas, start_date: "2026-01-15" }
milestones:
  - { name: Kickoff completed, actual_date: "2026-01-16", status: complete }
  - name: Integration configured
    target_date: "2026-01-22"
    status: in_progress
    blockers: ["Waiting on SSO metadata"]
    criteria: "SSO works"
  - { name: Security review, target_date: "2026-01-23", status: pending, customer_visible: false }
  - { name: Training, status: pending }
health: { risk_level: medium, sentiment: SECRET-SENTIMENT }
scores: { nps: 45 }
risks: [{ title: SECRET-RISK }]
updates: [{ date: "2026-01-20", text: SECRET-UPDATE }]
notes: SECRET-NOTE
"#;

    const BETA: &str = "customer: { name: Beta }\n";

    fn export_site() -> Site {
        site_from(
            &[
                ("onboard.yaml", CONFIG),
                ("playbooks/kickoff.yaml", SOP),
                ("playbooks/saas.yaml", PLAYBOOK),
                ("content/customers/acme.yaml", ACME),
                ("content/customers/beta.yaml", BETA),
            ],
            "2026-01-25",
        )
    }

    /// Asserts that `keys` appear in this order in `text` from `from` on.
    fn assert_key_order(text: &str, from: usize, keys: &[&str]) {
        let mut at = from;
        for key in keys {
            let quoted = format!("\"{key}\":");
            let found = text[at..]
                .find(&quoted)
                .unwrap_or_else(|| panic!("{key} after {at}"));
            at += found + quoted.len();
        }
    }

    #[test]
    fn customers_json_lists_every_field_of_the_spec() {
        let site = export_site();
        let text = customers_json(&site);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["as_of"], "2026-01-25");
        let customers = json["customers"].as_array().unwrap();
        assert_eq!(customers.len(), 2);

        let acme = &customers[0];
        assert_eq!(acme["slug"], "acme");
        assert_eq!(acme["name"], "Acme Corp");
        assert_eq!(acme["tier"], "enterprise");
        assert_eq!(acme["csm"], "Jane Smith");
        assert_eq!(acme["playbook"], "saas");
        assert_eq!(acme["start_date"], "2026-01-15");
        assert_eq!(acme["state"], "late");
        assert_eq!(acme["progress"]["done"], 1);
        assert_eq!(acme["progress"]["total"], 6);
        assert_eq!(acme["next_milestone"], "Integration configured");
        assert_eq!(acme["time_to_kickoff_business_days"], 1);
        assert!(acme["time_to_first_value_days"].is_null());

        let milestones = acme["milestones"].as_array().unwrap();
        let names: Vec<&str> = milestones
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Kickoff completed",
                "Integration configured",
                "Security review",
                "First value achieved",
                "Internal handover review",
                "Training",
            ]
        );
        let kickoff = &milestones[0];
        assert_eq!(kickoff["marks"], "kickoff");
        assert_eq!(
            kickoff["target_date"], "2026-01-17",
            "from the playbook plan"
        );
        assert_eq!(kickoff["actual_date"], "2026-01-16");
        assert_eq!(kickoff["status"], "complete");
        assert_eq!(kickoff["late"], false);
        assert_eq!(kickoff["days_late"], 0);
        let integration = &milestones[1];
        assert!(integration["marks"].is_null());
        assert!(integration["actual_date"].is_null());
        assert_eq!(integration["status"], "in_progress");
        assert_eq!(integration["late"], true);
        assert_eq!(integration["days_late"], 3);
        let training = &milestones[5];
        assert!(training["target_date"].is_null());
        assert!(training["days_late"].is_null());

        let beta = &customers[1];
        assert_eq!(
            beta["slug"], "beta",
            "slug defaults to the slug of the name"
        );
        for key in [
            "tier",
            "csm",
            "playbook",
            "start_date",
            "next_milestone",
            "time_to_kickoff_business_days",
            "time_to_first_value_days",
        ] {
            assert!(beta[key].is_null(), "{key}");
        }
        assert_eq!(beta["progress"]["total"], 0);
        assert_eq!(beta["milestones"].as_array().unwrap().len(), 0);

        for secret in ["SECRET", "nps", "risk"] {
            assert!(
                !text.contains(secret),
                "{secret} leaked into customers.json"
            );
        }
        assert_key_order(&text, 0, &["as_of", "customers"]);
        assert_key_order(
            &text,
            0,
            &[
                "slug",
                "name",
                "tier",
                "csm",
                "playbook",
                "start_date",
                "state",
                "progress",
                "done",
                "total",
                "next_milestone",
                "time_to_kickoff_business_days",
                "time_to_first_value_days",
                "milestones",
                "name",
                "marks",
                "target_date",
                "actual_date",
                "status",
                "late",
                "days_late",
            ],
        );
        assert!(text.ends_with("}\n"));
        assert_eq!(text, customers_json(&site), "deterministic");
    }

    #[test]
    fn kpis_json_rows_match_the_computed_kpis() {
        let site = export_site();
        let text = kpis_json(site.as_of, &compute_kpis(&site));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["as_of"], "2026-01-25");
        let kpis = json["kpis"].as_array().unwrap();
        assert_eq!(kpis.len(), 3);

        // Only acme's kickoff is complete with a target, and it was early.
        let on_time = &kpis[0];
        assert_eq!(on_time["sop"], "kickoff");
        assert_eq!(on_time["id"], "on-time");
        assert_eq!(on_time["name"], "Milestones done on time, by target");
        assert_eq!(on_time["target"], ">= 90%");
        assert_eq!(on_time["value"], 100.0);
        assert_eq!(on_time["unit"], "%");
        assert_eq!(on_time["met"], true);
        assert_eq!(on_time["customers"], 1);

        let nps = &kpis[1];
        assert_eq!(nps["value"], 45.0);
        assert!(nps["unit"].is_null());
        assert_eq!(nps["met"], false, "45 is below 50");

        let adherence = &kpis[2];
        assert_eq!(adherence["target"], "> 95%");
        assert!(adherence["value"].is_null());
        assert!(adherence["unit"].is_null());
        assert!(adherence["met"].is_null());
        assert_eq!(adherence["customers"], 0);
        assert!(
            adherence.get("values").is_none(),
            "per-customer values stay internal"
        );

        assert_key_order(
            &text,
            0,
            &[
                "as_of",
                "kpis",
                "sop",
                "id",
                "name",
                "target",
                "value",
                "unit",
                "met",
                "applies_to",
                "in_scope",
                "customers",
            ],
        );
    }

    #[test]
    fn kpis_csv_has_a_header_and_one_row_per_kpi() {
        let site = export_site();
        let text = kpis_csv(&compute_kpis(&site));
        assert_eq!(text.lines().count(), 4);
        assert_eq!(
            text.lines().next(),
            Some("sop,id,name,target,value,unit,met,customers,playbooks,tiers,in_scope")
        );
        // The comma in the name is quoted; target-only cells are empty.
        assert!(text.contains(
            r#"kickoff,on-time,"Milestones done on time, by target",>= 90%,100,%,true,1,,,2"#
        ));
        assert!(text.contains("kickoff,adherence,Process adherence,> 95%,,,,0,,,2\n"));

        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        let nps = &rows[1];
        let cells: Vec<&str> = nps.iter().collect();
        assert_eq!(
            cells,
            [
                "kickoff", "nps", "NPS", ">= 50", "45", "", "false", "1", "", "", "2"
            ]
        );
    }

    #[test]
    fn kpi_exports_give_the_scope_and_the_customers_in_it() {
        const SCOPED: &str = r#"
kind: sop
id: scoped
title: Scoped
kpis:
  - id: nps-saas
    name: NPS on SaaS
    measure: { score: nps, stat: mean }
    applies_to: { playbooks: [saas], tiers: [enterprise, smb] }
  - id: nps-all
    name: NPS
    measure: { score: nps, stat: mean }
"#;
        let site = site_from(
            &[
                ("onboard.yaml", CONFIG),
                ("playbooks/scoped.yaml", SCOPED),
                ("playbooks/saas.yaml", PLAYBOOK),
                ("content/customers/acme.yaml", ACME),
                ("content/customers/beta.yaml", BETA),
                (
                    "content/customers/gamma.yaml",
                    "customer: { name: Gamma, tier: smb, playbook: saas }\n",
                ),
            ],
            "2026-01-25",
        );
        let kpis = compute_kpis(&site);
        let json: serde_json::Value = serde_json::from_str(&kpis_json(site.as_of, &kpis)).unwrap();
        // Acme and gamma are on saas, of a listed tier; beta is on no
        // playbook. Only acme has an NPS.
        let scoped = &json["kpis"][0];
        assert_eq!(
            scoped["applies_to"],
            serde_json::json!({ "playbooks": ["saas"], "tiers": ["enterprise", "smb"] })
        );
        assert_eq!(
            (&scoped["in_scope"], &scoped["customers"]),
            (&2.into(), &1.into())
        );
        let all = &json["kpis"][1];
        assert!(all["applies_to"].is_null());
        assert_eq!(
            (&all["in_scope"], &all["customers"]),
            (&3.into(), &1.into())
        );

        let csv = kpis_csv(&kpis);
        assert!(
            csv.contains("scoped,nps-saas,NPS on SaaS,,45,,,1,saas,enterprise;smb,2\n"),
            "{csv}"
        );
        assert!(csv.contains("scoped,nps-all,NPS,,45,,,1,,,3\n"), "{csv}");
    }

    #[test]
    fn csv_text_cells_cannot_start_a_formula() {
        const FORMULAS: &str = r#"
kind: sop
id: formulas
title: Formulas
kpis:
  - id: exact
    name: '=HYPERLINK("https://evil.example/","Click")'
    measure: { score: nps, stat: mean }
    target: "= 45"
  - id: plus
    name: "+1 for @everyone"
    target: "> 95%"
  - id: minus
    name: "-2 points"
    target: "> 95%"
  - id: at
    name: "@SUM(A1:A2)"
    target: "> 95%"
  - id: tab
    name: "\tindented"
    target: "> 95%"
  - id: cr
    name: "\rreturned"
    target: "> 95%"
"#;
        // A negative value is a number, not text: it keeps its minus.
        const GLOBEX: &str = "customer: { name: Globex }\nscores: { nps: -20 }\n";
        let site = site_from(
            &[
                ("onboard.yaml", CONFIG),
                ("playbooks/formulas.yaml", FORMULAS),
                ("content/customers/globex.yaml", GLOBEX),
            ],
            "2026-01-25",
        );
        let text = kpis_csv(&compute_kpis(&site));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|row| row.unwrap().iter().map(str::to_string).collect())
            .collect();
        let names: Vec<&str> = rows.iter().map(|row| row[2].as_str()).collect();
        assert_eq!(
            names,
            [
                r#"'=HYPERLINK("https://evil.example/","Click")"#,
                "'+1 for @everyone",
                "'-2 points",
                "'@SUM(A1:A2)",
                "'\tindented",
                "'\rreturned",
            ]
        );
        assert_eq!(rows[0][3], "'= 45", "a target is text too");
        assert_eq!(rows[0][4], "-20", "a value is a number");
        assert_eq!(rows[0][6], "false");
        assert_eq!(rows[1][3], "> 95%", "other text is left as written");
        assert_eq!(text_cell("safe"), "safe");
        assert_eq!(text_cell(""), "");
    }

    #[test]
    fn ics_text_escapes_every_line_break() {
        const CRLF: &str = r#"
customer: { name: "Acme\rX-INJECTED:1", slug: acme }
milestones:
  - { name: "Kickoff", target_date: "2026-01-20", status: pending, criteria: "one\rtwo\r\nthree\nfour;five,six\\seven\u0007" }
"#;
        let site = site_from(
            &[
                ("onboard.yaml", CONFIG),
                ("content/customers/acme.yaml", CRLF),
            ],
            "2026-01-25",
        );
        let text = milestones_ics(&site, &site.customers[0], false);
        // Every CR in the file is the first half of a line's CRLF.
        assert_eq!(text.matches('\r').count(), text.matches("\r\n").count());
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        let lines = unfolded(&text);
        assert!(
            lines.contains(r"Criteria: one\ntwo\nthree\nfour\;five\,six\\seven"),
            "{lines}"
        );
        assert!(!lines.contains('\u{7}'));
        assert!(
            lines.contains(r"X-WR-CALNAME:Acme\nX-INJECTED:1 — onboarding milestones"),
            "{lines}"
        );
        assert!(!lines.lines().any(|line| line.starts_with("X-INJECTED")));
        let calendar = icalendar::parser::read_calendar(&lines).unwrap();
        let event = calendar
            .components
            .iter()
            .find(|c| c.name == "VEVENT")
            .unwrap();
        assert_eq!(
            event.find_prop("SUMMARY").unwrap().val.as_str(),
            "Kickoff — Acme\nX-INJECTED:1",
            "read back as a line break inside the value"
        );
    }

    #[test]
    fn ics_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        ics::line(&mut out, &format!("SUMMARY:{}", "ü".repeat(100)));
        let lines: Vec<&str> = out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|line| line.len() <= 75), "{lines:?}");
        assert_eq!(lines[0].len(), 74, "a two-octet character is not split");
        assert!(lines[1..].iter().all(|line| line.starts_with(' ')));
        assert_eq!(unfolded(&out), format!("SUMMARY:{}\r\n", "ü".repeat(100)));

        let mut short = String::new();
        ics::line(&mut short, &"x".repeat(75));
        assert_eq!(short, format!("{}\r\n", "x".repeat(75)), "75 octets fit");
    }

    /// The content lines of a feed, unfolded.
    fn unfolded(text: &str) -> String {
        icalendar::parser::unfold(text)
    }

    #[test]
    fn ics_has_one_all_day_event_per_dated_milestone() {
        let site = export_site();
        let acme = &site.customers[0];
        let text = milestones_ics(&site, acme, false);

        // Five milestones have a target date; Training has none.
        assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 5);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20260117\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20260118\r\n"));
        assert!(text.contains("UID:acme-kickoff-completed@onboarding.example.com\r\n"));
        assert_eq!(text.matches("DTSTAMP:20260125T000000Z\r\n").count(), 5);

        // RFC 5545: every line ends with CRLF and holds at most 75 octets.
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert!(text.split("\r\n").all(|line| line.len() <= 75), "{text}");

        // Parsed back by the crate's own reader.
        let lines = unfolded(&text);
        let calendar = icalendar::parser::read_calendar(&lines).unwrap();
        let events: Vec<_> = calendar
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .collect();
        assert_eq!(events.len(), 5);
        let kickoff = events[0];
        assert_eq!(
            kickoff.find_prop("SUMMARY").unwrap().val.as_str(),
            "Kickoff completed — Acme Corp"
        );
        let description = kickoff.find_prop("DESCRIPTION").unwrap().val.as_str();
        assert!(description.contains("Status: Complete"), "{description}");
        assert!(
            description.contains("Criteria: Kickoff meeting held"),
            "{description}"
        );
        let integration = events[1].find_prop("DESCRIPTION").unwrap().val.as_str();
        assert!(integration.contains("Late by 3 days"), "{integration}");
        assert!(
            integration.contains("Blockers: Waiting on SSO metadata"),
            "{integration}"
        );
        assert!(lines.contains("SUMMARY:Security review — Acme Corp"));
    }

    #[test]
    fn ics_is_byte_identical_across_builds() {
        let site = export_site();
        let acme = &site.customers[0];
        let first = milestones_ics(&site, acme, true);
        let second = milestones_ics(&site, acme, true);
        assert_eq!(first, second);
        let uids: Vec<&str> = first.lines().filter(|l| l.starts_with("UID:")).collect();
        assert_eq!(
            uids,
            [
                "UID:acme-kickoff-completed@onboarding.example.com",
                "UID:acme-integration-configured@onboarding.example.com",
                "UID:acme-first-value-achieved@onboarding.example.com",
            ]
        );
    }

    #[test]
    fn customer_feed_keeps_only_visible_milestones_and_nothing_internal() {
        let site = export_site();
        let text = milestones_ics(&site, &site.customers[0], true);
        assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 3);
        let lines = unfolded(&text);
        for hidden in ["Security review", "Internal handover review", "Internal:"] {
            assert!(!lines.contains(hidden), "{hidden} in the customer feed");
        }
        for internal in ["SECRET", "medium", "45", "Jane Smith"] {
            assert!(!lines.contains(internal), "{internal} in the customer feed");
        }
        // Blockers are customer-visible and stay.
        assert!(lines.contains("Blockers: Waiting on SSO metadata"));
    }

    #[test]
    fn both_feeds_are_whole_calendars_with_their_own_uids() {
        let mut site = export_site();
        let acme = &mut site.customers[0];
        // A hidden milestone named like a later visible one takes the plain
        // UID in the internal feed; in the customer's it is the visible one's.
        let visible = acme
            .milestones
            .iter()
            .position(|m| m.customer_visible && m.target_date.is_some())
            .unwrap();
        let name = acme.milestones[visible].name.clone();
        let hidden = acme
            .milestones
            .iter()
            .position(|m| !m.customer_visible)
            .unwrap();
        acme.milestones[hidden].name = name.clone();
        acme.milestones.swap(hidden, visible.min(hidden));
        let acme = &site.customers[0];
        let [internal, shared] = milestone_feeds(&site, acme, true, true);
        assert_eq!(shared, milestones_ics(&site, acme, true));
        assert_eq!(internal, milestones_ics(&site, acme, false));
        let plain = format!("UID:acme-{}@onboarding.example.com", slugify(&name));
        let second = format!("UID:acme-{}-2@onboarding.example.com", slugify(&name));
        assert!(
            internal.contains(&plain) && internal.contains(&second),
            "{internal}"
        );
        assert!(
            shared.contains(&plain) && !shared.contains(&second),
            "{shared}"
        );
        for feed in [&internal, &shared] {
            let lines = unfolded(feed);
            let calendar = icalendar::parser::read_calendar(&lines).unwrap();
            let events = feed.matches("BEGIN:VEVENT\r\n").count();
            assert_eq!(feed.matches("END:VEVENT\r\n").count(), events);
            assert_eq!(
                calendar
                    .components
                    .iter()
                    .filter(|c| c.name == "VEVENT")
                    .count(),
                events
            );
            assert_eq!(feed.matches("END:VCALENDAR").count(), 1);
        }
        let [none, _] = milestone_feeds(&site, acme, false, true);
        assert!(none.is_empty());
        let [_, none] = milestone_feeds(&site, acme, true, false);
        assert!(none.is_empty());
    }

    #[test]
    fn feed_of_a_customer_without_dates_is_an_empty_calendar() {
        let site = export_site();
        let text = milestones_ics(&site, &site.customers[1], true);
        assert!(!text.contains("BEGIN:VEVENT"));
        assert!(icalendar::parser::read_calendar(&unfolded(&text)).is_ok());
    }

    #[test]
    fn repeated_milestone_names_get_distinct_uids() {
        let mut taken = Vec::new();
        let first = unique_uid(&mut taken, "acme", "Training", "example.com");
        let second = unique_uid(&mut taken, "acme", "Training", "example.com");
        let unnamed = unique_uid(&mut taken, "acme", "—", "example.com");
        assert_eq!(first, "acme-training@example.com");
        assert_eq!(second, "acme-training-2@example.com");
        assert_eq!(unnamed, "acme-milestone@example.com");
    }

    #[test]
    fn feed_host_comes_from_the_base_url() {
        assert_eq!(
            feed_host("https://onboarding.example.com/"),
            "onboarding.example.com"
        );
        assert_eq!(
            feed_host("http://user@Intranet.Local:8080/docs/"),
            "intranet.local"
        );
        assert_eq!(feed_host("https://[::1]:8443/"), "[::1]");
        assert_eq!(feed_host("docs.example.com/onboarding"), "docs.example.com");
        assert_eq!(feed_host(""), "onboard");
        assert_eq!(feed_host("/"), "onboard");
    }
}
