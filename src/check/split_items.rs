//! Flow lists (`[a, b, c]`) whose items look like one phrase that a comma
//! cut in two: YAML reads `[Time-based at 30, 60 or 90 days]` as the two
//! items "Time-based at 30" and "60 or 90 days", and nothing else notices.
//!
//! The YAML text is scanned as written, since the parsed document no
//! longer says which list was written on one line. Block scalars (`|`,
//! `>`), comments and quoted items are left alone: a quoted item holds its
//! commas on purpose.

/// An item that reads like the rest of the item before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// 1-based line of the item in the scanned text.
    pub line: usize,
    /// 1-based column (in characters) of the item.
    pub column: usize,
    /// The list's items as YAML reads them (quoted ones as written).
    pub items: Vec<String>,
    /// Index in `items` of the item that looks split off.
    pub at: usize,
}

/// Words that continue a phrase rather than start a list item.
const CONTINUING_WORDS: &[&str] = &[
    "and",
    "or",
    "nor",
    "but",
    "yet",
    "so",
    "then",
    "than",
    "exactly",
    "especially",
    "including",
    "excluding",
    "except",
    "such",
    "which",
    "whichever",
    "who",
    "whose",
    "where",
    "whereas",
    "while",
    "unless",
    "until",
    "because",
    "though",
    "although",
    "etc",
    "etc.",
    "e.g.",
    "i.e.",
    "plus",
    "rather",
    "otherwise",
    "respectively",
];

/// Words a phrase does not end with.
const DANGLING_WORDS: &[&str] = &[
    "and", "or", "the", "a", "an", "of", "to", "with", "for", "from", "into", "than", "at",
];

/// Nesting deeper than this is not scanned (and never written by hand).
const MAX_DEPTH: usize = 32;

/// The suspected splits in `yaml`, at most one per list.
pub fn find(yaml: &str) -> Vec<Split> {
    let mut found = Vec::new();
    if !yaml.contains('[') {
        return found;
    }
    let bytes = yaml.as_bytes();
    // Byte offset where each line starts.
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    let mut scanner = Scanner {
        text: yaml,
        starts: &starts,
        found: &mut found,
    };
    let mut block_parent: Option<usize> = None;
    let mut line = 0;
    while line < starts.len() {
        let start = starts[line];
        let end = starts.get(line + 1).map_or(yaml.len(), |next| next - 1);
        let text = &yaml[start..end];
        let indent = text.len() - text.trim_start_matches(' ').len();
        let trimmed = text.trim();
        if let Some(parent) = block_parent {
            if trimmed.is_empty() || indent > parent {
                line += 1;
                continue;
            }
            block_parent = None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            line += 1;
            continue;
        }
        let Some(value) = value_start(text) else {
            line += 1;
            continue;
        };
        let first = text.as_bytes()[value];
        if first == b'[' || first == b'{' {
            let after = scanner.collection(start + value, 0);
            // Continue on the line after the one the list ends on.
            line = starts
                .partition_point(|&s| s <= after.saturating_sub(1))
                .max(line + 1);
            continue;
        }
        if first == b'|' || first == b'>' {
            block_parent = Some(indent);
        }
        line += 1;
    }
    found
}

/// Where the value of a line starts: after any `- ` markers and a `key:`.
fn value_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = line.len() - line.trim_start().len();
    // Sequence markers, as in `- - [a, b]`.
    while at < bytes.len() && bytes[at] == b'-' && bytes.get(at + 1).is_none_or(|b| *b == b' ') {
        at += 1;
        while at < bytes.len() && bytes[at] == b' ' {
            at += 1;
        }
    }
    match bytes.get(at) {
        None => return None,
        Some(b'[' | b'{' | b'|' | b'>') => return Some(at),
        Some(b'"' | b'\'') => return None,
        _ => {}
    }
    // A `key:` followed by a space or the end of the line.
    let rest = &line[at..];
    let colon = rest
        .char_indices()
        .find(|&(i, c)| c == ':' && rest[i + 1..].chars().next().is_none_or(|n| n == ' '))
        .map(|(i, _)| at + i + 1)?;
    let value = colon + (line.len() - colon - line[colon..].trim_start().len());
    (value < line.len()).then_some(value)
}

