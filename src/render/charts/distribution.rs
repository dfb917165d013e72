//! Distribution charts: one dot per customer's value on an axis, with the
//! median and the target marked; past [`MAX_DOTS`] values, a histogram.
//! When the dots are few and named, each gets a row of its own with the
//! customer's name beside it.

use super::histogram;
use super::labels::{precise, quantity, sentence, with_unit};
use super::scale::Scale;
use super::svg::{Anchor, GRID, INK, Svg, TARGET_LINE};
use super::{Chart, DOT_RADIUS, MARGIN, WIDTH, anchor_near, label_column};
use crate::target::{Stat, Target};

/// Values above this many are drawn as a histogram instead of dots.
pub(super) const MAX_DOTS: usize = 200;

/// Named values up to this many get a row each, with a visible name: a
/// dozen rows still read at a glance, and no two names can overlap.
pub(super) const MAX_LABELLED: usize = 12;

/// Height of a labelled dot's row: a line of text with a little air.
const DOT_ROW: f64 = 20.0;

/// One dot per customer value on a horizontal axis with ticks, the median
/// marked below the axis, and the target (if any) as a labelled dashed
/// vertical line ("target < 5 days"). With a target, dots that meet it are
/// filled and those that miss it hollow, so the two differ without colour.
///
/// Past [`MAX_DOTS`] values the dots become a histogram on the same axis:
/// ten thousand dots stacked hundreds high make a page of tens of megabytes
/// that no one can read dot by dot.
///
/// A percent target ("≥ 85%") is read as [`Target::is_met_by`] reads it:
/// the values are ratios. Non-finite values are left out.
pub fn distribution_chart(
    id: &str,
    title: &str,
    values: &[f64],
    unit: &str,
    target: Option<&Target>,
) -> String {
    distribution_chart_of(id, title, values, &[], unit, target, Stat::Median)
}

/// [`distribution_chart`] marking `stat` (the mean, the 90th percentile,
/// ...) instead of the median: the statistic a KPI's value is, so that the
/// chart and the KPI's text name the same one. `unit` is in words
/// ("business days").
///
/// `names` are the customers the values belong to, in the same order (or
/// empty). Every named dot's tooltip says whose it is and its value ("Acme:
/// 4 business days"); up to [`MAX_LABELLED`] named dots are drawn one per
/// row, sorted by value, with the name beside each (shortened when long,
/// whole in the tooltip).
pub fn distribution_chart_of(
    id: &str,
    title: &str,
    values: &[f64],
    names: &[&str],
    unit: &str,
    target: Option<&Target>,
    stat: Stat,
) -> String {
    let mut points: Vec<(f64, Option<&str>)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(index, value)| (*value, names.get(index).copied()))
        .collect();
    // Equal values in name order, so the same data gives the same bytes.
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let values: Vec<f64> = points.iter().map(|(value, _)| *value).collect();
    let target_text = target.map(|t| format!("target {}", t.readable(unit)));
    let marked = stat.apply(&values);
    let (Some(&lowest), Some(&highest), Some(median)) = (values.first(), values.last(), marked)
    else {
        let desc = match &target_text {
            Some(target_text) => format!("No data. The {target_text}."),
            None => "No data.".to_string(),
        };
        return Chart::no_data("distribution", title, desc).svg(id);
    };
    let threshold = target.map(threshold_of);
    // Zero stays on the axis so durations and counts are seen from nothing.
    let scale = Scale::nice(
        lowest.min(0.0).min(threshold.unwrap_or(0.0)),
        highest.max(0.0).max(threshold.unwrap_or(0.0)),
        7,
    );
    let chart = Distribution {
        title,
        unit,
        target,
        target_text: target_text.as_deref(),
        median,
        stat_name: crate::measure::stat_words(stat),
        scale,
    };
    let desc = chart.summary(&points);
    let drawn = if values.len() > MAX_DOTS {
        histogram::draw(&chart, &values, desc)
    } else if values.len() <= MAX_LABELLED && points.iter().all(|(_, name)| name.is_some()) {
        labelled_dots(&chart, &points, desc)
    } else {
        dots(&chart, &points, desc)
    };
    drawn.svg(id)
}

/// What a distribution chart shows, whichever way it is drawn.
pub(super) struct Distribution<'a> {
    pub(super) title: &'a str,
    pub(super) unit: &'a str,
    pub(super) target: Option<&'a Target>,
    pub(super) target_text: Option<&'a str>,
    /// The value of the statistic marked (the median unless told).
    pub(super) median: f64,
    /// The statistic's name: "median", "mean", "90th percentile", "maximum".
    pub(super) stat_name: &'static str,
    /// The value axis.
    pub(super) scale: Scale,
}

