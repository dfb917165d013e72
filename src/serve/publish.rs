//! Publishing builds: the rebuild thread turns file events into builds and
//! swaps each good one into the served files, and the aggregator renders
//! the pages that read every customer after tracker edits.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use notify::RecursiveMode;

use crate::build::BuildStats;
use crate::diagnostics::Diagnostics;
use crate::render::Output;
use crate::site::Site;

use super::events::{self, Refresh};
use super::rebuild::{BuildOutcome, IncrementalBuilder, NewOutput, SitePatch};
use super::state::Served;
use super::watch::{Message, SourceEdits, Watcher};
use super::{LogEvent, Shared, http, overlay, render, state};

/// The rebuild thread's state.
pub(super) struct Publisher {
    pub(super) builder: IncrementalBuilder,
    pub(super) shared: Arc<Shared>,
    pub(super) jobs: Arc<AggregatorQueue>,
    /// Tells this server's builds from an earlier server's on the same port.
    pub(super) instance: String,
}

impl Publisher {
    /// Turns file events into builds until told to stop.
    pub(super) fn run(mut self, messages: Receiver<Message>, mut watcher: Watcher, root: &Path) {
        while let Ok(first) = messages.recv() {
            // Take every batch already waiting: one build covers them all.
            let mut changes = SourceEdits::default();
            for message in std::iter::once(first).chain(messages.try_iter()) {
                match message {
                    Message::Stop => return,
                    Message::Watch(Ok(events)) => changes.add_events(root, &events),
                    Message::Watch(Err(errors)) => {
                        changes.rescan = true;
                        for error in errors {
                            (self.shared.log)(LogEvent::Problem {
                                message: format!("file watcher: {error}"),
                            });
                        }
                    }
                }
            }
            for name in &changes.new_sources {
                let dir = root.join(name);
                if dir.is_dir()
                    && let Err(error) = watcher.watch(&dir, RecursiveMode::Recursive)
                {
                    (self.shared.log)(LogEvent::Problem {
                        message: format!("cannot watch {name}: {error}"),
                    });
                }
            }
            if changes.is_empty() || self.shared.stopping.load(Ordering::SeqCst) {
                continue;
            }
            // The build catches its own panics (and reports them as
            // errors); this catches the rest, so that whatever happens,
            // the next change builds again.
            let rebuilt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let outcome = self.builder.build(Some(&changes));
                self.publish(outcome, changes.paths.iter().cloned().collect());
            }));
            if rebuilt.is_err() {
                (self.shared.log)(LogEvent::Problem {
                    message: "publishing a rebuild failed; the next change builds again".into(),
                });
            }
        }
    }

    /// Serves a good build and tells the browsers, or keeps the last good
    /// one and shows the errors.
    pub(super) fn publish(&mut self, outcome: BuildOutcome, changed: Vec<String>) {
        let BuildOutcome {
            result,
            incremental,
            elapsed,
        } = outcome;
        match result {
            Ok(update) => self.publish_good(update, changed, incremental, elapsed),
            Err(diagnostics) => self.show_failure(diagnostics, changed, elapsed),
        }
    }

    /// Swaps a good build into the served files, logs it, tells the
    /// browsers what to refresh, and queues the pages that read every
    /// customer.
    fn publish_good(
        &mut self,
        update: NewOutput,
        changed: Vec<String>,
        incremental: bool,
        elapsed: Duration,
    ) {
        let shared = &self.shared;
        let broken = shared.hub.is_broken();
        let mut served = shared.served();
        let was_built = served.built;
        served.generation += 1;
        let generation = served.generation;
        let build_id = format!("{}-{}", self.instance, generation);
        served.script = http::script_tag(Some(&build_id)).into();
        served.failure_page = "".into();
        let swapped = swap_in(&mut served, update, broken, was_built);
        drop(served);
        shared.settled.notify_all();
        // Log first: whoever sees the browser event can rely on
        // the log already having the build that caused it.
        (shared.log)(LogEvent::Built {
            stats: swapped.stats,
            warnings: swapped.warnings,
            elapsed,
            changed,
            incremental,
            css_only: matches!(swapped.refresh, Refresh::Css(_)),
        });
        shared.hub.publish_good(&swapped.refresh, &build_id);
        // The pages that read every customer come next, off the
        // browsers' way; a whole build has them already.
        let customers = swapped.customers_only;
        self.jobs
            .push(self.builder.take_sync(), customers.then_some(generation));
        if !customers {
            release_memory();
        }
    }

    /// Keeps the last good build and shows the errors: in the log, in the
    /// browsers' overlay, and as the page itself before any build is good.
    fn show_failure(&self, diagnostics: Diagnostics, changed: Vec<String>, elapsed: Duration) {
        let shared = &self.shared;
        let mut served = shared.served();
        if !served.built {
            served.failure_page = http::failure_page(&overlay::drawn_text(&diagnostics)).into();
        }
        drop(served);
        let json = overlay::error_list(&diagnostics);
        (shared.log)(LogEvent::Failed {
            diagnostics,
            elapsed,
            changed,
        });
        shared.hub.publish_error(&json);
        // The aggregator's copy of the site stays that of the last
        // good build: what changed since is handed over with the
        // next good one.
    }
}

/// What swapping a good build in did.
struct Swapped {
    stats: BuildStats,
    warnings: Diagnostics,
    refresh: Refresh,
    /// Only customers' pages were swapped; the pages that read every
    /// customer are still to render.
    customers_only: bool,
}

