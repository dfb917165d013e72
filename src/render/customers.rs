//! The customer side of the site: the portfolio dashboard, one status page
//! and iCalendar feed per customer, the data exports, and the
//! customer-visible share folders.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::charts::{self, BarDatum, TimelineRow};
use super::markdown::render_nested;
use super::pages::{
    PageJob, base_context, customer_path, customer_summary, playbook_path, root_for, sop_ref_link,
};
use super::{Output, exports};
use crate::diagnostics::Diagnostics;
use crate::kpi::{KpiResult, Portfolio};
use crate::share::{ShareView, share_folder};
use crate::site::{Customer, Site};
use crate::status::{CustomerState, Milestone};

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

/// The SOP steps behind a milestone: the playbook phases whose day range
/// contains the milestone's offset day, and their references.
fn milestone_links(site: &Site, customer: &Customer, milestone: &Milestone) -> Vec<Value> {
    let (Some(playbook), Some(start), Some(target)) = (
        customer
            .playbook
            .as_deref()
            .and_then(|id| site.playbook(id)),
        customer.start_date(),
        milestone.target_date,
    ) else {
        return Vec::new();
    };
    let day = (target - start).num_days() + 1;
    playbook
        .loaded
        .doc
        .phases
        .iter()
        .filter(|phase| {
            phase.days.as_ref().is_some_and(|d| {
                let first = d.value.first().copied().unwrap_or(0);
                let last = d.value.get(1).copied().unwrap_or(first);
                first <= day && day <= last
            })
        })
        .flat_map(|phase| phase.sops.iter().map(|s| sop_ref_link(site, &s.value)))
        .collect()
}

/// The portfolio dashboard.
pub fn dashboard_page(site: &Site, portfolio: &Portfolio, kpis: &[KpiResult]) -> PageJob {
    let path = "customers/index.html".to_string();
    let by_state: Vec<BarDatum> = portfolio
        .by_state
        .iter()
        .map(|(state, label, count)| BarDatum {
            label: label.clone(),
            value: *count as f64,
            class: state.clone(),
        })
        .collect();
    let by_tier: Vec<BarDatum> = portfolio
        .by_tier
        .iter()
        .map(|(tier, count)| BarDatum {
            label: tier.clone(),
            value: *count as f64,
            class: "tier".to_string(),
        })
        .collect();
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
        .find(|k| k.unit.as_deref() == Some("%") && k.id.contains("on-time"))
        .and_then(|k| k.target.as_deref())
        .and_then(|t| t.parse::<crate::target::Target>().ok())
        .map(|t| t.value / 100.0);
    let kpi_rows: Vec<Value> = kpis
        .iter()
        .enumerate()
        .map(|(index, kpi)| {
            let mut row = kpi_row(site, kpi);
            let target = kpi
                .target
                .as_deref()
                .and_then(|t| t.parse::<crate::target::Target>().ok());
            let chart = (!kpi.values.is_empty()).then(|| {
                charts::distribution_chart(
                    &format!("kpi-{index}"),
                    &kpi.name,
                    &kpi.values,
                    kpi.unit.as_deref().unwrap_or(""),
                    target.as_ref(),
                )
            });
            row["chart_svg"] = json!(chart);
            row
        })
        .collect();
    let mut context = base_context(site, &path, "customers", "Customers");
    context.insert(
        "customers".into(),
        site.customers
            .iter()
            .map(|c| customer_summary(site, c))
            .collect(),
    );
    context.insert("portfolio".into(), json!(portfolio));
    context.insert("kpis".into(), Value::Array(kpi_rows));
    context.insert("charts".into(), json!({
        "by_state": charts::bar_chart("by-state", "Customers by state", &by_state, "customers"),
        "by_tier": charts::bar_chart("by-tier", "Customers by tier", &by_tier, "customers"),
        "on_time_by_csm": charts::rate_by_group_chart("on-time-by-csm", "On-time milestones by CSM", &rate_rows, on_time_target),
    }));
    PageJob {
        path,
        template: "customers.html",
        context: Value::Object(context),
    }
}

