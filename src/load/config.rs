//! `onboard.yaml` as far as it is right.
//!
//! A fault in one key must not throw the whole file away: with the config
//! back at its defaults, `as_of` would become today and every other key
//! (tiers, lint levels, the calendar's workdays) would vanish, so that one
//! bad holiday brought a cascade of findings that are not true of the site.
//! The fault stays a located error, which stops `check` and `build` as
//! before; the keys around it still apply, so everything else the run
//! reports is what the author's file says.

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceFile};

use super::parse_yaml;

/// The config in `file` and, when it has faults, the located error that
/// carries them all. A key whose value is at fault is left at its default
/// (the innermost key of the first two levels that holds the fault, else
/// its top-level key); text that is not YAML at all leaves every key at
/// its default.
pub fn parse_config(file: &Arc<SourceFile>) -> (Config, Option<Diagnostic>) {
    let error = match parse_yaml::<Config>(file, 0) {
        Ok(config) => return (config, None),
        Err(error) => error,
    };
    if matches!(error.code.as_str(), "yaml" | "tab") {
        return (Config::default(), Some(error));
    }
    let lines: Vec<usize> = std::iter::once(&error)
        .chain(&error.also)
        .map(|d| d.line)
        .collect();
    // Dropping an inner key can leave its parent unreadable (a map with no
    // keys left); dropping the top-level key then keeps what it can.
    let config = [2, 1]
        .into_iter()
        .find_map(|depth| {
            let kept = without_keys_at(&file.text, &lines, depth);
            serde_saphyr::from_str::<Config>(&kept).ok()
        })
        .unwrap_or_default();
    (config, Some(error))
}

/// `text` with the keys holding the 1-based `lines` blanked out, keys
/// being looked for down to `depth` levels (1: top-level keys only). Lines
/// are blanked, not removed, so that the positions of the rest stay true.
fn without_keys_at(text: &str, lines: &[usize], depth: usize) -> String {
    let mut rows: Vec<&str> = text.lines().collect();
    let mut blank = vec![false; rows.len()];
    for &line in lines {
        if line == 0 || line > rows.len() {
            continue;
        }
        if let Some(start) = key_holding(&rows, line - 1, depth) {
            for index in block(&rows, start) {
                blank[index] = true;
            }
        }
    }
    for (row, blank) in rows.iter_mut().zip(blank) {
        if blank {
            *row = "";
        }
    }
    rows.join("\n")
}

/// Where a line of YAML starts its content, when it has any (blank lines
/// and comments have none).
fn indent_of(row: &str) -> Option<usize> {
    let content = row.trim_start_matches(' ');
    (!content.is_empty() && !content.starts_with('#')).then(|| row.len() - content.len())
}

/// Whether a row starts a `key:` (not a list item or a continued scalar).
fn is_key(row: &str) -> bool {
    let content = row.trim_start_matches(' ');
    if content.starts_with(['-', '#', '[', '{', '"', '\'']) {
        return false;
    }
    content.find(':').is_some_and(|at| {
        content[at + 1..].is_empty() || content[at + 1..].starts_with([' ', '\t'])
    })
}

/// The index of the key line that holds the row at `index`: its key of
/// the second level when `depth` is 2 and there is one, else its
/// top-level key.
fn key_holding(rows: &[&str], index: usize, depth: usize) -> Option<usize> {
    let top = (0..=index)
        .rev()
        .find(|&i| indent_of(rows[i]) == Some(0) && is_key(rows[i]))?;
    if depth < 2 || top == index {
        return Some(top);
    }
    let inner = (top + 1..rows.len()).find_map(|i| indent_of(rows[i]))?;
    if inner == 0 {
        return Some(top);
    }
    let child = (top + 1..=index)
        .rev()
        .find(|&i| indent_of(rows[i]) == Some(inner) && is_key(rows[i]));
    Some(child.unwrap_or(top))
}

/// The rows of the key that starts at `start`: it and every row after it
/// that is indented further (or blank), up to the next one that is not.
fn block(rows: &[&str], start: usize) -> std::ops::Range<usize> {
    let indent = indent_of(rows[start]).unwrap_or(0);
    let end = (start + 1..rows.len())
        .find(|&i| indent_of(rows[i]).is_some_and(|at| at <= indent))
        .unwrap_or(rows.len());
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
title: Acme onboarding
as_of: 2026-01-25
calendar:
  workdays: [mon, tue, wed, thu]
  holidays:
    - 2026-01-19
    - 2026-02-30
tiers:
  smb: SMB
lints:
  single-champion: deny
";

    #[test]
    fn a_bad_holiday_leaves_the_rest_of_the_config_in_force() {
        let file = SourceFile::new("onboard.yaml", CONFIG);
        let (config, error) = parse_config(&file);
        let error = error.expect("the impossible date is an error");
        assert_eq!(
            (error.code.as_str(), error.line, error.column),
            ("date", 7, 7)
        );
        assert_eq!(config.title, "Acme onboarding");
        assert_eq!(
            config.as_of.map(|d| d.to_string()).as_deref(),
            Some("2026-01-25")
        );
        assert_eq!(config.calendar.workdays.len(), 4);
        assert!(config.calendar.holidays.is_empty());
        assert_eq!(config.tiers["smb"], "SMB");
        assert!(config.lints.contains_key("single-champion"));
    }

    #[test]
    fn every_bad_key_is_left_out_and_every_good_one_kept() {
        let text = CONFIG
            .replace("2026-02-30", "2026-02-27")
            .replace("tiers:", "teirs:")
            .replace(
                "title: Acme onboarding",
                "title: Acme\nshare: { enabled: maybe }",
            );
        let file = SourceFile::new("onboard.yaml", text);
        let (config, error) = parse_config(&file);
        let error = error.expect("faults");
        let codes: Vec<&str> = std::iter::once(&error)
            .chain(&error.also)
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["value", "unknown-key"], "{error:#?}");
        assert_eq!(config.title, "Acme");
        assert!(config.share.enabled, "the bad `share:` is at its default");
        assert_eq!(config.calendar.holidays.len(), 2);
        assert!(config.tiers.is_empty());
        assert!(config.lints.contains_key("single-champion"));
    }

    #[test]
    fn text_that_is_not_yaml_leaves_the_defaults() {
        let file = SourceFile::new("onboard.yaml", "title: [Acme\nas_of: 2026-01-25\n");
        let (config, error) = parse_config(&file);
        assert_eq!(error.expect("a syntax error").code, "yaml");
        assert!(config.as_of.is_none());
    }
}
