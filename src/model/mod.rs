//! The content model: SOPs, playbooks, roles, customer trackers and pages.
//!
//! These are plain data, deserialised straight from the YAML that users
//! write (`deny_unknown_fields` everywhere, so a misspelt key is an error
//! that lists the keys allowed). Fields that other files refer to, or that
//! refer to other files, are [`Spanned`] so that cross-file checks can point
//! at the exact line. Spanned values serialise as their plain value, so the
//! same types feed the templates.

use std::fmt;

use chrono::NaiveDate;
use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use serde_saphyr::Spanned;

mod playbook;
mod sop;
mod tracker;

// The kinds of document live in their own files; their types are used as
// `model::Sop`, `model::Tracker` and so on.
pub use playbook::*;
pub use sop::*;
pub use tracker::*;

/// A calendar date written `YYYY-MM-DD`, quoted or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible days such as 2026-02-30
    /// and days outside the years 1900 to 2200, which can only be typos
    /// (and would push plans and charts past any calendar).
    pub fn parse(text: &str) -> Result<Date, String> {
        use crate::calendar::{FIRST_DAY, LAST_DAY};
        let text = text.trim();
        if let Some(date) = crate::calendar::parse_ymd(text) {
            if !crate::calendar::is_supported(date) {
                return Err(format!(
                    "`{text}` is outside the years onboard accepts: write a date from {FIRST_DAY} to {LAST_DAY}"
                ));
            }
            return Ok(Date(date));
        }
        let b = text.as_bytes();
        let shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, &c)| {
                if i == 4 || i == 7 {
                    c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        Err(if shaped {
            format!("`{text}` is not a real day of the calendar")
        } else {
            format!("expected a date written YYYY-MM-DD (such as 2026-01-15), found `{text}`")
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // chrono writes `YYYY-MM-DD`, as every page and file shows dates.
        self.0.fmt(f)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A date is a string `YYYY-MM-DD` in every schema: YAML leaves an
/// unquoted `2026-01-15` a string, and editors then check its shape.
impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
        })
    }
}

/// The shape of a date in the schemas: `YYYY-MM-DD`.
pub const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Date, E> {
                Err(E::custom(format!(
                    "expected a date written YYYY-MM-DD, found the number {v}"
                )))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Date, E> {
                self.visit_i64(v as i64)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The most characters a name or title may hold. Names and titles become
/// headings, page titles, search entries and feed summaries; one longer
/// than this is a paste gone wrong, and would make every page that shows
/// it slow to build and unreadable.
pub const MAX_TITLE_CHARS: usize = 1_000;

/// Refuses a name or title longer than [`MAX_TITLE_CHARS`].
fn bounded(text: &str) -> Result<(), String> {
    // Bytes bound characters from above: count only when it could matter.
    if text.len() <= MAX_TITLE_CHARS {
        return Ok(());
    }
    let chars = text.chars().count();
    if chars <= MAX_TITLE_CHARS {
        return Ok(());
    }
    Err(format!(
        "this name is {chars} characters long; names and titles hold at most {MAX_TITLE_CHARS} \
         (put longer text in a summary, criteria or the body)"
    ))
}

/// A name or title, at most [`MAX_TITLE_CHARS`] long (`deserialize_with`).
fn title<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    bounded(&text).map_err(serde::de::Error::custom)?;
    Ok(text)
}

/// An optional name or title, at most [`MAX_TITLE_CHARS`] long.
fn optional_title<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    if let Some(text) = &text {
        bounded(text).map_err(serde::de::Error::custom)?;
    }
    Ok(text)
}

/// A name or title with its place, at most [`MAX_TITLE_CHARS`] long.
fn spanned_title<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<String>, D::Error> {
    let text = Spanned::<String>::deserialize(deserializer)?;
    bounded(&text.value).map_err(serde::de::Error::custom)?;
    Ok(text)
}

/// An optional name or title with its place, at most [`MAX_TITLE_CHARS`] long.
fn optional_spanned_title<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Spanned<String>>, D::Error> {
    let text = Option::<Spanned<String>>::deserialize(deserializer)?;
    if let Some(text) = &text {
        bounded(&text.value).map_err(serde::de::Error::custom)?;
    }
    Ok(text)
}

/// Front matter of a free page.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// Title; defaults to the first heading, else the file stem.
    #[serde(default, deserialize_with = "optional_title")]
    #[schemars(length(max = MAX_TITLE_CHARS))]
    pub title: Option<String>,
    /// Summary.
    #[serde(default)]
    pub description: Option<String>,
    /// Date.
    #[serde(default)]
    pub date: Option<Date>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Order in lists.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Anything, passed to templates.
    #[serde(default)]
    pub extra: IndexMap<String, serde_json::Value>,
}

/// The slug rule used for ids and anchors throughout.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// The name of a tag's page, `tags/<slug>/`: tags that differ only in case,
/// spacing or punctuation (`Kick-off`, `kick off`) share a slug and are one
/// tag.
pub fn tag_slug(tag: &str) -> String {
    slugify(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_yyyy_mm_dd() {
        for (year, month, day, written) in [
            (2026, 1, 5, "2026-01-05"),
            (1999, 12, 31, "1999-12-31"),
            (5, 3, 9, "0005-03-09"),
            (9999, 12, 31, "9999-12-31"),
        ] {
            let date = Date(NaiveDate::from_ymd_opt(year, month, day).unwrap());
            assert_eq!(date.to_string(), written);
            assert_eq!(
                serde_json::to_string(&date).unwrap(),
                format!("\"{written}\"")
            );
        }
    }
}
