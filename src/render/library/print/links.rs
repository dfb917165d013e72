//! Links on the print page: the anchors it holds for each document, and
//! the rewriting of a document's ids and links so that they point within
//! the page where they can.

use std::collections::{BTreeMap, HashSet};

use super::{PRINT_ROOT, playbook_anchor, sop_anchor};
use crate::markdown::has_scheme;

/// What the print page holds, to turn links into anchors: for each
/// printed document, the fragments of its own page that the print page
/// has an anchor for.
pub(super) struct Held {
    /// SOP id → fragment on its page → anchor on the print page.
    pub(super) sops: BTreeMap<String, BTreeMap<String, String>>,
    /// Playbook id → fragment → anchor.
    pub(super) playbooks: BTreeMap<String, BTreeMap<String, String>>,
    /// `role-<id>` anchors.
    pub(super) roles: HashSet<String>,
    /// `term-<slug>` anchors.
    pub(super) terms: HashSet<String>,
}

impl Held {
    /// The print page's href for a link written on the page at `page`
    /// (an output path such as `sops/kickoff/index.html`).
    pub(super) fn href(&self, page: &str, url: &str) -> String {
        let url = url.trim();
        if url.is_empty() || has_scheme(url) || url.starts_with("//") {
            return url.to_string();
        }
        let (rest, fragment) = match url.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment)),
            None => (url, None),
        };
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        let target = if path.is_empty() {
            page.to_string()
        } else {
            match resolve_path(page, path) {
                Some(target) => target,
                // Above the site root: not a file of the site.
                None => return url.to_string(),
            }
        };
        if let Some(anchor) = self.anchor(&target, fragment) {
            return format!("#{anchor}");
        }
        let mut href = format!("{PRINT_ROOT}{target}");
        if let Some(query) = query {
            href.push('?');
            href.push_str(query);
        }
        if let Some(fragment) = fragment {
            href.push('#');
            href.push_str(fragment);
        }
        href
    }

    /// The anchor on the print page for `fragment` of the output file
    /// `target`, when the print page holds that document.
    fn anchor(&self, target: &str, fragment: Option<&str>) -> Option<String> {
        let fragment = fragment.filter(|f| !f.is_empty());
        let parts: Vec<&str> = target.split('/').collect();
        match parts.as_slice() {
            ["sops", id, "index.html"] => {
                let held = self.sops.get(*id)?;
                Some(
                    fragment
                        .and_then(|f| held.get(f).cloned())
                        .unwrap_or_else(|| sop_anchor(id)),
                )
            }
            ["playbooks", id, "index.html"] => {
                let held = self.playbooks.get(*id)?;
                Some(
                    fragment
                        .and_then(|f| held.get(f).cloned())
                        .unwrap_or_else(|| playbook_anchor(id)),
                )
            }
            ["roles", "index.html"] => Some(match fragment {
                Some(f) if self.roles.contains(f) => f.to_string(),
                _ => "roles".to_string(),
            }),
            ["glossary", "index.html"] => Some(match fragment {
                Some(f) if self.terms.contains(f) => f.to_string(),
                _ => "glossary".to_string(),
            }),
            ["print", "index.html"] => Some(fragment.unwrap_or("top").to_string()),
            _ => None,
        }
    }
}

/// The output path that `path`, written on the page at `page`, names:
/// `..` and `.` resolved, and a folder read as its `index.html` (as
/// [`crate::markdown::relative_to_root`] writes links). None when it
/// climbs above the site root.
fn resolve_path(page: &str, path: &str) -> Option<String> {
    let mut segments: Vec<&str> = page.split('/').collect();
    // The page's own file name.
    segments.pop();
    if path.starts_with('/') {
        segments.clear();
    }
    let mut last = "";
    for segment in path.trim_start_matches('/').split('/') {
        last = segment;
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            name => segments.push(name),
        }
    }
    let mut target = segments.join("/");
    if last.is_empty() || last == "." || last == ".." || !last.contains('.') {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some(target)
}

