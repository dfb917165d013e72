//! The files being served, patched in place as builds come in.
//!
//! A whole build replaces every file. After tracker edits, the edited
//! customers' own files are swapped in first and the browsers told at once;
//! the pages that read every customer (home, dashboard, SOP pages, exports,
//! search index, sitemap) are then *pending* until [`render_aggregates`]
//! brings them: a request for one of them waits rather than get a page
//! that no longer agrees with the customers' own. Files that no tracker
//! can change (the theme's and the site's static files) never wait.
//!
//! Bytes are shared (`Arc`), so patching a site of fifty thousand
//! files moves pointers, and a request holds the lock only to look up.
//!
//! [`render_aggregates`]: super::render::render_aggregates

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::render::Output;

/// One file's bytes, shared between the served map and the requests (a
/// `Vec` moved in as rendered, never copied).
pub type Bytes = Arc<Vec<u8>>;

/// What requests are answered from.
pub(crate) struct Served {
    /// Every file of the last good build, by output path.
    pub files: BTreeMap<String, Bytes>,
    /// Whether a build has succeeded.
    pub built: bool,
    /// The script injected into pages (it carries the build id).
    pub script: Arc<str>,
    /// The page shown while no build has succeeded yet.
    pub failure_page: Arc<str>,
    /// Counts what was published; late aggregates of an older one are
    /// dropped.
    pub generation: u64,
    /// The pages that read every customer are being rendered again.
    pub pending: bool,
    /// Files no tracker can change: they never wait.
    pub steady: BTreeSet<String>,
    /// The files that [`super::render::render_aggregates`] makes: all but
    /// the customers' own.
    pub aggregates: BTreeSet<String>,
}

impl Served {
    /// Nothing built yet.
    pub fn empty(script: String, failure_page: String) -> Served {
        Served {
            files: BTreeMap::new(),
            built: false,
            script: script.into(),
            failure_page: failure_page.into(),
            generation: 0,
            pending: false,
            steady: BTreeSet::new(),
            aggregates: BTreeSet::new(),
        }
    }

    /// Whether a request for `path` must wait for the pending pages.
    pub fn must_wait(&self, path: &str) -> bool {
        self.pending && !is_customer_own(path) && !self.steady.contains(path)
    }

    /// Serves `output` whole. Returns the paths whose bytes changed, as far
    /// as telling a stylesheet-only change goes: once a file other than a
    /// stylesheet differs, no more are compared.
    pub fn replace(&mut self, output: Output, steady: BTreeSet<String>) -> Vec<String> {
        let mut changed: Vec<String> = self
            .files
            .keys()
            .filter(|path| !output.files.contains_key(*path))
            .cloned()
            .collect();
        let mut more_than_css = changed.iter().any(|path| !path.ends_with(".css"));
        let mut files = BTreeMap::new();
        for (path, bytes) in output.files {
            if !more_than_css && self.files.get(&path).is_none_or(|old| **old != bytes) {
                more_than_css = !path.ends_with(".css");
                changed.push(path.clone());
            }
            files.insert(path, Bytes::new(bytes));
        }
        let old = std::mem::replace(&mut self.files, files);
        crate::build::free_later(old);
        self.aggregates = self
            .files
            .keys()
            .filter(|path| !is_customer_own(path))
            .cloned()
            .collect();
        self.steady = steady;
        self.built = true;
        self.pending = false;
        changed.sort();
        changed
    }

