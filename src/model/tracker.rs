//! Customer trackers: the customer, its milestones, health, people,
//! actions, risks and updates.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Date, MAX_TITLE_CHARS, Spanned, optional_spanned_title, optional_title, spanned_title, title,
};

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
