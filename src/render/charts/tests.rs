//! What every chart must be, checked on one of each: labelled, well
//! formed, deterministic, escaped; and the helpers the charts' own tests use.

use chrono::NaiveDate;

use super::*;
use crate::target::{Stat, Target};

pub(super) fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub(super) fn target(text: &str) -> Target {
    text.parse().unwrap()
}

pub(super) fn bar(label: &str, value: f64, class: &str) -> BarDatum {
    BarDatum {
        label: label.to_string(),
        value,
        class: class.to_string(),
    }
}

pub(super) fn row(
    name: &str,
    target: Option<&str>,
    actual: Option<&str>,
    status: &str,
) -> TimelineRow {
    TimelineRow {
        name: name.to_string(),
        target: target.map(day),
        actual: actual.map(day),
        status: status.to_string(),
        late: false,
        days_late: None,
    }
}

pub(super) fn states() -> Vec<BarDatum> {
    vec![
        bar("Late", 2.0, "late"),
        bar("At risk", 1.0, "at_risk"),
        bar("On track", 5.0, "on_track"),
        bar("Complete", 0.0, "complete"),
    ]
}

pub(super) fn rates() -> Vec<(String, Option<f64>, usize)> {
    vec![
        ("Jane Smith".to_string(), Some(5.0 / 6.0), 6),
        ("Raj Patel".to_string(), Some(0.5), 4),
        ("New CSM".to_string(), None, 0),
    ]
}

/// Kickoff done early, integration open and 3 days late, training ahead,
/// and a milestone nobody dated.
pub(super) fn milestones() -> Vec<TimelineRow> {
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
pub(super) fn every_chart() -> Vec<(&'static str, String)> {
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
            "distribution chart-labelled",
            distribution_chart_of(
                "nps",
                "NPS",
                &[40.0, 55.0, 55.0],
                &["Acme", "Globex", "Initech"],
                "",
                Some(&target(">= 50")),
                Stat::Mean,
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
pub(super) fn every_empty_chart() -> Vec<(&'static str, String)> {
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
pub(super) fn assert_well_formed(svg: &str) {
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
pub(super) fn attribute_after(svg: &str, marker: &str, attribute: &str) -> f64 {
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

/// Many whole-number values: 0 to 29 days, customer `i` at `i % 30`.
pub(super) fn many_days(customers: usize) -> Vec<f64> {
    (0..customers).map(|i| (i % 30) as f64).collect()
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
        distribution_chart_of(
            "x",
            title,
            &[1.0],
            &["<b>Acme</b>"],
            "<b>",
            None,
            Stat::Median,
        ),
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
