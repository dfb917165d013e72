//! The `split-list-item` lint: flow lists whose items read like one phrase.

use crate::diagnostics::Place;
use crate::diagnostics::lints::Reporter;
use crate::site::Site;

// ----------------------------------------------------------------- YAML

/// The site-wide roles file (SOPs' own roles are scanned with the SOP).
pub(super) fn roles_file_lints(site: &Site, report: &mut Reporter<'_>) {
    let mut files: Vec<&std::sync::Arc<crate::diagnostics::SourceFile>> = site
        .roles
        .iter()
        .filter(|r| r.declared_in.is_none())
        .map(|r| &r.declared_at.file)
        .collect();
    files.dedup_by(|a, b| a.name == b.name);
    for file in files {
        split_list_items(file, 0, &file.text, report);
    }
}

/// Reports each `[...]` list whose items read like one phrase cut by a
/// comma (see [`crate::check::split_items`]). `yaml` is the document's YAML,
/// starting `line_offset` lines into `file`.
pub(super) fn split_list_items(
    file: &std::sync::Arc<crate::diagnostics::SourceFile>,
    line_offset: usize,
    yaml: &str,
    report: &mut Reporter<'_>,
) {
    for split in crate::check::split_items::find(yaml) {
        let shown: Vec<String> = split.items.iter().map(|i| format!("“{i}”")).collect();
        let whole = split.items.join(", ");
        report.lint(
            "split-list-item",
            &Place::at(file, split.line + line_offset, split.column),
            format!(
                "this list has {} items, {}: “{}” reads like the rest of the item before it",
                split.items.len(),
                shown.join(", "),
                split.items[split.at]
            ),
            format!(
                "a comma in `[...]` starts a new item: quote an item that holds commas, such as `[\"{}\"]`, or write the list one `- item` per line",
                whole.replace('"', "\\\"")
            ),
        );
    }
}
