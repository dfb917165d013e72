//! `onboard check` and `onboard build` on fixture sites: every kind of bad
//! input is reported with its file and line, and good input builds.

use std::fs;
use std::path::Path;

use crate::common::fixture;
use assert_cmd::Command;

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn onboard() -> Command {
    let mut command = Command::cargo_bin("onboard").unwrap();
    // As sites are built for real, with a share secret (without one,
    // guessable-share-links warns; the lints module covers that).
    command
        .env("NO_COLOR", "1")
        .env("ONBOARD_TEST_SHARE_SECRET", "check-tests")
        .env("ONBOARD_SHARE_SECRET", "check-tests");
    command
}

/// Runs `check` and returns (exit code, diagnostics as JSON).
fn check_json(root: &Path) -> (i32, Vec<serde_json::Value>) {
    crate::common::check_json(onboard(), root)
}

/// Asserts exactly one error with this code at this file and line.
fn assert_one_error(root: &Path, code: &str, file: &str, line: u64) -> serde_json::Value {
    let (status, diagnostics) = check_json(root);
    assert_eq!(status, 1, "{diagnostics:#?}");
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{diagnostics:#?}");
    let error = errors[0].clone();
    assert_eq!(error["code"], code, "{error:#?}");
    assert_eq!(error["file"], file, "{error:#?}");
    assert_eq!(error["line"], line, "{error:#?}");
    assert!(error["column"].as_u64().unwrap() >= 1);
    error
}

#[test]
fn a_valid_site_checks_clean_and_exits_zero() {
    let (_dir, root) = fixture("valid");
    let (status, diagnostics) = check_json(&root);
    assert_eq!(status, 0, "{diagnostics:#?}");
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
}

#[test]
fn malformed_yaml_is_located() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/acme.yaml",
        "  tier: enterprise",
        "  tier: [enterprise",
    );
    let error = assert_one_error(&root, "yaml", "content/customers/acme.yaml", 3);
    assert!(error["message"].as_str().unwrap().len() > 5);
}

#[test]
fn a_tab_in_indentation_is_located() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/acme.yaml",
        "  tier: enterprise",
        "\ttier: enterprise",
    );
    let error = assert_one_error(&root, "tab", "content/customers/acme.yaml", 3);
    assert!(
        error["help"].as_str().unwrap().contains("spaces"),
        "{error:#?}"
    );
}

#[test]
fn an_impossible_date_is_located() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/globex.yaml",
        "\"2026-01-20\"",
        "\"2026-02-30\"",
    );
    let error = assert_one_error(&root, "date", "content/customers/globex.yaml", 13);
    assert!(
        error["message"].as_str().unwrap().contains("2026-02-30"),
        "{error:#?}"
    );
    assert_eq!(error["column"], 18);
}

#[test]
fn an_unknown_status_lists_the_statuses() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/acme.yaml",
        "status: in_progress",
        "status: started",
    );
    let error = assert_one_error(&root, "value", "content/customers/acme.yaml", 13);
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("started") && message.contains("in_progress"),
        "{message}"
    );
}

#[test]
fn an_unknown_role_is_located_in_front_matter() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "playbooks/kickoff.md",
        "  - title: Hold the meeting\n    owner: csm",
        "  - title: Hold the meeting\n    owner: facilitator",
    );
    let error = assert_one_error(&root, "unknown-role", "playbooks/kickoff.md", 23);
    assert!(error["message"].as_str().unwrap().contains("facilitator"));
    assert!(
        error["help"].as_str().unwrap().contains("cs-lead"),
        "lists known roles"
    );
}

#[test]
fn an_unresolved_step_reference_is_located() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "playbooks/standard.md",
        "kickoff#confirm-readiness",
        "kickoff#confirm-everything",
    );
    let error = assert_one_error(&root, "unresolved-reference", "playbooks/standard.md", 6);
    assert!(
        error["help"]
            .as_str()
            .unwrap()
            .contains("confirm-readiness"),
        "lists the steps"
    );
}

#[test]
fn a_duplicate_slug_is_located() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/globex.yaml",
        "slug: globex",
        "slug: acme-corp",
    );
    let error = assert_one_error(&root, "duplicate-slug", "content/customers/globex.yaml", 3);
    assert!(error["message"].as_str().unwrap().contains("acme-corp"));
}

