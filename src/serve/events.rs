//! Live reload over Server-Sent Events at `/__onboard/events`.
//!
//! One thread per connected browser tab, each fed by a small bounded
//! channel. The hub remembers the state the site is in (which build is
//! served, whether the last rebuild failed and why), so a tab that connects
//! while the site is broken sees the error at once, and a tab whose page is
//! older than the served build (it was loaded just before a rebuild, or
//! reconnects after being away) reloads when it is told the build id.
//!
//! Streams use chunked transfer encoding, so the server can end one cleanly
//! (on shutdown, or when a client stops reading) and the browser reconnects
//! instead of waiting on a stream that will never speak again. A comment
//! is sent every heartbeat interval: writing to a tab that has gone fails,
//! which ends its thread.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How many tabs may listen at once; more get a 503.
pub const MAX_CLIENTS: usize = 64;

/// Events queued for a tab that is not reading; past this it is dropped.
const QUEUE: usize = 16;

/// What a rebuild tells the browsers: made by the rebuild thread from the
/// files a good build swapped in
/// ([`rebuild::NewOutput`](super::rebuild::NewOutput)), sent to every tab
/// by [`Hub::publish_good`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Reload the page.
    Reload,
    /// Only these stylesheets changed: swap them in place.
    Css(Vec<String>),
    /// Only the pages at these URL paths changed: tabs showing one of
    /// them reload, the others stay.
    Pages(Vec<String>),
}

/// What the browsers should do after a whole build that changed these
/// files: restyle when only stylesheets differ, else reload (also when
/// nothing differs, so that saving a file always shows a reaction).
pub fn refresh_after(changed: &[String]) -> Refresh {
    if !changed.is_empty() && changed.iter().all(|path| path.ends_with(".css")) {
        Refresh::Css(changed.to_vec())
    } else {
        Refresh::Reload
    }
}

/// The set of connected tabs and the state they are told about.
pub struct Hub {
    inner: Mutex<HubState>,
    /// Live client threads (not list entries: a thread stuck writing to a
    /// dead tab still counts until its write fails).
    threads: Arc<AtomicUsize>,
    heartbeat: Duration,
}

struct HubState {
    clients: Vec<SyncSender<Message>>,
    /// The id of the build being served (JSON `null` before the first).
    build: String,
    /// The diagnostics of the failed rebuild, as an SSE frame, while the
    /// site is broken.
    error: Option<Arc<str>>,
    closed: bool,
}

#[derive(Clone)]
enum Message {
    Frame(Arc<str>),
    Close,
}

impl Hub {
    /// A hub with no clients and no build yet.
    pub fn new(heartbeat: Duration) -> Self {
        Hub {
            inner: Mutex::new(HubState {
                clients: Vec::new(),
                build: "null".into(),
                error: None,
                closed: false,
            }),
            threads: Arc::new(AtomicUsize::new(0)),
            heartbeat,
        }
    }

    fn state(&self) -> MutexGuard<'_, HubState> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Number of tabs connected (threads alive).
    pub fn clients(&self) -> usize {
        self.threads.load(Ordering::SeqCst)
    }

    /// Whether the last rebuild failed.
    pub fn is_broken(&self) -> bool {
        self.state().error.is_some()
    }

    /// The good build `build_id` is being served: tell every tab.
    pub fn publish_good(&self, change: &Refresh, build_id: &str) {
        let mut state = self.state();
        state.build = serde_json::Value::from(build_id).to_string();
        state.error = None;
        let data = match change {
            Refresh::Reload => serde_json::json!({ "build": build_id }),
            Refresh::Css(files) => serde_json::json!({ "build": build_id, "files": files }),
            Refresh::Pages(paths) => serde_json::json!({ "build": build_id, "paths": paths }),
        };
        let name = if matches!(change, Refresh::Css(_)) {
            "css"
        } else {
            "reload"
        };
        let frame: Arc<str> = frame(name, &data.to_string()).into();
        broadcast(&mut state, &frame);
    }

