//! YAML and front matter → typed documents, every fault of a file located.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Place, SourceFile};

/// Front matter and body of a Markdown file.
pub struct FrontMatter<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// Where `body` starts in the text.
    pub body_start: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Splits `---` front matter from a Markdown file, if it has any.
pub fn split_front_matter(text: &str) -> Option<FrontMatter<'_>> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let opening = text.len() - rest.len();
    let mut offset = 0;
    for (line, piece) in (2..).zip(rest.split_inclusive('\n')) {
        if piece.trim_end() == "---" || piece.trim_end() == "..." {
            let yaml = &rest[..offset];
            let body_start = opening + offset + piece.len();
            let body = &text[body_start..];
            return Some(FrontMatter {
                yaml,
                body,
                body_start,
                body_line: line + 1,
            });
        }
        offset += piece.len();
    }
    None
}

/// Parses a whole file as YAML.
pub fn parse_yaml<T: DeserializeOwned + JsonSchema>(
    file: &Arc<SourceFile>,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    parse_yaml_text(file, &file.text, line_offset)
}

/// Parses YAML that stands in `file` after `line_offset` lines.
///
/// A document that does not deserialise is walked against the schema of
/// `T`, so that the error returned carries every fault of the file (in
/// [`Diagnostic::also`]), each at its place, not only the first.
pub fn parse_yaml_text<T: DeserializeOwned + JsonSchema>(
    file: &Arc<SourceFile>,
    yaml: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(yaml)
        .map_err(|error| every_fault::<T>(file, yaml, line_offset, &error))
}

/// Every fault of a document that failed to deserialise with `error`.
fn every_fault<T: JsonSchema>(
    file: &Arc<SourceFile>,
    yaml: &str,
    line_offset: usize,
    error: &serde_saphyr::Error,
) -> Diagnostic {
    let first = yaml_diagnostic(file, error, line_offset);
    let Some(mut found) = crate::schema::validate::<T>(file, yaml, line_offset) else {
        // Not YAML at all. A tab in the indentation is reported where the
        // parser noticed it, often the end of the line before: point at
        // the tab itself, which a terminal shows as spaces.
        let error_line = first.line.saturating_sub(line_offset);
        return match crate::schema::tab_in_indentation(yaml, error_line + 1) {
            Some((line, column)) => Diagnostic::error(
                "tab",
                &Place::at(file, line + line_offset, column),
                format!("a tab in the indentation of line {}", line + line_offset),
            )
            .with_help(format!(
                "YAML indents with spaces only: replace the tab at column {column} with spaces \
                 (a terminal shows a tab as spaces, so the line can look right)"
            )),
            None => first,
        };
    };
    // The text is YAML, so serde's error is about what it says, not how it
    // is written: `yaml` is kept for syntax.
    let mut first = first;
    first.code = content_fault_code(&first.message).to_string();
    if found.is_empty() {
        return first;
    }
    // serde's own error stays when the schema walk saw nothing at its line
    // (a rule the schema does not hold), so that nothing is lost.
    if !found.iter().any(|d| d.line == first.line) {
        found.push(first);
        found.sort_by_key(|d| (d.line, d.column));
    }
    let mut head = found.remove(0);
    head.also = found;
    head
}

fn yaml_diagnostic(
    file: &Arc<SourceFile>,
    error: &serde_saphyr::Error,
    line_offset: usize,
) -> Diagnostic {
    let (line, column) = match error.location() {
        Some(location) if location.line() > 0 => (
            location.line() as usize + line_offset,
            location.column() as usize,
        ),
        _ => (1 + line_offset, 1),
    };
    let place = Place::at(file, line, column.max(1));
    let raw = error.without_snippet().to_string();
    // serde-saphyr's words for a second document name its own functions;
    // the place it gives is where that document starts.
    if raw.contains("multiple YAML documents") {
        return Diagnostic::error(
            "yaml",
            &place,
            "a second YAML document starts here, but a file holds one document",
        )
        .with_help(
            "a `---` or `...` line ends the document before it: remove that line, or move \
             what follows it into a file of its own",
        );
    }
    let message = clean_yaml_message(&raw);
    let help = yaml_help(&message);
    let mut diagnostic = Diagnostic::error("yaml", &place, message);
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// The code of serde's error about a document that is valid YAML, from
/// the words serde uses for each kind of fault.
fn content_fault_code(message: &str) -> &'static str {
    if message.contains("unknown field") {
        "unknown-key"
    } else if message.contains("missing field") {
        "missing-key"
    } else if message.contains("duplicate field") {
        "duplicate-key"
    } else {
        "value"
    }
}

/// serde-saphyr appends its own position to messages; ours is shown apart.
fn clean_yaml_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = first
        .find(" at line ")
        .map(|i| &first[..i])
        .unwrap_or(first);
    cut.trim_end_matches(':').trim().to_string()
}

fn yaml_help(message: &str) -> Option<String> {
    let lower = message.to_lowercase();
    if lower.contains("tab") {
        Some("indent YAML with spaces; tabs are not allowed in indentation".into())
    } else if lower.contains("unknown anchor") {
        Some("define the anchor (`&name`) before the alias (`*name`) that uses it, in the same document".into())
    } else if lower.contains("unknown field") {
        Some("remove or rename the key; the keys allowed here are listed above".into())
    } else if lower.contains("unknown variant") {
        Some("use one of the values listed above".into())
    } else if lower.contains("missing field") {
        Some("add the key named above".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tracker;

    fn fault(text: &str) -> Diagnostic {
        let file = SourceFile::new("acme.yaml", text);
        parse_yaml::<Tracker>(&file, 0).expect_err("a fault")
    }

    #[test]
    fn a_second_document_is_located_where_it_starts_in_plain_words() {
        let error = fault("customer:\n  name: Acme\n---\ncustomer:\n  name: Other\n");
        assert_eq!((error.code.as_str(), error.line), ("yaml", 4), "{error:#?}");
        assert!(error.message.contains("second YAML document"), "{error:#?}");
        assert!(!format!("{error:?}").contains("from_str"), "{error:#?}");
    }

    #[test]
    fn faults_around_merge_keys_are_located() {
        let error = fault("customer:\n  <<: 5\n  name: Acme\n");
        assert_eq!((error.line, error.column), (2, 7), "{error:#?}");
        let error = fault("customer:\n  <<: [*nope]\n  name: Acme\n");
        assert_eq!(
            (error.code.as_str(), error.line, error.column),
            ("yaml", 2, 8)
        );
        assert!(error.help.is_some_and(|h| h.contains("&name")));
        // A fault in a map that merges another is found at its own line.
        let error =
            fault("customer: &base\n  name: Acme\nmilestones:\n  - <<: *base\n    status: begun\n");
        let all: Vec<(usize, &str)> = std::iter::once(&error)
            .chain(&error.also)
            .map(|d| (d.line, d.code.as_str()))
            .collect();
        assert!(all.contains(&(5, "value")), "{error:#?}");
        // A key the merge provides is not reported missing beside a real fault.
        let error = fault(
            "customer:\n  name: Acme\nmilestones:\n  - &m\n    name: Kickoff\n  - <<: *m\n    status: begun\n",
        );
        let all: Vec<(usize, &str)> = std::iter::once(&error)
            .chain(&error.also)
            .map(|d| (d.line, d.code.as_str()))
            .collect();
        assert_eq!(all, [(7, "value")], "{error:#?}");
    }
}
