//! Smoke tests of the default theme: the example site builds with it, its pages
//! keep the promises of SPEC sections 4 and 5 (relative links that name the
//! file, nothing from another host, checklists, anchors), and the templates
//! whose contexts are not built yet render against their planned shape.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use onboard::build::build;
use onboard::render::Output;
use onboard::render::theme;
use onboard::site::BuildOptions;
use serde_json::{Value, json};

/// The example site in the repository root, built in memory.
fn example_site() -> BTreeMap<String, Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match build(root, BuildOptions::default(), Output::default()) {
        Ok(built) => built.output.files,
        Err(failure) => panic!("the example site does not build: {failure:?}"),
    }
}

fn html_pages(files: &BTreeMap<String, Vec<u8>>) -> Vec<(&str, String)> {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            (
                path.as_str(),
                String::from_utf8(bytes.clone()).expect("UTF-8 page"),
            )
        })
        .collect()
}

/// Every value of `name="..."` in the page, in order.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let end = rest.find('"').expect("closed attribute");
        values.push(&rest[..end]);
        rest = &rest[end..];
    }
    values
}

/// Resolves `target` against the folder of `page` (both with `/`), dropping
/// any fragment or query.
fn resolve(page: &str, target: &str) -> String {
    let target = target.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn is_external(target: &str) -> bool {
    target.starts_with("http:") || target.starts_with("https:") || target.starts_with("//")
}

#[test]
fn every_page_has_the_layout_landmarks() {
    let files = example_site();
    // Share pages stand alone: no internal search, nav or script.
    for (path, html) in html_pages(&files)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("share/"))
    {
        assert!(html.starts_with("<!doctype html>"), "{path}: doctype first");
        for wanted in [
            "<html lang=\"",
            "name=\"viewport\"",
            "<title>",
            "class=\"skip-link\" href=\"#main\"",
            "<main id=\"main\"",
            "role=\"search\"",
            "id=\"site-search\"",
            "style.css\">",
            "as of",
        ] {
            assert!(html.contains(wanted), "{path}: missing {wanted}");
        }
        // The 404 page loads its scripts once it knows where the site root
        // is (it may be shown at any depth); every other page links them.
        let script = if path == "404.html" {
            "\"onboard.js\""
        } else {
            "onboard.js\"></script>"
        };
        assert!(html.contains(script), "{path}: missing {script}");
        assert!(
            html.matches("<h1").count() >= 1,
            "{path}: has a page heading"
        );
    }
}

#[test]
fn nav_marks_the_current_page() {
    let files = example_site();
    let pages = html_pages(&files);
    let roles = pages
        .iter()
        .find(|(p, _)| *p == "roles/index.html")
        .expect("roles page");
    assert!(
        roles
            .1
            .contains("<a href=\"../roles/index.html\" aria-current=\"page\">Roles</a>")
    );
    let home = pages
        .iter()
        .find(|(p, _)| *p == "index.html")
        .expect("home page");
    assert!(
        home.1
            .contains("<a href=\"index.html\" aria-current=\"page\">Library</a>")
    );
    assert_eq!(
        home.1.matches("aria-current=\"page\"").count(),
        1,
        "only the active item"
    );
}

#[test]
fn links_are_relative_name_the_file_and_resolve() {
    let files = example_site();
    // Customer pages and data exports are built by other parts of the
    // pipeline; until they land, links into them are left unchecked.
    let customers_built = files.contains_key("customers/index.html");
    for (path, html) in html_pages(&files) {
        for target in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            if target.starts_with('#') || target.starts_with("mailto:") || is_external(target) {
                continue;
            }
            assert!(
                !target.starts_with('/'),
                "{path}: `{target}` must be relative"
            );
            let file = target.split(['#', '?']).next().unwrap_or("");
            assert!(
                !file.is_empty() && !file.ends_with('/'),
                "{path}: `{target}` must name a file"
            );
            let resolved = resolve(path, target);
            if !customers_built
                && (resolved.starts_with("customers/") || resolved.starts_with("data/"))
            {
                continue;
            }
            assert!(
                files.contains_key(&resolved),
                "{path}: `{target}` ({resolved}) does not exist"
            );
        }
    }
}

#[test]
fn nothing_loads_from_another_host() {
    let files = example_site();
    for (path, html) in html_pages(&files) {
        for target in attribute_values(&html, "src") {
            assert!(!is_external(target), "{path}: loads {target}");
        }
        for tag in html.split("<link ").skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            assert!(
                !tag.contains("http:") && !tag.contains("https:") && !tag.contains("\"//"),
                "{path}: {tag}"
            );
        }
    }
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".css") || p.ends_with(".js"))
    {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("@import"), "{path}: imports another file");
        assert!(
            !text.contains("url(http") && !text.contains("url(//"),
            "{path}: loads from another host"
        );
    }
}

