//! `onboard.yaml`: the site configuration. Every key has a default.

use std::collections::BTreeMap;

use chrono::Weekday;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::calendar::{WorkCalendar, parse_weekday};
use crate::model::{Date, Spanned};

/// The whole `onboard.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Used only where an absolute URL is needed (.ics, sitemap).
    pub base_url: String,
    /// One line about the site, shown on the home page.
    pub description: Option<String>,
    /// The "today" that status is computed against.
    pub as_of: Option<Date>,
    /// Working days and holidays.
    pub calendar: CalendarConfig,
    /// The theme: the name of one folder under `themes/`, never a path
    /// (the loader refuses paths; see [`crate::load::theme_folder`]).
    pub theme: String,
    /// Customer-visible sites.
    pub share: ShareConfig,
    /// Customer tiers: id (as trackers write it) → display name.
    pub tiers: IndexMap<String, String>,
    /// Lint levels by lint name.
    pub lints: BTreeMap<String, Spanned<LintLevel>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Onboarding".to_string(),
            base_url: String::new(),
            description: None,
            as_of: None,
            calendar: CalendarConfig::default(),
            theme: "default".to_string(),
            share: ShareConfig::default(),
            tiers: IndexMap::new(),
            lints: BTreeMap::new(),
        }
    }
}

impl Config {
    /// The name readers see for a tier (see [`tier_name`]).
    pub fn tier_name(&self, id: &str) -> String {
        tier_name(&self.tiers, id)
    }
}

/// The name readers see for a tier: its display name under `tiers:`, else
/// the id with `-` and `_` read as spaces and a capital first letter (an id
/// of three letters or fewer, such as `smb`, reads as an acronym).
pub fn tier_name(tiers: &IndexMap<String, String>, id: &str) -> String {
    if let Some(name) = tiers.get(id) {
        return name.clone();
    }
    if id.len() <= 3 && id.chars().all(|c| c.is_ascii_alphabetic()) {
        return id.to_ascii_uppercase();
    }
    let text = id.replace(['_', '-'], " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// The `calendar:` block.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    /// Working weekdays (`mon`, `tue`, ...).
    pub workdays: Vec<Spanned<String>>,
    /// Days off.
    pub holidays: Vec<Date>,
}

impl CalendarConfig {
    /// The weekdays that parse; unparseable names are reported by the loader.
    pub fn weekdays(&self) -> Vec<Weekday> {
        self.workdays
            .iter()
            .filter_map(|d| parse_weekday(&d.value))
            .collect()
    }

    /// The working calendar (Monday to Friday when no workdays are given).
    pub fn work_calendar(&self) -> WorkCalendar {
        WorkCalendar::new(&self.weekdays(), self.holidays.iter().map(|d| d.0))
    }
}

/// The `share:` block.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShareConfig {
    /// Build customer-visible sites.
    pub enabled: bool,
    /// Environment variable holding the share secret.
    pub secret_env: String,
}

impl Default for ShareConfig {
    fn default() -> Self {
        ShareConfig {
            enabled: true,
            secret_env: "ONBOARD_SHARE_SECRET".to_string(),
        }
    }
}

/// A lint level set in `lints:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_read_by_their_display_name_else_plainly() {
        let mut config = Config::default();
        config
            .tiers
            .insert("mid_market".into(), "Mid-market".into());
        assert_eq!(config.tier_name("mid_market"), "Mid-market");
        assert_eq!(config.tier_name("smb"), "SMB");
        assert_eq!(config.tier_name("mid-market"), "Mid market");
        assert_eq!(config.tier_name("enterprise"), "Enterprise");
        assert_eq!(config.tier_name(""), "");
    }
}
