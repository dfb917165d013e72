//! `onboard check` as a linter: every lint fires on its `bad` fixture and
//! stays quiet on its `good` one, levels follow `onboard.yaml` and
//! `--deny-warnings`, and no mutation of the fixture files makes the
//! loader, resolver or linter panic.
//!
//! A fixture is `tests/lints/base/` (a small site that checks clean) with
//! `tests/lints/<lint>/<bad|good>/` copied over it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::copy_dir;
use assert_cmd::Command;
use onboard::diagnostics::lints::ALL;
use onboard::diagnostics::{Diagnostic, Severity};
use onboard::site::BuildOptions;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lints")
}

/// The base site with `overlays` (paths under `tests/lints/`) copied over it.
fn site(overlays: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    copy_dir(&fixtures().join("base"), dir.path());
    for overlay in overlays {
        copy_dir(&fixtures().join(overlay), dir.path());
    }
    dir
}

fn check(root: &Path) -> Vec<Diagnostic> {
    onboard::build::check(root, BuildOptions::default())
        .expect("the fixture folder is readable")
        .0
}

fn show(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

fn onboard(root: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("onboard")
        .expect("the onboard binary")
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("onboard runs")
}

/// Lints that honestly fire together with another one on the same fixture.
fn companions(lint: &str) -> &'static [&'static str] {
    match lint {
        // A step with a checklist and no owner is also a step without an owner.
        "checklist-without-owner" => &["step-without-owner"],
        _ => &[],
    }
}

/// What is wrong with `lint`'s bad fixture: it must raise the lint (and
/// only it and its companions), each diagnostic placed and with help.
fn bad_fixture_faults(lint: &str) -> Option<String> {
    let dir = site(&[&format!("{lint}/bad")]);
    let found = check(dir.path());
    if !found.iter().any(|d| d.code == lint) {
        return Some(format!(
            "`{lint}` did not fire on its bad fixture:\n{}",
            show(&found)
        ));
    }
    let strays: Vec<Diagnostic> = found
        .iter()
        .filter(|d| d.code != lint && !companions(lint).contains(&d.code.as_str()))
        .cloned()
        .collect();
    if !strays.is_empty() {
        return Some(format!(
            "the bad fixture of `{lint}` also reports:\n{}",
            show(&strays)
        ));
    }
    found.iter().find_map(|d| {
        if d.line == 0 || d.column == 0 {
            Some(format!("`{}` has no position: {d}", d.code))
        } else if d.help.as_deref().is_none_or(str::is_empty) {
            Some(format!("`{}` has no help: {d}", d.code))
        } else {
            None
        }
    })
}

/// What is wrong with `lint`'s good fixture: it must check clean.
fn good_fixture_faults(lint: &str) -> Option<String> {
    let dir = site(&[&format!("{lint}/good")]);
    let found = check(dir.path());
    (!found.is_empty()).then(|| {
        format!(
            "the good fixture of `{lint}` is not clean:\n{}",
            show(&found)
        )
    })
}

/// Runs `faults` on every registered lint and fails naming each lint
/// that has any, so that one broken fixture does not hide another.
fn each_lint(faults: fn(&str) -> Option<String>) {
    let found: Vec<String> = ALL.iter().filter_map(|lint| faults(lint.name)).collect();
    assert!(found.is_empty(), "{}", found.join("\n\n"));
}

#[test]
fn every_lint_fires_on_its_bad_fixture() {
    each_lint(bad_fixture_faults);
}

#[test]
fn every_lints_good_fixture_is_clean() {
    each_lint(good_fixture_faults);
}

#[test]
fn every_lint_has_a_bad_and_a_good_fixture() {
    let registered: BTreeSet<&str> = ALL.iter().map(|l| l.name).collect();
    for entry in std::fs::read_dir(fixtures()).expect("tests/lints/") {
        let name = entry.expect("a fixture folder").file_name();
        let name = name.to_string_lossy();
        assert!(
            name == "base" || registered.contains(name.as_ref()),
            "tests/lints/{name}/ is the fixture of no registered lint"
        );
    }
    for lint in ALL {
        for case in ["bad", "good"] {
            assert!(
                fixtures().join(lint.name).join(case).is_dir(),
                "no fixture tests/lints/{}/{case}/",
                lint.name
            );
        }
    }
}

