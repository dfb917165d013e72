//! Files → typed documents with source positions.
//!
//! Reads `onboard.yaml`, `playbooks/` (SOPs, playbooks, `roles.yaml`),
//! `content/customers/` and `content/pages/`. Markdown files carry YAML
//! front matter between `---` lines; their line numbers are counted from
//! the top of the `.md` file. Every file that fails to parse becomes a
//! located [`Diagnostic`] and loading goes on with the others, so one run
//! reports every broken file. A file or folder that cannot be read at all
//! is an [`IoError`] (exit code 2), never a site with that part missing;
//! an entry that looks like content but is left out (a link that leads
//! nowhere or out of the site, a folder named `x.yaml`) is a `skipped-entry`
//! warning that names it.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, IoError, Place, SourceFile, display_path};
use crate::model::{PageMeta, Playbook, Role, Sop, Spanned, Tracker};

mod config;
mod files;
mod theme;
mod yaml;

pub use files::{
    Found, decode, find_all_files, find_files, is_read_as_file, read_content, read_source,
    read_tree,
};
use files::{io_error, not_a_folder};
pub use theme::{ThemeProblem, theme_folder};
pub use yaml::{FrontMatter, parse_yaml, parse_yaml_text, split_front_matter};

/// A document and the file it came from.
#[derive(Clone, Debug)]
pub struct Loaded<T> {
    /// The parsed document.
    pub doc: T,
    /// The file's text and display name.
    pub file: Arc<SourceFile>,
    /// Lines before the YAML started (1 for front matter after `---`).
    pub yaml_line_offset: usize,
    /// Where the Markdown body starts in the file's text: after the front
    /// matter, or at the end for YAML files (see [`Loaded::body`]).
    pub body_start: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// The file stem, the default id.
    pub stem: String,
    /// Path relative to the section folder, without extension (pages).
    pub rel_path: String,
}

impl<T> Loaded<T> {
    /// The Markdown body after the front matter (empty for YAML files),
    /// a slice of the file's text rather than a second copy of it.
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }

    /// The Markdown the document is written in: its body after the front
    /// matter or, when that is blank (a pure YAML file), its `body:` key.
    pub fn markdown<'a>(&'a self, yaml_body: Option<&'a str>) -> &'a str {
        let body = self.body();
        if body.trim().is_empty() {
            yaml_body.unwrap_or("")
        } else {
            body
        }
    }

    /// Where a spanned value stands in the file.
    pub fn place_of<V>(&self, value: &Spanned<V>) -> Place {
        self.place_at(
            value.referenced.line() as usize,
            value.referenced.column() as usize,
        )
    }

    /// A YAML line and column as a place in the file.
    pub fn place_at(&self, line: usize, column: usize) -> Place {
        if line == 0 {
            return Place::at(&self.file, 1 + self.yaml_line_offset, 1);
        }
        Place::at(&self.file, line + self.yaml_line_offset, column)
    }

    /// The start of the file.
    pub fn place(&self) -> Place {
        Place::file(&self.file)
    }
}

/// Everything read from a site folder.
#[derive(Clone, Debug, Default)]
pub struct Content {
    /// `onboard.yaml`, or defaults.
    pub config: Config,
    /// The config file, when there is one.
    pub config_file: Option<Arc<SourceFile>>,
    /// Site-wide roles from `playbooks/roles.yaml`.
    pub roles: Vec<Loaded<Role>>,
    /// SOPs.
    pub sops: Vec<Loaded<Sop>>,
    /// Playbooks.
    pub playbooks: Vec<Loaded<Playbook>>,
    /// Customer trackers.
    pub trackers: Vec<Loaded<Tracker>>,
    /// Free pages.
    pub pages: Vec<Loaded<PageMeta>>,
}

/// Why a content file could not be used.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read at all (exit code 2).
    Io(IoError),
    /// The file was read but is not valid content (exit code 1).
    Content(Diagnostic),
}

impl From<IoError> for ReadError {
    fn from(error: IoError) -> Self {
        ReadError::Io(error)
    }
}

impl From<Diagnostic> for ReadError {
    fn from(diagnostic: Diagnostic) -> Self {
        ReadError::Content(diagnostic)
    }
}

/// The `as_of` day a site's `onboard.yaml` sets, read as `build` reads it
/// (a fault in another key leaves it in force); `None` when the site has
/// no config, the config cannot be read, or it sets no day. `onboard new`
/// dates its files from it, so that they agree with the site's day.
pub fn site_as_of(root: &Path) -> Option<chrono::NaiveDate> {
    let file = read_content(root, &root.join("onboard.yaml")).ok()?;
    config::parse_config(&file).0.as_of.map(|day| day.0)
}

