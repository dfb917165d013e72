//! `onboard serve`: build in memory, serve, watch, rebuild, reload the browser.
//!
//! [`start`] binds the port (127.0.0.1 unless told otherwise), starts
//! watching the site's sources, builds once and returns a running
//! [`Server`]. From then on four kinds of threads share one [`Shared`]
//! state: a few HTTP workers answering from the last good build in memory
//! ([`http`]), one thread per live-reload tab ([`events`]), the rebuild
//! thread, which turns debounced file events ([`watch`]) into builds
//! ([`rebuild`]) and publishes each result, and the aggregator, which
//! after tracker edits renders the pages that read every customer once
//! the edited customers' own pages are out (see `state`). Nothing is
//! written to disk. The library never prints: everything worth telling the user goes
//! to the `log` callback as a [`LogEvent`], and `main.rs` decides how.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::build::BuildStats;
use crate::diagnostics::{Diagnostics, IoError};
use crate::render::Output;
use crate::site::{BuildOptions, Site};

pub mod events;
pub mod http;
#[cfg(test)]
mod panic_tests;
pub mod rebuild;
pub(crate) mod state;
pub mod url;
pub mod watch;

use events::{Change, Hub};
use rebuild::{Rebuild, SiteBuilder, SiteChange, Update};
use state::Served;
use watch::{Changes, SOURCES};

/// HTTP worker threads; requests are answered from memory, so a few suffice.
const WORKERS: usize = 4;

/// How `serve` runs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The site folder.
    pub root: PathBuf,
    /// The address to bind: an IP address or `localhost`.
    pub bind: String,
    /// The port; 0 picks any free one.
    pub port: u16,
    /// What to build.
    pub build: BuildOptions,
    /// How often an idle live-reload stream gets a comment, so that
    /// streams to tabs that have gone are noticed and closed.
    pub heartbeat: Duration,
    /// How long the watcher waits for a burst of file events to settle.
    pub debounce: Duration,
    /// While set, the pages that read every customer are not rendered
    /// after tracker edits: lets tests request them mid-rebuild.
    #[doc(hidden)]
    pub hold_aggregates: Option<Arc<AtomicBool>>,
}

impl ServeConfig {
    /// The defaults: 127.0.0.1:1111, 15 s heartbeat, 50 ms debounce.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeConfig {
            root: root.into(),
            bind: "127.0.0.1".into(),
            port: 1111,
            build: BuildOptions::default(),
            heartbeat: Duration::from_secs(15),
            debounce: Duration::from_millis(50),
            hold_aggregates: None,
        }
    }
}

