//! The JSON Schemas: printed by `onboard schema`, written by `init`, true
//! to the example site, to the format reference and to `new`'s templates;
//! and every fault of a file reported in one run.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use onboard::diagnostics::SourceFile;
use onboard::schema::{Kind, property_names, validate_with};

use crate::common::{check_json, fixture};

fn onboard() -> Command {
    Command::cargo_bin("onboard").unwrap()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The faults of a file's YAML against a kind's schema, as
/// `line:column message`.
fn faults(kind: Kind, name: &str, text: &str) -> Vec<String> {
    let (yaml, offset) = match onboard::load::split_front_matter(text) {
        Some(split) if name.ends_with(".md") => (split.yaml, 1),
        _ => (text, 0),
    };
    let file = SourceFile::new(name, text);
    validate_with(&kind.schema(), &file, yaml, offset)
        .unwrap_or_else(|| panic!("{name} is not YAML"))
        .iter()
        .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
        .collect()
}

/// The kind of a file of a site, by where it stands and what it says.
fn kind_of(root: &Path, path: &Path) -> Option<Kind> {
    let rel = path
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let text = fs::read_to_string(path).unwrap();
    if rel == "onboard.yaml" {
        Some(Kind::Config)
    } else if rel == "playbooks/roles.yaml" {
        Some(Kind::Roles)
    } else if rel.starts_with("playbooks/") {
        if text.lines().any(|l| l.trim() == "kind: sop") {
            Some(Kind::Sop)
        } else {
            assert!(text.lines().any(|l| l.trim() == "kind: playbook"), "{rel}");
            Some(Kind::Playbook)
        }
    } else if rel.starts_with("content/customers/") {
        Some(Kind::Tracker)
    } else if rel.starts_with("content/pages/") {
        Some(Kind::Page)
    } else {
        None
    }
}

fn site_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("onboard.yaml")];
    for dir in ["playbooks", "content/customers", "content/pages"] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push(path);
                }
            }
        }
    }
    files.retain(|p| p.exists());
    files.sort();
    files
}

#[test]
fn each_schema_is_kept_as_a_snapshot() {
    for kind in Kind::ALL {
        insta::assert_snapshot!(format!("schema_{}", kind.name()), kind.schema_text());
    }
}

#[test]
fn the_example_site_and_the_seed_tracker_meet_the_schemas() {
    let mut checked = 0;
    for root in [repo(), repo().join("tests/sites/valid")] {
        for path in site_files(&root) {
            let Some(kind) = kind_of(&root, &path) else {
                continue;
            };
            let name = path.to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).unwrap();
            assert_eq!(faults(kind, &name, &text), Vec::<String>::new(), "{name}");
            checked += 1;
        }
    }
    let seed = repo().join("tests/sites/seed-tracker.yaml");
    let text = fs::read_to_string(&seed).unwrap();
    assert_eq!(
        faults(Kind::Tracker, "seed-tracker.yaml", &text),
        Vec::<String>::new()
    );
    assert!(checked >= 15, "only {checked} files checked");
}

#[test]
fn a_wrong_status_or_an_unknown_key_fails_the_schema() {
    let text = fs::read_to_string(repo().join("content/customers/acme.yaml")).unwrap();
    assert!(faults(Kind::Tracker, "acme.yaml", &text).is_empty());
    let status = text.replacen("status: complete", "status: done", 1);
    let found = faults(Kind::Tracker, "acme.yaml", &status);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("unknown value `done` for `status`"),
        "{found:?}"
    );
    let key = text.replacen("  tier:", "  tire:", 1);
    let found = faults(Kind::Tracker, "acme.yaml", &key);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("unknown field `tire`"), "{found:?}");
}

