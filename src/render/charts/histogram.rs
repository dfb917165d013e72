//! The histogram a distribution chart becomes past a few hundred values:
//! one bar per value range, as tall as the customers in it.

use super::distribution::Distribution;
use super::labels::{sentence, with_unit};
use super::scale::{Scale, scale_label};
use super::svg::{Anchor, Escaped, GRID, INK, Svg};
use super::{BASELINE_DROP, Chart, MARGIN, WIDTH, text_width};
use std::fmt::Write as _;

/// Most ranges a histogram splits its axis into.
const MAX_BINS: f64 = 40.0;
/// Height of a histogram's plot area.
const HISTOGRAM_HEIGHT: f64 = 120.0;

/// One bar of a histogram: the customers whose value falls in its range.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Bin {
    customers: usize,
    /// Of them, how many meet the target.
    meeting: usize,
}

/// The distribution of many values: one bar per value range, as tall as the
/// customers in it, on the axis the dots would have used, with the median
/// and the target marked the same way. With a target, each bar stacks the
/// customers who meet it (filled) under those who miss it (hollow). The
/// ranges come from the axis ticks, split further while they stay round
/// and, for whole-number values such as days, whole; `values` are sorted
/// and finite. The description gets the customers of every non-empty range,
/// so the text alternative says what the bars show.
pub(super) fn draw(chart: &Distribution, values: &[f64], mut desc: String) -> Chart {
    let ranges = Ranges::new(&chart.scale, values);
    let bins = ranges.count(values, chart);
    let texts: Vec<String> = bins
        .iter()
        .enumerate()
        .filter(|(_, bin)| bin.customers > 0)
        .map(|(index, bin)| format!("{}: {}", ranges.text(index, chart.unit), bin.customers))
        .collect();
    desc.push_str(&format!(". Customers per range: {}", texts.join("; ")));

    let largest = bins.iter().map(|b| b.customers).max().unwrap_or(0);
    let plot = Plot::new(chart.scale, Scale::nice(0.0, largest as f64, 4), &ranges);
    let mut svg = Svg::default();
    plot.draw_ticks(&mut svg);
    for (index, bin) in bins.iter().enumerate() {
        if bin.customers > 0 {
            plot.draw_range(&mut svg, &ranges, index, *bin, chart);
        }
    }
    svg.line("axis", (plot.left, AXIS_Y, plot.right, AXIS_Y), INK);
    chart.mark_median_and_target(&mut svg, |value| plot.x(value), PLOT_TOP, AXIS_Y, MEDIAN_Y);
    legend(&mut svg, LEGEND_Y, chart.target.is_some());
    Chart::new(
        "distribution chart-histogram",
        LEGEND_Y + MARGIN,
        chart.title,
        sentence(desc),
        svg,
    )
}

/// The top of the plot area.
const PLOT_TOP: f64 = 24.0;
/// The value axis, under the bars.
const AXIS_Y: f64 = PLOT_TOP + HISTOGRAM_HEIGHT;
/// The baseline of the median's label.
const MEDIAN_Y: f64 = AXIS_Y + 34.0;
/// The baseline of the legend.
const LEGEND_Y: f64 = MEDIAN_Y + 20.0;

/// Where a histogram's bars go: values across, customers up.
struct Plot {
    /// The value axis.
    values: Scale,
    /// The customer count axis.
    counts: Scale,
    /// The count labels, with the value each stands at.
    count_labels: Vec<(f64, String)>,
    left: f64,
    right: f64,
    /// Added to the axis at each end: half a range for whole numbers.
    pad: f64,
}

impl Plot {
    fn new(values: Scale, counts: Scale, ranges: &Ranges) -> Plot {
        let count_labels: Vec<(f64, String)> = counts
            .ticks()
            .map(|tick| (tick, counts.label(tick)))
            .collect();
        let label_chars = count_labels.iter().map(|(_, l)| l.chars().count()).max();
        Plot {
            values,
            counts,
            count_labels,
            left: MARGIN + text_width(label_chars) + 8.0,
            right: WIDTH - MARGIN - 16.0,
            // A whole number stands for the half-open range around it, so
            // its bar is centred on its tick.
            pad: if ranges.whole { 0.5 } else { 0.0 },
        }
    }

    /// The x of a value.
    fn x(&self, value: f64) -> f64 {
        let Scale { start, end, .. } = self.values;
        self.left
            + (value - start + self.pad) / (end - start + 2.0 * self.pad) * (self.right - self.left)
    }

    /// The y of a number of customers.
    fn y(&self, customers: f64) -> f64 {
        AXIS_Y - customers / self.counts.end * HISTOGRAM_HEIGHT
    }

    /// Count labels with grid lines across, and value ticks under the axis.
    fn draw_ticks(&self, svg: &mut Svg) {
        for (tick, label) in &self.count_labels {
            let tick_y = self.y(*tick);
            svg.line("grid", (self.left, tick_y, self.right, tick_y), GRID);
            svg.text(
                self.left - 4.0,
                tick_y + BASELINE_DROP,
                Anchor::End,
                "tick",
                label,
            );
        }
        for tick in self.values.ticks() {
            let tick_x = self.x(tick);
            svg.line("tick", (tick_x, AXIS_Y, tick_x, AXIS_Y + 4.0), INK);
            svg.text(
                tick_x,
                AXIS_Y + 16.0,
                Anchor::Middle,
                "tick",
                &self.values.label(tick),
            );
        }
    }

