//! Builds the site in memory, again and again, as files change.
//!
//! Loading is the part that grows with the number of customers, so the
//! builder keeps what it loaded and resolved last time. Any change other
//! than to trackers (config, playbooks, pages, themes, static files), or a
//! watcher that lost track, reloads and builds everything, as `onboard
//! build` does ([`NewOutput::Whole`]).
//!
//! After tracker-only changes the builder re-reads just those trackers and
//! renders only their customers' own files ([`NewOutput::Customers`]): a
//! customer's page, feed and share folder depend on its tracker, the
//! playbooks, the config and as-of, never on another customer. When the
//! edited trackers keep their slugs, they are also resolved and checked
//! alone, with the rest of the site (SOPs, playbooks, roles, pages), and
//! the other customers' findings are kept from before; a tracker added,
//! removed or renamed, or one with an error, resolves and checks the whole
//! site again. The pages that read every customer (home, dashboard, SOP
//! KPIs, exports, search index) are rendered afterwards, off the path to
//! the browser, by [`render_aggregates`]. Tests hold the served site equal
//! to what `build` writes, and the findings equal to what `check` finds.
//!
//! [`render_aggregates`]: super::render::render_aggregates

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{BuildStats, Built};
use crate::diagnostics::lints::Reporter;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::load::{Content, Loaded, load_site, parse_yaml, read_source};
use crate::model::Tracker;
use crate::render::Output;
use crate::render::theme::Theme;
use crate::site::{self, BuildOptions, Site};

use super::render;
use super::watch::SourceEdits;

/// The outcome of one build.
#[derive(Debug)]
pub struct BuildOutcome {
    /// What to serve, or every diagnostic when the site has errors or
    /// cannot be read.
    pub result: Result<NewOutput, Diagnostics>,
    /// Only changed trackers were re-read.
    pub incremental: bool,
    /// Wall time of the build.
    pub elapsed: Duration,
}

/// What a good build changes in the served site: made by
/// [`IncrementalBuilder::build`] from the [`SourceEdits`], swapped into the
/// served files by the rebuild thread, which then tells the browsers an
/// [`events::Refresh`](super::events::Refresh).
#[derive(Debug)]
pub enum NewOutput {
    /// Everything: the site as `onboard build` writes it.
    Whole {
        /// The build.
        built: Built,
        /// Its files that no tracker can change: the theme's and the
        /// site's static files.
        steady: BTreeSet<String>,
    },
    /// The own files of the customers whose trackers changed; the pages
    /// that read every customer follow from [`render_aggregates`] on
    /// [`IncrementalBuilder::snapshot`].
    Customers {
        /// The new files of the customers rendered again.
        files: Output,
        /// Folders (`customers/<slug>/`, `share/<folder>/`) whose files are
        /// gone or replaced by `files`.
        stale: Vec<String>,
        /// Warnings of the whole site.
        diagnostics: Diagnostics,
        /// Counts for the summary line (`files` is left for the server).
        stats: BuildStats,
    },
}

/// Keeps the loaded documents and the resolved site between builds.
pub struct IncrementalBuilder {
    root: PathBuf,
    options: BuildOptions,
    loaded: Option<LoadedSite>,
    /// The site as resolved from `loaded`, when that resolved without an
    /// error, with its findings.
    resolved: Option<Resolved>,
    /// Tracker file → customer slug, as of the last good build.
    last_good: Option<BTreeMap<String, String>>,
    /// Trackers changed since the last good build.
    dirty_trackers: BTreeSet<String>,
    /// Something other than a tracker changed since the last good build.
    dirty_other: bool,
    /// The theme, kept while only trackers change.
    theme: Option<Theme>,
    /// What the copy of the site kept for [`render_aggregates`] has yet to
    /// be told, in order (see [`IncrementalBuilder::take_sync`]).
    sync: Vec<SitePatch>,
    /// The site was resolved afresh: the copy must be replaced whole.
    sync_whole: bool,
}

