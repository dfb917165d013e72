//! The SVG elements charts are drawn with, written in place onto one string.
//!
//! Every element a chart draws goes through [`Svg`]: text, row labels,
//! lines, bars, dots and histogram bins. Coordinates are written by [`Num`]
//! with one decimal, and text by [`Escaped`], so no chart writes a number or
//! a piece of content any other way.

use std::fmt::{self, Write as _};

use super::labels::{finite_or_zero, shorten};
use super::{BAR_HEIGHT, BASELINE_DROP, DOT_RADIUS, FONT_SIZE, MAX_LABEL_CHARS, WIDTH};

/// Fallback fill for late items: a red that reads on white and on near-black.
pub(super) const LATE_FILL: &str = "#d64550";
/// Fallback fill for anything without a meaning of its own.
pub(super) const NEUTRAL_FILL: &str = "#7a8694";

/// The stroke of axes and ticks: the page's text colour.
pub(super) const INK: &str = " stroke=\"currentColor\"";
/// The stroke of grid lines: the text colour, faint.
pub(super) const GRID: &str = " stroke=\"currentColor\" stroke-opacity=\"0.2\"";
/// The stroke of a target line: dashed, so it differs by more than colour.
pub(super) const TARGET_LINE: &str =
    " stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"";
/// The stroke of a late span: red ([`LATE_FILL`]) and dashed.
pub(super) const LATE_SPAN: &str =
    " stroke=\"#d64550\" stroke-width=\"2\" stroke-dasharray=\"4 3\"";

/// The body of a chart being drawn: its elements, in drawing order.
#[derive(Debug, Default)]
pub(super) struct Svg(String);

impl Svg {
    /// The markup written so far.
    pub(super) fn into_string(self) -> String {
        self.0
    }

    /// Adds markup as it stands, such as a group's opening tag.
    pub(super) fn push_str(&mut self, markup: &str) {
        self.0.push_str(markup);
    }

    /// A text element in the page's text colour.
    pub(super) fn text(&mut self, x: f64, y: f64, anchor: Anchor, class: &str, content: &str) {
        let _ = writeln!(
            self.0,
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"currentColor\">{}</text>",
            Num(x),
            Num(y),
            anchor.as_str(),
            Escaped(content)
        );
    }

    /// A row's name, right-aligned against the plot; long names are
    /// shortened and keep their full text, with `detail`, as a tooltip.
    pub(super) fn row_label(&mut self, left: f64, middle: f64, label: &str, detail: &str) {
        let _ = writeln!(
            self.0,
            "<title>{}: {}</title>",
            Escaped(label),
            Escaped(detail)
        );
        self.text(
            left - 8.0,
            middle + BASELINE_DROP,
            Anchor::End,
            "label",
            &shorten(label, MAX_LABEL_CHARS),
        );
    }

    /// A line from `(x1, y1)` to `(x2, y2)` whose stroke is given in
    /// `stroke`, such as [`INK`] or [`GRID`] and any further attributes.
    pub(super) fn line(
        &mut self,
        class: &str,
        (x1, y1, x2, y2): (f64, f64, f64, f64),
        stroke: &str,
    ) {
        let _ = writeln!(
            self.0,
            "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{stroke}/>",
            Num(x1),
            Num(y1),
            Num(x2),
            Num(y2)
        );
    }

    /// A bar of a row; `dashed` adds a dashed outline so the bar differs by
    /// more than colour.
    pub(super) fn bar(
        &mut self,
        class: &str,
        (x, y): (f64, f64),
        width: f64,
        fill: &str,
        dashed: bool,
    ) {
        let outline = if dashed {
            " stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\""
        } else {
            ""
        };
        let _ = writeln!(
            self.0,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{outline}/>",
            Num(x),
            Num(y),
            Num(width.max(0.0)),
            Num(BAR_HEIGHT)
        );
    }

    /// A distribution dot: filled when it meets the target, hollow when it
    /// misses it, neutral without a target.
    pub(super) fn dot(&mut self, cx: f64, cy: f64, meets: Option<bool>, tooltip: &str) {
        let (class, paint) = judged_paint(meets, "2");
        let _ = writeln!(
            self.0,
            "<circle class=\"dot{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}><title>{}</title></circle>",
            Num(cx),
            Num(cy),
            Num(DOT_RADIUS),
            Escaped(tooltip)
        );
    }

    /// A histogram bar (or part of one): filled when its customers meet the
    /// target, hollow when they miss it, neutral without a target.
    pub(super) fn bin(&mut self, (x, y): (f64, f64), width: f64, height: f64, meets: Option<bool>) {
        let (class, paint) = judged_paint(meets, "1.5");
        let _ = writeln!(
            self.0,
            "<rect class=\"bin{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {paint}/>",
            Num(x),
            Num(y),
            Num(width.max(0.0)),
            Num(height.max(0.0))
        );
    }
}