impl Distribution<'_> {
    /// The description's first sentences: how many customers, the median,
    /// the range, how many meet the target and, for a few dozen, every
    /// value (with its customer when named). `points` are sorted and
    /// finite, and there is at least one.
    fn summary(&self, points: &[(f64, Option<&str>)]) -> String {
        let unit = self.unit;
        let mut desc = format!(
            "{} customer{}, {} {}",
            points.len(),
            if points.len() == 1 { "" } else { "s" },
            self.stat_name,
            with_unit(precise(self.median), unit)
        );
        if let [(lowest, _), .., (highest, _)] = points {
            desc.push_str(&format!(
                ", from {} to {}",
                with_unit(quantity(*lowest), unit),
                with_unit(quantity(*highest), unit)
            ));
        }
        if let (Some(target), Some(target_text)) = (self.target, self.target_text) {
            let met = points.iter().filter(|(v, _)| target.is_met_by(*v)).count();
            desc.push_str(&format!(
                ". The {target_text} is met by {met} of {}",
                points.len()
            ));
        }
        // Listing every value keeps the text alternative complete; past a
        // few dozen the summary above says more than the list would.
        if points.len() <= 40 {
            let named = points.iter().all(|(_, name)| name.is_some());
            let list: Vec<String> = points
                .iter()
                .map(|(value, name)| match name {
                    Some(name) if named => format!("{name} {}", quantity(*value)),
                    _ => quantity(*value),
                })
                .collect();
            let separator = if named { "; " } else { ", " };
            desc.push_str(&format!(". Values: {}", list.join(separator)));
        }
        desc
    }

    /// The median as a solid line labelled under the axis, and the target
    /// (if any) as a dashed line labelled above the plot: marked alike over
    /// dots and bars. `x` places a value on the axis.
    pub(super) fn mark_median_and_target(
        &self,
        svg: &mut Svg,
        x: impl Fn(f64) -> f64,
        plot_top: f64,
        axis_y: f64,
        median_y: f64,
    ) {
        let median_x = x(self.median);
        svg.line(
            "median-line",
            (median_x, plot_top, median_x, axis_y + 22.0),
            " stroke=\"currentColor\" stroke-width=\"2\"",
        );
        let median_text = format!(
            "{} {}",
            self.stat_name,
            with_unit(precise(self.median), self.unit)
        );
        let (label_x, anchor) = anchor_near(median_x, &median_text);
        svg.text(label_x, median_y, anchor, "median-label", &median_text);
        if let (Some(target), Some(target_text)) = (self.target, self.target_text) {
            let target_x = x(threshold_of(target));
            svg.line(
                "target-line",
                (target_x, plot_top - 6.0, target_x, axis_y),
                TARGET_LINE,
            );
            let (label_x, anchor) = anchor_near(target_x, target_text);
            svg.text(label_x, 14.0, anchor, "target-label", target_text);
        }
    }
}

/// The threshold a target line is drawn at, in the units [`Target::is_met_by`] compares.
fn threshold_of(target: &Target) -> f64 {
    if target.percent {
        target.value / 100.0
    } else {
        target.value
    }
}

/// The dot chart of a few hundred values at most, stacked where they are
/// close: `points` are sorted and finite, `desc` is the summary so far.
fn dots(chart: &Distribution, points: &[(f64, Option<&str>)], desc: String) -> Chart {
    let scale = chart.scale;
    let left = MARGIN + 16.0;
    let right = WIDTH - MARGIN - 16.0;
    let x = |value: f64| scale.position(value, left, right);
    let stacked = stack(points.iter().map(|(value, _)| x(*value)));
    let levels = stacked.iter().map(|level| level + 1).max().unwrap_or(0);

    let plot_top = 24.0;
    let axis_y = plot_top + levels as f64 * (2.0 * DOT_RADIUS + 2.0) + 8.0;
    let mut svg = Svg::default();
    let height = axes(chart, &mut svg, (left, right), plot_top, axis_y);
    for ((value, name), level) in points.iter().zip(stacked) {
        let cy = axis_y - DOT_RADIUS - 4.0 - level as f64 * (2.0 * DOT_RADIUS + 2.0);
        let meets = chart.target.map(|t| t.is_met_by(*value));
        svg.dot(x(*value), cy, meets, &dot_tooltip(chart, *value, *name));
    }
    Chart::new("distribution", height, chart.title, sentence(desc), svg)
}

