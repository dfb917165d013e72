//! Input that once crashed, hung or garbled onboard: one regression test
//! per fault, on a copy of the example site, and a seeded mutation run
//! over that site ([`mutants`]).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::common::copy_dir;

mod mutants;

/// A copy of the example site at the repository root, in `<temp>/site`.
fn copy_example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(&root).expect("create the site folder");
    fs::copy(repository.join("onboard.yaml"), root.join("onboard.yaml")).expect("copy config");
    for folder in ["playbooks", "content", "themes", "static"] {
        copy_dir(&repository.join(folder), &root.join(folder));
    }
    (dir, root)
}

fn onboard() -> Command {
    let mut command = Command::cargo_bin("onboard").expect("the binary is built");
    command
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env_remove("ONBOARD_SHARE_SECRET");
    command
}

/// Replaces the first `from` in a file of the site.
fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).expect("read the file");
    assert!(text.contains(from), "{file} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write the file");
}

/// `check --format json`: the exit code and the errors.
fn check_errors(root: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = onboard()
        .args(["check", "--format", "json", "--root"])
        .arg(root)
        .output()
        .expect("run check");
    let diagnostics: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let errors = diagnostics
        .into_iter()
        .filter(|d| d["level"] == "error")
        .collect();
    (out.status.code(), errors)
}

/// Asserts that `check` fails with exactly one error, of this code, at
/// this file and line, and returns it.
fn one_error(root: &Path, code: &str, file: &str, line: u64) -> serde_json::Value {
    let (status, errors) = check_errors(root);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(status, Some(1), "{errors:#?}");
    error_at(&errors, code, file, line)
}

/// The error of this code at this file and line, which must be there
/// with a column.
fn error_at(errors: &[serde_json::Value], code: &str, file: &str, line: u64) -> serde_json::Value {
    let error = errors
        .iter()
        .find(|e| e["code"] == code && e["file"] == file)
        .unwrap_or_else(|| panic!("no {code} error in {file}: {errors:#?}"))
        .clone();
    assert_eq!(error["line"].as_u64(), Some(line), "{error:#?}");
    assert!(
        error["column"].as_u64().is_some_and(|c| c > 1),
        "{error:#?}"
    );
    error
}

/// `build` into `<temp>/out`: exit code, stderr.
fn build(root: &Path) -> (Option<i32>, String) {
    let out = onboard()
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(root.parent().expect("in a temp dir").join("out"))
        .output()
        .expect("run build");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The 1-based line of the first line of a file that contains `text`.
fn line_of(root: &Path, file: &str, text: &str) -> u64 {
    let content = fs::read_to_string(root.join(file)).expect("read the file");
    content
        .lines()
        .position(|line| line.contains(text))
        .map(|i| i as u64 + 1)
        .unwrap_or_else(|| panic!("{file} has no line with {text:?}"))
}

#[test]
fn a_diagnostic_past_column_65535_is_printed() {
    let (_dir, root) = copy_example();
    let long = "x".repeat(70_000);
    edit(
        &root,
        "content/customers/acme.yaml",
        "risks:\n",
        &format!("risks:\n  - {{ title: t, mitigation: \"{long}\", bogus: 1 }}\n"),
    );
    let line = line_of(&root, "content/customers/acme.yaml", "bogus");
    for command in ["check", "build"] {
        let mut onboard = onboard();
        onboard.args([command, "--root"]).arg(&root);
        if command == "build" {
            onboard.arg("--out").arg(root.parent().unwrap().join("out"));
        }
        let out = onboard.output().expect("run onboard");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("unknown field `bogus`"), "{stderr}");
        assert!(
            stderr.contains(&format!("content/customers/acme.yaml:{line}:700")),
            "{stderr}"
        );
        assert!(stderr.contains("\", bogus: 1 }"), "{stderr}");
        assert!(stderr.lines().all(|l| l.chars().count() < 300), "{stderr}");
    }
}

#[test]
fn an_offset_of_95000000_days_is_a_located_check_error() {
    let (_dir, root) = copy_example();
    let file = "playbooks/saas-playbook.md";
    edit(
        &root,
        file,
        "offset: 3 business days",
        "offset: 95000000 days",
    );
    let line = line_of(&root, file, "95000000 days");
    let error = one_error(&root, "invalid-offset", file, line);
    assert!(
        error["help"]
            .as_str()
            .is_some_and(|h| h.contains("at most 36525 days")),
        "{error:#?}"
    );
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(1), "{stderr}");
}

#[test]
fn a_plan_past_2200_never_reaches_the_exports() {
    let (_dir, root) = copy_example();
    // The longest offset a plan takes, from a start late in the range.
    let playbook = "playbooks/saas-playbook.md";
    edit(
        &root,
        playbook,
        "offset: 3 business days",
        "offset: 36525 days",
    );
    let tracker = "content/customers/acme.yaml";
    edit(
        &root,
        tracker,
        "start_date: \"2026-01-15\"",
        "start_date: \"2190-01-15\"",
    );
    let error = one_error(
        &root,
        "invalid-offset",
        tracker,
        line_of(&root, tracker, "start_date"),
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("2200-12-31")),
        "{error:#?}"
    );
    assert_eq!(build(&root).0, Some(1));

    // From the example's start date the same plan builds, every date a
    // real one within the range.
    edit(
        &root,
        tracker,
        "start_date: \"2190-01-15\"",
        "start_date: \"2026-01-15\"",
    );
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(0), "{stderr}");
    let out = root.parent().unwrap().join("out");
    let json = fs::read_to_string(out.join("data/customers.json")).expect("customers.json");
    assert!(json.contains("\"2126-01-"), "the plan's date is exported");
    let exports: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let mut planned = None;
    for customer in exports["customers"].as_array().expect("customers") {
        for milestone in customer["milestones"].as_array().expect("milestones") {
            for key in ["target_date", "actual_date"] {
                if let Some(date) = milestone[key].as_str() {
                    assert!(
                        date.len() == 10 && ("1900".."2201").contains(&&date[..4]),
                        "{date}"
                    );
                    if date.starts_with("2126-") {
                        planned = customer["slug"].as_str();
                    }
                }
            }
        }
    }
    let slug = planned.expect("a customer follows the long plan");
    let feed = fs::read_to_string(out.join(format!("customers/{slug}/milestones.ics")))
        .expect("the customer's feed");
    assert!(feed.contains("DTSTART;VALUE=DATE:2126"), "{feed}");
}