#[test]
fn lint_names_are_unique_kebab_case_with_a_summary() {
    let mut seen = BTreeSet::new();
    for lint in ALL {
        assert!(
            seen.insert(lint.name),
            "`{}` is registered twice",
            lint.name
        );
        assert!(
            lint.name
                .split('-')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
            "`{}` is not kebab-case",
            lint.name
        );
        assert!(!lint.summary.is_empty(), "`{}` has no summary", lint.name);
    }
}

#[test]
fn every_lint_is_documented() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lints.md"))
        .expect("docs/lints.md");
    for lint in ALL {
        assert!(
            docs.contains(&format!("### `{}`", lint.name)),
            "docs/lints.md has no section for `{}`",
            lint.name
        );
        assert!(
            docs.contains(&format!("| [`{0}`](#{0}) |", lint.name)),
            "docs/lints.md's table of lints has no row for `{}`",
            lint.name
        );
    }
}

#[test]
fn base_fixture_is_clean() {
    let dir = site(&[]);
    let found = check(dir.path());
    assert!(
        found.is_empty(),
        "the base fixture is not clean:\n{}",
        show(&found)
    );
}

#[test]
fn example_site_is_clean() {
    // As it is built for real: with a share secret.
    let options = BuildOptions {
        share_secret: Some("example-secret".into()),
        ..BuildOptions::default()
    };
    let found = onboard::build::check(Path::new(env!("CARGO_MANIFEST_DIR")), options)
        .expect("the repository is readable")
        .0;
    assert!(
        found.is_empty(),
        "the example site is not clean:\n{}",
        show(&found)
    );
}

#[test]
fn escalation_loop_names_the_chain_once() {
    let dir = site(&["escalation-loop/bad"]);
    let loops: Vec<Diagnostic> = check(dir.path())
        .into_iter()
        .filter(|d| d.code == "escalation-loop")
        .collect();
    assert_eq!(loops.len(), 1, "{}", show(&loops));
    assert!(
        loops[0].message.contains("csm → lead → director → csm"),
        "{}",
        loops[0].message
    );
    assert_eq!(
        (loops[0].file.as_str(), loops[0].line),
        ("playbooks/roles.yaml", 1)
    );
}

#[test]
fn phase_days_reports_overlap_backwards_and_malformed_ranges() {
    let dir = site(&["phase-days/bad"]);
    let messages: Vec<String> = check(dir.path()).into_iter().map(|d| d.message).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("before the phase `Start` ends")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("run backwards")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("not a range of two numbers")),
        "{messages:#?}"
    );
}

#[test]
fn broken_links_point_at_the_link() {
    let dir = site(&["broken-link/bad"]);
    let positions: Vec<(String, usize, usize)> = check(dir.path())
        .into_iter()
        .filter(|d| d.code == "broken-link")
        .map(|d| (d.file, d.line, d.column))
        .collect();
    let expected: Vec<(String, usize, usize)> = [
        // Markdown page: lines 3 to 8, each link after "- ".
        ("content/pages/links.md", 3, 3),
        ("content/pages/links.md", 4, 3),
        ("content/pages/links.md", 5, 3),
        ("content/pages/links.md", 6, 3),
        ("content/pages/links.md", 7, 3),
        ("content/pages/links.md", 8, 3),
        // YAML: a step body (literal block), a quoted substep, the SOP body.
        ("playbooks/handover.yaml", 11, 17),
        ("playbooks/handover.yaml", 12, 26),
        ("playbooks/handover.yaml", 16, 7),
    ]
    .into_iter()
    .map(|(f, l, c)| (f.to_string(), l, c))
    .collect();
    assert_eq!(positions, expected);
}

#[test]
fn broken_link_messages_say_what_is_missing() {
    let dir = site(&["broken-link/bad"]);
    let found = check(dir.path());
    let message = |needle: &str| {
        found
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no message about {needle}:\n{}", show(&found)))
            .clone()
    };
    assert_eq!(
        message("`/sops/kickof/`").help.as_deref(),
        Some("known SOPs: kickoff")
    );
    assert!(
        message("#prepair")
            .message
            .contains("has no step or heading `#prepair`")
    );
    assert!(
        message("/files/checklist.pdf")
            .message
            .contains("no page or static file")
    );
    assert!(
        found.iter().all(|d| d.level == Severity::Error),
        "broken-link is deny by default"
    );
}

