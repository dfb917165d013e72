//! The content model: SOPs, playbooks, roles, customer trackers and pages.
//!
//! These are plain data, deserialised straight from the YAML that users
//! write (`deny_unknown_fields` everywhere, so a misspelt key is an error
//! that lists the keys allowed). Fields that other files refer to, or that
//! refer to other files, are [`Spanned`] so that cross-file checks can point
//! at the exact line. Spanned values serialise as their plain value, so the
//! same types feed the templates.

use std::fmt;

use chrono::NaiveDate;
use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use serde_saphyr::Spanned;

/// A calendar date written `YYYY-MM-DD`, quoted or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible days such as 2026-02-30
    /// and days outside the years 1900 to 2200, which can only be typos
    /// (and would push plans and charts past any calendar).
    pub fn parse(text: &str) -> Result<Date, String> {
        use crate::calendar::{FIRST_DAY, LAST_DAY};
        let text = text.trim();
        if let Some(date) = crate::calendar::parse_ymd(text) {
            if !crate::calendar::is_supported(date) {
                return Err(format!(
                    "`{text}` is outside the years onboard accepts: write a date from {FIRST_DAY} to {LAST_DAY}"
                ));
            }
            return Ok(Date(date));
        }
        let b = text.as_bytes();
        let shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, &c)| {
                if i == 4 || i == 7 {
                    c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        Err(if shaped {
            format!("`{text}` is not a real day of the calendar")
        } else {
            format!("expected a date written YYYY-MM-DD (such as 2026-01-15), found `{text}`")
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::calendar::Iso(self.0).fmt(f)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A date is a string `YYYY-MM-DD` in every schema: YAML leaves an
/// unquoted `2026-01-15` a string, and editors then check its shape.
impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
        })
    }
}

/// The shape of a date in the schemas: `YYYY-MM-DD`.
pub const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Date, E> {
                Err(E::custom(format!(
                    "expected a date written YYYY-MM-DD, found the number {v}"
                )))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Date, E> {
                self.visit_i64(v as i64)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The most characters a name or title may hold. Names and titles become
/// headings, page titles, search entries and feed summaries; one longer
/// than this is a paste gone wrong, and would make every page that shows
/// it slow to build and unreadable.
pub const MAX_TITLE_CHARS: usize = 1_000;

/// Refuses a name or title longer than [`MAX_TITLE_CHARS`].
fn bounded(text: &str) -> Result<(), String> {
    // Bytes bound characters from above: count only when it could matter.
    if text.len() <= MAX_TITLE_CHARS {
        return Ok(());
    }
    let chars = text.chars().count();
    if chars <= MAX_TITLE_CHARS {
        return Ok(());
    }
    Err(format!(
        "this name is {chars} characters long; names and titles hold at most {MAX_TITLE_CHARS} \
         (put longer text in a summary, criteria or the body)"
    ))
}

/// A name or title, at most [`MAX_TITLE_CHARS`] long (`deserialize_with`).
fn title<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    bounded(&text).map_err(serde::de::Error::custom)?;
    Ok(text)
}

/// An optional name or title, at most [`MAX_TITLE_CHARS`] long.
fn optional_title<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    if let Some(text) = &text {
        bounded(text).map_err(serde::de::Error::custom)?;
    }
    Ok(text)
}

/// A name or title with its place, at most [`MAX_TITLE_CHARS`] long.
fn spanned_title<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<String>, D::Error> {
    let text = Spanned::<String>::deserialize(deserializer)?;
    bounded(&text.value).map_err(serde::de::Error::custom)?;
    Ok(text)
}

/// An optional name or title with its place, at most [`MAX_TITLE_CHARS`] long.
fn optional_spanned_title<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Spanned<String>>, D::Error> {
    let text = Option::<Spanned<String>>::deserialize(deserializer)?;
    if let Some(text) = &text {
        bounded(&text.value).map_err(serde::de::Error::custom)?;
    }
    Ok(text)
}

/// A role: who does what, and to whom they escalate.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Identifier that steps and SOPs refer to.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Name shown to readers.
    #[serde(deserialize_with = "title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub name: String,
    /// What the role is accountable for.
    #[serde(default)]
    pub responsibilities: Vec<String>,
    /// The role this one escalates to.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub escalates_to: Option<Spanned<String>>,
}

/// `draft | approved | retired`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SopStatus {
    /// Built only with `--drafts`.
    Draft,
    /// In force.
    #[default]
    Approved,
    /// Kept for the record; references to it are linted.
    Retired,
}

