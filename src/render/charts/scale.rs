//! The value axis of distribution charts and histograms: round ticks
//! that cover the data, and their labels.

/// A linear value axis with round tick steps (1, 2 or 5 times a power of ten).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Scale {
    /// First tick and left end of the axis.
    pub(super) start: f64,
    /// Last tick and right end of the axis.
    pub(super) end: f64,
    /// Distance between ticks.
    pub(super) step: f64,
    /// Decimals needed to tell the ticks apart.
    pub(super) decimals: usize,
}

impl Scale {
    /// An axis covering `low..=high` with at most about `max_ticks` ticks.
    pub(super) fn nice(low: f64, high: f64, max_ticks: usize) -> Scale {
        let (low, high) = if high > low {
            (low, high)
        } else {
            (low, low + 1.0)
        };
        let raw = (high - low) / (max_ticks.max(2) - 1) as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = magnitude
            * match raw / magnitude {
                r if r <= 1.0 => 1.0,
                r if r <= 2.0 => 2.0,
                r if r <= 5.0 => 5.0,
                _ => 10.0,
            };
        let decimals = if step >= 1.0 {
            0
        } else {
            (-step.log10().floor()) as usize
        };
        Scale {
            start: (low / step).floor() * step,
            end: (high / step).ceil() * step,
            step,
            decimals,
        }
    }

    /// Every tick value from start to end.
    pub(super) fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let count = ((self.end - self.start) / self.step).round() as usize;
        // Multiplying rather than adding repeatedly keeps rounding error from piling up.
        (0..=count).map(move |i| self.start + i as f64 * self.step)
    }

    /// Where `value` falls between `left` and `right`.
    pub(super) fn position(&self, value: f64, left: f64, right: f64) -> f64 {
        left + (value - self.start) / (self.end - self.start) * (right - left)
    }

    /// A tick's label, with just enough decimals.
    pub(super) fn label(&self, value: f64) -> String {
        scale_label(value, self.decimals)
    }
}

/// A number with `decimals` decimals, without a minus sign on zero.
pub(super) fn scale_label(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_use_round_steps_that_cover_the_data() {
        let scale = Scale::nice(0.0, 7.0, 7);
        assert_eq!((scale.start, scale.end, scale.step), (0.0, 8.0, 2.0));
        let labels: Vec<String> = scale.ticks().map(|t| scale.label(t)).collect();
        assert_eq!(labels, ["0", "2", "4", "6", "8"]);

        let ratios = Scale::nice(0.0, 0.9, 7);
        assert_eq!(ratios.decimals, 1);
        assert_eq!(
            ratios.ticks().map(|t| ratios.label(t)).last().unwrap(),
            "1.0"
        );

        let flat = Scale::nice(0.0, 0.0, 7);
        assert!(flat.end > flat.start);

        let negative = Scale::nice(-30.0, 60.0, 7);
        assert!(negative.start <= -30.0 && negative.end >= 60.0);
        assert!(negative.ticks().any(|t| negative.label(t) == "0"));
    }

    #[test]
    fn labels_have_the_decimals_asked_for_and_no_negative_zero() {
        assert_eq!(scale_label(2.0, 0), "2");
        assert_eq!(scale_label(0.85, 2), "0.85");
        assert_eq!(scale_label(-0.0, 1), "0.0");
        assert_eq!(scale_label(-0.01, 1), "0.0");
        assert_eq!(scale_label(-1.0, 0), "-1");
    }
}