/// How to bring a copy of the resolved site up to date: collected by
/// [`IncrementalBuilder`] as it resolves, handed over by
/// [`IncrementalBuilder::take_sync`] after each good build to the
/// aggregator, which applies them to its copy before it renders the pages
/// that read every customer. Not for the browsers: they hear of the files
/// a build changed ([`NewOutput`]) as an
/// [`events::Refresh`](super::events::Refresh).
#[derive(Debug)]
pub enum SitePatch {
    /// Replace it.
    Whole(Box<Site>),
    /// Replace these customers (by index: patching never moves one).
    Customers(Vec<(usize, crate::site::Customer)>),
}

impl SitePatch {
    /// Applies this change to `site` (`site` is `None`
    /// until a first [`SitePatch::Whole`]).
    pub fn apply(self, site: &mut Option<Site>) {
        match self {
            SitePatch::Whole(new) => crate::build::free_later(site.replace(*new)),
            SitePatch::Customers(customers) => {
                if let Some(site) = site {
                    for (at, customer) in customers {
                        site.customers[at] = customer;
                    }
                }
            }
        }
    }
}

/// Everything read from disk, with the problems found while reading.
#[derive(Clone)]
struct LoadedSite {
    content: Content,
    diagnostics: Diagnostics,
}

/// A resolved site and what resolving and checking it found.
struct Resolved {
    site: Site,
    resolve: Diagnostics,
    check: Diagnostics,
}

impl Resolved {
    fn slugs(&self) -> BTreeMap<String, String> {
        self.site
            .customers
            .iter()
            .map(|c| (c.loaded.file.name.clone(), c.slug.clone()))
            .collect()
    }
}

impl IncrementalBuilder {
    /// A builder for the site at `root`; nothing is read yet.
    pub fn new(root: impl Into<PathBuf>, options: BuildOptions) -> Self {
        IncrementalBuilder {
            root: root.into(),
            options,
            loaded: None,
            resolved: None,
            last_good: None,
            dirty_trackers: BTreeSet::new(),
            dirty_other: false,
            theme: None,
            sync: Vec::new(),
            sync_whole: false,
        }
    }