/// Where and how fast to escalate from a step.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// The role escalated to.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
    /// How soon, e.g. `2h`.
    #[serde(default)]
    pub within: Option<String>,
    /// The trigger.
    #[serde(default)]
    pub when: Option<String>,
}

/// One step of an SOP.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Anchor id; defaults to the slug of the title.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// What the step is.
    #[serde(deserialize_with = "spanned_title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// The role that owns the step.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub owner: Option<Spanned<String>>,
    /// When it happens (free text).
    #[serde(default)]
    pub when: Option<String>,
    /// What the step achieves.
    #[serde(default)]
    pub objective: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub body: Option<String>,
    /// Ordered sub-steps.
    #[serde(default)]
    pub substeps: Vec<String>,
    /// Items to tick off.
    #[serde(default)]
    pub checklist: Vec<String>,
    /// Mistakes to avoid.
    #[serde(default)]
    pub mistakes: Vec<String>,
    /// Typical duration.
    #[serde(default)]
    pub time_standard: Option<String>,
    /// Tools used.
    #[serde(default)]
    pub tools: Vec<String>,
    /// Escalation path.
    #[serde(default)]
    pub escalation: Option<Escalation>,
}

/// The raw `measure:` map of a KPI; validated into a [`Measure`].
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    /// Interval start mark.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub from: Option<Spanned<String>>,
    /// Interval end mark.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub to: Option<Spanned<String>>,
    /// `days` or `business_days`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub unit: Option<Spanned<String>>,
    /// `median`, `mean`, `p90` or `max`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub stat: Option<Spanned<String>>,
    /// `on_time` or `complete_within`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub rate: Option<Spanned<String>>,
    /// Days for `complete_within`.
    #[serde(default)]
    pub days: Option<u32>,
    /// Score name for score measures.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub score: Option<Spanned<String>>,
}

/// A key performance indicator of an SOP.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    /// Identifier; defaults to the slug of the name.
    #[serde(default)]
    pub id: Option<String>,
    /// What is measured.
    #[serde(deserialize_with = "title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub name: String,
    /// How to compute it from the trackers; absent: target only.
    #[serde(default)]
    #[schemars(with = "Option<MeasureSpec>")]
    pub measure: Option<Spanned<MeasureSpec>>,
    /// `< 5`, `>= 85%`, ...
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub target: Option<Spanned<String>>,
    /// Free explanation.
    #[serde(default)]
    pub description: Option<String>,
    /// The customers it is computed over; absent: every customer.
    #[serde(default)]
    pub applies_to: Option<KpiScopeSpec>,
}

/// The `applies_to:` map of a KPI: which customers it measures. A customer
/// counts when its playbook is one of `playbooks` (if any are listed) and
/// its tier one of `tiers` (if any are listed).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiScopeSpec {
    /// Playbook ids.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub playbooks: Vec<Spanned<String>>,
    /// Tiers, as trackers write them.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tiers: Vec<Spanned<String>>,
}

/// A row of an SOP's revision history.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// Version label.
    pub version: String,
    /// When.
    #[serde(default)]
    pub date: Option<Date>,
    /// Who.
    #[serde(default)]
    pub author: Option<String>,
    /// What changed.
    #[serde(default)]
    pub changes: Option<String>,
}

/// A sign-off on an SOP.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The approving role.
    #[schemars(with = "String")]
    pub role: Spanned<String>,
    /// Who signed; empty until signed.
    #[serde(default)]
    pub name: Option<String>,
    /// When; null until signed.
    #[serde(default)]
    pub date: Option<Date>,
}

