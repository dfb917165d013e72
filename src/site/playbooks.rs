//! Playbooks: default ids, the SOPs their phases and milestones name, and
//! each plan milestone's offset, parsed (by tier when it is a map).

use super::resolve::{FirstClaims, check_folder_name, closest, written_or};
use super::sops::check_sop_ref;
use super::{PlanOffset, PlaybookEntry, SopEntry};
use crate::calendar::Offset;
use crate::diagnostics::Place;
use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::model::{OffsetSpec, Playbook, Spanned};

/// The playbooks in order of id, each id claimed by the first file that
/// writes it, with their references checked and their offsets parsed.
pub(super) fn resolve_playbooks(
    playbooks: Vec<Loaded<Playbook>>,
    sop_entries: &[SopEntry],
    report: &mut Reporter<'_>,
) -> Vec<PlaybookEntry> {
    let mut playbook_entries = Vec::new();
    let mut claims = FirstClaims::new(
        "playbook id",
        "duplicate-id",
        "give each playbook a unique `id:` (it defaults to the file name)",
    );
    for loaded in playbooks {
        let (id, id_place) = written_or(
            &loaded,
            loaded.doc.id.as_ref(),
            || loaded.stem.clone(),
            || loaded.place(),
        );
        check_folder_name("playbook id", &id, &id_place, report);
        if !claims.claim(&id, &loaded.file.name, &id_place, report) {
            continue;
        }
        check_playbook_refs(&id, &loaded, sop_entries, report);
        let offsets = loaded
            .doc
            .milestones
            .iter()
            .map(|m| plan_offset(&loaded, m.offset.as_ref()?, report))
            .collect();
        playbook_entries.push(PlaybookEntry {
            id,
            loaded,
            offsets,
        });
    }
    playbook_entries.sort_by(|a, b| a.id.cmp(&b.id));
    playbook_entries
}

/// Reports the SOPs that a playbook's phases and milestones name but the
/// site does not have, and milestones in a phase the playbook lacks.
fn check_playbook_refs(
    id: &str,
    loaded: &Loaded<Playbook>,
    sop_entries: &[SopEntry],
    report: &mut Reporter<'_>,
) {
    for phase in &loaded.doc.phases {
        for reference in &phase.sops {
            check_sop_ref(&reference.value, sop_entries, loaded, reference, report);
        }
    }
    let phase_ids: Vec<String> = loaded.doc.phases.iter().map(super::phase_id).collect();
    for milestone in &loaded.doc.milestones {
        for reference in &milestone.sops {
            check_sop_ref(&reference.value, sop_entries, loaded, reference, report);
        }
        if let Some(phase) = &milestone.phase
            && !phase_ids.iter().any(|id| id == phase.value.trim())
        {
            report.error(
                "unresolved-reference",
                &loaded.place_of(phase),
                format!("the playbook `{id}` has no phase `{}`", phase.value),
                if phase_ids.is_empty() {
                    "this playbook defines no `phases:`".to_string()
                } else {
                    format!("its phases are: {}", phase_ids.join(", "))
                },
            );
        }
    }
}

/// A plan milestone's offset, parsed; `None` after reporting what is wrong
/// with it. A map by tier needs a `default`, and when the playbook lists
/// its `tiers:`, names only those.
fn plan_offset(
    loaded: &Loaded<Playbook>,
    written: &Spanned<OffsetSpec>,
    report: &mut Reporter<'_>,
) -> Option<PlanOffset> {
    let entries = match &written.value {
        OffsetSpec::One(text) => {
            return parse_offset(text, loaded.place_of(written), report)
                .map(PlanOffset::same_for_all);
        }
        OffsetSpec::ByTier(entries) => entries,
    };
    let mut default = None;
    let mut by_tier = Vec::new();
    let mut valid = true;
    for (tier, text) in entries {
        let offset = parse_offset(&text.value, loaded.place_of(text), report);
        valid &= offset.is_some();
        if tier.value == "default" {
            default = offset;
            continue;
        }
        valid &= check_offset_tier(loaded, tier, report);
        if let Some(offset) = offset {
            by_tier.push((tier.value.clone(), offset));
        }
    }
    let has_default = entries.iter().any(|(tier, _)| tier.value == "default");
    if !has_default {
        report.error(
            "invalid-offset",
            &loaded.place_of(written),
            "this offset by tier has no `default`",
            "add `default:` with the offset for customers of any other tier, or of none, \
             such as `{ default: 30 days, enterprise: 90 days }`",
        );
    }
    match (valid, default) {
        (true, Some(default)) => Some(PlanOffset { default, by_tier }),
        _ => None,
    }
}

/// An offset such as `5 business days`, or `None` after reporting at `at`
/// why it cannot be read.
fn parse_offset(text: &str, at: Place, report: &mut Reporter<'_>) -> Option<Offset> {
    match text.parse::<Offset>() {
        Ok(offset) => Some(offset),
        Err(message) => {
            report.error(
                "invalid-offset",
                &at,
                format!("cannot read the offset `{text}`"),
                message,
            );
            None
        }
    }
}

/// Whether a tier of an offset map is one the playbook lists in `tiers:`
/// (any tier is, when it lists none); reports it when not.
fn check_offset_tier(
    loaded: &Loaded<Playbook>,
    tier: &Spanned<String>,
    report: &mut Reporter<'_>,
) -> bool {
    let declared = &loaded.doc.tiers;
    if declared.is_empty() || declared.contains(&tier.value) {
        return true;
    }
    report.error(
        "unknown-tier",
        &loaded.place_of(tier),
        format!(
            "`{}` is not one of this playbook's tiers ({})",
            tier.value,
            declared.join(", ")
        ),
        match closest(&tier.value, declared.iter().map(String::as_str)) {
            Some(near) => {
                format!("did you mean `{near}`? Name a tier from `tiers:`, or add it there")
            }
            None => "name a tier from `tiers:`, or add it there".to_string(),
        },
    );
    false
}
