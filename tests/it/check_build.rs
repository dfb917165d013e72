//! `check` fails wherever `build` would, with a located error; nothing is
//! skipped without a word; a site that cannot be read exits 2 and leaves
//! the previous output alone. One regression test per fault found.

use std::fs;
use std::path::Path;

use crate::common::fixture;
use assert_cmd::Command;

fn onboard() -> Command {
    let mut command = Command::cargo_bin("onboard").unwrap();
    command
        .env("NO_COLOR", "1")
        .env_remove("ONBOARD_TEST_SHARE_SECRET");
    command
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn add_to_config(root: &Path, line: &str) {
    let config = fs::read_to_string(root.join("onboard.yaml")).unwrap();
    fs::write(root.join("onboard.yaml"), format!("{config}{line}\n")).unwrap();
}

/// Runs `check` and returns (exit code, diagnostics as JSON).
fn check_json(root: &Path) -> (i32, Vec<serde_json::Value>) {
    crate::common::check_json(onboard(), root)
}

/// Asserts that `check` fails with exactly one error, with this code, at
/// this file, line and column; returns it.
fn check_fails_at(
    root: &Path,
    code: &str,
    file: &str,
    line: u64,
    column: u64,
) -> serde_json::Value {
    let (status, diagnostics) = check_json(root);
    assert_eq!(status, 1, "{diagnostics:#?}");
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{diagnostics:#?}");
    let error = errors[0].clone();
    assert_eq!(
        (
            &error["code"],
            &error["file"],
            &error["line"],
            &error["column"]
        ),
        (&code.into(), &file.into(), &line.into(), &column.into()),
        "{error:#?}"
    );
    error
}

/// Runs `build` into `root/public` and returns (exit code, stderr).
fn build(root: &Path) -> (i32, String) {
    let out = onboard()
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts that `build` fails with content errors and writes nothing.
fn build_fails(root: &Path) {
    let (status, stderr) = build(root);
    assert_eq!(status, 1, "{stderr}");
    assert!(!root.join("public").exists(), "{stderr}");
}

fn message(diagnostic: &serde_json::Value) -> String {
    format!("{} {}", diagnostic["message"], diagnostic["help"])
}

// ------------------------------------------------------------------ themes

#[test]
fn an_unknown_theme_fails_check_and_names_the_closest_theme() {
    let (_dir, root) = fixture("valid");
    fs::create_dir_all(root.join("themes/brand/templates")).unwrap();
    add_to_config(&root, "theme: brnd");
    let error = check_fails_at(&root, "unknown-theme", "onboard.yaml", 14, 8);
    let text = message(&error);
    assert!(text.contains("did you mean `brand`"), "{text}");
    assert!(text.contains("`default`"), "lists every theme: {text}");
    build_fails(&root);
}

#[test]
fn a_theme_given_as_a_path_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir_all(outside.path().join("static")).unwrap();
    fs::write(outside.path().join("static/leak.txt"), "outside").unwrap();
    for theme in [outside.path().display().to_string(), "../x".to_string()] {
        let (_dir, root) = fixture("valid");
        add_to_config(&root, &format!("theme: {theme}"));
        let error = check_fails_at(&root, "invalid-theme", "onboard.yaml", 14, 8);
        assert!(message(&error).contains("themes/"), "{error:#?}");
        build_fails(&root);
    }
}

#[cfg(unix)]
#[test]
fn a_theme_folder_that_links_out_of_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir_all(outside.path().join("static")).unwrap();
    fs::write(outside.path().join("static/leak.txt"), "outside").unwrap();
    let (_dir, root) = fixture("valid");
    fs::create_dir_all(root.join("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("themes/brand")).unwrap();
    add_to_config(&root, "theme: brand");
    let error = check_fails_at(&root, "invalid-theme", "onboard.yaml", 14, 8);
    assert!(message(&error).contains("out of the site"), "{error:#?}");
    build_fails(&root);
}

#[test]
fn a_template_that_does_not_compile_fails_check_once() {
    let (_dir, root) = fixture("valid");
    let partials = root.join("themes/default/templates/partials");
    fs::create_dir_all(&partials).unwrap();
    fs::write(partials.join("footer.html"), "<footer>\n{% if %}\n").unwrap();
    check_fails_at(
        &root,
        "template",
        "themes/default/templates/partials/footer.html",
        2,
        7,
    );
    build_fails(&root);
}

// ------------------------------------------------------------ output names

#[test]
fn an_overlong_slug_fails_check() {
    let (_dir, root) = fixture("valid");
    let long = "a".repeat(300);
    edit(
        &root,
        "content/customers/globex.yaml",
        "slug: globex",
        &format!("slug: {long}"),
    );
    let error = check_fails_at(&root, "unsafe-name", "content/customers/globex.yaml", 3, 9);
    assert!(message(&error).contains("300 bytes"), "{error:#?}");
    build_fails(&root);
}

#[test]
fn an_sop_id_that_is_not_a_file_name_fails_check() {
    // A name that is not a slug is refused by the slug rule (`invalid-id`),
    // a slug that Windows reserves by the file-name rule: one error each.
    for (id, code) in [
        ("\"../../escaped\"", "invalid-id"),
        ("\"a:b\"", "invalid-id"),
        ("CON", "invalid-id"),
        ("con", "unsafe-name"),
    ] {
        let (_dir, root) = fixture("valid");
        edit(
            &root,
            "playbooks/kickoff.md",
            "id: kickoff",
            &format!("id: {id}"),
        );
        // The playbook's references to `kickoff` no longer resolve: only
        // the name itself is of interest here.
        let (status, diagnostics) = check_json(&root);
        assert_eq!(status, 1);
        let unsafe_names: Vec<_> = diagnostics
            .iter()
            .filter(|d| d["code"] == "unsafe-name" || d["code"] == "invalid-id")
            .collect();
        assert_eq!(unsafe_names.len(), 1, "{id}: {diagnostics:#?}");
        assert_eq!(unsafe_names[0]["code"], code, "{id}");
        assert_eq!(unsafe_names[0]["file"], "playbooks/kickoff.md");
        assert_eq!(unsafe_names[0]["line"], 3);
        assert_eq!(unsafe_names[0]["column"], 5);
        build_fails(&root);
        assert!(!root.parent().unwrap().join("escaped").exists());
    }
}

// SOP and playbook ids are slugs, so two of them can never differ only in
// case: the upper-case one is refused where it is written, before it could
// overwrite the other's folder on macOS or Windows.
#[test]
fn sop_ids_that_differ_only_in_case_cannot_both_exist() {
    let (_dir, root) = fixture("valid");
    let kickoff = fs::read_to_string(root.join("playbooks/kickoff.md")).unwrap();
    fs::write(
        root.join("playbooks/kickoff2.md"),
        kickoff.replace("id: kickoff", "id: KICKOFF"),
    )
    .unwrap();
    let error = check_fails_at(&root, "invalid-id", "playbooks/kickoff2.md", 3, 5);
    assert!(message(&error).contains("`KICKOFF`"), "{error:#?}");
    build_fails(&root);
}

#[test]
fn playbook_ids_that_differ_only_in_case_cannot_both_exist() {
    let (_dir, root) = fixture("valid");
    let standard = fs::read_to_string(root.join("playbooks/standard.md")).unwrap();
    fs::write(
        root.join("playbooks/standard-copy.md"),
        standard.replace("id: standard", "id: STANDARD"),
    )
    .unwrap();
    let error = check_fails_at(&root, "invalid-id", "playbooks/standard-copy.md", 3, 5);
    assert!(message(&error).contains("`STANDARD`"), "{error:#?}");
    build_fails(&root);
}

// Two page files whose names differ only in case cannot both exist where
// the file system folds case: the case arises on Linux.
#[cfg(target_os = "linux")]
#[test]
fn page_paths_that_differ_only_in_case_collide() {
    let (_dir, root) = fixture("valid");
    let pages = root.join("content/pages");
    fs::create_dir_all(pages.join("team")).unwrap();
    fs::write(pages.join("team/faq.md"), "# FAQ\n").unwrap();
    fs::write(pages.join("team/FAQ.md"), "# Questions\n").unwrap();
    let error = check_fails_at(&root, "case-collision", "content/pages/team/faq.md", 1, 1);
    assert!(
        message(&error).contains("content/pages/team/FAQ.md:1:1"),
        "{error:#?}"
    );
    build_fails(&root);
}

#[test]
fn slugs_and_step_ids_that_differ_only_in_case_fail_check() {
    // Slugs and step ids must be lowercase already, so the second of two
    // that differ only in case is refused as it is written.
    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "content/customers/globex.yaml",
        "slug: globex",
        "slug: ACME-CORP",
    );
    check_fails_at(&root, "invalid-slug", "content/customers/globex.yaml", 3, 9);
    build_fails(&root);

    let (_dir, root) = fixture("valid");
    edit(
        &root,
        "playbooks/kickoff.md",
        "  - title: Hold the meeting",
        "  - id: Confirm-Readiness\n    title: Hold the meeting",
    );
    check_fails_at(&root, "invalid-id", "playbooks/kickoff.md", 22, 9);
    build_fails(&root);
}

// ------------------------------------------------- reading: exit codes

/// Builds `root` once, so that a later failed build has output to keep.
fn build_once(root: &Path) -> Vec<u8> {
    let (status, stderr) = build(root);
    assert_eq!(status, 0, "{stderr}");
    fs::read(root.join("public/index.html")).unwrap()
}

/// Asserts that `check` and `build` exit 2 naming `path`, and that the
/// previous output is untouched.
fn cannot_read(root: &Path, path: &str, previous: &[u8]) {
    let out = onboard()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(path), "{stderr}");
    let (status, stderr) = build(root);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains(path), "{stderr}");
    assert_eq!(fs::read(root.join("public/index.html")).unwrap(), previous);
    assert!(root.join("public/customers/acme-corp/index.html").exists());
}