#[test]
fn ids_are_unique_on_every_page() {
    let files = example_site();
    for (path, html) in html_pages(&files) {
        let mut seen = BTreeSet::new();
        for id in attribute_values(&html, "id") {
            assert!(seen.insert(id), "{path}: id `{id}` appears twice");
        }
    }
}

#[test]
fn sop_pages_have_step_anchors_and_interactive_checklists() {
    let files = example_site();
    let sop = String::from_utf8(files["sops/kickoff/index.html"].clone()).unwrap();
    assert!(sop.contains("<section id=\"confirm-readiness\" class=\"step\""));
    assert!(
        sop.contains("href=\"#confirm-readiness\""),
        "table of contents links the steps"
    );
    assert!(sop.contains("data-checklist-key=\"step-confirm-readiness\""));
    assert!(sop.contains("<span class=\"checklist-count\" aria-live=\"polite\">0/4 done</span>"));
    assert!(sop.contains("data-checklist-key=\"completion\""));
    assert!(sop.contains("type=\"checkbox\""));
    assert!(sop.contains("class=\"badge status-approved\""));
    let playbook =
        String::from_utf8(files["playbooks/saas-onboarding-playbook/index.html"].clone()).unwrap();
    assert!(playbook.contains("data-checklist-key=\"playbook\""));
    assert!(playbook.contains("class=\"timeline\" style=\"--span: 21\""));
    assert!(playbook.contains("href=\"../../sops/kickoff/index.html#confirm-readiness\""));
    assert!(playbook.contains("45 min"), "agenda total");
}

#[test]
fn content_text_is_escaped() {
    let files = example_site();
    // A tracker in the example names its customer `Globex <b>Industries</b>`.
    let playbook =
        String::from_utf8(files["playbooks/saas-onboarding-playbook/index.html"].clone()).unwrap();
    assert!(
        playbook.contains("Globex &lt;b&gt;Industries&lt;&#x2F;b&gt;")
            || playbook.contains("Globex &lt;b&gt;Industries&lt;/b&gt;")
    );
    assert!(!playbook.contains("<b>Industries</b>"));
}

/// Renders `template`; with `ONBOARD_THEME_PREVIEW=DIR` set (a built site such
/// as `/tmp/theme-out`), also writes the page to `DIR/<preview>` so it can be
/// looked at in a browser next to the real pages.
fn render_preview(template: &str, context: Value, preview: &str) -> String {
    let html = render(template, context);
    if let Ok(dir) = std::env::var("ONBOARD_THEME_PREVIEW") {
        let path = Path::new(&dir).join(preview);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &html).unwrap();
        if template == "share.html" {
            let css = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/share.css");
            std::fs::copy(css, path.with_file_name("share.css")).unwrap();
        }
    }
    html
}

fn render(template: &str, context: Value) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let theme = match theme::load(root, "default") {
        Ok(theme) => theme,
        Err(errors) => panic!("the theme does not load: {errors:?}"),
    };
    let context = tera::Context::from_serialize(&context).expect("context");
    match theme.tera.render(template, &context) {
        Ok(html) => html,
        Err(error) => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(inner) = source {
                text.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            panic!("{template} does not render: {text}")
        }
    }
}

fn base(kind: &str, path: &str, title: &str) -> serde_json::Map<String, Value> {
    let root = "../".repeat(path.matches('/').count());
    let mut map = serde_json::Map::new();
    map.insert("site".into(), json!({ "title": "Northwind", "description": null, "as_of": "2026-01-25", "base_url": null, "has_customers": true, "share_enabled": true }));
    map.insert("root".into(), json!(root));
    map.insert("nav".into(), json!([{ "kind": "customers", "title": "Customers", "url": "customers/index.html", "active": kind == "customers" }]));
    map.insert(
        "page".into(),
        json!({ "kind": kind, "title": title, "path": path }),
    );
    map
}

fn customer_row(name: &str, state: &str) -> Value {
    json!({
        "slug": "acme", "name": name, "tier": "enterprise", "csm": "Jane Smith", "playbook": "saas",
        "start_date": "2026-01-15", "state": state, "state_label": "Late", "progress": { "done": 2, "total": 5 },
        "percent": 40, "next_milestone": "Integration configured", "next_target": "2026-01-22", "max_days_late": 3,
        "open_blockers": 1, "open_actions": 3, "reasons": ["Integration configured is 3 days late"],
        "health": { "engagement": "high", "sentiment": "positive", "risk_level": "medium" }, "url": "customers/acme/index.html"
    })
}

