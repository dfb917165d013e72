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
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::diagnostics::{
    Diagnostic, Diagnostics, IoError, Place, Severity, SourceFile, display_path,
};
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

    let config_path = root.join("onboard.yaml");
    // A link to nothing is an error here, not "no config": the site meant
    // to have one.
    if fs::symlink_metadata(&config_path).is_ok() {
        match read_content(root, &config_path) {
            Ok(file) => {
                if !file.text.trim().is_empty() {
                    match parse_yaml::<Config>(&file, 0) {
                        Ok(config) => content.config = config,
                        Err(d) => diagnostics.push(d),
                    }
                }
                content.config_file = Some(file);
            }
            Err(ReadError::Io(error)) => return Err(error),
            Err(ReadError::Content(d)) => diagnostics.push(d),
        }
    }
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
    // The first file that cannot be read, in path order, stops the load.
    for result in playbook_results {
        match result {
            Ok(PlaybookFile::Sop(sop)) => content.sops.push(*sop),
            Ok(PlaybookFile::Playbook(playbook)) => content.playbooks.push(*playbook),
            Ok(PlaybookFile::Roles(roles)) => content.roles.extend(roles),
            Err(ReadError::Content(d)) => diagnostics.push(d),
            Err(ReadError::Io(error)) => return Err(error),
        }
    }

    // Files go to the cores in pieces of a few: rayon would otherwise hand
    // a core a run of thousands at once and leave the other idle at the end.
    let tracker_results: Vec<_> = customer_files
        .files
        .par_iter()
        .with_max_len(FILES_PER_PIECE)
        .map(|path| load_tracker(root, &customers_dir, path))
        .collect();
    for result in tracker_results {
        match result {
            Ok(tracker) => content.trackers.push(tracker),
            Err(ReadError::Content(d)) => diagnostics.push(d),
            Err(ReadError::Io(error)) => return Err(error),
        }
    }

    let page_results: Vec<_> = page_files
        .files
        .par_iter()
        .with_max_len(FILES_PER_PIECE)
        .map(|path| load_page(root, &pages_dir, path))
        .collect();
    for result in page_results {
        match result {
            Ok(page) => content.pages.push(page),
            Err(ReadError::Content(d)) => diagnostics.push(d),
            Err(ReadError::Io(error)) => return Err(error),
        }
    }
    Ok((content, diagnostics))
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

fn parse_playbook_file(
    file: Arc<SourceFile>,
    dir: &Path,
    path: &Path,
) -> Result<PlaybookFile, Diagnostic> {
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

fn io_error(path: &Path) -> impl Fn(io::Error) -> IoError + '_ {
    move |error| IoError {
        path: path.to_path_buf(),
        error,
    }
}

