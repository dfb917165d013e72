//! Resolution: loaded documents → a validated [`Site`], in the order each
//! part needs the one before: the config, roles and SOPs ([`super::sops`]),
//! playbooks ([`super::playbooks`]), customers ([`super::customers`]: each
//! planned, then assessed as of the site's date), KPI scopes, free pages.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::customers::resolve_customers;
use super::playbooks::resolve_playbooks;
use super::sops::{check_role_ref, resolve_roles, resolve_sops};
use super::{BuildOptions, Customer, PageEntry, PlaybookEntry, Site};
use crate::config::Config;
use crate::diagnostics::lints::Reporter;
use crate::diagnostics::{Diagnostics, Place, SourceFile};
use crate::load::{Content, Loaded};
use crate::model::{PageMeta, Role, slugify};

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
    check_escalations(&site_roles, &role_ids, &mut report);
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
    let skipped_pages = draft_files(&pages, options.drafts);
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

/// Reports the site-wide roles that escalate to a role the site lacks.
fn check_escalations(
    site_roles: &[Loaded<Role>],
    role_ids: &HashSet<&str>,
    report: &mut Reporter<'_>,
) {
    for loaded in site_roles {
        check_role_ref(
            loaded.doc.escalates_to.as_ref(),
            role_ids,
            loaded,
            report,
            "escalates_to",
        );
    }
}

/// The files of the draft pages a build without `drafts` leaves out.
fn draft_files(pages: &[Loaded<PageMeta>], drafts: bool) -> Vec<String> {
    pages
        .iter()
        .filter(|p| !drafts && p.doc.draft)
        .map(|p| p.file.name.clone())
        .collect()
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
    let tiers = tiers_in_use(playbooks, customers);
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
                    near_or_known(&playbook.value, &playbook_ids, "playbooks"),
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
                    near_or_known(&tier.value, &tiers, "tiers"),
                );
            }
        }
    }
}

/// Every tier a playbook declares or a tracker writes, sorted, each once.
fn tiers_in_use<'a>(playbooks: &'a [PlaybookEntry], customers: &'a [Customer]) -> Vec<&'a str> {
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
    tiers
}

/// The help for a `name` that is not among the `known` ones (`what`
/// names them): the nearest, when one is near, then the list.
fn near_or_known(name: &str, known: &[&str], what: &str) -> String {
    let list = if known.is_empty() {
        format!("no {what} are defined yet")
    } else {
        format!("known {what}: {}", known.join(", "))
    };
    match closest(name, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? {list}"),
        None => list,
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
pub(super) fn check_folder_name(what: &str, id: &str, at: &Place, report: &mut Reporter<'_>) {
    if id.is_empty() || id != slugify(id) {
        report.error(
            "invalid-id",
            at,
            format!("the {what} `{id}` cannot be used in a URL"),
            "use lowercase letters, digits and hyphens in `id:` (it defaults to the file name)",
        );
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

/// The ids of one kind of document, each claimed by the first file that
/// writes it: a later file with the same id is reported and left out.
pub(super) struct FirstClaims {
    /// What the id is called in messages: "SOP id", "customer slug".
    what: &'static str,
    /// The diagnostic code of a second claim.
    code: &'static str,
    /// How to fix a second claim.
    help: &'static str,
    /// Each id claimed so far, with the name of the file that holds it.
    holders: HashMap<String, String>,
}

impl FirstClaims {
    pub(super) fn new(what: &'static str, code: &'static str, help: &'static str) -> FirstClaims {
        FirstClaims {
            what,
            code,
            help,
            holders: HashMap::new(),
        }
    }

    /// Claims `id` for `file`, or reports at `place` that an earlier file
    /// holds it and returns false.
    pub(super) fn claim(
        &mut self,
        id: &str,
        file: &str,
        place: &Place,
        report: &mut Reporter<'_>,
    ) -> bool {
        if let Some(first) = self.holders.get(id) {
            report.error(
                self.code,
                place,
                format!("the {} `{id}` is already used by {first}", self.what),
                self.help,
            );
            return false;
        }
        self.holders.insert(id.to_string(), file.to_string());
        true
    }
}