/// A customer's internal status page.
pub fn customer_page(site: &Site, customer: &Customer, share_path: Option<&str>) -> PageJob {
    let path = customer_path(&customer.slug);
    let root = root_for(&path);
    let tracker = customer.tracker();
    let milestones: Vec<Value> = customer
        .milestones
        .iter()
        .map(|m| {
            let mut value = json!(m);
            value["links"] = Value::Array(milestone_links(site, customer, m));
            value
        })
        .collect();
    let mut updates: Vec<&crate::model::Update> = tracker.updates.iter().collect();
    updates.sort_by_key(|u| std::cmp::Reverse(u.date));
    let mut row = customer_summary(site, customer);
    row["milestones"] = Value::Array(milestones);
    row["stakeholders"] = json!(tracker.stakeholders);
    row["actions"] = json!(tracker.actions);
    row["risks"] = json!(tracker.risks);
    row["scores"] = json!(tracker.scores);
    row["target_first_value"] = json!(tracker.customer.target_first_value);
    row["time_to_kickoff_business_days"] = json!(customer.status.time_to_kickoff_business_days);
    row["time_to_first_value_days"] = json!(customer.status.time_to_first_value_days);
    row["updates"] = Value::Array(
        updates
            .iter()
            .map(|u| json!({ "date": u.date, "visibility": u.visibility, "html": render_nested(&u.text, &root, 2).html }))
            .collect(),
    );
    row["notes_html"] = json!(
        tracker
            .notes
            .as_deref()
            .map(|n| render_nested(n, &root, 2).html)
    );
    row["timeline_svg"] = json!(charts::milestone_timeline(
        &format!("timeline-{}", customer.slug),
        &format!("Milestones of {}", customer.name()),
        customer.start_date(),
        site.as_of,
        &timeline_rows(&customer.milestones),
    ));
    row["ics_url"] = json!(format!("customers/{}/milestones.ics", customer.slug));
    row["share_url"] = json!(share_path.map(|p| format!("share/{p}/index.html")));
    row["playbook"] = json!(
        customer
            .playbook
            .as_deref()
            .and_then(|id| site.playbook(id))
            .map(|p| json!({
                "id": p.id,
                "title": p.loaded.doc.title,
                "url": playbook_path(&p.id),
            }))
    );
    let mut context = base_context(site, &path, "customers", customer.name());
    context.insert("customer".into(), row);
    PageJob {
        path,
        template: "customer.html",
        context: Value::Object(context),
    }
}

