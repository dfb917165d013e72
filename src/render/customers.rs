//! The customer side of the site: the portfolio dashboard, one status page
//! and iCalendar feed per customer, the data exports, and the
//! customer-visible share folders.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::charts::{self, TimelineRow};
use super::context::{tera_context_of, tera_value};
use super::dashboard::{self, CustomerList, DashboardRow};
use super::pages::{
    base_context, customer_path, customer_summary, nav, playbook_path, root_for, site_context,
    sop_ref_link, tera_base_context, tera_map,
};
use super::{Output, exports};
use crate::diagnostics::Diagnostics;
use crate::kpi::{KpiResult, Portfolio};
use crate::markdown::{PageIds, render_on_page};
use crate::measure::{Measure, Unit};
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

/// The charts of the dashboard.
#[derive(serde::Serialize)]
struct DashboardCharts {
    /// Milestones on time by CSM (overdue open ones count as late).
    on_time_by_csm: String,
}

/// The portfolio dashboard: its output path and Tera context. The page
/// carries the first rows of the customer list (`list`); the whole list is
/// in the data file (see [`dashboard::data_script`]).
pub fn dashboard_page(
    site: &Site,
    portfolio: &Portfolio,
    kpis: &[KpiResult],
    list: &CustomerList,
) -> (String, tera::Context) {
    let path = "customers/index.html".to_string();
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
    let root = root_for(&path);
    let kpi_rows: Vec<Value> = kpis
        .iter()
        .enumerate()
        .map(|(index, kpi)| {
            let mut row = kpi_row(site, kpi, &root);
            // The chart marks the statistic the KPI's value is, so that the
            // text and the chart name the same one.
            row.chart_svg = (!kpi.values.is_empty()).then(|| {
                // Each dot is a customer, named in its tooltip (and beside
                // it when there are few).
                let names: Vec<&str> = kpi
                    .value_customers
                    .iter()
                    .filter_map(|at| site.customers.get(*at).map(Customer::name))
                    .collect();
                charts::distribution_chart_of(
                    &format!("kpi-{index}"),
                    &kpi.name,
                    &kpi.values,
                    &names,
                    kpi.unit.map_or("", Unit::words),
                    kpi.target.as_ref(),
                    kpi.measure
                        .as_ref()
                        .and_then(Measure::stat)
                        .unwrap_or(crate::target::Stat::Median),
                )
            });
            json!(row)
        })
        .collect();
    let charts = DashboardCharts {
        on_time_by_csm: charts::rate_by_group_chart(
            "on-time-by-csm",
            "Milestones on time by CSM",
            &rate_rows,
            on_time_target,
        ),
    };
    let mut context = base_context(site, &path, "customers", "Customers");
    context.insert("portfolio".into(), json!(portfolio));
    context.insert("kpis".into(), Value::Array(kpi_rows));
    let mut context = tera_context_of(&context);
    context.insert("charts", &charts);
    context.insert("list", list);
    (path, context)
}

/// The parts of customer page contexts that are the same for every
/// customer, converted to Tera values once per build: on a portfolio of ten
/// thousand, building and converting them for each page cost more than
/// rendering the page.
pub struct CustomerShared<'a> {
    site: &'a Site,
    site_value: tera::Value,
    nav: tera::Value,
    secret: Option<String>,
}

impl<'a> CustomerShared<'a> {
    /// The shared parts of `site`'s customer pages.
    pub fn new(site: &'a Site) -> Self {
        CustomerShared {
            site,
            site_value: tera_value(&site_context(site)),
            nav: tera_value(&nav(site, "customers")),
            secret: crate::share::secret(site),
        }
    }

    /// The share folder of a customer, when sharing is on for the site
    /// and the customer (`share: false` in a tracker turns it off).
    pub fn share_folder(&self, customer: &Customer) -> Option<String> {
        (self.site.config.share.enabled && customer.tracker().customer.share)
            .then(|| share_folder(&customer.slug, self.secret.as_deref()))
    }

    /// How a milestone is reached: links to the SOPs and steps its plan
    /// milestone names (`sops:`, and those of its `phase:`).
    fn milestone_links(&self, milestone: &Milestone) -> tera::Value {
        milestone
            .sops
            .iter()
            .map(|r| tera_value(&sop_ref_link(self.site, r)))
            .collect::<Vec<_>>()
            .into()
    }
}