#[test]
fn a_second_sop_or_playbook_with_a_taken_id_is_located_and_names_the_first() {
    for (first, copy, kind) in [
        (
            "playbooks/kickoff.md",
            "playbooks/zz-kickoff.md",
            "SOP id `kickoff`",
        ),
        (
            "playbooks/standard.md",
            "playbooks/zz-standard.md",
            "playbook id `standard`",
        ),
    ] {
        let (_dir, root) = fixture("valid");
        std::fs::copy(root.join(first), root.join(copy)).unwrap();
        let error = assert_one_error(&root, "duplicate-id", copy, 3);
        assert_eq!(
            error["message"],
            format!("the {kind} is already used by {first}"),
            "{error:#?}"
        );
    }
}

#[test]
fn an_unknown_key_names_the_keys_allowed() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/acme.yaml",
        "  tier: enterprise",
        "  teir: enterprise",
    );
    let error = assert_one_error(&root, "unknown-key", "content/customers/acme.yaml", 3);
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("teir") && message.contains("tier"),
        "{message}"
    );
}

#[test]
fn two_faults_in_two_files_are_reported_in_one_run() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/acme.yaml",
        "status: in_progress",
        "status: started",
    );
    edit(
        &root,
        "playbooks/standard.md",
        "kickoff#confirm-readiness",
        "kickoff#nope",
    );
    let (status, diagnostics) = check_json(&root);
    assert_eq!(status, 1);
    let files: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["content/customers/acme.yaml", "playbooks/standard.md"],
        "{diagnostics:#?}"
    );
}

#[test]
fn human_output_shows_file_line_and_the_offending_line() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/globex.yaml",
        "\"2026-01-20\"",
        "\"2026-02-30\"",
    );
    let out = onboard()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(
        text.contains("content/customers/globex.yaml:13:18"),
        "{text}"
    );
    assert!(text.contains("target_date: \"2026-02-30\""), "{text}");
    assert!(text.contains("1 error"), "{text}");
}

#[test]
fn a_missing_root_is_a_usage_error() {
    let out = onboard()
        .args(["check", "--root", "/nonexistent/site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_seed_tracker_loads_exactly_as_written() {
    // The tracker example of the onboarding-playbooks seed, byte for byte:
    // quoted dates, `actual_date: null` and trailing comments.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content/customers")).unwrap();
    fs::write(root.join("onboard.yaml"), "as_of: 2026-01-25\n").unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/seed-tracker.yaml"),
        root.join("content/customers/acme.yaml"),
    )
    .unwrap();
    let (status, diagnostics) = check_json(root);
    assert_eq!(status, 0, "{diagnostics:#?}");
    // Its kickoff target, 2026-01-17, is a Saturday, it names no
    // stakeholders, and its tier is declared nowhere in this bare site:
    // warnings, not errors.
    let codes: Vec<(&str, u64)> = diagnostics
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("single-champion", 3),
            ("undeclared-tier", 4),
            ("target-on-non-working-day", 11)
        ],
        "{diagnostics:#?}"
    );
}

#[test]
fn init_writes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    onboard().arg("init").arg(&site).assert().success();
    let (status, diagnostics) = check_json(&site);
    assert_eq!(status, 0, "{diagnostics:#?}");
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    onboard()
        .args(["build", "--root"])
        .arg(&site)
        .assert()
        .success();
    assert!(site.join("public/index.html").exists());
    assert!(
        site.join("public/customers/example-customer/index.html")
            .exists()
    );
    // Refuses to write over a site.
    onboard().arg("init").arg(&site).assert().code(2);
}

#[test]
fn new_files_are_valid_as_written_and_never_overwrite() {
    let (_dir, root) = fixture("valid");
    for (kind, name) in [
        ("sop", "Escalation Handling"),
        ("playbook", "Enterprise Rollout"),
        ("customer", "Wayne Enterprises"),
    ] {
        onboard()
            .args(["new", kind, name, "--root"])
            .arg(&root)
            .assert()
            .success();
        onboard()
            .args(["new", kind, name, "--root"])
            .arg(&root)
            .assert()
            .code(2);
    }
    assert!(root.join("playbooks/escalation-handling.md").exists());
    assert!(root.join("playbooks/enterprise-rollout.md").exists());
    assert!(
        root.join("content/customers/wayne-enterprises.yaml")
            .exists()
    );
    let (status, diagnostics) = check_json(&root);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert_eq!(status, 0, "{errors:#?}");
}