fn dashboard_row(name: &str, state: &str) -> Value {
    json!({
        "slug": "acme", "name": name, "url": "customers/acme/index.html", "state": state, "state_label": "Late",
        "tier": "enterprise", "csm": "Jane Smith", "why": "Waiting on <SSO> metadata",
        "late_milestone": "Integration configured", "days_late": 3, "acts": "customer", "acts_label": "Customer",
        "next_action": { "title": "Send metadata", "owner": "Lena", "due": "2026-01-20", "overdue": true },
        "next_milestone": "Integration configured", "next_target": "2026-01-22",
        "progress": { "done": 2, "total": 5 }, "percent": 40
    })
}

#[test]
fn customers_dashboard_renders_against_the_planned_context() {
    let mut context = base("customers", "customers/index.html", "Customers");
    let bare = json!({
        "slug": "bare", "name": "Bare", "url": "customers/bare/index.html", "state": "complete", "state_label": "Complete",
        "tier": null, "csm": null, "why": null, "late_milestone": null, "days_late": 0, "acts": null, "acts_label": null,
        "next_action": null, "next_milestone": null, "next_target": null, "progress": { "done": 0, "total": 0 }, "percent": 0
    });
    context.insert("list".into(), json!({
        "active": [dashboard_row("Acme <b>Corp</b>", "late")], "active_total": 51,
        "complete": [bare], "complete_total": 1, "page_rows": 50, "data_url": "customers/dashboard.js"
    }));
    context.insert("portfolio".into(), json!({
        "total": 2, "by_state": [["late", "Late", 1], ["at_risk", "At risk", 0], ["on_track", "On track", 0], ["complete", "Complete", 1]],
        "by_tier": [["enterprise", 1], ["unassigned", 1]],
        "by_csm": [{ "csm": "Jane Smith", "customers": 1, "late": 1, "at_risk": 0, "on_time_rate": 50.0, "on_time_milestones": 2 },
                   { "csm": "unassigned", "customers": 1, "late": 0, "at_risk": 0, "on_time_rate": null, "on_time_milestones": 0 }],
        "on_time_rate": 50.0, "kpis_met": 1, "kpis_missed": 1, "kpis_no_data": 1, "attention": ["acme"]
    }));
    context.insert("kpis".into(), json!([
        { "sop": "kickoff", "id": "ttk", "name": "Time to kickoff", "target": "< 5", "target_text": "< 5 business days", "value": 2.0, "value_text": "2 business days", "unit": "business_days", "met": true, "customers": 2, "in_scope": 2, "scope_text": null, "sop_title": "Kickoff", "sop_url": "sops/kickoff/index.html", "measured": true, "description": null, "description_html": null, "measure_text": "median business days from start to kickoff", "chart_svg": "<svg class=\"chart\"></svg>" },
        { "sop": "kickoff", "id": "nps", "name": "NPS", "target": ">= 40", "target_text": "≥ 40", "value": null, "value_text": null, "unit": null, "met": null, "customers": 0, "in_scope": 2, "scope_text": "enterprise customers", "sop_title": "Kickoff", "sop_url": "sops/kickoff/index.html", "measured": true, "description": null, "description_html": null, "measure_text": null, "chart_svg": null }
    ]));
    context.insert("charts".into(), json!({ "on_time_by_csm": "<svg class=\"chart chart-rate\"><rect class=\"rate met\"/></svg>" }));
    let html = render_preview(
        "customers.html",
        Value::Object(context),
        "customers/index.html",
    );
    assert!(html.contains("id=\"customer-table\" data-dashboard=\"active\""));
    assert!(html.contains("id=\"complete-table\" data-dashboard=\"complete\""));
    assert!(
        html.contains("<details class=\"complete-customers\""),
        "complete customers are folded away"
    );
    assert!(html.contains("data-dashboard-data=\"../customers/dashboard.js\""));
    assert!(
        html.contains("Waiting on &lt;SSO&gt; metadata"),
        "the blocker is the why, escaped"
    );
    assert!(html.contains("<span class=\"acts acts-customer\">Customer</span>"));
    assert!(html.contains("Send metadata"));
    assert!(html.contains("<span class=\"overdue\">due <time datetime=\"2026-01-20\">"));
    assert!(
        html.contains("data-label=\"Next action\""),
        "cells are labelled for the card layout"
    );
    assert!(html.contains("<select data-filter=\"state\">"));
    assert!(html.contains("data-filter-text"));
    assert!(html.contains("href=\"../data/customers.csv\""));
    assert!(html.contains("Acme &lt;b&gt;Corp"), "names are escaped");
    assert!(
        html.contains("<rect class=\"rate met\"/>"),
        "charts are printed as SVG"
    );
    assert!(
        !html.contains("Customers by state"),
        "no chart repeats the stat cards"
    );
    assert!(html.contains("href=\"../sops/kickoff/index.html#sop-kpis\""));

    // The same page with nothing but the list: the other blocks are guarded.
    let mut bare = base("customers", "customers/index.html", "Customers");
    bare.insert(
        "portfolio".into(),
        json!({ "total": 1, "by_state": [], "by_tier": [], "by_csm": [] }),
    );
    bare.insert("list".into(), json!({
        "active": [dashboard_row("Acme", "late")], "active_total": 1,
        "complete": [], "complete_total": 0, "page_rows": 50, "data_url": "customers/dashboard.js"
    }));
    let html = render("customers.html", Value::Object(bare));
    assert!(html.contains("id=\"customer-table\""));
    assert!(!html.contains("complete-table"));
}