#[test]
fn a_customers_folder_that_is_a_file_exits_2_and_keeps_the_output() {
    let (_dir, root) = fixture("valid");
    let previous = build_once(&root);
    fs::remove_dir_all(root.join("content/customers")).unwrap();
    fs::write(root.join("content/customers"), "").unwrap();
    cannot_read(&root, "content/customers", &previous);
}

#[test]
fn an_onboard_yaml_that_is_a_folder_exits_2() {
    let (_dir, root) = fixture("valid");
    let previous = build_once(&root);
    fs::remove_file(root.join("onboard.yaml")).unwrap();
    fs::create_dir(root.join("onboard.yaml")).unwrap();
    cannot_read(&root, "onboard.yaml", &previous);
}

#[cfg(unix)]
#[test]
fn unreadable_folders_and_trackers_exit_2_and_keep_the_output() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, root) = fixture("valid");
    let previous = build_once(&root);
    let customers = root.join("content/customers");
    let tracker = customers.join("globex.yaml");
    fs::set_permissions(&tracker, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&tracker).is_ok() {
        // Running as root, which reads anything: the case cannot be made
        // here. The two tests above cover the same path with a folder
        // where a file is expected and a file where a folder is.
        return;
    }
    cannot_read(&root, "content/customers/globex.yaml", &previous);
    fs::set_permissions(&tracker, fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(&customers, fs::Permissions::from_mode(0o000)).unwrap();
    cannot_read(&root, "content/customers", &previous);
    fs::set_permissions(&customers, fs::Permissions::from_mode(0o755)).unwrap();
}

