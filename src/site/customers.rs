//! Customers: each tracker's slug, its playbook, its milestones as planned
//! ([`super::plan`]) and its status as of the site's date
//! ([`crate::status::assess`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::plan::plan_milestones;
use super::resolve::{FirstClaims, written_or};
use super::{Customer, PlaybookEntry};
use crate::calendar::WorkCalendar;
use crate::config::LintLevel;
use crate::diagnostics::lints::Reporter;
use crate::diagnostics::{Diagnostics, Place};
use crate::load::Loaded;
use crate::model::{Spanned, Tracker, slugify};
use crate::status::{self, CustomerFacts};

/// The customers in order of slug. Slugs are claimed in file order, so
/// the first file keeps a slug; the customers, each independent of the
/// others, then resolve on all cores, their diagnostics kept in file order.
pub(super) fn resolve_customers(
    trackers: Vec<Loaded<Tracker>>,
    playbook_entries: &[PlaybookEntry],
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    lint_levels: &BTreeMap<String, Spanned<LintLevel>>,
    report: &mut Reporter<'_>,
) -> Vec<Customer> {
    let mut unique = Vec::new();
    let mut claims = FirstClaims::new(
        "customer slug",
        "duplicate-slug",
        "set a unique `slug:` under `customer:`",
    );
    for loaded in trackers {
        let Some((slug, slug_place)) = customer_slug(&loaded, report) else {
            continue;
        };
        if !claims.claim(&slug, &loaded.file.name, &slug_place, report) {
            continue;
        }
        unique.push((loaded, slug));
    }
    let resolved: Vec<(Customer, Diagnostics)> = unique
        .into_par_iter()
        .with_max_len(64)
        .map(|(loaded, slug)| {
            let mut own = Reporter::new(lint_levels);
            let customer =
                resolve_customer(loaded, slug, playbook_entries, calendar, as_of, &mut own);
            (customer, own.diagnostics)
        })
        .collect();
    let mut customers = Vec::with_capacity(resolved.len());
    for (customer, diagnostics) in resolved {
        report.diagnostics.extend(diagnostics.0);
        customers.push(customer);
    }
    customers.par_sort_by(|a, b| a.slug.cmp(&b.slug));
    customers
}

/// A tracker's slug as written (or made from its name) and where it
/// stands, or `None` after reporting that it cannot be used in a URL.
pub fn customer_slug(
    loaded: &Loaded<Tracker>,
    report: &mut Reporter<'_>,
) -> Option<(String, Place)> {
    let customer = &loaded.doc.customer;
    let (slug, slug_place) = written_or(
        loaded,
        customer.slug.as_ref(),
        || slugify(&customer.name.value),
        || loaded.place_of(&customer.name),
    );
    if slug.is_empty() || slug != slugify(&slug) {
        report.error(
            "invalid-slug",
            &slug_place,
            format!("`{slug}` cannot be used in a URL"),
            "use lowercase letters, digits and hyphens, such as `acme-corp`",
        );
        return None;
    }
    Some((slug, slug_place))
}

/// One tracker with a unique `slug`: its playbook, its milestones as
/// planned, then its status as of `as_of` ([`status::assess`]). A
/// customer depends on no other customer, which is what lets `serve`
/// resolve an edited tracker alone.
pub fn resolve_customer(
    loaded: Loaded<Tracker>,
    slug: String,
    playbooks: &[PlaybookEntry],
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    report: &mut Reporter<'_>,
) -> Customer {
    let playbook = customer_playbook(&loaded, playbooks, report);
    let mut milestones = plan_milestones(&loaded, playbook, calendar, as_of, report);
    let facts = CustomerFacts::of(&loaded.doc);
    let status = status::assess(&mut milestones, &facts, as_of, calendar);
    Customer {
        slug,
        playbook: playbook.map(|p| p.id.clone()),
        loaded,
        milestones,
        status,
    }
}

/// The playbook a tracker names, or `None` when it names none or, after
/// reporting it, one the site lacks.
fn customer_playbook<'p>(
    loaded: &Loaded<Tracker>,
    playbooks: &'p [PlaybookEntry],
    report: &mut Reporter<'_>,
) -> Option<&'p PlaybookEntry> {
    let reference = loaded.doc.customer.playbook.as_ref()?;
    let found = playbooks.iter().find(|p| p.id == reference.value);
    if found.is_none() {
        let known: Vec<&str> = playbooks.iter().map(|p| p.id.as_str()).collect();
        report.error(
            "unknown-playbook",
            &loaded.place_of(reference),
            format!("there is no playbook `{}`", reference.value),
            if known.is_empty() {
                "no playbooks are defined under playbooks/".to_string()
            } else {
                format!("known playbooks: {}", known.join(", "))
            },
        );
    }
    found
}
