//! Resolution: loaded documents → a validated site with computed status.
//!
//! Fills in default ids, merges site-wide and SOP roles, resolves every
//! cross-reference (step owners, escalations, `sop#step` references,
//! playbooks of trackers), applies playbook plans to trackers and computes
//! status as of the site's date. Problems are reported, never guessed
//! around: an unresolved reference is an error that names the line.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::calendar::{Offset, WorkCalendar};
use crate::check::Reporter;
use crate::config::Config;
use crate::diagnostics::{Diagnostics, Place};
use crate::load::{Content, Loaded};
use crate::model::{MilestoneStatus, PageMeta, Playbook, Role, Sop, SopStatus, Tracker, slugify};
use crate::status::{self, CustomerFacts, CustomerStatus, Milestone};
use crate::target::{Stat, Target};

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

/// How a KPI is computed from the trackers.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// Time between two marks.
    Interval {
        /// Start mark.
        from: String,
        /// End mark.
        to: String,
        /// Count business days rather than calendar days.
        business_days: bool,
        /// Statistic over customers.
        stat: Stat,
    },
    /// Share of completed milestones done by their target.
    OnTime,
    /// Share of customers complete within N days of start.
    CompleteWithin {
        /// The N.
        days: u32,
    },
    /// A statistic over tracker scores.
    Score {
        /// The score's name.
        name: String,
        /// Statistic over customers.
        stat: Stat,
    },
}

/// A KPI with its target and measure parsed.
#[derive(Clone, Debug, Serialize)]
pub struct KpiDef {
    /// Identifier (unique within the SOP).
    pub id: String,
    /// Name.
    pub name: String,
    /// The target as written.
    pub target_text: Option<String>,
    /// The parsed target.
    pub target: Option<Target>,
    /// How it is computed, if it is.
    pub measure: Option<Measure>,
    /// Free explanation.
    pub description: Option<String>,
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
    pub offsets: Vec<Option<Offset>>,
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
    pub outline: crate::render::markdown::Outline,
}

