//! Finding and reading content files: folders walked, links judged, text decoded.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ReadError;
use crate::diagnostics::{Diagnostic, IoError, Place, Severity, SourceFile, display_path};

/// The files found below a content folder, and what was left out.
#[derive(Debug, Default)]
pub struct Found {
    /// The files to read, sorted.
    pub files: Vec<PathBuf>,
    /// A `skipped-entry` warning for each entry that looks like content
    /// but is not read.
    pub skipped: Vec<Diagnostic>,
}

/// The files with one of `extensions` below `dir` (absent: none).
///
/// Hidden entries are left out quietly. A link is followed when it leads
/// to a file inside the site; a link to nothing, to a folder or out of the
/// site, a folder named like a content file and anything else that is not
/// a plain file are reported in [`Found::skipped`]. A folder that cannot
/// be read is an [`IoError`].
pub fn find_files(root: &Path, dir: &Path, extensions: &[&str]) -> Result<Found, IoError> {
    let wanted = |path: &Path| {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
    };
    find_matching(root, dir, &wanted)
}

/// Every file below `dir`, as [`find_files`] finds them.
pub fn find_all_files(root: &Path, dir: &Path) -> Result<Found, IoError> {
    find_matching(root, dir, &|_| true)
}

fn find_matching(
    root: &Path,
    dir: &Path,
    wanted: &dyn Fn(&Path) -> bool,
) -> Result<Found, IoError> {
    let mut found = Found::default();
    match fs::metadata(dir) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(found),
        Err(error) => {
            return Err(IoError {
                path: dir.to_path_buf(),
                error,
            });
        }
        Ok(meta) if !meta.is_dir() => return Err(not_a_folder(dir)),
        Ok(_) => {}
    }
    let walk = Walk {
        root,
        real_root: fs::canonicalize(root).map_err(io_error(root))?,
        wanted,
    };
    walk.folder(dir, &mut found)?;
    found.files.sort();
    Ok(found)
}

/// One walk of a content folder.
struct Walk<'a> {
    root: &'a Path,
    /// The root with links resolved, to tell where links lead.
    real_root: PathBuf,
    wanted: &'a dyn Fn(&Path) -> bool,
}

impl Walk<'_> {
    fn folder(&self, dir: &Path, found: &mut Found) -> Result<(), IoError> {
        for entry in fs::read_dir(dir).map_err(io_error(dir))? {
            let entry = entry.map_err(io_error(dir))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = entry.file_type().map_err(io_error(&path))?;
            let wanted = (self.wanted)(&path);
            if kind.is_dir() {
                if wanted {
                    self.skip(
                        found,
                        &path,
                        "a folder named like a content file is not read as one (the files inside it are)",
                    );
                }
                self.folder(&path, found)?;
            } else if kind.is_file() {
                if wanted {
                    found.files.push(path);
                }
            } else if kind.is_symlink() {
                self.link(found, path, wanted);
            } else if wanted {
                self.skip(
                    found,
                    &path,
                    "skipped: not a plain file (a pipe, socket or device)",
                );
            }
        }
        Ok(())
    }

    /// A link is read like a file when it leads to one inside the site.
    fn link(&self, found: &mut Found, path: PathBuf, wanted: bool) {
        let target = match fs::canonicalize(&path) {
            Ok(target) => target,
            Err(error) => {
                if wanted {
                    let reason = if error.kind() == io::ErrorKind::NotFound {
                        "skipped: a link to nothing".to_string()
                    } else {
                        format!("skipped: a link that cannot be followed ({error})")
                    };
                    self.skip(found, &path, &reason);
                }
                return;
            }
        };
        if target.is_dir() {
            self.skip(
                found,
                &path,
                "skipped: a link to a folder (links to folders are not followed)",
            );
            return;
        }
        if !wanted {
            return;
        }
        if !target.starts_with(&self.real_root) {
            let reason = format!(
                "skipped: a link to {}, outside the site folder",
                target.display()
            );
            self.skip(found, &path, &reason);
        } else if target.is_file() {
            found.files.push(path);
        } else {
            self.skip(
                found,
                &path,
                "skipped: a link to something that is not a plain file",
            );
        }
    }

    /// A `skipped-entry` warning: the path is the diagnostic's file.
    fn skip(&self, found: &mut Found, path: &Path, message: &str) {
        let mut warning = Diagnostic::file_error(
            "skipped-entry",
            path.strip_prefix(self.root).unwrap_or(path),
            message,
        )
        .with_help("replace it with a plain file inside the site folder, or give it a name that does not look like content (names starting with `.` are ignored)");
        warning.level = Severity::Warning;
        found.skipped.push(warning);
    }
}

