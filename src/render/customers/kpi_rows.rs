//! KPIs as the SOP pages and the dashboard show them: the export fields and
//! the same in words.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::kpi::KpiResult;
use crate::measure::{Measure, Unit};
use crate::render::pages::{root_for, sop_path};
use crate::site::Site;

/// A KPI as the SOP pages and the dashboard show it: the export fields,
/// and the same in words for readers (no codes, no `>=`, units in words,
/// whole numbers where the value is whole).
#[derive(Serialize)]
pub struct KpiRow<'a> {
    /// The SOP's id.
    pub sop: &'a str,
    /// The KPI's id.
    pub id: &'a str,
    /// The KPI's name.
    pub name: &'a str,
    /// The target as written (`"< 5"`, `">= 85%"`).
    pub target: Option<&'a str>,
    /// The target as read: "< 5 business days", "≥ 85%".
    pub target_text: Option<String>,
    /// The measured value (see [`KpiResult::value`]).
    pub value: Option<f64>,
    /// The value as read: "4 business days", "45", "92.5%".
    pub value_text: Option<String>,
    /// The value's unit code (`days`, `business_days`, `%`).
    pub unit: Option<Unit>,
    /// Whether the value meets the target.
    pub met: Option<bool>,
    /// How many customers the value is computed over.
    pub customers: usize,
    /// Customers within the scope, with data or not.
    pub in_scope: usize,
    /// `applies_to:` as written.
    pub scope: &'a crate::measure::KpiScope,
    /// The scope in words; `None` when the KPI measures every customer.
    pub scope_text: Option<String>,
    /// The SOP's title.
    pub sop_title: Option<&'a str>,
    /// The SOP page, from the site root.
    pub sop_url: String,
    /// Whether the KPI has a measure at all.
    pub measured: bool,
    /// The description as written.
    pub description: Option<&'a str>,
    /// The description's inline Markdown as HTML.
    pub description_html: Option<String>,
    /// The measure in words; it names the statistic the chart marks.
    pub measure_text: Option<String>,
    /// The distribution chart (dashboard only).
    pub chart_svg: Option<String>,
}

/// A KPI's row for a page whose links go up `root` to the site root.
pub fn kpi_row<'a>(site: &'a Site, kpi: &'a KpiResult, root: &str) -> KpiRow<'a> {
    let sop = site.sop(&kpi.sop);
    let def = sop.and_then(|s| s.kpis.iter().find(|k| k.id == kpi.id));
    let unit = kpi.unit.map_or("", Unit::words);
    let description = def.and_then(|d| d.description.as_deref());
    KpiRow {
        sop: &kpi.sop,
        id: &kpi.id,
        name: &kpi.name,
        target: kpi.target_text.as_deref(),
        target_text: match &kpi.target {
            Some(target) => Some(target.readable(unit)),
            None => kpi.target_text.clone(),
        },
        value: kpi.value,
        value_text: kpi.value.map(|v| value_words(v, unit)),
        unit: kpi.unit,
        met: kpi.met,
        customers: kpi.customers,
        in_scope: kpi.in_scope,
        scope: &kpi.scope,
        scope_text: (!kpi.scope.is_all()).then(|| kpi.scope.describe()),
        sop_title: sop.map(|s| s.loaded.doc.title.as_str()),
        sop_url: sop_path(&kpi.sop),
        measured: def.is_some_and(|d| d.measure.is_some()),
        description,
        description_html: description.map(|d| crate::markdown::render_inline(d, root)),
        measure_text: def.and_then(|d| d.measure.as_ref()).map(Measure::describe),
        chart_svg: None,
    }
}

/// A KPI value with its unit in words: whole numbers without decimals
/// ("45", not "45.0"), others as computed (to 2 decimals, rates to 1).
pub fn value_words(value: f64, unit: &str) -> String {
    let number = if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    };
    match unit {
        "" => number,
        "%" => number + "%",
        _ if number == "1" => format!("1 {}", unit.strip_suffix('s').unwrap_or(unit)),
        _ => format!("{number} {unit}"),
    }
}

/// The KPI rows of each SOP, by SOP id, for the SOP pages.
pub fn kpis_by_sop<'a>(
    site: &'a Site,
    kpis: &'a [KpiResult],
) -> BTreeMap<&'a str, Vec<KpiRow<'a>>> {
    let mut map: BTreeMap<&str, Vec<KpiRow>> = BTreeMap::new();
    for kpi in kpis {
        let root = root_for(&sop_path(&kpi.sop));
        map.entry(kpi.sop.as_str())
            .or_default()
            .push(kpi_row(site, kpi, &root));
    }
    map
}
