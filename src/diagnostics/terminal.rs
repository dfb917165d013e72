//! How diagnostics are shown to people: terminal-safe, and cut to size.
//!
//! Content can hold anything: control characters that retitle or clear a
//! terminal, lines of a million characters, values of megabytes that a
//! message quotes. What is printed is made visible ([`terminal_safe`]),
//! messages are cut after [`SHOWN_TEXT_CHARS`] characters, and a source
//! line is shown as a window of at most [`SHOWN_LINE_CHARS`] characters
//! around the column ([`Shown`]), for miette ([`Pretty`]) as for plain
//! text. A window also keeps miette within what it can draw: it panics on
//! a line wider than 65,535 columns.

use std::borrow::Cow;
use std::fmt;

use super::{Diagnostic, Severity, SourceFile};

/// Shown as people read it, rustc style, safe for a terminal: the
/// offending line is a window around the column (see [`Shown`]).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}",
            self.level,
            terminal_safe(&self.code),
            shown_text(&self.message)
        )?;
        let file = terminal_safe(&self.file);
        if self.line > 0 {
            write!(f, "\n  --> {file}:{}:{}", self.line, self.column)?;
        } else {
            write!(f, "\n  --> {file}")?;
        }
        if let Some(line) = self.source_line() {
            let shown = Shown::window(line, self.column.max(1));
            write!(f, "\n   | {}", shown.text)?;
            if self.column > 0 {
                let before = shown.text[..shown.column].chars().count();
                write!(f, "\n   | {}^", " ".repeat(before))?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n   = help: {}", shown_text(help))?;
        }
        Ok(())
    }
}

/// How many characters of a source line are shown around a diagnostic's
/// column. Longer lines are cut at both ends, marked `…`: miette cannot
/// draw a line past 65,535 columns, and nobody reads one that long.
pub const SHOWN_LINE_CHARS: usize = 120;

/// How many of those characters come before the column, when the line is
/// cut: enough to show the key a value belongs to.
const SHOWN_BEFORE_COLUMN: usize = 40;

/// How many characters of a message or help are shown; the rest is
/// counted. Messages quote content, and content can be any length.
pub const SHOWN_TEXT_CHARS: usize = 1_000;

/// `text` as a terminal may print it: control characters (C0 but line
/// feed and tab, DEL, C1) and the invisible controls that reorder text
/// (bidirectional overrides) become visible, so content cannot move the
/// cursor, retitle or clear the terminal, or hide what it says. `ESC`
/// shows as `␛`, other C0 characters as their control pictures (`␇`,
/// `␍`), the rest as `\u{9b}`.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_safe(&mut safe, c);
    }
    Cow::Owned(safe)
}

/// Whether a terminal would act on `c` rather than show it.
pub(super) fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_safe(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        // The Control Pictures block holds one picture per C0 character,
        // in order, and one for DEL.
        '\0'..='\u{1f}' if is_unsafe(c) => {
            out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'))
        }
        '\u{7f}' => out.push('\u{2421}'),
        _ if is_unsafe(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        _ => out.push(c),
    }
}

/// A message or help as shown: terminal-safe, and cut after
/// [`SHOWN_TEXT_CHARS`] characters.
pub(super) fn shown_text(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(SHOWN_TEXT_CHARS) {
        None => terminal_safe(text),
        Some((cut, _)) => {
            let rest = text[cut..].chars().count();
            Cow::Owned(format!(
                "{}… ({rest} more characters)",
                terminal_safe(&text[..cut])
            ))
        }
    }
}

/// The part of a source line that is shown, made terminal-safe.
#[derive(Debug, PartialEq, Eq)]
pub struct Shown {
    /// What is shown: at most [`SHOWN_LINE_CHARS`] characters of the
    /// line, with `…` where it was cut.
    pub text: String,
    /// The byte offset in `text` of the diagnostic's column.
    pub column: usize,
    /// The byte offset in `text` where the line's characters end, before
    /// a closing `…`.
    pub end: usize,
    /// The 0-based index of the line's first character shown.
    pub first: usize,
}

impl Shown {
    /// The window of `line` around the 1-based character `column`.
    pub fn window(line: &str, column: usize) -> Shown {
        let at = column.saturating_sub(1);
        // Counting stops early: a window is all that is needed.
        let counted = line.chars().take(at + SHOWN_LINE_CHARS + 1).count();
        let first = if counted <= SHOWN_LINE_CHARS {
            0
        } else {
            at.saturating_sub(SHOWN_BEFORE_COLUMN)
                .min(counted.saturating_sub(SHOWN_LINE_CHARS))
        };
        Self::range(line, first, at)
    }