#[test]
fn customer_page_renders_against_the_planned_context() {
    let mut row = customer_row("Acme", "late");
    let extra = json!({
        "milestones": [
            { "name": "Kickoff completed", "marks": "kickoff", "target_date": "2026-01-16", "actual_date": "2026-01-16", "status": "complete",
              "late": false, "days_late": 0, "blockers": [], "criteria": null, "customer_visible": true, "from_plan": false, "target_from_plan": false },
            { "name": "Integration configured", "marks": null, "target_date": "2026-01-22", "actual_date": null, "status": "in_progress",
              "late": true, "days_late": 3, "blockers": ["Waiting on <SSO> metadata"], "criteria": "SSO works", "customer_visible": false, "from_plan": true, "target_from_plan": true }
        ],
        "stakeholders": [{ "name": "Maria", "role": "executive_sponsor", "side": "customer", "email": "maria@example.com" }],
        "actions": [{ "title": "Send metadata", "owner": "Lena", "side": "customer", "due": "2026-01-26", "done": false }],
        "risks": [{ "title": "SSO delay", "owner": "Jane", "due": null, "mitigation": "Escalate", "severity": "medium" }],
        "scores": { "nps": 45, "csat": 4.6 },
        "updates": [{ "date": "2026-01-16", "visibility": "customer", "html": "<p>Kickoff held.</p>" },
                    { "date": "2026-01-23", "visibility": "internal", "html": "<p>Chased.</p>" }],
        "notes_html": "<p>Identity team changed providers.</p>",
        "timeline_svg": "<svg class=\"chart chart-timeline\"></svg>",
        "ics_url": "customers/acme/milestones.ics",
        "share_url": "share/acme/index.html",
        "playbook": { "id": "saas", "title": "SaaS Onboarding", "url": "playbooks/saas/index.html" }
    });
    for (key, value) in extra.as_object().unwrap() {
        row.as_object_mut()
            .unwrap()
            .insert(key.clone(), value.clone());
    }
    let mut context = base("customer", "customers/acme/index.html", "Acme");
    context.insert("customer".into(), row);
    let html = render_preview(
        "customer.html",
        Value::Object(context),
        "customers/acme/index.html",
    );
    for wanted in [
        "href=\"../../customers/acme/milestones.ics\"",
        "href=\"../../share/acme/index.html\"",
        "href=\"../../playbooks/saas/index.html\"",
        "chart-timeline",
        "Waiting on &lt;SSO&gt; metadata",
        "Internal only",
        "<p>Identity team changed providers.</p>",
        "mailto:maria@example.com",
        "SSO delay",
        "Shared with the customer",
    ] {
        assert!(html.contains(wanted), "customer page lacks {wanted}");
    }

    // A minimal customer: a row without any of the extra fields.
    let mut context = base("customer", "customers/acme/index.html", "Acme");
    context.insert("customer".into(), customer_row("Acme", "on_track"));
    render("customer.html", Value::Object(context));
}

