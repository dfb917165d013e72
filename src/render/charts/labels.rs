//! The numbers and words a chart shows people: values with their units,
//! percentages, shortened names and the sentences of its description.

/// A value for people: whole numbers without decimals, others with one.
pub(super) fn quantity(value: f64) -> String {
    let value = finite_or_zero(value);
    if (value - value.round()).abs() < 0.05 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

/// A statistic for people, as precise as the KPI value it stands for:
/// whole numbers without decimals, others to at most two ("42.25", "4.5").
pub(super) fn precise(value: f64) -> String {
    let value = finite_or_zero(value);
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        let text = format!("{rounded:.2}");
        text.trim_end_matches('0').to_string()
    }
}

/// A ratio as a whole percentage: 0.833 → "83%".
pub(super) fn percent(ratio: f64) -> String {
    format!(
        "{}%",
        (finite_or_zero(ratio).clamp(0.0, 1.0) * 100.0).round() as i64
    )
}

/// A value followed by its unit; "%" needs no space. Callers give plural
/// units ("days", "customers"); after exactly 1 a final "s" is dropped.
pub(super) fn with_unit(value: String, unit: &str) -> String {
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
pub(super) fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}

/// At most `max` characters, the last one an ellipsis when cut.
pub(super) fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let short: String = label.chars().take(max.saturating_sub(1)).collect();
        // A space before the ellipsis would read as a cut between words.
        format!("{}…", short.trim_end())
    }
}

/// Ends a description with a full stop unless it already has one.
pub(super) fn sentence(text: String) -> String {
    if text.ends_with('.') {
        text
    } else {
        text + "."
    }
}

/// A status as people read it: `in_progress` → "in progress".
pub(super) fn status_words(status: &str) -> String {
    status.trim().replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_for_people() {
        assert_eq!(quantity(3.0), "3");
        assert_eq!(quantity(2.96), "3");
        assert_eq!(quantity(4.5), "4.5");
        assert_eq!(quantity(f64::NAN), "0");
        assert_eq!(precise(42.25), "42.25");
        assert_eq!(precise(4.476), "4.48");
        assert_eq!(precise(4.5), "4.5");
        assert_eq!(precise(45.0), "45");
        assert_eq!(precise(2.999), "3");
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

    #[test]
    fn names_are_shortened_at_a_word_and_sentences_end_once() {
        assert_eq!(shorten("Kickoff", 28), "Kickoff");
        assert_eq!(shorten("Kickoff completed", 9), "Kickoff…");
        assert_eq!(sentence("No data".to_string()), "No data.");
        assert_eq!(sentence("No data.".to_string()), "No data.");
        assert_eq!(status_words(" in_progress "), "in progress");
    }
}
