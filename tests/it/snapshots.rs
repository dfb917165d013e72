//! Snapshots of what people read: `check` output for broken content, and
//! the HTML fragments that carry the SOP library (a step, the KPI table).

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;

fn fixture() -> (tempfile::TempDir, PathBuf) {
    crate::common::fixture("valid")
}

/// The element that starts with `start` up to its closing `</tag>`,
/// counting nested elements of the same tag.
fn fragment(html: &str, start: &str, tag: &str) -> String {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut depth = 0;
    let mut at = from;
    loop {
        let next_open = html[at..].find(&open).map(|i| i + at);
        let next_close = html[at..].find(&close).map(|i| i + at).expect("closed");
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                at = o + open.len();
            }
            _ => {
                depth -= 1;
                at = next_close + close.len();
                if depth == 0 {
                    return html[from..at].to_string();
                }
            }
        }
    }
}

#[test]
fn check_output_for_two_broken_files() {
    let (_dir, root) = fixture();
    let tracker = root.join("content/customers/acme.yaml");
    let text = fs::read_to_string(&tracker).unwrap();
    fs::write(
        &tracker,
        text.replace("status: in_progress", "status: started"),
    )
    .unwrap();
    let playbook = root.join("playbooks/standard.md");
    let text = fs::read_to_string(&playbook).unwrap();
    fs::write(
        &playbook,
        text.replace("kickoff#confirm-readiness", "kickoff#confirm-everything"),
    )
    .unwrap();
    let out = Command::cargo_bin("onboard")
        .unwrap()
        .env("NO_COLOR", "1")
        .env("ONBOARD_TEST_SHARE_SECRET", "snapshot-secret")
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr)
        .unwrap()
        .replace(&root.display().to_string(), "[ROOT]");
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_step_and_the_kpi_table_of_an_sop_page() {
    let (dir, root) = fixture();
    let out = dir.path().join("public");
    Command::cargo_bin("onboard")
        .unwrap()
        .env_remove("ONBOARD_TEST_SHARE_SECRET")
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let html = fs::read_to_string(out.join("sops/kickoff/index.html")).unwrap();
    insta::assert_snapshot!(
        "step",
        fragment(&html, "<section id=\"confirm-readiness\"", "section")
    );
    insta::assert_snapshot!("kpis", fragment(&html, "<table class=\"kpis", "table"));
}

/// The list `onboard serve`'s error overlay shows for a site with three
/// broken files: every diagnostic, each labelled by its kind and drawn
/// with the same excerpt as the terminal.
#[test]
fn the_serve_overlay_lists_every_error_with_its_excerpt() {
    let (_dir, root) = fixture();
    let edit = |path: &str, from: &str, to: &str| {
        let file = root.join(path);
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{path} has {from}");
        fs::write(&file, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "content/customers/acme.yaml",
        "status: in_progress",
        "status: started",
    );
    edit(
        "playbooks/standard.md",
        "kickoff#confirm-readiness",
        "kickoff#confirm-everything",
    );
    edit(
        "onboard.yaml",
        "holidays: [2026-01-19]",
        "holidays: [2026-02-30]",
    );
    // The broken config has no `as_of` to give: the date comes from here.
    let options = onboard::site::BuildOptions {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 1, 25),
        share_secret: Some("snapshot-secret".into()),
        ..Default::default()
    };
    let diagnostics = onboard::build::check(&root, options).expect("readable");
    let list: serde_json::Value =
        serde_json::from_str(&onboard::serve::overlay::error_list(&diagnostics)).unwrap();
    let shown: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            format!(
                "{} {}:{}:{}\n{}",
                item["label"].as_str().unwrap(),
                item["file"].as_str().unwrap(),
                item["line"],
                item["column"],
                item["drawn"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(shown.len(), diagnostics.iter().count());
    insta::assert_snapshot!(shown.join("\n"));
}
