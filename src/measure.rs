//! KPI measures: how a KPI is computed from the trackers.
//!
//! A [`Measure`] is parsed from an SOP's `measure:` during resolve and
//! described in words for the KPI tables; [`crate::kpi`] computes it.

use serde::Serialize;

use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::model::{MeasureSpec, Sop, Spanned};
use crate::target::{Stat, Target};

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

/// What a measured KPI value counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Unit {
    /// Calendar days.
    #[serde(rename = "days")]
    Days,
    /// Working days of the site's calendar.
    #[serde(rename = "business_days")]
    BusinessDays,
    /// A rate, as a percentage from 0 to 100.
    #[serde(rename = "%")]
    Percent,
}

impl Unit {
    /// The unit as the exports and charts write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::BusinessDays => "business_days",
            Unit::Percent => "%",
        }
    }

    /// The unit as pages write it: "days", "business days" or "%".
    pub fn words(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::BusinessDays => "business days",
            Unit::Percent => "%",
        }
    }
}

/// A statistic as pages name it: "median", "mean", "90th percentile",
/// "maximum".
pub fn stat_words(stat: Stat) -> &'static str {
    match stat {
        Stat::Median => "median",
        Stat::Mean => "mean",
        Stat::P90 => "90th percentile",
        Stat::Max => "maximum",
    }
}

/// A score's name as pages write it: short names such as `nps` and
/// `csat` are acronyms ("NPS"), longer ones read with spaces.
pub fn score_words(name: &str) -> String {
    if name.len() <= 4 && name.chars().all(|c| c.is_ascii_alphabetic()) {
        name.to_ascii_uppercase()
    } else {
        name.replace(['_', '-'], " ")
    }
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
    /// The customers it is computed over.
    pub scope: KpiScope,
}

/// Which customers a KPI measures (`applies_to:`): those on one of
/// `playbooks` and of one of `tiers`, an empty list leaving that side open.
/// The default, both empty, is every customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KpiScope {
    /// Playbook ids.
    pub playbooks: Vec<String>,
    /// Tiers, matched exactly against the tracker's `tier:`.
    pub tiers: Vec<String>,
}

impl KpiScope {
    /// Whether the KPI measures every customer.
    pub fn is_all(&self) -> bool {
        self.playbooks.is_empty() && self.tiers.is_empty()
    }

    /// Whether a customer on `playbook` and of `tier` is measured.
    pub fn includes(&self, playbook: Option<&str>, tier: Option<&str>) -> bool {
        let listed = |list: &[String], value: Option<&str>| {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|item| item == v))
        };
        listed(&self.playbooks, playbook) && listed(&self.tiers, tier)
    }

    /// The scope in words (`"customers on saas-onboarding-playbook, tier
    /// enterprise or mid-market"`), `"all customers"` for every customer.
    pub fn describe(&self) -> String {
        let either = |list: &[String]| match list {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        };
        match (self.playbooks.is_empty(), self.tiers.is_empty()) {
            (true, true) => "all customers".to_string(),
            (false, true) => format!("customers on {}", either(&self.playbooks)),
            (true, false) => format!("customers of tier {}", either(&self.tiers)),
            (false, false) => format!(
                "customers on {}, of tier {}",
                either(&self.playbooks),
                either(&self.tiers)
            ),
        }
    }
}

impl Measure {
    /// Parses a measure as written in an SOP, reporting what is wrong: a
    /// `rate:`, else a `score:`, else an interval `from:` → `to:`.
    pub fn parse(
        spec: &Spanned<MeasureSpec>,
        loaded: &Loaded<Sop>,
        report: &mut Reporter<'_>,
    ) -> Option<Measure> {
        let m = &spec.value;
        if let Some(rate) = &m.rate {
            return parse_rate(rate, m.days, loaded, report);
        }
        if let Some(score) = &m.score {
            return parse_stat(m, loaded, report).map(|stat| Measure::Score {
                name: score.value.clone(),
                stat,
            });
        }
        let (Some(from), Some(to)) = (&m.from, &m.to) else {
            report.error(
                "invalid-measure",
                &loaded.place_of(spec),
                "a measure needs `from:` and `to:` marks, a `rate:` or a `score:`",
                "for example `{ from: start, to: kickoff, unit: business_days, stat: median }`",
            );
            return None;
        };
        let business_days = parse_business_days(m, loaded, report)?;
        parse_stat(m, loaded, report).map(|stat| Measure::Interval {
            from: from.value.clone(),
            to: to.value.clone(),
            business_days,
            stat,
        })
    }

