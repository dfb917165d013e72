//! Resolution: loaded documents → a validated [`Site`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::plan::plan_milestones;
use super::sops::{check_role_ref, check_sop_ref, resolve_roles, resolve_sop};
use super::{BuildOptions, Customer, PageEntry, PlanOffset, PlaybookEntry, Site, SopEntry};
use crate::calendar::{Offset, WorkCalendar};
use crate::config::{Config, LintLevel};
use crate::diagnostics::lints::Reporter;
use crate::diagnostics::{Diagnostics, Place, SourceFile};
use crate::load::{Content, Loaded};
use crate::model::{OffsetSpec, PageMeta, Playbook, Sop, Spanned, Tracker, slugify};
use crate::status::{self, CustomerFacts};

/// The date status is computed against: the option, the config, or today.
pub fn effective_as_of(config: &Config, options: &BuildOptions) -> NaiveDate {
    options
        .as_of
        .or(config.as_of.map(|d| d.0))
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Validates and resolves loaded content. Returns the site even when there
/// are errors, so that `check` can run every other rule.
pub fn resolve(content: Content, options: BuildOptions) -> (Site, Diagnostics) {
    let Content {
        config,
        config_file,
        roles: site_roles,
        sops,
        playbooks,
        trackers,
        pages,
    } = content;
    let as_of = effective_as_of(&config, &options);
    let calendar = config.calendar.work_calendar();
    let lint_levels = config.lints.clone();
    let mut report = Reporter::new(&lint_levels);

    if let Some(file) = &config_file {
        check_config(&config, file, &mut report);
    }
    let roles = resolve_roles(&site_roles, &sops, &mut report);
    let role_ids: HashSet<&str> = roles.iter().map(|r| r.id.as_str()).collect();
    for (role, loaded) in site_roles.iter().map(|r| (&r.doc, r)) {
        check_role_ref(
            role.escalates_to.as_ref(),
            &role_ids,
            loaded,
            &mut report,
            "escalates_to",
        );
    }
    let sops = resolve_sops(sops, &role_ids, as_of, &options, &mut report);
    let playbooks = resolve_playbooks(playbooks, &sops, &mut report);
    let customers = resolve_customers(
        trackers,
        &playbooks,
        &calendar,
        as_of,
        &lint_levels,
        &mut report,
    );
    check_kpi_scopes(&sops, &playbooks, &customers, &mut report);
    let skipped_pages: Vec<String> = pages
        .iter()
        .filter(|p| !options.drafts && p.doc.draft)
        .map(|p| p.file.name.clone())
        .collect();
    let pages = resolve_pages(pages, options.drafts, &mut report);

    let site = Site {
        config,
        config_file,
        calendar,
        as_of,
        roles,
        sops,
        playbooks,
        customers,
        pages,
        skipped_pages,
        options,
    };
    (site, report.diagnostics)
}

/// Reports `onboard.yaml` values that resolve cannot use: days that are
/// not weekdays, lints that do not exist, and the values
/// [`check_config_values`] checks.
fn check_config(config: &Config, file: &Arc<SourceFile>, report: &mut Reporter<'_>) {
    for day in &config.calendar.workdays {
        if crate::calendar::parse_weekday(&day.value).is_none() {
            report.error(
                "invalid-weekday",
                &Place::at(
                    file,
                    day.referenced.line() as usize,
                    day.referenced.column() as usize,
                ),
                format!("`{}` is not a day of the week", day.value),
                "write days as mon, tue, wed, thu, fri, sat or sun",
            );
        }
    }
    for (name, level) in &config.lints {
        if !crate::diagnostics::lints::ALL
            .iter()
            .any(|l| l.name == name)
        {
            report.lint(
                "unknown-lint",
                &Place::at(file, level.referenced.line() as usize, 1),
                format!("there is no lint named `{name}`"),
                "see the list of lints in the README",
            );
        }
    }
    check_config_values(config, file, report);
}

/// The SOPs in order of id, each id claimed by the first file that
/// writes it.
fn resolve_sops(
    sops: Vec<Loaded<Sop>>,
    role_ids: &HashSet<&str>,
    as_of: NaiveDate,
    options: &BuildOptions,
    report: &mut Reporter<'_>,
) -> Vec<SopEntry> {
    let mut sop_entries = Vec::new();
    let mut seen_sops: HashMap<String, Place> = HashMap::new();
    for loaded in sops {
        let (id, id_place) = written_or(
            &loaded,
            loaded.doc.id.as_ref(),
            || loaded.stem.clone(),
            || loaded.place(),
        );
        check_folder_name("SOP id", &id, &id_place, report);
        if let Some(first) = seen_sops.get(&id) {
            report.error(
                "duplicate-id",
                &id_place,
                format!("the SOP id `{id}` is already used by {}", first.file.name),
                "give each SOP a unique `id:` (it defaults to the file name)",
            );
            continue;
        }
        seen_sops.insert(id.clone(), id_place);
        let entry = resolve_sop(id, loaded, role_ids, as_of, options, report);
        sop_entries.push(entry);
    }
    sop_entries.sort_by(|a, b| a.id.cmp(&b.id));
    sop_entries
}

/// The playbooks in order of id, each id claimed by the first file that
/// writes it, with their references checked and their offsets parsed.
fn resolve_playbooks(
    playbooks: Vec<Loaded<Playbook>>,
    sop_entries: &[SopEntry],
    report: &mut Reporter<'_>,
) -> Vec<PlaybookEntry> {
    let mut playbook_entries = Vec::new();
    let mut seen_playbooks: HashMap<String, String> = HashMap::new();
    for loaded in playbooks {
        let (id, id_place) = written_or(
            &loaded,
            loaded.doc.id.as_ref(),
            || loaded.stem.clone(),
            || loaded.place(),
        );
        check_folder_name("playbook id", &id, &id_place, report);
        if let Some(first) = seen_playbooks.get(&id) {
            report.error(
                "duplicate-id",
                &id_place,
                format!("the playbook id `{id}` is already used by {first}"),
                "give each playbook a unique `id:` (it defaults to the file name)",
            );
            continue;
        }
        seen_playbooks.insert(id.clone(), loaded.file.name.clone());
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

/// The customers in order of slug. Slugs are claimed in file order, so
/// the first file keeps a slug; the customers, each independent of the
/// others, then resolve on all cores, their diagnostics kept in file order.
fn resolve_customers(
    trackers: Vec<Loaded<Tracker>>,
    playbook_entries: &[PlaybookEntry],
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    lint_levels: &BTreeMap<String, Spanned<LintLevel>>,
    report: &mut Reporter<'_>,
) -> Vec<Customer> {
    let mut unique = Vec::new();
    let mut seen_slugs: HashMap<String, String> = HashMap::new();
    for loaded in trackers {
        let Some((slug, slug_place)) = customer_slug(&loaded, report) else {
            continue;
        };
        if let Some(first) = seen_slugs.get(&slug) {
            report.error(
                "duplicate-slug",
                &slug_place,
                format!("the customer slug `{slug}` is already used by {first}"),
                "set a unique `slug:` under `customer:`",
            );
            continue;
        }
        seen_slugs.insert(slug.clone(), loaded.file.name.clone());
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

/// The free pages to build (drafts only with `drafts`), titled and
/// outlined on all cores, in order of weight and then path.
fn resolve_pages(
    pages: Vec<Loaded<PageMeta>>,
    drafts: bool,
    report: &mut Reporter<'_>,
) -> Vec<PageEntry> {
    let mut page_entries: Vec<PageEntry> = pages
        .into_par_iter()
        .with_max_len(16)
        .filter(|p| drafts || !p.doc.draft)
        .map(|loaded| {
            let outline = crate::markdown::outline(loaded.body());
            let title = loaded
                .doc
                .title
                .clone()
                .or_else(|| outline.first_heading().map(str::to_string))
                .unwrap_or_else(|| loaded.stem.clone());
            PageEntry {
                path: loaded.rel_path.clone(),
                title,
                loaded,
                outline,
            }
        })
        .collect();
    for page in &page_entries {
        check_heading_title(page, report);
    }
    page_entries.sort_by(|a, b| {
        (a.loaded.doc.weight.unwrap_or(i64::MAX), &a.path)
            .cmp(&(b.loaded.doc.weight.unwrap_or(i64::MAX), &b.path))
    });
    page_entries
}

/// Reports KPI `applies_to:` entries that name no playbook, or a tier that
/// neither a playbook's `tiers:` nor a tracker's `tier:` uses: such a KPI
/// would measure nobody, silently.
fn check_kpi_scopes(
    sops: &[super::SopEntry],
    playbooks: &[PlaybookEntry],
    customers: &[Customer],
    report: &mut Reporter<'_>,
) {
    let playbook_ids: Vec<&str> = playbooks.iter().map(|p| p.id.as_str()).collect();
    let mut tiers: Vec<&str> = Vec::new();
    let declared = playbooks.iter().flat_map(|p| p.loaded.doc.tiers.iter());
    let written = customers
        .iter()
        .filter_map(|c| c.tracker().customer.tier.as_ref());
    for tier in declared.chain(written) {
        if !tiers.contains(&tier.as_str()) {
            tiers.push(tier);
        }
    }
    tiers.sort_unstable();
    let known = |list: &[&str], what: &str| {
        if list.is_empty() {
            format!("no {what} are defined yet")
        } else {
            format!("known {what}: {}", list.join(", "))
        }
    };
    for sop in sops {
        for kpi in &sop.loaded.doc.kpis {
            let Some(scope) = &kpi.applies_to else {
                continue;
            };
            for playbook in &scope.playbooks {
                if playbook_ids.contains(&playbook.value.as_str()) {
                    continue;
                }
                report.error(
                    "unknown-playbook",
                    &sop.loaded.place_of(playbook),
                    format!(
                        "the KPI `{}` applies to the playbook `{}`, which does not exist",
                        kpi.name, playbook.value
                    ),
                    match closest(&playbook.value, playbook_ids.iter().copied()) {
                        Some(near) => format!(
                            "did you mean `{near}`? {}",
                            known(&playbook_ids, "playbooks")
                        ),
                        None => known(&playbook_ids, "playbooks"),
                    },
                );
            }
            for tier in &scope.tiers {
                if tiers.contains(&tier.value.as_str()) {
                    continue;
                }
                report.error(
                    "unknown-tier",
                    &sop.loaded.place_of(tier),
                    format!(
                        "the KPI `{}` applies to the tier `{}`, which no playbook lists \
                         and no customer has",
                        kpi.name, tier.value
                    ),
                    match closest(&tier.value, tiers.iter().copied()) {
                        Some(near) => {
                            format!("did you mean `{near}`? {}", known(&tiers, "tiers"))
                        }
                        None => known(&tiers, "tiers"),
                    },
                );
            }
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
    let parse = |text: &str, at: Place, report: &mut Reporter<'_>| match text.parse::<Offset>() {
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
    };
    let entries = match &written.value {
        OffsetSpec::One(text) => {
            return parse(text, loaded.place_of(written), report).map(PlanOffset::same_for_all);
        }
        OffsetSpec::ByTier(entries) => entries,
    };
    let declared = &loaded.doc.tiers;
    let mut default = None;
    let mut by_tier = Vec::new();
    let mut valid = true;
    for (tier, text) in entries {
        let offset = parse(&text.value, loaded.place_of(text), report);
        valid &= offset.is_some();
        if tier.value == "default" {
            default = offset;
            continue;
        }
        if !declared.is_empty() && !declared.contains(&tier.value) {
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
            valid = false;
        }
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

/// The candidate nearest to `word` by edit distance, when it is near
/// enough to be a slip of the keyboard (at most a third of its letters).
pub(super) fn closest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let most = (word.chars().count() / 3).max(1);
    candidates
        .map(|c| {
            (
                strsim::levenshtein(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, _)| *distance <= most)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// Reports an accent that is not a colour, a language that is not a
/// language tag, and brand file paths that cannot be under `static/`
/// (whether the files exist is checked with the site's folder, in
/// [`crate::check`]).
fn check_config_values(
    config: &Config,
    file: &std::sync::Arc<crate::diagnostics::SourceFile>,
    report: &mut Reporter<'_>,
) {
    let at = |spanned: &crate::model::Spanned<String>| {
        Place::at(
            file,
            spanned.referenced.line() as usize,
            spanned.referenced.column() as usize,
        )
    };
    if let Some(accent) = &config.brand.accent
        && !crate::config::is_hex_colour(accent.value.trim())
    {
        report.error(
            "invalid-colour",
            &at(accent),
            format!("`{}` is not a colour onboard can use", accent.value),
            "write the accent as `#rrggbb` or `#rgb`, such as \"#0a58b8\" (quote it: # starts a YAML comment)",
        );
    }
    if let Some(language) = &config.language
        && !crate::config::is_language_tag(language.value.trim())
    {
        report.error(
            "invalid-language",
            &at(language),
            format!("`{}` is not a language tag", language.value),
            "write a language tag such as `en`, `de`, `fr-CA` or `pt-BR`",
        );
    }
    for (key, path) in [
        ("logo", &config.brand.logo),
        ("favicon", &config.brand.favicon),
    ] {
        if let Some(path) = path
            && let Some(problem) = crate::config::brand_path_problem(path.value.trim())
        {
            report.error(
                "invalid-brand-file",
                &at(path),
                format!("brand.{key}: {problem}"),
                "brand files are paths under static/, such as `brand/logo.svg`",
            );
        }
    }
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

/// Reports a page whose title, taken from its first heading, is longer
/// than a title may be (a title written in front matter is held to the
/// same bound when it is read).
fn check_heading_title(page: &PageEntry, report: &mut Reporter<'_>) {
    let chars = page.title.chars().count();
    if page.loaded.doc.title.is_some() || chars <= crate::model::MAX_TITLE_CHARS {
        return;
    }
    // The text of the first line that opens an ATX heading; the body's
    // first line for a heading written another way.
    let body = page.loaded.body();
    let (line, column) = body
        .lines()
        .enumerate()
        .find(|(_, line)| line.trim_start().starts_with('#'))
        .map(|(index, line)| {
            let marks = line.len() - line.trim_start_matches([' ', '#']).len();
            (index, 1 + line[..marks].chars().count())
        })
        .unwrap_or((0, 1));
    report.error(
        "title-too-long",
        &Place::at(&page.loaded.file, page.loaded.body_line + line, column),
        format!(
            "the first heading, the page's title, is {chars} characters long; titles hold at most {}",
            crate::model::MAX_TITLE_CHARS
        ),
        "shorten the heading, or set a shorter `title:` in front matter",
    );
}

/// Reports an SOP or playbook id that is not a slug: such an id could climb
/// out of the output (`../x`) or break its URLs and `sop#step` references.
/// How long a name of the output may be is checked with every other output
/// name, in [`crate::check::names`].
fn check_folder_name(what: &str, id: &str, at: &Place, report: &mut Reporter<'_>) {
    if id.is_empty() || id != slugify(id) {
        report.error(
            "invalid-id",
            at,
            format!("the {what} `{id}` cannot be used in a URL"),
            "use lowercase letters, digits and hyphens in `id:` (it defaults to the file name)",
        );
    }
}

/// One tracker with a unique `slug`: its playbook, planned milestones and
/// status. A customer depends on no other customer, which is what lets
/// `serve` resolve an edited tracker alone.
pub fn resolve_customer(
    loaded: Loaded<Tracker>,
    slug: String,
    playbooks: &[PlaybookEntry],
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    report: &mut Reporter<'_>,
) -> Customer {
    let customer = &loaded.doc.customer;
    let playbook = match &customer.playbook {
        Some(reference) => match playbooks.iter().find(|p| p.id == reference.value) {
            Some(p) => Some(p),
            None => {
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
                None
            }
        },
        None => None,
    };
    let milestones = plan_milestones(&loaded, playbook, calendar, as_of, report);
    let tracker = &loaded.doc;
    let facts = CustomerFacts {
        start_date: tracker.customer.start_date.as_ref().map(|d| d.value.0),
        risk_level: tracker
            .health
            .as_ref()
            .and_then(|h| h.risk_level.as_deref()),
        open_actions: tracker.actions.iter().filter(|a| !a.done).count(),
    };
    let status = status::customer_status(&milestones, &facts, as_of, calendar);
    Customer {
        slug,
        playbook: playbook.map(|p| p.id.clone()),
        loaded,
        milestones,
        status,
    }
}

/// An id as written (and where), or its default (pointing at `fallback`).
pub(super) fn written_or<T>(
    loaded: &Loaded<T>,
    written: Option<&crate::model::Spanned<String>>,
    default: impl FnOnce() -> String,
    fallback: impl FnOnce() -> Place,
) -> (String, Place) {
    match written {
        Some(id) => (id.value.clone(), loaded.place_of(id)),
        None => (default(), fallback()),
    }
}
