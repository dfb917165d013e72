//! The only code that writes the output folder, and it does so atomically.
//!
//! A build is written to a fresh sibling folder first; only when every file
//! is written is it swapped in place of the old output. A failed build (or a
//! crash half-way) never leaves a half-written site behind.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::IoError;
use crate::render::Output;

/// Writes `output` to `out`, replacing what was there only on success.
pub fn write_atomically(out: &Path, output: &Output) -> Result<(), IoError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |error: io::Error| IoError { path, error }
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(err(&parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    let staging = parent.join(format!(".{name}.onboard-new-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.onboard-old-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(err(&staging))?;
    }
    fs::create_dir_all(&staging).map_err(err(&staging))?;

    let written = write_tree(&staging, output);
    if let Err(error) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    if out.exists() {
        fs::rename(out, &previous).map_err(err(out))?;
        if let Err(error) = fs::rename(&staging, out) {
            // Put the old site back so the failure loses nothing.
            let _ = fs::rename(&previous, out);
            let _ = fs::remove_dir_all(&staging);
            return Err(IoError {
                path: out.to_path_buf(),
                error,
            });
        }
        let _ = fs::remove_dir_all(&previous);
    } else {
        fs::rename(&staging, out).map_err(err(out))?;
    }
    Ok(())
}

fn write_tree(dir: &Path, output: &Output) -> Result<(), IoError> {
    let mut folders: Vec<PathBuf> = output
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(|d| dir.join(d)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(|error| IoError {
            path: folder.clone(),
            error,
        })?;
    }
    output.files.par_iter().try_for_each(|(path, bytes)| {
        let target = dir.join(path);
        let mut file = io::BufWriter::new(fs::File::create(&target).map_err(|error| IoError {
            path: target.clone(),
            error,
        })?);
        file.write_all(bytes)
            .and_then(|_| file.flush())
            .map_err(|error| IoError {
                path: target.clone(),
                error,
            })
    })
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
