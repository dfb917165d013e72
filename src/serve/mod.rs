//! `onboard serve`: build in memory, serve, watch, rebuild, reload the browser.
//!
//! [`start`] binds the port (127.0.0.1 unless told otherwise), starts
//! watching the site's sources, builds once and returns a running
//! [`Server`]. Nothing is written to disk, and the library never prints:
//! everything worth telling the user goes to the `log` callback as a
//! [`LogEvent`], and `main.rs` decides how. The files, by role:
//!
//! - the server: `server` (the [`Server`], the state its threads share,
//!   starting and stopping them), `http` (a few workers answering requests
//!   from the last good build in memory), `url` (request targets), `state`
//!   (the served files);
//! - watch: `watch` turns debounced file events into [`watch::SourceEdits`];
//! - rebuilds and publishing: `rebuild` ([`rebuild::IncrementalBuilder`]
//!   builds after source edits, re-reading only edited trackers when it
//!   can), `publish` (the publisher thread swaps each good build into the
//!   served files; the aggregator renders the pages that read every
//!   customer after tracker edits, once the edited customers' own pages
//!   are out), `render` (what a rebuild renders);
//! - events: `events` (the live-reload stream, one thread per tab),
//!   `overlay` (the error list a tab shows when a rebuild fails).
//!
//! What changed, as it flows through: source files edited
//! ([`watch::SourceEdits`]) → a build's outcome ([`rebuild::BuildOutcome`],
//! holding the files to serve, [`rebuild::NewOutput`]) → the browsers'
//! [`events::Refresh`], and for the aggregator's copy of the site a
//! [`rebuild::SitePatch`].

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::build::BuildStats;
use crate::diagnostics::{Diagnostics, IoError};
use crate::site::BuildOptions;

pub mod events;
pub mod http;
pub mod overlay;
#[cfg(test)]
mod panic_tests;
mod publish;
pub mod rebuild;
mod render;
mod server;
pub(crate) mod state;
pub mod url;
pub mod watch;

pub use server::Server;
use server::Shared;

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

/// Starts the server and returns once it listens and the first build is
/// done (good or not). Port 0 picks a free port: see [`Server::addr`].
pub fn start(
    config: ServeConfig,
    log: impl Fn(LogEvent) + Send + Sync + 'static,
) -> Result<Server, ServeError> {
    server::start(config, None, log)
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
    server::start(config, Some(hold), log)
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