/// A standard operating procedure (`kind: sop`).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sop {
    /// Always `sop`.
    #[schemars(with = "String", extend("const" = "sop"))]
    pub kind: Spanned<String>,
    /// Defaults to the file stem.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// Title.
    #[serde(deserialize_with = "title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub title: String,
    /// One-line summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Version label.
    #[serde(default)]
    pub version: Option<String>,
    /// Owning role id.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub owner: Option<Spanned<String>>,
    /// Lifecycle status.
    #[serde(default)]
    pub status: SopStatus,
    /// `monthly | quarterly | semiannual | annual | <N>d`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub review_cycle: Option<Spanned<String>>,
    /// Last review date.
    #[serde(default)]
    pub last_reviewed: Option<Date>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Kinds of engagement it suits.
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Where not to use it.
    #[serde(default)]
    pub not_for: Vec<String>,
    /// What must be true first.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// Term → meaning.
    #[serde(default)]
    pub definitions: IndexMap<String, String>,
    /// Roles declared by this SOP (added to the site-wide roles).
    #[serde(default)]
    pub roles: Vec<Role>,
    /// The procedure.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Indicators and targets.
    #[serde(default)]
    pub kpis: Vec<Kpi>,
    /// Completion checklist.
    #[serde(default)]
    pub checklist: Vec<String>,
    /// Quality standards.
    #[serde(default)]
    pub quality_standards: Vec<String>,
    /// Revision history.
    #[serde(default)]
    pub revisions: Vec<Revision>,
    /// Sign-offs.
    #[serde(default)]
    pub approvals: Vec<Approval>,
    /// Free Markdown (pure YAML files; .md files use the file body).
    #[serde(default)]
    pub body: Option<String>,
}

/// A row of a playbook's defaults table.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultSetting {
    /// What is being set.
    pub setting: String,
    /// The default choice.
    pub default: String,
    /// Other choices.
    #[serde(default)]
    pub alternatives: Vec<String>,
}

/// A phase of a playbook.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Identifier; defaults to the slug of the name.
    #[serde(default)]
    pub id: Option<String>,
    /// Name.
    #[serde(deserialize_with = "title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub name: String,
    /// First and last day, counted from the start.
    #[serde(default)]
    #[schemars(with = "Option<Vec<i64>>")]
    pub days: Option<Spanned<Vec<i64>>>,
    /// `sop` or `sop#step` references.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sops: Vec<Spanned<String>>,
    /// Markdown summary.
    #[serde(default)]
    pub summary: Option<String>,
}

/// A milestone of a playbook's plan.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanMilestone {
    /// Name, matched case-insensitively with tracker milestones.
    #[serde(deserialize_with = "spanned_title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The mark it sets (`kickoff`, `first_value`, `handoff`, ...).
    #[serde(default)]
    pub marks: Option<String>,
    /// `N days`, `N business days` or `N weeks` after the start, or a map
    /// of such offsets by tier with a `default`.
    #[serde(default)]
    #[schemars(with = "Option<OffsetSpecSchema>")]
    pub offset: Option<Spanned<OffsetSpec>>,
    /// Done criteria.
    #[serde(default)]
    pub criteria: Option<String>,
    /// Shown on customer sites (default true).
    #[serde(default)]
    pub customer_visible: Option<bool>,
    /// How the milestone is reached: `sop` or `sop#step` references.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sops: Vec<Spanned<String>>,
    /// The id of one of the playbook's phases, whose SOPs show how the
    /// milestone is reached.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub phase: Option<Spanned<String>>,
}

/// The shape of [`OffsetSpec`] for the schemas: a text, or a map of texts
/// by tier.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum OffsetSpecSchema {
    /// `14 days`.
    One(String),
    /// Tier (or `default`) → offset, such as `{ default: 30 days, enterprise: 90 days }`.
    ByTier(IndexMap<String, String>),
}

/// A plan milestone's `offset:` as written: one offset for every customer,
/// or one per tier (`{ default: 30 days, enterprise: 90 days }`).
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum OffsetSpec {
    /// `14 days`.
    One(String),
    /// Tier (or `default`) → offset, in the order written, each with its
    /// place for errors about the tier or the offset.
    ByTier(Vec<(Spanned<String>, Spanned<String>)>),
}