    /// Builds after `changes` (`None`: from scratch). When only trackers
    /// changed since the last good build, the result is an
    /// [`NewOutput::Customers`] to apply to it.
    pub fn build(&mut self, changes: Option<&SourceEdits>) -> BuildOutcome {
        let started = Instant::now();
        let mut incremental = false;
        let mut patched = false;
        let trackers = changes.and_then(SourceEdits::trackers_only);
        match &trackers {
            Some(paths) => self
                .dirty_trackers
                .extend(paths.iter().map(|p| p.to_string())),
            None => {
                self.dirty_other = true;
                self.theme = None;
            }
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            #[cfg(test)]
            super::panic_tests::panic_if_asked(&self.root);
            incremental = self.load(trackers.as_deref())?;
            patched = self.resolve(trackers.as_deref());
            let diagnostics = self.diagnostics();
            if diagnostics.has_errors() {
                return Err(diagnostics);
            }
            self.render(diagnostics)
        }));
        let result = self.settle(outcome, patched, changes);
        BuildOutcome {
            result,
            incremental,
            elapsed: started.elapsed(),
        }
    }

    /// Re-reads the edited `trackers` alone when there is a site loaded to
    /// patch (and returns true), or loads the whole site again.
    fn load(&mut self, trackers: Option<&[&str]>) -> Result<bool, Diagnostics> {
        if let (Some(paths), Some(loaded)) = (trackers, self.loaded.as_mut()) {
            for path in paths {
                loaded.reload_tracker(&self.root, path);
            }
            return Ok(true);
        }
        self.loaded = None;
        crate::build::free_later(self.resolved.take());
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
        Ok(false)
    }

    /// Resolves and checks the edited `trackers` alone when that is enough
    /// (and returns true), or the whole site again.
    fn resolve(&mut self, trackers: Option<&[&str]>) -> bool {
        let patch = match (trackers, self.resolved.as_mut(), self.loaded.as_ref()) {
            (Some(paths), Some(resolved), Some(loaded)) => {
                resolved.patch(&self.root, loaded, paths)
            }
            _ => None,
        };
        if let Some(customers) = patch {
            self.sync.push(SitePatch::Customers(customers));
            return true;
        }
        self.sync_whole = true;
        crate::build::free_later(self.resolved.take());
        let loaded = self.loaded.as_ref().expect("loaded before resolving");
        let (site, resolve) = site::resolve(loaded.content.clone(), self.options.clone());
        let check = crate::check::run_at(&site, Some(&self.root));
        self.resolved = Some(Resolved {
            site,
            resolve,
            check,
        });
        false
    }

    /// Every finding of loading, resolving and checking, sorted.
    fn diagnostics(&self) -> Diagnostics {
        let loaded = self.loaded.as_ref().expect("loaded before resolving");
        let resolved = self.resolved.as_ref().expect("resolved before rendering");
        let mut diagnostics = loaded.diagnostics.clone();
        diagnostics.extend(resolved.resolve.0.iter().cloned());
        diagnostics.extend(resolved.check.0.iter().cloned());
        diagnostics.sort();
        diagnostics
    }

    /// The edited customers' own files when only trackers changed since
    /// the last good build, else every file.
    fn render(&mut self, diagnostics: Diagnostics) -> Result<NewOutput, Diagnostics> {
        let resolved = self.resolved.as_ref().expect("resolved before rendering");
        let Some(slugs) = self.last_good.as_ref().filter(|_| !self.dirty_other) else {
            return render::whole_update(&self.root, &resolved.site, diagnostics);
        };
        let theme = match self.theme.take() {
            Some(theme) => theme,
            None => crate::render::theme::load_for_site(&self.root, &resolved.site.config)
                .map_err(Diagnostics)?,
        };
        let update = render::customer_update(
            &theme,
            &resolved.site,
            slugs,
            &self.dirty_trackers,
            diagnostics,
        );
        self.theme = Some(theme);
        update
    }

    /// Keeps what a build leaves for the next one: after a good build, its
    /// slugs and no dirt; after errors, no site that failed to resolve;
    /// after a panic, nothing at all, and the panic as an error.
    fn settle(
        &mut self,
        outcome: std::thread::Result<Result<NewOutput, Diagnostics>>,
        patched: bool,
        changes: Option<&SourceEdits>,
    ) -> Result<NewOutput, Diagnostics> {
        match outcome {
            Ok(Ok(update)) => {
                // Patching keeps every slug.
                if !patched || self.last_good.is_none() {
                    let resolved = self.resolved.as_ref().expect("resolved");
                    self.last_good = Some(resolved.slugs());
                }
                self.dirty_trackers.clear();
                self.dirty_other = false;
                Ok(update)
            }
            Ok(Err(diagnostics)) => {
                // A site whose resolution failed is no base to patch.
                if self
                    .resolved
                    .as_ref()
                    .is_some_and(|r| r.resolve.has_errors())
                {
                    crate::build::free_later(self.resolved.take());
                }
                Err(diagnostics)
            }
            Err(panic) => {
                // Whatever was half-updated is not trusted: start over
                // next time.
                self.last_good = None;
                self.loaded = None;
                self.resolved = None;
                self.theme = None;
                Err(Diagnostics(vec![panic_diagnostic(
                    panic.as_ref(),
                    changes.map(|c| &c.paths),
                )]))
            }
        }
    }
}

impl IncrementalBuilder {
    /// What a copy of the site of the last good build needs to become
    /// the site of this one, called after each good build: the customers
    /// patched since, or, when the site was resolved afresh, a copy of it
    /// (called after the browsers are told, so that copying is not on
    /// their way).
    pub fn take_sync(&mut self) -> Vec<SitePatch> {
        if std::mem::take(&mut self.sync_whole) {
            self.sync.clear();
            if let Some(resolved) = &self.resolved {
                return vec![SitePatch::Whole(Box::new(resolved.site.clone()))];
            }
        }
        std::mem::take(&mut self.sync)
    }
}