    /// Build `build_id` changed the pages at `paths` (URL paths) and no
    /// other: tabs showing one of them reload. The site's error, if it is
    /// broken, stays.
    pub fn publish_pages(&self, paths: Vec<String>, build_id: &str) {
        let mut state = self.state();
        state.build = serde_json::Value::from(build_id).to_string();
        let data = serde_json::json!({ "build": build_id, "paths": paths });
        let frame: Arc<str> = frame("reload", &data.to_string()).into();
        broadcast(&mut state, &frame);
    }

    /// The rebuild failed with these diagnostics (a JSON array on one line).
    pub fn publish_error(&self, diagnostics_json: &str) {
        let mut state = self.state();
        let frame: Arc<str> = frame("error", diagnostics_json).into();
        state.error = Some(frame.clone());
        broadcast(&mut state, &frame);
    }

    /// Takes a new tab, or says why not. The frames it must see first
    /// (its build id, the current error) are queued under the same lock
    /// as publishing, so it cannot miss an event in between.
    pub fn connect(&self) -> Result<Subscription, Refused> {
        let mut state = self.state();
        if state.closed {
            return Err(Refused::ShuttingDown);
        }
        // Reserve a thread slot; give it back if over the cap.
        if self.threads.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS {
            self.threads.fetch_sub(1, Ordering::SeqCst);
            return Err(Refused::TooMany);
        }
        let guard = SlotGuard(self.threads.clone());
        let (sender, receiver) = mpsc::sync_channel(QUEUE);
        let hello = format!("{{\"build\":{}}}", state.build);
        let mut first = format!("retry: 1000\n\n{}", frame("hello", &hello));
        if let Some(error) = &state.error {
            first.push_str(error);
        }
        state.clients.push(sender);
        Ok(Subscription {
            first,
            receiver,
            heartbeat: self.heartbeat,
            _slot: guard,
        })
    }

    /// Ends every stream and refuses new ones.
    pub fn close(&self) {
        let mut state = self.state();
        state.closed = true;
        for client in state.clients.drain(..) {
            let _ = client.try_send(Message::Close);
        }
    }
}

fn broadcast(state: &mut HubState, frame: &Arc<str>) {
    // A tab whose queue is full has stopped reading: dropping its sender
    // ends its stream once the queued events are written, and the browser
    // reconnects and catches up through the build id.
    state.clients.retain(
        |client| match client.try_send(Message::Frame(frame.clone())) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        },
    );
}

/// Why a tab was turned away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// [`MAX_CLIENTS`] are already listening.
    TooMany,
    /// The server is stopping.
    ShuttingDown,
}

/// One SSE event as sent on the wire. `data` must be one line.
pub fn frame(event: &str, data: &str) -> String {
    debug_assert!(!data.contains('\n'));
    format!("event: {event}\ndata: {data}\n\n")
}

/// Gives back the thread slot when a client thread ends, however it ends.
struct SlotGuard(Arc<AtomicUsize>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A connected tab: what to send it first and the events that follow.
pub struct Subscription {
    first: String,
    receiver: Receiver<Message>,
    heartbeat: Duration,
    _slot: SlotGuard,
}

/// How the stream is framed on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// HTTP/1.1: chunks, so the server can end the stream.
    Chunked,
    /// HTTP/1.0: raw bytes until the connection closes.
    Raw,
}

impl Subscription {
    /// Writes the response head and streams events until the hub closes
    /// the stream or a write fails (the tab went away). Runs on the
    /// client's own thread.
    pub fn run(self, mut writer: Box<dyn Write + Send>, framing: Framing) {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
             X-Accel-Buffering: no\r\n{}\r\n",
            if framing == Framing::Chunked {
                "Transfer-Encoding: chunked\r\n"
            } else {
                "Connection: close\r\n"
            }
        );
        if writer.write_all(head.as_bytes()).is_err()
            || send(&mut writer, framing, &self.first).is_err()
        {
            return;
        }
        loop {
            let sent = match self.receiver.recv_timeout(self.heartbeat) {
                Ok(Message::Frame(frame)) => send(&mut writer, framing, &frame),
                Err(RecvTimeoutError::Timeout) => send(&mut writer, framing, ": heartbeat\n\n"),
                Ok(Message::Close) | Err(RecvTimeoutError::Disconnected) => {
                    if framing == Framing::Chunked {
                        let _ = writer.write_all(b"0\r\n\r\n").and_then(|()| writer.flush());
                    }
                    return;
                }
            };
            if sent.is_err() {
                return;
            }
        }
    }
}