/// Reads every content file under `root`.
///
/// Content problems are returned as diagnostics next to whatever did load;
/// a root, folder or file that cannot be read is an [`IoError`], the first
/// in path order, so that a site is never built with a part missing.
pub fn load_site(root: &Path) -> Result<(Content, Diagnostics), IoError> {
    let meta = fs::metadata(root).map_err(io_error(root))?;
    if !meta.is_dir() {
        return Err(not_a_folder(root));
    }
    let mut diagnostics = Diagnostics::default();
    let mut content = Content::default();
    load_config(root, &mut content, &mut diagnostics)?;
    if let Err(problem) = theme_folder(root, &content.config.theme) {
        diagnostics.push(problem.diagnostic(content.config_file.as_ref()));
    }

    let playbooks_dir = root.join("playbooks");
    let customers_dir = root.join("content/customers");
    let pages_dir = root.join("content/pages");
    let playbook_files = find_files(root, &playbooks_dir, &["md", "yaml", "yml"])?;
    let customer_files = find_files(root, &customers_dir, &["yaml", "yml"])?;
    let page_files = find_files(root, &pages_dir, &["md"])?;
    for found in [&playbook_files, &customer_files, &page_files] {
        diagnostics.extend(found.skipped.iter().cloned());
    }

    let playbook_results: Vec<_> = playbook_files
        .files
        .par_iter()
        .map(|path| load_playbook_file(root, &playbooks_dir, path))
        .collect();
    for file in keep_loaded(playbook_results, &mut diagnostics)? {
        match file {
            PlaybookFile::Sop(sop) => content.sops.push(*sop),
            PlaybookFile::Playbook(playbook) => content.playbooks.push(*playbook),
            PlaybookFile::Roles(roles) => content.roles.extend(roles),
        }
    }
    let trackers = load_in_pieces(&customer_files, |path| {
        load_tracker(root, &customers_dir, path)
    });
    content.trackers = keep_loaded(trackers, &mut diagnostics)?;
    let pages = load_in_pieces(&page_files, |path| load_page(root, &pages_dir, path));
    content.pages = keep_loaded(pages, &mut diagnostics)?;
    Ok((content, diagnostics))
}

/// Reads `onboard.yaml` into `content`, when the site has one. A link to
/// nothing is an error here, not "no config": the site meant to have one.
fn load_config(
    root: &Path,
    content: &mut Content,
    diagnostics: &mut Diagnostics,
) -> Result<(), IoError> {
    let config_path = root.join("onboard.yaml");
    if fs::symlink_metadata(&config_path).is_err() {
        return Ok(());
    }
    match read_content(root, &config_path) {
        Ok(file) => {
            if !file.text.trim().is_empty() {
                let (config, error) = config::parse_config(&file);
                content.config = config;
                diagnostics.extend(error);
            }
            content.config_file = Some(file);
        }
        Err(ReadError::Io(error)) => return Err(error),
        Err(ReadError::Content(d)) => diagnostics.push(d),
    }
    Ok(())
}

/// Loads each of the `found` files with `load`, on every core, in path order.
fn load_in_pieces<T: Send>(
    found: &Found,
    load: impl Fn(&Path) -> Result<T, ReadError> + Sync + Send,
) -> Vec<Result<T, ReadError>> {
    // Files go to the cores in pieces of a few: rayon would otherwise hand
    // a core a run of thousands at once and leave the other idle at the end.
    found
        .files
        .par_iter()
        .with_max_len(FILES_PER_PIECE)
        .map(|path| load(path))
        .collect()
}

/// The documents that loaded, in path order, with the diagnostics of those
/// that did not added to `diagnostics`; the first file that cannot be read
/// stops the load.
fn keep_loaded<T>(
    results: Vec<Result<T, ReadError>>,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<T>, IoError> {
    let mut kept = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(doc) => kept.push(doc),
            Err(ReadError::Content(d)) => diagnostics.push(d),
            Err(ReadError::Io(error)) => return Err(error),
        }
    }
    Ok(kept)
}

fn load_tracker(
    root: &Path,
    customers_dir: &Path,
    path: &Path,
) -> Result<Loaded<Tracker>, ReadError> {
    let file = read_content(root, path)?;
    let doc = parse_yaml::<Tracker>(&file, 0)?;
    let end = file.text.len();
    Ok(loaded(doc, file, 0, end, 1, customers_dir, path))
}

/// The most content files a core takes at once when loading.
const FILES_PER_PIECE: usize = 16;

