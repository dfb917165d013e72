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
//!
//! The rooms: `svg` writes the elements every chart is drawn with,
//! `labels` the numbers and words they show, `scale` the value axis; each
//! chart has a file of its own (`bar`, `rate`, `distribution` with
//! `histogram` for many values, `timeline`).

mod bar;
mod distribution;
mod histogram;
mod labels;
mod rate;
mod scale;
mod svg;
mod timeline;

#[cfg(test)]
mod tests;

pub use bar::{BarDatum, bar_chart};
pub use distribution::{distribution_chart, distribution_chart_of};
pub use rate::rate_by_group_chart;
pub use timeline::{TimelineRow, milestone_timeline, milestone_timeline_chart};

use svg::{Anchor, Svg};

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
    /// The x of the today line, on a timeline.
    today_x: Option<f64>,
}

impl Chart {
    /// A chart of `kind` (`bar`, `timeline`, ...) whose elements are in
    /// `body`; the closing tag is added here.
    fn new(kind: &'static str, height: f64, title: &str, desc: String, body: Svg) -> Chart {
        let mut body = body.into_string();
        body.push_str("</svg>\n");
        Chart {
            kind,
            height,
            title: title.to_string(),
            desc,
            body,
            today_x: None,
        }
    }

    /// A chart that says "no data", so empty inputs still give a labelled image.
    fn no_data(kind: &'static str, title: &str, desc: String) -> Chart {
        let mut body = Svg::default();
        body.text(WIDTH / 2.0, 28.0, Anchor::Middle, "no-data", "no data");
        Chart::new(kind, 48.0, title, desc, body)
    }

    /// Where the today line is, as a percentage of the chart's width with
    /// one decimal ("63.2"): a page places an anchor there so that a chart
    /// wider than a small screen opens scrolled to today.
    pub fn today_percent(&self) -> Option<String> {
        self.today_x
            .map(|x| svg::Num((x / WIDTH * 100.0).clamp(0.0, 100.0)).to_string())
    }

    /// The SVG with `id` (made a valid id) on the chart, its title and its description.
    pub fn svg(&self, id: &str) -> String {
        let mut svg = svg::head(
            &svg::id_token(id),
            self.kind,
            self.height,
            &self.title,
            &self.desc,
        );
        svg.push_str(&self.body);
        svg
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
