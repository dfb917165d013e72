//! The only code that writes the output folder, and it does so atomically.
//!
//! A build is written to a fresh sibling folder first; only when every file
//! is written is it swapped in place of the old output. A failed build (or a
//! crash half-way) never leaves a half-written site behind.
//!
//! `onboard build` writes each file into that folder as soon as it is
//! rendered ([`Staging`], through [`crate::render::Output::streaming`]), so
//! a big site is never held in memory whole; `serve` keeps its output in
//! memory and writes nothing.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::diagnostics::IoError;
use crate::render::Output;

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
    previous: PathBuf,
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
    /// Starts a build of `out` in a fresh folder beside it.
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
        let dir = parent.join(format!(".{name}.onboard-new-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.onboard-old-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(at(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(at(&dir))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            previous,
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
        let out = &self.out;
        if out.exists() {
            fs::rename(out, &self.previous).map_err(at(out))?;
            if let Err(error) = fs::rename(&self.dir, out) {
                // Put the old site back so the failure loses nothing.
                let _ = fs::rename(&self.previous, out);
                return Err(IoError {
                    path: out.to_path_buf(),
                    error,
                });
            }
            self.committed.store(true, Ordering::SeqCst);
            let _ = remove_tree(&self.previous);
        } else {
            fs::rename(&self.dir, out).map_err(at(out))?;
            self.committed.store(true, Ordering::SeqCst);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed.load(Ordering::SeqCst) {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder and everything in it, its subfolders in parallel.
///
/// The old output of a big site is tens of thousands of files, and it is
/// removed after the new one is in place, when nothing else is left to do:
/// one thread unlinking them one by one is the last second of the build.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|entry| {
        // The entry's own type, not its target's: a link is removed, never followed.
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
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
}
