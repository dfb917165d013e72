//! KPI targets ("< 5", ">= 85%") and the statistics they are compared with.
//!
//! A portfolio KPI pairs a [`Stat`] that condenses many customers' measurements into one
//! number (the median time to first value, say) with a [`Target`] that number must meet.
//! Percent targets are written as people say them ("85%") but compared against ratios
//! (0.85), because that is how rates come out of the data.

use std::fmt;
use std::str::FromStr;

/// How a measured value must relate to a target's threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Comparison {
    /// Strictly below: `<`.
    Lt,
    /// Below or equal: `<=`.
    Le,
    /// Strictly above: `>`.
    Gt,
    /// Above or equal: `>=`.
    Ge,
    /// Equal, within rounding error: `=`.
    Eq,
}

impl Comparison {
    /// The operator as written in a target.
    fn symbol(self) -> &'static str {
        match self {
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Eq => "=",
        }
    }

    /// The operator as pages show it: `≤` and `≥` rather than `<=` and `>=`.
    pub fn sign(self) -> &'static str {
        match self {
            Self::Le => "≤",
            Self::Ge => "≥",
            other => other.symbol(),
        }
    }
}

/// A threshold a KPI must meet, such as "< 5" days or ">= 85%" of customers.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Target {
    /// How the measured value must relate to `value`.
    pub comparison: Comparison,
    /// The threshold as written: 85 for "85%", not 0.85.
    pub value: f64,
    /// Whether the threshold was written as a percentage.
    pub percent: bool,
}

impl FromStr for Target {
    type Err = String;

    /// Reads "< 5", "<= 5", "> 95%", ">= 85%" or "= 0"; the space after the operator is
    /// optional and the number may have decimals.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            format!(
                "invalid target {text:?}: expected an operator (<, <=, >, >= or =) and a number, \
                 optionally a percentage, such as \"< 5\", \"<= 5\", \"> 95%\", \">= 85%\", \
                 \"= 0\" or \"> 4.5\""
            )
        };
        let trimmed = text.trim();
        // Two-character operators first, so that "<=" is not read as "<" then "=5".
        let (comparison, rest) = [
            ("<=", Comparison::Le),
            (">=", Comparison::Ge),
            ("<", Comparison::Lt),
            (">", Comparison::Gt),
            ("=", Comparison::Eq),
        ]
        .into_iter()
        .find_map(|(symbol, comparison)| {
            trimmed
                .strip_prefix(symbol)
                .map(|rest| (comparison, rest.trim()))
        })
        .ok_or_else(invalid)?;
        let (number, percent) = match rest.strip_suffix('%') {
            Some(number) => (number.trim_end(), true),
            None => (rest, false),
        };
        // Rust's float parser also takes "inf" and "NaN", which no KPI threshold means.
        let value: f64 = number
            .parse()
            .ok()
            .filter(|value: &f64| value.is_finite())
            .ok_or_else(invalid)?;
        Ok(Self {
            comparison,
            value,
            percent,
        })
    }
}

impl Target {
    /// Whether a measured value meets the target.
    ///
    /// For percent targets `value` is a ratio, so 0.85 meets ">= 85%". Values within a
    /// small tolerance of the threshold count as equal to it, because a rate such as
    /// 17 of 20 customers does not come out as exactly 0.85 in floating point. NaN meets
    /// no target.
    pub fn is_met_by(&self, value: f64) -> bool {
        let threshold = if self.percent {
            self.value / 100.0
        } else {
            self.value
        };
        // Relative for large thresholds, absolute near zero where relative breaks down.
        let tolerance = 1e-9 * threshold.abs().max(1.0);
        match self.comparison {
            Comparison::Lt => value < threshold - tolerance,
            Comparison::Le => value <= threshold + tolerance,
            Comparison::Gt => value > threshold + tolerance,
            Comparison::Ge => value >= threshold - tolerance,
            Comparison::Eq => (value - threshold).abs() <= tolerance,
        }
    }
}

impl Target {
    /// The target as pages show it, followed by `unit` (words such as
    /// "business days"; nothing for percentages and scores): "< 5 business
    /// days", "≥ 85%", "≥ 40".
    pub fn readable(&self, unit: &str) -> String {
        let percent = if self.percent { "%" } else { "" };
        let unit = if self.percent || unit.is_empty() || unit == "%" {
            String::new()
        } else {
            format!(" {unit}")
        };
        format!("{} {}{percent}{unit}", self.comparison.sign(), self.value)
    }
}

impl fmt::Display for Target {
    /// Writes the form [`Target::from_str`] reads back: "< 5", ">= 85%", "> 4.5".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = if self.percent { "%" } else { "" };
        write!(f, "{} {}{percent}", self.comparison.symbol(), self.value)
    }
}

/// How a KPI condenses many customers' measurements into one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stat {
    /// The middle value; the mean of the two middle values for an even count.
    Median,
    /// The arithmetic mean.
    Mean,
    /// The 90th percentile by nearest rank: the ceil(0.9 × n)-th smallest value.
    P90,
    /// The largest value.
    Max,
}