    /// Removes the files under the folders `stale` and adds `files`; the
    /// pages that read every customer are pending from now. Returns the
    /// paths whose bytes changed.
    pub fn patch_customers(&mut self, stale: &[String], files: Output) -> Vec<String> {
        let mut removed: BTreeMap<String, Bytes> = BTreeMap::new();
        for folder in stale {
            let paths: Vec<String> = self
                .files
                .range::<str, _>((
                    std::ops::Bound::Included(folder.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .map(|(path, _)| path)
                .take_while(|path| path.starts_with(folder.as_str()))
                .cloned()
                .collect();
            for path in paths {
                if let Some(bytes) = self.files.remove(&path) {
                    removed.insert(path, bytes);
                }
            }
        }
        let mut changed = Vec::new();
        for (path, bytes) in files.files {
            if removed.remove(&path).is_none_or(|old| *old != bytes) {
                changed.push(path.clone());
            }
            self.files.insert(path, Bytes::new(bytes));
        }
        changed.extend(removed.into_keys());
        self.pending = true;
        changed.sort();
        changed
    }

    /// Puts in the pages that read every customer (`output`, from
    /// [`super::render::render_aggregates`]), with the sitemap made again
    /// over every file. Returns the paths whose bytes changed.
    pub fn put_aggregates(&mut self, mut output: Output, base_url: &str) -> Vec<String> {
        if output.files.contains_key("sitemap.xml") {
            let mut every = Output::default();
            every.streamed = self
                .files
                .keys()
                .filter(|path| !self.aggregates.contains(*path))
                .chain(output.files.keys())
                .cloned()
                .collect();
            if let Some(xml) = crate::render::sitemap(base_url, &every) {
                output.insert("sitemap.xml", xml);
            }
        }
        let mut changed = Vec::new();
        for path in std::mem::take(&mut self.aggregates) {
            if !output.files.contains_key(&path) && self.files.remove(&path).is_some() {
                changed.push(path);
            }
        }
        for (path, bytes) in output.files {
            if self.files.get(&path).is_none_or(|old| **old != bytes) {
                changed.push(path.clone());
                self.files.insert(path.clone(), Bytes::new(bytes));
            }
            self.aggregates.insert(path);
        }
        self.pending = false;
        changed.sort();
        changed
    }

    /// The served files as an [`Output`] (a copy).
    pub fn output(&self) -> Output {
        let mut output = Output::default();
        for (path, bytes) in &self.files {
            output.insert(path.clone(), bytes.to_vec());
        }
        output
    }
}

/// A file that belongs to one customer: under `customers/<slug>/` or
/// `share/<folder>/`. Everything else may read every customer.
pub fn is_customer_own(path: &str) -> bool {
    match path.split_once('/') {
        Some(("customers", rest)) => rest.contains('/'),
        Some(("share", _)) => true,
        _ => false,
    }
}

/// The URL path of an output file, as a browser's `location.pathname`
/// shows it: `customers/acme/index.html` → `/customers/acme/`.
pub fn url_path(path: &str) -> String {
    let page = match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
        _ => path,
    };
    format!("/{page}")
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
    fn customers_own_files_are_told_from_the_rest() {
        assert!(is_customer_own("customers/acme/index.html"));
        assert!(is_customer_own("customers/acme/milestones.ics"));
        assert!(is_customer_own("share/acme/share.css"));
        assert!(!is_customer_own("customers/index.html"));
        assert!(!is_customer_own("data/customers.json"));
        assert!(!is_customer_own("index.html"));
        assert_eq!(url_path("customers/acme/index.html"), "/customers/acme/");
        assert_eq!(url_path("index.html"), "/");
        assert_eq!(url_path("404.html"), "/404.html");
        assert_eq!(url_path("data/kpis.csv"), "/data/kpis.csv");
    }

    #[test]
    fn customers_are_patched_then_aggregates_put_in() {
        let mut served = Served::empty(String::new(), String::new());
        let changed = served.replace(
            output(&[
                ("index.html", "home 1"),
                ("style.css", "css"),
                ("customers/index.html", "dashboard 1"),
                ("customers/a/index.html", "a 1"),
                ("customers/b/index.html", "b 1"),
                ("customers/b/milestones.ics", "b ics"),
                ("search/x.js", "x"),
            ]),
            ["style.css".to_string()].into(),
        );
        assert!(!changed.is_empty());
        assert!(!served.must_wait("index.html"));

        let changed = served.patch_customers(
            &["customers/b/".into(), "share/b/".into()],
            output(&[("customers/b/index.html", "b 2")]),
        );
        assert_eq!(
            changed,
            ["customers/b/index.html", "customers/b/milestones.ics"]
        );
        assert!(served.must_wait("index.html") && served.must_wait("search/y.js"));
        assert!(!served.must_wait("customers/a/index.html") && !served.must_wait("style.css"));

        let changed = served.put_aggregates(
            output(&[
                ("index.html", "home 2"),
                ("style.css", "css"),
                ("customers/index.html", "dashboard 1"),
                ("search/y.js", "y"),
            ]),
            "",
        );
        assert_eq!(changed, ["index.html", "search/x.js", "search/y.js"]);
        assert!(!served.pending);
        assert_eq!(
            served.files.keys().map(String::as_str).collect::<Vec<_>>(),
            [
                "customers/a/index.html",
                "customers/b/index.html",
                "customers/index.html",
                "index.html",
                "search/y.js",
                "style.css"
            ]
        );
    }
}
