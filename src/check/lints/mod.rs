//! The registry of named lints and the rules behind them.
//!
//! Each rule looks at the resolved [`Site`] and reports through the
//! [`Reporter`], which applies the level the site configured. Rules never
//! repeat what resolution already reports as a hard error (unknown roles,
//! unresolved references, unreadable targets): they only judge content
//! that is valid but unwise. Link checks live in [`super::links`].

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::diagnostics::Place;
use crate::diagnostics::lints::Reporter;
use crate::load::Loaded;
use crate::site::Site;

mod customers;
mod library;
pub(crate) mod spans;
mod split_lists;

use customers::tracker_lints;
use library::{playbook_lints, sop_lints};
use split_lists::{roles_file_lints, split_list_items};

/// Marks every site knows without a milestone declaring them.
const BUILT_IN_MARKS: &[&str] = &["start", "kickoff", "first_value", "handoff"];

/// Runs every lint. `root` is the site folder, used to check links to
/// static files; without it those links are not checked.
pub fn run(site: &Site, root: Option<&Path>, report: &mut Reporter<'_>) {
    run_scoped(site, root, None, report);
}

/// [`run`], with the lints and links of customers other than `only` left
/// out: the rest of the site is always checked, since a customer can
/// change what it finds (the marks an SOP's KPIs may name).
pub fn run_scoped(
    site: &Site,
    root: Option<&Path>,
    only: Option<&BTreeSet<String>>,
    report: &mut Reporter<'_>,
) {
    role_lints(site, report);
    share_lints(site, report);
    // Gathered once and only when a KPI names a mark that is not built in:
    // it reads every customer's milestones.
    let known = std::cell::OnceCell::new();
    for sop in &site.sops {
        sop_lints(site, sop, &known, report);
        split_list_items(
            &sop.loaded.file,
            sop.loaded.yaml_line_offset,
            yaml_text(&sop.loaded),
            report,
        );
    }
    for playbook in &site.playbooks {
        playbook_lints(site, playbook, report);
        split_list_items(
            &playbook.loaded.file,
            playbook.loaded.yaml_line_offset,
            yaml_text(&playbook.loaded),
            report,
        );
    }
    roles_file_lints(site, report);
    if let Some(file) = &site.config_file {
        split_list_items(file, 0, &file.text, report);
    }
    // A page without front matter is all Markdown, where `[...]` is a link.
    for page in site.pages.iter().filter(|p| p.loaded.yaml_line_offset > 0) {
        split_list_items(
            &page.loaded.file,
            page.loaded.yaml_line_offset,
            yaml_text(&page.loaded),
            report,
        );
    }
    // Gathered once, and only when a customer has a tier.
    let tiers = std::cell::OnceCell::new();
    for customer in &site.customers {
        if only.is_none_or(|only| only.contains(&customer.slug)) {
            tracker_lints(site, customer, &tiers, report);
            split_list_items(&customer.loaded.file, 0, &customer.loaded.file.text, report);
        }
    }
    super::links::run_scoped(site, root, only, report);
}

// ---------------------------------------------------------------- share

/// Without a share secret, a customer's share folder is `share/<slug>/`:
/// anyone who knows one customer's link can guess another's. The secret
/// is looked up by [`crate::share::secret`], the function the build uses.
fn share_lints(site: &Site, report: &mut Reporter<'_>) {
    let share = &site.config.share;
    if !share.enabled || site.customers.is_empty() || crate::share::secret(site).is_some() {
        return;
    }
    let variable = &share.secret_env;
    let at = match &site.config_file {
        Some(file) => {
            // The line that names the variable, else the `share:` block.
            let lines = || file.text.lines().enumerate();
            let key = lines()
                .find(|(_, l)| l.trim_start().starts_with("secret_env:"))
                .or_else(|| lines().find(|(_, l)| l.starts_with("share:")));
            match key {
                Some((index, l)) => Place::at(file, index + 1, l.len() - l.trim_start().len() + 1),
                None => Place::file(file),
            }
        }
        None => Place::file(&crate::diagnostics::SourceFile::new("onboard.yaml", "")),
    };
    report.lint(
        "guessable-share-links",
        &at,
        format!(
            "`{variable}` is unset or empty, so share sites are built at share/<slug>/: links anyone can guess from a customer's name"
        ),
        format!(
            "make a long random secret once (such as `openssl rand -hex 32`), keep it, and set `{variable}` to it for every build: a new secret moves every share folder and breaks the links customers have; or set `share: {{ enabled: false }}` in onboard.yaml"
        ),
    );
}