/// Puts a good build's files into the served ones and says what the
/// browsers must refresh: everything when the live-reload stream was
/// broken or nothing was built before.
fn swap_in(served: &mut Served, update: NewOutput, broken: bool, was_built: bool) -> Swapped {
    match update {
        NewOutput::Whole { built, steady } => {
            let files = served.replace(built.output, steady);
            let refresh = if broken || !was_built {
                Refresh::Reload
            } else {
                events::refresh_after(&files)
            };
            Swapped {
                stats: built.stats,
                warnings: built.diagnostics,
                refresh,
                customers_only: false,
            }
        }
        NewOutput::Customers {
            files,
            stale,
            diagnostics,
            mut stats,
        } => {
            let files = served.patch_customers(&stale, files);
            stats.files = served.files.len();
            let refresh = if broken {
                Refresh::Reload
            } else {
                Refresh::Pages(files.iter().map(|p| state::url_path(p)).collect())
            };
            Swapped {
                stats,
                warnings: diagnostics,
                refresh,
                customers_only: true,
            }
        }
    }
}

/// What the aggregator has to do next.
#[derive(Default)]
struct Work {
    /// Patches to its copy of the site, in order.
    sync: Vec<SitePatch>,
    /// Render for this [`Served::generation`]; only the newest matters.
    render: Option<u64>,
    stop: bool,
}

/// The aggregator's queue.
#[derive(Default)]
pub(super) struct AggregatorQueue {
    work: Mutex<Work>,
    wake: Condvar,
}

impl AggregatorQueue {
    fn lock(&self) -> MutexGuard<'_, Work> {
        self.work
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues changes to the site and asks for a render for `generation`
    /// (`None`: no render, and none still waiting is wanted).
    fn push(&self, sync: Vec<SitePatch>, render: Option<u64>) {
        let mut work = self.lock();
        for change in sync {
            if matches!(change, SitePatch::Whole(_)) {
                crate::build::free_later(std::mem::take(&mut work.sync));
            }
            work.sync.push(change);
        }
        work.render = render;
        drop(work);
        self.wake.notify_all();
    }

    pub(super) fn stop(&self) {
        self.lock().stop = true;
        self.wake.notify_all();
    }

    /// The next changes and render, or `None` once stopped.
    fn take(&self) -> Option<(Vec<SitePatch>, Option<u64>)> {
        let mut work = self.lock();
        loop {
            if work.stop {
                return None;
            }
            if !work.sync.is_empty() || work.render.is_some() {
                return Some((std::mem::take(&mut work.sync), work.render.take()));
            }
            work = self
                .wake
                .wait(work)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

/// Renders the pages that read every customer after tracker edits, on
/// threads of lower priority than the rebuild thread, so that the next
/// edit's own pages are not slowed by the last one's dashboard.
pub(super) struct Aggregator {
    pub(super) root: PathBuf,
    pub(super) shared: Arc<Shared>,
    pub(super) jobs: Arc<AggregatorQueue>,
    pub(super) instance: String,
    pub(super) hold: Option<Arc<AtomicBool>>,
}

impl Aggregator {
    pub(super) fn run(self) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .thread_name(|index| format!("onboard-aggregates-{index}"))
            .start_handler(|_| lower_priority())
            .build()
            .ok();
        lower_priority();
        // A copy of the builder's site, kept up to date by its changes.
        let mut site: Option<Site> = None;
        while let Some((sync, render)) = self.jobs.take() {
            for change in sync {
                change.apply(&mut site);
            }
            let (Some(generation), Some(site)) = (render, &site) else {
                continue;
            };
            while self.hold.as_ref().is_some_and(|h| h.load(Ordering::SeqCst))
                && !self.shared.stopping.load(Ordering::SeqCst)
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            let started = std::time::Instant::now();
            let render = || render::render_aggregates(&self.root, site);
            // A panic here would end the thread, and with it every later
            // dashboard: it is reported as a failed build instead.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &pool {
                Some(pool) => pool.install(render),
                None => render(),
            }))
            .unwrap_or_else(|_| {
                Err(Diagnostics(vec![
                    crate::diagnostics::Diagnostic::file_error(
                        "internal",
                        Path::new("content/customers"),
                        "rendering the pages that read every customer panicked",
                    )
                    .with_help("this is a bug in onboard; please report it with the trackers you just changed"),
                ]))
            });
            self.publish(generation, site, result, started.elapsed());
            release_memory();
        }
        crate::build::free_later(site);
    }

    fn publish(
        &self,
        generation: u64,
        site: &Site,
        result: Result<Output, Diagnostics>,
        elapsed: Duration,
    ) {
        let shared = &self.shared;
        let mut served = shared.served();
        if served.generation != generation {
            // Customers changed again meanwhile: a newer render follows.
            return;
        }
        match result {
            Ok(output) => {
                served.generation += 1;
                let build_id = format!("{}-{}", self.instance, served.generation);
                served.script = http::script_tag(Some(&build_id)).into();
                let files = served.put_aggregates(output, &site.config.base_url);
                drop(served);
                shared.settled.notify_all();
                (shared.log)(LogEvent::Aggregated {
                    elapsed,
                    files: files.len(),
                });
                let paths = files.iter().map(|p| state::url_path(p)).collect();
                shared.hub.publish_pages(paths, &build_id);
            }
            Err(diagnostics) => {
                // The other pages stay as they were, and say so.
                served.pending = false;
                drop(served);
                shared.settled.notify_all();
                let json = overlay::error_list(&diagnostics);
                (shared.log)(LogEvent::Failed {
                    diagnostics,
                    elapsed,
                    changed: Vec::new(),
                });
                shared.hub.publish_error(&json);
            }
        }
    }
}

/// Hands memory freed by a rebuild back to the system. glibc keeps freed
/// blocks in per-thread arenas; after many rebuilds on several threads the
/// process would hold far more than it uses.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Lowers the calling thread's scheduling priority (Linux: its nice value).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; with PRIO_PROCESS and
    // 0 it changes the calling thread alone on Linux.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
