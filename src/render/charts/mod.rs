//! Inline SVG charts for the portfolio dashboard and the customer status pages.
//!
//! Every chart is a string of SVG made at build time, so pages need no
//! JavaScript and load nothing from another host. Output is deterministic:
//! coordinates are written with one decimal and nothing depends on the clock,
//! a hash order or the locale, so the same data gives the same bytes
//! (SPEC section 5).
//!
//! Each chart is an `<svg role="img">` labelled by its own `<title>` and by a
//! `<desc>` that restates the data in words, so a screen reader gets the
//! numbers without the picture. Their ids come from the caller's id prefix
//! (`ID-title`, `ID-desc`), so several charts can share a page. The `viewBox`
//! has no pixel width: the theme's `.chart` class sizes it.
//!
//! Colour never carries meaning alone. Text and axes use `currentColor`, so
//! they follow the page's text colour in dark mode and in print. Fills come
//! from CSS classes (`bar state-late`, `dot missed`, `milestone late`, ...)
//! backed by a mid-tone `fill` attribute that reads on light and dark
//! backgrounds when no stylesheet applies; presentation attributes lose to
//! any CSS rule, so a theme can restyle everything. Every bar carries its
//! value as text, and late items also get a dashed stroke or a "late" label.
//!
//! Classes a theme can style: `chart` and `chart-{bar,distribution,rate,
//! timeline}` on the root; `bar state-*`, `rate met|missed`, `dot met|missed`,
//! `target-line`, `median-line`, `today`, `grid`, `axis`; on histograms
//! (`chart-histogram`) `range` groups of `bin met|missed` bars; on timelines
//! `milestone status-* late`, `span`, `target-marker`, `actual-marker`,
//! `late-label`; and `label`, `value`, `tick`, `no-data` on text.

use std::fmt::{self, Write as _};

use chrono::{Datelike, Duration, NaiveDate};

use crate::calendar::Iso;
use crate::target::{Stat, Target};

/// Width of every chart's coordinate system; the page scales it to fit.
const WIDTH: f64 = 640.0;
/// Space kept clear at the chart's edges.
const MARGIN: f64 = 12.0;
/// Font size in user units, set once on the root so text scales with the chart.
const FONT_SIZE: f64 = 12.0;
/// Rough advance of one character at [`FONT_SIZE`]. There are no font metrics
/// at build time, so label columns are sized from a generous estimate.
const CHAR_WIDTH: f64 = 6.6;
/// Longer row labels are shortened with an ellipsis; the full text stays in a
/// tooltip and in the description.
const MAX_LABEL_CHARS: usize = 28;
/// Height of one bar or milestone row.
const ROW_HEIGHT: f64 = 28.0;
/// Thickness of a bar inside its row.
const BAR_HEIGHT: f64 = 18.0;
/// Added to a row's middle to place a text baseline so the text looks
/// centred; `dominant-baseline` would be neater but renderers disagree on it.
const BASELINE_DROP: f64 = 4.0;
/// Dot radius in distribution charts.
const DOT_RADIUS: f64 = 5.0;

/// Fallback fill for late items: a red that reads on white and on near-black.
const LATE_FILL: &str = "#d64550";
/// Fallback fill for anything without a meaning of its own.
const NEUTRAL_FILL: &str = "#7a8694";

/// One bar of a [`bar_chart`].
#[derive(Clone, Debug, PartialEq)]
pub struct BarDatum {
    /// Shown left of the bar.
    pub label: String,
    /// Bar length; shown as text at the bar's end.
    pub value: f64,
    /// CSS class suffix: the bar gets `class="bar state-{class}"`, e.g. `late`.
    pub class: String,
}

/// One milestone row of a [`milestone_timeline`].
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineRow {
    /// Milestone name, shown on the left.
    pub name: String,
    /// Planned date: a hollow diamond.
    pub target: Option<NaiveDate>,
    /// Date done: a filled circle.
    pub actual: Option<NaiveDate>,
    /// `pending | in_progress | complete | blocked | skipped`, shown on the right.
    pub status: String,
    /// Open and past its target as of the chart's date.
    pub late: bool,
    /// Days past target, for the "late 3d" label.
    pub days_late: Option<i64>,
}

/// Horizontal bars with labels on the left and each value at its bar's end,
/// for customers by state, tier or CSM. `unit` follows each value ("3
/// customers"; "%" is written without a space). Negative and non-finite
/// values draw an empty bar.
pub fn bar_chart(id: &str, title: &str, data: &[BarDatum], unit: &str) -> String {
    let id = id_token(id);
    if data.is_empty() {
        return no_data_chart(&id, "bar", title, "No data.");
    }
    let values: Vec<f64> = data.iter().map(|d| finite_or_zero(d.value)).collect();
    let value_texts: Vec<String> = values
        .iter()
        .map(|v| with_unit(quantity(*v), unit))
        .collect();
    let desc = sentence(
        data.iter()
            .zip(&value_texts)
            .map(|(datum, value)| format!("{}: {value}", datum.label))
            .collect::<Vec<_>>()
            .join("; "),
    );

    let left = MARGIN + label_column(data.iter().map(|d| d.label.as_str()));
    let value_width = text_width(value_texts.iter().map(|t| t.chars().count()).max()) + 8.0;
    let span = (WIDTH - MARGIN - value_width - left).max(1.0);
    let largest = values.iter().copied().fold(0.0, f64::max);
    let top = MARGIN;
    let bottom = top + data.len() as f64 * ROW_HEIGHT;

    let mut svg = open_svg(&id, "bar", bottom + MARGIN, title, &desc);
    for (index, ((datum, value), value_text)) in
        data.iter().zip(&values).zip(&value_texts).enumerate()
    {
        let row_top = top + index as f64 * ROW_HEIGHT;
        let middle = row_top + ROW_HEIGHT / 2.0;
        let length = if largest > 0.0 {
            value.max(0.0) / largest * span
        } else {
            0.0
        };
        let class = css_token(&datum.class);
        let bar_class = if class.is_empty() {
            "bar".to_string()
        } else {
            format!("bar state-{class}")
        };
        svg.push_str("<g class=\"row\">\n");
        svg.push_str(&row_label(left, middle, &datum.label, value_text));
        svg.push_str(&bar_rect(
            &bar_class,
            left,
            middle - BAR_HEIGHT / 2.0,
            length,
            fill_for(&class),
            class == "late",
        ));
        svg.push_str(&text(
            left + length + 6.0,
            middle + BASELINE_DROP,
            Anchor::Start,
            "value",
            value_text,
        ));
        svg.push_str("</g>\n");
    }
    svg.push_str(&line("axis", left, top, left, bottom, ""));
    svg.push_str("</svg>\n");
    svg
}