#[test]
fn check_json_output() {
    let dir = site(&["checklist-without-owner/bad"]);
    let output = onboard(dir.path(), &["--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "warnings alone do not fail the check"
    );
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn allow_in_config_silences_a_lint() {
    let dir = site(&["step-without-owner/bad"]);
    std::fs::write(
        dir.path().join("onboard.yaml"),
        "as_of: 2026-01-25\nshare: { enabled: false }\nlints:\n  step-without-owner: allow\n",
    )
    .expect("write config");
    assert!(check(dir.path()).is_empty());
    assert_eq!(
        onboard(dir.path(), &["--deny-warnings"]).status.code(),
        Some(0)
    );
}

#[test]
fn deny_in_config_makes_a_lint_an_error() {
    let dir = site(&["step-without-owner/bad"]);
    assert_eq!(onboard(dir.path(), &[]).status.code(), Some(0));
    std::fs::write(
        dir.path().join("onboard.yaml"),
        "as_of: 2026-01-25\nshare: { enabled: false }\nlints:\n  step-without-owner: deny\n",
    )
    .expect("write config");
    let found = check(dir.path());
    assert_eq!(found.len(), 1, "{}", show(&found));
    assert_eq!(found[0].level, Severity::Error);
    assert_eq!(onboard(dir.path(), &[]).status.code(), Some(1));
}

#[test]
fn warn_in_config_turns_on_an_allowed_lint() {
    let dir = site(&["no-review-cycle/bad"]);
    std::fs::copy(
        fixtures().join("base/onboard.yaml"),
        dir.path().join("onboard.yaml"),
    )
    .expect("restore config");
    assert!(
        check(dir.path()).is_empty(),
        "no-review-cycle is allowed by default"
    );
}

#[test]
fn deny_warnings_fails_on_a_warning() {
    let dir = site(&["single-champion/bad"]);
    assert_eq!(onboard(dir.path(), &[]).status.code(), Some(0));
    let output = onboard(dir.path(), &["--deny-warnings"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("warning[single-champion]"));
    let clean = site(&[]);
    assert_eq!(
        onboard(clean.path(), &["--deny-warnings"]).status.code(),
        Some(0)
    );
}

#[test]
fn deny_by_default_lints_fail_the_check() {
    let dir = site(&["kpi-unknown-mark/bad"]);
    let output = onboard(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[kpi-unknown-mark]"));
}

#[test]
fn external_resources_point_at_the_image() {
    let dir = site(&["external-resource/bad"]);
    let found: Vec<Diagnostic> = check(dir.path())
        .into_iter()
        .filter(|d| d.code == "external-resource")
        .collect();
    let positions: Vec<(&str, usize, usize)> = found
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        positions,
        [
            // A Markdown image, an inline <img>, an <img> in an HTML block.
            ("content/pages/images.md", 3, 1),
            ("content/pages/images.md", 5, 29),
            ("content/pages/images.md", 8, 18),
            // A step body in a literal block.
            ("playbooks/handover.yaml", 11, 7),
        ],
        "{}",
        show(&found)
    );
    assert!(
        found[0]
            .message
            .contains("`https://cdn.example.com/architecture.png`")
    );
    assert!(
        found.iter().all(|d| d.level == Severity::Error),
        "deny by default"
    );
    assert!(
        !show(&found).contains("docs.example.com"),
        "a link the reader follows is fine"
    );
    assert_eq!(onboard(dir.path(), &[]).status.code(), Some(1));
}

#[test]
fn external_resource_can_be_lowered_in_the_config() {
    let dir = site(&["external-resource/bad"]);
    std::fs::write(
        dir.path().join("onboard.yaml"),
        "as_of: 2026-01-25\nshare: { enabled: false }\nlints:\n  external-resource: warn\n",
    )
    .expect("write config");
    let found = check(dir.path());
    assert_eq!(found.len(), 4, "{}", show(&found));
    assert!(found.iter().all(|d| d.level == Severity::Warning));
    assert_eq!(onboard(dir.path(), &[]).status.code(), Some(0));
    assert_eq!(
        onboard(dir.path(), &["--deny-warnings"]).status.code(),
        Some(1)
    );
}

/// `onboard check` on the guessable-share-links bad fixture, with the
/// fixture's secret variable set to `secret` (`None`: removed).
fn check_share_secret(secret: Option<&str>, args: &[&str]) -> std::process::Output {
    let dir = site(&["guessable-share-links/bad"]);
    let mut command = Command::cargo_bin("onboard").expect("the onboard binary");
    command
        .args(["check", "--root"])
        .arg(dir.path())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("ONBOARD_LINT_FIXTURE_SECRET");
    if let Some(secret) = secret {
        command.env("ONBOARD_LINT_FIXTURE_SECRET", secret);
    }
    command.output().expect("onboard runs")
}

#[test]
fn guessable_share_links_name_the_variable() {
    let dir = site(&["guessable-share-links/bad"]);
    let found = check(dir.path());
    assert_eq!(found.len(), 1, "{}", show(&found));
    assert_eq!(found[0].level, Severity::Warning);
    assert_eq!(
        (found[0].file.as_str(), found[0].line, found[0].column),
        ("onboard.yaml", 8, 3)
    );
    assert!(found[0].message.contains("`ONBOARD_LINT_FIXTURE_SECRET`"));
    assert!(
        found[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("ONBOARD_LINT_FIXTURE_SECRET"))
    );
}

#[test]
fn guessable_share_links_warn_when_the_secret_is_unset_or_empty() {
    for secret in [None, Some("")] {
        let output = check_share_secret(secret, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{secret:?}: {stderr}");
        assert!(
            stderr.contains("warning[guessable-share-links]"),
            "{secret:?}: {stderr}"
        );
        assert_eq!(
            check_share_secret(secret, &["--deny-warnings"])
                .status
                .code(),
            Some(1),
            "{secret:?}"
        );
    }
}

#[test]
fn guessable_share_links_are_quiet_when_the_secret_is_set() {
    let output = check_share_secret(Some("a long random secret"), &["--deny-warnings"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The build option counts too, and an empty one is no secret.
    let dir = site(&["guessable-share-links/bad"]);
    let with = |secret: &str| {
        let options = BuildOptions {
            share_secret: Some(secret.into()),
            ..BuildOptions::default()
        };
        onboard::build::check(dir.path(), options)
            .expect("readable")
            .0
    };
    assert!(with("s3cret").is_empty());
    assert_eq!(with("").len(), 1);
}

#[test]
fn build_warns_about_guessable_share_links_too() {
    let dir = site(&["guessable-share-links/bad"]);
    let out = dir.path().join("public");
    let output = Command::cargo_bin("onboard")
        .expect("the onboard binary")
        .args(["build", "--root"])
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .env("NO_COLOR", "1")
        .env_remove("ONBOARD_LINT_FIXTURE_SECRET")
        .output()
        .expect("onboard runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("guessable-share-links"), "{stderr}");
    assert!(out.join("share/acme/index.html").is_file());
}

// ------------------------------------------------------------------ fuzzing

/// xorshift64*: a fixed-seed generator, so every run mutates the same way.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that tend to reach new paths in a YAML and Markdown loader.
const TOKENS: &[&[u8]] = &[
    b"\n",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"#",
    b"|\n",
    b">\n",
    b"---\n",
    b"&a ",
    b"*a",
    b"~",
    b"null",
    b"0",
    b"-1",
    b"4294967295",
    b"99999999999999999999",
    b"9999-12-31",
    b"0000-01-01",
    b"2026-02-30",
    b"262143-12-31",
    b"\t",
    b"\xff",
    b"\xc3",
    b"<",
    b"](/",
    b"](#",
    b"[x](",
    b"%",
    b"..",
    b"99999999 h",
    b"4294967295 business days",
    b"days: [",
    b"status: blocked",
    b"marks: kickoff",
];

/// Numbers at the edges of the integer types the model uses.
const NUMBERS: &[&[u8]] = &[
    b"0",
    b"99999999",
    b"2147483648",
    b"4294967295",
    b"4294967296",
    b"9223372036854775808",
    b"18446744073709551616",
    b"-1",
    b"-9223372036854775808",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            // Swap a number (a day, an offset, a duration, a year) for an extreme one.
            3 => {
                let digit = (at..data.len())
                    .chain(0..at)
                    .find(|&i| data[i].is_ascii_digit());
                if let Some(start) = digit {
                    let end = data[start..]
                        .iter()
                        .position(|b| !b.is_ascii_digit())
                        .map_or(data.len(), |n| start + n);
                    let number = NUMBERS[rng.below(NUMBERS.len())];
                    data.splice(start..end, number.iter().copied());
                }
            }
            0 if !data.is_empty() => {
                let at = at.min(data.len() - 1);
                data[at] = rng.next() as u8;
            }
            1 if !data.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            2 if !data.is_empty() => {
                let from = rng.below(data.len());
                let end = (from + 1 + rng.below(32)).min(data.len());
                let piece = data[from..end].to_vec();
                data.splice(at..at, piece);
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
        }
    }
    data
}

/// Loads, resolves and checks a site; the caller catches panics.
fn load_resolve_check(root: &Path) {
    let (content, _) = onboard::load::load_site(root).expect("the site folder exists");
    let (site, _) = onboard::site::resolve(content, BuildOptions::default());
    let _ = onboard::check::run_at(&site, Some(root));
}

#[test]
fn mutated_fixtures_never_panic() {
    let iterations: usize = std::env::var("ONBOARD_FUZZ_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    let dir = site(&["broken-link/bad"]);
    let files: Vec<PathBuf> = [
        "onboard.yaml",
        "playbooks/roles.yaml",
        "playbooks/kickoff.md",
        "playbooks/onboarding.md",
        "playbooks/handover.yaml",
        "content/customers/acme.yaml",
        "content/pages/guide.md",
        "content/pages/links.md",
    ]
    .iter()
    .map(|f| dir.path().join(f))
    .collect();
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("fixture file"))
        .collect();
    let mut rng = Rng(0x6f6e_626f_6172_6421);
    let mut failures = Vec::new();
    for iteration in 0..iterations {
        let which = rng.below(files.len());
        let mutated = mutate(&mut rng, &originals[which]);
        std::fs::write(&files[which], &mutated).expect("write mutated file");
        let root = dir.path().to_path_buf();
        if std::panic::catch_unwind(move || load_resolve_check(&root)).is_err() {
            failures.push(format!(
                "iteration {iteration}, {}:\n{}",
                files[which]
                    .strip_prefix(dir.path())
                    .unwrap_or(&files[which])
                    .display(),
                String::from_utf8_lossy(&mutated)
            ));
        }
        std::fs::write(&files[which], &originals[which]).expect("restore file");
    }
    assert!(
        failures.is_empty(),
        "{} of {iterations} mutated sites panicked; first:\n{}",
        failures.len(),
        failures[0]
    );
}

/// `split-list-item` reads a page's front matter and `onboard.yaml` too,
/// and never a page's Markdown, where `[a, b]` is link text.
#[test]
fn split_list_items_are_found_in_page_front_matter_and_the_config() {
    let dir = site(&["split-list-item/bad"]);
    let page = "content/pages/guide.md";
    let body = std::fs::read_to_string(dir.path().join(page)).expect("the page");
    std::fs::write(
        dir.path().join(page),
        format!("{body}\nSee [step one, or the next](/sops/kickoff/).\n"),
    )
    .expect("write page");
    let config = std::fs::read_to_string(dir.path().join("onboard.yaml")).expect("the config");
    std::fs::write(
        dir.path().join("onboard.yaml"),
        config.replace(
            "workdays: [mon, tue, wed, thu, fri]",
            "workdays: [mon, tue, wed, thu and fri, or sat]",
        ),
    )
    .expect("write config");
    let found = check(dir.path());
    let mut split: Vec<(String, usize, usize)> = found
        .iter()
        .filter(|d| d.code == "split-list-item")
        .map(|d| (d.file.clone(), d.line, d.column))
        .collect();
    split.sort();
    assert_eq!(
        split,
        [
            ("content/pages/guide.md".to_string(), 4, 37),
            ("onboard.yaml".to_string(), 5, 42),
            ("playbooks/onboarding.md".to_string(), 6, 86),
        ],
        "{}",
        show(&found)
    );
}

#[test]
fn dates_after_as_of_are_found_in_updates_reviews_and_approvals() {
    let dir = site(&["date-after-as-of/bad"]);
    let mut found: Vec<(String, usize)> = check(dir.path())
        .into_iter()
        .filter(|d| d.code == "date-after-as-of")
        .map(|d| (d.file.clone(), d.line))
        .collect();
    found.sort();
    let tracker = std::fs::read_dir(dir.path().join("content/customers"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    assert_eq!(
        found,
        [
            (
                format!("content/customers/{}", tracker.to_string_lossy()),
                13
            ),
            ("playbooks/kickoff.md".to_string(), 8),
            ("playbooks/kickoff.md".to_string(), 28),
        ]
    );
}