/// A few named dots, one per row in value order, each with its customer's
/// name on the left and a faint guide from the name to the dot: names never
/// overlap, however close or equal the values.
fn labelled_dots(chart: &Distribution, points: &[(f64, Option<&str>)], desc: String) -> Chart {
    let scale = chart.scale;
    let left = MARGIN + label_column(points.iter().map(|(_, name)| name.unwrap_or_default()));
    let right = WIDTH - MARGIN - 16.0;
    let x = |value: f64| scale.position(value, left, right);
    let plot_top = 24.0;
    let axis_y = plot_top + points.len() as f64 * DOT_ROW + 4.0;
    let mut svg = Svg::default();
    let height = axes(chart, &mut svg, (left, right), plot_top, axis_y);
    for (index, (value, name)) in points.iter().enumerate() {
        let middle = plot_top + index as f64 * DOT_ROW + DOT_ROW / 2.0;
        let name = name.unwrap_or_default();
        let meets = chart.target.map(|t| t.is_met_by(*value));
        svg.push_str("<g class=\"row\">\n");
        svg.row_label(left, middle, name, &with_unit(quantity(*value), chart.unit));
        svg.line("guide", (left, middle, x(*value), middle), GRID);
        svg.dot(
            x(*value),
            middle,
            meets,
            &dot_tooltip(chart, *value, Some(name)),
        );
        svg.push_str("</g>\n");
    }
    Chart::new(
        "distribution chart-labelled",
        height,
        chart.title,
        sentence(desc),
        svg,
    )
}

/// What a dot's tooltip says: whose value it is, and the value.
fn dot_tooltip(chart: &Distribution, value: f64, name: Option<&str>) -> String {
    let value = with_unit(quantity(value), chart.unit);
    match name {
        Some(name) => format!("{name}: {value}"),
        None => value,
    }
}

/// The grid, ticks and value axis from `left` to `right` under a plot
/// from `plot_top` to `axis_y`, the median and the target, and the legend
/// when there is a target. Returns the chart's height.
fn axes(
    chart: &Distribution,
    svg: &mut Svg,
    (left, right): (f64, f64),
    plot_top: f64,
    axis_y: f64,
) -> f64 {
    let scale = chart.scale;
    let x = |value: f64| scale.position(value, left, right);
    let median_y = axis_y + 34.0;
    let legend_y = median_y + 20.0;
    for tick in scale.ticks() {
        let tick_x = x(tick);
        svg.line("grid", (tick_x, plot_top, tick_x, axis_y), GRID);
        svg.line("tick", (tick_x, axis_y, tick_x, axis_y + 4.0), INK);
        svg.text(
            tick_x,
            axis_y + 16.0,
            Anchor::Middle,
            "tick",
            &scale.label(tick),
        );
    }
    svg.line("axis", (left, axis_y, right, axis_y), INK);
    chart.mark_median_and_target(svg, x, plot_top, axis_y, median_y);
    if chart.target.is_none() {
        return median_y + MARGIN;
    }
    svg.dot(
        MARGIN + DOT_RADIUS,
        legend_y - 4.0,
        Some(true),
        "meets target",
    );
    svg.text(
        MARGIN + 14.0,
        legend_y,
        Anchor::Start,
        "legend",
        "meets target",
    );
    svg.dot(MARGIN + 124.0, legend_y - 4.0, Some(false), "misses target");
    svg.text(
        MARGIN + 133.0,
        legend_y,
        Anchor::Start,
        "legend",
        "misses target",
    );
    legend_y + MARGIN
}