impl Stat {
    /// Condenses `values`, in any order, into one number; `None` when there are none.
    ///
    /// Values are expected to be finite; a NaN is ordered by [`f64::total_cmp`] rather
    /// than rejected.
    pub fn apply(self, values: &[f64]) -> Option<f64> {
        if values.is_empty() {
            return None;
        }
        let count = values.len();
        match self {
            Self::Mean => Some(values.iter().sum::<f64>() / count as f64),
            Self::Max => values.iter().copied().max_by(f64::total_cmp),
            Self::Median => {
                let sorted = sorted(values);
                let middle = count / 2;
                if count % 2 == 1 {
                    Some(sorted[middle])
                } else {
                    Some(sorted[middle - 1].midpoint(sorted[middle]))
                }
            }
            Self::P90 => {
                // ceil(0.9 × n) in integers, so no float rounding can shift the rank.
                let rank = (9 * count).div_ceil(10);
                Some(sorted(values)[rank - 1])
            }
        }
    }
}

/// An ascending copy, leaving the caller's order alone.
fn sorted(values: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(text: &str) -> Target {
        text.parse()
            .unwrap_or_else(|error| panic!("{text:?}: {error}"))
    }

    #[test]
    fn targets_read_with_signs_and_units_in_words() {
        assert_eq!(target("< 5").readable("business days"), "< 5 business days");
        assert_eq!(target(">= 85%").readable("%"), "≥ 85%");
        assert_eq!(target("<=3").readable("days"), "≤ 3 days");
        assert_eq!(target(">= 40").readable(""), "≥ 40");
        assert_eq!(target("> 4.5").readable(""), "> 4.5");
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(Stat::Median.apply(&[7.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(Stat::Median.apply(&[9.0, 2.0, 5.0, 4.0, 1.0]), Some(4.0));
        // Sorted 1, 3, 4, 10: mean of 3 and 4.
        assert_eq!(Stat::Median.apply(&[10.0, 3.0, 1.0, 4.0]), Some(3.5));
        assert_eq!(Stat::Median.apply(&[2.0, 8.0]), Some(5.0));
        assert_eq!(Stat::Median.apply(&[6.0]), Some(6.0));
        assert_eq!(Stat::Median.apply(&[]), None);
    }

    #[test]
    fn mean_of_odd_and_even_counts() {
        assert_eq!(Stat::Mean.apply(&[1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(Stat::Mean.apply(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
        assert_eq!(Stat::Mean.apply(&[-4.0, 4.0]), Some(0.0));
        assert_eq!(Stat::Mean.apply(&[6.0]), Some(6.0));
        assert_eq!(Stat::Mean.apply(&[]), None);
    }

    #[test]
    fn p90_is_the_nearest_rank() {
        let one_to_ten: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        // ceil(0.9 × 10) = 9th smallest.
        assert_eq!(Stat::P90.apply(&one_to_ten), Some(9.0));
        // ceil(0.9 × 11) = ceil(9.9) = 10th smallest.
        let one_to_eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(Stat::P90.apply(&one_to_eleven), Some(10.0));
        // ceil(0.9 × 20) = 18th smallest.
        let one_to_twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(Stat::P90.apply(&one_to_twenty), Some(18.0));
        // ceil(0.9 × 3) = ceil(2.7) = 3rd, the largest.
        assert_eq!(Stat::P90.apply(&[5.0, 1.0, 3.0]), Some(5.0));
        // ceil(0.9 × 4) = ceil(3.6) = 4th.
        assert_eq!(Stat::P90.apply(&[4.0, 2.0, 8.0, 6.0]), Some(8.0));
        assert_eq!(Stat::P90.apply(&[6.0]), Some(6.0));
        assert_eq!(Stat::P90.apply(&[]), None);
    }

    #[test]
    fn max_of_unsorted_values() {
        assert_eq!(Stat::Max.apply(&[3.0, 9.5, -1.0]), Some(9.5));
        assert_eq!(Stat::Max.apply(&[-3.0, -2.0, -7.0, -4.0]), Some(-2.0));
        assert_eq!(Stat::Max.apply(&[6.0]), Some(6.0));
        assert_eq!(Stat::Max.apply(&[]), None);
    }

    #[test]
    fn stats_read_their_lowercase_names() {
        // serde's in-memory deserializers stand in for the YAML a KPI is written in.
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        for (name, stat) in [
            ("median", Stat::Median),
            ("mean", Stat::Mean),
            ("p90", Stat::P90),
            ("max", Stat::Max),
        ] {
            let deserializer: StrDeserializer<'_, Error> = name.into_deserializer();
            assert_eq!(
                <Stat as serde::Deserialize>::deserialize(deserializer),
                Ok(stat)
            );
        }
        let deserializer: StrDeserializer<'_, Error> = "P90".into_deserializer();
        assert!(<Stat as serde::Deserialize>::deserialize(deserializer).is_err());
    }

    #[test]
    fn every_comparison_at_and_around_its_threshold() {
        let less = target("< 5");
        assert!(less.is_met_by(4.9));
        assert!(!less.is_met_by(5.0));
        assert!(!less.is_met_by(5.1));

        let at_most = target("<= 5");
        assert!(at_most.is_met_by(4.9));
        assert!(at_most.is_met_by(5.0));
        assert!(!at_most.is_met_by(5.1));

        let more = target("> 5");
        assert!(!more.is_met_by(4.9));
        assert!(!more.is_met_by(5.0));
        assert!(more.is_met_by(5.1));

        let at_least = target(">= 5");
        assert!(!at_least.is_met_by(4.9));
        assert!(at_least.is_met_by(5.0));
        assert!(at_least.is_met_by(5.1));

        let exactly = target("= 0");
        assert!(exactly.is_met_by(0.0));
        assert!(exactly.is_met_by(-0.0));
        assert!(!exactly.is_met_by(0.1));
        assert!(!exactly.is_met_by(-0.1));
    }

    #[test]
    fn boundaries_tolerate_rounding_error() {
        // 0.1 + 0.2 is 0.30000000000000004.
        assert!(target("= 0.3").is_met_by(0.1 + 0.2));
        assert!(target("<= 0.3").is_met_by(0.1 + 0.2));
        assert!(!target("> 0.3").is_met_by(0.1 + 0.2));
        // Large thresholds get a proportionally larger tolerance.
        assert!(target("= 1000000").is_met_by(1_000_000.000_000_1));
        assert!(!target("= 1000000").is_met_by(1_000_000.1));
    }

    #[test]
    fn nan_meets_no_target() {
        for text in ["< 5", "<= 5", "> 5", ">= 5", "= 5", ">= 85%"] {
            assert!(!target(text).is_met_by(f64::NAN), "{text}");
        }
    }

    #[test]
    fn percent_targets_compare_against_ratios() {
        let at_least = target(">= 85%");
        assert!(at_least.percent);
        assert_eq!(at_least.value, 85.0);
        assert!(at_least.is_met_by(0.85));
        assert!(at_least.is_met_by(17.0 / 20.0));
        assert!(at_least.is_met_by(0.9));
        assert!(!at_least.is_met_by(0.84));
        // A percentage passed where a ratio belongs is not rescaled: 85.0 reads as 8500%.
        assert!(at_least.is_met_by(85.0));
        assert!(!target("> 95%").is_met_by(0.95));
        assert!(target("> 95%").is_met_by(0.96));
        assert!(target("< 5%").is_met_by(0.049));
        assert!(!target("< 5%").is_met_by(0.05));
        assert!(target("= 100%").is_met_by(1.0));
        assert!(target("= 0%").is_met_by(0.0));
    }

    #[test]
    fn parses_every_accepted_form() {
        let cases = [
            ("< 5", Comparison::Lt, 5.0, false),
            ("<= 5", Comparison::Le, 5.0, false),
            ("> 95%", Comparison::Gt, 95.0, true),
            (">= 85%", Comparison::Ge, 85.0, true),
            ("= 0", Comparison::Eq, 0.0, false),
            ("<5", Comparison::Lt, 5.0, false),
            ("<=5", Comparison::Le, 5.0, false),
            (">=85%", Comparison::Ge, 85.0, true),
            ("> 4.5", Comparison::Gt, 4.5, false),
            ("<= 0.25", Comparison::Le, 0.25, false),
            ("  >=   85 %  ", Comparison::Ge, 85.0, true),
            ("> -2", Comparison::Gt, -2.0, false),
            ("= 12.5%", Comparison::Eq, 12.5, true),
        ];
        for (text, comparison, value, percent) in cases {
            assert_eq!(
                text.parse::<Target>(),
                Ok(Target {
                    comparison,
                    value,
                    percent
                }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn rejects_malformed_targets_naming_the_accepted_forms() {
        for text in [
            "", "5", "85%", "<", ">= %", "=< 5", "=> 5", "<> 5", "!= 5", "< five", "< 5 days",
            "< 5%%", "% 5", "< inf", "< NaN", "<< 5",
        ] {
            let error = text.parse::<Target>().expect_err(text);
            assert!(error.contains(">= 85%"), "{text:?}: {error}");
            assert!(error.contains("<="), "{text:?}: {error}");
        }
    }

    #[test]
    fn display_round_trips_through_parsing() {
        let cases = [
            ("< 5", "< 5"),
            ("<=5", "<= 5"),
            (">95%", "> 95%"),
            (">= 85 %", ">= 85%"),
            ("= 0", "= 0"),
            ("> 4.5", "> 4.5"),
            ("< -0.75", "< -0.75"),
            ("= 33.3%", "= 33.3%"),
        ];
        for (text, shown) in cases {
            let parsed = target(text);
            assert_eq!(parsed.to_string(), shown, "{text:?}");
            assert_eq!(target(&parsed.to_string()), parsed, "{text:?}");
        }
    }
}