#[test]
fn the_schema_command_prints_each_kind_and_suggests_the_closest() {
    for kind in Kind::ALL {
        let out = onboard().args(["schema", kind.name()]).output().unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), kind.schema_text());
    }
    let out = onboard().args(["schema", "trackr"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("'tracker'"), "{stderr}");
    let help = onboard().args(["schema", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for kind in Kind::ALL {
        assert!(help.contains(kind.name()), "{help}");
    }
}

#[test]
fn init_writes_the_schemas_that_its_yaml_files_name() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    onboard()
        .args(["init", "--as-of", "2026-03-02"])
        .arg(&site)
        .assert()
        .success();
    for kind in Kind::ALL {
        let written = fs::read_to_string(site.join("schemas").join(kind.file_name())).unwrap();
        assert_eq!(written, kind.schema_text());
    }
    for file in [
        "onboard.yaml",
        "playbooks/roles.yaml",
        "content/customers/example-customer.yaml",
    ] {
        let path = site.join(file);
        let text = fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap();
        let named = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{file} starts with {first}"));
        assert!(
            path.parent().unwrap().join(named).is_file(),
            "{file}: {named}"
        );
    }
}

#[test]
fn new_dates_its_file_from_the_sites_as_of_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    onboard()
        .args(["init", "--as-of", "2026-01-25"])
        .arg(&root)
        .assert()
        .success();
    let config = root.join("onboard.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}\nas_of: 2026-01-25\n")).unwrap();
    let reviewed = |file: &str| {
        let text = fs::read_to_string(root.join(file)).unwrap();
        text.lines()
            .find(|line| line.starts_with("last_reviewed:"))
            .unwrap()
            .to_string()
    };
    for (name, as_of, day) in [
        ("From the config", None, "2026-01-25"),
        ("From the flag", Some("2026-01-20"), "2026-01-20"),
    ] {
        let mut new = onboard();
        new.args(["new", "sop", name, "--root"]).arg(&root);
        if let Some(as_of) = as_of {
            new.args(["--as-of", as_of]);
        }
        new.assert().success();
        let file = format!("playbooks/{}.md", onboard::model::slugify(name));
        assert!(reviewed(&file).contains(day), "{}", reviewed(&file));
    }
    // The new files agree with the site's day: nothing dated after it.
    onboard()
        .args(["check", "--deny-warnings", "--root"])
        .arg(&root)
        .env("ONBOARD_SHARE_SECRET", "a-test-secret-of-some-length")
        .assert()
        .success();
}

#[test]
fn new_templates_name_every_key_of_their_kind() {
    let (_dir, root) = fixture("valid");
    for (kind, new, file) in [
        (Kind::Sop, "sop", "playbooks/every-key.md"),
        (Kind::Playbook, "playbook", "playbooks/every-plan-key.md"),
        (
            Kind::Tracker,
            "customer",
            "content/customers/every-key.yaml",
        ),
    ] {
        let name = Path::new(file).file_stem().unwrap().to_str().unwrap();
        let out = onboard()
            .args(["new", new, name, "--as-of", "2026-03-02", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(out.status.success());
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("onboard serve"), "{said}");
        let text = fs::read_to_string(root.join(file)).unwrap();
        let words: BTreeSet<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        let missing: Vec<String> = property_names(&kind.schema())
            .into_iter()
            .filter(|key| !words.contains(key.as_str()))
            .collect();
        assert!(missing.is_empty(), "{file} lacks {missing:?}");
    }
    let said = onboard()
        .args(["new", "sop", "Draft check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&said.stdout).contains("--drafts"));
    assert!(root.join("schemas/tracker.schema.json").is_file());
}

/// A tracker with four different faults: a wrong status, a date written
/// 29/11/2026, an unknown key and a value of the wrong type.
const FOUR_FAULTS: &str = r#"customer:
  name: "Acme Corp"
  start_date: 29/11/2026
milestones:
  - name: "Kickoff completed"
    status: done
    assignee: Jane
actions:
  - { title: "Send metadata", done: maybe }
"#;

fn four_faults_site() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = fixture("valid");
    fs::write(root.join("content/customers/acme.yaml"), FOUR_FAULTS).unwrap();
    (dir, root)
}

#[test]
fn four_faults_in_a_tracker_are_four_located_errors_from_check() {
    let (_dir, root) = four_faults_site();
    let (status, diagnostics) = check_json(onboard(), &root);
    assert_eq!(status, 1);
    // Each is labelled by its kind, as the terminal, the JSON and serve's
    // overlay show it: `yaml` is for text that is not YAML at all.
    let found: Vec<(u64, u64, &str)> = diagnostics
        .iter()
        .filter(|d| d["file"] == "content/customers/acme.yaml")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, 15, "date"),
            (6, 13, "value"),
            (7, 5, "unknown-key"),
            (9, 37, "value"),
        ],
        "{diagnostics:#?}"
    );
    let text = serde_json::to_string(&diagnostics).unwrap();
    for said in [
        "29/11/2026",
        "unknown value `done` for `status`",
        "unknown field `assignee`",
        "expected true or false for `done`, found `maybe`",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}

