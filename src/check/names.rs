//! Output names: every SOP id, playbook id, customer slug and page path
//! becomes a folder of the output, so each must be a name that every file
//! system accepts, and no two of a kind may differ only in case (macOS and
//! Windows would write both into one folder, the second over the first).
//!
//! These are hard errors: they make `check` fail where `build` would fail
//! to write, or write a site that is wrong on another machine.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostics::Place;
use crate::load::Loaded;
use crate::model::Spanned;
use crate::site::Site;

use crate::diagnostics::lints::Reporter;

/// The longest name, in bytes, that an id, slug or part of a page path may
/// make. File systems allow 255; the margin keeps room for the names a
/// later version may put beside it.
pub const MAX_NAME_BYTES: usize = 200;

/// Checks every name that becomes a folder of the output; with `only`, the
/// slugs of the customers not in it are left out (`serve` keeps their
/// findings from before, and a slug cannot change without a full check).
pub fn run(site: &Site, only: Option<&BTreeSet<String>>, report: &mut Reporter<'_>) {
    let sops = site.sops.iter().map(|sop| Named {
        name: &sop.id,
        place: written_place(&sop.loaded, sop.loaded.doc.id.as_ref()),
    });
    check_kind(&Kind::SOP, sops.collect(), report);

    let playbooks = site.playbooks.iter().map(|playbook| Named {
        name: &playbook.id,
        place: written_place(&playbook.loaded, playbook.loaded.doc.id.as_ref()),
    });
    check_kind(&Kind::PLAYBOOK, playbooks.collect(), report);

    let customers = site
        .customers
        .iter()
        .filter(|customer| only.is_none_or(|only| only.contains(&customer.slug)))
        .map(|customer| {
            let written = &customer.loaded.doc.customer;
            Named {
                name: &customer.slug,
                place: customer
                    .loaded
                    .place_of(written.slug.as_ref().unwrap_or(&written.name)),
            }
        });
    check_kind(&Kind::CUSTOMER, customers.collect(), report);

    let pages = site.pages.iter().map(|page| Named {
        name: &page.path,
        place: page.loaded.place(),
    });
    check_kind(&Kind::PAGE, pages.collect(), report);

    for sop in &site.sops {
        check_tags(&sop.loaded, &sop.loaded.doc.tags, report);
    }
    for playbook in &site.playbooks {
        check_tags(&playbook.loaded, &playbook.loaded.doc.tags, report);
    }
    for page in &site.pages {
        check_tags(&page.loaded, &page.loaded.doc.tags, report);
    }
}

/// Each tag becomes the folder `tags/<slug>/`: a tag whose slug is empty
/// (only punctuation) or not a safe name cannot have a page. Tags whose
/// slugs are equal (`SaaS`, `saas`) are one tag, not an error.
fn check_tags<T>(loaded: &Loaded<T>, tags: &[String], report: &mut Reporter<'_>) {
    for tag in tags {
        let slug = crate::model::tag_slug(tag);
        let reason = if slug.is_empty() {
            Some("has no letter or digit to name its page".to_string())
        } else {
            unsafe_name(&slug).map(|reason| format!("makes the page name `{slug}`, which {reason}"))
        };
        if let Some(reason) = reason {
            report.error(
                "unsafe-name",
                &tag_place(loaded, tag),
                format!("the tag `{tag}` {reason}"),
                "use a tag of letters, digits, spaces or hyphens; it becomes the folder tags/<slug>/ of the output",
            );
        }
    }
}

/// Where `tag` is written in the file's YAML (tags are plain strings, so
/// the first occurrence of the text after the front matter starts); the
/// start of the file when it is not found as written (a quoted form).
fn tag_place<T>(loaded: &Loaded<T>, tag: &str) -> Place {
    let text = &loaded.file.text;
    let yaml = &text[..loaded.body_start.min(text.len())];
    let from = yaml.find("tags").unwrap_or(0);
    match yaml[from..].find(tag).filter(|_| !tag.is_empty()) {
        Some(offset) => {
            let at = from + offset;
            let line = yaml[..at].matches('\n').count() + 1;
            let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
            let column = yaml[line_start..at].chars().count() + 1;
            Place::at(&loaded.file, line, column)
        }
        None => loaded.place(),
    }
}

/// One kind of name and the words that explain it.
struct Kind {
    /// What the name is, as a message says it (`SOP id`).
    what: &'static str,
    /// Where it goes in the output.
    folder: &'static str,
    /// How to change it.
    fix: &'static str,
    /// Whether `/` separates folders in it (page paths), rather than
    /// being a character that a name may not hold.
    nested: bool,
    /// Whether resolve holds it to the slug rule (lowercase letters, digits
    /// and hyphens) and reports a name that breaks it: then only a slug is
    /// checked here (its length, a name Windows reserves), and two such
    /// names can never differ only in case.
    slug: bool,
}

