//! On-time rate per group: one bar per CSM on a 0–100% scale, with the
//! target as a dashed line.

use super::labels::{percent, sentence};
use super::svg::{Anchor, GRID, INK, Svg, TARGET_LINE, fill_for};
use super::{
    BAR_HEIGHT, BASELINE_DROP, Chart, MARGIN, ROW_HEIGHT, WIDTH, anchor_near, label_column,
    text_width,
};

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
    let target = target.filter(|t| t.is_finite()).map(|t| t.clamp(0.0, 1.0));
    let target_text = target.map(|t| format!("target {}", percent(t)));
    if rows.is_empty() {
        let desc = match &target_text {
            Some(target_text) => format!("No data. The {target_text}."),
            None => "No data.".to_string(),
        };
        return Chart::no_data("rate", title, desc).svg(id);
    }
    let value_texts = value_texts(rows);
    let desc = rate_desc(rows, &value_texts, target_text.as_deref());
    let plot = Plot::for_rows(rows, &value_texts);
    let mut svg = Svg::default();
    draw_percent_ticks(&mut svg, &plot);
    for (index, ((label, rate, _), value_text)) in rows.iter().zip(&value_texts).enumerate() {
        let middle = plot.top + index as f64 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
        svg.push_str("<g class=\"row\">\n");
        svg.row_label(plot.left, middle, label, value_text);
        draw_rate(&mut svg, &plot, middle, *rate, target, value_text);
        svg.push_str("</g>\n");
    }
    svg.line("axis", (plot.left, plot.top, plot.left, plot.bottom), INK);
    if let (Some(target), Some(target_text)) = (target, &target_text) {
        draw_target(&mut svg, &plot, target, target_text);
    }
    let height = plot.bottom + 20.0 + MARGIN;
    Chart::new("rate", height, title, sentence(desc), svg).svg(id)
}

/// Each row's value as written beside its bar: "83% (n=6)", or "no data".
fn value_texts(rows: &[(String, Option<f64>, usize)]) -> Vec<String> {
    rows.iter()
        .map(|(_, rate, n)| match rate.filter(|r| r.is_finite()) {
            Some(rate) => format!("{} (n={n})", percent(rate)),
            None => "no data".to_string(),
        })
        .collect()
}

/// The chart's description: "label: value" for each row, then the target.
fn rate_desc(
    rows: &[(String, Option<f64>, usize)],
    value_texts: &[String],
    target_text: Option<&str>,
) -> String {
    let desc = rows
        .iter()
        .zip(value_texts)
        .map(|((label, _, _), value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("; ");
    match target_text {
        Some(target_text) => format!("{desc}; {target_text}"),
        None => desc,
    }
}

/// Grid lines at 0, 25, 50, 75 and 100%, labelled under the plot.
fn draw_percent_ticks(svg: &mut Svg, plot: &Plot) {
    for quarter in 0..=4 {
        let ratio = f64::from(quarter) / 4.0;
        let tick_x = plot.x(ratio);
        svg.line("grid", (tick_x, plot.top, tick_x, plot.bottom), GRID);
        svg.text(
            tick_x,
            plot.bottom + 16.0,
            Anchor::Middle,
            "tick",
            &percent(ratio),
        );
    }
}

/// The target as a dashed vertical line across the rows, labelled above
/// them.
fn draw_target(svg: &mut Svg, plot: &Plot, target: f64, target_text: &str) {
    let target_x = plot.x(target);
    svg.line(
        "target-line",
        (target_x, plot.top - 6.0, target_x, plot.bottom),
        TARGET_LINE,
    );
    let (label_x, anchor) = anchor_near(target_x, target_text);
    svg.text(label_x, 14.0, anchor, "target-label", target_text);
}

/// Where the bars go: 0% at `left`, 100% at `right`, rows from `top` to `bottom`.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Plot {
    /// The plot for `rows`: after a column wide enough for their labels,
    /// before one wide enough for their values, a row each.
    fn for_rows(rows: &[(String, Option<f64>, usize)], value_texts: &[String]) -> Plot {
        let left = MARGIN + label_column(rows.iter().map(|(label, _, _)| label.as_str()));
        let value_width = text_width(value_texts.iter().map(|t| t.chars().count()).max()) + 8.0;
        Plot {
            left,
            right: (WIDTH - MARGIN - value_width).max(left + 1.0),
            top: 24.0,
            bottom: 24.0 + rows.len() as f64 * ROW_HEIGHT,
        }
    }

    /// The x of a ratio, kept on the scale.
    fn x(&self, ratio: f64) -> f64 {
        self.left + ratio.clamp(0.0, 1.0) * (self.right - self.left)
    }
}

/// One group's bar, judged against the target, and its value text; a rate
/// of `None` (or not finite) gets no bar and "no data" where it would be.
fn draw_rate(
    svg: &mut Svg,
    plot: &Plot,
    middle: f64,
    rate: Option<f64>,
    target: Option<f64>,
    value_text: &str,
) {
    // Values sit in a column right of 100%, where the target line and the
    // grid cannot cross them; "no data" sits where the bar would be.
    let (value_x, class) = match rate.filter(|r| r.is_finite()) {
        Some(rate) => {
            let meets = target.map(|t| rate + 1e-9 >= t);
            let (class, fill) = match meets {
                Some(true) => ("rate met", fill_for("met")),
                Some(false) => ("rate missed", fill_for("missed")),
                None => ("rate", fill_for("on_track")),
            };
            svg.bar(
                class,
                (plot.left, middle - BAR_HEIGHT / 2.0),
                plot.x(rate) - plot.left,
                fill,
                meets == Some(false),
            );
            (plot.right + 8.0, "value")
        }
        None => (plot.left + 6.0, "value no-data"),
    };
    svg.text(
        value_x,
        middle + BASELINE_DROP,
        Anchor::Start,
        class,
        value_text,
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::{attribute_after, rates};
    use super::*;

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
}