    /// The same characters of another line (a context line), so that
    /// lines shown together stay aligned; a context line that ends before
    /// them is shown from its start.
    fn same_range(line: &str, first: usize) -> String {
        let first = if line.chars().nth(first).is_some() {
            first
        } else {
            0
        };
        Self::range(line, first, first).text
    }

    fn range(line: &str, first: usize, at: usize) -> Shown {
        let mut text = String::new();
        let mut chars = line.chars().skip(first);
        if first > 0 {
            text.push('…');
        }
        let mut column = None;
        for (index, c) in (first..).zip(chars.by_ref().take(SHOWN_LINE_CHARS)) {
            if index == at {
                column = Some(text.len());
            }
            push_safe(&mut text, c);
        }
        let end = text.len();
        if chars.next().is_some() {
            text.push('…');
        }
        Shown {
            column: column.unwrap_or(end),
            text,
            end,
            first,
        }
    }
}

/// A diagnostic as miette shows it: the file name, the offending line with
/// the position underlined, the code and the help, all terminal-safe.
#[derive(Debug)]
pub struct Pretty {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Excerpt>,
    span: Option<miette::SourceSpan>,
    location: String,
}

/// The lines miette shows of a file: the offending line and one line of
/// context each side, each cut to the same window (see [`Shown`]).
#[derive(Debug)]
struct Excerpt {
    /// The file's display name.
    name: String,
    /// The lines shown, joined by `\n`.
    text: String,
    /// The 0-based line number in the file of the first line shown.
    first_line: usize,
    /// The 0-based column of the diagnostic in the file, for the heading.
    column: usize,
}

impl Excerpt {
    /// The lines around `line`, and the span of `column` in them.
    fn around(
        file: &SourceFile,
        line: usize,
        column: usize,
    ) -> Option<(Excerpt, miette::SourceSpan)> {
        let text = file.line_text(line)?;
        let shown = Shown::window(text, column);
        let first_char = shown.first;
        let mut excerpt = String::new();
        let before = line
            .checked_sub(1)
            .filter(|&l| l > 0)
            .and_then(|l| file.line_text(l));
        if let Some(before) = before {
            excerpt.push_str(&Shown::same_range(before, first_char));
            excerpt.push('\n');
        }
        let start = excerpt.len();
        excerpt.push_str(&shown.text);
        if let Some(after) = file.line_text(line + 1) {
            excerpt.push('\n');
            excerpt.push_str(&Shown::same_range(after, first_char));
        }
        // The underline runs from the column to the end of the value, or
        // of what is shown of it.
        let rest = &shown.text[shown.column..shown.end];
        let len = rest
            .char_indices()
            .nth(60)
            .map_or(rest.len(), |(cut, _)| cut)
            .max(1);
        let span = miette::SourceSpan::from((start + shown.column, len));
        let first_line = line - 1 - usize::from(before.is_some());
        let name = terminal_safe(&file.name).into_owned();
        Some((
            Excerpt {
                name,
                text: excerpt,
                first_line,
                column: column - 1,
            },
            span,
        ))
    }
}

impl miette::SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.first_line + inner.line(),
            self.column,
            inner.line_count(),
        )))
    }
}