fn send(writer: &mut Box<dyn Write + Send>, framing: Framing, text: &str) -> std::io::Result<()> {
    match framing {
        Framing::Chunked => write!(writer, "{:x}\r\n{text}\r\n", text.len())?,
        Framing::Raw => writer.write_all(text.as_bytes())?,
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(subscription: &Subscription) -> Vec<String> {
        let mut frames = vec![subscription.first.clone()];
        while let Ok(Message::Frame(frame)) = subscription.receiver.try_recv() {
            frames.push(frame.to_string());
        }
        frames
    }

    #[test]
    fn a_tab_that_connects_while_broken_sees_the_error_first() {
        let hub = Hub::new(Duration::from_secs(15));
        hub.publish_good(&Refresh::Reload, "b-1");
        hub.publish_error(r#"[{"message":"bad"}]"#);
        let tab = hub.connect().expect("connects");
        let frames = drain(&tab);
        assert_eq!(frames.len(), 1);
        assert!(
            frames[0].contains("event: hello\ndata: {\"build\":\"b-1\"}\n\n"),
            "{frames:?}"
        );
        assert!(
            frames[0].ends_with("event: error\ndata: [{\"message\":\"bad\"}]\n\n"),
            "{frames:?}"
        );
        hub.publish_good(&Refresh::Css(vec!["style.css".into()]), "b-2");
        assert_eq!(
            drain(&tab)[1],
            "event: css\ndata: {\"build\":\"b-2\",\"files\":[\"style.css\"]}\n\n"
        );
        hub.publish_error("[]");
        hub.publish_pages(vec!["/customers/".into()], "b-3");
        assert_eq!(
            drain(&tab)[1..],
            [
                "event: error\ndata: []\n\n",
                "event: reload\ndata: {\"build\":\"b-3\",\"paths\":[\"/customers/\"]}\n\n"
            ]
        );
        assert!(hub.is_broken(), "new pages do not mend a broken site");
        let late = hub.connect().expect("connects");
        assert!(drain(&late)[0].contains("{\"build\":\"b-3\"}"));
        hub.publish_good(&Refresh::Reload, "b-4");
        assert!(!hub.is_broken());
    }

    #[test]
    fn tabs_are_capped_and_slots_come_back() {
        let hub = Hub::new(Duration::from_secs(15));
        let tabs: Vec<_> = (0..MAX_CLIENTS)
            .map(|_| hub.connect().expect("room"))
            .collect();
        assert_eq!(hub.connect().err(), Some(Refused::TooMany));
        assert_eq!(hub.clients(), MAX_CLIENTS);
        drop(tabs);
        assert_eq!(hub.clients(), 0);
        assert!(hub.connect().is_ok());
    }

    #[test]
    fn a_tab_that_stops_reading_is_dropped() {
        let hub = Hub::new(Duration::from_secs(15));
        let tab = hub.connect().expect("connects");
        for _ in 0..QUEUE + 1 {
            hub.publish_good(&Refresh::Reload, "b");
        }
        assert!(hub.state().clients.is_empty());
        // Its queued events are still delivered before the stream ends.
        assert_eq!(drain(&tab).len(), QUEUE + 1);
    }

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn stylesheets_alone_are_swapped() {
        assert_eq!(
            refresh_after(&paths(&["extra.css", "style.css"])),
            Refresh::Css(paths(&["extra.css", "style.css"]))
        );
    }

    #[test]
    fn anything_else_reloads() {
        assert_eq!(
            refresh_after(&paths(&["index.html", "style.css"])),
            Refresh::Reload
        );
        assert_eq!(refresh_after(&paths(&["index.html"])), Refresh::Reload);
        assert_eq!(refresh_after(&[]), Refresh::Reload);
    }
}