/// The level of each dot at the given x, in order: equal or close values
/// stack upwards instead of hiding each other, each dot taking the lowest
/// level whose last dot it does not touch. The xs are sorted, so comparing
/// with each level's last dot is enough.
fn stack(xs: impl Iterator<Item = f64>) -> Vec<usize> {
    let mut level_ends: Vec<f64> = Vec::new();
    xs.map(|cx| {
        let level = match level_ends
            .iter()
            .position(|end| cx - end >= 2.0 * DOT_RADIUS + 1.0)
        {
            Some(level) => level,
            None => {
                level_ends.push(f64::NEG_INFINITY);
                level_ends.len() - 1
            }
        };
        level_ends[level] = cx;
        level
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_well_formed, attribute_after, many_days, target};
    use super::*;

    #[test]
    fn the_chart_marks_the_statistic_it_is_told_and_reads_the_target_in_words() {
        let svg = distribution_chart_of(
            "nps",
            "NPS",
            &[10.0, 20.0, 60.0],
            &[],
            "",
            Some(&target(">= 40")),
            Stat::Mean,
        );
        assert_well_formed(&svg);
        assert!(svg.contains(">mean 30</text>"), "{svg}");
        assert!(svg.contains("3 customers, mean 30,"), "{svg}");
        assert!(!svg.contains(">median"), "{svg}");
        assert!(svg.contains("target ≥ 40"), "{svg}");
        let days = distribution_chart_of(
            "k",
            "Kickoff",
            &[2.0, 4.0],
            &[],
            "business days",
            Some(&target("< 5")),
            Stat::P90,
        );
        assert!(
            days.contains(">90th percentile 4 business days</text>"),
            "{days}"
        );
        assert!(days.contains("target &lt; 5 business days"), "{days}");
        assert!(!days.contains("business_days"), "{days}");
    }

    #[test]
    fn distribution_draws_a_dot_per_value_the_median_and_a_labelled_target() {
        let svg = distribution_chart(
            "kickoff",
            "Time to kickoff",
            &[7.0, 3.0, 2.0, 3.0, 4.0],
            "business days",
            Some(&target("< 5")),
        );
        assert_eq!(
            svg.matches("<circle class=\"dot").count(),
            5 + 2,
            "five values and two legend dots"
        );
        assert!(svg.contains(">target &lt; 5 business days</text>"), "{svg}");
        assert!(svg.contains(">median 3 business days</text>"));
        assert!(svg.contains("class=\"target-line\""));
        assert!(svg.contains("class=\"median-line\""));
        assert!(
            svg.contains(
                "5 customers, median 3 business days, from 2 business days to 7 business days. \
             The target &lt; 5 business days is met by 4 of 5. Values: 2, 3, 3, 4, 7.</desc>"
            ),
            "{svg}"
        );
        // Met and missed dots differ in shape (filled or hollow), not only colour.
        assert_eq!(svg.matches("class=\"dot met\"").count(), 4 + 1);
        assert_eq!(svg.matches("class=\"dot missed\"").count(), 1 + 1);
        assert!(svg.contains(">meets target</text>") && svg.contains(">misses target</text>"));
        // The target line sits between the dots for 4 and 7.
        let target_x = attribute_after(&svg, "class=\"target-line\"", "x1");
        let dot_x = |title: &str| {
            let end = svg.find(&format!("<title>{title}</title>")).unwrap();
            let start = svg[..end].rfind("<circle").unwrap();
            attribute_after(&svg[start..], "<circle", "cx")
        };
        assert!(dot_x("4 business days") < target_x && target_x < dot_x("7 business days"));
        assert!(dot_x("2 business days") < dot_x("3 business days"));
    }

    /// The y of the text that ends with `>{text}</text>`.
    fn text_y(svg: &str, text: &str) -> f64 {
        let end = svg
            .find(&format!(">{text}</text>"))
            .unwrap_or_else(|| panic!("no {text}: {svg}"));
        let start = svg[..end].rfind("<text").unwrap();
        attribute_after(&svg[start..], "<text", "y")
    }

    #[test]
    fn a_few_named_dots_get_a_row_each_with_the_name_beside_the_dot() {
        let long = "Umbrella Health Systems of the Greater Northwest";
        let names = ["Globex", "Acme", long, "Initech"];
        let svg = distribution_chart_of(
            "ttk",
            "Time to kickoff",
            &[4.0, 2.0, 4.0, 9.0],
            &names,
            "business days",
            Some(&target("< 5")),
            Stat::Median,
        );
        assert_well_formed(&svg);
        assert!(svg.contains("class=\"chart chart-distribution chart-labelled\""));
        // Every dot's tooltip names the customer and the value.
        for tooltip in [
            "Acme: 2 business days",
            "Globex: 4 business days",
            &format!("{long}: 4 business days"),
            "Initech: 9 business days",
        ] {
            assert!(
                svg.contains(&format!(
                    "r=\"5.0\" fill=\"#2f9e62\"><title>{tooltip}</title>"
                )) || svg.contains(&format!("stroke-width=\"2\"><title>{tooltip}</title>")),
                "{tooltip}: {svg}"
            );
        }
        // Visible names, the long one shortened; rows in value order, equal
        // values in name order, each on its own line: names cannot overlap.
        let long_short = "Umbrella Health Systems of…";
        let ys: Vec<f64> = ["Acme", "Globex", long_short, "Initech"]
            .iter()
            .map(|name| text_y(&svg, name))
            .collect();
        assert!(
            ys.windows(2)
                .all(|pair| pair[1] - pair[0] >= super::super::FONT_SIZE),
            "{ys:?}"
        );
        assert!(!svg.contains(&format!(">{long}</text>")));
        // Each dot sits on its name's row, at its value.
        let dot = |tooltip: &str| {
            let end = svg
                .find(&format!("<title>{tooltip}</title></circle>"))
                .unwrap();
            let start = svg[..end].rfind("<circle").unwrap();
            (
                attribute_after(&svg[start..], "<circle", "cx"),
                attribute_after(&svg[start..], "<circle", "cy"),
            )
        };
        let (acme_x, acme_y) = dot("Acme: 2 business days");
        let (globex_x, globex_y) = dot("Globex: 4 business days");
        assert!(acme_x < globex_x);
        assert!((acme_y + super::super::BASELINE_DROP - ys[0]).abs() < 0.2);
        assert!((globex_y + super::super::BASELINE_DROP - ys[1]).abs() < 0.2);
        // The text alternative names them too.
        assert!(
            svg.contains(&format!(
                "Values: Acme 2; Globex 4; {long} 4; Initech 9.</desc>"
            )),
            "{svg}"
        );
    }

    #[test]
    fn many_named_dots_keep_their_names_in_tooltips_only() {
        let names: Vec<String> = (0..=MAX_LABELLED)
            .map(|i| format!("Customer {i}"))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let values: Vec<f64> = (0..=MAX_LABELLED).map(|i| (i % 4) as f64).collect();
        let svg =
            distribution_chart_of("many", "Many", &values, &names, "days", None, Stat::Median);
        assert_well_formed(&svg);
        assert!(!svg.contains("chart-labelled"), "{svg}");
        assert!(!svg.contains("class=\"label\""), "no visible names");
        assert!(svg.contains("<title>Customer 5: 1 day</title>"), "{svg}");
        assert_eq!(
            svg.matches("<circle class=\"dot\"").count(),
            MAX_LABELLED + 1
        );
    }

    #[test]
    fn equal_values_stack_instead_of_hiding_each_other() {
        let svg = distribution_chart("same", "Same", &[3.0, 3.0, 3.0], "", None);
        let mut heights: Vec<f64> = svg
            .match_indices("<circle class=\"dot\"")
            .map(|(index, _)| attribute_after(&svg[index..], "<circle", "cy"))
            .collect();
        heights.dedup();
        assert_eq!(heights.len(), 3, "{svg}");
    }

    #[test]
    fn distribution_of_one_value_and_of_none() {
        let one = distribution_chart("one", "One", &[4.0], "days", Some(&target("< 5")));
        assert_well_formed(&one);
        assert!(one.contains("1 customer, median 4 days."), "{one}");
        assert!(one.contains(">median 4 days</text>"));

        let zero = distribution_chart("one", "One", &[0.0], "", None);
        assert_well_formed(&zero);
        assert!(zero.contains(">median 0</text>"));

        let none = distribution_chart("none", "None", &[f64::NAN], "days", Some(&target("< 5")));
        assert_well_formed(&none);
        assert!(none.contains(">no data</text>"));
        assert!(
            none.contains("No data. The target &lt; 5 days.</desc>"),
            "{none}"
        );
    }

    #[test]
    fn a_few_hundred_values_keep_their_dots() {
        let svg = distribution_chart("k", "Kickoff", &many_days(MAX_DOTS), "days", None);
        assert_well_formed(&svg);
        assert_eq!(svg.matches("<circle class=\"dot\"").count(), MAX_DOTS);
        assert!(!svg.contains("chart-histogram"));
    }

    #[test]
    fn percent_targets_are_drawn_on_a_ratio_axis() {
        let svg = distribution_chart(
            "rate",
            "Completion",
            &[0.7, 0.9],
            "",
            Some(&target(">= 85%")),
        );
        assert!(svg.contains(">target ≥ 85%</text>"));
        assert_eq!(svg.matches("class=\"dot met\"").count(), 1 + 1);
        assert!(
            svg.contains(">0.8</text>") || svg.contains(">0.5</text>"),
            "{svg}"
        );
    }
}