/// Reads one page file (also used by the incremental rebuild of `serve`).
pub fn load_page(
    root: &Path,
    pages_dir: &Path,
    path: &Path,
) -> Result<Loaded<PageMeta>, ReadError> {
    let file = read_content(root, path)?;
    let (meta, offset, body, body_line) = match split_front_matter(&file.text) {
        Some(split) => {
            let meta = if split.yaml.trim().is_empty() {
                PageMeta::default()
            } else {
                parse_yaml_text::<PageMeta>(&file, split.yaml, 1)?
            };
            (meta, 1, split.body_start, split.body_line)
        }
        None => (PageMeta::default(), 0, 0, 1),
    };
    Ok(loaded(
        meta,
        file.clone(),
        offset,
        body,
        body_line,
        pages_dir,
        path,
    ))
}

enum PlaybookFile {
    Sop(Box<Loaded<Sop>>),
    Playbook(Box<Loaded<Playbook>>),
    Roles(Vec<Loaded<Role>>),
}

#[derive(Deserialize, schemars::JsonSchema)]
struct KindProbe {
    #[schemars(with = "Option<String>")]
    kind: Option<Spanned<String>>,
}

fn load_playbook_file(root: &Path, dir: &Path, path: &Path) -> Result<PlaybookFile, ReadError> {
    let file = read_content(root, path)?;
    Ok(parse_playbook_file(file, dir, path)?)
}

/// Parses a file under `playbooks/`: `roles.yaml`, or an SOP or a
/// playbook as its `kind:` says.
fn parse_playbook_file(
    file: Arc<SourceFile>,
    dir: &Path,
    path: &Path,
) -> Result<PlaybookFile, Diagnostic> {
    let is_markdown = path.extension().is_some_and(|e| e == "md");
    if !is_markdown && file_stem(path) == "roles" {
        let roles = parse_yaml::<Vec<Role>>(&file, 0)?;
        return Ok(PlaybookFile::Roles(
            roles
                .into_iter()
                .map(|role| loaded(role, file.clone(), 0, file.text.len(), 1, dir, path))
                .collect(),
        ));
    }
    let (yaml, offset, body, body_line) = if is_markdown {
        let split = split_front_matter(&file.text).ok_or_else(|| no_front_matter(&file))?;
        (split.yaml, 1, split.body_start, split.body_line)
    } else {
        (file.text.as_str(), 0, file.text.len(), 1)
    };
    let probe = parse_yaml_text::<KindProbe>(&file, yaml, offset)?;
    let kind = probe.kind.as_ref().ok_or_else(|| no_kind(&file, offset))?;
    match kind.value.as_str() {
        "sop" => {
            let sop = parse_yaml_text::<Sop>(&file, yaml, offset)?;
            let sop = loaded(sop, file.clone(), offset, body, body_line, dir, path);
            Ok(PlaybookFile::Sop(Box::new(sop)))
        }
        "playbook" => {
            let playbook = parse_yaml_text::<Playbook>(&file, yaml, offset)?;
            let playbook = loaded(playbook, file.clone(), offset, body, body_line, dir, path);
            Ok(PlaybookFile::Playbook(Box::new(playbook)))
        }
        other => {
            let line = kind.referenced.line() as usize + offset;
            Err(Diagnostic::error(
                "unknown-kind",
                &Place::at(&file, line, kind.referenced.column() as usize),
                format!("unknown kind `{other}`"),
            )
            .with_help("expected `kind: sop` or `kind: playbook`"))
        }
    }
}

/// A Markdown file under `playbooks/` without front matter.
fn no_front_matter(file: &Arc<SourceFile>) -> Diagnostic {
    Diagnostic::error(
        "front-matter",
        &Place::file(file),
        "a Markdown file under playbooks/ needs YAML front matter",
    )
    .with_help("start the file with a `---` line, then `kind: sop` or `kind: playbook` and the other keys, then a closing `---` line")
}

/// A file under `playbooks/` (other than `roles.yaml`) without `kind:`.
fn no_kind(file: &Arc<SourceFile>, offset: usize) -> Diagnostic {
    Diagnostic::error(
        "unknown-kind",
        &Place::at(file, 1 + offset, 1),
        "this file has no `kind:`",
    )
    .with_help("add `kind: sop` or `kind: playbook`; site-wide roles go in playbooks/roles.yaml")
}

fn loaded<T>(
    doc: T,
    file: Arc<SourceFile>,
    yaml_line_offset: usize,
    body_start: usize,
    body_line: usize,
    dir: &Path,
    path: &Path,
) -> Loaded<T> {
    let rel = path.strip_prefix(dir).unwrap_or(path).with_extension("");
    Loaded {
        doc,
        file,
        yaml_line_offset,
        body_start,
        body_line,
        stem: file_stem(path),
        rel_path: display_path(&rel),
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
