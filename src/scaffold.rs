//! `onboard init` and `onboard new`: starting files that are valid as written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::calendar::WorkCalendar;
use crate::schema::Kind;

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
    if kind == NewKind::Customer {
        // The file names its schema for editors; a site made before
        // schemas were written gets the one it names.
        let schema = root.join(SCHEMAS).join(Kind::Tracker.file_name());
        if !schema.exists() {
            write_new(&schema, &Kind::Tracker.schema_text())?;
        }
    }
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
    for kind in Kind::ALL {
        write_new(
            &dir.join(SCHEMAS).join(kind.file_name()),
            &kind.schema_text(),
        )?;
    }
    Ok(())
}

/// The folder of a site that holds the JSON Schemas for editors.
pub const SCHEMAS: &str = "schemas";

/// What to run to see a file that `new` wrote, for `kind` and the file's
/// slug.
pub fn how_to_see(kind: NewKind, slug: &str) -> String {
    match kind {
        NewKind::Sop => format!(
            "it is a draft (`status: draft`), so a plain build leaves it out: see it at \
             /sops/{slug}/ with `onboard serve` (it shows drafts), or build it with `onboard build --drafts`; \
             set `status: approved` to publish it"
        ),
        NewKind::Playbook => {
            format!(
                "see it at /playbooks/{slug}/ with `onboard serve`; check it with `onboard check`"
            )
        }
        NewKind::Customer => {
            format!(
                "see it at /customers/{slug}/ with `onboard serve`; check it with `onboard check`"
            )
        }
    }
}

const CONFIG: &str = r#"# yaml-language-server: $schema=schemas/config.schema.json
# Site settings. Every key is optional.
title: Onboarding
# description: One line about the site, shown on the home page.
# base_url: https://onboarding.example.com/   # only for absolute links (.ics, sitemap)
# as_of: 2026-01-25        # the "today" status is computed against; default: today
calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: []             # e.g. [2026-12-25]
theme: default
share:
  enabled: true            # build a customer-visible site per customer under share/
  secret_env: ONBOARD_SHARE_SECRET   # set this variable to give share folders unguessable names
# lints:                   # a lint's level: allow | warn | deny (docs/lints.md lists them)
#   single-champion: deny
"#;

const ROLES: &str = r#"# yaml-language-server: $schema=../schemas/roles.schema.json
# Roles every SOP can use as owners and escalation targets.
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
# Every key of an SOP is below; the commented ones are optional. The full
# reference: docs/format.md in onboard's sources, or `onboard schema sop`.
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
# applies_to: [saas]           # kinds of engagement it suits
# not_for: [self-serve trials] # where not to use it
prerequisites:
  - Contract signed
# definitions: {{ SLA: Service Level Agreement }}   # term: meaning, shown in the glossary
# roles:                       # roles of this SOP alone, added to the site-wide ones
#   - {{ id: sponsor, name: Executive Sponsor, responsibilities: [Unblock decisions], escalates_to: cs-lead }}
steps:
  - id: prepare                # the anchor: /sops/{slug}/#prepare
    title: Prepare
    owner: csm
    when: within 24 hours of contract signature
    objective: Everyone knows what happens next.
    body: |
      Describe the step in Markdown.
    # substeps: [Book the call, Send the agenda]   # numbered
    checklist:
      - Agenda sent
    # mistakes: [Inviting only the champion]
    # time_standard: 30 min
    # tools: [CRM, calendar]
    escalation: {{ to: cs-lead, within: 2h, when: a key attendee is missing }}
kpis:
  - id: time-to-kickoff
    name: Time to kickoff
    # measure kinds: {{ from: MARK, to: MARK, unit: days | business_days, stat: median | mean | p90 | max }},
    # {{ rate: on_time }}, {{ rate: complete_within, days: N }} or {{ score: NAME, stat: ... }}
    measure: {{ from: start, to: kickoff, unit: business_days, stat: median }}
    target: "< 5"              # < N, <= N, > N, >= N or = N, with % for rates
    # description: Business days from signature to the kickoff call.
    # applies_to: {{ playbooks: [standard-onboarding], tiers: [enterprise] }}   # default: every customer
checklist:
  - Success criteria agreed
# quality_standards: [Notes shared within 24 hours]
# revisions:
#   - {{ version: "0.1", date: {today}, author: "Your Name", changes: First draft }}
# approvals:                   # name and date stay empty until signed
#   - {{ role: cs-lead, name: "", date: null }}
# body: Markdown, in .yaml SOPs only; here the text after the closing --- line is the body
---

Free Markdown: best practices, FAQ, use cases.
"#,
        title = yaml_string(name),
    )
}