/// Why the server could not start (exit code 2).
#[derive(Debug)]
pub enum ServeError {
    /// `--bind` is not an IP address.
    InvalidBind {
        /// What was given.
        text: String,
    },
    /// Another program listens on the port.
    PortInUse {
        /// The port asked for.
        port: u16,
    },
    /// Binding failed for another reason (permissions, no such address).
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What failed.
        error: std::io::Error,
    },
    /// The site folder cannot be read.
    Root(IoError),
    /// The file watcher could not start.
    Watch {
        /// The folder it was asked to watch.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// The HTTP server could not start.
    Http(String),
    /// A thread could not start.
    Thread(std::io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::InvalidBind { text } => {
                write!(
                    f,
                    "`{text}` is not an IP address to bind; try --bind 127.0.0.1"
                )
            }
            ServeError::PortInUse { port } => match port.checked_add(1) {
                Some(next) => write!(f, "port {port} is already in use; try --port {next}"),
                None => write!(f, "port {port} is already in use; try another --port"),
            },
            ServeError::Bind { addr, error } => write!(f, "cannot listen on {addr}: {error}"),
            ServeError::Root(error) => write!(f, "cannot serve {error}"),
            ServeError::Watch { path, message } => {
                write!(f, "cannot watch {}: {message}", path.display())
            }
            ServeError::Http(message) => write!(f, "cannot start the HTTP server: {message}"),
            ServeError::Thread(error) => write!(f, "cannot start a server thread: {error}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// What the server has to say, for the binary to show as it likes.
#[derive(Debug)]
pub enum LogEvent {
    /// The server listens here (sent by [`serve`]; [`start`] returns it).
    Listening {
        /// `http://127.0.0.1:1111/`
        url: String,
    },
    /// The bound address is reachable from other machines.
    NotLoopback {
        /// The address bound.
        addr: SocketAddr,
    },
    /// A build succeeded and is being served.
    Built {
        /// What it contains.
        stats: BuildStats,
        /// Its warnings.
        warnings: Diagnostics,
        /// How long it took.
        elapsed: Duration,
        /// The files whose change caused it (empty for the first build).
        changed: Vec<String>,
        /// Only changed trackers were re-read.
        incremental: bool,
        /// Browsers were told to swap stylesheets rather than reload.
        css_only: bool,
    },
    /// After tracker edits, the pages that read every customer are in.
    Aggregated {
        /// How long rendering them took.
        elapsed: Duration,
        /// How many files changed.
        files: usize,
    },
    /// A build failed; the last good build is still served.
    Failed {
        /// Errors and warnings.
        diagnostics: Diagnostics,
        /// How long it took.
        elapsed: Duration,
        /// The files whose change caused it (empty for the first build).
        changed: Vec<String>,
    },
    /// Something went wrong in the background (watcher, HTTP server).
    Problem {
        /// What.
        message: String,
    },
}

/// The callback that receives [`LogEvent`]s, from any thread.
pub type Log = Arc<dyn Fn(LogEvent) + Send + Sync>;

/// State shared by the HTTP workers, the event threads and the rebuilders.
pub(crate) struct Shared {
    served: Mutex<Served>,
    /// Signalled when pending pages are in (or the server stops).
    settled: Condvar,
    hub: Hub,
    log: Log,
    stopping: AtomicBool,
    /// Bound to loopback: answer only requests addressed to a loopback
    /// name, so a web page cannot read the site through DNS rebinding.
    loopback_hosts_only: bool,
}

impl Shared {
    fn served(&self) -> MutexGuard<'_, Served> {
        self.served
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The served state once `path` need not wait for pending pages.
    fn served_for(&self, path: &str) -> MutexGuard<'_, Served> {
        let mut served = self.served();
        while served.must_wait(path) && !self.stopping.load(Ordering::SeqCst) {
            served = self
                .settled
                .wait_timeout(served, Duration::from_millis(100))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        served
    }
}

/// Messages to the rebuild thread.
enum Message {
    Watch(DebounceEventResult),
    Stop,
}

type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// A running server. Dropping it (or [`Server::shutdown`]) stops it.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
    rebuilder: Option<JoinHandle<()>>,
    aggregator: Option<JoinHandle<()>>,
    jobs: Arc<Jobs>,
    control: Sender<Message>,
    /// Held so that the listening socket lives as long as the server.
    _http: Arc<tiny_http::Server>,
}

impl Server {
    /// The URL of the site's home page.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Live-reload streams currently open.
    pub fn event_clients(&self) -> usize {
        self.shared.hub.clients()
    }

    /// A copy of the build being served, if one has succeeded, once the
    /// pages that read every customer are in.
    pub fn output(&self) -> Option<Arc<Output>> {
        let served = self.shared.served_for("");
        served.built.then(|| Arc::new(served.output()))
    }

    /// Blocks for as long as the server runs.
    pub fn wait(mut self) {
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }

    /// Stops serving and watching, ends every live-reload stream, and
    /// returns when the workers and the rebuild thread are done.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = self.control.send(Message::Stop);
        self.shared.hub.close();
        self.shared.settled.notify_all();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        if let Some(rebuilder) = self.rebuilder.take() {
            let _ = rebuilder.join();
        }
        self.jobs.stop();
        if let Some(aggregator) = self.aggregator.take() {
            let _ = aggregator.join();
        }
    }
}

/// Starts the server and returns once it listens and the first build is
/// done (good or not). Port 0 picks a free port: see [`Server::addr`].
pub fn start(
    config: ServeConfig,
    log: impl Fn(LogEvent) + Send + Sync + 'static,
) -> Result<Server, ServeError> {
    // A log that panics (a printer choking on some text) must not take
    // down the thread that logged: the rebuild thread would never build
    // again. What it failed to show is lost; the server goes on.
    let log: Log = Arc::new(move |event| {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| log(event)));
    });
    let ip = parse_bind(&config.bind)?;
    let root = site_root(&config.root)?;

    let requested = SocketAddr::new(ip, config.port);
    let listener = TcpListener::bind(requested).map_err(|error| match error.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse { port: config.port },
        _ => ServeError::Bind {
            addr: requested,
            error,
        },
    })?;
    let addr = listener.local_addr().map_err(|error| ServeError::Bind {
        addr: requested,
        error,
    })?;
    if !ip.is_loopback() {
        log(LogEvent::NotLoopback { addr });
    }
    let http = Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|e| ServeError::Http(e.to_string()))?,
    );

    // Watch before the first build, so that a save during it is not lost.
    let (control, messages) = mpsc::channel();
    let watcher = watch_sources(&root, config.debounce, control.clone())?;

    let shared = Arc::new(Shared {
        served: Mutex::new(Served::empty(
            http::script_tag(None),
            http::failure_page("the site has not been built yet"),
        )),
        settled: Condvar::new(),
        hub: Hub::new(config.heartbeat),
        log: log.clone(),
        stopping: AtomicBool::new(false),
        loopback_hosts_only: ip.is_loopback(),
    });
    let jobs = Arc::new(Jobs::default());
    let mut rebuilder = Rebuilder {
        builder: SiteBuilder::new(root.clone(), config.build.clone()),
        shared: shared.clone(),
        jobs: jobs.clone(),
        instance: instance_id(),
    };
    let first = rebuilder.builder.build(None);
    rebuilder.publish(first, Vec::new());

    // If a thread cannot start, the ones already running are told to stop.
    let failed = |error| {
        shared.stopping.store(true, Ordering::SeqCst);
        ServeError::Thread(error)
    };
    let mut workers = Vec::with_capacity(WORKERS);
    for index in 0..WORKERS {
        let (http, shared) = (http.clone(), shared.clone());
        let worker = std::thread::Builder::new()
            .name(format!("onboard-http-{index}"))
            .spawn(move || http::work(http, shared))
            .map_err(failed)?;
        workers.push(worker);
    }
    let aggregator = Aggregator {
        root: root.clone(),
        shared: shared.clone(),
        jobs: jobs.clone(),
        instance: rebuilder.instance.clone(),
        hold: config.hold_aggregates.clone(),
    };
    let aggregator = std::thread::Builder::new()
        .name("onboard-aggregates".into())
        .spawn(move || aggregator.run())
        .map_err(failed)?;
    let rebuild_thread = std::thread::Builder::new()
        .name("onboard-rebuild".into())
        .spawn(move || rebuilder.run(messages, watcher, &root))
        .map_err(failed)?;

    Ok(Server {
        addr,
        shared,
        workers,
        rebuilder: Some(rebuild_thread),
        aggregator: Some(aggregator),
        jobs,
        control,
        _http: http,
    })
}