    /// The unit of the measured value; `None` for scores, which have none.
    pub fn unit(&self) -> Option<Unit> {
        match self {
            Measure::Interval {
                business_days: true,
                ..
            } => Some(Unit::BusinessDays),
            Measure::Interval { .. } => Some(Unit::Days),
            Measure::OnTime | Measure::CompleteWithin { .. } => Some(Unit::Percent),
            Measure::Score { .. } => None,
        }
    }

    /// The statistic the value is, for interval and score measures: what
    /// the KPI's chart marks.
    pub fn stat(&self) -> Option<Stat> {
        match self {
            Measure::Interval { stat, .. } | Measure::Score { stat, .. } => Some(*stat),
            Measure::OnTime | Measure::CompleteWithin { .. } => None,
        }
    }

    /// A measure in words, for people reading the KPI tables: no codes, no
    /// Markdown ("median business days from the start date to kickoff").
    pub fn describe(&self) -> String {
        let stat = |s: &Stat| stat_words(*s);
        let mark = |m: &str| {
            if m == "start" {
                "the start date".to_string()
            } else {
                m.replace('_', " ")
            }
        };
        match self {
            Measure::Interval {
                from,
                to,
                business_days,
                stat: s,
            } => format!(
                "{} {} from {} to {}",
                stat(s),
                if *business_days {
                    "business days"
                } else {
                    "days"
                },
                mark(from),
                mark(to)
            ),
            Measure::OnTime => {
                "share of completed milestones done by their target date".to_string()
            }
            Measure::CompleteWithin { days } => {
                format!(
                    "share of customers with every milestone complete within {days} days of the start"
                )
            }
            Measure::Score { name, stat: s } => {
                format!("{} of the {} scores", stat(s), score_words(name))
            }
        }
    }
}

/// A measure's `stat:`, the median when it has none; `None` after
/// reporting a statistic onboard does not know.
fn parse_stat(m: &MeasureSpec, loaded: &Loaded<Sop>, report: &mut Reporter<'_>) -> Option<Stat> {
    let Some(written) = &m.stat else {
        return Some(Stat::Median);
    };
    match written.value.as_str() {
        "median" => Some(Stat::Median),
        "mean" => Some(Stat::Mean),
        "p90" => Some(Stat::P90),
        "max" => Some(Stat::Max),
        other => {
            report.error(
                "invalid-measure",
                &loaded.place_of(written),
                format!("unknown statistic `{other}`"),
                "use median, mean, p90 or max",
            );
            None
        }
    }
}

/// A `rate:` measure (`on_time`, or `complete_within` with its `days:`);
/// `None` after reporting what is wrong.
fn parse_rate(
    rate: &Spanned<String>,
    days: Option<u32>,
    loaded: &Loaded<Sop>,
    report: &mut Reporter<'_>,
) -> Option<Measure> {
    match (rate.value.as_str(), days) {
        ("on_time", _) => Some(Measure::OnTime),
        ("complete_within", Some(days)) => Some(Measure::CompleteWithin { days }),
        ("complete_within", None) => {
            report.error(
                "invalid-measure",
                &loaded.place_of(rate),
                "`rate: complete_within` needs `days:`",
                "add the number of days, such as `days: 90`",
            );
            None
        }
        (other, _) => {
            report.error(
                "invalid-measure",
                &loaded.place_of(rate),
                format!("unknown rate `{other}`"),
                "use `rate: on_time` or `rate: complete_within` with `days:`",
            );
            None
        }
    }
}

/// Whether an interval counts business days (`unit: business_days`) or
/// calendar days (`days`, the default); `None` after reporting another unit.
fn parse_business_days(
    m: &MeasureSpec,
    loaded: &Loaded<Sop>,
    report: &mut Reporter<'_>,
) -> Option<bool> {
    let Some(unit) = &m.unit else {
        return Some(false);
    };
    match unit.value.as_str() {
        "days" => Some(false),
        "business_days" => Some(true),
        other => {
            report.error(
                "invalid-measure",
                &loaded.place_of(unit),
                format!("unknown unit `{other}`"),
                "use `days` or `business_days`",
            );
            None
        }
    }
}
