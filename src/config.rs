//! `onboard.yaml`: the site configuration. Every key has a default.

use std::collections::BTreeMap;

use chrono::Weekday;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calendar::{WorkCalendar, parse_weekday};
use crate::model::{Date, Spanned};

/// The whole `onboard.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
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
    /// Lint levels by lint name.
    #[schemars(with = "BTreeMap<String, LintLevel>")]
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
            lints: BTreeMap::new(),
        }
    }
}

/// The `calendar:` block.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    /// Working weekdays (`mon`, `tue`, ...).
    #[schemars(with = "Vec<String>")]
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
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}