    /// One range's bar from the axis up, in a group whose tooltip says
    /// what it holds: with a target, the customers who meet it (filled)
    /// under those who miss it (hollow); without, one neutral bar.
    fn draw_range(
        &self,
        svg: &mut Svg,
        ranges: &Ranges,
        index: usize,
        bin: Bin,
        chart: &Distribution,
    ) {
        let (low, high) = ranges.bounds(index);
        // A unit of gap keeps neighbouring bars apart.
        let bar_x = self.x(low - self.pad) + 0.5;
        let width = (self.x(high - self.pad) - self.x(low - self.pad) - 1.0).max(0.5);
        let mut tooltip = format!(
            "{}: {}",
            ranges.text(index, chart.unit),
            with_unit(bin.customers.to_string(), "customers")
        );
        if chart.target.is_some() {
            tooltip.push_str(&format!(", {} meet the target", bin.meeting));
        }
        let _ = writeln!(
            svg,
            "<g class=\"range\"><title>{}</title>",
            Escaped(&tooltip)
        );
        let top = self.y(bin.customers as f64);
        if chart.target.is_none() {
            svg.bin((bar_x, top), width, AXIS_Y - top, None);
        } else {
            let met_top = self.y(bin.meeting as f64);
            if bin.meeting > 0 {
                svg.bin((bar_x, met_top), width, AXIS_Y - met_top, Some(true));
            }
            if bin.customers > bin.meeting {
                svg.bin((bar_x, top), width, met_top - top, Some(false));
            }
        }
        svg.push_str("</g>\n");
    }
}

/// The legend says what a bar's height counts, and names the two fills.
fn legend(svg: &mut Svg, legend_y: f64, judged: bool) {
    let mut legend_x = MARGIN;
    if judged {
        for (meets, label) in [(true, "meets target"), (false, "misses target")] {
            svg.bin((legend_x, legend_y - 9.0), 10.0, 10.0, Some(meets));
            svg.text(legend_x + 14.0, legend_y, Anchor::Start, "legend", label);
            legend_x += 112.0;
        }
    }
    svg.text(
        legend_x,
        legend_y,
        Anchor::Start,
        "legend",
        "bar height: customers",
    );
}

/// How a histogram splits its axis into value ranges.
struct Ranges {
    /// The axis start: the first range's first value.
    start: f64,
    /// The axis end.
    end: f64,
    /// The width of every range but perhaps the last.
    width: f64,
    /// Ranges of whole numbers, read as "2 to 3 days"; else "0.80 to under 0.85".
    whole: bool,
    /// How many ranges.
    count: usize,
    /// Decimals enough to tell the range bounds apart.
    decimals: usize,
}

impl Ranges {
    fn new(scale: &Scale, values: &[f64]) -> Ranges {
        let whole = values.iter().all(|v| v.fract() == 0.0);
        let width = bin_width(scale, whole);
        let whole = whole && width >= 1.0 && width.fract() == 0.0;
        let span = scale.end - scale.start;
        // Whole ranges hold the whole numbers from the axis start to its
        // end, both included, the last range cut at the end; other ranges
        // split the axis, the last one taking its end.
        let count = if whole {
            (span / width).round() as usize + 1
        } else {
            ((span / width).round() as usize).max(1)
        };
        let decimals = if width >= 1.0 {
            0
        } else {
            (-width.log10().floor()) as usize
        };
        Ranges {
            start: scale.start,
            end: scale.end,
            width,
            whole,
            count,
            decimals,
        }
    }

    /// A range's first value and the value after it.
    fn bounds(&self, index: usize) -> (f64, f64) {
        let low = self.start + index as f64 * self.width;
        let high = if self.whole {
            (low + self.width).min(self.end + 1.0)
        } else {
            low + self.width
        };
        (low, high)
    }

    /// The customers of each range, and how many of them meet the target.
    fn count(&self, values: &[f64], chart: &Distribution) -> Vec<Bin> {
        let mut bins = vec![Bin::default(); self.count];
        for value in values {
            // A value on a boundary belongs to the range it starts.
            let index = (((value - self.start) / self.width + 1e-9).floor().max(0.0) as usize)
                .min(self.count - 1);
            bins[index].customers += 1;
            if chart.target.is_some_and(|t| t.is_met_by(*value)) {
                bins[index].meeting += 1;
            }
        }
        bins
    }

    /// A range as people read it, with its unit: "2 days", "2 to 3 days",
    /// "0.80 to under 0.85".
    fn text(&self, index: usize, unit: &str) -> String {
        let (low, high) = self.bounds(index);
        let text = if self.whole && high - low == 1.0 {
            scale_label(low, 0)
        } else if self.whole {
            format!("{} to {}", scale_label(low, 0), scale_label(high - 1.0, 0))
        } else {
            format!(
                "{} to under {}",
                scale_label(low, self.decimals),
                scale_label(high, self.decimals)
            )
        };
        with_unit(text, unit)
    }
}

