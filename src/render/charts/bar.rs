//! Horizontal bar charts: customers by state, tier or CSM.

use super::labels::{finite_or_zero, quantity, sentence, with_unit};
use super::svg::{self, Anchor, INK, Svg, fill_for};
use super::{
    BAR_HEIGHT, BASELINE_DROP, Chart, MARGIN, ROW_HEIGHT, WIDTH, label_column, text_width,
};

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

/// Horizontal bars with labels on the left and each value at its bar's end,
/// for customers by state, tier or CSM. `unit` follows each value ("3
/// customers"; "%" is written without a space). Negative and non-finite
/// values draw an empty bar.
pub fn bar_chart(id: &str, title: &str, data: &[BarDatum], unit: &str) -> String {
    if data.is_empty() {
        return Chart::no_data("bar", title, "No data.".to_string()).svg(id);
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

    let mut svg = Svg::default();
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
        draw_bar(&mut svg, (left, middle), length, datum, value_text);
    }
    svg.line("axis", (left, top, left, bottom), INK);
    Chart::new("bar", bottom + MARGIN, title, desc, svg).svg(id)
}

/// One row: its label at `left`, a bar of `length` from there classed and
/// filled by the datum's class (outlined dashed when late), and the value
/// text at its end.
fn draw_bar(
    svg: &mut Svg,
    (left, middle): (f64, f64),
    length: f64,
    datum: &BarDatum,
    value_text: &str,
) {
    let class = svg::css_token(&datum.class);
    let bar_class = if class.is_empty() {
        "bar".to_string()
    } else {
        format!("bar state-{class}")
    };
    svg.push_str("<g class=\"row\">\n");
    svg.row_label(left, middle, &datum.label, value_text);
    svg.bar(
        &bar_class,
        (left, middle - BAR_HEIGHT / 2.0),
        length,
        fill_for(&class),
        class == "late",
    );
    svg.text(
        left + length + 6.0,
        middle + BASELINE_DROP,
        Anchor::Start,
        "value",
        value_text,
    );
    svg.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::super::svg::LATE_FILL;
    use super::super::tests::{assert_well_formed, attribute_after, bar, states};
    use super::*;

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
}