#[test]
fn a_sign_off_of_an_open_milestone_is_located() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/acme.yaml",
        "    status: in_progress\n",
        "    status: in_progress\n    accepted_by: Ann Sponsor\n    accepted_on: 2026-01-20\n",
    );
    let error = assert_one_error(
        &root,
        "sign-off-on-open-milestone",
        "content/customers/acme.yaml",
        14,
    );
    assert!(error["message"].as_str().unwrap().contains("in_progress"));
}

#[test]
fn a_half_sign_off_and_one_before_completion_are_located() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/acme.yaml",
        "    status: complete\n",
        "    status: complete\n    accepted_by: Ann Sponsor\n",
    );
    assert_one_error(
        &root,
        "incomplete-sign-off",
        "content/customers/acme.yaml",
        11,
    );
    edit(
        &root,
        "content/customers/acme.yaml",
        "    accepted_by: Ann Sponsor\n",
        "    accepted_by: Ann Sponsor\n    accepted_on: 2026-01-15\n",
    );
    assert_one_error(
        &root,
        "sign-off-before-completion",
        "content/customers/acme.yaml",
        12,
    );
    edit(
        &root,
        "content/customers/acme.yaml",
        "accepted_on: 2026-01-15",
        "accepted_on: 2026-01-17",
    );
    let (status, diagnostics) = check_json(&root);
    assert_eq!(status, 0, "{diagnostics:#?}");
}

#[test]
fn new_tracker_fields_with_wrong_values_are_located() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/acme.yaml",
        "    status: in_progress\n",
        "    status: in_progress\n    side: vendor\n",
    );
    assert_one_error(&root, "value", "content/customers/acme.yaml", 14);
    edit(
        &root,
        "content/customers/acme.yaml",
        "side: vendor",
        "side: joint",
    );
    edit(
        &root,
        "content/customers/acme.yaml",
        "stakeholders:",
        "actions:\n  - { title: Plan, visibility: secret }\nstakeholders:",
    );
    assert_one_error(&root, "value", "content/customers/acme.yaml", 17);
}

#[test]
fn plan_milestone_references_are_checked() {
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "playbooks/standard.md",
        "{ name: Integration configured, offset: 7 days }",
        "{ name: Integration configured, offset: 7 days, sops: [kickoff#no-such-step] }",
    );
    assert_one_error(&root, "unresolved-reference", "playbooks/standard.md", 9);
    edit(
        &root,
        "playbooks/standard.md",
        "sops: [kickoff#no-such-step]",
        "phase: nowhere",
    );
    let error = assert_one_error(&root, "unresolved-reference", "playbooks/standard.md", 9);
    assert!(error["message"].as_str().unwrap().contains("nowhere"));
}

#[test]
fn brand_language_and_accent_are_checked() {
    let (_dir, root) = fixture("valid");
    let config = root.join("onboard.yaml");
    let base = fs::read_to_string(&config).unwrap();
    let with = |extra: &str| fs::write(&config, format!("{base}{extra}")).unwrap();
    with("brand:\n  accent: \"blue; background: red\"\n");
    assert_one_error(&root, "invalid-colour", "onboard.yaml", 15);
    with("language: \"en\\\"><script>\"\n");
    assert_one_error(&root, "invalid-language", "onboard.yaml", 14);
    with("brand:\n  logo: ../secret.svg\n");
    assert_one_error(&root, "invalid-brand-file", "onboard.yaml", 15);
    with("brand:\n  favicon: brand/icon.svg\n");
    let error = assert_one_error(&root, "missing-brand-file", "onboard.yaml", 15);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("static/brand/icon.svg")
    );
    fs::create_dir_all(root.join("static/brand")).unwrap();
    fs::write(
        root.join("static/brand/icon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    with(
        "organization: Fixture Co\nlanguage: de\nbrand:\n  favicon: brand/icon.svg\n  accent: \"#a1b2c3\"\n",
    );
    let (status, diagnostics) = check_json(&root);
    assert_eq!(status, 0, "{diagnostics:#?}");
}

#[test]
fn a_reader_that_stops_early_ends_check_without_a_panic() {
    // `onboard check --format json | head -c 0`: the reading end is closed
    // before check prints anything.
    let (_dir, root) = fixture("valid");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("onboard"))
        .args(["check", "--format", "json", "--root"])
        .arg(&root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}
