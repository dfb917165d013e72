//! `serve` survives a build that panics: the panic is a failed build,
//! shown in the terminal and the browser, and the next change builds again.
//! No real input is known to panic a build any more, so the test makes one
//! panic with a marker file that only test builds look for.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use super::{LogEvent, ServeConfig, start};

/// A file whose presence makes a build of its site panic.
const PANIC_MARKER: &str = "content/pages/panic-in-build.md";

/// Panics when the site at `root` holds [`PANIC_MARKER`]; called by
/// every build of a test build of the library.
pub(super) fn panic_if_asked(root: &Path) {
    if root.join(PANIC_MARKER).exists() {
        panic!("a test asked this build to panic");
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

/// Reads the live-reload stream until it has said `needle`; fails the
/// test if it has not after a while, rather than hang.
fn read_until(stream: &mut std::net::TcpStream, seen: &mut String, needle: &str) {
    use std::io::Read;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains(needle) {
        assert!(
            std::time::Instant::now() < deadline,
            "no {needle:?} in the stream: {seen}"
        );
        let mut buf = [0; 4096];
        match stream.read(&mut buf) {
            Ok(0) => panic!("the stream ended before {needle:?}: {seen}"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading events: {e}"),
        }
    }
}

/// The next build report from the log.
fn next_build(log: &Receiver<LogEvent>) -> LogEvent {
    loop {
        let event = log
            .recv_timeout(Duration::from_secs(10))
            .expect("a build is reported in time");
        if matches!(event, LogEvent::Built { .. } | LogEvent::Failed { .. }) {
            return event;
        }
    }
}

#[test]
fn a_panicking_build_is_an_error_and_the_next_change_builds_again() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "onboard.yaml", "title: Panics\nas_of: 2026-01-25\n");
    write(
        root,
        "content/pages/a.md",
        "# Page A\n\nThe original text.\n",
    );
    let (sender, log) = mpsc::channel();
    // The first failure's log panics as well, as the binary's printer
    // once did on a long line: that must not stop the rebuilds either.
    let log_panicked = Arc::new(AtomicBool::new(false));
    let flag = log_panicked.clone();
    let mut config = ServeConfig::new(root);
    config.port = 0;
    let server = start(config, move |event| {
        let failed = matches!(event, LogEvent::Failed { .. });
        let _ = sender.send(event);
        if failed && !flag.swap(true, Ordering::SeqCst) {
            panic!("the log choked on a failure");
        }
    })
    .expect("the server starts");
    assert!(matches!(next_build(&log), LogEvent::Built { .. }));

    let mut stream = std::net::TcpStream::connect(server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    write!(
        stream,
        "GET /__onboard/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .expect("send");
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "event: hello");

    write(root, PANIC_MARKER, "# Panic\n");
    let LogEvent::Failed {
        diagnostics,
        changed,
        ..
    } = next_build(&log)
    else {
        panic!("the panicking build is reported as a failure");
    };
    assert_eq!(changed, [PANIC_MARKER]);
    let error = diagnostics.iter().next().expect("one diagnostic");
    assert_eq!(
        (error.code.as_str(), error.file.as_str()),
        ("internal", PANIC_MARKER)
    );
    assert!(error.message.contains("a test asked this build to panic"));
    // The browsers see it as they see any failed build.
    read_until(&mut stream, &mut seen, "event: error");
    read_until(&mut stream, &mut seen, PANIC_MARKER);
    assert!(log_panicked.load(Ordering::SeqCst));

    std::fs::remove_file(root.join(PANIC_MARKER)).expect("remove the marker");
    assert!(matches!(next_build(&log), LogEvent::Built { .. }));
    read_until(&mut stream, &mut seen, "event: reload");
    write(root, "content/pages/a.md", "# Page A\n\nThe edited text.\n");
    assert!(matches!(next_build(&log), LogEvent::Built { .. }));
    let output = server.output().expect("a good build is served");
    let page = output.get("pages/a/index.html").expect("the page is built");
    assert!(String::from_utf8_lossy(page).contains("The edited text."));
}