fn not_a_folder(path: &Path) -> IoError {
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
pub fn parse_yaml<T: DeserializeOwned + JsonSchema>(
    file: &Arc<SourceFile>,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    parse_yaml_text(file, &file.text, line_offset)
}

/// Parses YAML that stands in `file` after `line_offset` lines.
///
/// A document that does not deserialise is walked against the schema of
/// `T`, so that the error returned carries every fault of the file (in
/// [`Diagnostic::also`]), each at its place, not only the first.
pub fn parse_yaml_text<T: DeserializeOwned + JsonSchema>(
    file: &Arc<SourceFile>,
    yaml: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(yaml)
        .map_err(|error| every_fault::<T>(file, yaml, line_offset, &error))
}

/// Every fault of a document that failed to deserialise with `error`.
fn every_fault<T: JsonSchema>(
    file: &Arc<SourceFile>,
    yaml: &str,
    line_offset: usize,
    error: &serde_saphyr::Error,
) -> Diagnostic {
    let first = yaml_diagnostic(file, error, line_offset);
    let Some(mut found) = crate::schema::validate::<T>(file, yaml, line_offset) else {
        // Not YAML at all. A tab in the indentation is reported where the
        // parser noticed it, often the end of the line before: point at
        // the tab itself, which a terminal shows as spaces.
        let error_line = first.line.saturating_sub(line_offset);
        return match crate::schema::tab_in_indentation(yaml, error_line + 1) {
            Some((line, column)) => Diagnostic::error(
                "yaml",
                &Place::at(file, line + line_offset, column),
                format!("a tab in the indentation of line {}", line + line_offset),
            )
            .with_help(format!(
                "YAML indents with spaces only: replace the tab at column {column} with spaces \
                 (a terminal shows a tab as spaces, so the line can look right)"
            )),
            None => first,
        };
    };
    if found.is_empty() {
        return first;
    }
    // serde's own error stays when the schema walk saw nothing at its line
    // (a rule the schema does not hold), so that nothing is lost.
    if !found.iter().any(|d| d.line == first.line) {
        found.push(first);
        found.sort_by_key(|d| (d.line, d.column));
    }
    let mut head = found.remove(0);
    head.also = found;
    head
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

/// Why the theme `onboard.yaml` names cannot be used.
#[derive(Debug)]
pub struct ThemeProblem {
    /// `invalid-theme` (not a folder name, or leads out of the site) or
    /// `unknown-theme` (no such folder).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl ThemeProblem {
    /// The problem as an error at the `theme:` key of `config`, when there
    /// is a config file to point into.
    pub fn diagnostic(&self, config: Option<&Arc<SourceFile>>) -> Diagnostic {
        let Some(file) = config else {
            return Diagnostic::file_error(self.code, Path::new("onboard.yaml"), &self.message)
                .with_help(&self.help);
        };
        #[derive(Deserialize)]
        struct ThemeKey {
            theme: Option<Spanned<String>>,
        }
        let place = match serde_saphyr::from_str::<ThemeKey>(&file.text) {
            Ok(ThemeKey { theme: Some(theme) }) => Place::at(
                file,
                theme.referenced.line() as usize,
                theme.referenced.column() as usize,
            ),
            _ => Place::file(file),
        };
        Diagnostic::error(self.code, &place, &self.message).with_help(&self.help)
    }
}

/// The folder of the theme named `name`: `themes/<name>/` under `root`, or
/// `None` for `default` when the site has no such folder (the embedded
/// default theme is used as it is).
///
/// A theme is the name of one folder under `themes/`: an absolute path, a
/// name with a separator or `..`, and a folder that is a link leading out
/// of the site are refused, so that a build reads nothing outside its root.
pub fn theme_folder(root: &Path, name: &str) -> Result<Option<PathBuf>, ThemeProblem> {
    let one_name = matches!(
        Path::new(name).components().collect::<Vec<_>>().as_slice(),
        [Component::Normal(_)]
    ) && !name.contains(['/', '\\', ':']);
    if !one_name {
        return Err(ThemeProblem {
            code: "invalid-theme",
            message: format!("`{name}` is not a theme name"),
            help: "a theme is the name of one folder under themes/, such as `brand`; paths (absolute, or with `/` or `..`) are not allowed".into(),
        });
    }
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        let inside = match (fs::canonicalize(&dir), fs::canonicalize(root)) {
            (Ok(dir), Ok(root)) => dir.starts_with(root),
            _ => false,
        };
        if !inside {
            return Err(ThemeProblem {
                code: "invalid-theme",
                message: format!("themes/{name} leads out of the site folder"),
                help: "a theme's folder must be inside the site: copy it under themes/ rather than linking to it".into(),
            });
        }
        return Ok(Some(dir));
    }
    if name == "default" {
        return Ok(None);
    }
    let available = available_themes(root);
    let closest = available
        .iter()
        .map(|theme| (strsim::levenshtein(name, theme), theme))
        .filter(|(distance, _)| *distance <= name.chars().count().div_ceil(2))
        .min();
    let listed = available
        .iter()
        .map(|theme| format!("`{theme}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let help = match closest {
        Some((_, theme)) => format!("did you mean `{theme}`? The themes available are {listed}"),
        None => format!(
            "the themes available are {listed}; a new theme is a folder themes/<name>/ with templates/ and static/"
        ),
    };
    Err(ThemeProblem {
        code: "unknown-theme",
        message: format!("there is no theme `{name}`: themes/{name}/ does not exist"),
        help,
    })
}

/// `default` and every folder under `themes/`, sorted.
fn available_themes(root: &Path) -> Vec<String> {
    let mut themes = vec!["default".to_string()];
    if let Ok(entries) = fs::read_dir(root.join("themes")) {
        themes.extend(
            entries
                .flatten()
                .filter(|entry| entry.path().is_dir())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| !name.starts_with('.')),
        );
    }
    themes.sort();
    themes.dedup();
    themes
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

    #[test]
    fn a_theme_is_one_folder_name() {
        let root = Path::new("/nonexistent");
        for name in ["/tmp/x", "../x", "a/b", r"a\b", "", ".", "..", "C:x"] {
            let problem = theme_folder(root, name).unwrap_err();
            assert_eq!(problem.code, "invalid-theme", "{name:?}");
        }
        assert!(theme_folder(root, "default").unwrap().is_none());
        assert_eq!(
            theme_folder(root, "brand").unwrap_err().code,
            "unknown-theme"
        );
    }
}
