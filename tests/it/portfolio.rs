//! A portfolio whose figures were worked out by hand, checked field by field
//! through the exports: states, progress, days late, target dates derived
//! from the playbook with a holiday in the way, KPIs and the on-time rate.
//!
//! The fixture (tests/sites/valid, as of Sunday 2026-01-25, holiday Monday
//! 2026-01-19, playbook `standard`: kickoff 3 business days, integration
//! 7 days, first value 14 days):
//! - acme starts Wednesday 2026-01-14. Kickoff target: Thu 15, Fri 16, (Mon
//!   19 is a holiday) Tue 20 → 2026-01-20; done 2026-01-16, on time.
//!   Integration: 2026-01-21, open, 4 days late. First value (added from the
//!   plan): 2026-01-28, pending. State late, progress 1/3, time to kickoff
//!   2 business days (Thu, Fri).
//! - globex starts Monday 2026-01-05, no playbook, both milestones done on or
//!   before target: complete, 2/2, kickoff in 2 business days, first value
//!   in 15 days.
//! - initech starts Thursday 2026-01-22; kickoff target Fri 23, Mon 26,
//!   Tue 27 → 2026-01-27, blocked: at risk, 0/3.
//! - Time to kickoff, median over acme and globex: 2 business days, met
//!   (< 5), 2 customers; initech is left out, not guessed.
//! - On-time rate: 3 completed milestones with targets, all on time: 100%.

use std::path::Path;

use serde_json::{Value, json};

fn fixture_site() -> onboard::site::Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/valid");
    let (content, diagnostics) = onboard::load::load_site(&root).unwrap();
    assert!(diagnostics.is_empty(), "{diagnostics}");
    let (site, diagnostics) = onboard::site::resolve(content, Default::default());
    assert!(!diagnostics.has_errors(), "{diagnostics}");
    site
}

fn customers_json() -> Value {
    let site = fixture_site();
    serde_json::from_str(&onboard::render::exports::customers_json(&site)).unwrap()
}

fn customer<'a>(all: &'a Value, slug: &str) -> &'a Value {
    all["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == slug)
        .unwrap_or_else(|| panic!("no customer {slug}"))
}

#[test]
fn customers_are_sorted_by_slug_as_of_the_config_date() {
    let all = customers_json();
    assert_eq!(all["as_of"], "2026-01-25");
    let slugs: Vec<&str> = all["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["acme-corp", "globex", "initech"]);
}

#[test]
fn acme_is_late_with_targets_derived_around_the_holiday() {
    let all = customers_json();
    let acme = customer(&all, "acme-corp");
    assert_eq!(acme["name"], "Acme Corp");
    assert_eq!(acme["tier"], "enterprise");
    assert_eq!(acme["csm"], "Jane Smith");
    assert_eq!(acme["playbook"], "standard");
    assert_eq!(acme["start_date"], "2026-01-14");
    assert_eq!(acme["state"], "late");
    assert_eq!(acme["progress"], json!({ "done": 1, "total": 3 }));
    assert_eq!(acme["next_milestone"], "Integration configured");
    assert_eq!(acme["time_to_kickoff_business_days"], 2);
    assert_eq!(acme["time_to_first_value_days"], Value::Null);
    assert_eq!(
        acme["milestones"],
        json!([
            { "name": "Kickoff completed", "marks": "kickoff", "target_date": "2026-01-20", "actual_date": "2026-01-16", "status": "complete", "late": false, "days_late": 0 },
            { "name": "Integration configured", "marks": null, "target_date": "2026-01-21", "actual_date": null, "status": "in_progress", "late": true, "days_late": 4 },
            { "name": "First value achieved", "marks": "first_value", "target_date": "2026-01-28", "actual_date": null, "status": "pending", "late": false, "days_late": 0 },
        ])
    );
}

#[test]
fn globex_is_complete() {
    let all = customers_json();
    let globex = customer(&all, "globex");
    assert_eq!(globex["name"], "Globex <b>Industries</b>");
    assert_eq!(globex["state"], "complete");
    assert_eq!(globex["progress"], json!({ "done": 2, "total": 2 }));
    assert_eq!(globex["next_milestone"], Value::Null);
    assert_eq!(globex["playbook"], Value::Null);
    assert_eq!(globex["time_to_kickoff_business_days"], 2);
    assert_eq!(globex["time_to_first_value_days"], 15);
}

#[test]
fn initech_is_at_risk_with_a_blocked_kickoff() {
    let all = customers_json();
    let initech = customer(&all, "initech");
    assert_eq!(initech["state"], "at_risk");
    assert_eq!(initech["progress"], json!({ "done": 0, "total": 3 }));
    assert_eq!(initech["milestones"][0]["target_date"], "2026-01-27");
    assert_eq!(initech["milestones"][0]["status"], "blocked");
    assert_eq!(initech["milestones"][0]["late"], false);
    assert_eq!(initech["time_to_kickoff_business_days"], Value::Null);
}

#[test]
fn kpis_are_computed_over_the_portfolio_and_compared_with_targets() {
    let site = fixture_site();
    let kpis = onboard::kpi::compute_kpis(&site);
    let json: Value =
        serde_json::from_str(&onboard::render::exports::kpis_json(site.as_of, &kpis)).unwrap();
    assert_eq!(json["as_of"], "2026-01-25");
    assert_eq!(
        json["kpis"],
        json!([{ "sop": "kickoff", "id": "time-to-kickoff", "name": "Time to kickoff", "target": "< 5", "value": 2.0, "unit": "business_days", "met": true, "customers": 2, "applies_to": null, "in_scope": 3 }])
    );
    let csv = onboard::render::exports::kpis_csv(&kpis);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "sop,id,name,target,value,unit,met,customers,playbooks,tiers,in_scope"
    );
    assert_eq!(
        lines[1],
        "kickoff,time-to-kickoff,Time to kickoff,< 5,2,business_days,true,2,,,3"
    );
}

#[test]
fn the_portfolio_counts_states_and_the_on_time_rate() {
    let site = fixture_site();
    let kpis = onboard::kpi::compute_kpis(&site);
    let portfolio = onboard::kpi::portfolio(&site, &kpis);
    assert_eq!(portfolio.total, 3);
    let by_state: Vec<(&str, usize)> = portfolio
        .by_state
        .iter()
        .map(|(s, _, n)| (s.as_str(), *n))
        .collect();
    assert_eq!(
        by_state,
        [
            ("late", 1),
            ("at_risk", 1),
            ("on_track", 0),
            ("complete", 1)
        ]
    );
    // Three milestones done on time and Acme's late one, open past its
    // target: it counts as not on time.
    assert_eq!(portfolio.on_time_rate, Some(75.0));
    assert_eq!(portfolio.on_time_milestones, 4);
    assert_eq!(portfolio.kpis_met, 1);
    assert_eq!(portfolio.attention, ["acme-corp", "initech"]);
}
