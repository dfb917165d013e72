//! Helpers shared by the integration tests: fixture sites copied to a
//! temporary folder, so each test can edit its own copy.

use std::fs;
use std::path::{Path, PathBuf};

/// Copies `tests/sites/<name>` to `<temp>/site`; the folder lives as long
/// as the returned guard.
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&sites().join(name), &root);
    (dir, root)
}

/// The folder of fixture sites.
pub fn sites() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites")
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `onboard build` with the `flags` given (such as `--drafts`) on the
/// site at `root` into `out`, without colours and without a share secret
/// from the environment; returns what it did and printed.
pub fn onboard_build(root: &Path, out: &Path, flags: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("onboard")
        .unwrap()
        .env("NO_COLOR", "1")
        .env_remove("ONBOARD_TEST_SHARE_SECRET")
        .arg("build")
        .args(flags)
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// [`onboard_build`], which must succeed.
pub fn onboard_build_ok(root: &Path, out: &Path, flags: &[&str]) {
    let result = onboard_build(root, out, flags);
    assert!(
        result.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Runs `command` (an `onboard` command set up by the caller) as `check
/// --format json --root ROOT`; returns the exit code and the diagnostics.
pub fn check_json(mut command: assert_cmd::Command, root: &Path) -> (i32, Vec<serde_json::Value>) {
    let out = command
        .args(["check", "--format", "json", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let diagnostics: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), diagnostics)
}
