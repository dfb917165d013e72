//! Roles and SOPs: steps, escalations, KPIs, revisions and approvals.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, MAX_TITLE_CHARS, Spanned, spanned_title, title};

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
