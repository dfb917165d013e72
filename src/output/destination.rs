//! Where `onboard build` may write: the output folder is checked before
//! anything is built, because a build replaces that folder whole.
//!
//! A folder is accepted when it is missing, empty or an earlier output (it
//! carries the [`MARKER`] every build writes). A folder holding anything
//! else is refused unless the user passes `--force`; the site root, the
//! folders above it and the site's sources are refused even then, since
//! replacing them would delete the site itself.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file every build writes at the top of its output, so that the next
/// build knows the folder is its own to replace.
pub const MARKER: &str = ".onboard-output";

/// What the marker says to a person who opens it.
pub const MARKER_TEXT: &str = "This folder is the output of `onboard build`, \
which replaces it whole on every build: do not keep your own files here.\n";

/// The folders of a site that hold what the user wrote.
const SOURCE_FOLDERS: [&str; 4] = ["playbooks", "content", "themes", "static"];

/// An output folder `onboard build` will not write to.
#[derive(Debug)]
pub struct Refused {
    /// The output folder, as the user gave it.
    pub path: PathBuf,
    /// Why it is refused.
    pub reason: Reason,
}

/// Why an output folder is refused.
#[derive(Debug)]
pub enum Reason {
    /// It is the site root, which holds the sources.
    SiteRoot,
    /// It holds the site root.
    AboveRoot,
    /// It is, or lies inside, one of the site's source folders.
    InSources(&'static str),
    /// It is not a folder ("a file", "a symbolic link", ...).
    NotAFolder(&'static str),
    /// It holds things and no marker, and `--force` was not given.
    NotAnOutput {
        /// Entries at its top that are not folders.
        files: usize,
        /// Folders at its top.
        folders: usize,
    },
    /// It could not be looked at.
    Unreadable(io::Error),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refusing to build into {}: ", self.path.display())?;
        match &self.reason {
            Reason::SiteRoot => write!(
                f,
                "it is the site root, and the build would replace the site's own sources"
            ),
            Reason::AboveRoot => write!(
                f,
                "it is a folder above the site root, and the build would replace the whole site"
            ),
            Reason::InSources(folder) => write!(
                f,
                "it is in the site's sources ({folder}/), and the build would replace them"
            ),
            Reason::NotAFolder(kind) => write!(f, "it is {kind}, not a folder"),
            Reason::NotAnOutput { files, folders } => write!(
                f,
                "it holds {}, and no {MARKER} marker: it is not an onboard output \
                 (pass --force to replace it and everything in it)",
                holdings(*files, *folders)
            ),
            Reason::Unreadable(error) => write!(f, "cannot look at it: {error}"),
        }
    }
}

impl std::error::Error for Refused {}

/// "3 files and 1 folder".
fn holdings(files: usize, folders: usize) -> String {
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (files, folders) {
        (_, 0) => count(files, "file"),
        (0, _) => count(folders, "folder"),
        _ => format!("{} and {}", count(files, "file"), count(folders, "folder")),
    }
}

/// Decides whether a build of the site at `root` may replace `out`, and
/// returns `out` as an absolute path with its links resolved (where the
/// build swaps its output in). `force` lets a folder that is not an
/// earlier output be replaced; it never lets the site's own folders be.
pub fn check(root: &Path, out: &Path, force: bool) -> Result<PathBuf, Refused> {
    let refused = |reason| Refused {
        path: out.to_path_buf(),
        reason,
    };
    let target = resolve(out).map_err(|e| refused(Reason::Unreadable(e)))?;
    let site = resolve(root).map_err(|e| refused(Reason::Unreadable(e)))?;
    if target == site {
        return Err(refused(Reason::SiteRoot));
    }
    if site.starts_with(&target) {
        return Err(refused(Reason::AboveRoot));
    }
    for folder in SOURCE_FOLDERS {
        let source = site.join(folder);
        // A source folder may be a link to a folder elsewhere.
        let linked = fs::canonicalize(&source).ok();
        if target.starts_with(&source) || linked.is_some_and(|l| target.starts_with(l)) {
            return Err(refused(Reason::InSources(folder)));
        }
    }
    let metadata = match fs::symlink_metadata(out) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(target),
        Err(error) => return Err(refused(Reason::Unreadable(error))),
    };
    // The swap moves the entry at `out` itself: a link would be replaced,
    // and the folder it points to left as it was.
    if metadata.file_type().is_symlink() {
        return Err(refused(Reason::NotAFolder("a symbolic link")));
    }
    if !metadata.is_dir() {
        let kind = if metadata.is_file() {
            "a file"
        } else {
            "neither a file nor a folder"
        };
        return Err(refused(Reason::NotAFolder(kind)));
    }
    if force || is_marked(out) {
        return Ok(target);
    }
    let (mut files, mut folders) = (0, 0);
    for entry in fs::read_dir(out).map_err(|e| refused(Reason::Unreadable(e)))? {
        let is_folder = entry
            .and_then(|entry| entry.file_type())
            .map_err(|e| refused(Reason::Unreadable(e)))?
            .is_dir();
        if is_folder {
            folders += 1;
        } else {
            files += 1;
        }
    }
    if files + folders == 0 {
        Ok(target)
    } else {
        Err(refused(Reason::NotAnOutput { files, folders }))
    }
}

