//! Playbooks: phases, the plan's milestones and their offsets, the kickoff
//! meeting.

use std::fmt;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::{MAX_TITLE_CHARS, Spanned, spanned_title, title};

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
    #[schemars(with = "Option<OffsetSpec>")]
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

impl PlanMilestone {
    /// The offset as written when it is one text for every tier, such as
    /// `14 days`: what pages show when it could not be parsed.
    pub fn offset_text(&self) -> Option<&str> {
        match self.offset.as_ref().map(|o| &o.value) {
            Some(OffsetSpec::One(text)) => Some(text),
            _ => None,
        }
    }
}

/// A plan milestone's `offset:` as written: one offset for every customer,
/// or one per tier (`{ default: 30 days, enterprise: 90 days }`). In the
/// schemas, a text or a map of texts by tier, under the name and words that
/// `onboard schema` has always printed for it (sites keep the schemas that
/// `onboard init` wrote).
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(
    rename = "OffsetSpecSchema",
    description = "The shape of [`OffsetSpec`] for the schemas: a text, or a map of texts\nby tier."
)]
pub enum OffsetSpec {
    /// `14 days`.
    One(String),
    /// Tier (or `default`) → offset, in the order written, each with its
    /// place for errors about the tier or the offset.
    #[schemars(
        description = "Tier (or `default`) → offset, such as `{ default: 30 days, enterprise: 90 days }`."
    )]
    ByTier(#[schemars(with = "IndexMap<String, String>")] Vec<(Spanned<String>, Spanned<String>)>),
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
