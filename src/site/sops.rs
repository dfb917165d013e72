//! SOPs and roles: default ids, merged roles, step owners and references
//! to `sop#step`, each checked against what the site declares.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::resolve::{FirstClaims, check_folder_name, written_or};
use super::{BuildOptions, ReviewCycle, RoleEntry, SopEntry, SopRef};
use crate::diagnostics::Place;
use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::measure::{KpiDef, KpiScope, Measure};
use crate::model::{Playbook, Role, Sop, SopStatus, slugify};
use crate::target::Target;

pub(super) fn resolve_roles(
    site_roles: &[Loaded<Role>],
    sops: &[Loaded<Sop>],
    report: &mut Reporter<'_>,
) -> Vec<RoleEntry> {
    let mut roles: Vec<RoleEntry> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for loaded in site_roles {
        let role = &loaded.doc;
        if index.contains_key(&role.id.value) {
            report.error(
                "duplicate-id",
                &loaded.place_of(&role.id),
                format!(
                    "the role `{}` is declared twice in playbooks/roles.yaml",
                    role.id.value
                ),
                "keep one declaration per role id",
            );
            continue;
        }
        index.insert(role.id.value.clone(), roles.len());
        roles.push(role_entry(role, None, loaded.place_of(&role.id)));
    }
    for loaded in sops {
        let sop_id = loaded
            .doc
            .id
            .as_ref()
            .map(|i| i.value.clone())
            .unwrap_or_else(|| loaded.stem.clone());
        let mut own = HashSet::new();
        for role in &loaded.doc.roles {
            if !own.insert(role.id.value.clone()) {
                report.error(
                    "duplicate-id",
                    &loaded.place_of(&role.id),
                    format!("the role `{}` is declared twice in this SOP", role.id.value),
                    "keep one declaration per role id",
                );
                continue;
            }
            if !index.contains_key(&role.id.value) {
                index.insert(role.id.value.clone(), roles.len());
                roles.push(role_entry(
                    role,
                    Some(sop_id.clone()),
                    loaded.place_of(&role.id),
                ));
            }
        }
    }
    roles
}

fn role_entry(role: &Role, declared_in: Option<String>, declared_at: Place) -> RoleEntry {
    RoleEntry {
        id: role.id.value.clone(),
        name: role.name.clone(),
        responsibilities: role.responsibilities.clone(),
        escalates_to: role.escalates_to.as_ref().map(|e| e.value.clone()),
        declared_in,
        declared_at,
    }
}

pub(super) fn check_role_ref<T>(
    reference: Option<&crate::model::Spanned<String>>,
    role_ids: &HashSet<&str>,
    loaded: &Loaded<T>,
    report: &mut Reporter<'_>,
    what: &str,
) {
    let Some(reference) = reference else { return };
    if !role_ids.contains(reference.value.as_str()) {
        let mut known: Vec<&str> = role_ids.iter().copied().collect();
        known.sort_unstable();
        report.error(
            "unknown-role",
            &loaded.place_of(reference),
            format!(
                "{what} names the role `{}`, which is not declared",
                reference.value
            ),
            format!(
                "declare it in playbooks/roles.yaml or under this SOP's `roles:`; known roles: {}",
                known.join(", ")
            ),
        );
    }
}

pub(super) fn resolve_sop(
    id: String,
    loaded: Loaded<Sop>,
    role_ids: &HashSet<&str>,
    as_of: NaiveDate,
    options: &BuildOptions,
    report: &mut Reporter<'_>,
) -> SopEntry {
    let sop = &loaded.doc;
    if sop.kind.value != "sop" {
        report.error(
            "unknown-kind",
            &loaded.place_of(&sop.kind),
            "expected `kind: sop`",
            "",
        );
    }
    check_sop_roles(&loaded, role_ids, report);
    let step_ids = step_ids(&loaded, report);
    let review_due = review_due(&loaded, report);
    let review_overdue = review_due.is_some_and(|due| due < as_of);
    let kpis = kpi_defs(&loaded, report);
    let published = options.drafts || sop.status != SopStatus::Draft;
    SopEntry {
        id,
        loaded,
        step_ids,
        review_due,
        review_overdue,
        kpis,
        published,
    }
}

/// Every role an SOP names (owner, escalations, step owners, approvals)
/// must be a known role.
fn check_sop_roles(loaded: &Loaded<Sop>, role_ids: &HashSet<&str>, report: &mut Reporter<'_>) {
    let sop = &loaded.doc;
    check_role_ref(sop.owner.as_ref(), role_ids, loaded, report, "owner");
    for role in &sop.roles {
        check_role_ref(
            role.escalates_to.as_ref(),
            role_ids,
            loaded,
            report,
            "escalates_to",
        );
    }
    for step in &sop.steps {
        check_role_ref(step.owner.as_ref(), role_ids, loaded, report, "owner");
        if let Some(escalation) = &step.escalation {
            check_role_ref(
                Some(&escalation.to),
                role_ids,
                loaded,
                report,
                "escalation.to",
            );
        }
    }
    for approval in &sop.approvals {
        check_role_ref(
            Some(&approval.role),
            role_ids,
            loaded,
            report,
            "approvals.role",
        );
    }
}

