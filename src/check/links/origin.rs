//! Where a Markdown text stands in its file, so that a link found at an
//! offset of the text is reported at its line and column.

use std::sync::Arc;

use crate::diagnostics::{Place, SourceFile};
use crate::load::Loaded;
use crate::model::Spanned;

/// Where a Markdown text stands in its file, to turn offsets into places.
pub(super) struct Origin {
    pub(super) file: Arc<SourceFile>,
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) layout: Layout,
}

/// How the lines of a text map onto the lines of its file.
pub(super) enum Layout {
    /// Line by line, every line starting at `column` (a Markdown body, a
    /// YAML literal block).
    Lines,
    /// On one line, starting at `column` (a plain one-line YAML scalar).
    OneLine,
    /// Only the start is known (folded scalars, quoted ones with escapes).
    Start,
}

impl Origin {
    /// The Markdown body of a file.
    pub(super) fn body<T>(loaded: &Loaded<T>) -> Origin {
        Origin {
            file: loaded.file.clone(),
            line: loaded.body_line,
            column: 1,
            layout: Layout::Lines,
        }
    }

    /// The start of a document's YAML, when nothing closer is known.
    pub(super) fn start<T>(loaded: &Loaded<T>) -> Origin {
        let place = loaded.place_at(0, 1);
        Origin {
            file: loaded.file.clone(),
            line: place.line,
            column: place.column,
            layout: Layout::Start,
        }
    }

    /// A YAML string field; the layout is read from the file around it.
    pub(super) fn field<T>(loaded: &Loaded<T>, span: &Spanned<String>) -> Origin {
        let place = loaded.place_of(span);
        let value = &span.value;
        let source = loaded.file.line_text(place.line).unwrap_or("");
        let from_column: String = source
            .chars()
            .skip(place.column.saturating_sub(1))
            .collect();
        let first_line = value.lines().next().unwrap_or("");
        let after_literal_indicator = place.line > 1
            && loaded
                .file
                .line_text(place.line - 1)
                .is_some_and(|previous| {
                    let previous = previous.split(" #").next().unwrap_or("").trim_end();
                    previous.ends_with('|') || previous.ends_with("|-") || previous.ends_with("|+")
                });
        let one_line = !value.contains('\n');
        // A quoted scalar without escapes reads the same one column on.
        let quoted = one_line
            && from_column
                .strip_prefix(['"', '\''])
                .is_some_and(|rest| rest.starts_with(value.as_str()));
        let (column, layout) = if after_literal_indicator && from_column.starts_with(first_line) {
            (place.column, Layout::Lines)
        } else if one_line && from_column.starts_with(value.as_str()) {
            (place.column, Layout::OneLine)
        } else if quoted {
            (place.column + 1, Layout::OneLine)
        } else {
            (place.column, Layout::Start)
        };
        Origin {
            file: loaded.file.clone(),
            line: place.line,
            column,
            layout,
        }
    }

    /// The place of the byte `offset` of `text`.
    pub(super) fn place(&self, text: &str, offset: usize) -> Place {
        let before = text.get(..offset).unwrap_or(text);
        let line_index = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count();
        match self.layout {
            Layout::Lines => Place::at(&self.file, self.line + line_index, self.column + column),
            Layout::OneLine => Place::at(&self.file, self.line, self.column + column),
            Layout::Start => Place::at(&self.file, self.line, self.column),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let file = SourceFile::new("x.md", "---\nkind: sop\n---\nintro\n\nsee [k](/sops/k/)\n");
        let origin = Origin {
            file,
            line: 4,
            column: 1,
            layout: Layout::Lines,
        };
        let text = "intro\n\nsee [k](/sops/k/)\n";
        let place = origin.place(text, text.find('[').unwrap_or(0));
        assert_eq!((place.line, place.column), (6, 5));
    }
}