/// An item of a flow list: plain, or quoted or nested (shown, never judged).
struct Item {
    start: usize,
    text: String,
    plain: bool,
}

impl Item {
    /// A quoted or nested item at `start`, shown as `text`.
    fn shown(start: usize, text: &str) -> Self {
        Item {
            start,
            text: text.to_string(),
            plain: false,
        }
    }

    /// A plain item at `start`, its `written` text with each run of white
    /// space (line breaks included) read as one space.
    fn plain(start: usize, written: &str) -> Self {
        Item {
            start,
            text: written.split_whitespace().collect::<Vec<_>>().join(" "),
            plain: true,
        }
    }
}

struct Scanner<'a> {
    text: &'a str,
    starts: &'a [usize],
    found: &'a mut Vec<Split>,
}

impl Scanner<'_> {
    /// Scans the flow collection opening at `at`; returns the offset after it.
    fn collection(&mut self, at: usize, depth: usize) -> usize {
        let bytes = self.text.as_bytes();
        let sequence = bytes[at] == b'[';
        let close = if sequence { b']' } else { b'}' };
        if depth > MAX_DEPTH {
            return self.text.len();
        }
        let mut items: Vec<Item> = Vec::new();
        let mut pos = at + 1;
        while pos < bytes.len() {
            match bytes[pos] {
                b' ' | b'\t' | b'\r' | b'\n' | b',' => pos += 1,
                b'#' if bytes[pos - 1].is_ascii_whitespace() => pos = line_end(bytes, pos),
                b if b == close => {
                    if sequence {
                        self.judge(&items);
                    }
                    return pos + 1;
                }
                b']' | b'}' => return pos + 1,
                b'[' | b'{' => {
                    items.push(Item::shown(pos, "…"));
                    pos = self.collection(pos, depth + 1);
                }
                b'"' | b'\'' => {
                    let end = skip_quoted(bytes, pos);
                    items.push(Item::shown(pos, &self.text[pos..end]));
                    pos = end;
                }
                _ if sequence => {
                    let end = plain_end(bytes, pos, close);
                    items.push(Item::plain(pos, &self.text[pos..end]));
                    pos = end;
                }
                _ => {
                    // A map's keys and plain values: only nested lists matter.
                    pos = plain_end(bytes, pos, close);
                    if bytes.get(pos) == Some(&b':') {
                        pos += 1;
                    }
                }
            }
        }
        self.text.len()
    }

    /// Records the first item of a list that looks split from the one before.
    fn judge(&mut self, items: &[Item]) {
        for i in 1..items.len() {
            let (previous, item) = (&items[i - 1], &items[i]);
            if !(previous.plain && item.plain && looks_split(&previous.text, &item.text)) {
                continue;
            }
            let offset = item.start;
            let line = self.starts.partition_point(|&s| s <= offset);
            let column = self.text[self.starts[line - 1]..offset].chars().count() + 1;
            self.found.push(Split {
                line,
                column,
                items: items.iter().map(|i| i.text.clone()).collect(),
                at: i,
            });
            return;
        }
    }
}

/// The offset of the line break that ends the line of `at`, or the end.
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i)
}

/// The offset of the closing quote's next byte (or the end of the text).
fn skip_quoted(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let mut pos = at + 1;
    while pos < bytes.len() {
        if quote == b'"' && bytes[pos] == b'\\' {
            pos += 2;
            continue;
        }
        if bytes[pos] == quote {
            if quote == b'\'' && bytes.get(pos + 1) == Some(&b'\'') {
                pos += 2;
                continue;
            }
            return pos + 1;
        }
        pos += 1;
    }
    bytes.len()
}

/// Where a plain scalar in a flow collection ends: at a `,`, the closing
/// bracket, a `: ` in a map, or a comment.
fn plain_end(bytes: &[u8], at: usize, close: u8) -> usize {
    let mut pos = at;
    while pos < bytes.len() {
        match bytes[pos] {
            b',' | b'[' | b'{' | b']' | b'}' => return pos,
            b'#' if pos > at && bytes[pos - 1].is_ascii_whitespace() => return pos,
            b':' if close == b'}'
                && bytes
                    .get(pos + 1)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b',') =>
            {
                return pos;
            }
            _ => pos += 1,
        }
    }
    pos
}