/// Whether `folder` carries the marker of an onboard output.
pub fn is_marked(folder: &Path) -> bool {
    fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// `path` made absolute with every link resolved. A path that does not
/// exist yet has its nearest existing ancestor resolved and the rest
/// appended, so that `public/new` and `../site/content` compare the same
/// way whether or not they exist.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let parts: Vec<Component> = absolute.components().collect();
    for existing in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..existing].iter().collect();
        match fs::canonicalize(&prefix) {
            Ok(mut resolved) => {
                // What follows does not exist, so it holds no links and
                // `..` can be taken off by hand.
                for part in &parts[existing..] {
                    match part {
                        Component::ParentDir => {
                            resolved.pop();
                        }
                        Component::Normal(name) => resolved.push(name),
                        _ => {}
                    }
                }
                return Ok(resolved);
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        }
    }
    // Not even the file system's root exists: nothing to resolve against.
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        "no part of the path exists",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site with its source folders, in a fresh temporary folder.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        for folder in ["playbooks", "content/customers", "themes/default", "static"] {
            fs::create_dir_all(root.join(folder)).unwrap();
        }
        fs::write(root.join("onboard.yaml"), "title: Test\n").unwrap();
        (dir, root)
    }

    fn reason(root: &Path, out: &Path, force: bool) -> Reason {
        check(root, out, force).unwrap_err().reason
    }

    #[test]
    fn the_site_and_its_sources_are_refused_even_with_force() {
        let (dir, root) = site();
        for force in [false, true] {
            assert!(matches!(reason(&root, &root, force), Reason::SiteRoot));
            assert!(matches!(
                reason(&root, &root.join("."), force),
                Reason::SiteRoot
            ));
            assert!(matches!(
                reason(&root, dir.path(), force),
                Reason::AboveRoot
            ));
            assert!(matches!(
                reason(&root, &root.join("content"), force),
                Reason::InSources("content")
            ));
            assert!(matches!(
                reason(&root, &root.join("themes/default/new"), force),
                Reason::InSources("themes")
            ));
            assert!(matches!(
                reason(&root, &root.join("missing/../static"), force),
                Reason::InSources("static")
            ));
        }
    }

    #[test]
    fn missing_empty_and_marked_folders_are_accepted() {
        let (dir, root) = site();
        let missing = dir.path().join("out/deeper");
        assert_eq!(
            check(&root, &missing, false).unwrap(),
            fs::canonicalize(dir.path()).unwrap().join("out/deeper")
        );
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(check(&root, &empty, false).is_ok());
        let marked = dir.path().join("marked");
        fs::create_dir(&marked).unwrap();
        fs::write(marked.join("index.html"), "old").unwrap();
        fs::write(marked.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check(&root, &marked, false).is_ok());
        assert!(check(&root, &root.join("public"), false).is_ok());
    }

    #[test]
    fn a_folder_of_other_files_needs_force_and_is_counted() {
        let (dir, root) = site();
        let documents = dir.path().join("documents");
        fs::create_dir_all(documents.join("letters")).unwrap();
        for name in ["a.txt", "b.txt", "c.txt"] {
            fs::write(documents.join(name), name).unwrap();
        }
        let refused = check(&root, &documents, false).unwrap_err();
        assert!(matches!(
            refused.reason,
            Reason::NotAnOutput {
                files: 3,
                folders: 1
            }
        ));
        let message = refused.to_string();
        assert!(
            message.contains("holds 3 files and 1 folder, and no .onboard-output marker"),
            "{message}"
        );
        assert!(message.contains(&documents.display().to_string()));
        assert!(check(&root, &documents, true).is_ok());
    }

    #[test]
    fn a_file_or_a_link_is_refused_even_with_force() {
        let (dir, root) = site();
        let file = dir.path().join("notes.txt");
        fs::write(&file, "mine").unwrap();
        assert!(matches!(
            reason(&root, &file, true),
            Reason::NotAFolder("a file")
        ));
        #[cfg(unix)]
        {
            let elsewhere = dir.path().join("elsewhere");
            fs::create_dir(&elsewhere).unwrap();
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
            assert!(matches!(
                reason(&root, &link, true),
                Reason::NotAFolder("a symbolic link")
            ));
            // A link into the sources is refused for what it points to.
            let into_sources = dir.path().join("into-sources");
            std::os::unix::fs::symlink(root.join("content"), &into_sources).unwrap();
            assert!(matches!(
                reason(&root, &into_sources.join("new"), true),
                Reason::InSources("content")
            ));
        }
    }

    #[test]
    fn holdings_read_as_counts() {
        assert_eq!(holdings(3, 1), "3 files and 1 folder");
        assert_eq!(holdings(1, 0), "1 file");
        assert_eq!(holdings(0, 2), "2 folders");
    }
}
