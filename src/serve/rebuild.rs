//! Builds the site in memory, again and again, as files change.
//!
//! Loading is the part that grows with the number of customers, so the
//! builder keeps what it loaded last time. When only tracker files changed,
//! it re-reads just those and reuses every other loaded document; any
//! other change (config, playbooks, pages, themes, static files) or a
//! watcher that lost track reloads everything. Resolution, checks and
//! rendering then run on the whole site, as `onboard build` does, so a
//! served site is the site `build` would write; a test holds the two equal.
//!
//! This is the seam for finer rebuilds later: [`Changes`] says which files
//! changed, so rendering only the pages that depend on them can slot in
//! here without touching the server.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::Built;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::load::{Content, Loaded, load_site, parse_yaml, read_source};
use crate::model::Tracker;
use crate::render::Output;
use crate::site::{self, BuildOptions};

use super::events::Change;
use super::watch::Changes;

/// The outcome of one build.
#[derive(Debug)]
pub struct Rebuild {
    /// The site, or every diagnostic when it has errors or cannot be read.
    pub result: Result<Built, Diagnostics>,
    /// Only changed trackers were re-read.
    pub incremental: bool,
    /// Wall time of the build.
    pub elapsed: Duration,
}

/// Keeps the loaded documents between builds.
pub struct SiteBuilder {
    root: PathBuf,
    options: BuildOptions,
    loaded: Option<LoadedSite>,
    /// Tracker file → customer slug, as of the last good build.
    last_good: Option<BTreeMap<String, String>>,
    /// Trackers changed since the last good build.
    dirty_trackers: BTreeSet<String>,
    /// Something other than a tracker changed since the last good build.
    dirty_other: bool,
}

/// Everything read from disk, with the problems found while reading.
#[derive(Clone)]
struct LoadedSite {
    content: Content,
    diagnostics: Diagnostics,
}

impl SiteBuilder {
    /// A builder for the site at `root`; nothing is read yet.
    pub fn new(root: impl Into<PathBuf>, options: BuildOptions) -> Self {
        SiteBuilder {
            root: root.into(),
            options,
            loaded: None,
            last_good: None,
            dirty_trackers: BTreeSet::new(),
            dirty_other: false,
        }
    }

    /// Builds after `changes` (`None`: from scratch). `previous` is the
    /// output being served, the last good build: when only trackers changed
    /// since it, the other customers' files are kept from it.
    pub fn build(&mut self, changes: Option<&Changes>, previous: Option<&Output>) -> Rebuild {
        let started = Instant::now();
        let mut incremental = false;
        let trackers = changes.and_then(Changes::trackers_only);
        match &trackers {
            Some(paths) => self
                .dirty_trackers
                .extend(paths.iter().map(|p| p.to_string())),
            None => self.dirty_other = true,
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            match (trackers, self.loaded.as_mut()) {
                (Some(paths), Some(loaded)) => {
                    for path in paths {
                        loaded.reload_tracker(&self.root, path);
                    }
                    incremental = true;
                }
                _ => {
                    self.loaded = None;
                    let (content, diagnostics) = load_site(&self.root).map_err(|error| {
                        Diagnostics(vec![Diagnostic::file_error(
                            "io",
                            &error.path,
                            error.error.to_string(),
                        )])
                    })?;
                    self.loaded = Some(LoadedSite {
                        content,
                        diagnostics,
                    });
                }
            }
            let loaded = self.loaded.as_ref().expect("loaded above");
            let reuse = match (&self.last_good, previous) {
                (Some(slugs), Some(previous)) if !self.dirty_other => {
                    Some((previous, slugs, &self.dirty_trackers))
                }
                _ => None,
            };
            finish(
                &self.root,
                loaded.content.clone(),
                loaded.diagnostics.clone(),
                self.options.clone(),
                reuse,
            )
        }));
        let outcome = match outcome {
            Ok(Ok((built, slugs))) => {
                self.last_good = Some(slugs);
                self.dirty_trackers.clear();
                self.dirty_other = false;
                Ok(Ok(built))
            }
            Ok(Err(diagnostics)) => Ok(Err(diagnostics)),
            Err(panic) => {
                self.last_good = None;
                Err(panic)
            }
        };
        let result = outcome.unwrap_or_else(|panic| {
            // Whatever was half-updated is not trusted: start over next time.
            self.loaded = None;
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Diagnostics(vec![
                Diagnostic::file_error(
                    "internal",
                    Path::new("onboard.yaml"),
                    format!("the build panicked: {what}"),
                )
                .with_help(
                    "this is a bug in onboard; please report it with the file you just changed",
                ),
            ]))
        });
        Rebuild {
            result,
            incremental,
            elapsed: started.elapsed(),
        }
    }
}