#[test]
fn four_faults_in_a_tracker_are_four_located_errors_from_build() {
    let (_dir, root) = four_faults_site();
    let out = onboard()
        .args(["build", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (code, place) in [
        ("date", "acme.yaml:3:15"),
        ("value", "acme.yaml:6:13"),
        ("unknown-key", "acme.yaml:7:5"),
        ("value", "acme.yaml:9:37"),
    ] {
        // Each error's block starts with its label and then names its place.
        let block = stderr
            .split('×')
            .find(|block| block.contains(place))
            .unwrap_or_else(|| panic!("{place}: {stderr}"));
        assert!(
            block.trim_start().starts_with(&format!("error[{code}]: ")),
            "{code} at {place}: {stderr}"
        );
    }
}

#[test]
fn a_tab_is_reported_at_the_tab_itself() {
    let (_dir, root) = fixture("valid");
    let tracker = "customer:\n  name: Acme\n  tier: enterprise\nmilestones:\n\t- name: Kickoff\n";
    fs::write(root.join("content/customers/acme.yaml"), tracker).unwrap();
    let (status, diagnostics) = check_json(onboard(), &root);
    assert_eq!(status, 1);
    let tab = diagnostics
        .iter()
        .find(|d| d["file"] == "content/customers/acme.yaml")
        .expect("an error in acme.yaml");
    assert_eq!(
        (tab["line"].as_u64(), tab["column"].as_u64()),
        (Some(5), Some(1)),
        "{tab:#?}"
    );
    assert!(tab["message"].as_str().unwrap().contains("tab"), "{tab:#?}");
}

/// The words inside `code spans` of a Markdown text.
fn code_words(markdown: &str) -> BTreeSet<String> {
    markdown
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|span| span.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_key_of_every_schema_is_in_the_format_reference() {
    let reference = fs::read_to_string(repo().join("docs/format.md")).unwrap();
    let words = code_words(&reference);
    let mut missing = Vec::new();
    for kind in Kind::ALL {
        for key in property_names(&kind.schema()) {
            if !words.contains(&key) {
                missing.push(format!("{}: `{key}`", kind.name()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/format.md does not name {missing:?}"
    );
}

#[test]
fn every_yaml_example_in_the_format_reference_loads() {
    let reference = fs::read_to_string(repo().join("docs/format.md")).unwrap();
    let file = SourceFile::new("docs/format.md", reference.clone());
    let mut section = String::new();
    let mut block: Option<(usize, String)> = None;
    let mut loaded = Vec::new();
    for (index, line) in reference.lines().enumerate() {
        if let Some((start, text)) = &mut block {
            if line.trim_start().starts_with("```") {
                let kind = match section.as_str() {
                    "onboard.yaml" => Kind::Config,
                    "roles.yaml" => Kind::Roles,
                    "SOPs" => Kind::Sop,
                    "Playbooks" => Kind::Playbook,
                    "Customer trackers" => Kind::Tracker,
                    "Free pages" => Kind::Page,
                    other => panic!("a YAML example at line {start} under `{other}`: which kind?"),
                };
                let (yaml, offset) = match onboard::load::split_front_matter(text) {
                    Some(split) => (split.yaml.to_string(), *start + 1),
                    None => (text.clone(), *start),
                };
                let result = match kind {
                    Kind::Config => parse::<onboard::config::Config>(&file, &yaml, offset),
                    Kind::Roles => parse::<Vec<onboard::model::Role>>(&file, &yaml, offset),
                    Kind::Sop => parse::<onboard::model::Sop>(&file, &yaml, offset),
                    Kind::Playbook => parse::<onboard::model::Playbook>(&file, &yaml, offset),
                    Kind::Tracker => parse::<onboard::model::Tracker>(&file, &yaml, offset),
                    Kind::Page => parse::<onboard::model::PageMeta>(&file, &yaml, offset),
                };
                if let Err(error) = result {
                    panic!("the example at line {start} does not load: {error}");
                }
                loaded.push(kind);
                block = None;
            } else {
                text.push_str(line);
                text.push('\n');
            }
        } else if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim().to_string();
        } else if line.trim_start() == "```yaml" {
            block = Some((index + 1, String::new()));
        }
    }
    for kind in Kind::ALL {
        assert!(loaded.contains(&kind), "no YAML example of {}", kind.name());
    }
}

fn parse<T: serde::de::DeserializeOwned + schemars::JsonSchema>(
    file: &std::sync::Arc<SourceFile>,
    yaml: &str,
    offset: usize,
) -> Result<(), String> {
    onboard::load::parse_yaml_text::<T>(file, yaml, offset)
        .map(drop)
        .map_err(|error| error.to_string())
}