impl Kind {
    const SOP: Kind = Kind {
        what: "SOP id",
        folder: "sops/<id>/",
        fix: "set `id:` (it defaults to the file name)",
        nested: false,
        slug: true,
    };
    const PLAYBOOK: Kind = Kind {
        what: "playbook id",
        folder: "playbooks/<id>/",
        fix: "set `id:` (it defaults to the file name)",
        nested: false,
        slug: true,
    };
    const CUSTOMER: Kind = Kind {
        what: "customer slug",
        folder: "customers/<slug>/ and share/<slug>/",
        fix: "set a shorter `slug:` under `customer:`",
        nested: false,
        slug: true,
    };
    const PAGE: Kind = Kind {
        what: "page path",
        folder: "pages/<path>/",
        fix: "rename the file or its folder under content/pages/",
        nested: true,
        slug: false,
    };
}

/// A name and where it is written (or, for a default, the file it comes from).
struct Named<'a> {
    name: &'a str,
    place: Place,
}

fn written_place<T>(loaded: &Loaded<T>, written: Option<&Spanned<String>>) -> Place {
    written.map_or_else(|| loaded.place(), |id| loaded.place_of(id))
}

/// Reports unsafe names, then names that differ only in case from one
/// earlier in file order: the error is on the second and names the first.
fn check_kind(kind: &Kind, mut names: Vec<Named<'_>>, report: &mut Reporter<'_>) {
    names.sort_by(|a, b| {
        (&a.place.file.name, a.place.line, a.place.column).cmp(&(
            &b.place.file.name,
            b.place.line,
            b.place.column,
        ))
    });
    let mut seen: HashMap<String, &Named<'_>> = HashMap::new();
    for named in &names {
        let parts: Vec<&str> = if kind.nested {
            named.name.split('/').collect()
        } else {
            vec![named.name]
        };
        for part in parts {
            // A name that breaks the slug rule is reported by resolve.
            let reason = if kind.slug && part != crate::model::slugify(part) {
                None
            } else {
                unsafe_name(part)
            };
            if let Some(reason) = reason {
                let what = kind.what;
                let name = named.name;
                let message = if part == name {
                    format!("the {what} `{name}` cannot be a file name: it {reason}")
                } else {
                    format!("the {what} `{name}` cannot be a file name: its part `{part}` {reason}")
                };
                let help = format!(
                    "{}; it becomes the folder {} of the output, so use letters, digits and hyphens",
                    kind.fix, kind.folder
                );
                report.error("unsafe-name", &named.place, message, help);
            }
        }
        if kind.slug {
            continue;
        }
        let folded = named.name.to_lowercase();
        if let Some(first) = seen.get(&folded) {
            let at = &first.place;
            report.error(
                    "case-collision",
                    &named.place,
                    format!(
                        "the {} `{}` differs only in case from `{}` ({}:{}:{}): on macOS and Windows both are written to the same folder, one over the other",
                        kind.what, named.name, first.name, at.file.name, at.line, at.column
                    ),
                    format!("{} so that the two differ in more than case", kind.fix),
                );
        } else {
            seen.insert(folded, named);
        }
    }
}

/// Why `name` cannot be a file or folder name on every system, if it cannot.
pub fn unsafe_name(name: &str) -> Option<String> {
    const RESERVED: &[&str] = &["con", "prn", "aux", "nul"];
    if name.is_empty() {
        return Some("is empty".into());
    }
    if name.len() > MAX_NAME_BYTES {
        return Some(format!(
            "is {} bytes long, more than the {MAX_NAME_BYTES} allowed",
            name.len()
        ));
    }
    if name == "." || name == ".." {
        return Some(format!("is `{name}`, which names another folder"));
    }
    if let Some(c) = name.chars().find(|c| r#"<>:"/\|?*"#.contains(*c)) {
        return Some(format!(
            "contains `{c}`, which Windows does not allow in file names"
        ));
    }
    if name.chars().any(char::is_control) {
        return Some("contains a control character".into());
    }
    if name.ends_with(['.', ' ']) {
        return Some("ends with a dot or a space, which Windows drops".into());
    }
    // Windows reserves device names, whatever follows a dot.
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix)
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit() && n != "0")
    };
    if RESERVED.contains(&stem.as_str()) || numbered("com") || numbered("lpt") {
        return Some(format!("is `{stem}`, a device name that Windows reserves"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_safe() {
        for name in [
            "kickoff",
            "saas-onboarding",
            "Team FAQ",
            "v1.2",
            "com0",
            "console",
        ] {
            assert_eq!(unsafe_name(name), None, "{name}");
        }
    }

    #[test]
    fn names_that_some_system_refuses_are_unsafe() {
        let long = "a".repeat(MAX_NAME_BYTES + 1);
        for name in [
            "",
            ".",
            "..",
            "a/b",
            r"a\b",
            "a:b",
            "what?",
            "tab\there",
            "trailing.",
            "trailing ",
            "CON",
            "nul.txt",
            "Com3",
            "lpt9",
            long.as_str(),
        ] {
            assert!(unsafe_name(name).is_some(), "{name:?}");
        }
        assert_eq!(unsafe_name(&"é".repeat(MAX_NAME_BYTES / 2)), None);
        assert!(unsafe_name(&"é".repeat(MAX_NAME_BYTES / 2 + 1)).is_some());
    }
}
