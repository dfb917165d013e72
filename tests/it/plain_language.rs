//! Every page of the example site speaks plainly: no internal codes, no
//! `>=`, units in words, one date format, whole numbers without decimals,
//! inline Markdown rendered. Code that a page shows on purpose (`<code>`,
//! `<pre>`) and machine files are left out.

use std::path::Path;

use onboard::render::Output;
use onboard::site::BuildOptions;

/// The example site, built in memory.
fn example() -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match onboard::build::build(root, BuildOptions::default(), Output::default()) {
        Ok(built) => built.output,
        Err(error) => panic!("the example does not build: {error:?}"),
    }
}

/// What a reader sees of an HTML page: text outside tags, scripts,
/// styles, code and charts (whose labels the chart tests check), with
/// entities decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        let skipped = ["script", "style", "code", "pre", "svg"]
            .into_iter()
            .find(|tag| {
                rest[1..].starts_with(tag) && rest[1 + tag.len()..].starts_with(['>', ' '])
            });
        let end = match skipped {
            Some(tag) => {
                let close = format!("</{tag}>");
                rest.find(&close).map_or(rest.len(), |at| at + close.len())
            }
            None => rest.find('>').map_or(rest.len(), |at| at + 1),
        };
        text.push(' ');
        rest = &rest[end..];
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Whether `text` holds a date written `YYYY-MM-DD`.
fn iso_date(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let window = &bytes[i..i + 10];
        let shaped = window.iter().enumerate().all(|(j, &b)| {
            if j == 4 || j == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
        shaped.then(|| &text[i..i + 10])
    })
}

/// Text around the first `needle` in `text`, for failure messages.
fn around(text: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

#[test]
fn the_example_pages_speak_plainly() {
    let output = example();
    let pages: Vec<&str> = output
        .paths()
        .filter(|p| p.ends_with(".html") && !p.starts_with("search/"))
        .collect();
    assert!(pages.len() > 20, "only {} pages", pages.len());
    let mut problems = Vec::new();
    for path in pages {
        let html = String::from_utf8_lossy(output.get(path).expect("listed"));
        let text = visible_text(&html);
        for code in [
            ">=",
            "<=",
            "business_days",
            "first_value",
            "in_progress",
            "`",
            "Smb",
            ".0%",
            "NPS 45.0",
        ] {
            if let Some(at) = text.find(code) {
                problems.push(format!("{path}: `{code}` in “{}”", around(&text, at)));
            }
        }
        if let Some(date) = iso_date(&text) {
            let at = text.find(date).unwrap_or(0);
            problems.push(format!(
                "{path}: the ISO date {date} in “{}”",
                around(&text, at)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn kpi_text_and_chart_name_the_same_statistic_and_value() {
    let output = example();
    let dashboard = String::from_utf8_lossy(output.get("customers/index.html").expect("dashboard"));
    let text = visible_text(&dashboard);
    // The NPS KPI is a mean over four customers: its row and its chart say so.
    assert!(text.contains("mean of the NPS scores"), "{text}");
    assert!(text.contains("42.25"), "{text}");
    assert!(dashboard.contains(">mean 42.25</text>"), "{dashboard}");
    assert!(
        dashboard.contains("4 customers, mean 42.25,"),
        "{dashboard}"
    );
    assert!(text.contains("≥ 40"), "{text}");
    assert!(text.contains("< 5 business days"), "{text}");
    // Scores are shown as the tracker writes them: 45, not 45.0.
    let acme = String::from_utf8_lossy(output.get("customers/acme/index.html").expect("acme"));
    let words = visible_text(&acme)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("NPS 45 CSAT 4.6"), "{words}");
}

#[test]
fn tiers_are_shown_by_their_display_names() {
    let output = example();
    let dashboard = visible_text(&String::from_utf8_lossy(
        output.get("customers/index.html").expect("dashboard"),
    ));
    for name in ["SMB", "Mid-market", "Enterprise"] {
        assert!(dashboard.contains(name), "no `{name}` on the dashboard");
    }
}