/// The width of a histogram's ranges: the axis step split into 10, 5 or 2
/// (the finest that keeps at most [`MAX_BINS`] ranges), so range bounds are
/// round numbers that land on the ticks. Whole-number values keep whole
/// ranges: a range of half a day would hold nothing every other bar.
fn bin_width(scale: &Scale, whole: bool) -> f64 {
    let span = scale.end - scale.start;
    [10.0, 5.0, 2.0]
        .into_iter()
        .map(|split| scale.step / split)
        .find(|width| {
            span / width <= MAX_BINS + 1e-9
                && (!whole || (*width >= 1.0 && (width.fract()).abs() < 1e-9))
        })
        .unwrap_or(scale.step)
}

#[cfg(test)]
mod tests {
    use super::super::distribution_chart;
    use super::super::tests::{assert_well_formed, attribute_after, many_days, target};

    #[test]
    fn many_values_are_drawn_as_a_histogram_that_the_text_restates() {
        let values = many_days(3000);
        let svg = distribution_chart("k", "Kickoff", &values, "days", Some(&target("< 5")));
        assert_well_formed(&svg);
        assert!(svg.contains("class=\"chart chart-distribution chart-histogram\""));
        assert!(!svg.contains("<circle"), "no dot per value");
        assert!(svg.len() < 20_000, "{} bytes", svg.len());
        // The summary is the one the dots had; every range is in the text.
        assert!(
            svg.contains(
                "3000 customers, median 14.5 days, from 0 days to 29 days. \
                 The target &lt; 5 days is met by 500 of 3000. Customers per range: "
            ),
            "{svg}"
        );
        let desc_end = svg.find("</desc>").unwrap();
        let ranges = &svg[svg.find("Customers per range: ").unwrap()..desc_end];
        let listed: usize = ranges
            .trim_end_matches('.')
            .split("; ")
            .map(|range| range.rsplit(": ").next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(listed, values.len(), "{ranges}");
        // Day values get whole-day ranges: 30 days on an axis of 0 to 30.
        assert!(
            ranges.contains(": 0 days: 100; 1 day: 100; 2 days: 100;"),
            "{ranges}"
        );
        assert!(ranges.ends_with("29 days: 100."), "{ranges}");
        // Each range says what it holds; met and missed stay apart by fill.
        assert!(svg.contains("<title>4 days: 100 customers, 100 meet the target</title>"));
        assert!(svg.contains("<title>5 days: 100 customers, 0 meet the target</title>"));
        assert!(svg.contains("class=\"bin met\"") && svg.contains("class=\"bin missed\""));
        assert!(svg.contains(">bar height: customers</text>"));
        assert!(svg.contains(">median 14.5 days</text>"));
        assert!(svg.contains("class=\"target-line\""));
    }

    #[test]
    fn histogram_bars_grow_with_their_customers() {
        // 300 values at 2 and 100 at 8: the bar of 2 is three times as tall.
        let values: Vec<f64> = std::iter::repeat_n(2.0, 300)
            .chain(std::iter::repeat_n(8.0, 100))
            .collect();
        let svg = distribution_chart("k", "Kickoff", &values, "", None);
        assert_well_formed(&svg);
        let height = |title: &str| {
            let at = svg.find(&format!("<title>{title}</title>")).unwrap();
            attribute_after(&svg[at..], "<rect", "height")
        };
        let (tall, short) = (height("2: 300 customers"), height("8: 100 customers"));
        assert!((tall - 3.0 * short).abs() < 0.2, "{tall} vs {short}: {svg}");
        // A whole number's bar is centred on its tick.
        let at = svg.find("<title>2: 300 customers</title>").unwrap();
        let middle = attribute_after(&svg[at..], "<rect", "x")
            + attribute_after(&svg[at..], "<rect", "width") / 2.0;
        let tick = svg
            .find("text-anchor=\"middle\" fill=\"currentColor\">2</text>")
            .unwrap();
        let tick_x = attribute_after(&svg[svg[..tick].rfind("<text").unwrap()..], "<text", "x");
        assert!((middle - tick_x).abs() < 0.2, "{middle} vs {tick_x}");
        assert!(
            svg.contains("class=\"bin\""),
            "neutral bars without a target"
        );
    }

    #[test]
    fn fractional_values_get_ranges_with_decimals() {
        let values: Vec<f64> = (0..400).map(|i| 0.5 + f64::from(i % 50) / 100.0).collect();
        let svg = distribution_chart("r", "Rate", &values, "", Some(&target(">= 85%")));
        assert_well_formed(&svg);
        assert!(svg.contains(" to under "), "{svg}");
        let met = values.iter().filter(|v| **v >= 0.85 - 1e-9).count();
        assert!(svg.contains(&format!("is met by {met} of 400")), "{svg}");
    }
}
