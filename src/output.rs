//! The only code that writes the output folder, and it does so atomically.
//!
//! A build is written to a fresh sibling folder first, `.NAME.onboard-new-PID`
//! beside the output `NAME`; only when every file is written is it swapped
//! in place of the old output, in one step where the system can (Linux's
//! `renameat2` with `RENAME_EXCHANGE`), so that a build killed at any
//! instant leaves the complete old or the complete new output. A failed
//! build never leaves a half-written site behind.
//!
//! Every output carries a marker file ([`destination::MARKER`]); before
//! anything is built, [`destination::check`] makes sure the folder to be
//! replaced is missing, empty or such an output.
//!
//! A build that was killed leaves its staging folder behind. The next build
//! of the same output removes such leftovers, and only those no running
//! build still uses: each build holds a lock on the marker of its staging
//! folder until it exits, and the system drops the lock of a killed
//! process. A lock (rather than a process id) cannot be mistaken when ids
//! are reused, and two builds of one output at once never remove each
//! other's work; each swaps in a complete output, and the last one wins.
//!
//! `onboard build` writes each file into that folder as soon as it is
//! rendered ([`Staging`], through [`crate::render::Output::streaming`]), so
//! a big site is never held in memory whole; `serve` keeps its output in
//! memory and writes nothing.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::diagnostics::IoError;
use crate::render::{Output, Sink};

pub mod destination;

use destination::{MARKER, MARKER_TEXT};

/// Writes `output` to `out`, replacing what was there only on success.
pub fn write_atomically(out: &Path, output: &Output) -> Result<(), IoError> {
    let staging = Staging::new(out)?;
    output
        .files
        .par_iter()
        .for_each(|(path, bytes)| staging.write(path, bytes));
    staging.commit()
}

/// A build on its way to `out`: files go into a fresh sibling folder, which
/// replaces `out` in one step on [`Staging::commit`] and is removed if the
/// staging is dropped before (a build that failed half-way).
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Where the old output goes where it cannot be swapped in one step.
    previous: PathBuf,
    /// The marker in `dir`, held open and locked for as long as this
    /// process runs: the sign to other builds that `dir` is in use (see
    /// the module notes).
    _lock: fs::File,
    /// Folders known to exist in `dir`.
    folders: Mutex<HashSet<PathBuf>>,
    /// Files written once and linked for every further copy: a name given
    /// by the caller → the bytes and where they were written first.
    copies: Mutex<HashMap<String, (Vec<u8>, PathBuf)>>,
    /// The first write that failed; later writes are skipped.
    failure: Mutex<Option<IoError>>,
    committed: AtomicBool,
}

