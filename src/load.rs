//! Files → typed documents with source positions.
//!
//! Reads `onboard.yaml`, `playbooks/` (SOPs, playbooks, `roles.yaml`),
//! `content/customers/` and `content/pages/`. Markdown files carry YAML
//! front matter between `---` lines; their line numbers are counted from
//! the top of the `.md` file. Every file that fails to parse becomes a
//! located [`Diagnostic`] and loading goes on with the others, so one run
//! reports every broken file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, IoError, Place, SourceFile, display_path};
use crate::model::{PageMeta, Playbook, Role, Sop, Spanned, Tracker};

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

/// Reads every content file under `root`.
///
/// Content problems are returned as diagnostics next to whatever did load;
/// only a missing or unreadable root is an [`IoError`].
pub fn load_site(root: &Path) -> Result<(Content, Diagnostics), IoError> {
    let meta = std::fs::metadata(root).map_err(|error| IoError {
        path: root.to_path_buf(),
        error,
    })?;
    if !meta.is_dir() {
        return Err(IoError {
            path: root.to_path_buf(),
            error: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
        });
    }
    let mut diagnostics = Diagnostics::default();
    let mut content = Content::default();

    let config_path = root.join("onboard.yaml");
    if config_path.exists() {
        match read_source(root, &config_path) {
            Ok(file) => {
                if file.text.trim().is_empty() {
                    content.config_file = Some(file);
                } else {
                    match parse_yaml::<Config>(&file, 0) {
                        Ok(config) => content.config = config,
                        Err(d) => diagnostics.push(d),
                    }
                    content.config_file = Some(file);
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }

    let playbook_files = content_files(&root.join("playbooks"), &["md", "yaml", "yml"]);
    let customer_files = content_files(&root.join("content/customers"), &["yaml", "yml"]);
    let page_files = content_files(&root.join("content/pages"), &["md"]);

    let playbook_results: Vec<_> = playbook_files
        .par_iter()
        .map(|path| load_playbook_file(root, &root.join("playbooks"), path))
        .collect();
    for result in playbook_results {
        match result {
            Ok(PlaybookFile::Sop(sop)) => content.sops.push(*sop),
            Ok(PlaybookFile::Playbook(playbook)) => content.playbooks.push(*playbook),
            Ok(PlaybookFile::Roles(roles)) => content.roles.extend(roles),
            Err(d) => diagnostics.push(d),
        }
    }

    let customers_dir = root.join("content/customers");
    // Files go to the cores in pieces of a few: rayon would otherwise hand
    // a core a run of thousands at once and leave the other idle at the end.
    let tracker_results: Vec<_> = customer_files
        .par_iter()
        .with_max_len(FILES_PER_PIECE)
        .map(|path| {
            let file = read_source(root, path)?;
            let doc = parse_yaml::<Tracker>(&file, 0)?;
            let end = file.text.len();
            Ok(loaded(doc, file, 0, end, 1, &customers_dir, path))
        })
        .collect();
    for result in tracker_results {
        match result {
            Ok(tracker) => content.trackers.push(tracker),
            Err(d) => diagnostics.push(d),
        }
    }

    let pages_dir = root.join("content/pages");
    let page_results: Vec<_> = page_files
        .par_iter()
        .with_max_len(FILES_PER_PIECE)
        .map(|path| load_page(root, &pages_dir, path))
        .collect();
    for result in page_results {
        match result {
            Ok(page) => content.pages.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok((content, diagnostics))
}

/// The most content files a core takes at once when loading.
const FILES_PER_PIECE: usize = 16;

/// Reads one page file (also used by the incremental rebuild of `serve`).
pub fn load_page(
    root: &Path,
    pages_dir: &Path,
    path: &Path,
) -> Result<Loaded<PageMeta>, Diagnostic> {
    let file = read_source(root, path)?;
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

#[derive(Deserialize)]
struct KindProbe {
    kind: Option<Spanned<String>>,
}

fn load_playbook_file(root: &Path, dir: &Path, path: &Path) -> Result<PlaybookFile, Diagnostic> {
    let file = read_source(root, path)?;
    let is_markdown = path.extension().is_some_and(|e| e == "md");
    let stem = file_stem(path);
    if !is_markdown && (stem == "roles") {
        let roles = parse_yaml::<Vec<Role>>(&file, 0)?;
        return Ok(PlaybookFile::Roles(
            roles
                .into_iter()
                .map(|role| loaded(role, file.clone(), 0, file.text.len(), 1, dir, path))
                .collect(),
        ));
    }
    let (yaml, offset, body, body_line) = if is_markdown {
        match split_front_matter(&file.text) {
            Some(split) => (split.yaml, 1, split.body_start, split.body_line),
            None => {
                return Err(Diagnostic::error(
                    "front-matter",
                    &Place::file(&file),
                    "a Markdown file under playbooks/ needs YAML front matter",
                )
                .with_help("start the file with a `---` line, then `kind: sop` or `kind: playbook` and the other keys, then a closing `---` line"));
            }
        }
    } else {
        (file.text.as_str(), 0, file.text.len(), 1)
    };
    let probe = parse_yaml_text::<KindProbe>(&file, yaml, offset)?;
    match probe.kind.as_ref().map(|k| k.value.as_str()) {
        Some("sop") => {
            let sop = parse_yaml_text::<Sop>(&file, yaml, offset)?;
            Ok(PlaybookFile::Sop(Box::new(loaded(
                sop,
                file.clone(),
                offset,
                body,
                body_line,
                dir,
                path,
            ))))
        }
        Some("playbook") => {
            let playbook = parse_yaml_text::<Playbook>(&file, yaml, offset)?;
            Ok(PlaybookFile::Playbook(Box::new(loaded(
                playbook,
                file.clone(),
                offset,
                body,
                body_line,
                dir,
                path,
            ))))
        }
        Some(other) => {
            let kind = probe.kind.as_ref().expect("matched Some");
            let line = kind.referenced.line() as usize + offset;
            Err(Diagnostic::error(
                "unknown-kind",
                &Place::at(&file, line, kind.referenced.column() as usize),
                format!("unknown kind `{other}`"),
            )
            .with_help("expected `kind: sop` or `kind: playbook`"))
        }
        None => Err(Diagnostic::error(
            "unknown-kind",
            &Place::at(&file, 1 + offset, 1),
            "this file has no `kind:`",
        )
        .with_help(
            "add `kind: sop` or `kind: playbook`; site-wide roles go in playbooks/roles.yaml",
        )),
    }
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

/// The content files with one of `extensions` below `dir`, sorted, hidden
/// files and editor leftovers skipped.
pub fn content_files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .follow_links(false)
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(|entry| entry.into_path())
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    files.sort();
    files
}

/// Reads a file into a [`SourceFile`] named relative to the root.
pub fn read_source(root: &Path, path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let name = display_path(path.strip_prefix(root).unwrap_or(path));
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.remove(0);
                }
                Ok(SourceFile::new(name, text))
            }
            Err(_) => Err(Diagnostic::file_error(
                "encoding",
                Path::new(&name),
                "this file is not valid UTF-8",
            )
            .with_help("save the file as UTF-8")),
        },
        Err(error) => Err(Diagnostic::file_error(
            "io",
            Path::new(&name),
            format!("cannot read the file: {error}"),
        )),
    }
}

/// Front matter and body of a Markdown file.
pub struct FrontMatter<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// Where `body` starts in the text.
    pub body_start: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Splits `---` front matter from a Markdown file, if it has any.
pub fn split_front_matter(text: &str) -> Option<FrontMatter<'_>> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let opening = text.len() - rest.len();
    let mut offset = 0;
    for (line, piece) in (2..).zip(rest.split_inclusive('\n')) {
        if piece.trim_end() == "---" || piece.trim_end() == "..." {
            let yaml = &rest[..offset];
            let body_start = opening + offset + piece.len();
            let body = &text[body_start..];
            return Some(FrontMatter {
                yaml,
                body,
                body_start,
                body_line: line + 1,
            });
        }
        offset += piece.len();
    }
    None
}

/// Parses a whole file as YAML.
pub fn parse_yaml<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    parse_yaml_text(file, &file.text, line_offset)
}