/// Whether [`load_site`] reads the entry at `path` as a file: a plain
/// file, or a link to one inside the site folder.
pub fn is_read_as_file(root: &Path, path: &Path) -> bool {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => true,
        Ok(meta) if meta.file_type().is_symlink() => {
            match (fs::canonicalize(path), fs::canonicalize(root)) {
                (Ok(target), Ok(root)) => target.starts_with(root) && target.is_file(),
                _ => false,
            }
        }
        _ => false,
    }
}

pub(super) fn io_error(path: &Path) -> impl Fn(io::Error) -> IoError + '_ {
    move |error| IoError {
        path: path.to_path_buf(),
        error,
    }
}

pub(super) fn not_a_folder(path: &Path) -> IoError {
    IoError {
        path: path.to_path_buf(),
        error: io::Error::new(io::ErrorKind::NotADirectory, "not a folder"),
    }
}

/// Reads a file into a [`SourceFile`] named relative to the root.
pub fn read_content(root: &Path, path: &Path) -> Result<Arc<SourceFile>, ReadError> {
    let name = display_path(path.strip_prefix(root).unwrap_or(path));
    let bytes = fs::read(path).map_err(io_error(path))?;
    Ok(decode(name, bytes)?)
}

/// [`read_content`], a file that cannot be read being a diagnostic too
/// (`serve` shows it in the browser and goes on watching).
pub fn read_source(root: &Path, path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    read_content(root, path).map_err(|error| match error {
        ReadError::Content(diagnostic) => diagnostic,
        ReadError::Io(error) => Diagnostic::file_error(
            "io",
            path.strip_prefix(root).unwrap_or(path),
            format!("cannot read the file: {}", error.error),
        ),
    })
}

/// A file's bytes as text, without a leading byte-order mark. Text that is
/// not UTF-8 is an error at the line and column of its first bad byte.
pub fn decode(name: String, mut bytes: Vec<u8>) -> Result<Arc<SourceFile>, Diagnostic> {
    const BOM: &[u8] = "\u{feff}".as_bytes();
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    let error = match String::from_utf8(bytes) {
        Ok(text) => return Ok(SourceFile::new(name, text)),
        Err(error) => error,
    };
    let bytes = error.as_bytes();
    let valid = &bytes[..error.utf8_error().valid_up_to()];
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
    // Columns count characters, as everywhere else; what precedes the bad
    // byte is valid UTF-8.
    let column = 1 + String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count();
    let bad = bytes[valid.len()];
    // The file is shown with the bad bytes replaced, so that the offending
    // line can be shown too.
    let file = SourceFile::new(name, String::from_utf8_lossy(bytes).into_owned());
    Err(Diagnostic::error(
        "encoding",
        &Place::at(&file, line, column),
        format!("this file is not valid UTF-8: byte 0x{bad:02X} at line {line}, column {column}"),
    )
    .with_help("save the file as UTF-8 (most editors offer the encoding when saving)"))
}

/// Every file below `dir`, as [`find_files`] finds them: path relative to
/// `dir` with `/` separators → bytes. An absent folder is empty.
pub fn read_tree(
    root: &Path,
    dir: &Path,
) -> Result<std::collections::BTreeMap<String, Vec<u8>>, IoError> {
    let mut files = std::collections::BTreeMap::new();
    for path in find_all_files(root, dir)?.files {
        let bytes = fs::read(&path).map_err(io_error(&path))?;
        files.insert(display_path(path.strip_prefix(dir).unwrap_or(&path)), bytes);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_byte_is_located_in_characters_after_multibyte_ones() {
        let bytes = b"title: ok\n  \xc3\xa9t\xc3\xa9 \xff rest\n".to_vec();
        let error = decode("x.md".into(), bytes).unwrap_err();
        assert_eq!((error.line, error.column), (2, 7));
        assert_eq!(error.source_line(), Some("  été \u{fffd} rest"));
    }

    #[test]
    fn a_byte_order_mark_is_dropped_before_columns_are_counted() {
        let error = decode("x.md".into(), b"\xef\xbb\xbfab\xfe".to_vec()).unwrap_err();
        assert_eq!((error.line, error.column), (1, 3));
        let file = decode("x.md".into(), "\u{feff}abc".into()).unwrap();
        assert_eq!(file.text, "abc");
    }
}
