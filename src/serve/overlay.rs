//! What the browser's error overlay shows when a rebuild fails: every
//! diagnostic of the failed build, errors and warnings, each labelled by
//! its kind (its code, as `check` prints it: `error[date]`,
//! `error[unresolved-reference]`, `warning[review-overdue]`) and drawn with
//! the same excerpt of the offending lines as the terminal shows.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// One entry of the overlay's list: the diagnostic's fields as `check
/// --format json` gives them, with the label and the drawing added.
#[derive(Serialize)]
pub struct OverlayItem<'a> {
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
    /// `error[code]` or `warning[code]`: what kind of problem it is.
    label: String,
    /// The diagnostic as the terminal draws it, without colors.
    drawn: String,
}

impl<'a> OverlayItem<'a> {
    fn of(diagnostic: &'a Diagnostic) -> Self {
        let level = match diagnostic.level {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        OverlayItem {
            label: format!("{level}[{}]", diagnostic.code),
            drawn: diagnostic.drawn(false),
            diagnostic,
        }
    }
}

/// The overlay's list for `diagnostics`, every one in order, as the JSON
/// array the `error` event carries.
pub fn error_list(diagnostics: &Diagnostics) -> String {
    let items: Vec<OverlayItem> = diagnostics.iter().map(OverlayItem::of).collect();
    serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())
}

/// Every diagnostic as the terminal draws it, one after the other: the
/// text of the page served before the site has ever built.
pub fn drawn_text(diagnostics: &Diagnostics) -> String {
    diagnostics
        .iter()
        .map(|d| d.drawn(false))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Place, SourceFile};

    fn two() -> Diagnostics {
        let file = SourceFile::new("content/customers/acme.yaml", "a: 1\nstart: 29/11\nc: 3\n");
        Diagnostics(vec![
            Diagnostic::error("date", &Place::at(&file, 2, 8), "not a date")
                .with_help("write YYYY-MM-DD"),
            Diagnostic::warning("late", &Place::file(&file), "late"),
        ])
    }

    #[test]
    fn every_diagnostic_is_listed_with_its_kind_and_excerpt() {
        let list: serde_json::Value = serde_json::from_str(&error_list(&two())).unwrap();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["label"], "error[date]");
        assert_eq!(list[0]["code"], "date");
        assert_eq!(list[0]["line"], 2);
        let drawn = list[0]["drawn"].as_str().unwrap();
        assert!(drawn.contains("error[date]: not a date"), "{drawn}");
        assert!(drawn.contains("2 │ start: 29/11"), "{drawn}");
        assert!(drawn.contains("help: write YYYY-MM-DD"), "{drawn}");
        assert_eq!(list[1]["label"], "warning[late]");
    }

    #[test]
    fn the_page_before_a_first_build_shows_the_same_drawings() {
        let text = drawn_text(&two());
        assert!(text.contains("error[date]: not a date"), "{text}");
        assert!(text.contains("2 │ start: 29/11"), "{text}");
        assert!(text.contains("warning[late]"), "{text}");
    }
}