impl<'de> Deserialize<'de> for OffsetSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OffsetSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "an offset such as `14 days`, or a map by tier such as \
                     `{ default: 30 days, enterprise: 90 days }`",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OffsetSpec, E> {
                Ok(OffsetSpec::One(v.to_string()))
            }
            // A bare number is read as text so that the offset's own parser
            // says what it lacks (`30` → "expected N days ...").
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<OffsetSpec, E> {
                Ok(OffsetSpec::One(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<OffsetSpec, E> {
                Ok(OffsetSpec::One(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<OffsetSpec, A::Error> {
                let mut entries: Vec<(Spanned<String>, Spanned<String>)> = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if entries.iter().any(|(k, _)| k.value == key.value) {
                        return Err(serde::de::Error::custom(format!(
                            "`{}` is given twice in this offset",
                            key.value
                        )));
                    }
                    let value = map.next_value::<Spanned<String>>()?;
                    entries.push((key, value));
                }
                Ok(OffsetSpec::ByTier(entries))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A do-and-fix pair.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pitfall {
    /// The pitfall.
    pub title: String,
    /// How to avoid or fix it.
    #[serde(default)]
    pub fix: Option<String>,
}

/// Who attends the kickoff meeting.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendees {
    /// Customer-side roles.
    #[serde(default)]
    pub customer: Vec<String>,
    /// Internal roles.
    #[serde(default)]
    pub internal: Vec<String>,
}

/// The kickoff meeting block.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// E.g. `45 minutes`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub duration: Option<Spanned<String>>,
    /// Attendees by side.
    #[serde(default)]
    pub attendees: Attendees,
}

/// One agenda topic.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// Topic.
    pub topic: String,
    /// E.g. `5 min`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub duration: Option<Spanned<String>>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A playbook (`kind: playbook`).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// Always `playbook`.
    #[schemars(with = "String", extend("const" = "playbook"))]
    pub kind: Spanned<String>,
    /// Defaults to the file stem.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// Title.
    #[serde(deserialize_with = "title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub title: String,
    /// One-line summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Tiers it is for.
    #[serde(default)]
    pub tiers: Vec<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Defaults table.
    #[serde(default)]
    pub defaults: Vec<DefaultSetting>,
    /// Phases.
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// The milestone plan trackers inherit.
    #[serde(default)]
    pub milestones: Vec<PlanMilestone>,
    /// Checklist.
    #[serde(default)]
    pub checklist: Vec<String>,
    /// Do.
    #[serde(default)]
    pub r#do: Vec<String>,
    /// Don't.
    #[serde(default)]
    pub dont: Vec<String>,
    /// Pitfalls and fixes.
    #[serde(default)]
    pub pitfalls: Vec<Pitfall>,
    /// Kickoff meeting.
    #[serde(default)]
    pub meeting: Option<Meeting>,
    /// Kickoff agenda.
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    /// Free Markdown (pure YAML files).
    #[serde(default)]
    pub body: Option<String>,
}

/// `pending | in_progress | complete | blocked | skipped`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Not started.
    #[default]
    Pending,
    /// Under way.
    InProgress,
    /// Done.
    Complete,
    /// Cannot proceed.
    Blocked,
    /// Not applicable; excluded from progress.
    Skipped,
}

impl MilestoneStatus {
    /// The word used in exports and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneStatus::Pending => "pending",
            MilestoneStatus::InProgress => "in_progress",
            MilestoneStatus::Complete => "complete",
            MilestoneStatus::Blocked => "blocked",
            MilestoneStatus::Skipped => "skipped",
        }
    }
}

/// Who does the work of a milestone: `internal | customer | joint`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The onboarding team.
    #[default]
    Internal,
    /// The customer.
    Customer,
    /// Both together.
    Joint,
}

impl Side {
    /// The word used in exports and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Internal => "internal",
            Side::Customer => "customer",
            Side::Joint => "joint",
        }
    }
}

/// The `customer:` block of a tracker.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInfo {
    /// Display name (escaped wherever shown).
    #[serde(deserialize_with = "spanned_title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// URL slug; defaults to the slug of the name.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub slug: Option<Spanned<String>>,
    /// Tier.
    #[serde(default, deserialize_with = "optional_title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub tier: Option<String>,
    /// Customer success manager.
    #[serde(default, deserialize_with = "optional_title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub csm: Option<String>,
    /// Playbook id whose plan applies.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub playbook: Option<Spanned<String>>,
    /// Contract signature.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub start_date: Option<Spanned<Date>>,
    /// Target for first value.
    #[serde(default)]
    pub target_first_value: Option<Date>,
    /// Markdown shown at the top of the customer's share page.
    #[serde(default)]
    pub welcome: Option<String>,
    /// Whether the customer gets a share site (default true).
    #[serde(default = "yes")]
    pub share: bool,
}

fn yes() -> bool {
    true
}

