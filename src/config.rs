//! `onboard.yaml`: the site configuration. Every key has a default.

use std::collections::BTreeMap;

use chrono::Weekday;
use indexmap::IndexMap;
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
    /// Customer tiers: id (as trackers write it) → display name.
    pub tiers: IndexMap<String, String>,
    /// Lint levels by lint name.
    #[schemars(with = "BTreeMap<String, LintLevel>")]
    pub lints: BTreeMap<String, Spanned<LintLevel>>,
    /// The name customers see for the onboarding team; the title when absent.
    pub organization: Option<String>,
    /// Logo, favicon and accent colour of both sites.
    pub brand: BrandConfig,
    /// The language of the pages (`html lang`); `en` when absent.
    #[schemars(with = "Option<String>")]
    pub language: Option<Spanned<String>>,
}

impl Config {
    /// The name customers see for the onboarding team.
    pub fn organization(&self) -> &str {
        self.organization
            .as_deref()
            .filter(|o| !o.trim().is_empty())
            .unwrap_or(&self.title)
    }

    /// The language of the pages: as written when it reads as a language
    /// tag (the resolver reports one that does not), else `en`.
    pub fn language(&self) -> &str {
        self.language
            .as_ref()
            .map(|l| l.value.trim())
            .filter(|l| is_language_tag(l))
            .unwrap_or("en")
    }

    /// The accent colour, when one is written and is a colour (the
    /// resolver reports one that is not).
    pub fn accent(&self) -> Option<&str> {
        self.brand
            .accent
            .as_ref()
            .map(|a| a.value.trim())
            .filter(|a| is_hex_colour(a))
    }
}

/// The `brand:` block: files under `static/` and an accent colour.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BrandConfig {
    /// The logo, a path under `static/`.
    #[schemars(with = "Option<String>")]
    pub logo: Option<Spanned<String>>,
    /// The favicon, a path under `static/`.
    #[schemars(with = "Option<String>")]
    pub favicon: Option<Spanned<String>>,
    /// The accent colour, `#rgb` or `#rrggbb`.
    #[schemars(with = "Option<String>")]
    pub accent: Option<Spanned<String>>,
}

/// The image kinds a logo or favicon may be, by file extension, with the
/// media type pages announce them with.
pub const BRAND_IMAGE_TYPES: [(&str, &str); 7] = [
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("ico", "image/x-icon"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
];

/// The media type of a brand image path, by its extension (any case).
pub fn brand_image_type(path: &str) -> Option<&'static str> {
    let (_, ext) = path.rsplit_once('.')?;
    BRAND_IMAGE_TYPES
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(ext))
        .map(|(_, t)| *t)
}

/// Why a brand file path cannot be used: it must be a relative path under
/// `static/`, with `/` between folders, no `.` or `..` part, and an image
/// extension.
pub fn brand_path_problem(path: &str) -> Option<String> {
    if path.trim().is_empty() {
        return Some("the path is empty".to_string());
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Some(format!(
            "`{path}` is not a path inside static/: write it relative to static/, with `/`, such as `brand/logo.svg`"
        ));
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Some(format!(
            "`{path}` has an empty, `.` or `..` part: write a plain path inside static/, such as `brand/logo.svg`"
        ));
    }
    if brand_image_type(path).is_none() {
        let kinds: Vec<&str> = BRAND_IMAGE_TYPES.iter().map(|(e, _)| *e).collect();
        return Some(format!(
            "`{path}` is not an image onboard knows: use a file ending in .{}",
            kinds.join(", .")
        ));
    }
    None
}

/// Whether `text` is a colour written `#rgb` or `#rrggbb`.
pub fn is_hex_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The text colour that reads on a `#rgb` or `#rrggbb` background: near
/// black on light colours, white on dark ones (by relative luminance).
pub fn text_on(colour: &str) -> &'static str {
    let hex = colour.trim_start_matches('#');
    let channel = |i: usize| -> f64 {
        let value = if hex.len() == 3 {
            u8::from_str_radix(&hex[i..i + 1], 16).map(|v| v * 17)
        } else {
            u8::from_str_radix(hex.get(2 * i..2 * i + 2).unwrap_or("00"), 16)
        }
        .unwrap_or(0) as f64
            / 255.0;
        if value <= 0.03928 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
    // Contrast with white is (1.05) / (L + 0.05); with #111 about (L + 0.05) / 0.056.
    if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0556 {
        "#ffffff"
    } else {
        "#111111"
    }
}

/// Whether `text` reads as a language tag (`en`, `de`, `pt-BR`,
/// `zh-Hant`): a 2 or 3 letter language, then parts of 1 to 8 letters or
/// digits, joined by hyphens.
pub fn is_language_tag(text: &str) -> bool {
    let mut parts = text.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
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
            organization: None,
            brand: BrandConfig::default(),
            language: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_languages_and_brand_paths() {
        assert!(is_hex_colour("#0a58b8") && is_hex_colour("#FFF"));
        assert!(!is_hex_colour("0a58b8") && !is_hex_colour("#12345") && !is_hex_colour("#ggg"));
        assert!(!is_hex_colour("red") && !is_hex_colour("#fff;background:red"));
        assert!(is_language_tag("en") && is_language_tag("pt-BR") && is_language_tag("zh-Hant"));
        assert!(!is_language_tag("") && !is_language_tag("english") && !is_language_tag("en-"));
        assert!(!is_language_tag("en\"><script>"));
        assert_eq!(brand_path_problem("brand/logo.svg"), None);
        assert_eq!(brand_image_type("icons/Fav.ICO"), Some("image/x-icon"));
        assert!(brand_path_problem("/logo.svg").is_some());
        assert!(brand_path_problem("../logo.svg").is_some());
        assert!(brand_path_problem("a//logo.svg").is_some());
        assert!(brand_path_problem("logo.txt").is_some());
        assert!(brand_path_problem("").is_some());
        assert_eq!(text_on("#0a58b8"), "#ffffff");
        assert_eq!(text_on("#ffd700"), "#111111");
        assert_eq!(text_on("#fff"), "#111111");
    }

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