/// Starts the server, reports [`LogEvent::Listening`] and serves until the
/// process ends.
pub fn serve(
    config: ServeConfig,
    log: impl Fn(LogEvent) + Send + Sync + 'static,
) -> Result<(), ServeError> {
    let log: Log = Arc::new(log);
    let inner = log.clone();
    let server = start(config, move |event| inner(event))?;
    log(LogEvent::Listening { url: server.url() });
    server.wait();
    Ok(())
}

/// Opens `url` in the default browser, without waiting for it.
pub fn open_browser(url: &str) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut command = Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
}

/// `--bind`: an IP address, or `localhost` for 127.0.0.1.
pub fn parse_bind(text: &str) -> Result<IpAddr, ServeError> {
    let trimmed = text.trim().trim_start_matches('[').trim_end_matches(']');
    if trimmed.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    trimmed.parse().map_err(|_| ServeError::InvalidBind {
        text: text.to_string(),
    })
}

fn site_root(root: &Path) -> Result<PathBuf, ServeError> {
    let fail = |error| {
        ServeError::Root(IoError {
            path: root.to_path_buf(),
            error,
        })
    };
    // Events arrive with absolute paths: compare them with an absolute root.
    let canonical = std::fs::canonicalize(root).map_err(fail)?;
    if !canonical.is_dir() {
        return Err(fail(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "not a folder",
        )));
    }
    Ok(canonical)
}

fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}", nanos & 0xffff_ffff_ffff)
}