/// The top of a status page: where the customer stands and what happens
/// next.
#[derive(Serialize)]
struct Situation<'a> {
    /// The milestone that matters most now: the most overdue late one,
    /// else the next open one.
    focus: Option<&'a str>,
    /// Its agreed revised date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    revised_eta: Option<NaiveDate>,
    /// Its planned date.
    #[serde(serialize_with = "crate::calendar::serialize_iso")]
    planned: Option<NaiveDate>,
    /// Open blockers of open milestones.
    blockers: Vec<&'a str>,
    /// The open action due first (overdue ones first of all).
    next_action: Option<NextAction<'a>>,
    /// Who must act next, as the dashboard says it (see
    /// [`dashboard::who_acts`]).
    acts: Option<dashboard::Acts>,
    /// `acts` in words.
    acts_label: Option<&'static str>,
    /// The escalation of the SOP steps behind the focus milestone.
    escalation: Option<EscalationView<'a>>,
}

#[derive(Serialize)]
struct NextAction<'a> {
    title: &'a str,
    owner: Option<&'a str>,
    side: Option<&'a str>,
    due: Option<crate::model::Date>,
    overdue: bool,
    internal: bool,
}

#[derive(Serialize)]
struct EscalationView<'a> {
    /// The role escalated to, by name.
    to: &'a str,
    within: Option<&'a str>,
    /// The trigger.
    when: Option<&'a str>,
    /// The step it comes from.
    step: &'a str,
    url: String,
}

impl<'a> Situation<'a> {
    fn of(site: &'a Site, customer: &'a Customer) -> Situation<'a> {
        let focus = customer
            .milestones
            .iter()
            .filter(|m| m.late)
            .max_by_key(|m| m.days_late)
            .or_else(|| customer.status.next_index.map(|i| &customer.milestones[i]));
        // The dashboard's next action, so both pages name the same one.
        let next = dashboard::next_action(customer);
        let acts = dashboard::who_acts(customer, next, dashboard::milestone_in_question(customer));
        let next_action = next.map(|a| NextAction {
            title: &a.title,
            owner: a.owner.as_deref(),
            side: a.side.as_deref(),
            due: a.due,
            overdue: a.due.is_some_and(|d| d.0 < site.as_of),
            internal: a.visibility == crate::model::Visibility::Internal,
        });
        let escalation = focus.and_then(|m| {
            m.sops.iter().find_map(|text| {
                let reference = crate::site::SopRef::parse(text);
                let sop = site.sop(&reference.sop)?;
                let steps = &sop.loaded.doc.steps;
                let (index, step) = steps.iter().enumerate().find(|(i, s)| {
                    s.escalation.is_some()
                        && reference
                            .step
                            .as_ref()
                            .is_none_or(|id| sop.step_ids.get(*i) == Some(id))
                })?;
                let escalation = step.escalation.as_ref()?;
                Some(EscalationView {
                    to: site
                        .role(&escalation.to.value)
                        .map_or(escalation.to.value.as_str(), |r| r.name.as_str()),
                    within: escalation.within.as_deref(),
                    when: escalation.when.as_deref(),
                    step: &step.title.value,
                    url: format!(
                        "{}#{}",
                        super::pages::sop_path(&sop.id),
                        sop.step_ids.get(index).map_or("", String::as_str)
                    ),
                })
            })
        });
        Situation {
            focus: focus.map(|m| m.name.as_str()),
            revised_eta: focus.and_then(|m| m.forecast_date),
            planned: focus.and_then(|m| m.target_date),
            blockers: customer
                .milestones
                .iter()
                .filter(|m| !m.is_closed())
                .flat_map(|m| m.blockers.iter().map(String::as_str))
                .collect(),
            next_action,
            acts,
            acts_label: acts.map(dashboard::Acts::label),
            escalation,
        }
    }
}

/// The ids the default theme's status page (`customer.html`) gives its own
/// elements, which headings in the updates and the notes must not take.
const CUSTOMER_PAGE_IDS: &[&str] = &[
    "main",
    "site-search",
    "customer-title",
    "actions",
    "actions-title",
    "timeline",
    "timeline-title",
    "milestones",
    "milestones-title",
    "blockers",
    "blockers-title",
    "risks",
    "risks-title",
    "health",
    "health-title",
    "stakeholders",
    "stakeholders-title",
    "updates",
    "updates-title",
    "notes",
    "notes-title",
];