/// One rendered piece of a document (a body, a step's text) with its ids
/// made unique on the print page and its links read from `page`.
///
/// Rendered HTML writes every attribute in double quotes and escapes `"`
/// in text, so ` id="` and ` href="` occur only as attributes.
pub(super) fn scope_html(html: &str, prefix: &str, page: &str, held: &Held) -> String {
    let own: HashSet<&str> = attribute_values(html, " id=\"").collect();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    loop {
        let next_id = rest.find(" id=\"");
        let next_href = rest.find(" href=\"");
        let (at, is_id) = match (next_id, next_href) {
            (Some(i), Some(h)) if i < h => (i, true),
            (Some(i), None) => (i, true),
            (_, Some(h)) => (h, false),
            (None, None) => break,
        };
        let name_len = if is_id { 5 } else { 7 };
        let value_start = at + name_len;
        let Some(value_len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + value_len];
        out.push_str(&rest[..value_start]);
        if is_id {
            out.push_str(prefix);
            out.push_str(value);
        } else {
            // The attribute holds `&amp;` for `&`; anchors and paths of
            // the site do not, so the value is read as written.
            match value.strip_prefix('#') {
                Some(fragment) if own.contains(fragment) => {
                    out.push('#');
                    out.push_str(prefix);
                    out.push_str(fragment);
                }
                _ => out.push_str(&held.href(page, value)),
            }
        }
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

/// The values of every attribute that starts with `start` (` id="`).
fn attribute_values<'h>(html: &'h str, start: &'h str) -> impl Iterator<Item = &'h str> + 'h {
    html.match_indices(start).filter_map(move |(at, _)| {
        let from = at + start.len();
        html[from..].find('"').map(|len| &html[from..from + len])
    })
}
#[cfg(test)]
mod tests {
    use super::super::step_anchor;
    use super::*;

    fn held() -> Held {
        let mut kickoff = BTreeMap::new();
        kickoff.insert(
            "confirm-readiness".to_string(),
            step_anchor("kickoff", "confirm-readiness"),
        );
        let mut sops = BTreeMap::new();
        sops.insert("kickoff".to_string(), kickoff);
        Held {
            sops,
            playbooks: BTreeMap::new(),
            roles: ["role-csm".to_string()].into_iter().collect(),
            terms: HashSet::new(),
        }
    }

    #[test]
    fn relative_paths_resolve_from_the_page_they_were_written_on() {
        let page = "sops/kickoff/index.html";
        assert_eq!(
            resolve_path(page, "../handoff/").as_deref(),
            Some("sops/handoff/index.html")
        );
        assert_eq!(
            resolve_path(page, "../../pages/guide/index.html").as_deref(),
            Some("pages/guide/index.html")
        );
        assert_eq!(
            resolve_path(page, "../../pages/guide").as_deref(),
            Some("pages/guide/index.html")
        );
        assert_eq!(
            resolve_path(page, "../../logo.png").as_deref(),
            Some("logo.png")
        );
        assert_eq!(resolve_path(page, "../../../../x/"), None);
        assert_eq!(
            resolve_path("", "sops/kickoff/index.html").as_deref(),
            Some("sops/kickoff/index.html")
        );
    }

    #[test]
    fn links_to_held_documents_become_anchors_and_others_stay_files() {
        let held = held();
        let page = "sops/other/index.html";
        assert_eq!(
            held.href(page, "../kickoff/index.html#confirm-readiness"),
            "#sop-kickoff--confirm-readiness"
        );
        // An anchor the print page does not hold goes to the document.
        assert_eq!(held.href(page, "../kickoff/#nowhere"), "#sop-kickoff");
        assert_eq!(
            held.href(page, "../../roles/index.html#role-csm"),
            "#role-csm"
        );
        assert_eq!(held.href(page, "../../roles/index.html#role-x"), "#roles");
        assert_eq!(
            held.href(page, "../../pages/guide/index.html#setup"),
            "../pages/guide/index.html#setup"
        );
        assert_eq!(held.href(page, "../retired/"), "../sops/retired/index.html");
        assert_eq!(
            held.href(page, "https://example.com/a#b"),
            "https://example.com/a#b"
        );
        assert_eq!(
            held.href(page, "mailto:a@example.com"),
            "mailto:a@example.com"
        );
    }

    #[test]
    fn ids_get_the_prefix_and_links_to_them_follow() {
        let held = held();
        let html = r##"<h3 id="setup">Setup</h3><p>See <a href="#setup">setup</a>, <a href="#confirm-readiness">a step</a> and <a href="../../pages/guide/index.html">the guide</a>. Text with id=&quot;x&quot; stays.</p>"##;
        let scoped = scope_html(html, "sop-kickoff---", "sops/kickoff/index.html", &held);
        assert_eq!(
            scoped,
            r##"<h3 id="sop-kickoff---setup">Setup</h3><p>See <a href="#sop-kickoff---setup">setup</a>, <a href="#sop-kickoff--confirm-readiness">a step</a> and <a href="../pages/guide/index.html">the guide</a>. Text with id=&quot;x&quot; stays.</p>"##
        );
    }
}