impl LoadedSite {
    /// Re-reads one tracker (or forgets it when it is gone), exactly as
    /// [`load_site`] reads trackers, keeping its sorted place.
    fn reload_tracker(&mut self, root: &Path, shown: &str) {
        self.content
            .trackers
            .retain(|tracker| tracker.file.name != shown);
        self.diagnostics
            .0
            .retain(|diagnostic| diagnostic.file != shown);
        let path = root.join(shown);
        // load_site does not follow links: neither do we.
        if !std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file()) {
            return;
        }
        let parsed = match read_source(root, &path) {
            Ok(file) => parse_yaml::<Tracker>(&file, 0).map(|doc| (doc, file)),
            Err(diagnostic) => Err(diagnostic),
        };
        match parsed {
            Ok((doc, file)) => {
                let customers = root.join("content/customers");
                let tracker = Loaded {
                    doc,
                    yaml_line_offset: 0,
                    body_start: file.text.len(),
                    file,
                    body_line: 1,
                    stem: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    rel_path: display_path(
                        &path
                            .strip_prefix(&customers)
                            .unwrap_or(&path)
                            .with_extension(""),
                    ),
                };
                let at = self
                    .content
                    .trackers
                    .partition_point(|other| Path::new(&other.file.name) < Path::new(shown));
                self.content.trackers.insert(at, tracker);
            }
            Err(diagnostic) => self.diagnostics.push(diagnostic),
        }
    }
}

/// Resolve, check and render, through the same functions as `onboard build`.
/// With `reuse` (the last good output, its tracker → slug map and the
/// trackers changed since), only the changed customers' own files are
/// rendered again, provided the same trackers still give the same slugs;
/// any other difference renders everything. Returns the new tracker → slug
/// map with the build.
type ReuseFrom<'a> = (
    &'a Output,
    &'a BTreeMap<String, String>,
    &'a BTreeSet<String>,
);

fn finish(
    root: &Path,
    content: Content,
    diagnostics: Diagnostics,
    options: BuildOptions,
    reuse: Option<ReuseFrom<'_>>,
) -> Result<(Built, BTreeMap<String, String>), Diagnostics> {
    let (site, diagnostics) = crate::build::resolve_and_check(root, content, diagnostics, options);
    let site = DropLater(Some(site));
    let slugs: BTreeMap<String, String> = site
        .customers
        .iter()
        .map(|c| (c.loaded.file.name.clone(), c.slug.clone()))
        .collect();
    let changed: Option<BTreeSet<String>> = reuse
        .filter(|(_, previous_slugs, _)| **previous_slugs == slugs)
        .map(|(_, _, files)| files.iter().filter_map(|f| slugs.get(f).cloned()).collect());
    let reuse = reuse
        .zip(changed.as_ref())
        .map(|((previous, _, _), changed)| crate::build::Reuse { previous, changed });
    crate::build::finish_reusing(root, &site, diagnostics, reuse).map(|built| (built, slugs))
}

/// Frees a resolved site on another thread: on a large site that takes
/// tens of milliseconds the browser need not wait for.
struct DropLater(Option<site::Site>);

impl std::ops::Deref for DropLater {
    type Target = site::Site;

    fn deref(&self) -> &site::Site {
        self.0.as_ref().expect("present until dropped")
    }
}

impl Drop for DropLater {
    fn drop(&mut self) {
        if let Some(site) = self.0.take() {
            // If no thread can start, free it here.
            let _ = std::thread::Builder::new()
                .name("onboard-free".into())
                .spawn(move || drop(site));
        }
    }
}

/// What the browsers should do to show `new` instead of `old`: restyle
/// when only stylesheets differ, else reload (also when nothing differs,
/// so that saving a file always shows a reaction).
pub fn change_between(old: &Output, new: &Output) -> Change {
    let mut changed: Vec<&str> = new
        .files
        .iter()
        .filter(|(path, bytes)| old.files.get(*path) != Some(*bytes))
        .map(|(path, _)| path.as_str())
        .collect();
    changed.extend(
        old.files
            .keys()
            .filter(|path| !new.files.contains_key(*path))
            .map(String::as_str),
    );
    if !changed.is_empty() && changed.iter().all(|path| path.ends_with(".css")) {
        changed.sort_unstable();
        Change::Css(changed.into_iter().map(str::to_string).collect())
    } else {
        Change::Reload
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        let mut output = Output::default();
        for (path, text) in files {
            output.insert(*path, text.as_bytes());
        }
        output
    }

    #[test]
    fn stylesheets_alone_are_swapped() {
        let old = output(&[("index.html", "a"), ("style.css", "x"), ("extra.css", "y")]);
        let new = output(&[
            ("index.html", "a"),
            ("style.css", "x2"),
            ("extra.css", "y2"),
        ]);
        assert_eq!(
            change_between(&old, &new),
            Change::Css(vec!["extra.css".into(), "style.css".into()])
        );
    }

    #[test]
    fn anything_else_reloads() {
        let old = output(&[("index.html", "a"), ("style.css", "x")]);
        assert_eq!(
            change_between(&old, &output(&[("index.html", "b"), ("style.css", "y")])),
            Change::Reload
        );
        assert_eq!(
            change_between(&old, &output(&[("index.html", "a")])),
            Change::Css(vec!["style.css".into()])
        );
        assert_eq!(
            change_between(&old, &output(&[("style.css", "x")])),
            Change::Reload
        );
        assert_eq!(change_between(&old, &old), Change::Reload);
    }
}