impl Staging {
    /// Starts a build of `out` in a fresh folder beside it, first removing
    /// what killed builds of `out` left there.
    pub fn new(out: &Path) -> Result<Staging, IoError> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(at(&parent))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.onboard-new-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.onboard-old-{}", std::process::id()));
        // Not `create_dir_all`: a folder of this name that is still there
        // belongs to a build that is running, and is not ours to write in.
        fs::create_dir(&dir).map_err(at(&dir))?;
        let lock = match mark(&dir) {
            Ok(lock) => lock,
            Err(error) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(error);
            }
        };
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            previous,
            _lock: lock,
            folders: Mutex::new(HashSet::new()),
            copies: Mutex::new(HashMap::new()),
            failure: Mutex::new(None),
            committed: AtomicBool::new(false),
        })
    }

    /// Writes one file (`path` relative to the output, with `/`). Safe to
    /// call from many threads; a failure is kept for [`Staging::commit`].
    pub fn write(&self, path: &str, bytes: &[u8]) {
        if self.failure.lock().is_ok_and(|f| f.is_some()) {
            return;
        }
        if let Err(error) = self.try_write(path, bytes)
            && let Ok(mut failure) = self.failure.lock()
        {
            failure.get_or_insert(error);
        }
    }

    /// Writes one of many files with the same bytes, such as the stylesheet
    /// of every share folder: the first is written, the others are hard
    /// links to it. Ten thousand share folders then hold one stylesheet on
    /// disk instead of ten thousand, and each costs one system call. Where
    /// links fail (a file system without them), or `bytes` are not those
    /// first written under `name`, the file is written as usual.
    pub fn write_copy(&self, name: &str, path: &str, bytes: &[u8]) {
        let first = self.copies.lock().ok().and_then(|copies| {
            copies
                .get(name)
                .filter(|(kept, _)| kept.as_slice() == bytes)
                .map(|(_, first)| first.clone())
        });
        if let Some(first) = first {
            let target = self.dir.join(path);
            if self.make_parent(&target).is_ok() && fs::hard_link(&first, &target).is_ok() {
                return;
            }
        }
        self.write(path, bytes);
        if let Ok(mut copies) = self.copies.lock() {
            copies
                .entry(name.to_string())
                .or_insert_with(|| (bytes.to_vec(), self.dir.join(path)));
        }
    }

    fn try_write(&self, path: &str, bytes: &[u8]) -> Result<(), IoError> {
        let target = self.dir.join(path);
        self.make_parent(&target)?;
        fs::write(&target, bytes).map_err(at(&target))
    }

    fn make_parent(&self, target: &Path) -> Result<(), IoError> {
        if let Some(folder) = target.parent() {
            let known = self.folders.lock().is_ok_and(|f| f.contains(folder));
            if !known {
                // Nearly every folder is new and its parent made already
                // (a page's folder under `pages/`): one call, where
                // `create_dir_all` would first look whether it exists.
                match fs::create_dir(folder) {
                    Ok(()) => {}
                    Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(_) => fs::create_dir_all(folder).map_err(at(folder))?,
                }
                if let Ok(mut folders) = self.folders.lock() {
                    folders.insert(folder.to_path_buf());
                }
            }
        }
        Ok(())
    }

    /// Puts the new output in place of the old one, or reports the first
    /// write that failed and leaves the old output as it was.
    pub fn commit(&self) -> Result<(), IoError> {
        if let Some(error) = self.failure.lock().ok().and_then(|mut f| f.take()) {
            return Err(error);
        }
        // A staging folder that another build's clean-up removed in the
        // instant between its creation and its lock, and that writes then
        // made again, lacks the marker: it is incomplete and must not be
        // put in place.
        if !destination::is_marked(&self.dir) {
            return Err(IoError {
                path: self.dir.clone(),
                error: io::Error::new(
                    io::ErrorKind::NotFound,
                    "the build's folder was removed while it was written",
                ),
            });
        }
        let old = put_in_place(&self.dir, &self.out, &self.previous).map_err(at(&self.out))?;
        self.committed.store(true, Ordering::SeqCst);
        if let Some(old) = old {
            // Left for the next build if this fails or the process is killed.
            let _ = remove_tree(&old);
        }
        Ok(())
    }
}

