//! The running server: the state its threads share, starting them, and
//! stopping them when the [`Server`] is dropped.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::diagnostics::IoError;
use crate::render::Output;

use super::events::Hub;
use super::publish::{Aggregator, AggregatorQueue, Publisher};
use super::rebuild::IncrementalBuilder;
use super::state::Served;
use super::watch::{Message, watch_sources};
use super::{Log, LogEvent, ServeConfig, ServeError, http, parse_bind};

/// HTTP worker threads; requests are answered from memory, so a few suffice.
const WORKERS: usize = 4;

/// State shared by the HTTP workers, the event threads and the rebuilders.
pub(super) struct Shared {
    pub(super) served: Mutex<Served>,
    /// Signalled when pending pages are in (or the server stops).
    pub(super) settled: Condvar,
    pub(super) hub: Hub,
    pub(super) log: Log,
    pub(super) stopping: AtomicBool,
    /// Bound to loopback: answer only requests addressed to a loopback
    /// name, so a web page cannot read the site through DNS rebinding.
    pub(super) loopback_hosts_only: bool,
}

impl Shared {
    /// The state before the first build: a page saying the site is not
    /// built yet, and no live-reload stream.
    fn new(hub: Hub, log: Log, loopback_hosts_only: bool) -> Shared {
        Shared {
            served: Mutex::new(Served::empty(
                http::script_tag(None),
                http::failure_page("the site has not been built yet"),
            )),
            settled: Condvar::new(),
            hub,
            log,
            stopping: AtomicBool::new(false),
            loopback_hosts_only,
        }
    }

    pub(super) fn served(&self) -> MutexGuard<'_, Served> {
        self.served
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The served state once `path` need not wait for pending pages.
    pub(super) fn served_for(&self, path: &str) -> MutexGuard<'_, Served> {
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
    publisher: Option<JoinHandle<()>>,
    aggregator: Option<JoinHandle<()>>,
    jobs: Arc<AggregatorQueue>,
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
        if let Some(publisher) = self.publisher.take() {
            let _ = publisher.join();
        }
        self.jobs.stop();
        if let Some(aggregator) = self.aggregator.take() {
            let _ = aggregator.join();
        }
    }
}

/// Listens, watches the site, builds it once and publishes that build,
/// then starts the HTTP workers, the rebuild thread and the thread that
/// renders the pages that read every customer. `hold`, in tests, keeps
/// that last thread waiting while it is set.
pub(super) fn start(
    config: ServeConfig,
    hold: Option<Arc<AtomicBool>>,
    log: impl Fn(LogEvent) + Send + Sync + 'static,
) -> Result<Server, ServeError> {
    let log = surviving_panics(log);
    let ip = parse_bind(&config.bind)?;
    let root = site_root(&config.root)?;
    let (addr, http) = listen(SocketAddr::new(ip, config.port), &log)?;

    // Watch before the first build, so that a save during it is not lost.
    let (control, messages) = mpsc::channel();
    let watcher = watch_sources(&root, config.debounce, control.clone())?;

    let shared = Arc::new(Shared::new(
        Hub::new(config.heartbeat),
        log.clone(),
        ip.is_loopback(),
    ));
    let jobs = Arc::new(AggregatorQueue::default());
    let publisher = publish_first_build(&root, &config, &shared, &jobs);

    // If a thread cannot start, the ones already running are told to stop.
    let failed = |error| {
        shared.stopping.store(true, Ordering::SeqCst);
        ServeError::Thread(error)
    };
    let workers = spawn_workers(&http, &shared).map_err(failed)?;
    let aggregator = Aggregator {
        root: root.clone(),
        shared: shared.clone(),
        jobs: jobs.clone(),
        instance: publisher.instance.clone(),
        hold,
    };
    let aggregator = std::thread::Builder::new()
        .name("onboard-aggregates".into())
        .spawn(move || aggregator.run())
        .map_err(failed)?;
    let publish_thread = std::thread::Builder::new()
        .name("onboard-rebuild".into())
        .spawn(move || publisher.run(messages, watcher, &root))
        .map_err(failed)?;

    Ok(Server {
        addr,
        shared,
        workers,
        publisher: Some(publish_thread),
        aggregator: Some(aggregator),
        jobs,
        control,
        _http: http,
    })
}

/// Builds the site once and serves that build (or its errors); returns the
/// publisher that the rebuild thread runs on.
fn publish_first_build(
    root: &Path,
    config: &ServeConfig,
    shared: &Arc<Shared>,
    jobs: &Arc<AggregatorQueue>,
) -> Publisher {
    let mut publisher = Publisher {
        builder: IncrementalBuilder::new(root.to_path_buf(), config.build.clone()),
        shared: shared.clone(),
        jobs: jobs.clone(),
        instance: instance_id(),
    };
    let first = publisher.builder.build(None);
    publisher.publish(first, Vec::new());
    publisher
}

/// The log as the threads call it. A log that panics (a printer choking
/// on some text) must not take down the thread that logged: the rebuild
/// thread would never build again. What it failed to show is lost; the
/// server goes on.
fn surviving_panics(log: impl Fn(LogEvent) + Send + Sync + 'static) -> Log {
    Arc::new(move |event| {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| log(event)));
    })
}

/// Binds the HTTP server to `requested` (port 0: any free port) and says
/// where it listens; a bind off loopback is logged.
fn listen(
    requested: SocketAddr,
    log: &Log,
) -> Result<(SocketAddr, Arc<tiny_http::Server>), ServeError> {
    let listener = TcpListener::bind(requested).map_err(|error| match error.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse {
            port: requested.port(),
        },
        _ => ServeError::Bind {
            addr: requested,
            error,
        },
    })?;
    let addr = listener.local_addr().map_err(|error| ServeError::Bind {
        addr: requested,
        error,
    })?;
    if !requested.ip().is_loopback() {
        log(LogEvent::NotLoopback { addr });
    }
    let http = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| ServeError::Http(e.to_string()))?;
    Ok((addr, Arc::new(http)))
}

/// Starts the HTTP worker threads.
fn spawn_workers(
    http: &Arc<tiny_http::Server>,
    shared: &Arc<Shared>,
) -> std::io::Result<Vec<JoinHandle<()>>> {
    (0..WORKERS)
        .map(|index| {
            let (http, shared) = (http.clone(), shared.clone());
            std::thread::Builder::new()
                .name(format!("onboard-http-{index}"))
                .spawn(move || http::work(http, shared))
        })
        .collect()
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
