//! The portfolio dashboard page: the portfolio's figures, its KPIs with
//! their charts, and the first rows of the customer list.

use serde::Serialize;

use super::kpi_rows::{KpiRow, kpi_row};
use crate::kpi::{KpiResult, Portfolio};
use crate::measure::{Measure, Unit};
use crate::render::charts;
use crate::render::context::view_context;
use crate::render::dashboard::CustomerList;
use crate::render::pages::{BaseView, root_for};
use crate::site::{Customer, Site};
use crate::target::Stat;

/// Where the dashboard goes in the output.
const PATH: &str = "customers/index.html";

/// The dashboard's context.
#[derive(Serialize)]
struct DashboardPage<'a> {
    #[serde(flatten)]
    base: BaseView<'a>,
    portfolio: &'a Portfolio,
    /// Every KPI, each with its distribution chart.
    kpis: Vec<KpiRow<'a>>,
    charts: DashboardCharts,
    list: &'a CustomerList<'a>,
}

/// The charts of the dashboard.
#[derive(Serialize)]
struct DashboardCharts {
    /// Milestones on time by CSM (overdue open ones count as late).
    on_time_by_csm: String,
}

/// The portfolio dashboard: its output path and Tera context. The page
/// carries the first rows of the customer list (`list`); the whole list is
/// in the data file (see [`crate::render::dashboard::data_script`]).
pub fn dashboard_page(
    site: &Site,
    portfolio: &Portfolio,
    kpis: &[KpiResult],
    list: &CustomerList,
) -> (String, tera::Context) {
    let root = root_for(PATH);
    let view = DashboardPage {
        base: BaseView::new(site, PATH, "customers", "Customers"),
        portfolio,
        kpis: kpis
            .iter()
            .enumerate()
            .map(|(index, kpi)| KpiRow {
                chart_svg: distribution_chart(site, kpi, index),
                ..kpi_row(site, kpi, &root)
            })
            .collect(),
        charts: DashboardCharts {
            on_time_by_csm: on_time_by_csm_chart(portfolio, kpis),
        },
        list,
    };
    (PATH.to_string(), view_context(&view))
}

/// The distribution of a KPI's values over the customers, when it has any.
/// Each dot is a customer, named in its tooltip (and beside it when there
/// are few); the chart marks the statistic the KPI's value is, so that the
/// text and the chart name the same one.
fn distribution_chart(site: &Site, kpi: &KpiResult, index: usize) -> Option<String> {
    if kpi.values.is_empty() {
        return None;
    }
    let names: Vec<&str> = kpi
        .value_customers
        .iter()
        .filter_map(|at| site.customers.get(*at).map(Customer::name))
        .collect();
    Some(charts::distribution_chart_of(
        &format!("kpi-{index}"),
        &kpi.name,
        &kpi.values,
        &names,
        kpi.unit.map_or("", Unit::words),
        kpi.target.as_ref(),
        kpi.measure
            .as_ref()
            .and_then(Measure::stat)
            .unwrap_or(Stat::Median),
    ))
}

/// The on-time rate of each CSM's milestones, against the target of the
/// site's on-time KPI if it has one.
fn on_time_by_csm_chart(portfolio: &Portfolio, kpis: &[KpiResult]) -> String {
    let rate_rows: Vec<(String, Option<f64>, usize)> = portfolio
        .by_csm
        .iter()
        .map(|c| {
            (
                c.csm.clone(),
                c.on_time_rate.map(|r| r / 100.0),
                c.on_time_milestones,
            )
        })
        .collect();
    let on_time_target = kpis
        .iter()
        .find(|k| matches!(k.measure, Some(Measure::OnTime)))
        .and_then(|k| k.target.as_ref())
        .map(|t| t.value / 100.0);
    charts::rate_by_group_chart(
        "on-time-by-csm",
        "Milestones on time by CSM",
        &rate_rows,
        on_time_target,
    )
}