/// Render's streaming output writes into the staging folder.
impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) {
        Staging::write(self, path, bytes);
    }

    fn write_copy(&self, name: &str, path: &str, bytes: &[u8]) {
        Staging::write_copy(self, name, path, bytes);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed.load(Ordering::SeqCst) {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes the marker into a new staging folder and locks it.
fn mark(dir: &Path) -> Result<fs::File, IoError> {
    let path = dir.join(MARKER);
    let mut marker = fs::File::create_new(&path).map_err(at(&path))?;
    marker
        .write_all(MARKER_TEXT.as_bytes())
        .map_err(at(&path))?;
    // A file system without locks only means that leftovers there stay
    // (see `in_use`); the build itself goes on.
    let _ = marker.lock();
    Ok(marker)
}

/// Moves the complete build at `new` to `out`; returns where the old
/// output went, to be removed, if there was one. On Linux the two folders
/// swap names in one step. Elsewhere, or on a file system that cannot
/// (some return EINVAL), the old output is renamed to `aside` and the new
/// one into its place: a build killed between the two leaves no folder at
/// `out`, only the two beside it.
fn put_in_place(new: &Path, out: &Path, aside: &Path) -> io::Result<Option<PathBuf>> {
    if fs::symlink_metadata(out).is_err_and(|e| e.kind() == io::ErrorKind::NotFound) {
        fs::rename(new, out)?;
        return Ok(None);
    }
    match exchange(new, out) {
        Ok(()) => return Ok(Some(new.to_path_buf())),
        Err(error) if !cannot_exchange(&error) => return Err(error),
        Err(_) => {}
    }
    fs::rename(out, aside)?;
    if let Err(error) = fs::rename(new, out) {
        // Put the old site back so the failure loses nothing.
        let _ = fs::rename(aside, out);
        return Err(error);
    }
    Ok(Some(aside.to_path_buf()))
}

/// Swaps the names of two existing paths in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated strings that outlive the call,
    // and AT_FDCWD makes relative paths relative to the working folder.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Swaps the names of two existing paths in one step: not available here.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether `exchange` failed for want of support rather than for a reason
/// that two renames would meet as well.
fn cannot_exchange(error: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if let Some(code) = error.raw_os_error() {
        // EINVAL: the file system has no RENAME_EXCHANGE; ENOSYS: the
        // kernel has no renameat2 (before 3.15), or a sandbox hides it.
        return matches!(code, libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP);
    }
    error.kind() == io::ErrorKind::Unsupported
}

/// Removes the folders that killed builds of the output `name` left in
/// `parent`: those named exactly as [`Staging::new`] names them, that are
/// folders (not links) and that no running build holds (see `in_use`).
/// Nothing that fails here stops the build.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_folder && is_staging_name(&entry.file_name(), name) && !in_use(&entry.path()) {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Whether `file_name` is `.NAME.onboard-new-PID` or `.NAME.onboard-old-PID`.
fn is_staging_name(file_name: &OsStr, name: &str) -> bool {
    let Some(file_name) = file_name.to_str() else {
        return false;
    };
    let pid = file_name
        .strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix(".onboard-"))
        .and_then(|rest| rest.strip_prefix("new-").or(rest.strip_prefix("old-")));
    pid.is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a running build holds the marker of the staging folder `dir`.
/// A folder without a marker is the old output a build swapped out (or a
/// build killed before it wrote one): no build holds it. Where locks
/// cannot be taken, the folder is taken to be in use and left alone.
fn in_use(dir: &Path) -> bool {
    let Ok(marker) = fs::File::open(dir.join(MARKER)) else {
        return false;
    };
    !matches!(marker.try_lock_shared(), Ok(()))
}

/// Removes `path` and everything in it, its subfolders in parallel. A link
/// is removed, never followed; entries already gone (another build clearing
/// the same leftover) are no error.
///
/// The old output of a big site is tens of thousands of files, and it is
/// removed after the new one is in place, when nothing else is left to do:
/// one thread unlinking them one by one is the last second of the build.
fn remove_tree(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        remove_folder(path)
    } else {
        gone_is_fine(fs::remove_file(path))
    }
}

fn remove_folder(dir: &Path) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = match fs::read_dir(dir) {
        Ok(entries) => entries.collect::<io::Result<_>>()?,
        Err(error) => return gone_is_fine(Err(error)),
    };
    entries.par_iter().try_for_each(|entry| {
        // The entry's own type, not its target's: a link is removed, never followed.
        if entry.file_type()?.is_dir() {
            remove_folder(&entry.path())
        } else {
            gone_is_fine(fs::remove_file(entry.path()))
        }
    })?;
    gone_is_fine(fs::remove_dir(dir))
}