/// A customer's share site: its page, stylesheet and feed, under `share/<folder>/`.
pub fn share_files(
    site: &Site,
    theme: &super::theme::Theme,
    customer: &Customer,
    folder: &str,
    output: &mut Output,
) -> Diagnostics {
    let view = ShareView::of(site, customer);
    let visible: Vec<&Milestone> = customer
        .milestones
        .iter()
        .filter(|m| m.customer_visible)
        .collect();
    let timeline = charts::milestone_timeline(
        "share-timeline",
        &format!("Milestones of {}", view.name),
        customer.start_date(),
        site.as_of,
        &timeline_rows(visible.iter().copied()),
    );
    let mut share = json!(view);
    share["timeline_svg"] = json!(timeline);
    let mut context = serde_json::Map::new();
    context.insert("share".into(), share);
    context.insert("root".into(), json!(""));
    let job = PageJob {
        path: format!("share/{folder}/index.html"),
        template: "share.html",
        context: Value::Object(context),
    };
    let mut diagnostics = Diagnostics::default();
    match super::render_job(theme, &job) {
        Ok(html) => output.insert(job.path, html),
        Err(d) => diagnostics.push(d),
    }
    if let Some(css) = theme.statics.get("share.css") {
        output.insert_copy(
            "share.css",
            format!("share/{folder}/share.css"),
            css.as_slice(),
        );
    }
    output.insert(
        format!("share/{folder}/milestones.ics"),
        exports::milestones_ics(site, customer, true),
    );
    diagnostics
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
    theme: &super::theme::Theme,
    kpis: &[KpiResult],
    portfolio: &Portfolio,
    output: &mut Output,
    only: Option<&std::collections::BTreeSet<String>>,
) -> Diagnostics {
    let secret = crate::share::secret(site);
    let (summary, parts) = rayon::join(
        || {
            let mut files = output.part();
            let mut diagnostics = Diagnostics::default();
            if !site.customers.is_empty() {
                match super::render_page(theme, dashboard_page(site, portfolio, kpis)) {
                    Ok((path, html)) => files.insert(path, html),
                    Err(d) => diagnostics.push(d),
                }
            }
            files.insert("data/customers.json", exports::customers_json(site));
            files.insert("data/kpis.json", exports::kpis_json(site.as_of, kpis));
            files.insert("data/kpis.csv", exports::kpis_csv(kpis));
            (files, diagnostics)
        },
        || {
            site.customers
                .par_iter()
                .filter(|c| only.is_none_or(|only| only.contains(&c.slug)))
                .map(|customer| {
                    let mut files = output.part();
                    let diagnostics =
                        customer_files(site, theme, customer, secret.as_deref(), &mut files);
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

/// One customer's own files: its status page and feed, and its share
/// folder when sharing is on (`secret` from [`crate::share::secret`]).
/// They depend on no other customer.
pub fn customer_files(
    site: &Site,
    theme: &super::theme::Theme,
    customer: &Customer,
    secret: Option<&str>,
    files: &mut Output,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let folder = site
        .config
        .share
        .enabled
        .then(|| share_folder(&customer.slug, secret));
    let job = customer_page(site, customer, folder.as_deref());
    match super::render_page(theme, job) {
        Ok((path, html)) => files.insert(path, html),
        Err(d) => diagnostics.push(d),
    }
    files.insert(
        format!("customers/{}/milestones.ics", customer.slug),
        exports::milestones_ics(site, customer, false),
    );
    if let Some(folder) = &folder {
        diagnostics.extend(share_files(site, theme, customer, folder, files).0);
    }
    diagnostics
}

/// A KPI result with what a reader needs beside the export fields: the
/// SOP's title, whether it is measured at all, and the measure in words.
pub fn kpi_row(site: &Site, kpi: &KpiResult) -> Value {
    let mut row = json!(kpi);
    // The per-customer values are drawn as the distribution chart; as data
    // they would weigh on every page that lists the KPI (ten thousand
    // numbers per KPI on a big portfolio) for templates that never read them.
    if let Some(fields) = row.as_object_mut() {
        fields.remove("values");
    }
    let sop = site.sop(&kpi.sop);
    let def = sop.and_then(|s| s.kpis.iter().find(|k| k.id == kpi.id));
    row["sop_title"] = json!(sop.map(|s| s.loaded.doc.title.clone()));
    row["sop_url"] = json!(super::pages::sop_path(&kpi.sop));
    row["measured"] = json!(def.is_some_and(|d| d.measure.is_some()));
    row["description"] = json!(def.and_then(|d| d.description.clone()));
    row["measure_text"] = json!(def.and_then(|d| d.measure.as_ref()).map(describe_measure));
    row
}

/// A measure in words, for people reading the KPI tables.
pub fn describe_measure(measure: &crate::site::Measure) -> String {
    use crate::site::Measure;
    let stat = |s: &crate::target::Stat| match s {
        crate::target::Stat::Median => "median",
        crate::target::Stat::Mean => "mean",
        crate::target::Stat::P90 => "90th percentile",
        crate::target::Stat::Max => "maximum",
    };
    let mark = |m: &str| {
        if m == "start" {
            "the start date".to_string()
        } else {
            m.replace('_', " ")
        }
    };
    match measure {
        Measure::Interval {
            from,
            to,
            business_days,
            stat: s,
        } => format!(
            "{} {} from {} to {}",
            stat(s),
            if *business_days {
                "business days"
            } else {
                "days"
            },
            mark(from),
            mark(to)
        ),
        Measure::OnTime => "share of completed milestones done by their target date".to_string(),
        Measure::CompleteWithin { days } => {
            format!(
                "share of customers with every milestone complete within {days} days of the start"
            )
        }
        Measure::Score { name, stat: s } => format!("{} of the `{name}` scores", stat(s)),
    }
}

/// The KPI rows of each SOP, for the SOP pages.
pub fn kpis_by_sop(site: &Site, kpis: &[KpiResult]) -> BTreeMap<String, Value> {
    let mut map: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for kpi in kpis {
        map.entry(kpi.sop.clone())
            .or_default()
            .push(kpi_row(site, kpi));
    }
    map.into_iter().map(|(k, v)| (k, Value::Array(v))).collect()
}

/// Whether a state needs someone's attention.
pub fn needs_attention(state: CustomerState) -> bool {
    matches!(state, CustomerState::Late | CustomerState::AtRisk)
}