/// One dot per customer value on a horizontal axis with ticks, the median
/// marked below the axis, and the target (if any) as a labelled dashed
/// vertical line ("target < 5 days"). With a target, dots that meet it are
/// filled and those that miss it hollow, so the two differ without colour.
///
/// Past [`MAX_DOTS`] values the dots become a histogram on the same axis
/// (see [`histogram`]): ten thousand dots stacked hundreds high make a page
/// of tens of megabytes that no one can read dot by dot.
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
    let id = id_token(id);
    let mut values: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    values.sort_by(f64::total_cmp);
    let target_text = target.map(|t| with_unit(format!("target {t}"), unit));
    let median = Stat::Median.apply(&values);
    let (Some(&lowest), Some(&highest), Some(median)) = (values.first(), values.last(), median)
    else {
        let desc = match &target_text {
            Some(target_text) => format!("No data. The {target_text}."),
            None => "No data.".to_string(),
        };
        return no_data_chart(&id, "distribution", title, &desc);
    };
    let threshold = target.map(threshold_of);
    let met = target.map(|t| values.iter().filter(|v| t.is_met_by(**v)).count());

    let mut desc = format!(
        "{} customer{}, median {}",
        values.len(),
        if values.len() == 1 { "" } else { "s" },
        with_unit(quantity(median), unit)
    );
    if values.len() > 1 {
        desc.push_str(&format!(
            ", from {} to {}",
            with_unit(quantity(lowest), unit),
            with_unit(quantity(highest), unit)
        ));
    }
    if let (Some(target_text), Some(met)) = (&target_text, met) {
        desc.push_str(&format!(
            ". The {target_text} is met by {met} of {}",
            values.len()
        ));
    }
    // Listing every value keeps the text alternative complete; past a few
    // dozen the summary above says more than the list would.
    if values.len() <= 40 {
        let list: Vec<String> = values.iter().map(|v| quantity(*v)).collect();
        desc.push_str(&format!(". Values: {}", list.join(", ")));
    }

    // Zero stays on the axis so durations and counts are seen from nothing.
    let scale = Scale::nice(
        lowest.min(0.0).min(threshold.unwrap_or(0.0)),
        highest.max(0.0).max(threshold.unwrap_or(0.0)),
        7,
    );
    let chart = Distribution {
        id: &id,
        title,
        unit,
        target,
        target_text: target_text.as_deref(),
        median,
        scale,
    };
    if values.len() > MAX_DOTS {
        return histogram(&chart, &values, desc);
    }
    let desc = sentence(desc);
    let left = MARGIN + 16.0;
    let right = WIDTH - MARGIN - 16.0;
    let x = |value: f64| scale.position(value, left, right);

    // Equal or close values stack upwards instead of hiding each other: each
    // dot takes the lowest level whose last dot it does not touch. The values
    // are sorted, so comparing with each level's last dot is enough.
    let mut level_ends: Vec<f64> = Vec::new();
    let mut dots: Vec<(f64, usize, f64)> = Vec::new();
    for value in &values {
        let cx = x(*value);
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
        dots.push((cx, level, *value));
    }
    let plot_top = 24.0;
    let axis_y = plot_top + level_ends.len() as f64 * (2.0 * DOT_RADIUS + 2.0) + 8.0;
    let median_y = axis_y + 34.0;
    let legend_y = median_y + 20.0;
    let height = if target.is_some() { legend_y } else { median_y } + MARGIN;

    let mut svg = open_svg(&id, "distribution", height, title, &desc);
    for tick in scale.ticks() {
        let tick_x = x(tick);
        svg.push_str(&line(
            "grid",
            tick_x,
            plot_top,
            tick_x,
            axis_y,
            " stroke-opacity=\"0.2\"",
        ));
        svg.push_str(&line("tick", tick_x, axis_y, tick_x, axis_y + 4.0, ""));
        svg.push_str(&text(
            tick_x,
            axis_y + 16.0,
            Anchor::Middle,
            "tick",
            &scale.label(tick),
        ));
    }
    svg.push_str(&line("axis", left, axis_y, right, axis_y, ""));
    mark_median_and_target(&mut svg, &chart, x, plot_top, axis_y, median_y);

    for (cx, level, value) in &dots {
        let cy = axis_y - DOT_RADIUS - 4.0 - *level as f64 * (2.0 * DOT_RADIUS + 2.0);
        let meets = target.map(|t| t.is_met_by(*value));
        let tooltip = with_unit(quantity(*value), unit);
        svg.push_str(&dot(*cx, cy, meets, &tooltip));
    }

    if target.is_some() {
        svg.push_str(&dot(
            MARGIN + DOT_RADIUS,
            legend_y - 4.0,
            Some(true),
            "meets target",
        ));
        svg.push_str(&text(
            MARGIN + 14.0,
            legend_y,
            Anchor::Start,
            "legend",
            "meets target",
        ));
        svg.push_str(&dot(
            MARGIN + 124.0,
            legend_y - 4.0,
            Some(false),
            "misses target",
        ));
        svg.push_str(&text(
            MARGIN + 133.0,
            legend_y,
            Anchor::Start,
            "legend",
            "misses target",
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// What a distribution chart shows, whichever way it is drawn.
struct Distribution<'a> {
    id: &'a str,
    title: &'a str,
    unit: &'a str,
    target: Option<&'a Target>,
    target_text: Option<&'a str>,
    median: f64,
    /// The value axis.
    scale: Scale,
}

/// One bar of a [`histogram`]: the customers whose value falls in its range.
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
fn histogram(chart: &Distribution, values: &[f64], mut desc: String) -> String {
    let Distribution {
        id,
        title,
        unit,
        target,
        scale,
        ..
    } = *chart;
    let whole = values.iter().all(|v| v.fract() == 0.0);
    let width = bin_width(&scale, whole);
    // Whole ranges of whole numbers read as "2 to 3 days"; any other range
    // as "0.80 to under 0.85".
    let whole = whole && width >= 1.0 && width.fract() == 0.0;
    let span = scale.end - scale.start;
    // Whole ranges hold the whole numbers from the axis start to its end,
    // both included, the last range cut at the end; other ranges split
    // the axis, the last one taking its end.
    let count = if whole {
        (span / width).round() as usize + 1
    } else {
        ((span / width).round() as usize).max(1)
    };
    // A range's first value and the value after it.
    let bounds = |index: usize| {
        let low = scale.start + index as f64 * width;
        let high = if whole {
            (low + width).min(scale.end + 1.0)
        } else {
            low + width
        };
        (low, high)
    };
    let mut bins = vec![Bin::default(); count];
    for value in values {
        // A value on a boundary belongs to the range it starts.
        let index =
            (((value - scale.start) / width + 1e-9).floor().max(0.0) as usize).min(count - 1);
        bins[index].customers += 1;
        if target.is_some_and(|t| t.is_met_by(*value)) {
            bins[index].meeting += 1;
        }
    }
    // Decimals enough to tell the range bounds apart.
    let decimals = if width >= 1.0 {
        0
    } else {
        (-width.log10().floor()) as usize
    };
    let range_text = |index: usize| {
        let (low, high) = bounds(index);
        let text = if whole && high - low == 1.0 {
            scale_label(low, 0)
        } else if whole {
            format!("{} to {}", scale_label(low, 0), scale_label(high - 1.0, 0))
        } else {
            format!(
                "{} to under {}",
                scale_label(low, decimals),
                scale_label(high, decimals)
            )
        };
        with_unit(text, unit)
    };
    let customers_text = |n: usize| with_unit(n.to_string(), "customers");
    let ranges: Vec<String> = bins
        .iter()
        .enumerate()
        .filter(|(_, bin)| bin.customers > 0)
        .map(|(index, bin)| format!("{}: {}", range_text(index), bin.customers))
        .collect();
    desc.push_str(&format!(". Customers per range: {}", ranges.join("; ")));
    let desc = sentence(desc);

    let largest = bins.iter().map(|b| b.customers).max().unwrap_or(0);
    let counts = Scale::nice(0.0, largest as f64, 4);
    let count_labels: Vec<(f64, String)> = counts
        .ticks()
        .map(|tick| (tick, counts.label(tick)))
        .collect();
    let label_chars = count_labels.iter().map(|(_, l)| l.chars().count()).max();
    let left = MARGIN + text_width(label_chars) + 8.0;
    let right = WIDTH - MARGIN - 16.0;
    // A whole number stands for the half-open range around it, so its bar
    // is centred on its tick; the axis gets half a range more at each end.
    let pad = if whole { 0.5 } else { 0.0 };
    let x = |value: f64| {
        left + (value - scale.start + pad) / (scale.end - scale.start + 2.0 * pad) * (right - left)
    };
    let plot_top = 24.0;
    let axis_y = plot_top + HISTOGRAM_HEIGHT;
    let y = |customers: f64| axis_y - customers / counts.end * HISTOGRAM_HEIGHT;
    let median_y = axis_y + 34.0;
    let legend_y = median_y + 20.0;
    let height = legend_y + MARGIN;

    let mut svg = open_svg(id, "distribution chart-histogram", height, title, &desc);
    for (tick, label) in &count_labels {
        let tick_y = y(*tick);
        svg.push_str(&line(
            "grid",
            left,
            tick_y,
            right,
            tick_y,
            " stroke-opacity=\"0.2\"",
        ));
        svg.push_str(&text(
            left - 4.0,
            tick_y + BASELINE_DROP,
            Anchor::End,
            "tick",
            label,
        ));
    }
    for tick in scale.ticks() {
        let tick_x = x(tick);
        svg.push_str(&line("tick", tick_x, axis_y, tick_x, axis_y + 4.0, ""));
        svg.push_str(&text(
            tick_x,
            axis_y + 16.0,
            Anchor::Middle,
            "tick",
            &scale.label(tick),
        ));
    }

    for (index, bin) in bins.iter().enumerate() {
        if bin.customers == 0 {
            continue;
        }
        let (low, high) = bounds(index);
        // A unit of gap keeps neighbouring bars apart.
        let bar_x = x(low - pad) + 0.5;
        let bar_width = (x(high - pad) - x(low - pad) - 1.0).max(0.5);
        let mut tooltip = format!("{}: {}", range_text(index), customers_text(bin.customers));
        if target.is_some() {
            tooltip.push_str(&format!(", {} meet the target", bin.meeting));
        }
        svg.push_str(&format!(
            "<g class=\"range\"><title>{}</title>\n",
            escape(&tooltip)
        ));
        match target {
            Some(_) => {
                let met_top = y(bin.meeting as f64);
                if bin.meeting > 0 {
                    svg.push_str(&bin_rect(
                        bar_x,
                        met_top,
                        bar_width,
                        axis_y - met_top,
                        Some(true),
                    ));
                }
                if bin.customers > bin.meeting {
                    let top = y(bin.customers as f64);
                    svg.push_str(&bin_rect(bar_x, top, bar_width, met_top - top, Some(false)));
                }
            }
            None => {
                let top = y(bin.customers as f64);
                svg.push_str(&bin_rect(bar_x, top, bar_width, axis_y - top, None));
            }
        }
        svg.push_str("</g>\n");
    }
    svg.push_str(&line("axis", left, axis_y, right, axis_y, ""));
    mark_median_and_target(&mut svg, chart, x, plot_top, axis_y, median_y);

    // The legend says what a bar's height counts, and names the two fills.
    let mut legend_x = MARGIN;
    if target.is_some() {
        for (meets, label) in [(true, "meets target"), (false, "misses target")] {
            svg.push_str(&bin_rect(legend_x, legend_y - 9.0, 10.0, 10.0, Some(meets)));
            svg.push_str(&text(
                legend_x + 14.0,
                legend_y,
                Anchor::Start,
                "legend",
                label,
            ));
            legend_x += 112.0;
        }
    }
    svg.push_str(&text(
        legend_x,
        legend_y,
        Anchor::Start,
        "legend",
        "bar height: customers",
    ));
    svg.push_str("</svg>\n");
    svg
}

/// The median as a solid line labelled under the axis, and the target (if
/// any) as a dashed line labelled above the plot: marked alike over dots
/// and bars. `x` places a value on the axis.
fn mark_median_and_target(
    svg: &mut String,
    chart: &Distribution,
    x: impl Fn(f64) -> f64,
    plot_top: f64,
    axis_y: f64,
    median_y: f64,
) {
    let median_x = x(chart.median);
    svg.push_str(&line(
        "median-line",
        median_x,
        plot_top,
        median_x,
        axis_y + 22.0,
        " stroke-width=\"2\"",
    ));
    let median_text = format!("median {}", with_unit(quantity(chart.median), chart.unit));
    let (label_x, anchor) = anchor_near(median_x, &median_text);
    svg.push_str(&text(
        label_x,
        median_y,
        anchor,
        "median-label",
        &median_text,
    ));
    if let (Some(target), Some(target_text)) = (chart.target, chart.target_text) {
        let target_x = x(threshold_of(target));
        svg.push_str(&line(
            "target-line",
            target_x,
            plot_top - 6.0,
            target_x,
            axis_y,
            " stroke-width=\"1.5\" stroke-dasharray=\"5 3\"",
        ));
        let (label_x, anchor) = anchor_near(target_x, target_text);
        svg.push_str(&text(label_x, 14.0, anchor, "target-label", target_text));
    }
}

/// Values above this many are drawn as a histogram instead of dots.
const MAX_DOTS: usize = 200;
/// Most ranges a histogram splits its axis into.
const MAX_BINS: f64 = 40.0;
/// Height of a histogram's plot area.
const HISTOGRAM_HEIGHT: f64 = 120.0;

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

/// A number with `decimals` decimals, without a minus sign on zero.
fn scale_label(value: f64, decimals: usize) -> String {
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

/// A histogram bar (or part of one): filled when its customers meet the
/// target, hollow when they miss it, neutral without a target.
fn bin_rect(x: f64, y: f64, width: f64, height: f64, meets: Option<bool>) -> String {
    let (class, paint) = judged_paint(meets, "1.5");
    format!(
        "<rect class=\"bin{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {paint}/>\n",
        num(x),
        num(y),
        num(width.max(0.0)),
        num(height.max(0.0))
    )
}

/// On-time rate per group (one row per CSM): bars on a 0–100% scale labelled
/// "83% (n=6)", "no data" where the rate is `None`, and the target ratio as a
/// dashed vertical line. Bars below the target get the class `missed` and a
/// dashed outline as well as their colour.
pub fn rate_by_group_chart(
    id: &str,
    title: &str,
    rows: &[(String, Option<f64>, usize)],
    target: Option<f64>,
) -> String {
    let id = id_token(id);
    let target = target.filter(|t| t.is_finite()).map(|t| t.clamp(0.0, 1.0));
    let target_text = target.map(|t| format!("target {}", percent(t)));
    let value_texts: Vec<String> = rows
        .iter()
        .map(|(_, rate, n)| match rate.filter(|r| r.is_finite()) {
            Some(rate) => format!("{} (n={n})", percent(rate)),
            None => "no data".to_string(),
        })
        .collect();
    if rows.is_empty() {
        let desc = match &target_text {
            Some(target_text) => format!("No data. The {target_text}."),
            None => "No data.".to_string(),
        };
        return no_data_chart(&id, "rate", title, &desc);
    }
    let mut desc = rows
        .iter()
        .zip(&value_texts)
        .map(|((label, _, _), value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("; ");
    if let Some(target_text) = &target_text {
        desc = format!("{desc}; {target_text}");
    }
    let desc = sentence(desc);

    let left = MARGIN + label_column(rows.iter().map(|(label, _, _)| label.as_str()));
    let value_width = text_width(value_texts.iter().map(|t| t.chars().count()).max()) + 8.0;
    let right = (WIDTH - MARGIN - value_width).max(left + 1.0);
    let x = |ratio: f64| left + ratio.clamp(0.0, 1.0) * (right - left);
    let top = 24.0;
    let bottom = top + rows.len() as f64 * ROW_HEIGHT;
    let height = bottom + 20.0 + MARGIN;

    let mut svg = open_svg(&id, "rate", height, title, &desc);
    for quarter in 0..=4 {
        let ratio = f64::from(quarter) / 4.0;
        let tick_x = x(ratio);
        svg.push_str(&line(
            "grid",
            tick_x,
            top,
            tick_x,
            bottom,
            " stroke-opacity=\"0.2\"",
        ));
        svg.push_str(&text(
            tick_x,
            bottom + 16.0,
            Anchor::Middle,
            "tick",
            &percent(ratio),
        ));
    }
    for (index, ((label, rate, _), value_text)) in rows.iter().zip(&value_texts).enumerate() {
        let middle = top + index as f64 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
        svg.push_str("<g class=\"row\">\n");
        svg.push_str(&row_label(left, middle, label, value_text));
        // Values sit in a column right of 100%, where the target line and
        // the grid cannot cross them; "no data" sits where the bar would be.
        let value_x = match rate.filter(|r| r.is_finite()) {
            Some(rate) => {
                let meets = target.map(|t| rate + 1e-9 >= t);
                let (class, fill) = match meets {
                    Some(true) => ("rate met", fill_for("met")),
                    Some(false) => ("rate missed", fill_for("missed")),
                    None => ("rate", fill_for("on_track")),
                };
                let length = x(rate) - left;
                svg.push_str(&bar_rect(
                    class,
                    left,
                    middle - BAR_HEIGHT / 2.0,
                    length,
                    fill,
                    meets == Some(false),
                ));
                right + 8.0
            }
            None => left + 6.0,
        };
        let class = if rate.is_some_and(f64::is_finite) {
            "value"
        } else {
            "value no-data"
        };
        svg.push_str(&text(
            value_x,
            middle + BASELINE_DROP,
            Anchor::Start,
            class,
            value_text,
        ));
        svg.push_str("</g>\n");
    }
    svg.push_str(&line("axis", left, top, left, bottom, ""));
    if let (Some(target), Some(target_text)) = (target, &target_text) {
        let target_x = x(target);
        svg.push_str(&line(
            "target-line",
            target_x,
            top - 6.0,
            target_x,
            bottom,
            " stroke-width=\"1.5\" stroke-dasharray=\"5 3\"",
        ));
        let (label_x, anchor) = anchor_near(target_x, target_text);
        svg.push_str(&text(label_x, 14.0, anchor, "target-label", target_text));
    }
    svg.push_str("</svg>\n");
    svg
}

/// A Gantt-like milestone chart: one row per milestone with its name on the
/// left and its status on the right; the planned date as a hollow diamond,
/// the actual date as a filled circle, a line between them (or from the
/// target to the as-of date while late and open), and a dashed "today" line
/// labelled with the as-of date. Late rows get the class `late`, a red dashed
/// line and the text "late 3d"; rows without any date say "no date".
///
/// The date axis runs from the earliest of `start`, `as_of` and the row
/// dates to the latest of them, padded, with day, week or month ticks chosen
/// to fit.
pub fn milestone_timeline(
    id: &str,
    title: &str,
    start: Option<NaiveDate>,
    as_of: NaiveDate,
    rows: &[TimelineRow],
) -> String {
    milestone_timeline_chart(title, start, as_of, rows).svg(id)
}

/// A drawn chart waiting for its id, so that one drawing can be placed on
/// several pages, each under an id of its own.
#[derive(Clone, Debug)]
pub struct Chart {
    kind: &'static str,
    height: f64,
    title: String,
    desc: String,
    /// Everything after the `<title>` and `<desc>`, the closing tag included.
    body: String,
}

impl Chart {
    /// A chart that says "no data", so empty inputs still give a labelled image.
    fn no_data(kind: &'static str, title: &str, desc: String) -> Chart {
        let mut body = text(WIDTH / 2.0, 28.0, Anchor::Middle, "no-data", "no data");
        body.push_str("</svg>\n");
        Chart {
            kind,
            height: 48.0,
            title: title.to_string(),
            desc,
            body,
        }
    }

    /// The SVG with `id` (made a valid id) on the chart, its title and its description.
    pub fn svg(&self, id: &str) -> String {
        let mut svg = open_svg(
            &id_token(id),
            self.kind,
            self.height,
            &self.title,
            &self.desc,
        );
        svg.push_str(&self.body);
        svg
    }
}

/// [`milestone_timeline`] before it is given an id.
pub fn milestone_timeline_chart(
    title: &str,
    start: Option<NaiveDate>,
    as_of: NaiveDate,
    rows: &[TimelineRow],
) -> Chart {
    let desc = timeline_desc(as_of, rows);
    if rows.is_empty() {
        return Chart::no_data("timeline", title, desc);
    }
    let dates: Vec<NaiveDate> = rows
        .iter()
        .flat_map(|row| [row.target, row.actual])
        .flatten()
        .chain(start)
        .chain([as_of])
        .collect();
    let first = dates.iter().copied().min().unwrap_or(as_of);
    let last = dates.iter().copied().max().unwrap_or(as_of);
    // Padding keeps markers off the plot's edges, where they would meet
    // the name and status columns.
    let pad = ((last - first).num_days() / 20).max(2);
    let axis_start = first - Duration::days(pad);
    let axis_end = last + Duration::days(pad);
    let total_days = (axis_end - axis_start).num_days() as f64;

    let statuses: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|row| {
            (
                status_words(&row.status),
                row.late.then(|| late_label(row.days_late)),
            )
        })
        .collect();
    let status_chars = statuses
        .iter()
        .map(|(status, late)| {
            status.chars().count() + late.as_ref().map_or(0, |l| l.chars().count() + 1)
        })
        .max();
    let status_width = (text_width(status_chars) + 16.0).clamp(70.0, 200.0);
    let left = MARGIN + label_column(rows.iter().map(|row| row.name.as_str()));
    let right = (WIDTH - MARGIN - status_width).max(left + 1.0);
    let x = |date: NaiveDate| {
        left + (date - axis_start).num_days() as f64 / total_days * (right - left)
    };

    let top = 24.0;
    let bottom = top + rows.len() as f64 * ROW_HEIGHT;
    let today_label_y = bottom + 18.0;
    let legend_y = today_label_y + 20.0;
    let height = legend_y + MARGIN;

    let mut svg = String::with_capacity(4096);
    let max_ticks = (((right - left) / 60.0).floor() as i64).max(2);
    for (date, label) in date_ticks(axis_start, axis_end, max_ticks) {
        let tick_x = x(date);
        push_line(
            &mut svg,
            "grid",
            (tick_x, top - 4.0, tick_x, bottom),
            " stroke=\"currentColor\" stroke-opacity=\"0.2\"",
        );
        push_text(&mut svg, tick_x, 14.0, Anchor::Middle, "tick", &label);
    }
    push_line(
        &mut svg,
        "axis",
        (left, top - 4.0, left, bottom),
        " stroke=\"currentColor\"",
    );

    for (index, (row, (status, late))) in rows.iter().zip(&statuses).enumerate() {
        let middle = top + index as f64 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
        let status_class = css_token(&row.status);
        let late_class = if row.late { " late" } else { "" };
        let _ = writeln!(
            svg,
            "<g class=\"milestone status-{status_class}{late_class}\">"
        );
        let tooltip = match late {
            Some(late) => format!("{status}, {late}"),
            None => status.clone(),
        };
        push_row_label(&mut svg, left, middle, &row.name, &tooltip);

        if row.target.is_none() && row.actual.is_none() {
            push_text(
                &mut svg,
                left + 6.0,
                middle + BASELINE_DROP,
                Anchor::Start,
                "no-data",
                "no date",
            );
        }
        // Drawn before the markers so they sit on top of it.
        let span_end = match (row.target, row.actual) {
            (Some(_), Some(actual)) => Some(actual),
            (Some(_), None) if row.late => Some(as_of),
            _ => None,
        };
        if let (Some(target), Some(end)) = (row.target, span_end) {
            let late_stroke;
            let (class, stroke) = if row.late {
                late_stroke = late_span_stroke();
                ("span late", late_stroke.as_str())
            } else {
                ("span", " stroke-width=\"2\"")
            };
            push_line(&mut svg, class, (x(target), middle, x(end), middle), stroke);
        }
        if let Some(target) = row.target {
            let stroke = if row.late { LATE_FILL } else { "currentColor" };
            let _ = writeln!(
                svg,
                "<path class=\"target-marker\" d=\"M{} {}l6 6l-6 6l-6-6z\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.5\"><title>target {}</title></path>",
                Num(x(target)),
                Num(middle - 6.0),
                Iso(target),
            );
        }
        if let Some(actual) = row.actual {
            let _ = writeln!(
                svg,
                "<circle class=\"actual-marker\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"currentColor\"><title>done {}</title></circle>",
                Num(x(actual)),
                Num(middle),
                fill_for(&status_class),
                Iso(actual),
            );
        }
        let _ = write!(
            svg,
            "<text class=\"status\" x=\"{}\" y=\"{}\" text-anchor=\"start\" fill=\"currentColor\">{}",
            Num(right + 10.0),
            Num(middle + BASELINE_DROP),
            Escaped(status)
        );
        if let Some(late) = late {
            let _ = write!(
                svg,
                " <tspan class=\"late-label\" font-weight=\"bold\">{}</tspan>",
                Escaped(late)
            );
        }
        svg.push_str("</text>\n</g>\n");
    }

    let today_x = x(as_of);
    svg.push_str(&line(
        "today",
        today_x,
        top - 8.0,
        today_x,
        bottom + 4.0,
        " stroke-width=\"1.5\" stroke-dasharray=\"3 3\"",
    ));
    let today_text = format!("today {}", as_of);
    let (label_x, anchor) = anchor_near(today_x, &today_text);
    svg.push_str(&text(
        label_x,
        today_label_y,
        anchor,
        "today-label",
        &today_text,
    ));

    // The legend names the shapes, so no marker depends on colour to be read.
    let legend_middle = legend_y - 4.0;
    svg.push_str(&format!(
        "<path class=\"target-marker\" d=\"M{} {}l6 6l-6 6l-6-6z\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>\n",
        num(MARGIN + 6.0),
        num(legend_middle - 6.0)
    ));
    svg.push_str(&text(
        MARGIN + 16.0,
        legend_y,
        Anchor::Start,
        "legend",
        "target",
    ));
    svg.push_str(&format!(
        "<circle class=\"actual-marker\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"currentColor\"/>\n",
        num(MARGIN + 76.0),
        num(legend_middle),
        fill_for("complete")
    ));
    svg.push_str(&text(
        MARGIN + 86.0,
        legend_y,
        Anchor::Start,
        "legend",
        "done",
    ));
    svg.push_str(&line_with(
        "span late",
        MARGIN + 136.0,
        legend_middle,
        MARGIN + 160.0,
        legend_middle,
        &late_span_stroke(),
    ));
    svg.push_str(&text(
        MARGIN + 166.0,
        legend_y,
        Anchor::Start,
        "legend",
        "late",
    ));
    svg.push_str("</svg>\n");
    Chart {
        kind: "timeline",
        height,
        title: title.to_string(),
        desc,
        body: svg,
    }
}

/// The stroke of a late span: red and dashed, so it differs by more than colour.
fn late_span_stroke() -> String {
    format!(" stroke=\"{LATE_FILL}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"")
}

/// The timeline's text alternative: every milestone with its dates and state.
fn timeline_desc(as_of: NaiveDate, rows: &[TimelineRow]) -> String {
    if rows.is_empty() {
        return format!("No data: no milestones as of {}.", Iso(as_of));
    }
    let late = rows.iter().filter(|row| row.late).count();
    let mut desc = String::with_capacity(48 + rows.len() * 96);
    let _ = write!(
        desc,
        "As of {}: {} milestone{}, {late} late",
        Iso(as_of),
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    // Each row: its name, then its facts after a colon, commas between.
    for row in rows {
        let _ = write!(desc, ". {}: ", row.name);
        match (row.target, row.actual) {
            (None, None) => desc.push_str("no date, "),
            (target, actual) => {
                if let Some(target) = target {
                    let _ = write!(desc, "target {}, ", Iso(target));
                }
                if let Some(actual) = actual {
                    let _ = write!(desc, "done {}, ", Iso(actual));
                }
            }
        }
        desc.push_str(&status_words(&row.status));
        if row.late {
            match row.days_late {
                Some(1) => desc.push_str(", late 1 day"),
                Some(days) => {
                    let _ = write!(desc, ", late {days} days");
                }
                None => desc.push_str(", late"),
            }
        }
    }
    sentence(desc)
}

/// "late 3d", or "late" when the days are unknown.
fn late_label(days_late: Option<i64>) -> String {
    match days_late {
        Some(days) => format!("late {days}d"),
        None => "late".to_string(),
    }
}

/// A status as people read it: `in_progress` → "in progress".
fn status_words(status: &str) -> String {
    status.trim().replace('_', " ")
}

/// Tick dates and labels between two dates, at most about `max_ticks` of
/// them: every few days for short spans, Mondays for spans of weeks, the
/// first of the month beyond that.
fn date_ticks(start: NaiveDate, end: NaiveDate, max_ticks: i64) -> Vec<(NaiveDate, String)> {
    let max_ticks = max_ticks.max(1);
    let days = (end - start).num_days().max(1);
    let step_days = (days + max_ticks - 1) / max_ticks;
    let mut ticks = Vec::new();
    if step_days < 7 {
        let mut date = start;
        while date <= end {
            ticks.push((date, day_label(date)));
            date += Duration::days(step_days);
        }
    } else if step_days <= 14 {
        let step_weeks = (step_days + 6) / 7;
        let to_monday = (7 - i64::from(start.weekday().num_days_from_monday())) % 7;
        let mut date = start + Duration::days(to_monday);
        while date <= end {
            ticks.push((date, day_label(date)));
            date += Duration::weeks(step_weeks);
        }
    } else {
        let first_month = month_index(start) + i32::from(start.day() != 1);
        let months = month_index(end) - first_month + 1;
        let step = ((months + max_ticks as i32 - 1) / max_ticks as i32).max(1);
        let mut index = first_month;
        while let Some(date) = month_start(index).filter(|date| *date <= end) {
            // The year shows on the first tick and on every January, so a
            // reader always knows which year a month belongs to.
            let label = if ticks.is_empty() || date.month() == 1 {
                format!("{} {}", MONTHS[date.month0() as usize], date.year())
            } else {
                MONTHS[date.month0() as usize].to_string()
            };
            ticks.push((date, label));
            index += step;
        }
    }
    ticks
}

/// English month abbreviations, fixed so labels never depend on a locale.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "Jan 19".
fn day_label(date: NaiveDate) -> String {
    format!("{} {}", MONTHS[date.month0() as usize], date.day())
}

/// Months since year 0, so month arithmetic is integer arithmetic.
fn month_index(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

/// The first day of the month with the given [`month_index`].
fn month_start(index: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

/// A linear value axis with round tick steps (1, 2 or 5 times a power of ten).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Scale {
    /// First tick and left end of the axis.
    start: f64,
    /// Last tick and right end of the axis.
    end: f64,
    /// Distance between ticks.
    step: f64,
    /// Decimals needed to tell the ticks apart.
    decimals: usize,
}

impl Scale {
    /// An axis covering `low..=high` with at most about `max_ticks` ticks.
    fn nice(low: f64, high: f64, max_ticks: usize) -> Scale {
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
    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let count = ((self.end - self.start) / self.step).round() as usize;
        // Multiplying rather than adding repeatedly keeps rounding error from piling up.
        (0..=count).map(move |i| self.start + i as f64 * self.step)
    }

    /// Where `value` falls between `left` and `right`.
    fn position(&self, value: f64, left: f64, right: f64) -> f64 {
        left + (value - self.start) / (self.end - self.start) * (right - left)
    }

    /// A tick's label, with just enough decimals.
    fn label(&self, value: f64) -> String {
        scale_label(value, self.decimals)
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

/// Opens the root element with its title and description.
fn open_svg(id: &str, kind: &str, height: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {} {}\" class=\"chart chart-{kind}\" font-size=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        num(WIDTH),
        num(height),
        num(FONT_SIZE),
        escape(title),
        escape(desc)
    )
}

/// A complete chart that says "no data", so empty inputs still give a labelled image.
fn no_data_chart(id: &str, kind: &'static str, title: &str, desc: &str) -> String {
    Chart::no_data(kind, title, desc.to_string()).svg(id)
}

/// How a text is placed relative to its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A text element in the page's text colour.
fn text(x: f64, y: f64, anchor: Anchor, class: &str, content: &str) -> String {
    let mut svg = String::new();
    push_text(&mut svg, x, y, anchor, class, content);
    svg
}

/// [`text`], written onto the end of `svg`.
fn push_text(svg: &mut String, x: f64, y: f64, anchor: Anchor, class: &str, content: &str) {
    let _ = writeln!(
        svg,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"currentColor\">{}</text>",
        Num(x),
        Num(y),
        anchor.as_str(),
        Escaped(content)
    );
}

/// A row's name, right-aligned against the plot; long names are shortened
/// and keep their full text, with `detail`, as a tooltip.
fn row_label(left: f64, middle: f64, label: &str, detail: &str) -> String {
    let mut svg = String::new();
    push_row_label(&mut svg, left, middle, label, detail);
    svg
}

/// [`row_label`], written onto the end of `svg`.
fn push_row_label(svg: &mut String, left: f64, middle: f64, label: &str, detail: &str) {
    let _ = writeln!(
        svg,
        "<title>{}: {}</title>",
        Escaped(label),
        Escaped(detail)
    );
    push_text(
        svg,
        left - 8.0,
        middle + BASELINE_DROP,
        Anchor::End,
        "label",
        &shorten(label, MAX_LABEL_CHARS),
    );
}

/// A line in the text colour; `extra` holds further attributes.
fn line(class: &str, x1: f64, y1: f64, x2: f64, y2: f64, extra: &str) -> String {
    line_with(
        class,
        x1,
        y1,
        x2,
        y2,
        &format!(" stroke=\"currentColor\"{extra}"),
    )
}

/// A line whose stroke is given in `attributes`.
fn line_with(class: &str, x1: f64, y1: f64, x2: f64, y2: f64, attributes: &str) -> String {
    let mut svg = String::new();
    push_line(&mut svg, class, (x1, y1, x2, y2), attributes);
    svg
}

/// A line from `(x1, y1)` to `(x2, y2)` whose stroke is given in
/// `attributes`, written onto the end of `svg`.
fn push_line(
    svg: &mut String,
    class: &str,
    (x1, y1, x2, y2): (f64, f64, f64, f64),
    attributes: &str,
) {
    let _ = writeln!(
        svg,
        "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{attributes}/>",
        Num(x1),
        Num(y1),
        Num(x2),
        Num(y2)
    );
}

/// A bar; `dashed` adds a dashed outline so the bar differs by more than colour.
fn bar_rect(class: &str, x: f64, y: f64, width: f64, fill: &str, dashed: bool) -> String {
    let outline = if dashed {
        " stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\""
    } else {
        ""
    };
    format!(
        "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{outline}/>\n",
        num(x),
        num(y),
        num(width.max(0.0)),
        num(BAR_HEIGHT)
    )
}

/// A distribution dot: filled when it meets the target, hollow when it
/// misses it, neutral without a target.
fn dot(cx: f64, cy: f64, meets: Option<bool>, tooltip: &str) -> String {
    let (class, paint) = judged_paint(meets, "2");
    format!(
        "<circle class=\"dot{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}><title>{}</title></circle>\n",
        num(cx),
        num(cy),
        num(DOT_RADIUS),
        escape(tooltip)
    )
}

/// The class suffix and paint of a mark judged against a target: filled
/// when it meets it (` met`), hollow with a `stroke_width` outline when it
/// misses (` missed`), neutral without a target.
fn judged_paint(meets: Option<bool>, stroke_width: &str) -> (&'static str, String) {
    match meets {
        Some(true) => (" met", format!("fill=\"{}\"", fill_for("met"))),
        Some(false) => (
            " missed",
            format!("fill=\"none\" stroke=\"{LATE_FILL}\" stroke-width=\"{stroke_width}\""),
        ),
        None => ("", format!("fill=\"{NEUTRAL_FILL}\"")),
    }
}

/// Fallback fill for a class suffix: mid-tone colours that keep contrast on
/// both light and dark pages. A theme's CSS overrides them.
fn fill_for(class: &str) -> &'static str {
    match class {
        "late" | "missed" => LATE_FILL,
        "at_risk" | "at-risk" | "blocked" => "#d98e04",
        "on_track" | "on-track" | "in_progress" | "in-progress" => "#3b82c4",
        "complete" | "met" => "#2f9e62",
        _ => NEUTRAL_FILL,
    }
}

/// Places a label centred on `x`, or starting or ending there when centring
/// would push it past the chart's edge.
fn anchor_near(x: f64, label: &str) -> (f64, Anchor) {
    let half = text_width(Some(label.chars().count())) / 2.0;
    if x - half < MARGIN {
        (x.max(MARGIN), Anchor::Start)
    } else if x + half > WIDTH - MARGIN {
        (x.min(WIDTH - MARGIN), Anchor::End)
    } else {
        (x, Anchor::Middle)
    }
}

/// Width of the label column for these labels, shortened ones included.
fn label_column<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    let longest = labels.map(|l| l.chars().count().min(MAX_LABEL_CHARS)).max();
    (text_width(longest) + 8.0).clamp(48.0, 200.0)
}

/// Estimated width of a text of `chars` characters.
fn text_width(chars: Option<usize>) -> f64 {
    chars.unwrap_or(0) as f64 * CHAR_WIDTH
}

/// At most `max` characters, the last one an ellipsis when cut.
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let short: String = label.chars().take(max.saturating_sub(1)).collect();
        // A space before the ellipsis would read as a cut between words.
        format!("{}…", short.trim_end())
    }
}

/// Ends a description with a full stop unless it already has one.
fn sentence(text: String) -> String {
    if text.ends_with('.') {
        text
    } else {
        text + "."
    }
}

/// A coordinate with one decimal. Negative zero is written as zero so that
/// equal pictures are equal bytes.
fn num(value: f64) -> String {
    Num(value).to_string()
}

/// [`num`] as it is written into a chart, without a string of its own.
#[derive(Clone, Copy)]
struct Num(f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = finite_or_zero(self.0);
        // `{:.1}` rounds the exact binary value, and often falls back to slow
        // big-number arithmetic to do so; a chart prints thousands of
        // coordinates. Rounding the tenths as a float gives the same digits
        // unless they sit within rounding error of a half, and only then is
        // the exact formatting needed.
        let tenths = value * 10.0;
        if tenths.abs() < 1e9 {
            let floor = tenths.floor();
            let fraction = tenths - floor;
            if (fraction - 0.5).abs() > 1e-6 {
                let rounded = if fraction > 0.5 { floor + 1.0 } else { floor } as i64;
                // Digits written backwards into a small buffer and handed
                // over at once: the formatting machinery would cost more
                // than the number.
                let mut digits = rounded.unsigned_abs();
                let mut buffer = [0u8; 24];
                let mut at = buffer.len() - 2;
                buffer[at] = b'.';
                buffer[at + 1] = b'0' + (digits % 10) as u8;
                digits /= 10;
                loop {
                    at -= 1;
                    buffer[at] = b'0' + (digits % 10) as u8;
                    digits /= 10;
                    if digits == 0 {
                        break;
                    }
                }
                if rounded < 0 {
                    at -= 1;
                    buffer[at] = b'-';
                }
                let text = std::str::from_utf8(&buffer[at..]).expect("ASCII digits");
                return f.write_str(text);
            }
        }
        let text = format!("{value:.1}");
        f.write_str(if text == "-0.0" { "0.0" } else { &text })
    }
}

/// A value for people: whole numbers without decimals, others with one.
fn quantity(value: f64) -> String {
    let value = finite_or_zero(value);
    if (value - value.round()).abs() < 0.05 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

/// A ratio as a whole percentage: 0.833 → "83%".
fn percent(ratio: f64) -> String {
    format!(
        "{}%",
        (finite_or_zero(ratio).clamp(0.0, 1.0) * 100.0).round() as i64
    )
}

/// A value followed by its unit; "%" needs no space. Callers give plural
/// units ("days", "customers"); after exactly 1 a final "s" is dropped.
fn with_unit(value: String, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        value
    } else if unit.starts_with('%') {
        value + unit
    } else if value == "1" && unit.ends_with('s') && !unit.ends_with("ss") {
        format!("{value} {}", &unit[..unit.len() - 1])
    } else {
        format!("{value} {unit}")
    }
}

/// NaN and infinities would write unreadable coordinates; they count as zero.
fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}

/// An id prefix safe in an `id` and in the space-separated `aria-labelledby`
/// list: ASCII letters, digits, `-` and `_`, anything else becomes `-`.
fn id_token(id: &str) -> String {
    let token: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if token.is_empty() {
        "chart".to_string()
    } else {
        token
    }
}

/// A class name suffix: lowercase ASCII letters, digits, `-` and `_`.
fn css_token(class: &str) -> String {
    class
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Escapes text for XML content and attribute values. Control characters
/// other than tab and newlines are dropped, since XML cannot hold them.
fn escape(text: &str) -> String {
    Escaped(text).to_string()
}

/// [`escape`] as it is written into a chart, without a string of its own.
#[derive(Clone, Copy)]
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut plain = 0;
        for (i, c) in text.char_indices() {
            let replacement = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => "",
                _ => continue,
            };
            f.write_str(&text[plain..i])?;
            f.write_str(replacement)?;
            plain = i + c.len_utf8();
        }
        f.write_str(&text[plain..])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn num_matches_exact_formatting() {
        let exact = |v: f64| {
            let text = format!("{v:.1}");
            if text == "-0.0" {
                "0.0".to_string()
            } else {
                text
            }
        };
        let mut samples = vec![
            0.0,
            -0.0,
            0.05,
            -0.05,
            0.25,
            -0.25,
            0.35,
            1.45,
            2.5,
            -2.5,
            0.04,
            -0.04,
            0.96,
            -0.96,
            9.95,
            99.95,
            123.456,
            -123.456,
            719.99999,
            1e8 + 0.05,
            f64::NAN,
            f64::INFINITY,
        ];
        // A deterministic spread of chart-like coordinates and values.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            samples.push((unit - 0.3) * 2000.0);
            samples.push(((x % 100_000) as f64) / 100.0 - 200.0);
        }
        for v in samples {
            assert_eq!(num(v), exact(finite_or_zero(v)), "{v:?}");
        }
    }

    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn target(text: &str) -> Target {
        text.parse().unwrap()
    }

    fn bar(label: &str, value: f64, class: &str) -> BarDatum {
        BarDatum {
            label: label.to_string(),
            value,
            class: class.to_string(),
        }
    }

    fn row(name: &str, target: Option<&str>, actual: Option<&str>, status: &str) -> TimelineRow {
        TimelineRow {
            name: name.to_string(),
            target: target.map(day),
            actual: actual.map(day),
            status: status.to_string(),
            late: false,
            days_late: None,
        }
    }

    fn states() -> Vec<BarDatum> {
        vec![
            bar("Late", 2.0, "late"),
            bar("At risk", 1.0, "at_risk"),
            bar("On track", 5.0, "on_track"),
            bar("Complete", 0.0, "complete"),
        ]
    }

    fn rates() -> Vec<(String, Option<f64>, usize)> {
        vec![
            ("Jane Smith".to_string(), Some(5.0 / 6.0), 6),
            ("Raj Patel".to_string(), Some(0.5), 4),
            ("New CSM".to_string(), None, 0),
        ]
    }

    /// Kickoff done early, integration open and 3 days late, training ahead,
    /// and a milestone nobody dated.
    fn milestones() -> Vec<TimelineRow> {
        let mut integration = row(
            "Integration configured",
            Some("2026-01-22"),
            None,
            "in_progress",
        );
        integration.late = true;
        integration.days_late = Some(3);
        vec![
            row(
                "Kickoff completed",
                Some("2026-01-17"),
                Some("2026-01-16"),
                "complete",
            ),
            integration,
            row("Training delivered", Some("2026-01-29"), None, "pending"),
            row("Executive review", None, None, "pending"),
        ]
    }

    /// One of every chart with ordinary data, named for failure messages.
    fn every_chart() -> Vec<(&'static str, String)> {
        vec![
            (
                "bar",
                bar_chart("state", "Customers by state", &states(), "customers"),
            ),
            (
                "distribution",
                distribution_chart(
                    "kickoff",
                    "Time to kickoff",
                    &[2.0, 3.0, 3.0, 4.0, 7.0],
                    "business days",
                    Some(&target("< 5")),
                ),
            ),
            (
                "rate",
                rate_by_group_chart("on-time", "On-time rate by CSM", &rates(), Some(0.9)),
            ),
            (
                "timeline",
                milestone_timeline(
                    "acme",
                    "Acme milestones",
                    Some(day("2026-01-15")),
                    day("2026-01-25"),
                    &milestones(),
                ),
            ),
        ]
    }

    /// The charts again, given nothing to draw.
    fn every_empty_chart() -> Vec<(&'static str, String)> {
        vec![
            ("bar", bar_chart("e1", "Empty", &[], "customers")),
            (
                "distribution",
                distribution_chart("e2", "Empty", &[], "days", Some(&target("< 5"))),
            ),
            ("rate", rate_by_group_chart("e3", "Empty", &[], None)),
            (
                "timeline",
                milestone_timeline("e4", "Empty", None, day("2026-01-25"), &[]),
            ),
        ]
    }

    /// A small well-formedness check without an XML crate: tags balance on a
    /// stack, there is one root, attribute quotes pair up, and every `&`
    /// starts an entity that XML knows.
    fn assert_well_formed(svg: &str) {
        let mut open: Vec<&str> = Vec::new();
        let mut roots = 0;
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            assert_entities(&rest[..start]);
            if open.is_empty() {
                assert!(
                    rest[..start].trim().is_empty(),
                    "text outside the root: {:?}",
                    &rest[..start]
                );
            }
            let after = &rest[start + 1..];
            let end = after
                .find('>')
                .unwrap_or_else(|| panic!("unclosed tag in {svg}"));
            let tag = &after[..end];
            assert!(!tag.contains('<'), "'<' inside tag {tag:?}");
            assert_eq!(tag.matches('"').count() % 2, 0, "unpaired quote in {tag:?}");
            assert_entities(tag);
            if let Some(name) = tag.strip_prefix('/') {
                let expected = open
                    .pop()
                    .unwrap_or_else(|| panic!("</{name}> closes nothing"));
                assert_eq!(expected, name.trim(), "mismatched closing tag");
            } else {
                let name = tag
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or("");
                assert!(!name.is_empty(), "tag without a name: {tag:?}");
                if open.is_empty() {
                    roots += 1;
                }
                if !tag.ends_with('/') {
                    open.push(name);
                }
            }
            rest = &after[end + 1..];
        }
        assert!(rest.trim().is_empty(), "text after the root: {rest:?}");
        assert!(open.is_empty(), "unclosed elements: {open:?}");
        assert_eq!(roots, 1, "expected exactly one root element");
    }

    fn assert_entities(text: &str) {
        for (index, _) in text.match_indices('&') {
            let entity = &text[index..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|known| entity.starts_with(known)),
                "bare '&' in {text:?}"
            );
        }
    }

    /// The value of `attribute` in the first element that contains `marker`.
    fn attribute_after(svg: &str, marker: &str, attribute: &str) -> f64 {
        let from = svg
            .find(marker)
            .unwrap_or_else(|| panic!("{marker:?} not found"));
        let element = &svg[from..from + svg[from..].find('>').unwrap()];
        let key = format!(" {attribute}=\"");
        let start = element
            .find(&key)
            .unwrap_or_else(|| panic!("no {attribute} in {element}"))
            + key.len();
        element[start..start + element[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    }

    /// The x of every target diamond, in row order.
    fn diamond_xs(svg: &str) -> Vec<f64> {
        svg.match_indices("<g class=\"milestone")
            .filter_map(|(index, _)| {
                let group = &svg[index..index + svg[index..].find("</g>").unwrap()];
                group.find("class=\"target-marker\" d=\"M").map(|at| {
                    let numbers = &group[at + "class=\"target-marker\" d=\"M".len()..];
                    numbers[..numbers.find(' ').unwrap()].parse().unwrap()
                })
            })
            .collect()
    }

    #[test]
    fn escape_replaces_every_markup_character() {
        assert_eq!(
            escape(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("bell\u{7}tab\t"), "belltab\t");
        assert_eq!(escape("Zoë → ✓"), "Zoë → ✓");
    }

    #[test]
    fn every_chart_is_labelled_by_its_title_and_description() {
        for (name, svg) in every_chart().into_iter().chain(every_empty_chart()) {
            assert!(
                svg.starts_with("<svg role=\"img\" aria-labelledby=\""),
                "{name}: {svg}"
            );
            let labelled_by = &svg["<svg role=\"img\" aria-labelledby=\"".len()..];
            let id = &labelled_by[..labelled_by.find("-title ").unwrap()];
            assert!(
                svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")),
                "{name}"
            );
            assert!(
                svg.contains(&format!("<title id=\"{id}-title\">")),
                "{name}"
            );
            assert!(svg.contains(&format!("<desc id=\"{id}-desc\">")), "{name}");
            assert!(
                svg.contains(&format!("class=\"chart chart-{name}\"")),
                "{name}"
            );
            assert!(svg.contains("viewBox=\"0 0 640.0 "), "{name}");
            // The page sizes the chart: no fixed pixel size, no fonts, nothing remote.
            assert!(!svg.contains(" width=\"640"), "{name}");
            assert!(!svg.contains("<svg role=\"img\" width"), "{name}");
            assert!(
                !svg.contains("font-family=\"") || svg.contains("font-family=\"inherit\""),
                "{name}"
            );
            assert!(!svg.contains("<script") && !svg.contains("href"), "{name}");
        }
    }

    #[test]
    fn every_chart_is_well_formed_and_deterministic() {
        for ((name, svg), (_, again)) in every_chart().into_iter().zip(every_chart()) {
            assert_well_formed(&svg);
            assert_eq!(svg, again, "{name} differs between two calls");
        }
        for (name, svg) in every_empty_chart() {
            assert_well_formed(&svg);
            assert!(svg.contains(">no data</text>"), "{name}: {svg}");
        }
    }

    #[test]
    fn the_checker_rejects_broken_markup() {
        for broken in [
            "<svg><g></svg>",
            "<svg></g></svg>",
            "<svg>a & b</svg>",
            "<svg></svg><svg></svg>",
            "<svg><text x=\"1>a</text></svg>",
        ] {
            assert!(
                std::panic::catch_unwind(|| assert_well_formed(broken)).is_err(),
                "{broken}"
            );
        }
    }

    #[test]
    fn coordinates_have_one_decimal() {
        for (name, svg) in every_chart() {
            for attribute in [" x=\"", " y=\"", " x1=\"", " x2=\"", " cx=\"", " width=\""] {
                for (index, _) in svg.match_indices(attribute) {
                    let value = &svg[index + attribute.len()..];
                    let value = &value[..value.find('"').unwrap()];
                    let decimals = value
                        .split('.')
                        .nth(1)
                        .unwrap_or_else(|| panic!("{name}: {value}"));
                    assert_eq!(decimals.len(), 1, "{name}: {attribute}{value}");
                }
            }
        }
    }

    #[test]
    fn every_chart_escapes_markup_in_titles_and_labels() {
        let title = "<b>Bold</b> & co";
        let late = TimelineRow {
            late: true,
            days_late: Some(2),
            ..row("<b>Go-live</b>", Some("2026-01-20"), None, "in_progress")
        };
        let charts = [
            bar_chart("x", title, &[bar("<b>Tier</b>", 3.0, "<b>")], "<b>"),
            distribution_chart("x", title, &[1.0], "<b>", None),
            rate_by_group_chart(
                "x",
                title,
                &[("<b>CSM</b>".to_string(), Some(1.0), 2)],
                None,
            ),
            milestone_timeline("x", title, None, day("2026-01-25"), &[late]),
        ];
        for svg in charts {
            assert_well_formed(&svg);
            assert!(!svg.contains("<b>"), "{svg}");
            assert!(svg.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; co"), "{svg}");
        }
    }

    #[test]
    fn id_prefixes_are_made_safe_for_ids() {
        let svg = bar_chart("acme corp\"/><x", "T", &states(), "");
        assert!(
            svg.contains("aria-labelledby=\"acme-corp----x-title acme-corp----x-desc\""),
            "{svg}"
        );
        assert!(bar_chart("  ", "T", &states(), "").contains("id=\"chart-title\""));
    }

    #[test]
    fn bar_chart_shows_every_label_and_value() {
        let svg = bar_chart("state", "Customers by state", &states(), "customers");
        for label in ["Late", "At risk", "On track", "Complete"] {
            assert!(svg.contains(&format!(">{label}</text>")), "{label}");
        }
        for value in ["2 customers", "1 customer", "5 customers", "0 customers"] {
            assert!(svg.contains(&format!(">{value}</text>")), "{value}");
        }
        assert!(svg.contains(
            "<desc id=\"state-desc\">Late: 2 customers; At risk: 1 customer; On track: 5 customers; Complete: 0 customers.</desc>"
        ));
    }

    #[test]
    fn bar_lengths_are_proportional_to_values() {
        let svg = bar_chart("state", "Customers by state", &states(), "");
        let late = attribute_after(&svg, "bar state-late", "width");
        let on_track = attribute_after(&svg, "bar state-on_track", "width");
        let complete = attribute_after(&svg, "bar state-complete", "width");
        assert!((on_track / late - 2.5).abs() < 0.01, "{late} {on_track}");
        assert_eq!(complete, 0.0);
    }

    #[test]
    fn bars_have_classes_fallback_fills_and_a_dashed_late_outline() {
        let svg = bar_chart("state", "Customers by state", &states(), "");
        assert!(svg.contains("class=\"bar state-late\" x="));
        let late = &svg[svg.find("bar state-late").unwrap()..];
        let late = &late[..late.find("/>").unwrap()];
        assert!(
            late.contains(&format!("fill=\"{LATE_FILL}\"")) && late.contains("stroke-dasharray"),
            "{late}"
        );
        let on_track = &svg[svg.find("bar state-on_track").unwrap()..];
        let on_track = &on_track[..on_track.find("/>").unwrap()];
        assert!(
            on_track.contains("fill=\"#") && !on_track.contains("stroke-dasharray"),
            "{on_track}"
        );
        // Text follows the page's colour, so it reads in dark mode and print.
        assert_eq!(
            svg.matches("<text ").count(),
            svg.matches("fill=\"currentColor\">").count()
        );
    }

    #[test]
    fn all_zero_bars_and_odd_values_still_draw() {
        let svg = bar_chart(
            "zero",
            "Nothing yet",
            &[bar("A", 0.0, ""), bar("B", f64::NAN, "x y")],
            "%",
        );
        assert_well_formed(&svg);
        assert!(svg.contains(">0%</text>"));
        assert!(svg.contains("class=\"bar state-x-y\""));
        assert!(
            svg.contains("<rect class=\"bar\" "),
            "no empty state- suffix: {svg}"
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn long_labels_are_shortened_but_kept_whole_in_the_tooltip() {
        let name = "A customer success manager with a very long name";
        let svg = bar_chart("csm", "By CSM", &[bar(name, 1.0, "")], "");
        assert!(svg.contains(&format!("<title>{name}: 1</title>")));
        assert!(svg.contains(">A customer success manager…</text>"), "{svg}");
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

    /// Many whole-number values: 0 to 29 days, customer `i` at `i % 30`.
    fn many_days(customers: usize) -> Vec<f64> {
        (0..customers).map(|i| (i % 30) as f64).collect()
    }

    #[test]
    fn a_few_hundred_values_keep_their_dots() {
        let svg = distribution_chart("k", "Kickoff", &many_days(MAX_DOTS), "days", None);
        assert_well_formed(&svg);
        assert_eq!(svg.matches("<circle class=\"dot\"").count(), MAX_DOTS);
        assert!(!svg.contains("chart-histogram"));
    }

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

    #[test]
    fn percent_targets_are_drawn_on_a_ratio_axis() {
        let svg = distribution_chart(
            "rate",
            "Completion",
            &[0.7, 0.9],
            "",
            Some(&target(">= 85%")),
        );
        assert!(svg.contains(">target &gt;= 85%</text>"));
        assert_eq!(svg.matches("class=\"dot met\"").count(), 1 + 1);
        assert!(
            svg.contains(">0.8</text>") || svg.contains(">0.5</text>"),
            "{svg}"
        );
    }

    #[test]
    fn rates_show_percent_and_count_or_no_data() {
        let svg = rate_by_group_chart("on-time", "On-time rate by CSM", &rates(), Some(0.9));
        for text in [
            ">Jane Smith</text>",
            ">83% (n=6)</text>",
            ">50% (n=4)</text>",
            ">no data</text>",
            ">target 90%</text>",
        ] {
            assert!(svg.contains(text), "{text}: {svg}");
        }
        for tick in [">0%</text>", ">25%</text>", ">50%</text>", ">100%</text>"] {
            assert!(svg.contains(tick), "{tick}");
        }
        assert!(svg.contains(
            "Jane Smith: 83% (n=6); Raj Patel: 50% (n=4); New CSM: no data; target 90%.</desc>"
        ));
        // Below target: class and dashed outline, not colour alone.
        assert_eq!(svg.matches("class=\"rate missed\"").count(), 2);
        assert!(svg.contains("stroke-dasharray=\"4 2\""));
        // Bars share the 0–100% scale: 50% is 60% of 83%.
        let jane = attribute_after(&svg, "class=\"rate missed\"", "width");
        let raj_from = svg.find(">Raj Patel</text>").unwrap();
        let raj = attribute_after(&svg[raj_from..], "class=\"rate missed\"", "width");
        assert!((raj / jane - 0.6).abs() < 0.01, "{jane} {raj}");
        let target_x = attribute_after(&svg, "class=\"target-line\"", "x1");
        let left = attribute_after(&svg, "class=\"axis\"", "x1");
        assert!(target_x > left + jane);
        // Labels sit right of the scale, so the target line never crosses them.
        let label_x = attribute_after(&svg, "class=\"value\"", "x");
        let hundred = svg.find(">100%</text>").unwrap();
        let hundred_x =
            attribute_after(&svg[svg[..hundred].rfind("<text").unwrap()..], "<text", "x");
        assert!(
            label_x > hundred_x && label_x > target_x,
            "{label_x} {hundred_x} {target_x}"
        );
    }

    #[test]
    fn rates_without_a_target_have_no_target_line() {
        let svg = rate_by_group_chart("r", "Rates", &rates(), None);
        assert!(!svg.contains("target-line") && !svg.contains("missed"));
        assert!(svg.contains("class=\"rate\""));
    }

    #[test]
    fn timeline_puts_today_between_the_right_dates() {
        let svg = milestone_timeline(
            "acme",
            "Acme",
            Some(day("2026-01-15")),
            day("2026-01-25"),
            &milestones(),
        );
        let xs = diamond_xs(&svg);
        assert_eq!(xs.len(), 3, "the undated milestone has no diamond");
        let today = attribute_after(&svg, "<line class=\"today\"", "x1");
        // Targets Jan 17 and Jan 22 are before Jan 25, Jan 29 after it.
        assert!(
            xs[0] < xs[1] && xs[1] < today && today < xs[2],
            "{xs:?} {today}"
        );
        // One day is the same width everywhere on the axis.
        assert!(((xs[1] - xs[0]) / 5.0 - (xs[2] - xs[1]) / 7.0).abs() < 0.1);
        assert!(svg.contains(">today 2026-01-25</text>"));
        assert!(svg.contains("stroke-dasharray=\"3 3\""));
    }

    #[test]
    fn timeline_marks_late_rows_in_text_class_and_colour() {
        let svg = milestone_timeline(
            "acme",
            "Acme",
            Some(day("2026-01-15")),
            day("2026-01-25"),
            &milestones(),
        );
        assert_eq!(
            svg.matches("<g class=\"milestone status-in_progress late\">")
                .count(),
            1
        );
        assert!(
            svg.contains(
                "in progress <tspan class=\"late-label\" font-weight=\"bold\">late 3d</tspan>"
            ),
            "{svg}"
        );
        let late_row = &svg[svg.find("late\">").unwrap()..];
        let late_row = &late_row[..late_row.find("</g>").unwrap()];
        // The late line runs from the target to today, in the late colour.
        assert!(late_row.contains("class=\"span late\"") && late_row.contains(LATE_FILL));
        let today = attribute_after(&svg, "<line class=\"today\"", "x1");
        assert_eq!(
            attribute_after(late_row, "class=\"span late\"", "x2"),
            today
        );
        // Other rows say nothing of lateness.
        assert_eq!(svg.matches(">late 3d<").count(), 1);
        assert_eq!(svg.matches("late-label").count(), 1);
        assert!(
            svg.contains("Integration configured: target 2026-01-22, in progress, late 3 days.")
        );
        // A row's tooltip names the milestone once, then its state.
        assert!(
            late_row.contains("<title>Integration configured: in progress, late 3d</title>"),
            "{late_row}"
        );
    }

    #[test]
    fn timeline_shows_names_statuses_markers_and_missing_dates() {
        let svg = milestone_timeline(
            "acme",
            "Acme",
            Some(day("2026-01-15")),
            day("2026-01-25"),
            &milestones(),
        );
        for name in [
            "Kickoff completed",
            "Integration configured",
            "Training delivered",
            "Executive review",
        ] {
            assert!(svg.contains(&format!(">{name}</text>")), "{name}");
        }
        assert!(svg.contains(">complete</text>") && svg.contains(">pending</text>"));
        assert_eq!(svg.matches(">no date</text>").count(), 1);
        // Kickoff: a filled circle for the actual date, joined to its target.
        assert!(svg.contains("<title>done 2026-01-16</title>"));
        assert_eq!(
            svg.matches("<circle class=\"actual-marker\"").count(),
            1 + 1,
            "one done and the legend"
        );
        assert!(svg.contains("<line class=\"span\""));
        assert!(
            svg.contains(
                "<desc id=\"acme-desc\">As of 2026-01-25: 4 milestones, 1 late. \
             Kickoff completed: target 2026-01-17, done 2026-01-16, complete."
            ),
            "{svg}"
        );
        assert!(svg.contains("Executive review: no date, pending.</desc>"));
    }

    #[test]
    fn timeline_spans_today_even_when_every_date_is_ahead() {
        let rows = [row("Kickoff", Some("2026-03-02"), None, "pending")];
        let svg = milestone_timeline("t", "T", None, day("2026-01-25"), &rows);
        assert_well_formed(&svg);
        let today = attribute_after(&svg, "<line class=\"today\"", "x1");
        assert!(today < diamond_xs(&svg)[0]);
        let only_undated = milestone_timeline(
            "t",
            "T",
            None,
            day("2026-01-25"),
            &[row("Go-live", None, None, "pending")],
        );
        assert_well_formed(&only_undated);
        assert!(only_undated.contains(">no date</text>"));
    }

    #[test]
    fn date_ticks_fit_the_span() {
        let days = date_ticks(day("2026-01-20"), day("2026-01-26"), 5);
        assert!(days.len() >= 3 && days.len() <= 7, "{days:?}");
        assert_eq!(days[0], (day("2026-01-20"), "Jan 20".to_string()));

        let weeks = date_ticks(day("2026-01-13"), day("2026-02-20"), 5);
        assert!(
            weeks
                .iter()
                .all(|(date, _)| date.weekday() == chrono::Weekday::Mon),
            "{weeks:?}"
        );
        assert_eq!(weeks[0], (day("2026-01-19"), "Jan 19".to_string()));

        let months = date_ticks(day("2025-11-10"), day("2026-04-20"), 6);
        let labels: Vec<&str> = months.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(labels, ["Dec 2025", "Jan 2026", "Feb", "Mar", "Apr"]);

        let years = date_ticks(day("2024-01-01"), day("2026-12-31"), 6);
        assert!(years.len() <= 7, "{years:?}");
        assert_eq!(years[0].1, "Jan 2024");
    }

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
    fn numbers_are_written_the_same_way_every_time() {
        assert_eq!(num(-0.0), "0.0");
        assert_eq!(num(-0.04), "0.0");
        assert_eq!(num(f64::NAN), "0.0");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(quantity(3.0), "3");
        assert_eq!(quantity(2.96), "3");
        assert_eq!(quantity(4.5), "4.5");
        assert_eq!(percent(5.0 / 6.0), "83%");
        assert_eq!(percent(1.2), "100%");
        assert_eq!(with_unit("3".into(), "days"), "3 days");
        assert_eq!(with_unit("3".into(), "%"), "3%");
        assert_eq!(with_unit("3".into(), ""), "3");
        assert_eq!(with_unit("1".into(), "business days"), "1 business day");
        assert_eq!(with_unit("1".into(), "customers"), "1 customer");
        assert_eq!(with_unit("1.5".into(), "days"), "1.5 days");
        assert_eq!(with_unit("1".into(), "pass"), "1 pass");
    }
}
