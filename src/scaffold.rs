//! `onboard init` and `onboard new`: starting files that are valid as written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::calendar::WorkCalendar;

/// What `new` creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    /// An SOP.
    Sop,
    /// A playbook.
    Playbook,
    /// A customer tracker.
    Customer,
}

/// Writes a new, commented file for `name`; never overwrites. Dates in it
/// are counted from `today`, so a new file starts on plan.
pub fn new_file(root: &Path, kind: NewKind, name: &str, today: NaiveDate) -> io::Result<PathBuf> {
    let slug = crate::model::slugify(name);
    if slug.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the name needs at least one letter or digit",
        ));
    }
    let (path, text) = match kind {
        NewKind::Sop => (
            root.join("playbooks").join(format!("{slug}.md")),
            sop_template(&slug, name, today),
        ),
        NewKind::Playbook => (
            root.join("playbooks").join(format!("{slug}.md")),
            playbook_template(&slug, name),
        ),
        NewKind::Customer => (
            root.join("content/customers").join(format!("{slug}.yaml")),
            customer_template(&slug, name, today),
        ),
    };
    write_new(&path, &text)?;
    Ok(path)
}

fn write_new(path: &Path, text: &str) -> io::Result<()> {
    if path.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists; choose another name", path.display()),
        ));
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// Writes a new site that builds and checks clean: config, roles, an SOP, a
/// playbook, a customer and a page, with dates counted from `today`.
pub fn init(dir: &Path, today: NaiveDate) -> io::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty; choose a new folder", dir.display()),
        ));
    }
    write_new(&dir.join("onboard.yaml"), CONFIG)?;
    write_new(&dir.join("playbooks/roles.yaml"), ROLES)?;
    let sop = sop_template("kickoff", "Kickoff", today).replace(
        "status: draft                  # draft | approved | retired (drafts build only with --drafts)",
        &format!(
            "status: approved               # draft | approved | retired (drafts build only with --drafts)\napprovals: [{{ role: cs-lead, name: \"Your Name\", date: {today} }}]"
        ),
    );
    write_new(&dir.join("playbooks/kickoff.md"), &sop)?;
    new_file(dir, NewKind::Playbook, "Standard onboarding", today)?;
    let customer = customer_template("example-customer", "Example Customer", today).replace(
        "# playbook: standard-onboarding",
        "playbook: standard-onboarding",
    );
    write_new(
        &dir.join("content/customers/example-customer.yaml"),
        &customer,
    )?;
    write_new(&dir.join("content/pages/guide.md"), GUIDE)?;
    Ok(())
}

const CONFIG: &str = r#"# Site settings. Every key is optional.
title: Onboarding
# base_url: https://onboarding.example.com/   # only for absolute links (.ics, sitemap)
# as_of: 2026-01-25        # the "today" status is computed against; default: today
calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: []             # e.g. [2026-12-25]
theme: default
share:
  enabled: true            # build a customer-visible site per customer under share/
  secret_env: ONBOARD_SHARE_SECRET   # set this variable to give share folders unguessable names
"#;

const ROLES: &str = r#"# Roles every SOP can use as owners and escalation targets.
- id: csm
  name: Customer Success Manager
  responsibilities:
    - Own the customer relationship from handoff to the 90-day review
  escalates_to: cs-lead
- id: cs-lead
  name: Customer Success Lead
  responsibilities:
    - Resolve escalations and staffing conflicts
"#;

const GUIDE: &str = r#"---
title: Authoring guide
description: How this site is written.
weight: 1
---

# Authoring guide

SOPs and playbooks live in `playbooks/`, customer trackers in
`content/customers/`, and free pages like this one in `content/pages/`.
Run `onboard serve` to see every save in the browser, and `onboard check`
before you publish.

See the [kickoff SOP](/sops/kickoff/).
"#;

fn sop_template(slug: &str, name: &str, today: NaiveDate) -> String {
    format!(
        r#"---
kind: sop
id: {slug}
title: {title}
summary: One sentence on what this procedure achieves.
version: "0.1"
owner: csm                     # a role id from playbooks/roles.yaml or `roles:` below
status: draft                  # draft | approved | retired (drafts build only with --drafts)
review_cycle: quarterly        # monthly | quarterly | semiannual | annual | <N>d
last_reviewed: {today}
tags: []
prerequisites:
  - Contract signed
steps:
  - id: prepare                # the anchor: /sops/{slug}/#prepare
    title: Prepare
    owner: csm
    when: within 24 hours of contract signature
    objective: Everyone knows what happens next.
    body: |
      Describe the step in Markdown.
    checklist:
      - Agenda sent
    escalation: {{ to: cs-lead, within: 2h, when: a key attendee is missing }}
kpis:
  - id: time-to-kickoff
    name: Time to kickoff
    measure: {{ from: start, to: kickoff, unit: business_days, stat: median }}
    target: "< 5"
checklist:
  - Success criteria agreed
---

Free Markdown: best practices, FAQ, use cases.
"#,
        title = yaml_string(name),
    )
}

fn playbook_template(slug: &str, name: &str) -> String {
    format!(
        r#"---
kind: playbook
id: {slug}
title: {title}
summary: The plan a new customer follows from signature to first value.
tiers: [enterprise, mid-market]
phases:
  - id: welcome
    name: Welcome and kickoff
    days: [1, 3]
    sops: []                   # e.g. [kickoff, "kickoff#prepare"]
    summary: Send the welcome email and hold the kickoff call.
milestones:                    # trackers with `playbook: {slug}` inherit these dates
  - {{ name: Kickoff completed, marks: kickoff, offset: 3 business days, criteria: Kickoff held with the sponsor }}
  - {{ name: Accounts provisioned, offset: 5 business days }}
  - {{ name: First value achieved, marks: first_value, offset: 14 days, criteria: The customer's first agreed outcome is live }}
checklist:
  - Kickoff scheduled within 3 business days
---

Notes for the team running this playbook.
"#,
        title = yaml_string(name)
    )
}

fn customer_template(slug: &str, name: &str, today: NaiveDate) -> String {
    let calendar = WorkCalendar::default();
    let after = |day, n| calendar.add_business_days(day, n).unwrap_or(day);
    let start = if calendar.is_working_day(today) {
        today
    } else {
        after(today, 1)
    };
    let kickoff = after(start, 3);
    let first_value = after(start, 10);
    format!(
        r#"customer:
  name: {title}
  slug: {slug}
  tier: mid-market
  csm: "Your Name"
  # playbook: standard-onboarding   # inherit milestone dates from a playbook
  start_date: "{start}"

milestones:
  - name: "Kickoff completed"
    target_date: "{kickoff}"
    actual_date: null
    status: pending            # pending | in_progress | complete | blocked | skipped
  - name: "First value achieved"
    target_date: "{first_value}"
    actual_date: null
    status: pending
    criteria: "The first agreed outcome is live"

health:                        # internal only: never on the customer's share site
  engagement: high
  sentiment: positive
  risk_level: low

stakeholders:
  - {{ name: "Sponsor Name", role: executive_sponsor, side: customer }}
  - {{ name: "Project Lead", role: project_lead, side: customer }}

updates:
  - {{ date: {start}, text: "Contract signed; welcome email sent.", visibility: customer }}
"#,
        title = yaml_string(name)
    )
}

/// Quotes a name for YAML.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