#[test]
fn dates_outside_1900_to_2200_are_located_errors() {
    let (_dir, root) = copy_example();
    let tracker = "content/customers/acme.yaml";
    edit(
        &root,
        tracker,
        "target_date: \"2026-01-20\"",
        "target_date: \"9999-12-31\"",
    );
    let error = one_error(
        &root,
        "date",
        tracker,
        line_of(&root, tracker, "9999-12-31"),
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("1900-01-01 to 2200-12-31")),
        "{error:#?}"
    );
    edit(&root, tracker, "9999-12-31", "2026-01-20");
    edit(&root, "onboard.yaml", "2026-01-19", "1899-12-31");
    one_error(
        &root,
        "date",
        "onboard.yaml",
        line_of(&root, "onboard.yaml", "1899-12-31"),
    );
    let out = onboard()
        .args(["check", "--as-of", "2201-01-01", "--root"])
        .arg(&root)
        .output()
        .expect("run check");
    assert_eq!(out.status.code(), Some(2), "a usage error");
}

#[test]
fn a_two_megabyte_customer_name_is_a_located_error() {
    let (_dir, root) = copy_example();
    let tracker = "content/customers/acme.yaml";
    let name = format!("Acme {}", "y".repeat(2_000_000));
    edit(
        &root,
        tracker,
        "name: \"Acme Corp\"",
        &format!("name: \"{name}\""),
    );
    let error = one_error(&root, "value", tracker, line_of(&root, tracker, "Acme yyy"));
    assert_eq!(error["column"], 9, "{error:#?}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 1000")),
        "{error:#?}"
    );
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.len() < 10_000,
        "the name is not echoed: {} bytes",
        stderr.len()
    );
}

#[test]
fn titles_over_1000_characters_are_located_errors() {
    let (_dir, root) = copy_example();
    let sop = "playbooks/kickoff.md";
    let title = "T".repeat(1_001);
    edit(
        &root,
        sop,
        "title: Customer Onboarding Kickoff",
        &format!("title: {title}"),
    );
    // The SOP is left out, so the links to it break too.
    let (status, errors) = check_errors(&root);
    assert_eq!(status, Some(1));
    let error = error_at(&errors, "value", sop, line_of(&root, sop, "TTTT"));
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("1001 characters")),
        "{error:#?}"
    );
    edit(&root, sop, &title, "Customer Onboarding Kickoff");

    // A page without `title:` takes its first heading as its title.
    let page = "content/pages/notes.md";
    fs::write(root.join(page), format!("Intro.\n\n# {title}\n\nText.\n")).expect("write a page");
    one_error(&root, "title-too-long", page, 3);
}

#[test]
fn control_characters_in_content_never_reach_the_terminal() {
    let (_dir, root) = copy_example();
    let tracker = "content/customers/acme.yaml";
    // A completed milestone without an actual date is reported with its name.
    edit(
        &root,
        tracker,
        "  - name: \"Accounts provisioned\"\n    target_date: \"2026-01-20\"\n    actual_date: \"2026-01-20\"",
        "  - name: \"Accounts \\e]0;PWNED\\a\\e[2J\\u009b31m\\u202e provisioned\"\n    target_date: \"2026-01-20\"\n    actual_date: null",
    );
    // And a file whose very name holds an escape sequence.
    fs::write(
        root.join("content/customers/\u{1b}[2Jbroken.yaml"),
        "customer: [\u{1b}]0;PWNED\u{7}\n",
    )
    .expect("write a tracker");
    let check = onboard()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .expect("run check");
    let (build_status, build_stderr) = build(&root);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(build_status, Some(1));
    let check_stderr = String::from_utf8_lossy(&check.stderr);
    for stderr in [check_stderr.as_ref(), build_stderr.as_str()] {
        assert!(stderr.contains("PWNED"), "{stderr}");
        assert!(stderr.contains("␛]0;PWNED"), "{stderr}");
        assert!(stderr.contains("␛[2Jbroken.yaml"), "{stderr}");
        let raw: Vec<char> = stderr
            .chars()
            .filter(|&c| c.is_control() && c != '\n' && c != '\t')
            .collect();
        assert!(raw.is_empty(), "{raw:?} in {stderr}");
        assert!(!stderr.contains('\u{202e}'), "{stderr}");
    }
    // JSON keeps the text, escaped.
    let json = onboard()
        .args(["check", "--format", "json", "--root"])
        .arg(&root)
        .output()
        .expect("run check");
    let stdout = String::from_utf8_lossy(&json.stdout);
    assert!(stdout.contains(r"\u001b]0;PWNED\u0007"), "{stdout}");
    assert!(stdout.contains(r"\u009b31m\u202e"), "{stdout}");
    assert!(
        !stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{stdout}"
    );
}
