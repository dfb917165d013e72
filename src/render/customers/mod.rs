//! The customer side of the site: the portfolio dashboard, one status page
//! and iCalendar feed per customer, the data exports, and the
//! customer-visible share folders.
//!
//! By role: the status page (`status_page.rs`), the dashboard page
//! (`dashboard_page.rs`, its rows and data file in `render::dashboard`),
//! the share folders (`share_files.rs`) and the KPI rows the dashboard and
//! the SOP pages show (`kpi_rows.rs`). This file renders them all.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::charts::{self, TimelineRow};
use super::dashboard::{self, DashboardRow};
use super::pages::SharedBase;
use super::theme::Theme;
use super::{Output, exports, render_into};
use crate::diagnostics::Diagnostics;
use crate::kpi::{KpiResult, Portfolio};
use crate::share::share_folder;
use crate::site::{Customer, Site};
use crate::status::{CustomerState, Milestone};

mod dashboard_page;
mod kpi_rows;
mod share_files;
mod status_page;

pub use dashboard_page::dashboard_page;
pub use kpi_rows::{KpiRow, kpi_row, kpis_by_sop, value_words};
pub use share_files::{Made, share_files};
pub use status_page::customer_page;

/// The timeline chart rows of a list of milestones.
pub fn timeline_rows<'a>(milestones: impl IntoIterator<Item = &'a Milestone>) -> Vec<TimelineRow> {
    milestones
        .into_iter()
        .map(|m| TimelineRow {
            name: m.name.clone(),
            target: m.target_date,
            actual: m.actual_date,
            status: m.status.as_str().to_string(),
            late: m.late,
            days_late: m.days_late,
        })
        .collect()
}

/// What every customer's pages share, made once per build: the site and
/// nav of the status pages (see [`SharedBase`]) and the share secret.
pub struct CustomerShared<'a> {
    site: &'a Site,
    base: SharedBase,
    secret: Option<String>,
}

impl<'a> CustomerShared<'a> {
    /// The shared parts of `site`'s customer pages.
    pub fn new(site: &'a Site) -> Self {
        CustomerShared {
            site,
            base: SharedBase::new(site, "customers"),
            secret: crate::share::secret(site),
        }
    }

    /// The share folder of a customer, when sharing is on for the site
    /// and the customer (`share: false` in a tracker turns it off).
    pub fn share_folder(&self, customer: &Customer) -> Option<String> {
        (self.site.config.share.enabled && customer.tracker().customer.share)
            .then(|| share_folder(&customer.slug, self.secret.as_deref()))
    }
}

/// A customer's milestone timeline: the drawing of its milestones, to be
/// given an id per page, and whether the share page's timeline is the same
/// drawing (every milestone is customer-visible).
pub fn timeline(site: &Site, customer: &Customer) -> (charts::Chart, bool) {
    let chart = timeline_of(site, customer, &customer.milestones);
    let shared = customer.milestones.iter().all(|m| m.customer_visible);
    (chart, shared)
}

/// The timeline drawing of some of a customer's milestones.
fn timeline_of<'a>(
    site: &Site,
    customer: &Customer,
    milestones: impl IntoIterator<Item = &'a Milestone>,
) -> charts::Chart {
    charts::milestone_timeline_chart(
        &format!("Milestones of {}", customer.name()),
        customer.start_date(),
        site.as_of,
        &timeline_rows(milestones),
    )
}

/// Everything customer-related, rendered into `output`: dashboard, status
/// pages, feeds, exports and share folders.
///
/// Customers are independent of each other, so each one's files are rendered
/// on the worker threads into a small output of its own and merged after:
/// nothing waits on one core, and no page context outlives its page. The
/// dashboard and the exports, which read every customer, are made alongside.
/// With `only`, the files of other customers are left out: `serve` keeps
/// them from the previous build, since they depend on nothing that changed.
pub fn render_customers(
    site: &Site,
    theme: &Theme,
    kpis: &[KpiResult],
    portfolio: &Portfolio,
    output: &mut Output,
    only: Option<&BTreeSet<String>>,
) -> Diagnostics {
    let shared = CustomerShared::new(site);
    let (summary, parts) = rayon::join(
        || portfolio_files(site, theme, kpis, portfolio, output.part()),
        || {
            // In pieces of a few customers, so that no core is left with
            // a long run of them while the other has nothing to do.
            site.customers
                .par_iter()
                .with_max_len(8)
                .filter(|c| only.is_none_or(|only| only.contains(&c.slug)))
                .map(|customer| {
                    let mut files = output.part();
                    let diagnostics = customer_files(&shared, theme, customer, &mut files);
                    (files, diagnostics)
                })
                .collect::<Vec<_>>()
        },
    );
    let mut diagnostics = Diagnostics::default();
    for (files, more) in std::iter::once(summary).chain(parts) {
        output.merge(files);
        diagnostics.extend(more.0);
    }
    diagnostics
}

/// The files that read every customer: the dashboard page and its data
/// file (when there are customers), and the customer and KPI exports.
fn portfolio_files(
    site: &Site,
    theme: &Theme,
    kpis: &[KpiResult],
    portfolio: &Portfolio,
    mut files: Output,
) -> (Output, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let order = dashboard::in_severity_order(site);
    let rows: Vec<DashboardRow> = order
        .par_iter()
        .map(|c| dashboard::row(c, site.as_of))
        .collect();
    if !site.customers.is_empty() {
        let list = dashboard::customer_list(&rows);
        let (path, context) = dashboard_page(site, portfolio, kpis, &list);
        if let Err(d) = render_into(theme, "customers.html", &path, &context, &mut files) {
            diagnostics.push(d);
        }
        files.insert(dashboard::DATA_PATH, dashboard::data_script(site, &rows));
    }
    files.insert("data/customers.csv", exports::customers_csv(&rows));
    files.insert("data/customers.json", exports::customers_json(site));
    files.insert("data/kpis.json", exports::kpis_json(site.as_of, kpis));
    files.insert("data/kpis.csv", exports::kpis_csv(kpis));
    (files, diagnostics)
}

/// One customer's own files: its status page and feed, and its share
/// folder when sharing is on. They depend on no other customer.
pub fn customer_files(
    shared: &CustomerShared,
    theme: &Theme,
    customer: &Customer,
    files: &mut Output,
) -> Diagnostics {
    let site = shared.site;
    let mut diagnostics = Diagnostics::default();
    let folder = shared.share_folder(customer);
    let (chart, same_for_share) = timeline(site, customer);
    let timeline_svg = chart.svg(&format!("timeline-{}", customer.slug));
    let (path, context) = customer_page(
        shared,
        customer,
        folder.as_deref(),
        &timeline_svg,
        chart.today_percent(),
    );
    drop(timeline_svg);
    if let Err(d) = render_into(theme, "customer.html", &path, &context, files) {
        diagnostics.push(d);
    }
    drop(context);
    let [feed, share_feed] = exports::milestone_feeds(site, customer, true, folder.is_some());
    files.insert(format!("customers/{}/milestones.ics", customer.slug), feed);
    if let Some(folder) = &folder {
        let made = Made {
            timeline: same_for_share.then_some(&chart),
            feed: Some(share_feed),
        };
        diagnostics.extend(share_files(site, theme, customer, folder, made, files).0);
    }
    diagnostics
}

/// Whether a state needs someone's attention.
pub fn needs_attention(state: CustomerState) -> bool {
    matches!(state, CustomerState::Late | CustomerState::AtRisk)
}