/// A milestone of a tracker.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackerMilestone {
    /// Name.
    #[serde(deserialize_with = "spanned_title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Mark; inferred from the name when absent.
    #[serde(default)]
    pub marks: Option<String>,
    /// Planned date; from the playbook when absent.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub target_date: Option<Spanned<Date>>,
    /// When it was done.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub actual_date: Option<Spanned<Date>>,
    /// Status (pending when absent).
    #[serde(default)]
    #[schemars(with = "Option<MilestoneStatus>")]
    pub status: Option<Spanned<MilestoneStatus>>,
    /// What stands in the way.
    #[serde(default)]
    pub blockers: Vec<String>,
    /// Done criteria.
    #[serde(default)]
    pub criteria: Option<String>,
    /// Shown on the customer's site (default true).
    #[serde(default)]
    pub customer_visible: Option<bool>,
    /// The person who owns the milestone.
    #[serde(default, deserialize_with = "optional_title")]
    pub owner: Option<String>,
    /// Who does the work (internal when absent).
    #[serde(default)]
    #[schemars(with = "Option<Side>")]
    pub side: Option<Spanned<Side>>,
    /// The agreed revised date of an open milestone.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub forecast_date: Option<Spanned<Date>>,
    /// Who signed off a completed milestone for the customer.
    #[serde(default, deserialize_with = "optional_spanned_title")]
    #[schemars(with = "Option<String>")]
    pub accepted_by: Option<Spanned<String>>,
    /// When the customer signed it off.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub accepted_on: Option<Spanned<Date>>,
}

/// Internal health signals.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Health {
    /// Engagement level.
    #[serde(default)]
    pub engagement: Option<String>,
    /// Sentiment.
    #[serde(default)]
    pub sentiment: Option<String>,
    /// Risk level (`high` makes the customer at risk).
    #[serde(default)]
    pub risk_level: Option<String>,
}

/// A person involved.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    /// Name.
    #[serde(deserialize_with = "title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub name: String,
    /// Role in the project.
    #[serde(default)]
    pub role: Option<String>,
    /// `customer` or `internal`.
    #[serde(default)]
    pub side: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
}

/// An action item.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// What to do.
    #[serde(deserialize_with = "title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub title: String,
    /// Who.
    #[serde(default)]
    pub owner: Option<String>,
    /// `customer` or `internal`.
    #[serde(default)]
    pub side: Option<String>,
    /// By when.
    #[serde(default)]
    pub due: Option<Date>,
    /// Done yet.
    #[serde(default)]
    pub done: bool,
    /// Who may see it (the customer too, when absent).
    #[serde(default = "customer_visibility")]
    pub visibility: Visibility,
}

fn customer_visibility() -> Visibility {
    Visibility::Customer
}

/// An internal risk.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// The risk.
    #[serde(deserialize_with = "title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub title: String,
    /// Who owns it.
    #[serde(default)]
    pub owner: Option<String>,
    /// By when.
    #[serde(default)]
    pub due: Option<Date>,
    /// How it is mitigated.
    #[serde(default)]
    pub mitigation: Option<String>,
    /// Severity.
    #[serde(default)]
    pub severity: Option<String>,
}

/// Who may see an update.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Staff only.
    #[default]
    Internal,
    /// Also the customer.
    Customer,
}

/// A dated status update.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// When.
    pub date: Date,
    /// What happened (Markdown).
    pub text: String,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// A customer onboarding tracker (`content/customers/*.yaml`).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tracker {
    /// Who the customer is.
    pub customer: CustomerInfo,
    /// The milestones.
    #[serde(default)]
    pub milestones: Vec<TrackerMilestone>,
    /// Internal health.
    #[serde(default)]
    pub health: Option<Health>,
    /// Internal scores (nps, csat, ...).
    #[serde(default)]
    pub scores: IndexMap<String, f64>,
    /// People.
    #[serde(default)]
    pub stakeholders: Vec<Stakeholder>,
    /// Action items.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Internal risks.
    #[serde(default)]
    pub risks: Vec<Risk>,
    /// Updates.
    #[serde(default)]
    pub updates: Vec<Update>,
    /// Internal notes (Markdown).
    #[serde(default)]
    pub notes: Option<String>,
}

/// Front matter of a free page.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// Title; defaults to the first heading, else the file stem.
    #[serde(default, deserialize_with = "optional_title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub title: Option<String>,
    /// Summary.
    #[serde(default)]
    pub description: Option<String>,
    /// Date.
    #[serde(default)]
    pub date: Option<Date>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Order in lists.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Anything, passed to templates.
    #[serde(default)]
    pub extra: IndexMap<String, serde_json::Value>,
}

/// The slug rule used for ids and anchors throughout.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// The name of a tag's page, `tags/<slug>/`: tags that differ only in case,
/// spacing or punctuation (`Kick-off`, `kick off`) share a slug and are one
/// tag.
pub fn tag_slug(tag: &str) -> String {
    slugify(tag)
}
