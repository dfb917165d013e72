//! Content problems, located in their source file.
//!
//! Every stage reports problems as [`Diagnostic`]s rather than failing on the
//! first one, so that one run of `onboard check` lists everything to fix. A
//! diagnostic carries the file, a 1-based line and column, and, where the
//! source text is known, the offending line itself; `main.rs` decides how to
//! show them (miette for people, JSON for tools).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

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
}

impl SourceFile {
    /// Wraps a file's text under its display name.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
        })
    }

    /// The byte offset where a 1-based line and column (in characters) start.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let mut offset = 0;
        for (index, text) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                let within: usize = text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                return offset + within;
            }
            offset += text.len();
        }
        self.text.len()
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        self.text
            .lines()
            .nth(line.checked_sub(1)?)
            .map(|l| l.trim_end_matches('\r'))
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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.level, self.code, self.message)?;
        if self.line > 0 {
            write!(f, "\n  --> {}:{}:{}", self.file, self.line, self.column)?;
        } else {
            write!(f, "\n  --> {}", self.file)?;
        }
        if let Some(line) = self.source_line() {
            write!(f, "\n   | {line}")?;
            if self.column > 0 {
                write!(f, "\n   | {}^", " ".repeat(self.column - 1))?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n   = help: {help}")?;
        }
        Ok(())
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
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Records several problems.
    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(more);
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
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for IoError {}

/// A diagnostic as miette shows it: the file name, the offending line with
/// the position underlined, the code and the help.
#[derive(Debug)]
pub struct Pretty {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<miette::NamedSource<String>>,
    span: Option<miette::SourceSpan>,
    location: String,
}

impl Diagnostic {
    /// The miette view of this diagnostic.
    pub fn pretty(&self) -> Pretty {
        let (source, span) = match &self.source {
            Some(file) if self.line > 0 => {
                let offset = file.offset_of(self.line, self.column.max(1));
                let rest = &file.text[offset.min(file.text.len())..];
                let len = rest.find(['\n', '\r']).unwrap_or(rest.len()).clamp(1, 60);
                (
                    Some(miette::NamedSource::new(&file.name, file.text.clone())),
                    Some(miette::SourceSpan::from((offset, len))),
                )
            }
            _ => (None, None),
        };
        let location = if self.line > 0 {
            format!("{}:{}:{}", self.file, self.line, self.column)
        } else {
            self.file.clone()
        };
        Pretty {
            message: self.message.clone(),
            code: self.code.clone(),
            severity: match self.level {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help: self.help.clone(),
            source,
            span,
            location,
        }
    }
}

impl fmt::Display for Pretty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            miette::Severity::Warning => "warning",
            miette::Severity::Advice => "advice",
            _ => "error",
        };
        // The code goes in the heading, as rustc writes it; miette would put
        // it on a line of its own.
        write!(f, "{level}[{}]: ", self.code)?;
        if self.source.is_some() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

impl std::error::Error for Pretty {}

impl miette::Diagnostic for Pretty {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(None, span),
        )))
    }
}