/// Watches the root itself (for `onboard.yaml` and source folders created
/// later) and each source folder that exists, recursively.
fn watch_sources(
    root: &Path,
    debounce: Duration,
    control: Sender<Message>,
) -> Result<Watcher, ServeError> {
    let failed = |path: &Path, error: notify::Error| ServeError::Watch {
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

/// The rebuild thread's state.
struct Rebuilder {
    builder: SiteBuilder,
    shared: Arc<Shared>,
    jobs: Arc<Jobs>,
    /// Tells this server's builds from an earlier server's on the same port.
    instance: String,
}

impl Rebuilder {
    /// Turns file events into builds until told to stop.
    fn run(mut self, messages: Receiver<Message>, mut watcher: Watcher, root: &Path) {
        while let Ok(first) = messages.recv() {
            // Take every batch already waiting: one build covers them all.
            let mut changes = Changes::default();
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
    fn publish(&mut self, outcome: Rebuild, changed: Vec<String>) {
        let Rebuild {
            result,
            incremental,
            elapsed,
        } = outcome;
        let shared = &self.shared;
        match result {
            Ok(update) => {
                let broken = shared.hub.is_broken();
                let mut served = shared.served();
                let was_built = served.built;
                served.generation += 1;
                let generation = served.generation;
                let build_id = format!("{}-{}", self.instance, generation);
                served.script = http::script_tag(Some(&build_id)).into();
                served.failure_page = "".into();
                let (stats, warnings, change, customers) = match update {
                    Update::Whole { built, steady } => {
                        let files = served.replace(built.output, steady);
                        let change = if broken || !was_built {
                            Change::Reload
                        } else {
                            rebuild::change_of(&files)
                        };
                        (built.stats, built.diagnostics, change, false)
                    }
                    Update::Customers {
                        files,
                        stale,
                        diagnostics,
                        mut stats,
                    } => {
                        let files = served.patch_customers(&stale, files);
                        stats.files = served.files.len();
                        let change = if broken {
                            Change::Reload
                        } else {
                            Change::Pages(files.iter().map(|p| state::url_path(p)).collect())
                        };
                        (stats, diagnostics, change, true)
                    }
                };
                drop(served);
                shared.settled.notify_all();
                // Log first: whoever sees the browser event can rely on
                // the log already having the build that caused it.
                (shared.log)(LogEvent::Built {
                    stats,
                    warnings,
                    elapsed,
                    changed,
                    incremental,
                    css_only: matches!(change, Change::Css(_)),
                });
                shared.hub.publish_good(&change, &build_id);
                // The pages that read every customer come next, off the
                // browsers' way; a whole build has them already.
                self.jobs
                    .push(self.builder.take_sync(), customers.then_some(generation));
                if !customers {
                    release_memory();
                }
            }
            Err(diagnostics) => {
                let mut served = shared.served();
                if !served.built {
                    served.failure_page = http::failure_page(&diagnostics.to_string()).into();
                }
                drop(served);
                let json = serde_json::to_string(&diagnostics).unwrap_or_else(|_| "[]".into());
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
    }
}

/// What the aggregator has to do next.
#[derive(Default)]
struct Work {
    /// Changes to its copy of the site, in order.
    sync: Vec<SiteChange>,
    /// Render for this [`Served::generation`]; only the newest matters.
    render: Option<u64>,
    stop: bool,
}

/// The aggregator's queue.
#[derive(Default)]
struct Jobs {
    work: Mutex<Work>,
    wake: Condvar,
}

impl Jobs {
    fn lock(&self) -> MutexGuard<'_, Work> {
        self.work
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues changes to the site and asks for a render for `generation`
    /// (`None`: no render, and none still waiting is wanted).
    fn push(&self, sync: Vec<SiteChange>, render: Option<u64>) {
        let mut work = self.lock();
        for change in sync {
            if matches!(change, SiteChange::Whole(_)) {
                rebuild::drop_later(std::mem::take(&mut work.sync));
            }
            work.sync.push(change);
        }
        work.render = render;
        drop(work);
        self.wake.notify_all();
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.wake.notify_all();
    }

    /// The next changes and render, or `None` once stopped.
    fn take(&self) -> Option<(Vec<SiteChange>, Option<u64>)> {
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
struct Aggregator {
    root: PathBuf,
    shared: Arc<Shared>,
    jobs: Arc<Jobs>,
    instance: String,
    hold: Option<Arc<AtomicBool>>,
}

impl Aggregator {
    fn run(self) {
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
            let render = || rebuild::render_aggregates(&self.root, site);
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
        rebuild::drop_later(site);
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
                let json = serde_json::to_string(&diagnostics).unwrap_or_else(|_| "[]".into());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        assert_eq!(
            parse_bind("127.0.0.1").ok(),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        assert_eq!(
            parse_bind("localhost").ok(),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        assert!(parse_bind("[::1]").is_ok_and(|ip| ip.is_loopback()));
        assert!(parse_bind("0.0.0.0").is_ok_and(|ip| !ip.is_loopback()));
        assert!(parse_bind("192.168.1.10").is_ok_and(|ip| !ip.is_loopback()));
        assert!(matches!(
            parse_bind("example.com"),
            Err(ServeError::InvalidBind { .. })
        ));
    }

    #[test]
    fn a_busy_port_says_what_to_try() {
        assert_eq!(
            ServeError::PortInUse { port: 1111 }.to_string(),
            "port 1111 is already in use; try --port 1112"
        );
    }
}