fn playbook_template(slug: &str, name: &str) -> String {
    format!(
        r#"---
# Every key of a playbook is below; the commented ones are optional. The
# full reference: docs/format.md in onboard's sources, or `onboard schema playbook`.
kind: playbook
id: {slug}
title: {title}
summary: The plan a new customer follows from signature to first value.
tiers: [enterprise, mid-market]
# tags: [saas]
# defaults:                    # a table of default choices
#   - {{ setting: Kickoff format, default: Video call, alternatives: [On site] }}
phases:
  - id: welcome
    name: Welcome and kickoff
    days: [1, 3]               # first and last day, counted from the start
    sops: []                   # e.g. [kickoff, "kickoff#prepare"]
    summary: Send the welcome email and hold the kickoff call.
milestones:                    # trackers with `playbook: {slug}` inherit these dates
  # marks: kickoff | first_value | handoff | a mark of your own that KPIs use
  # offset: N days | N business days | N weeks, counted from the customer's start_date
  # customer_visible: true | false (default true: shown on the customer's share site)
  # sops: ["kickoff#confirm-readiness"]   # how the milestone is reached, shown as "How" links
  # phase: welcome             # or the id of a phase whose SOPs show how
  # offset may also be a map by tier: {{ default: 30 days, enterprise: 90 days }}
  - {{ name: Kickoff completed, marks: kickoff, offset: 3 business days, criteria: Kickoff held with the sponsor }}
  - {{ name: Accounts provisioned, offset: 5 business days, customer_visible: true }}
  - {{ name: First value achieved, marks: first_value, offset: 14 days, criteria: The customer's first agreed outcome is live }}
checklist:
  - Kickoff scheduled within 3 business days
# do: [Confirm the sponsor's goals]
# dont: [Skip the technical contact]
# pitfalls:
#   - {{ title: No executive sponsor, fix: Ask for one before the kickoff }}
# meeting:                     # the kickoff meeting
#   duration: 45 minutes
#   attendees: {{ customer: [Sponsor, Project lead], internal: [CSM] }}
# agenda:
#   - {{ topic: Introductions, duration: 5 min, notes: Who does what }}
# body: Markdown, in .yaml playbooks only; here the text after the closing --- line is the body
---

Notes for the team running this playbook.
"#,
        title = yaml_string(name)
    )
}

fn customer_template(slug: &str, name: &str, today: NaiveDate) -> String {
    let calendar = WorkCalendar::default();
    let after = |day, n| calendar.add_business_days(day, n).unwrap_or(day);
    // The last working day up to today: a start after today would date the
    // welcome update after the site's "as of" day.
    let start = today
        .iter_days()
        .rev()
        .take(14)
        .find(|day| calendar.is_working_day(*day))
        .unwrap_or(today);
    let kickoff = after(start, 3);
    let first_value = after(start, 10);
    let due = after(start, 5);
    format!(
        r#"# yaml-language-server: $schema=../../schemas/tracker.schema.json
# Every key of a tracker is below; the commented ones are optional. The full
# reference: docs/format.md in onboard's sources, or `onboard schema tracker`.
customer:
  name: {title}
  slug: {slug}
  tier: mid-market
  csm: "Your Name"
  # playbook: standard-onboarding   # inherit milestone dates from a playbook
  start_date: "{start}"
  # target_first_value: "{first_value}"
  # welcome: "Welcome! Here is where your onboarding stands."   # Markdown, top of the share page
  # share: false               # no customer share site for this customer

milestones:
  - name: "Kickoff completed"
    marks: kickoff             # kickoff | first_value | handoff | your own; inferred from the name
    target_date: "{kickoff}"
    actual_date: null
    status: pending            # pending | in_progress | complete | blocked | skipped
  - name: "First value achieved"
    target_date: "{first_value}"
    actual_date: null
    status: pending
    # blockers: ["Waiting on SSO metadata"]
    criteria: "The first agreed outcome is live"
    # customer_visible: false  # default true: shown on the customer's share site
    # owner: "Your Name"       # the person who owns the milestone
    # side: internal           # internal | customer | joint: who does the work
    # forecast_date: "{first_value}"   # the agreed revised date of an open milestone
    # accepted_by: "Sponsor Name"      # the customer's sign-off of a completed milestone,
    # accepted_on: "{first_value}"     # with its date

health:                        # internal only: never on the customer's share site
  engagement: high
  sentiment: positive
  risk_level: low              # high makes the customer at risk

# scores: {{ nps: 45, csat: 4.6 }}   # internal; numbers that score KPIs use

stakeholders:                  # side: customer | internal
  - {{ name: "Sponsor Name", role: executive_sponsor, side: customer }}
  - {{ name: "Project Lead", role: project_lead, side: customer, email: "lead@example.com" }}

actions:                       # side: customer | internal; done: true | false
                               # visibility: customer (default) | internal (never on the share site)
  - {{ title: "Send the kickoff agenda", owner: "Your Name", side: internal, due: "{due}", done: false }}

# risks:                       # internal only
#   - {{ title: "SSO delay", owner: "Your Name", due: "{due}", mitigation: "Escalate to the sponsor", severity: medium }}

updates:                       # visibility: internal (default) | customer
  - {{ date: {start}, text: "Contract signed; welcome email sent.", visibility: customer }}

# notes: |                     # internal, Markdown
#   What the team should know.
"#,
        title = yaml_string(name)
    )
}

/// Quotes a name for YAML.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