fn gone_is_fine(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> IoError + use<> {
    let path = path.to_path_buf();
    move |error| IoError { path, error }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_old_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut first = Output::default();
        first.insert("index.html", "one");
        first.insert("old/page.html", "gone later");
        write_atomically(&out, &first).unwrap();
        let mut second = Output::default();
        second.insert("index.html", "two");
        second.insert("a/b/c.html", "deep");
        write_atomically(&out, &second).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("old/page.html").exists());
        assert_eq!(fs::read_to_string(out.join("a/b/c.html")).unwrap(), "deep");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[test]
    fn a_streaming_output_writes_as_it_goes_and_keeps_paths_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = std::sync::Arc::new(Staging::new(&out).unwrap());
        let mut output = Output::streaming(staging.clone());
        output.insert("index.html", "home");
        let mut part = output.part();
        part.insert("sops/kickoff/index.html", "kickoff");
        output.merge(part);
        assert!(output.files.is_empty(), "no bytes kept in memory");
        assert_eq!(output.len(), 2);
        assert!(!out.exists(), "nothing in place before the commit");
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("sops/kickoff/index.html")).unwrap(),
            "kickoff"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[test]
    fn removing_a_tree_removes_links_but_not_what_they_point_to() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("old");
        fs::create_dir_all(tree.join("a/b")).unwrap();
        fs::write(tree.join("a/b/c.html"), "c").unwrap();
        fs::write(tree.join("top.html"), "top").unwrap();
        let kept = dir.path().join("kept");
        fs::create_dir_all(&kept).unwrap();
        fs::write(kept.join("file"), "kept").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, tree.join("a/link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(fs::read_to_string(kept.join("file")).unwrap(), "kept");
    }

    #[test]
    fn copies_are_links_to_the_first_and_other_bytes_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = std::sync::Arc::new(Staging::new(&out).unwrap());
        let mut output = Output::streaming(staging.clone());
        output.insert_copy("style", "a/style.css", b"body {}");
        output.insert_copy("style", "b/style.css", b"body {}");
        output.insert_copy("style", "c/style.css", b"p {}");
        assert_eq!(output.len(), 3);
        staging.commit().unwrap();
        for (path, text) in [
            ("a/style.css", "body {}"),
            ("b/style.css", "body {}"),
            ("c/style.css", "p {}"),
        ] {
            assert_eq!(fs::read_to_string(out.join(path)).unwrap(), text);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let inode = |path: &str| fs::metadata(out.join(path)).unwrap().ino();
            assert_eq!(inode("a/style.css"), inode("b/style.css"));
            assert_ne!(inode("a/style.css"), inode("c/style.css"));
        }
    }

    #[test]
    fn an_uncommitted_build_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut good = Output::default();
        good.insert("index.html", "good");
        write_atomically(&out, &good).unwrap();
        {
            let staging = std::sync::Arc::new(Staging::new(&out).unwrap());
            let mut output = Output::streaming(staging);
            output.insert("index.html", "half-built");
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the staging folder is removed");
    }

    #[test]
    fn a_failed_write_keeps_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut good = Output::default();
        good.insert("index.html", "good");
        write_atomically(&out, &good).unwrap();
        let mut bad = Output::default();
        // A file and a folder of the same name cannot both exist.
        bad.insert("clash", "file");
        bad.insert("clash/inner.html", "folder");
        assert!(write_atomically(&out, &bad).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
    }

    #[test]
    fn every_output_carries_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut output = Output::default();
        output.insert("index.html", "home");
        write_atomically(&out, &output).unwrap();
        assert_eq!(fs::read_to_string(out.join(MARKER)).unwrap(), MARKER_TEXT);
        assert!(destination::is_marked(&out));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("which"), "a").unwrap();
        fs::write(b.join("which"), "b").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(a.join("which")).unwrap(), "b");
        assert_eq!(fs::read_to_string(b.join("which")).unwrap(), "a");
    }

    #[test]
    fn the_new_output_takes_the_place_of_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, aside) = (
            dir.path().join("new"),
            dir.path().join("out"),
            dir.path().join("aside"),
        );
        fs::create_dir(&new).unwrap();
        fs::write(new.join("which"), "new").unwrap();
        fs::create_dir(&out).unwrap();
        fs::write(out.join("which"), "old").unwrap();
        let old = put_in_place(&new, &out, &aside).unwrap().unwrap();
        assert_eq!(fs::read_to_string(out.join("which")).unwrap(), "new");
        assert_eq!(fs::read_to_string(old.join("which")).unwrap(), "old");
        let missing = dir.path().join("missing");
        assert_eq!(put_in_place(&old, &missing, &aside).unwrap(), None);
        assert_eq!(fs::read_to_string(missing.join("which")).unwrap(), "old");
    }

    #[test]
    fn exchange_falls_back_only_for_want_of_support() {
        assert!(cannot_exchange(&io::ErrorKind::Unsupported.into()));
        assert!(!cannot_exchange(&io::ErrorKind::PermissionDenied.into()));
        #[cfg(target_os = "linux")]
        {
            assert!(cannot_exchange(&io::Error::from_raw_os_error(libc::EINVAL)));
            assert!(cannot_exchange(&io::Error::from_raw_os_error(libc::ENOSYS)));
            assert!(!cannot_exchange(&io::Error::from_raw_os_error(
                libc::EACCES
            )));
        }
    }

    #[test]
    fn staging_names_are_matched_exactly() {
        let name = |s: &str| is_staging_name(OsStr::new(s), "public");
        assert!(name(".public.onboard-new-123"));
        assert!(name(".public.onboard-old-9"));
        assert!(!name(".public.onboard-new-"));
        assert!(!name(".public.onboard-new-12a"));
        assert!(!name(".public.onboard-tmp-12"));
        assert!(!name(".public2.onboard-new-12"));
        assert!(!name(".other.onboard-new-12"));
        assert!(!name("public.onboard-new-12"));
    }

    #[test]
    fn leftovers_of_killed_builds_go_and_everything_else_stays() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let folder = |name: &str| {
            let path = dir.path().join(name);
            fs::create_dir_all(path.join("sub")).unwrap();
            fs::write(path.join("sub/page.html"), name).unwrap();
            path
        };
        // Killed builds: one marked, one killed before its marker, one old
        // output that was being removed.
        let killed = folder(".public.onboard-new-111");
        fs::write(killed.join(MARKER), MARKER_TEXT).unwrap();
        let unmarked = folder(".public.onboard-new-222");
        let old = folder(".public.onboard-old-333");
        // A build still running holds the lock on its marker.
        let running = folder(".public.onboard-new-444");
        let held = fs::File::create(running.join(MARKER)).unwrap();
        held.lock().unwrap();
        // Other outputs' leftovers and the user's own folders.
        let other = folder(".docs.onboard-new-555");
        let mine = folder(".public.backup");
        let kept = folder("kept");
        #[cfg(unix)]
        let link = {
            let link = dir.path().join(".public.onboard-old-666");
            std::os::unix::fs::symlink(&kept, &link).unwrap();
            link
        };

        let staging = Staging::new(&out).unwrap();

        for gone in [&killed, &unmarked, &old] {
            assert!(!gone.exists(), "{} is left", gone.display());
        }
        for stays in [&running, &other, &mine, &kept] {
            assert!(
                stays.join("sub/page.html").exists(),
                "{} was removed",
                stays.display()
            );
        }
        #[cfg(unix)]
        assert!(
            fs::symlink_metadata(&link).is_ok(),
            "a link with the name of a leftover is not a leftover"
        );
        drop(held);
        drop(staging);
    }

    #[test]
    fn a_staging_folder_removed_during_the_build_is_not_put_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut good = Output::default();
        good.insert("index.html", "good");
        write_atomically(&out, &good).unwrap();
        let staging = Staging::new(&out).unwrap();
        fs::remove_dir_all(&staging.dir).unwrap();
        staging.write("sops/kickoff/index.html", b"partial");
        assert!(staging.commit().is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
    }
}