#[test]
fn share_page_is_self_contained() {
    let context = json!({ "share": {
        "name": "Acme <Corp>", "csm": "Jane Smith", "site_title": "Northwind", "organization": "Northwind", "language": "en", "brand": { "logo": null, "favicon": "favicon.svg", "favicon_type": "image/svg+xml", "accent": null, "accent_text": null }, "as_of": "2026-01-25",
        "progress": { "done": 2, "total": 5 }, "percent": 40,
        "milestones": [
            { "name": "Kickoff completed", "target_date": "2026-01-16", "actual_date": "2026-01-16", "status": "complete", "criteria": null, "blockers": [], "late": false, "days_late": 0 },
            { "name": "Integration configured", "target_date": "2026-01-22", "actual_date": null, "status": "in_progress", "criteria": "SSO works", "blockers": ["SSO metadata"], "late": true, "days_late": 3 }
        ],
        "actions": [{ "title": "Send metadata", "owner": "Lena", "side": "customer", "due": "2026-01-26", "done": false }],
        "stakeholders": [{ "name": "Maria", "role": "executive_sponsor", "side": "customer", "email": null }],
        "updates": [{ "date": "2026-01-16", "html": "<p>Kickoff held.</p>" }],
        "timeline_svg": "<svg class=\"chart\"></svg>"
    }});
    let html = render_preview("share.html", context, "share/acme/index.html");
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"share.css\">"));
    assert!(html.contains("href=\"milestones.ics\""));
    assert!(html.contains("Acme &lt;Corp&gt;"));
    assert!(html.contains("<p>Kickoff held.</p>"));
    assert!(html.contains("Past target by 3 days"));
    assert!(
        !html.contains("style.css") && !html.contains("onboard.js"),
        "no internal assets"
    );
    assert!(
        !html.contains("role=\"search\"") && !html.contains("<nav"),
        "no search, no nav"
    );
    for target in attribute_values(&html, "href") {
        assert!(
            target == "share.css"
                || target == "milestones.ics"
                || target.starts_with('#')
                || target.starts_with("mailto:")
                || target == "favicon.svg",
            "share page links outside its folder: {target}"
        );
    }

    // Nothing but a name still renders.
    render("share.html", json!({ "share": { "name": "Bare" } }));
}

#[test]
fn playbook_flags_an_agenda_that_does_not_fit_the_meeting() {
    let mut context = base("playbook", "playbooks/p/index.html", "P");
    context.insert("playbook".into(), json!({
        "id": "p", "title": "P", "summary": null, "tiers": [], "tags": [], "defaults": [],
        "phases": [{ "id": "one", "name": "One", "first_day": null, "last_day": null, "summary_html": null,
                     "refs": [{ "text": "missing", "url": null, "title": "missing" }] }],
        "span_days": 0, "milestones": [], "checklist": [], "do": ["<em>Agree</em> first value"], "dont": [], "pitfalls": [],
        "meeting": { "duration": "45 minutes", "minutes": 45, "attendees": { "customer": ["executive_sponsor"], "internal": [] } },
        "agenda": [{ "topic": "Intro", "duration": "30 min", "minutes": 30, "notes": null },
                   { "topic": "Plan", "duration": "soon", "minutes": null, "notes": "n" }],
        "agenda_total_minutes": 30, "agenda_matches_meeting": false, "body_html": "", "customers": []
    }));
    let html = render("playbook.html", Value::Object(context));
    assert!(
        html.contains(
            "The agenda adds up to 30 minutes, but the meeting is booked for 45 minutes."
        )
    );
    assert!(
        html.contains("<li><em>Agree</em> first value</li>"),
        "do items are HTML"
    );
    assert!(html.contains("Executive sponsor"));
    assert!(
        !html.contains("class=\"timeline\""),
        "no timeline without day ranges"
    );
}

#[test]
fn the_status_page_says_who_acts_and_its_timeline_opens_at_today() {
    let files = example_site();
    let page = |path: &str| String::from_utf8(files[path].clone()).expect("UTF-8 page");
    let acme = page("customers/acme/index.html");
    // Acme's next action is owned by a customer-side stakeholder.
    assert!(
        acme.contains("Who acts: <span class=\"acts acts-customer\">Customer</span>"),
        "the situation header says who acts"
    );
    // The timeline's scroll box holds an anchor on the today line.
    for html in [&acme, &page("share/acme/index.html")] {
        let anchor = html
            .find("<span class=\"today-anchor\" style=\"left: ")
            .expect("a today anchor");
        let percent: f64 = html[anchor..]
            .split("left: ")
            .nth(1)
            .and_then(|rest| rest.split('%').next())
            .and_then(|n| n.parse().ok())
            .expect("a percentage");
        assert!(percent > 0.0 && percent < 100.0, "{percent}");
        let scroll = html.find("class=\"chart-scroll\"").unwrap();
        assert!(scroll < anchor, "the anchor is inside the scroll box");
    }
}