// ------------------------------------------------------- skipped entries

#[cfg(unix)]
#[test]
fn entries_that_look_like_content_but_are_skipped_are_named() {
    let outside = tempfile::tempdir().unwrap();
    fs::copy(
        crate::common::sites().join("valid/content/customers/globex.yaml"),
        outside.path().join("elsewhere.yaml"),
    )
    .unwrap();
    let (_dir, root) = fixture("valid");
    let customers = root.join("content/customers");
    std::os::unix::fs::symlink("missing.yaml", customers.join("dangling.yaml")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("elsewhere.yaml"),
        customers.join("outside.yaml"),
    )
    .unwrap();
    fs::create_dir(customers.join("folder.yaml")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(customers.join("pipe.yaml"))
        .output()
        .unwrap();
    assert!(fifo.status.success());
    // A link to a tracker inside the site is read like the file itself.
    fs::rename(customers.join("globex.yaml"), root.join("globex.yaml")).unwrap();
    std::os::unix::fs::symlink("../../globex.yaml", customers.join("globex.yaml")).unwrap();

    let (status, diagnostics) = check_json(&root);
    assert_eq!(status, 0, "{diagnostics:#?}");
    let skipped: Vec<(&str, &str)> = diagnostics
        .iter()
        .filter(|d| d["code"] == "skipped-entry")
        .map(|d| (d["file"].as_str().unwrap(), d["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("content/customers/dangling.yaml", "warning"),
            ("content/customers/folder.yaml", "warning"),
            ("content/customers/outside.yaml", "warning"),
            ("content/customers/pipe.yaml", "warning"),
        ],
        "{diagnostics:#?}"
    );
    let (status, stderr) = build(&root);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("content/customers/outside.yaml"),
        "{stderr}"
    );
    assert!(stderr.contains("3 customers"), "{stderr}");
    assert!(root.join("public/customers/globex/index.html").exists());
}

// ----------------------------------------------------------------- UTF-8

#[test]
fn invalid_utf8_is_located_at_its_first_bad_byte() {
    let (_dir, root) = fixture("valid");
    let path = root.join("content/customers/globex.yaml");
    let mut bytes = fs::read(&path).unwrap();
    let at = bytes.windows(8).position(|w| w == b"Globex <").unwrap();
    bytes[at + 3] = 0xff;
    fs::write(&path, bytes).unwrap();
    let error = check_fails_at(&root, "encoding", "content/customers/globex.yaml", 2, 13);
    assert!(message(&error).contains("0xFF"), "{error:#?}");
    let out = onboard()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/customers/globex.yaml:2:13"),
        "{stderr}"
    );
    build_fails(&root);
}