/// A customer's internal status page: its output path and Tera context.
/// `timeline_svg` is the customer's milestone timeline (see [`timeline`]).
pub fn customer_page(
    shared: &CustomerShared,
    customer: &Customer,
    share_path: Option<&str>,
    timeline_svg: &str,
) -> (String, tera::Context) {
    let site = shared.site;
    let path = customer_path(&customer.slug);
    let root = root_for(&path);
    let tracker = customer.tracker();
    let milestones: Vec<tera::Value> = customer
        .milestones
        .iter()
        .map(|m| {
            with_fields(
                tera::Value::from_serializable(m),
                [("links", shared.milestone_links(m))],
            )
        })
        .collect();
    // The updates and the notes share the page's ids with its own sections:
    // a heading `## Risks` in the notes gets `risks-1`.
    let mut ids = PageIds::reserving(CUSTOMER_PAGE_IDS);
    let mut updates: Vec<&crate::model::Update> = tracker.updates.iter().collect();
    updates.sort_by_key(|u| std::cmp::Reverse(u.date));
    let updates: Vec<tera::Value> = updates
        .iter()
        .map(|u| {
            tera_map([
                ("date", u.date.to_string().into()),
                ("visibility", tera::Value::from_serializable(&u.visibility)),
                (
                    "html",
                    render_on_page(&u.text, &root, 2, &mut ids).html.into(),
                ),
            ])
        })
        .collect();
    let playbook = customer
        .playbook
        .as_deref()
        .and_then(|id| site.playbook(id))
        .map_or_else(tera::Value::none, |p| {
            tera_map([
                ("id", p.id.as_str().into()),
                ("title", p.loaded.doc.title.as_str().into()),
                ("url", playbook_path(&p.id).into()),
            ])
        });
    let optional = |text: Option<String>| text.map_or_else(tera::Value::none, Into::into);
    let row = with_fields(
        tera::Value::from_serializable(&customer_summary(site, customer)),
        [
            ("milestones", milestones.into()),
            (
                "stakeholders",
                tera::Value::from_serializable(&tracker.stakeholders),
            ),
            ("actions", tera::Value::from_serializable(&tracker.actions)),
            ("risks", tera::Value::from_serializable(&tracker.risks)),
            ("scores", tera::Value::from_serializable(&tracker.scores)),
            (
                "target_first_value",
                tera::Value::from_serializable(&tracker.customer.target_first_value),
            ),
            (
                "time_to_kickoff_business_days",
                tera::Value::from_serializable(&customer.status.time_to_kickoff_business_days),
            ),
            (
                "time_to_first_value_days",
                tera::Value::from_serializable(&customer.status.time_to_first_value_days),
            ),
            ("updates", updates.into()),
            (
                "notes_html",
                optional(
                    tracker
                        .notes
                        .as_deref()
                        .map(|n| render_on_page(n, &root, 2, &mut ids).html),
                ),
            ),
            ("timeline_svg", timeline_svg.into()),
            (
                "ics_url",
                format!("customers/{}/milestones.ics", customer.slug).into(),
            ),
            (
                "share_url",
                optional(share_path.map(|p| format!("share/{p}/index.html"))),
            ),
            ("playbook", playbook),
            (
                "situation",
                tera::Value::from_serializable(&Situation::of(site, customer)),
            ),
        ],
    );
    let mut context = tera_base_context(
        &shared.site_value,
        shared.nav.clone(),
        &root,
        &path,
        "customers",
        customer.name(),
    );
    context.insert_value("customer", row);
    (path, context)
}