impl Resolved {
    /// Resolves and checks the edited trackers `paths` alone, in place,
    /// and returns the new customers and where they stand. Returns `None`,
    /// having changed nothing, when that is not enough: a tracker added,
    /// removed, unreadable, with another slug or an error.
    fn patch(
        &mut self,
        root: &Path,
        loaded: &LoadedSite,
        paths: &[&str],
    ) -> Option<Vec<(usize, crate::site::Customer)>> {
        let mut report = Reporter::new(&self.site.config.lints);
        let mut replacements = Vec::with_capacity(paths.len());
        for path in paths {
            // A tracker that was not a customer, or is not one now.
            let at = self
                .site
                .customers
                .iter()
                .position(|c| c.loaded.file.name == *path)?;
            let tracker = loaded
                .content
                .trackers
                .iter()
                .find(|t| t.file.name == *path)?;
            match site::customer_slug(tracker, &mut report) {
                Some((slug, _)) if slug == self.site.customers[at].slug => {
                    let customer = site::resolve_customer(
                        tracker.clone(),
                        slug,
                        &self.site.playbooks,
                        &self.site.calendar,
                        self.site.as_of,
                        &mut report,
                    );
                    replacements.push((at, customer));
                }
                _ => return None,
            }
        }
        if report.diagnostics.has_errors() {
            return None;
        }
        let slugs: BTreeSet<String> = replacements.iter().map(|(_, c)| c.slug.clone()).collect();
        for (at, customer) in &replacements {
            self.site.customers[*at] = customer.clone();
        }
        let edited = |file: &str| paths.contains(&file);
        self.resolve.0.retain(|d| !edited(&d.file));
        self.resolve.extend(report.diagnostics.0);
        // Findings about other customers' trackers stand; the rest of the
        // site is checked again, with the edited customers.
        self.check
            .0
            .retain(|d| is_tracker_file(&d.file) && !edited(&d.file));
        self.check
            .extend(crate::check::run_scoped(&self.site, Some(root), &slugs).0);
        Some(replacements)
    }
}

/// A build that panicked, as the error shown in the terminal and the
/// browser: it names the file whose change led to it (the config for the
/// first build), since that file holds what onboard could not handle.
fn panic_diagnostic(
    panic: &(dyn std::any::Any + Send),
    changed: Option<&BTreeSet<String>>,
) -> Diagnostic {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    let mut changed = changed.into_iter().flatten();
    let (file, message) = match changed.next() {
        Some(first) => {
            let others = changed.count();
            let also = match others {
                0 => String::new(),
                1 => " (and 1 other file)".to_string(),
                n => format!(" (and {n} other files)"),
            };
            (
                first.as_str(),
                format!("the build panicked after a change to this file{also}: {what}"),
            )
        }
        None => ("onboard.yaml", format!("the build panicked: {what}")),
    };
    Diagnostic::file_error("internal", Path::new(file), message).with_help(
        "this is a bug in onboard; please report it with this file. \
         The last good build is still served, and the next change builds again",
    )
}

fn is_tracker_file(file: &str) -> bool {
    file.starts_with("content/customers/")
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
        if !crate::load::is_read_as_file(root, &path) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_names_the_file_that_changed() {
        let panic: Box<dyn std::any::Any + Send> = Box::new("overflow");
        let changed: BTreeSet<String> = ["content/customers/acme.yaml".to_string()].into();
        let diagnostic = panic_diagnostic(panic.as_ref(), Some(&changed));
        assert_eq!(diagnostic.code, "internal");
        assert_eq!(diagnostic.file, "content/customers/acme.yaml");
        assert!(
            diagnostic.message.contains("overflow"),
            "{}",
            diagnostic.message
        );
        let more: BTreeSet<String> = ["a.md", "b.md", "c.md"].map(String::from).into();
        let diagnostic = panic_diagnostic(panic.as_ref(), Some(&more));
        assert_eq!(diagnostic.file, "a.md");
        assert!(diagnostic.message.contains("(and 2 other files)"));
        let first = panic_diagnostic(&String::from("boom"), None);
        assert_eq!(first.file, "onboard.yaml");
        assert!(
            first.message.ends_with("panicked: boom"),
            "{}",
            first.message
        );
    }
}