/// The anchor of each step: its `id:`, else its title slugified; each must
/// be usable as an anchor and unique in the SOP.
fn step_ids(loaded: &Loaded<Sop>, report: &mut Reporter<'_>) -> Vec<String> {
    let mut step_ids = Vec::new();
    let mut seen = HashSet::new();
    for step in &loaded.doc.steps {
        let (step_id, place) = written_or(
            loaded,
            step.id.as_ref(),
            || slugify(&step.title.value),
            || loaded.place_of(&step.title),
        );
        if step_id.is_empty() || step_id != slugify(&step_id) {
            report.error(
                "invalid-id",
                &place,
                format!("the step id `{step_id}` cannot be used as an anchor"),
                "use lowercase letters, digits and hyphens",
            );
        }
        if !seen.insert(step_id.clone()) {
            report.error(
                "duplicate-id",
                &place,
                format!("the step id `{step_id}` is used twice in this SOP"),
                "give the step a unique `id:`",
            );
        }
        step_ids.push(step_id);
    }
    step_ids
}

/// The day the SOP's next review is due: its last review plus its cycle.
fn review_due(loaded: &Loaded<Sop>, report: &mut Reporter<'_>) -> Option<NaiveDate> {
    let sop = &loaded.doc;
    let written = sop.review_cycle.as_ref()?;
    let Some(cycle) = ReviewCycle::parse(&written.value) else {
        report.error(
            "invalid-review-cycle",
            &loaded.place_of(written),
            format!("`{}` is not a review cycle", written.value),
            "use monthly, quarterly, semiannual, annual or a number of days from 1d to 36525d",
        );
        return None;
    };
    let last = sop.last_reviewed.map(|d| d.0)?;
    let due = cycle.next_after(last);
    if due.is_none() {
        report.error(
            "invalid-review-cycle",
            &loaded.place_of(written),
            format!(
                "a review `{}` after {last} falls after {}, the last day onboard plans for",
                written.value,
                crate::calendar::LAST_DAY
            ),
            "check `last_reviewed:` and `review_cycle:`",
        );
    }
    due
}

/// The SOP's KPIs with their ids, targets, measures and scopes parsed.
fn kpi_defs(loaded: &Loaded<Sop>, report: &mut Reporter<'_>) -> Vec<KpiDef> {
    let mut kpis = Vec::new();
    let mut kpi_ids = HashSet::new();
    for kpi in &loaded.doc.kpis {
        let kpi_id = kpi.id.clone().unwrap_or_else(|| slugify(&kpi.name));
        if !kpi_ids.insert(kpi_id.clone()) {
            report.error(
                "duplicate-id",
                &loaded.place(),
                format!("the KPI id `{kpi_id}` is used twice in this SOP"),
                "give the KPI a unique `id:`",
            );
        }
        let target = kpi
            .target
            .as_ref()
            .and_then(|t| match t.value.parse::<Target>() {
                Ok(target) => Some(target),
                Err(message) => {
                    report.error(
                        "invalid-target",
                        &loaded.place_of(t),
                        format!("cannot read the KPI target `{}`", t.value),
                        message,
                    );
                    None
                }
            });
        let measure = kpi
            .measure
            .as_ref()
            .and_then(|m| Measure::parse(m, loaded, report));
        kpis.push(KpiDef {
            id: kpi_id,
            name: kpi.name.clone(),
            target_text: kpi.target.as_ref().map(|t| t.value.clone()),
            target,
            measure,
            description: kpi.description.clone(),
            scope: kpi
                .applies_to
                .as_ref()
                .map(|a| KpiScope {
                    playbooks: a.playbooks.iter().map(|p| p.value.clone()).collect(),
                    tiers: a.tiers.iter().map(|t| t.value.clone()).collect(),
                })
                .unwrap_or_default(),
        });
    }
    kpis
}

pub(super) fn check_sop_ref(
    text: &str,
    sops: &[SopEntry],
    loaded: &Loaded<Playbook>,
    at: &crate::model::Spanned<String>,
    report: &mut Reporter<'_>,
) {
    let reference = SopRef::parse(text);
    let Some(sop) = sops.iter().find(|s| s.id == reference.sop) else {
        let known: Vec<&str> = sops.iter().map(|s| s.id.as_str()).collect();
        report.error(
            "unresolved-reference",
            &loaded.place_of(at),
            format!("there is no SOP `{}`", reference.sop),
            format!("known SOPs: {}", known.join(", ")),
        );
        return;
    };
    if let Some(step) = &reference.step
        && !sop.step_ids.contains(step)
    {
        report.error(
            "unresolved-reference",
            &loaded.place_of(at),
            format!("the SOP `{}` has no step `{step}`", sop.id),
            format!("its steps are: {}", sop.step_ids.join(", ")),
        );
    }
}

/// The SOPs in order of id, each id claimed by the first file that
/// writes it.
pub(super) fn resolve_sops(
    sops: Vec<Loaded<Sop>>,
    role_ids: &HashSet<&str>,
    as_of: NaiveDate,
    options: &BuildOptions,
    report: &mut Reporter<'_>,
) -> Vec<SopEntry> {
    let mut sop_entries = Vec::new();
    let mut claims = FirstClaims::new(
        "SOP id",
        "duplicate-id",
        "give each SOP a unique `id:` (it defaults to the file name)",
    );
    for loaded in sops {
        let (id, id_place) = written_or(
            &loaded,
            loaded.doc.id.as_ref(),
            || loaded.stem.clone(),
            || loaded.place(),
        );
        check_folder_name("SOP id", &id, &id_place, report);
        if !claims.claim(&id, &loaded.file.name, &id_place, report) {
            continue;
        }
        let entry = resolve_sop(id, loaded, role_ids, as_of, options, report);
        sop_entries.push(entry);
    }
    sop_entries.sort_by(|a, b| a.id.cmp(&b.id));
    sop_entries
}