/// Parses YAML that stands in `file` after `line_offset` lines.
pub fn parse_yaml_text<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    yaml: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(yaml).map_err(|error| yaml_diagnostic(file, &error, line_offset))
}

fn yaml_diagnostic(
    file: &Arc<SourceFile>,
    error: &serde_saphyr::Error,
    line_offset: usize,
) -> Diagnostic {
    let (line, column) = match error.location() {
        Some(location) if location.line() > 0 => (
            location.line() as usize + line_offset,
            location.column() as usize,
        ),
        _ => (1 + line_offset, 1),
    };
    let raw = error.without_snippet().to_string();
    let message = clean_yaml_message(&raw);
    let help = yaml_help(&message);
    let mut diagnostic = Diagnostic::error("yaml", &Place::at(file, line, column.max(1)), message);
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// serde-saphyr appends its own position to messages; ours is shown apart.
fn clean_yaml_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = first
        .find(" at line ")
        .map(|i| &first[..i])
        .unwrap_or(first);
    cut.trim_end_matches(':').trim().to_string()
}

fn yaml_help(message: &str) -> Option<String> {
    let lower = message.to_lowercase();
    if lower.contains("tab") {
        Some("indent YAML with spaces; tabs are not allowed in indentation".into())
    } else if lower.contains("unknown field") {
        Some("remove or rename the key; the keys allowed here are listed above".into())
    } else if lower.contains("unknown variant") {
        Some("use one of the values listed above".into())
    } else if lower.contains("missing field") {
        Some("add the key named above".into())
    } else {
        None
    }
}

/// Every file below `dir` (hidden ones skipped): path relative to `dir`
/// with `/` separators → bytes. An absent folder is empty.
pub fn read_tree(dir: &Path) -> Result<std::collections::BTreeMap<String, Vec<u8>>, Diagnostic> {
    let mut files = std::collections::BTreeMap::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .follow_links(false)
        .build()
        .flatten()
    {
        if entry.file_type().is_some_and(|t| t.is_file()) {
            let rel = display_path(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
            let bytes = std::fs::read(entry.path()).map_err(|error| {
                Diagnostic::file_error("io", entry.path(), format!("cannot read the file: {error}"))
            })?;
            files.insert(rel, bytes);
        }
    }
    Ok(files)
}