/// The whole validated site.
#[derive(Clone, Debug)]
pub struct Site {
    /// Configuration.
    pub config: Config,
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

/// The date status is computed against: the option, the config, or today.
pub fn effective_as_of(config: &Config, options: &BuildOptions) -> NaiveDate {
    options
        .as_of
        .or(config.as_of.map(|d| d.0))
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Validates and resolves loaded content. Returns the site even when there
/// are errors, so that `check` can run every other rule.
pub fn resolve(content: Content, options: BuildOptions) -> (Site, Diagnostics) {
    let Content {
        config,
        config_file,
        roles: site_roles,
        sops,
        playbooks,
        trackers,
        pages,
    } = content;
    let as_of = effective_as_of(&config, &options);
    let calendar = config.calendar.work_calendar();
    let lint_levels = config.lints.clone();
    let mut report = Reporter::new(&lint_levels);

    if let Some(file) = &config_file {
        for day in &config.calendar.workdays {
            if crate::calendar::parse_weekday(&day.value).is_none() {
                report.error(
                    "invalid-weekday",
                    &Place::at(
                        file,
                        day.referenced.line() as usize,
                        day.referenced.column() as usize,
                    ),
                    format!("`{}` is not a day of the week", day.value),
                    "write days as mon, tue, wed, thu, fri, sat or sun",
                );
            }
        }
        for (name, level) in &config.lints {
            if !crate::check::lints::ALL.iter().any(|l| l.name == name) {
                report.lint(
                    "unknown-lint",
                    &Place::at(file, level.referenced.line() as usize, 1),
                    format!("there is no lint named `{name}`"),
                    "see the list of lints in the README",
                );
            }
        }
    }

    let roles = resolve_roles(&site_roles, &sops, &mut report);
    let role_ids: HashSet<&str> = roles.iter().map(|r| r.id.as_str()).collect();
    for (role, loaded) in site_roles.iter().map(|r| (&r.doc, r)) {
        check_role_ref(
            role.escalates_to.as_ref(),
            &role_ids,
            loaded,
            &mut report,
            "escalates_to",
        );
    }

    let mut sop_entries = Vec::new();
    let mut seen_sops: HashMap<String, Place> = HashMap::new();
    for loaded in sops {
        let (id, id_place) = written_or(
            &loaded,
            loaded.doc.id.as_ref(),
            || loaded.stem.clone(),
            || loaded.place(),
        );
        if let Some(first) = seen_sops.get(&id) {
            report.error(
                "duplicate-id",
                &id_place,
                format!("the SOP id `{id}` is already used by {}", first.file.name),
                "give each SOP a unique `id:` (it defaults to the file name)",
            );
            continue;
        }
        seen_sops.insert(id.clone(), id_place);
        let entry = resolve_sop(id, loaded, &role_ids, as_of, &options, &mut report);
        sop_entries.push(entry);
    }
    sop_entries.sort_by(|a, b| a.id.cmp(&b.id));

    let mut playbook_entries = Vec::new();
    let mut seen_playbooks: HashMap<String, String> = HashMap::new();
    for loaded in playbooks {
        let (id, id_place) = written_or(
            &loaded,
            loaded.doc.id.as_ref(),
            || loaded.stem.clone(),
            || loaded.place(),
        );
        if let Some(first) = seen_playbooks.get(&id) {
            report.error(
                "duplicate-id",
                &id_place,
                format!("the playbook id `{id}` is already used by {first}"),
                "give each playbook a unique `id:` (it defaults to the file name)",
            );
            continue;
        }
        seen_playbooks.insert(id.clone(), loaded.file.name.clone());
        for phase in &loaded.doc.phases {
            for reference in &phase.sops {
                check_sop_ref(
                    &reference.value,
                    &sop_entries,
                    &loaded,
                    reference,
                    &mut report,
                );
            }
        }
        let offsets = loaded
            .doc
            .milestones
            .iter()
            .map(|m| {
                let text = m.offset.as_ref()?;
                match text.value.parse::<Offset>() {
                    Ok(offset) => Some(offset),
                    Err(message) => {
                        report.error(
                            "invalid-offset",
                            &loaded.place_of(text),
                            format!("cannot read the offset `{}`", text.value),
                            message,
                        );
                        None
                    }
                }
            })
            .collect();
        playbook_entries.push(PlaybookEntry {
            id,
            loaded,
            offsets,
        });
    }
    playbook_entries.sort_by(|a, b| a.id.cmp(&b.id));

    // Slugs are claimed in file order, so the first file keeps a slug; the
    // customers, each independent of the others, then resolve on all
    // cores, their diagnostics kept in file order.
    let mut unique = Vec::new();
    let mut seen_slugs: HashMap<String, String> = HashMap::new();
    for loaded in trackers {
        let Some((slug, slug_place)) = customer_slug(&loaded, &mut report) else {
            continue;
        };
        if let Some(first) = seen_slugs.get(&slug) {
            report.error(
                "duplicate-slug",
                &slug_place,
                format!("the customer slug `{slug}` is already used by {first}"),
                "set a unique `slug:` under `customer:`",
            );
            continue;
        }
        seen_slugs.insert(slug.clone(), loaded.file.name.clone());
        unique.push((loaded, slug));
    }
    let resolved: Vec<(Customer, Diagnostics)> = unique
        .into_par_iter()
        .with_max_len(64)
        .map(|(loaded, slug)| {
            let mut own = Reporter::new(&lint_levels);
            let customer =
                resolve_customer(loaded, slug, &playbook_entries, &calendar, as_of, &mut own);
            (customer, own.diagnostics)
        })
        .collect();
    let mut customers = Vec::with_capacity(resolved.len());
    for (customer, diagnostics) in resolved {
        report.diagnostics.extend(diagnostics.0);
        customers.push(customer);
    }
    customers.par_sort_by(|a, b| a.slug.cmp(&b.slug));

    let mut page_entries: Vec<PageEntry> = pages
        .into_par_iter()
        .with_max_len(16)
        .filter(|p| options.drafts || !p.doc.draft)
        .map(|loaded| {
            let outline = crate::render::markdown::outline(loaded.body());
            let title = loaded
                .doc
                .title
                .clone()
                .or_else(|| outline.first_heading().map(str::to_string))
                .unwrap_or_else(|| loaded.stem.clone());
            PageEntry {
                path: loaded.rel_path.clone(),
                title,
                loaded,
                outline,
            }
        })
        .collect();
    for page in &page_entries {
        check_heading_title(page, &mut report);
    }
    page_entries.sort_by(|a, b| {
        (a.loaded.doc.weight.unwrap_or(i64::MAX), &a.path)
            .cmp(&(b.loaded.doc.weight.unwrap_or(i64::MAX), &b.path))
    });

    let site = Site {
        config,
        calendar,
        as_of,
        roles,
        sops: sop_entries,
        playbooks: playbook_entries,
        customers,
        pages: page_entries,
        options,
    };
    (site, report.diagnostics)
}

/// A tracker's slug as written (or made from its name) and where it
/// stands, or `None` after reporting that it cannot be used in a URL.
pub fn customer_slug(
    loaded: &Loaded<Tracker>,
    report: &mut Reporter<'_>,
) -> Option<(String, Place)> {
    let customer = &loaded.doc.customer;
    let (slug, slug_place) = written_or(
        loaded,
        customer.slug.as_ref(),
        || slugify(&customer.name.value),
        || loaded.place_of(&customer.name),
    );
    if slug.is_empty() || slug != slugify(&slug) {
        report.error(
            "invalid-slug",
            &slug_place,
            format!("`{slug}` cannot be used in a URL"),
            "use lowercase letters, digits and hyphens, such as `acme-corp`",
        );
        return None;
    }
    Some((slug, slug_place))
}

/// Reports a page whose title, taken from its first heading, is longer
/// than a title may be (a title written in front matter is held to the
/// same bound when it is read).
fn check_heading_title(page: &PageEntry, report: &mut Reporter<'_>) {
    let chars = page.title.chars().count();
    if page.loaded.doc.title.is_some() || chars <= crate::model::MAX_TITLE_CHARS {
        return;
    }
    // The text of the first line that opens an ATX heading; the body's
    // first line for a heading written another way.
    let body = page.loaded.body();
    let (line, column) = body
        .lines()
        .enumerate()
        .find(|(_, line)| line.trim_start().starts_with('#'))
        .map(|(index, line)| {
            let marks = line.len() - line.trim_start_matches([' ', '#']).len();
            (index, 1 + line[..marks].chars().count())
        })
        .unwrap_or((0, 1));
    report.error(
        "title-too-long",
        &Place::at(&page.loaded.file, page.loaded.body_line + line, column),
        format!(
            "the first heading, the page's title, is {chars} characters long; titles hold at most {}",
            crate::model::MAX_TITLE_CHARS
        ),
        "shorten the heading, or set a shorter `title:` in front matter",
    );
}

/// One tracker with a unique `slug`: its playbook, planned milestones and
/// status. A customer depends on no other customer, which is what lets
/// `serve` resolve an edited tracker alone.
pub fn resolve_customer(
    loaded: Loaded<Tracker>,
    slug: String,
    playbooks: &[PlaybookEntry],
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    report: &mut Reporter<'_>,
) -> Customer {
    let customer = &loaded.doc.customer;
    let playbook = match &customer.playbook {
        Some(reference) => match playbooks.iter().find(|p| p.id == reference.value) {
            Some(p) => Some(p),
            None => {
                let known: Vec<&str> = playbooks.iter().map(|p| p.id.as_str()).collect();
                report.error(
                    "unknown-playbook",
                    &loaded.place_of(reference),
                    format!("there is no playbook `{}`", reference.value),
                    if known.is_empty() {
                        "no playbooks are defined under playbooks/".to_string()
                    } else {
                        format!("known playbooks: {}", known.join(", "))
                    },
                );
                None
            }
        },
        None => None,
    };
    let milestones = plan_milestones(&loaded, playbook, calendar, as_of, report);
    let tracker = &loaded.doc;
    let facts = CustomerFacts {
        start_date: tracker.customer.start_date.as_ref().map(|d| d.value.0),
        risk_level: tracker
            .health
            .as_ref()
            .and_then(|h| h.risk_level.as_deref()),
        open_actions: tracker.actions.iter().filter(|a| !a.done).count(),
    };
    let status = status::customer_status(&milestones, &facts, as_of, calendar);
    Customer {
        slug,
        playbook: playbook.map(|p| p.id.clone()),
        loaded,
        milestones,
        status,
    }
}

/// An id as written (and where), or its default (pointing at `fallback`).
fn written_or<T>(
    loaded: &Loaded<T>,
    written: Option<&crate::model::Spanned<String>>,
    default: impl FnOnce() -> String,
    fallback: impl FnOnce() -> Place,
) -> (String, Place) {
    match written {
        Some(id) => (id.value.clone(), loaded.place_of(id)),
        None => (default(), fallback()),
    }
}

fn resolve_roles(
    site_roles: &[Loaded<Role>],
    sops: &[Loaded<Sop>],
    report: &mut Reporter<'_>,
) -> Vec<RoleEntry> {
    let mut roles: Vec<RoleEntry> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for loaded in site_roles {
        let role = &loaded.doc;
        if index.contains_key(&role.id.value) {
            report.error(
                "duplicate-id",
                &loaded.place_of(&role.id),
                format!(
                    "the role `{}` is declared twice in playbooks/roles.yaml",
                    role.id.value
                ),
                "keep one declaration per role id",
            );
            continue;
        }
        index.insert(role.id.value.clone(), roles.len());
        roles.push(role_entry(role, None, loaded.place_of(&role.id)));
    }
    for loaded in sops {
        let sop_id = loaded
            .doc
            .id
            .as_ref()
            .map(|i| i.value.clone())
            .unwrap_or_else(|| loaded.stem.clone());
        let mut own = HashSet::new();
        for role in &loaded.doc.roles {
            if !own.insert(role.id.value.clone()) {
                report.error(
                    "duplicate-id",
                    &loaded.place_of(&role.id),
                    format!("the role `{}` is declared twice in this SOP", role.id.value),
                    "keep one declaration per role id",
                );
                continue;
            }
            if !index.contains_key(&role.id.value) {
                index.insert(role.id.value.clone(), roles.len());
                roles.push(role_entry(
                    role,
                    Some(sop_id.clone()),
                    loaded.place_of(&role.id),
                ));
            }
        }
    }
    roles
}

fn role_entry(role: &Role, declared_in: Option<String>, declared_at: Place) -> RoleEntry {
    RoleEntry {
        id: role.id.value.clone(),
        name: role.name.clone(),
        responsibilities: role.responsibilities.clone(),
        escalates_to: role.escalates_to.as_ref().map(|e| e.value.clone()),
        declared_in,
        declared_at,
    }
}

fn check_role_ref<T>(
    reference: Option<&crate::model::Spanned<String>>,
    role_ids: &HashSet<&str>,
    loaded: &Loaded<T>,
    report: &mut Reporter<'_>,
    what: &str,
) {
    let Some(reference) = reference else { return };
    if !role_ids.contains(reference.value.as_str()) {
        let mut known: Vec<&str> = role_ids.iter().copied().collect();
        known.sort_unstable();
        report.error(
            "unknown-role",
            &loaded.place_of(reference),
            format!(
                "{what} names the role `{}`, which is not declared",
                reference.value
            ),
            format!(
                "declare it in playbooks/roles.yaml or under this SOP's `roles:`; known roles: {}",
                known.join(", ")
            ),
        );
    }
}

fn resolve_sop(
    id: String,
    loaded: Loaded<Sop>,
    role_ids: &HashSet<&str>,
    as_of: NaiveDate,
    options: &BuildOptions,
    report: &mut Reporter<'_>,
) -> SopEntry {
    let sop = &loaded.doc;
    if sop.kind.value != "sop" {
        report.error(
            "unknown-kind",
            &loaded.place_of(&sop.kind),
            "expected `kind: sop`",
            "",
        );
    }
    check_role_ref(sop.owner.as_ref(), role_ids, &loaded, report, "owner");
    for role in &sop.roles {
        check_role_ref(
            role.escalates_to.as_ref(),
            role_ids,
            &loaded,
            report,
            "escalates_to",
        );
    }
    let mut step_ids = Vec::new();
    let mut seen = HashSet::new();
    for step in &sop.steps {
        let (step_id, place) = written_or(
            &loaded,
            step.id.as_ref(),
            || slugify(&step.title.value),
            || loaded.place_of(&step.title),
        );
        if step_id.is_empty() || step_id != slugify(&step_id) {
            report.error(
                "invalid-id",
                &place,
                format!("the step id `{step_id}` cannot be used as an anchor"),
                "use lowercase letters, digits and hyphens",
            );
        }
        if !seen.insert(step_id.clone()) {
            report.error(
                "duplicate-id",
                &place,
                format!("the step id `{step_id}` is used twice in this SOP"),
                "give the step a unique `id:`",
            );
        }
        step_ids.push(step_id);
        check_role_ref(step.owner.as_ref(), role_ids, &loaded, report, "owner");
        if let Some(escalation) = &step.escalation {
            check_role_ref(
                Some(&escalation.to),
                role_ids,
                &loaded,
                report,
                "escalation.to",
            );
        }
    }
    for approval in &sop.approvals {
        check_role_ref(
            Some(&approval.role),
            role_ids,
            &loaded,
            report,
            "approvals.role",
        );
    }

    let mut review_due = None;
    if let Some(written) = &sop.review_cycle {
        match ReviewCycle::parse(&written.value) {
            Some(cycle) => {
                let last = sop.last_reviewed.map(|d| d.0);
                review_due = last.and_then(|d| cycle.next_after(d));
                if let (Some(last), None) = (last, review_due) {
                    report.error(
                        "invalid-review-cycle",
                        &loaded.place_of(written),
                        format!(
                            "a review `{}` after {last} falls after {}, the last day onboard plans for",
                            written.value,
                            crate::calendar::LAST_DAY
                        ),
                        "check `last_reviewed:` and `review_cycle:`",
                    );
                }
            }
            None => report.error(
                "invalid-review-cycle",
                &loaded.place_of(written),
                format!("`{}` is not a review cycle", written.value),
                "use monthly, quarterly, semiannual, annual or a number of days from 1d to 36525d",
            ),
        }
    }
    let review_overdue = review_due.is_some_and(|due| due < as_of);

    let mut kpis = Vec::new();
    let mut kpi_ids = HashSet::new();
    for kpi in &sop.kpis {
        let kpi_id = kpi.id.clone().unwrap_or_else(|| slugify(&kpi.name));
        if !kpi_ids.insert(kpi_id.clone()) {
            report.error(
                "duplicate-id",
                &loaded.place(),
                format!("the KPI id `{kpi_id}` is used twice in this SOP"),
                "give the KPI a unique `id:`",
            );
        }
        let target = kpi
            .target
            .as_ref()
            .and_then(|t| match t.value.parse::<Target>() {
                Ok(target) => Some(target),
                Err(message) => {
                    report.error(
                        "invalid-target",
                        &loaded.place_of(t),
                        format!("cannot read the KPI target `{}`", t.value),
                        message,
                    );
                    None
                }
            });
        let measure = kpi
            .measure
            .as_ref()
            .and_then(|m| parse_measure(m, &loaded, report));
        kpis.push(KpiDef {
            id: kpi_id,
            name: kpi.name.clone(),
            target_text: kpi.target.as_ref().map(|t| t.value.clone()),
            target,
            measure,
            description: kpi.description.clone(),
        });
    }
    let published = options.drafts || sop.status != SopStatus::Draft;
    SopEntry {
        id,
        loaded,
        step_ids,
        review_due,
        review_overdue,
        kpis,
        published,
    }
}

fn parse_measure(
    spec: &crate::model::Spanned<crate::model::MeasureSpec>,
    loaded: &Loaded<Sop>,
    report: &mut Reporter<'_>,
) -> Option<Measure> {
    let m = &spec.value;
    let place = loaded.place_of(spec);
    let stat = |report: &mut Reporter<'_>| -> Option<Stat> {
        match &m.stat {
            None => Some(Stat::Median),
            Some(s) => match s.value.as_str() {
                "median" => Some(Stat::Median),
                "mean" => Some(Stat::Mean),
                "p90" => Some(Stat::P90),
                "max" => Some(Stat::Max),
                other => {
                    report.error(
                        "invalid-measure",
                        &loaded.place_of(s),
                        format!("unknown statistic `{other}`"),
                        "use median, mean, p90 or max",
                    );
                    None
                }
            },
        }
    };
    if let Some(rate) = &m.rate {
        return match rate.value.as_str() {
            "on_time" => Some(Measure::OnTime),
            "complete_within" => match m.days {
                Some(days) => Some(Measure::CompleteWithin { days }),
                None => {
                    report.error(
                        "invalid-measure",
                        &loaded.place_of(rate),
                        "`rate: complete_within` needs `days:`",
                        "add the number of days, such as `days: 90`",
                    );
                    None
                }
            },
            other => {
                report.error(
                    "invalid-measure",
                    &loaded.place_of(rate),
                    format!("unknown rate `{other}`"),
                    "use `rate: on_time` or `rate: complete_within` with `days:`",
                );
                None
            }
        };
    }
    if let Some(score) = &m.score {
        return stat(report).map(|stat| Measure::Score {
            name: score.value.clone(),
            stat,
        });
    }
    match (&m.from, &m.to) {
        (Some(from), Some(to)) => {
            let business_days = match m.unit.as_ref().map(|u| u.value.as_str()) {
                None | Some("days") => false,
                Some("business_days") => true,
                Some(other) => {
                    report.error(
                        "invalid-measure",
                        &loaded.place_of(m.unit.as_ref().expect("matched Some")),
                        format!("unknown unit `{other}`"),
                        "use `days` or `business_days`",
                    );
                    return None;
                }
            };
            stat(report).map(|stat| Measure::Interval {
                from: from.value.clone(),
                to: to.value.clone(),
                business_days,
                stat,
            })
        }
        _ => {
            report.error(
                "invalid-measure",
                &place,
                "a measure needs `from:` and `to:` marks, a `rate:` or a `score:`",
                "for example `{ from: start, to: kickoff, unit: business_days, stat: median }`",
            );
            None
        }
    }
}

fn check_sop_ref(
    text: &str,
    sops: &[SopEntry],
    loaded: &Loaded<Playbook>,
    at: &crate::model::Spanned<String>,
    report: &mut Reporter<'_>,
) {
    let reference = SopRef::parse(text);
    let Some(sop) = sops.iter().find(|s| s.id == reference.sop) else {
        let known: Vec<&str> = sops.iter().map(|s| s.id.as_str()).collect();
        report.error(
            "unresolved-reference",
            &loaded.place_of(at),
            format!("there is no SOP `{}`", reference.sop),
            format!("known SOPs: {}", known.join(", ")),
        );
        return;
    };
    if let Some(step) = &reference.step
        && !sop.step_ids.contains(step)
    {
        report.error(
            "unresolved-reference",
            &loaded.place_of(at),
            format!("the SOP `{}` has no step `{step}`", sop.id),
            format!("its steps are: {}", sop.step_ids.join(", ")),
        );
    }
}

/// Applies the playbook plan to a tracker and assesses every milestone.
fn plan_milestones(
    loaded: &Loaded<Tracker>,
    playbook: Option<&PlaybookEntry>,
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    report: &mut Reporter<'_>,
) -> Vec<Milestone> {
    let tracker = &loaded.doc;
    let start = tracker.customer.start_date.as_ref();
    let plan: Vec<(&crate::model::PlanMilestone, Option<NaiveDate>)> = playbook
        .map(|p| {
            p.loaded
                .doc
                .milestones
                .iter()
                .zip(&p.offsets)
                .map(|(m, offset)| {
                    let (Some(start), Some(offset)) = (start, *offset) else {
                        return (m, None);
                    };
                    let date = calendar.apply(start.value.0, offset);
                    if date.is_none() {
                        report.error(
                            "invalid-offset",
                            &loaded.place_of(start),
                            format!(
                                "the playbook `{}` plans `{}` {offset} after this start date, \
                                 after {}, the last day onboard plans for",
                                p.id,
                                m.name.value,
                                crate::calendar::LAST_DAY
                            ),
                            "check the start date, or the offset in the playbook",
                        );
                    }
                    (m, date)
                })
                .collect()
        })
        .unwrap_or_default();
    let plan_mark = |m: &crate::model::PlanMilestone| {
        m.marks
            .clone()
            .or_else(|| status::infer_mark(&m.name.value))
    };
    let mut used = vec![false; plan.len()];
    let mut milestones = Vec::new();
    for m in &tracker.milestones {
        let marks = m
            .marks
            .clone()
            .or_else(|| status::infer_mark(&m.name.value));
        let matched = plan
            .iter()
            .enumerate()
            .find(|(i, (p, _))| !used[*i] && marks.is_some() && plan_mark(p) == marks)
            .or_else(|| {
                plan.iter().enumerate().find(|(i, (p, _))| {
                    !used[*i] && p.name.value.eq_ignore_ascii_case(m.name.value.trim())
                })
            })
            .map(|(i, entry)| (i, *entry));
        if let Some((i, _)) = matched {
            used[i] = true;
        }
        let status = m.status.as_ref().map(|s| s.value).unwrap_or_default();
        let target_from_plan =
            m.target_date.is_none() && matched.is_some_and(|(_, (_, d))| d.is_some());
        let target_date = m
            .target_date
            .as_ref()
            .map(|d| d.value.0)
            .or(matched.and_then(|(_, (_, d))| d));
        let actual_date = m.actual_date.as_ref().map(|d| d.value.0);
        let place = loaded.place_of(&m.name);
        if status == MilestoneStatus::Complete && actual_date.is_none() {
            report.lint(
                "complete-without-actual-date",
                &place,
                format!("`{}` is complete but has no actual_date", m.name.value),
                "add `actual_date:` with the day it was completed",
            );
        }
        if let Some(actual) = &m.actual_date
            && actual.value.0 > as_of
        {
            report.lint(
                "actual-after-as-of",
                &loaded.place_of(actual),
                format!(
                    "the actual date {} is after the as-of date {as_of}",
                    actual.value
                ),
                "an actual date records the past; check the date or the as_of setting",
            );
        }
        if let Some(target) = &m.target_date
            && !calendar.is_working_day(target.value.0)
        {
            report.lint(
                "target-on-non-working-day",
                &loaded.place_of(target),
                format!(
                    "the target {} of `{}` is not a working day",
                    target.value, m.name.value
                ),
                "move the target to a working day, or adjust `calendar:` in onboard.yaml",
            );
        }
        let mut milestone = Milestone {
            name: m.name.value.clone(),
            marks: marks.or_else(|| matched.and_then(|(_, (p, _))| plan_mark(p))),
            target_date,
            target_from_plan,
            actual_date,
            status,
            blockers: m.blockers.clone(),
            criteria: m
                .criteria
                .clone()
                .or_else(|| matched.and_then(|(_, (p, _))| p.criteria.clone())),
            customer_visible: m
                .customer_visible
                .or_else(|| matched.and_then(|(_, (p, _))| p.customer_visible))
                .unwrap_or(true),
            from_plan: false,
            late: false,
            days_late: None,
            on_time: None,
            target_on_non_working_day: false,
            line: place.line,
        };
        status::assess_milestone(&mut milestone, as_of, calendar);
        milestones.push(milestone);
    }
    for (i, (p, date)) in plan.iter().enumerate() {
        if used[i] {
            continue;
        }
        let mut milestone = Milestone {
            name: p.name.value.clone(),
            marks: plan_mark(p),
            target_date: *date,
            target_from_plan: date.is_some(),
            actual_date: None,
            status: MilestoneStatus::Pending,
            blockers: Vec::new(),
            criteria: p.criteria.clone(),
            customer_visible: p.customer_visible.unwrap_or(true),
            from_plan: true,
            late: false,
            days_late: None,
            on_time: None,
            target_on_non_working_day: false,
            line: 0,
        };
        status::assess_milestone(&mut milestone, as_of, calendar);
        milestones.push(milestone);
    }
    // Date order reads as a timeline; undated milestones keep their place at the end.
    milestones.sort_by_key(|m| (m.target_date.is_none(), m.target_date));
    milestones
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