impl Diagnostic {
    /// This diagnostic as `onboard check` prints it: miette's drawing of
    /// the heading, the offending line with one line either side, and the
    /// help; with `color`, in ANSI colors. Should miette fail or panic on
    /// it, the plain text ([`fmt::Display`]) instead, rather than nothing.
    pub fn drawn(&self, color: bool) -> String {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        // Nothing is shared but the handler, which keeps no state.
        let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut text = String::new();
            handler
                .render_report(&mut text, &self.pretty())
                .map(|()| text)
        }));
        match drawn {
            Ok(Ok(text)) => text,
            _ => format!("{self}\n"),
        }
    }

    /// The miette view of this diagnostic.
    pub fn pretty(&self) -> Pretty {
        let excerpt = match &self.source {
            Some(file) if self.line > 0 => Excerpt::around(file, self.line, self.column.max(1)),
            _ => None,
        };
        let (source, span) = match excerpt {
            Some((excerpt, span)) => (Some(excerpt), Some(span)),
            None => (None, None),
        };
        let file = terminal_safe(&self.file);
        let location = if self.line > 0 {
            format!("{file}:{}:{}", self.line, self.column)
        } else {
            file.into_owned()
        };
        Pretty {
            message: shown_text(&self.message).into_owned(),
            code: terminal_safe(&self.code).into_owned(),
            severity: match self.level {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help: self.help.as_deref().map(|h| shown_text(h).into_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostics, Place};

    fn draw(diagnostic: &Diagnostic) -> String {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_context_lines(1);
        let mut text = String::new();
        handler
            .render_report(&mut text, &diagnostic.pretty())
            .expect("miette draws it");
        text
    }

    /// A file whose second line holds `X` after `before` characters.
    fn long_line_error(before: usize) -> Diagnostic {
        let line = format!("key: {}X{}", "a".repeat(before), "b".repeat(70_000));
        let file = SourceFile::new("content/big.yaml", format!("first: 1\n{line}\nlast: 2\n"));
        Diagnostic::error("yaml", &Place::at(&file, 2, 6 + before), "unexpected `X`")
    }

    #[test]
    fn control_characters_become_visible() {
        assert!(matches!(terminal_safe("plain\ttext\n"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_safe("a\u{1b}]0;title\u{7}b\u{1b}[2Jc\rd\u{7f}e\u{9b}f\u{202e}g\0"),
            "a␛]0;title␇b␛[2Jc␍d␡e\\u{9b}f\\u{202e}g␀"
        );
        assert_eq!(terminal_safe("tab\tand\nnewline"), "tab\tand\nnewline");
    }

    #[test]
    fn long_messages_are_cut_and_counted() {
        let message = "x".repeat(SHOWN_TEXT_CHARS + 250);
        let shown = shown_text(&message);
        assert!(shown.ends_with("… (250 more characters)"), "{shown}");
        assert_eq!(
            shown.chars().filter(|&c| c == 'x').count(),
            SHOWN_TEXT_CHARS
        );
        assert_eq!(shown_text("short"), "short");
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let shown = Shown::window("status: started", 9);
        assert_eq!(shown.text, "status: started");
        assert_eq!(&shown.text[shown.column..], "started");
        assert_eq!(shown.first, 0);
    }

    #[test]
    fn a_long_line_is_a_window_around_the_column() {
        for before in [0, 10, 500, 70_000, 140_000] {
            let line = format!("{}X{}", "a".repeat(before), "b".repeat(70_000));
            let shown = Shown::window(&line, before + 1);
            assert!(
                shown.text.chars().count() <= SHOWN_LINE_CHARS + 2,
                "{before}"
            );
            assert!(shown.text[shown.column..].starts_with('X'), "{before}");
            assert_eq!(shown.text.starts_with('…'), before > SHOWN_BEFORE_COLUMN);
            assert!(shown.text.ends_with('…'));
        }
        // A column past the end of the line points just after it.
        let shown = Shown::window(&"c".repeat(500), 9_999);
        assert_eq!(shown.column, shown.end);
        assert!(shown.text.starts_with('…') && !shown.text.ends_with('…'));
    }

    #[test]
    fn miette_draws_a_diagnostic_on_a_line_of_any_length() {
        for before in [10, 65_530, 70_000] {
            let drawn = draw(&long_line_error(before));
            assert!(
                drawn.contains(&format!("[content/big.yaml:2:{}]", 6 + before)),
                "{drawn}"
            );
            assert!(drawn.contains("X"), "{drawn}");
            assert!(drawn.contains(" 1 │ first: 1"), "{drawn}");
            assert!(drawn.contains(" 3 │ last: 2"), "{drawn}");
            assert!(drawn.lines().all(|l| l.chars().count() < 200), "{drawn}");
        }
    }

    #[test]
    fn miette_output_holds_no_control_character() {
        let file = SourceFile::new(
            "content/customers/\u{1b}[2J.yaml",
            "name: \"Acme \u{1b}]0;pwned\u{7}\"\n",
        );
        let diagnostic = Diagnostic::warning(
            "late",
            &Place::at(&file, 1, 7),
            "`Acme \u{1b}]0;pwned\u{7}` is late",
        )
        .with_help("ask \u{9b}2J");
        for text in [draw(&diagnostic), diagnostic.to_string()] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(text.contains("Acme ␛]0;pwned␇"), "{text}");
        }
    }

    #[test]
    fn plain_text_points_the_caret_at_the_column() {
        let text = long_line_error(70_000).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "  --> content/big.yaml:2:70006");
        let caret = lines[3].chars().count() - 1;
        assert_eq!(lines[2].chars().nth(caret), Some('X'), "{text}");
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw() {
        let file = SourceFile::new("a.yaml", "x\n");
        let diagnostics = Diagnostics(vec![Diagnostic::error(
            "yaml",
            &Place::at(&file, 1, 1),
            "a\u{9b}b\u{1b}c\u{202e}d",
        )]);
        let json = diagnostics.to_json().expect("JSON");
        assert!(
            json.contains(r#""message": "a\u009bb\u001bc\u202ed""#),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
        assert_eq!(back[0]["message"], "a\u{9b}b\u{1b}c\u{202e}d");
    }
}
