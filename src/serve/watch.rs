//! Which file changes matter, and what they ask to rebuild.
//!
//! The watcher sees the site root (not recursively: for `onboard.yaml` and
//! folders that appear later) and each source folder recursively. It never
//! watches the whole root, so `public/`, `.git/` or a `target/` folder
//! full of files cost nothing. Events for hidden files and editor
//! leftovers (swap files, backups, vim's `4913` probe) are dropped here.
//! [`watch_sources`] starts the watcher; its events reach the rebuild
//! thread as [`Message`]s.

use std::collections::BTreeSet;
use std::path::{Component, Path};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};

/// The folders and files of a site that the build reads.
pub const SOURCES: [&str; 5] = ["onboard.yaml", "playbooks", "content", "themes", "static"];

/// The folder of customer trackers, which can be reloaded one by one.
const TRACKERS: [&str; 2] = ["content", "customers"];

/// The source files edited since the last build: gathered by the rebuild
/// thread from one or several batches of watcher events
/// (`Message::Watch`), and given to
/// [`IncrementalBuilder::build`](super::rebuild::IncrementalBuilder::build),
/// which rebuilds only the customers when only trackers were edited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceEdits {
    /// Changed paths relative to the root, with `/`.
    pub paths: BTreeSet<String>,
    /// The watcher lost track (overflow, error): reload everything.
    pub rescan: bool,
    /// Source folders that were created and must now be watched.
    pub new_sources: BTreeSet<String>,
}

impl SourceEdits {
    /// Nothing that the build reads changed.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// Adds the relevant paths of one debounced batch.
    pub fn add_events(&mut self, root: &Path, events: &[DebouncedEvent]) {
        for event in events {
            if event.need_rescan() {
                self.rescan = true;
            }
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            for path in &event.paths {
                let Ok(relative) = path.strip_prefix(root) else {
                    continue;
                };
                let Some(shown) = relevant(relative) else {
                    continue;
                };
                // A source folder that appears (created, or renamed into
                // place) has no watch yet.
                if matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_)) | EventKind::Any
                ) && relative.components().count() == 1
                    && shown != "onboard.yaml"
                {
                    self.new_sources.insert(shown.clone());
                }
                self.paths.insert(shown);
            }
        }
    }

    /// The tracker files that changed, when trackers are all that changed:
    /// those can be re-read alone. `None` means reload everything.
    pub fn trackers_only(&self) -> Option<Vec<&str>> {
        if self.rescan || self.paths.is_empty() {
            return None;
        }
        self.paths
            .iter()
            .map(|path| is_tracker(path).then_some(path.as_str()))
            .collect()
    }
}

/// A path under `content/customers/` ending in `.yaml` or `.yml`.
pub fn is_tracker(path: &str) -> bool {
    let mut parts = path.split('/');
    parts.next() == Some(TRACKERS[0])
        && parts.next() == Some(TRACKERS[1])
        && (path.ends_with(".yaml") || path.ends_with(".yml"))
}

/// The path as shown (with `/`), if a change to it can change the site.
pub fn relevant(relative: &Path) -> Option<String> {
    let mut names = Vec::new();
    for component in relative.components() {
        let Component::Normal(name) = component else {
            return None;
        };
        let name = name.to_str()?;
        if name.starts_with('.') {
            return None;
        }
        names.push(name);
    }
    let first = *names.first()?;
    if !SOURCES.contains(&first) || (first == "onboard.yaml" && names.len() > 1) {
        return None;
    }
    if is_editor_leftover(names.last()?) {
        return None;
    }
    Some(names.join("/"))
}

/// Swap, backup and probe files that editors write next to the real one.
fn is_editor_leftover(name: &str) -> bool {
    name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".swpx",
            ".kate-swp",
            ".crswap",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// Messages to the rebuild thread.
pub(super) enum Message {
    /// A batch of debounced file events, or the watcher's errors.
    Watch(DebounceEventResult),
    /// The server is stopping.
    Stop,
}

pub(super) type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches the root itself (for `onboard.yaml` and source folders created
/// later) and each source folder that exists, recursively.
pub(super) fn watch_sources(
    root: &Path,
    debounce: Duration,
    control: Sender<Message>,
) -> Result<Watcher, super::ServeError> {
    let failed = |path: &Path, error: notify::Error| super::ServeError::Watch {
        path: path.to_path_buf(),
        message: error.to_string(),
    };
    let mut watcher = new_debouncer(debounce, None, move |result| {
        let _ = control.send(Message::Watch(result));
    })
    .map_err(|e| failed(root, e))?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| failed(root, e))?;
    for name in &SOURCES[1..] {
        let dir = root.join(name);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| failed(&dir, e))?;
        }
    }
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_count_and_the_rest_does_not() {
        for path in [
            "onboard.yaml",
            "playbooks/kickoff.md",
            "content/customers/acme.yaml",
            "content/pages/team/faq.md",
            "themes/default/templates/base.html",
            "static/extra.css",
            "playbooks",
        ] {
            assert_eq!(relevant(Path::new(path)).as_deref(), Some(path));
        }
        for path in [
            "public/index.html",
            ".git/index",
            "target/debug/onboard",
            "README.md",
            "onboard.yaml/x",
            "playbooks/.kickoff.md.swp",
            "playbooks/kickoff.md.swp",
            "playbooks/kickoff.md~",
            "playbooks/4913",
            "content/pages/.#a.md",
            "content/pages/#a.md#",
            "content/.hidden/a.md",
            "static/x.css___jb_tmp___",
            "../onboard.yaml",
        ] {
            assert_eq!(relevant(Path::new(path)), None, "{path}");
        }
    }

    #[test]
    fn only_tracker_changes_can_be_reloaded_alone() {
        let mut changes = SourceEdits::default();
        changes.paths.insert("content/customers/acme.yaml".into());
        changes
            .paths
            .insert("content/customers/eu/globex.yml".into());
        assert_eq!(
            changes.trackers_only(),
            Some(vec![
                "content/customers/acme.yaml",
                "content/customers/eu/globex.yml"
            ])
        );
        changes.paths.insert("content/customers".into());
        assert_eq!(changes.trackers_only(), None);
        changes.paths.clear();
        changes.paths.insert("content/customers/acme.yaml".into());
        changes.rescan = true;
        assert_eq!(changes.trackers_only(), None);
    }
}
