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
//! the edited customers' own pages are out (both in `publish`; the served
//! files are in `state`). Nothing is
//! written to disk. The library never prints: everything worth telling the user goes
//! to the `log` callback as a [`LogEvent`], and `main.rs` decides how.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::build::BuildStats;
use crate::diagnostics::{Diagnostics, IoError};
use crate::render::Output;
use crate::site::BuildOptions;

pub mod events;
pub mod http;
#[cfg(test)]
mod panic_tests;
mod publish;
pub mod rebuild;
pub(crate) mod state;
pub mod url;
pub mod watch;

use events::Hub;
use publish::{Aggregator, Jobs, Rebuilder};
use rebuild::SiteBuilder;
use state::Served;
use watch::{Message, watch_sources};

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
}

impl ServeConfig {
    /// The defaults: 127.0.0.1:1111, drafts shown, 15 s heartbeat, 50 ms debounce.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeConfig {
            root: root.into(),
            bind: "127.0.0.1".into(),
            port: 1111,
            // Drafts are shown while authoring, each with a draft banner;
            // `onboard build` leaves them out unless asked.
            build: BuildOptions {
                drafts: true,
                ..BuildOptions::default()
            },
            heartbeat: Duration::from_secs(15),
            debounce: Duration::from_millis(50),
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
    start_holding(config, None, log)
}

/// [`start`] for tests only: while `hold` is set, the pages that read every
/// customer are not rendered after tracker edits, so that a test can
/// request them mid-rebuild.
#[doc(hidden)]
pub fn start_holding_aggregates(
    config: ServeConfig,
    hold: Arc<AtomicBool>,
    log: impl Fn(LogEvent) + Send + Sync + 'static,
) -> Result<Server, ServeError> {
    start_holding(config, Some(hold), log)
}

fn start_holding(
    config: ServeConfig,
    hold: Option<Arc<AtomicBool>>,
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
        hold,
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
