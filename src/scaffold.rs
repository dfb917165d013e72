//! `onboard init` and `onboard new`: starting files that are valid as written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::calendar::WorkCalendar;
use crate::schema::Kind;

/// What `new` creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    /// An SOP.
    Sop,
    /// A playbook.
    Playbook,
    /// A customer tracker.
    Customer,
}

/// Writes a new, commented file for `name`; never overwrites. Dates in it
/// are counted from `today`, so a new file starts on plan.
pub fn new_file(root: &Path, kind: NewKind, name: &str, today: NaiveDate) -> io::Result<PathBuf> {
    let slug = crate::model::slugify(name);
    if slug.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the name needs at least one letter or digit",
        ));
    }
    let (path, text) = match kind {
        NewKind::Sop => (
            root.join("playbooks").join(format!("{slug}.md")),
            sop_template(&slug, name, today),
        ),
        NewKind::Playbook => (
            root.join("playbooks").join(format!("{slug}.md")),
            playbook_template(&slug, name),
        ),
        NewKind::Customer => (
            root.join("content/customers").join(format!("{slug}.yaml")),
            customer_template(&slug, name, today),
        ),
    };
    write_new(&path, &text)?;
    if kind == NewKind::Customer {
        // The file names its schema for editors; a site made before
        // schemas were written gets the one it names.
        let schema = root.join(SCHEMAS).join(Kind::Tracker.file_name());
        if !schema.exists() {
            write_new(&schema, &Kind::Tracker.schema_text())?;
        }
    }
    Ok(path)
}

fn write_new(path: &Path, text: &str) -> io::Result<()> {
    if path.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists; choose another name", path.display()),
        ));
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// Writes a new site that builds and checks clean: config, roles, an SOP, a
/// playbook, a customer and a page, with dates counted from `today`.
pub fn init(dir: &Path, today: NaiveDate) -> io::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty; choose a new folder", dir.display()),
        ));
    }
    write_new(&dir.join("onboard.yaml"), CONFIG)?;
    write_new(&dir.join("playbooks/roles.yaml"), ROLES)?;
    let sop = sop_template("kickoff", "Kickoff", today).replace(
        "status: draft                  # draft | approved | retired (drafts build only with --drafts)",
        &format!(
            "status: approved               # draft | approved | retired (drafts build only with --drafts)\napprovals: [{{ role: cs-lead, name: \"Your Name\", date: {today} }}]"
        ),
    );
    write_new(&dir.join("playbooks/kickoff.md"), &sop)?;
    new_file(dir, NewKind::Playbook, "Standard onboarding", today)?;
    let customer = customer_template("example-customer", "Example Customer", today).replace(
        "# playbook: standard-onboarding",
        "playbook: standard-onboarding",
    );
    write_new(
        &dir.join("content/customers/example-customer.yaml"),
        &customer,
    )?;
    write_new(&dir.join("content/pages/guide.md"), GUIDE)?;
    for kind in Kind::ALL {
        write_new(
            &dir.join(SCHEMAS).join(kind.file_name()),
            &kind.schema_text(),
        )?;
    }
    Ok(())
}

/// The folder of a site that holds the JSON Schemas for editors.
pub const SCHEMAS: &str = "schemas";

/// What to run to see a file that `new` wrote, for `kind` and the file's
/// slug.
pub fn how_to_see(kind: NewKind, slug: &str) -> String {
    match kind {
        NewKind::Sop => format!(
            "it is a draft (`status: draft`), so a plain build leaves it out: see it at \
             /sops/{slug}/ with `onboard serve` (it shows drafts), or build it with `onboard build --drafts`; \
             set `status: approved` to publish it"
        ),
        NewKind::Playbook => {
            format!(
                "see it at /playbooks/{slug}/ with `onboard serve`; check it with `onboard check`"
            )
        }
        NewKind::Customer => {
            format!(
                "see it at /customers/{slug}/ with `onboard serve`; check it with `onboard check`"
            )
        }
    }
}

/// The starting files, as `onboard init` and `onboard new` write them.
/// Those with `{{name}}` places are filled by [`fill`].
const CONFIG: &str = include_str!("scaffold/onboard.yaml");
const ROLES: &str = include_str!("scaffold/roles.yaml");
const GUIDE: &str = include_str!("scaffold/guide.md");
const SOP: &str = include_str!("scaffold/sop.md");
const PLAYBOOK: &str = include_str!("scaffold/playbook.md");
const TRACKER: &str = include_str!("scaffold/tracker.yaml");

/// `template` with each `{{name}}` replaced by the value given for `name`,
/// in one pass, so that a value is never read as a place to fill.
///
/// Panics on a place without a value: the templates are part of the
/// program, and a test fills each one.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let end = start + rest[start..].find("}}").expect("a place is closed");
        let name = &rest[start + 2..end];
        let value = values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no value for {{{{{name}}}}}"));
        out.push_str(&rest[..start]);
        out.push_str(value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

fn sop_template(slug: &str, name: &str, today: NaiveDate) -> String {
    let values = [
        ("slug", slug),
        ("title", &yaml_string(name)),
        ("today", &today.to_string()),
    ];
    fill(SOP, &values)
}

fn playbook_template(slug: &str, name: &str) -> String {
    fill(PLAYBOOK, &[("slug", slug), ("title", &yaml_string(name))])
}

fn customer_template(slug: &str, name: &str, today: NaiveDate) -> String {
    let calendar = WorkCalendar::default();
    let after = |day, n| calendar.add_business_days(day, n).unwrap_or(day);
    // The last working day up to today: a start after today would date the
    // welcome update after the site's "as of" day.
    let start = today
        .iter_days()
        .rev()
        .take(14)
        .find(|day| calendar.is_working_day(*day))
        .unwrap_or(today);
    let values = [
        ("slug", slug),
        ("title", &yaml_string(name)),
        ("start", &start.to_string()),
        ("kickoff", &after(start, 3).to_string()),
        ("first_value", &after(start, 10).to_string()),
        ("due", &after(start, 5).to_string()),
    ];
    fill(TRACKER, &values)
}

/// Quotes a name for YAML.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_in_the_templates_is_filled() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 25).unwrap();
        for text in [
            sop_template("kickoff", "Kickoff", today),
            playbook_template("standard", "Standard"),
            customer_template("acme", "Acme", today),
        ] {
            assert!(!text.contains("{{"), "{text}");
            assert!(!text.contains("}}"), "{text}");
        }
    }

    #[test]
    fn a_value_that_looks_like_a_place_is_written_as_it_is() {
        let filled = fill("{{a}} and {{b}}", &[("a", "{{b}}"), ("b", "x")]);
        assert_eq!(filled, "{{b}} and x");
    }

    #[test]
    fn a_new_customer_starts_on_the_last_working_day_with_dates_after_it() {
        // A Sunday: the start is the Friday before, kickoff 3 working days on.
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let text = customer_template("acme", "Acme \"Co\"", sunday);
        assert!(text.contains("name: \"Acme \\\"Co\\\"\""), "{text}");
        assert!(text.contains("start_date: \"2026-02-27\""), "{text}");
        assert!(text.contains("target_date: \"2026-03-04\""), "{text}");
        assert!(text.contains("due: \"2026-03-06\""), "{text}");
    }

    #[test]
    #[should_panic(expected = "no value for {{missing}}")]
    fn a_place_without_a_value_is_a_bug() {
        fill("{{missing}}", &[]);
    }
}