// ---------------------------------------------------------------- roles

fn role_lints(site: &Site, report: &mut Reporter<'_>) {
    let index: HashMap<&str, usize> = site
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let next = |i: usize| {
        site.roles[i]
            .escalates_to
            .as_deref()
            .and_then(|to| index.get(to).copied())
    };
    // Each role escalates to at most one other, so following the chain from
    // every role in turn finds each cycle exactly once: a walk stops at the
    // first role an earlier walk already finished.
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; site.roles.len()];
    for start in 0..site.roles.len() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(i) = current {
            match state[i] {
                NEW => {
                    state[i] = ON_PATH;
                    path.push(i);
                    current = next(i);
                }
                ON_PATH => {
                    let from = path.iter().position(|&p| p == i).unwrap_or(0);
                    report_escalation_loop(site, &path[from..], report);
                    current = None;
                }
                _ => current = None,
            }
        }
        for i in path {
            state[i] = DONE;
        }
    }
}

fn report_escalation_loop(site: &Site, cycle: &[usize], report: &mut Reporter<'_>) {
    // Start the chain at the role declared first, so the message does not
    // depend on where the walk entered the loop.
    let Some(first) = cycle
        .iter()
        .enumerate()
        .min_by_key(|(_, role)| **role)
        .map(|(at, _)| at)
    else {
        return;
    };
    let mut chain: Vec<&str> = cycle[first..]
        .iter()
        .chain(&cycle[..first])
        .map(|&i| site.roles[i].id.as_str())
        .collect();
    chain.push(chain[0]);
    let role = &site.roles[cycle[first]];
    report.lint(
        "escalation-loop",
        &role.declared_at,
        format!("the escalation chain of `{}` loops: {}", role.id, chain.join(" → ")),
        "end the chain at a role that escalates to nobody: remove or change one `escalates_to:` in the loop",
    );
}

// -------------------------------------------------------------- helpers

/// The YAML text of a document: its front matter, or the whole file.
pub(crate) fn yaml_text<T>(loaded: &Loaded<T>) -> &str {
    if loaded.yaml_line_offset > 0 {
        crate::load::split_front_matter(&loaded.file.text)
            .map(|split| split.yaml)
            .unwrap_or("")
    } else {
        &loaded.file.text
    }
}

/// Where the `nth` (from 0) `key: value` is written in a document's YAML,
/// pointing at the value (quoted or not, in block or flow style).
pub(super) fn value_place<T>(
    loaded: &Loaded<T>,
    key: &str,
    value: &str,
    nth: usize,
) -> Option<Place> {
    let pattern = format!("{key}:");
    let mut count = 0;
    for (index, line) in yaml_text(loaded).lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(&pattern) {
            let key_at = from + found;
            from = key_at + pattern.len();
            // A whole key: at the line's start, or after a space, `{` or `,`.
            if line[..key_at]
                .chars()
                .next_back()
                .is_some_and(|c| !matches!(c, ' ' | '{' | ',' | '-'))
            {
                continue;
            }
            let rest = &line[from..];
            let value_at = from + (rest.len() - rest.trim_start().len());
            let written = line[value_at..]
                .split([',', '}', '#'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            if written != value {
                continue;
            }
            if count == nth {
                let column = line[..value_at].chars().count() + 1;
                return Some(loaded.place_at(index + 1, column));
            }
            count += 1;
        }
    }
    None
}

/// The candidate closest to `written`: the same ignoring case and `-`/`_`,
/// else one or two edits away.
pub(super) fn closest<'a>(
    written: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let fold = |t: &str| t.to_lowercase().replace(['-', '_', ' '], "");
    let folded = fold(written);
    if let Some(same) = candidates.clone().find(|c| fold(c) == folded) {
        return Some(same);
    }
    candidates
        .map(|c| (edit_distance(&fold(c), &folded), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, by characters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// The line of a top-level `key:` in a document's YAML.
pub(super) fn top_level_key<T>(loaded: &Loaded<T>, key: &str) -> Option<Place> {
    yaml_text(loaded)
        .lines()
        .enumerate()
        .find_map(|(index, line)| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
                .then(|| loaded.place_at(index + 1, 1))
        })
}
