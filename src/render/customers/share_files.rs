//! A customer's share folder: its page, a sign-off sheet per completed
//! milestone, stylesheet, brand files and feed, all from
//! [`ShareView`], the only data a customer may see.

use serde::Serialize;

use super::timeline_of;
use crate::diagnostics::Diagnostics;
use crate::render::charts::Chart;
use crate::render::context::view_context;
use crate::render::theme::Theme;
use crate::render::{Output, exports, render_into};
use crate::share::{DEFAULT_FAVICON, ShareView};
use crate::site::{Customer, Site};

/// What a customer's own pages made that its share folder can use as is.
#[derive(Default)]
pub struct Made<'a> {
    /// The customer's timeline drawing, when every milestone is visible.
    pub timeline: Option<&'a Chart>,
    /// The share feed (see [`exports::milestone_feeds`]).
    pub feed: Option<String>,
}

/// The share page's context; each sign-off sheet gets the same, with
/// `milestone` added.
#[derive(Serialize)]
struct SharePage<'a> {
    share: ShareContext<'a>,
    /// The share folder is its own root.
    root: &'static str,
}

/// `share`: what the customer may see, and their timeline.
#[derive(Serialize)]
struct ShareContext<'a> {
    #[serde(flatten)]
    view: &'a ShareView<'a>,
    /// The timeline of visible milestones.
    timeline_svg: String,
    /// Where today falls on it, in percent of its width.
    timeline_today: Option<String>,
}

/// A customer's share site: its page, stylesheet and feed, under
/// `share/<folder>/`. What `made` lacks is made here, from visible
/// milestones only.
pub fn share_files(
    site: &Site,
    theme: &Theme,
    customer: &Customer,
    folder: &str,
    made: Made,
    output: &mut Output,
) -> Diagnostics {
    let view = ShareView::of(site, customer);
    let own;
    let timeline = match made.timeline {
        Some(chart) => chart,
        None => {
            let visible = customer.milestones.iter().filter(|m| m.customer_visible);
            own = timeline_of(site, customer, visible);
            &own
        }
    };
    let diagnostics = share_pages(theme, &view, timeline, folder, output);
    copy_share_statics(theme, &view, folder, output);
    let feed = made
        .feed
        .unwrap_or_else(|| exports::milestones_ics(site, customer, true));
    output.insert(format!("share/{folder}/milestones.ics"), feed);
    diagnostics
}

/// The share page and a printable sign-off sheet per completed milestone.
fn share_pages(
    theme: &Theme,
    view: &ShareView,
    timeline: &Chart,
    folder: &str,
    output: &mut Output,
) -> Diagnostics {
    let page = SharePage {
        share: ShareContext {
            view,
            timeline_svg: timeline.svg("share-timeline"),
            timeline_today: timeline.today_percent(),
        },
        root: "",
    };
    let mut context = view_context(&page);
    drop(page);
    let mut diagnostics = Diagnostics::default();
    let path = format!("share/{folder}/index.html");
    if let Err(d) = render_into(theme, "share.html", &path, &context, output) {
        diagnostics.push(d);
    }
    for milestone in &view.milestones {
        let Some(file) = &milestone.sign_off_file else {
            continue;
        };
        context.insert("milestone", milestone);
        let path = format!("share/{folder}/{file}");
        if let Err(d) = render_into(theme, "share_signoff.html", &path, &context, output) {
            diagnostics.push(d);
        }
    }
    diagnostics
}

/// The theme's files a share folder needs beside its pages: the
/// stylesheet, the brand files and the default favicon, so that the
/// folder stays self-contained.
fn copy_share_statics(theme: &Theme, view: &ShareView, folder: &str, output: &mut Output) {
    if let Some(css) = theme.statics.get("share.css") {
        output.insert_copy(
            "share.css",
            format!("share/{folder}/share.css"),
            css.as_slice(),
        );
    }
    for (name, bytes) in &theme.brand {
        output.insert_copy(name, format!("share/{folder}/{name}"), bytes);
    }
    if view.brand.favicon == DEFAULT_FAVICON
        && let Some(icon) = theme.statics.get(DEFAULT_FAVICON)
    {
        output.insert_copy(
            DEFAULT_FAVICON,
            format!("share/{folder}/{DEFAULT_FAVICON}"),
            icon,
        );
    }
}
