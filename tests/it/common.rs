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
