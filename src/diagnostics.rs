//! Content problems, located in their source file.
//!
//! Every stage reports problems as [`Diagnostic`]s rather than failing on the
//! first one, so that one run of `onboard check` lists everything to fix. A
//! diagnostic carries the file, a 1-based line and column, and, where the
//! source text is known, the offending line itself; `main.rs` decides how to
//! show them (miette for people, JSON for tools).
//!
//! What people are shown is safe for a terminal and cut to size whatever
//! the content holds (see `terminal`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

pub mod lints;
mod terminal;

pub use terminal::{Pretty, SHOWN_LINE_CHARS, SHOWN_TEXT_CHARS, Shown, terminal_safe};

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops `build` and makes `check` exit 1.
    Error,
    /// Shown, but the site still builds (unless `--deny-warnings`).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// The text of one content file, shared by every diagnostic about it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators, as shown to users.
    pub name: String,
    /// The whole file.
    pub text: String,
    /// Where each line starts, made when a diagnostic first needs a line:
    /// a file with thousands of findings is then read once, not once each.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Wraps a file's text under its display name.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    /// The byte offset where a 1-based line and column (in characters) start.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some((start, text)) = self.line_at(line) else {
            return self.text.len();
        };
        let within: usize = text
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        start + within
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        self.line_at(line).map(|(_, text)| text)
    }

    /// Where a 1-based line starts, and its text without the line ending.
    fn line_at(&self, line: usize) -> Option<(usize, &str)> {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(at, _)| at + 1))
                .filter(|&at| at < self.text.len())
                .collect()
        });
        let start = *starts.get(line.checked_sub(1)?)?;
        let rest = &self.text[start..];
        let text = rest.split('\n').next().unwrap_or(rest);
        Some((start, text.trim_end_matches('\r')))
    }
}

/// One problem in the content, with where it is and how to fix it.
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// A stable name: a lint name such as `step-without-owner`, or the kind
    /// of load error (`yaml`, `unknown-reference`, ...).
    pub code: String,
    /// Error or warning.
    pub level: Severity,
    /// Path relative to the site root.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What was expected, or how to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The file's text, to show the offending line.
    #[serde(skip)]
    pub source: Option<Arc<SourceFile>>,
    /// Further problems found by the same pass over the same file (every
    /// fault of a file comes back from one parse). [`Diagnostics::push`]
    /// lists them after this one.
    #[serde(skip)]
    pub also: Vec<Diagnostic>,
}

impl Diagnostic {
    /// An error at a place in a file.
    pub fn error(code: &str, at: &Place, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, at, message)
    }

    /// A warning at a place in a file.
    pub fn warning(code: &str, at: &Place, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, at, message)
    }

    fn new(level: Severity, code: &str, at: &Place, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            level,
            file: at.file.name.clone(),
            line: at.line,
            column: at.column,
            message: message.into(),
            help: None,
            source: Some(at.file.clone()),
            also: Vec::new(),
        }
    }

    /// An I/O or whole-file problem with no source text to show.
    pub fn file_error(code: &str, file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            level: Severity::Error,
            file: display_path(file),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source: None,
            also: Vec::new(),
        }
    }

    /// Adds the text that says what was expected or how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The offending line's text, if known.
    pub fn source_line(&self) -> Option<&str> {
        self.source.as_ref()?.line_text(self.line)
    }
}

/// A place in a source file: what diagnostics point at.
#[derive(Clone, Debug)]
pub struct Place {
    /// The file.
    pub file: Arc<SourceFile>,
    /// 1-based line (0: the whole file).
    pub line: usize,
    /// 1-based column (0: unknown).
    pub column: usize,
}

impl Place {
    /// The start of a file.
    pub fn file(file: &Arc<SourceFile>) -> Self {
        Place {
            file: file.clone(),
            line: 1,
            column: 1,
        }
    }

    /// A line and column in a file.
    pub fn at(file: &Arc<SourceFile>, line: usize, column: usize) -> Self {
        Place {
            file: file.clone(),
            line,
            column,
        }
    }
}

/// All problems found by one run, in the order they were found.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem, and the problems found with it.
    pub fn push(&mut self, mut diagnostic: Diagnostic) {
        let also = std::mem::take(&mut diagnostic.also);
        self.0.push(diagnostic);
        self.extend(also);
    }

    /// Records several problems.
    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in more {
            self.push(diagnostic);
        }
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.level == Severity::Error)
    }

    /// How many errors and warnings there are.
    pub fn counts(&self) -> (usize, usize) {
        let errors = self.0.iter().filter(|d| d.level == Severity::Error).count();
        (errors, self.0.len() - errors)
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Orders by file, then position, so output is stable whatever the
    /// order the (parallel) loaders finished in.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, &b.code, &b.message))
        });
        self.0.dedup_by(|a, b| {
            a.file == b.file && a.line == b.line && a.column == b.column && a.message == b.message
        });
    }

    /// Iterates over the problems.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// The problems as pretty JSON for tools, with the text kept as
    /// written but safe to print: serde_json escapes C0 characters, and
    /// the other characters a terminal acts on (DEL, C1, bidirectional
    /// overrides) are escaped here the same way, `\u009b`. They can only
    /// stand inside strings, so the JSON means the same.
    pub fn to_json(&self) -> serde_json::Result<String> {
        let json = serde_json::to_string_pretty(self)?;
        if !json.chars().any(terminal::is_unsafe) {
            return Ok(json);
        }
        let mut safe = String::with_capacity(json.len() + 16);
        for c in json.chars() {
            if terminal::is_unsafe(c) {
                // Every such character is in the Basic Multilingual Plane.
                safe.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                safe.push(c);
            }
        }
        Ok(safe)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// A path as shown to users: `/` separators whatever the platform.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The error type of operations that cannot run at all (exit code 2).
#[derive(Debug)]
pub struct IoError {
    /// The file or folder concerned.
    pub path: PathBuf,
    /// What failed.
    pub error: std::io::Error,
}

impl fmt::Display for IoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display().to_string();
        write!(f, "{}: {}", terminal_safe(&path), self.error)
    }
}

impl std::error::Error for IoError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_offsets_of_a_file() {
        let file = SourceFile::new("a.yaml", "one\r\ntwo: é2\nthree");
        assert_eq!(file.line_text(1), Some("one"));
        assert_eq!(file.line_text(2), Some("two: é2"));
        assert_eq!(file.line_text(3), Some("three"));
        assert_eq!(file.line_text(0), None);
        assert_eq!(file.line_text(4), None);
        assert_eq!(file.offset_of(2, 1), 5);
        assert_eq!(&file.text[file.offset_of(2, 7)..], "2\nthree");
        assert_eq!(file.offset_of(9, 1), file.text.len());
        let ended = SourceFile::new("b.yaml", "one\n");
        assert_eq!(ended.line_text(1), Some("one"));
        assert_eq!(ended.line_text(2), None);
    }
}