/// Elements no helper writes (markers, groups with a tooltip) are written
/// with `write!`, through [`Num`] and [`Escaped`] like the rest.
impl fmt::Write for Svg {
    fn write_str(&mut self, markup: &str) -> fmt::Result {
        self.0.push_str(markup);
        Ok(())
    }
}

/// The root element's opening tag with its title and description.
pub(super) fn head(id: &str, kind: &str, height: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {} {}\" class=\"chart chart-{kind}\" font-size=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        Num(WIDTH),
        Num(height),
        Num(FONT_SIZE),
        Escaped(title),
        Escaped(desc)
    )
}

/// How a text is placed relative to its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Anchor {
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
pub(super) fn fill_for(class: &str) -> &'static str {
    match class {
        "late" | "missed" => LATE_FILL,
        "at_risk" | "at-risk" | "blocked" => "#d98e04",
        "on_track" | "on-track" | "in_progress" | "in-progress" => "#3b82c4",
        "complete" | "met" => "#2f9e62",
        _ => NEUTRAL_FILL,
    }
}

/// A coordinate as a chart writes it: one decimal, rounded as `{:.1}`
/// rounds, and negative zero written as zero so that equal pictures are
/// equal bytes. NaN and infinities count as zero.
#[derive(Clone, Copy)]
pub(super) struct Num(pub(super) f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = finite_or_zero(self.0);
        // `{:.1}` rounds the exact binary value, and often falls back to
        // slow big-number arithmetic to do so. Rounding the tenths as a
        // float gives the same digits unless they sit within rounding error
        // of a half, and only then is `{:.1}` needed. On a 10,000-tracker
        // build (a timeline per customer) `{:.1}` for every coordinate took
        // 7% more CPU time and 11% more wall time (3.75 s → 4.03 s user,
        // 4.42 s → 4.97 s wall, medians of 5).
        let tenths = value * 10.0;
        if tenths.abs() < 1e9 {
            let floor = tenths.floor();
            let fraction = tenths - floor;
            if (fraction - 0.5).abs() > 1e-6 {
                let rounded = if fraction > 0.5 { floor + 1.0 } else { floor } as i64;
                let sign = if rounded < 0 { "-" } else { "" };
                let digits = rounded.unsigned_abs();
                return write!(f, "{sign}{}.{}", digits / 10, digits % 10);
            }
        }
        // `{:.1}` writes "-0.0" for negative zero and for the negatives
        // that round to it: those above -0.05, whose nearest double is
        // itself a little below -0.05 and so rounds to "-0.1".
        if value.is_sign_negative() && value > -0.05 {
            f.write_str("0.0")
        } else {
            write!(f, "{value:.1}")
        }
    }
}

/// Text made safe for XML content and attribute values, written as it is
/// formatted. Control characters other than tab and newlines are dropped,
/// since XML cannot hold them.
#[derive(Clone, Copy)]
pub(super) struct Escaped<'a>(pub(super) &'a str);

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

/// An id prefix safe in an `id` and in the space-separated `aria-labelledby`
/// list: ASCII letters, digits, `-` and `_`, anything else becomes `-`.
pub(super) fn id_token(id: &str) -> String {
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
pub(super) fn css_token(class: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn num(value: f64) -> String {
        Num(value).to_string()
    }

    #[test]
    fn escaped_replaces_every_markup_character() {
        let escape = |text: &str| Escaped(text).to_string();
        assert_eq!(
            escape(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("bell\u{7}tab\t"), "belltab\t");
        assert_eq!(escape("Zoë → ✓"), "Zoë → ✓");
    }

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
            2e9 + 0.05,
            -2e9 - 0.05,
            -0.049_999_999_999_999_996,
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

    #[test]
    fn numbers_have_one_decimal_and_no_negative_zero() {
        assert_eq!(num(-0.0), "0.0");
        assert_eq!(num(-0.04), "0.0");
        assert_eq!(num(f64::NAN), "0.0");
        assert_eq!(num(f64::INFINITY), "0.0");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-123.456), "-123.5");
        assert_eq!(num(640.0), "640.0");
        // Rounding is that of the exact binary value, as `{:.1}` does it:
        // 0.25 is exact and rounds to even, 0.35 is stored a little below.
        assert_eq!(num(0.25), "0.2");
        assert_eq!(num(0.35), "0.3");
        assert_eq!(num(-0.05), "-0.1");
        assert_eq!(num(9.95), "9.9");
        assert_eq!(num(719.99999), "720.0");
    }

    #[test]
    fn tokens_are_safe_in_ids_and_classes() {
        assert_eq!(id_token("acme corp\"/><x"), "acme-corp----x");
        assert_eq!(id_token("  "), "chart");
        assert_eq!(css_token(" At_Risk "), "at_risk");
        assert_eq!(css_token("x y"), "x-y");
    }

    #[test]
    fn the_late_span_is_drawn_in_the_late_fill() {
        assert!(LATE_SPAN.contains(&format!("stroke=\"{LATE_FILL}\"")));
    }
}
