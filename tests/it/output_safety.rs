//! `onboard build --out DIR` replaces DIR whole, so it must never replace
//! what is not its own: the site, the folders above it, its sources, a
//! user's files or a file. And a build killed at any instant leaves the
//! complete old or the complete new output, with nothing left beside it
//! once the next build has run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::fixture;
use assert_cmd::Command;

const MARKER: &str = ".onboard-output";

fn build(root: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("onboard")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` (links not followed), path relative to it → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(base).unwrap().to_string_lossy();
            if entry.file_type().unwrap().is_dir() {
                files.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, files);
            } else {
                files.insert(rel.into_owned(), fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// Asserts that building into `out` exits 2, names `out` and says `why`,
/// and that nothing under `watched` changed (nothing was built either).
fn assert_refused(root: &Path, out: &Path, extra: &[&str], why: &str, watched: &Path) {
    let before = tree(watched);
    let result = build(root, out, extra);
    let message = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "{message}");
    assert!(
        message.contains(&format!("refusing to build into {}", out.display())),
        "the message names the folder: {message}"
    );
    assert!(message.contains(why), "the message says why: {message}");
    assert!(!message.contains("built "), "nothing is built: {message}");
    assert!(tree(watched) == before, "{} changed", watched.display());
}

#[test]
fn out_at_the_site_root_is_refused_and_the_sources_stay() {
    let (dir, root) = fixture("valid");
    assert_refused(&root, &root, &[], "it is the site root", dir.path());
}

#[test]
fn out_at_content_is_refused_and_every_tracker_stays() {
    let (dir, root) = fixture("valid");
    let content = root.join("content");
    assert_refused(
        &root,
        &content,
        &[],
        "it is in the site's sources (content/)",
        dir.path(),
    );
    assert!(root.join("content/customers/acme.yaml").is_file());
}

#[test]
fn out_at_a_folder_above_the_site_is_refused() {
    let (dir, root) = fixture("valid");
    assert_refused(
        &root,
        dir.path(),
        &[],
        "it is a folder above the site root",
        dir.path(),
    );
}

/// A folder with 3 files and 1 folder of a user's own, beside the site.
fn documents(dir: &Path) -> PathBuf {
    let documents = dir.join("documents");
    fs::create_dir_all(documents.join("letters")).unwrap();
    fs::write(documents.join("letters/to-acme.txt"), "Dear Acme").unwrap();
    for name in ["budget.xlsx", "notes.txt", "plan.md"] {
        fs::write(documents.join(name), name).unwrap();
    }
    documents
}

#[test]
fn out_at_a_folder_of_user_files_is_refused_and_they_stay() {
    let (dir, root) = fixture("valid");
    let documents = documents(dir.path());
    assert_refused(
        &root,
        &documents,
        &[],
        "it holds 3 files and 1 folder, and no .onboard-output marker: it is not an onboard output",
        dir.path(),
    );
}

#[test]
fn force_replaces_a_folder_of_user_files() {
    let (dir, root) = fixture("valid");
    let documents = documents(dir.path());
    let result = build(&root, &documents, &["--force"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(documents.join("index.html").is_file());
    assert!(documents.join(MARKER).is_file());
    assert!(!documents.join("plan.md").exists());
}

#[test]
fn force_never_opens_the_site_or_its_sources() {
    let (dir, root) = fixture("valid");
    assert_refused(
        &root,
        &root,
        &["--force"],
        "it is the site root",
        dir.path(),
    );
    assert_refused(
        &root,
        &root.join("playbooks"),
        &["--force"],
        "it is in the site's sources (playbooks/)",
        dir.path(),
    );
    assert_refused(
        &root,
        dir.path(),
        &["--force"],
        "it is a folder above the site root",
        dir.path(),
    );
}

#[test]
fn out_at_a_regular_file_is_refused_and_the_file_stays() {
    let (dir, root) = fixture("valid");
    let file = dir.path().join("report.pdf");
    fs::write(&file, "my report").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        assert_refused(
            &root,
            &file,
            extra,
            "it is a file, not a folder",
            dir.path(),
        );
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "my report");
}

#[test]
fn an_empty_or_a_missing_folder_is_accepted() {
    let (dir, root) = fixture("valid");
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let missing = dir.path().join("not/yet/there");
    for out in [&empty, &missing] {
        let result = build(&root, out, &[]);
        assert!(result.status.success(), "{}", stderr(&result));
        assert!(out.join("index.html").is_file());
        assert!(out.join(MARKER).is_file());
    }
}

#[test]
fn an_earlier_output_is_accepted_and_keeps_its_marker() {
    let (dir, root) = fixture("valid");
    let out = dir.path().join("site-output");
    for as_of in ["2026-01-25", "2026-02-25"] {
        let result = build(&root, &out, &["--as-of", as_of]);
        assert!(result.status.success(), "{}", stderr(&result));
        let marker = fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(marker.contains("onboard build"), "{marker}");
    }
    // The default output, inside the site, is an output like any other.
    for _ in 0..2 {
        let result = Command::cargo_bin("onboard")
            .unwrap()
            .args(["build", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(result.status.success(), "{}", stderr(&result));
    }
    assert!(root.join("public").join(MARKER).is_file());
}

/// The kill test: many builds killed at random instants, each leaving the
/// complete old or the complete new output.
#[cfg(target_os = "linux")]
mod killed {
    use super::*;
    use sha2::{Digest, Sha256};
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    const CUSTOMERS: usize = 200;
    const KILLS: usize = 24;
    const AS_OF: [&str; 2] = ["2026-01-25", "2026-02-25"];

    /// The repository's example site with `CUSTOMERS` more trackers, so
    /// that a build takes long enough to be killed in the middle.
    fn big_site(dir: &Path) -> PathBuf {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = dir.join("site");
        for folder in ["playbooks", "content", "static"] {
            crate::common::copy_dir(&repository.join(folder), &root.join(folder));
        }
        fs::copy(repository.join("onboard.yaml"), root.join("onboard.yaml")).unwrap();
        let acme = fs::read_to_string(repository.join("content/customers/acme.yaml")).unwrap();
        assert!(acme.contains("name: \"Acme Corp\"") && acme.contains("slug: acme\n"));
        for index in 1..=CUSTOMERS {
            let tracker = acme
                .replace("name: \"Acme Corp\"", &format!("name: \"Acme {index}\""))
                .replace("slug: acme\n", &format!("slug: acme-{index}\n"));
            fs::write(
                root.join(format!("content/customers/acme-{index}.yaml")),
                tracker,
            )
            .unwrap();
        }
        root
    }

    /// Every file under `dir`: path → digest of its bytes.
    fn digests(dir: &Path) -> BTreeMap<String, [u8; 32]> {
        tree(dir)
            .into_iter()
            .map(|(path, bytes)| (path, Sha256::digest(bytes).into()))
            .collect()
    }

    fn build_as_of(root: &Path, out: &Path, as_of: &str) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_onboard"));
        command
            .args(["build", "--root"])
            .arg(root)
            .arg("--out")
            .arg(out)
            .args(["--as-of", as_of])
            .env_remove("ONBOARD_SHARE_SECRET")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    fn build_whole(root: &Path, out: &Path, as_of: &str) {
        let status = build_as_of(root, out, as_of).status().unwrap();
        assert!(status.success(), "the build as of {as_of} failed");
    }

    /// The names beside the output, other than the output itself.
    fn beside(out: &Path) -> Vec<String> {
        let name = out.file_name().unwrap();
        fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .filter(|n| n != name)
            .map(|n| n.to_string_lossy().into_owned())
            .collect()
    }

    /// A small seeded generator (xorshift64*), so every run of the test
    /// kills at the same spread of instants.
    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: u64) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound
        }
    }

    #[test]
    fn a_killed_build_leaves_the_old_or_the_new_output_and_no_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let root = big_site(dir.path());
        let references: Vec<BTreeMap<String, [u8; 32]>> = AS_OF
            .iter()
            .map(|as_of| {
                let out = dir.path().join(format!("reference-{as_of}"));
                build_whole(&root, &out, as_of);
                digests(&out)
            })
            .collect();
        assert_ne!(references[0], references[1], "the two builds differ");
        assert!(references[0].contains_key(MARKER));

        // The output lives alone in its folder, so that anything beside it
        // is a leftover.
        let out = dir.path().join("outputs/public");
        build_whole(&root, &out, AS_OF[1]);
        let started = Instant::now();
        build_whole(&root, &out, AS_OF[0]);
        // The length of a build that replaces an output, only to spread
        // the kills over it and a little after; never asserted.
        let length = started.elapsed().as_micros() as u64;
        let mut current = 0;
        let mut random = Random(0x5eed_0f0b_0a4d);
        let (mut interrupted, mut replaced) = (0, 0);
        for kill in 0..KILLS {
            let next = 1 - current;
            let mut child = build_as_of(&root, &out, AS_OF[next]).spawn().unwrap();
            std::thread::sleep(Duration::from_micros(random.below(length * 3 / 2 + 1)));
            let _ = child.kill();
            child.wait().unwrap();
            let now = digests(&out);
            if now == references[next] {
                current = next;
                replaced += 1;
            } else {
                assert!(
                    now == references[current],
                    "kill {kill}: {} is neither the old nor the new output ({} files)",
                    out.display(),
                    now.len()
                );
            }
            if !beside(&out).is_empty() {
                interrupted += 1;
            }
        }
        assert!(
            interrupted >= KILLS / 4,
            "only {interrupted} of {KILLS} kills fell in the middle of a build \
             ({replaced} replaced the output)"
        );

        build_whole(&root, &out, AS_OF[1 - current]);
        assert!(digests(&out) == references[1 - current]);
        assert_eq!(
            beside(&out),
            Vec::<String>::new(),
            "leftovers of killed builds"
        );
    }
}