/// Whether `item` reads as the continuation of `previous`.
fn looks_split(previous: &str, item: &str) -> bool {
    let Some(first) = item.split_whitespace().next() else {
        return false;
    };
    let last = previous.split_whitespace().last().unwrap_or("");
    let phrase = |t: &str| t.contains(' ');
    // "at 30, 60 or 90 days": a run of numbers cut inside a phrase.
    let numbers = phrase(previous)
        && phrase(item)
        && last.ends_with(|c: char| c.is_ascii_digit())
        && first.starts_with(|c: char| c.is_ascii_digit());
    // "…, exactly as written": the item opens with a word that continues.
    let continues = CONTINUING_WORDS.contains(&first);
    // "Meet with, the sponsor": the item before stops mid-phrase.
    let dangles = phrase(previous) && DANGLING_WORDS.contains(&last.to_ascii_lowercase().as_str());
    numbers || continues || dangles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splits(yaml: &str) -> Vec<(usize, usize, String)> {
        find(yaml)
            .into_iter()
            .map(|s| (s.line, s.column, s.items[s.at].clone()))
            .collect()
    }

    #[test]
    fn a_number_run_cut_by_a_comma_is_found() {
        assert_eq!(
            splits("defaults:\n  - alternatives: [Time-based at 30, 60 or 90 days]\n"),
            [(2, 38, "60 or 90 days".to_string())]
        );
    }

    #[test]
    fn an_item_that_continues_the_one_before_is_found() {
        let yaml = "roles:\n  - id: tech\n    responsibilities: [Carry out the hands-on steps, 1 to 4 above all, exactly as written]\n";
        let found = find(yaml);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].items.len(), 3);
        assert_eq!(found[0].items[found[0].at], "exactly as written");
        assert_eq!(found[0].line, 3);
    }

    #[test]
    fn ordinary_lists_pass() {
        for yaml in [
            "tags: [saas, onboarding, handoff]\n",
            "holidays: [2026-01-19, 2026-02-16]\n",
            "days: [1, 3]\n",
            "alternatives: [Under 30 days for self-serve, 90 to 180 days for enterprise]\n",
            "alternatives: [7 days for simple products, 30 days for complex ones]\n",
            "tools: [Google Drive kickoff deck, video conferencing, HubSpot]\n",
            "alternatives: [\"Time-based at 30, 60 or 90 days\"]\n",
            "alternatives: ['At 30, 60 or 90 days', 'Or never']\n",
        ] {
            assert_eq!(splits(yaml), [], "{yaml}");
        }
    }

    #[test]
    fn block_scalars_comments_and_plain_text_are_left_alone() {
        let yaml = "body: |\n  See [a, or b](x) and [30, 60 or 90 days].\nsummary: Plans at [30, 60 or 90 days]\n# tags: [a, and b]\nnext: [Day one, and day two]\n";
        assert_eq!(splits(yaml), [(5, 17, "and day two".to_string())]);
    }

    #[test]
    fn lists_inside_flow_maps_and_over_lines_are_scanned() {
        let yaml =
            "milestones:\n  - { name: A, tiers: [Time-based at 30,\n      60 or 90 days] }\n";
        assert_eq!(splits(yaml), [(3, 7, "60 or 90 days".to_string())]);
        let yaml = "- { setting: x, default: \"a, b\", alternatives: [Meet with, the sponsor] }\n";
        assert_eq!(splits(yaml), [(1, 60, "the sponsor".to_string())]);
    }

    #[test]
    fn broken_text_never_panics() {
        for yaml in [
            "a: [",
            "a: [\"x",
            "a: [x, {y: [",
            "- [é, ü, and ö",
            "a: ]]",
            "[[[[",
            "a: [x,\n",
        ] {
            let _ = find(yaml);
        }
        let deep = format!("a: {}", "[".repeat(10_000));
        let _ = find(&deep);
    }
}