/// `value`, a map, with `fields` added or replaced in place.
fn with_fields<const N: usize>(
    value: tera::Value,
    fields: [(&'static str, tera::Value); N],
) -> tera::Value {
    let Some(mut map) = value.into_map() else {
        return tera_map(fields);
    };
    map.reserve(N);
    for (key, value) in fields {
        map.insert(tera::value::Key::Str(key), value);
    }
    map.into()
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

/// What a customer's own pages made that its share folder can use as is.
#[derive(Default)]
pub struct Made<'a> {
    /// The customer's timeline drawing, when every milestone is visible.
    pub timeline: Option<&'a charts::Chart>,
    /// The share feed (see [`exports::milestone_feeds`]).
    pub feed: Option<String>,
}

/// A customer's share site: its page, stylesheet and feed, under
/// `share/<folder>/`. What `made` lacks is made here, from visible
/// milestones only.
pub fn share_files(
    site: &Site,
    theme: &super::theme::Theme,
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
    let share = with_fields(
        tera::Value::from_serializable(&view),
        [
            ("timeline_svg", timeline.svg("share-timeline").into()),
            (
                "timeline_today",
                timeline
                    .today_percent()
                    .map_or_else(tera::Value::none, Into::into),
            ),
        ],
    );
    let mut context = tera::Context::new();
    context.insert_value("share", share);
    context.insert_value("root", "".into());
    let path = format!("share/{folder}/index.html");
    let mut diagnostics = Diagnostics::default();
    if let Err(d) = super::render_into(theme, "share.html", &path, &context, output) {
        diagnostics.push(d);
    }
    // A printable sign-off sheet per completed milestone.
    for milestone in &view.milestones {
        let Some(file) = &milestone.sign_off_file else {
            continue;
        };
        context.insert("milestone", milestone);
        let path = format!("share/{folder}/{file}");
        if let Err(d) = super::render_into(theme, "share_signoff.html", &path, &context, output) {
            diagnostics.push(d);
        }
    }
    if let Some(css) = theme.statics.get("share.css") {
        output.insert_copy(
            "share.css",
            format!("share/{folder}/share.css"),
            css.as_slice(),
        );
    }
    // The brand files, so that the folder stays self-contained.
    for (name, bytes) in &theme.brand {
        output.insert_copy(name, format!("share/{folder}/{name}"), bytes);
    }
    if view.brand.favicon == crate::share::DEFAULT_FAVICON
        && let Some(icon) = theme.statics.get(crate::share::DEFAULT_FAVICON)
    {
        output.insert_copy(
            crate::share::DEFAULT_FAVICON,
            format!("share/{folder}/{}", crate::share::DEFAULT_FAVICON),
            icon,
        );
    }
    let feed = made
        .feed
        .unwrap_or_else(|| exports::milestones_ics(site, customer, true));
    output.insert(format!("share/{folder}/milestones.ics"), feed);
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
    let shared = CustomerShared::new(site);
    let (summary, parts) = rayon::join(
        || {
            let mut files = output.part();
            let mut diagnostics = Diagnostics::default();
            let order = dashboard::in_severity_order(site);
            let rows: Vec<DashboardRow> = order
                .par_iter()
                .map(|c| dashboard::row(c, site.as_of))
                .collect();
            if !site.customers.is_empty() {
                let list = dashboard::customer_list(&rows);
                let (path, context) = dashboard_page(site, portfolio, kpis, &list);
                if let Err(d) =
                    super::render_into(theme, "customers.html", &path, &context, &mut files)
                {
                    diagnostics.push(d);
                }
                files.insert(dashboard::DATA_PATH, dashboard::data_script(site, &rows));
            }
            files.insert("data/customers.csv", exports::customers_csv(&rows));
            files.insert("data/customers.json", exports::customers_json(site));
            files.insert("data/kpis.json", exports::kpis_json(site.as_of, kpis));
            files.insert("data/kpis.csv", exports::kpis_csv(kpis));
            (files, diagnostics)
        },
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

/// One customer's own files: its status page and feed, and its share
/// folder when sharing is on. They depend on no other customer.
pub fn customer_files(
    shared: &CustomerShared,
    theme: &super::theme::Theme,
    customer: &Customer,
    files: &mut Output,
) -> Diagnostics {
    let site = shared.site;
    let mut diagnostics = Diagnostics::default();
    let folder = shared.share_folder(customer);
    let (chart, same_for_share) = timeline(site, customer);
    let timeline_svg = chart.svg(&format!("timeline-{}", customer.slug));
    let (path, mut context) = customer_page(shared, customer, folder.as_deref(), &timeline_svg);
    drop(timeline_svg);
    // Where the page anchors the timeline's scroll box (see customer.html).
    if let Some(today) = chart.today_percent() {
        context.insert("timeline_today", &today);
    }
    if let Err(d) = super::render_into(theme, "customer.html", &path, &context, files) {
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

/// A KPI as the SOP pages and the dashboard show it: the export fields,
/// and the same in words for readers (no codes, no `>=`, units in words,
/// whole numbers where the value is whole).
#[derive(serde::Serialize)]
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
        sop_url: super::pages::sop_path(&kpi.sop),
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

/// The KPI rows of each SOP, for the SOP pages.
pub fn kpis_by_sop(site: &Site, kpis: &[KpiResult]) -> BTreeMap<String, Value> {
    let mut map: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for kpi in kpis {
        let root = root_for(&super::pages::sop_path(&kpi.sop));
        map.entry(kpi.sop.clone())
            .or_default()
            .push(json!(kpi_row(site, kpi, &root)));
    }
    map.into_iter().map(|(k, v)| (k, Value::Array(v))).collect()
}

/// Whether a state needs someone's attention.
pub fn needs_attention(state: CustomerState) -> bool {
    matches!(state, CustomerState::Late | CustomerState::AtRisk)
}
