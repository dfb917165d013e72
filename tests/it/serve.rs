//! `onboard serve`: live reload, errors in the browser, confinement.
//!
//! Each test builds a small site in its own temporary folder, starts the
//! server on a free port of 127.0.0.1 and talks to it over plain TCP.
//! Every read has a deadline, so a broken server fails a test instead of
//! hanging it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use onboard::serve::{self, LogEvent, ServeConfig, ServeError, Server};

const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- fixture

/// Placeholder templates, as the site's own theme: the tests then do not
/// depend on the look of the default theme.
const TEMPLATES: [&str; 8] = [
    "index", "sop", "playbook", "roles", "glossary", "page", "search", "404",
];

fn template(name: &str) -> String {
    let body = match name {
        "index" => {
            "<ul>{% for c in attention %}<li class=\"attention\">{{ c.name }}</li>{% endfor %}</ul>"
        }
        "page" => "{{ content.html | safe }}",
        "404" => "<p>Page not found</p>",
        _ => "",
    };
    format!(
        "<!doctype html>\n<html><head><title>{{{{ page.title }}}}</title>\
         <link rel=\"stylesheet\" href=\"{{{{ root }}}}style.css\"><link rel=\"stylesheet\" href=\"{{{{ root }}}}extra.css\"></head>\n\
         <body><h1>{{{{ page.title }}}}</h1>{body}</body></html>\n"
    )
}

/// [`TRACKER`] for another customer.
fn tracker(name: &str, slug: &str) -> String {
    TRACKER.replace("Acme Corp", name).replace("acme", slug)
}

const TRACKER: &str = r#"customer:
  name: "Acme Corp"
  slug: acme
  csm: "Jane Smith"
  start_date: "2026-01-15"
milestones:
  - name: "Kickoff completed"
    target_date: "2026-01-16"
    actual_date: "2026-01-16"
    status: complete
  - name: "Integration configured"
    target_date: "2026-02-10"
    actual_date: null
    status: blocked
    blockers: ["Waiting on SSO metadata"]
"#;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

/// A small site: config, roles, one SOP, one page, one customer, a site
/// stylesheet, a theme stylesheet and a few data files.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(
        root,
        "onboard.yaml",
        "title: Fixture Onboarding\nas_of: 2026-01-25\n",
    );
    write(
        root,
        "playbooks/roles.yaml",
        "- id: csm\n  name: Customer Success Manager\n  responsibilities: [Own the relationship]\n",
    );
    write(
        root,
        "playbooks/kickoff.md",
        "---\nkind: sop\nid: kickoff\ntitle: Customer Kickoff\nowner: csm\nstatus: approved\n\
         steps:\n  - title: Confirm readiness\n    owner: csm\n---\nRun the first working meeting.\n",
    );
    write(
        root,
        "content/pages/a.md",
        "# Page A\n\nThe original text.\n",
    );
    write(root, "content/customers/acme.yaml", TRACKER);
    write(root, "static/extra.css", "body { color: #111; }\n");
    write(root, "static/data/sample.json", "{\"ok\": true}\n");
    write(root, "static/data/sample.csv", "a,b\n1,2\n");
    write(root, "static/cal.ics", "BEGIN:VCALENDAR\nEND:VCALENDAR\n");
    write(
        root,
        "themes/default/static/style.css",
        "h1 { color: navy; }\n",
    );
    for name in TEMPLATES {
        write(
            root,
            &format!("themes/default/templates/{name}.html"),
            &template(name),
        );
    }
    // Outside every served folder: must never be reachable.
    write(root, "secret.txt", "TOP-SECRET-MARKER\n");
    dir
}

fn config(root: &Path) -> ServeConfig {
    let mut config = ServeConfig::new(root);
    config.port = 0;
    config
}

fn start_with(config: ServeConfig) -> (Server, Receiver<LogEvent>) {
    let (sender, log) = mpsc::channel();
    let server = serve::start(config, move |event| {
        let _ = sender.send(event);
    })
    .expect("the server starts");
    (server, log)
}

fn start(root: &Path) -> (Server, Receiver<LogEvent>) {
    start_with(config(root))
}

// ------------------------------------------------------------ HTTP client

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("read timeout");
    stream.set_write_timeout(Some(WAIT)).expect("write timeout");
    stream
}

/// Sends `METHOD target` as written (no normalisation) and reads the reply.
fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut stream = connect(addr);
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("the reply ends in time");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a reply head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status code");
    Reply {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

// ----------------------------------------------------------- event stream

#[derive(Debug)]
struct Event {
    name: String,
    data: String,
}

/// A live-reload stream read the way a browser does: chunks → SSE events.
struct Events {
    stream: TcpStream,
    raw: Vec<u8>,
    text: String,
    ended: bool,
    seen: Vec<String>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = connect(addr);
        write!(
            stream,
            "GET /__onboard/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let mut raw = Vec::new();
        let deadline = Instant::now() + WAIT;
        let split = loop {
            if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break at;
            }
            assert!(Instant::now() < deadline, "no response head");
            let mut buf = [0; 4096];
            let n = stream.read(&mut buf).expect("read head");
            assert!(
                n > 0,
                "closed before the head: {}",
                String::from_utf8_lossy(&raw)
            );
            raw.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        assert!(head.contains("cache-control: no-cache"), "{head}");
        assert!(head.contains("transfer-encoding: chunked"), "{head}");
        Events {
            stream,
            raw: raw[split + 4..].to_vec(),
            text: String::new(),
            ended: false,
            seen: Vec::new(),
        }
    }

    /// Moves complete chunks from `raw` to `text`.
    fn decode(&mut self) {
        while let Some(line_end) = self.raw.windows(2).position(|w| w == b"\r\n") {
            let size_text = String::from_utf8_lossy(&self.raw[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.trim(), 16).expect("a chunk size");
            if size == 0 {
                self.ended = true;
                self.raw.clear();
                return;
            }
            let start = line_end + 2;
            if self.raw.len() < start + size + 2 {
                return;
            }
            self.text.push_str(
                std::str::from_utf8(&self.raw[start..start + size]).expect("UTF-8 events"),
            );
            self.raw.drain(..start + size + 2);
        }
    }

    /// The next complete event, skipping comments and `retry:` blocks.
    fn parse(&mut self) -> Option<Event> {
        while let Some(end) = self.text.find("\n\n") {
            let block: String = self.text.drain(..end + 2).collect();
            let (mut name, mut data) = (None, Vec::new());
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("event: ") {
                    name = Some(value.to_string());
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data.push(value.to_string());
                }
            }
            if name.is_some() || !data.is_empty() {
                let name = name.unwrap_or_else(|| "message".into());
                self.seen.push(name.clone());
                return Some(Event {
                    name,
                    data: data.join("\n"),
                });
            }
        }
        None
    }

    /// The next event before `deadline`, or `None` (time out or stream end).
    fn next_before(&mut self, deadline: Instant) -> Option<Event> {
        loop {
            self.decode();
            if let Some(event) = self.parse() {
                return Some(event);
            }
            let now = Instant::now();
            if self.ended || now >= deadline {
                return None;
            }
            self.stream
                .set_read_timeout(Some(deadline - now))
                .expect("timeout");
            let mut buf = [0; 8192];
            match self.stream.read(&mut buf) {
                Ok(0) => self.ended = true,
                Ok(n) => self.raw.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("reading events: {e}"),
            }
        }
    }

    /// Skips events until one named `name`.
    fn wait_for(&mut self, name: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        while let Some(event) = self.next_before(deadline) {
            if event.name == name {
                return event;
            }
        }
        panic!("no `{name}` event within {WAIT:?}; saw {:?}", self.seen);
    }

    /// The next event, which must come soon.
    fn next(&mut self) -> Event {
        self.next_before(Instant::now() + WAIT)
            .unwrap_or_else(|| panic!("no event within {WAIT:?}; saw {:?}", self.seen))
    }

    /// Asserts that nothing named `name` arrives for `within`.
    fn assert_quiet(&mut self, name: &str, within: Duration) {
        let deadline = Instant::now() + within;
        while let Some(event) = self.next_before(deadline) {
            assert_ne!(event.name, name, "unexpected `{name}`: {}", event.data);
        }
    }
}

/// The next build report from the log.
fn next_build(log: &Receiver<LogEvent>) -> LogEvent {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = log.recv_timeout(left).expect("a build is reported in time");
        if matches!(event, LogEvent::Built { .. } | LogEvent::Failed { .. }) {
            return event;
        }
    }
}

// ------------------------------------------------------------------ tests

#[test]
fn an_edit_sends_reload_and_the_page_shows_it() {
    let site = fixture();
    let (server, _log) = start(site.path());
    let mut events = Events::open(server.addr);
    let hello = events.next();
    assert_eq!(hello.name, "hello");
    assert!(hello.data.starts_with("{\"build\":\""), "{}", hello.data);

    let before = get(server.addr, "/pages/a/");
    assert_eq!(before.status, 200);
    assert!(before.text().contains("The original text."));

    write(
        site.path(),
        "content/pages/a.md",
        "# Page A\n\nThe edited text.\n",
    );
    let reload = events.wait_for("reload");
    // A whole rebuild: every tab reloads (no `paths`).
    let data: serde_json::Value = serde_json::from_str(&reload.data).expect("JSON");
    assert!(data["build"].is_string(), "{}", reload.data);
    assert!(data.get("paths").is_none(), "{}", reload.data);
    let after = get(server.addr, "/pages/a/");
    assert_eq!(after.status, 200);
    assert!(
        after.text().contains("The edited text."),
        "{}",
        after.text()
    );
    assert!(!after.text().contains("The original text."));
}

#[test]
fn a_broken_file_sends_error_and_the_last_good_site_stays() {
    let site = fixture();
    let (server, log) = start(site.path());
    next_build(&log);
    let mut events = Events::open(server.addr);
    events.wait_for("hello");

    write(
        site.path(),
        "content/customers/acme.yaml",
        "customer:\n  name: [unclosed\nmilestones: []\n",
    );
    let error = events.wait_for("error");
    assert!(!error.data.contains('\n'));
    let diagnostics: serde_json::Value = serde_json::from_str(&error.data).expect("a JSON array");
    let first = &diagnostics.as_array().expect("an array")[0];
    assert_eq!(first["file"], "content/customers/acme.yaml");
    assert_eq!(first["level"], "error");
    assert!(
        first["line"].as_u64().is_some_and(|line| line > 0),
        "{first}"
    );
    assert!(first["message"].as_str().is_some_and(|m| !m.is_empty()));

    // The last good site is still served, whole.
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Acme Corp"), "{}", home.text());

    // A tab that connects now sees the error at once.
    let mut late = Events::open(server.addr);
    assert_eq!(late.next().name, "hello");
    let again = late.next();
    assert_eq!(again.name, "error");
    assert_eq!(again.data, error.data);

    write(
        site.path(),
        "content/customers/acme.yaml",
        &TRACKER.replace("Acme Corp", "Acme Fixed"),
    );
    events.wait_for("reload");
    late.wait_for("reload");
    assert!(get(server.addr, "/").text().contains("Acme Fixed"));

    // And once fixed, new tabs are not told about the old error.
    let mut fresh = Events::open(server.addr);
    assert_eq!(fresh.next().name, "hello");
    fresh.assert_quiet("error", Duration::from_millis(300));
}

#[test]
fn a_site_that_never_built_shows_its_errors_until_fixed() {
    let site = fixture();
    write(site.path(), "onboard.yaml", "title: [<b>unclosed\n");
    let (server, _log) = start(site.path());
    assert!(server.output().is_none());

    for path in ["/", "/pages/a/", "/anything"] {
        let page = get(server.addr, path);
        assert_eq!(page.status, 500, "{path}");
        let text = page.text();
        assert!(text.contains("does not build"), "{text}");
        assert!(text.contains("onboard.yaml:1:"), "{text}");
        assert!(text.contains("/__onboard/events"), "{text}");
        assert!(
            !text.contains("<b>unclosed"),
            "diagnostics are escaped: {text}"
        );
    }
    let mut events = Events::open(server.addr);
    assert_eq!(events.next().name, "hello");
    assert_eq!(events.next().name, "error");

    write(
        site.path(),
        "onboard.yaml",
        "title: Fixture Onboarding\nas_of: 2026-01-25\n",
    );
    events.wait_for("reload");
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Fixture Onboarding"));
}

#[test]
fn traversal_never_reaches_files() {
    let site = fixture();
    let (server, _log) = start(site.path());
    for target in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/",
        "/%2e%2e/secret.txt",
        "/%2E%2E/onboard.yaml",
        "/..%2fonboard.yaml",
        "/..%2Fsecret.txt",
        "/pages/%2e%2e/%2e%2e/secret.txt",
        "/a%00b",
        "/secret.txt%00.html",
        "/%5c..%5csecret.txt",
        "/..\\secret.txt",
        "/.%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/secret.txt",
        "/onboard.yaml",
        "/static/extra.css",
        "/content/pages/a.md",
        "/themes/default/templates/page.html",
        "http://127.0.0.1/secret.txt",
        "//etc/passwd",
    ] {
        let reply = get(server.addr, target);
        assert!(
            matches!(reply.status, 400 | 404),
            "{target}: {}",
            reply.status
        );
        let text = reply.text();
        assert!(!text.contains("TOP-SECRET-MARKER"), "{target}");
        assert!(!text.contains("as_of"), "{target}");
        assert!(!text.contains("[package]"), "{target}");
        assert!(!text.contains("root:"), "{target}");
    }
    assert_eq!(get(server.addr, "/%2e%2e/").status, 400);
    assert_eq!(get(server.addr, "/..%2fonboard.yaml").status, 400);
    assert_eq!(get(server.addr, "/a%00b").status, 400);
    assert_eq!(get(server.addr, "/%5c..%5c").status, 400);
}

#[test]
fn urls_map_to_the_output_with_the_right_types() {
    let site = fixture();
    let (server, _log) = start(site.path());
    let addr = server.addr;

    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control").as_deref(), Some("no-store"));
    assert!(home.text().contains("Fixture Onboarding"));

    assert_eq!(get(addr, "/index.html").body, home.body);
    assert_eq!(get(addr, "/?utm=x#top").body, home.body);
    assert!(
        get(addr, "/sops/kickoff/")
            .text()
            .contains("Customer Kickoff")
    );

    let moved = get(addr, "/sops/kickoff?x=1");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location").as_deref(), Some("/sops/kickoff/"));

    for (path, content_type) in [
        ("/extra.css", "text/css; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/data/sample.json", "application/json"),
        ("/data/sample.csv", "text/csv; charset=utf-8"),
        ("/cal.ics", "text/calendar; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type").as_deref(),
            Some(content_type),
            "{path}"
        );
        assert!(
            !reply.text().contains("/__onboard/events"),
            "{path}: no script outside HTML"
        );
    }

    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
    assert!(missing.text().contains("/__onboard/events"));
    assert_eq!(get(addr, "/__onboard/other").status, 404);

    // A page whose domain was rebound to 127.0.0.1 gets nothing.
    let mut stream = connect(addr);
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: evil.example:1111\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("a reply");
    assert!(raw.starts_with("HTTP/1.1 403"), "{raw}");
    assert!(!raw.contains("Fixture Onboarding"));

    let head = request(addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(addr, "POST", "/").status, 405);
}

#[test]
fn the_script_is_in_served_html_and_never_in_build_output() {
    let site = fixture();
    let (server, _log) = start(site.path());
    for path in [
        "/",
        "/pages/a/",
        "/sops/kickoff/",
        "/roles/",
        "/no-such-page",
    ] {
        let text = get(server.addr, path).text();
        let script = text
            .find("new EventSource(\"/__onboard/events\")")
            .expect("the script is injected");
        assert!(
            script < text.rfind("</body>").expect("a body"),
            "{path}: the script is inside the body"
        );
        assert_eq!(text.matches("<script>").count(), 1, "{path}");
    }
    // The served output itself is untouched, and serve writes nothing.
    let output = server.output().expect("a good build");
    for (path, bytes) in &output.files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("/__onboard/events"),
            "{path}"
        );
    }
    assert!(
        !site.path().join("public").exists(),
        "serve must not write the output folder"
    );

    let out = tempfile::tempdir().expect("temp dir");
    assert_cmd::Command::cargo_bin("onboard")
        .expect("the binary")
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--out")
        .arg(out.path().join("public"))
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let mut files = 0;
    for entry in ignore::WalkBuilder::new(out.path())
        .hidden(false)
        .build()
        .flatten()
    {
        // The marker that every build writes into its output is no page.
        if entry.file_type().is_some_and(|t| t.is_file())
            && entry.file_name() != onboard::output::destination::MARKER
        {
            files += 1;
            let bytes = std::fs::read(entry.path()).expect("read");
            assert!(
                !String::from_utf8_lossy(&bytes).contains("/__onboard/events"),
                "{}",
                entry.path().display()
            );
        }
    }
    assert!(files > 5, "the build wrote the site");
    assert_eq!(
        files,
        output.files.len(),
        "serve builds the same files as build"
    );
}

#[test]
fn a_stylesheet_change_swaps_stylesheets_without_reloading() {
    let site = fixture();
    let (server, _log) = start(site.path());
    let mut events = Events::open(server.addr);
    events.wait_for("hello");

    write(site.path(), "static/extra.css", "body { color: #222; }\n");
    let css = events.next();
    assert_eq!(css.name, "css", "{css:?}");
    let data: serde_json::Value = serde_json::from_str(&css.data).expect("JSON");
    assert_eq!(
        data["files"],
        serde_json::json!(["extra.css"]),
        "{}",
        css.data
    );
    assert!(data["build"].is_string(), "{}", css.data);
    assert_eq!(
        get(server.addr, "/extra.css").text(),
        "body { color: #222; }\n"
    );

    write(
        site.path(),
        "themes/default/static/style.css",
        "h1 { color: teal; }\n",
    );
    let css = events.next();
    assert_eq!(css.name, "css", "{css:?}");
    assert!(
        css.data.ends_with(",\"files\":[\"style.css\"]}"),
        "{}",
        css.data
    );
    events.assert_quiet("reload", Duration::from_millis(300));

    // A template is not a stylesheet: that reloads.
    write(
        site.path(),
        "themes/default/templates/404.html",
        &template("404").replace("Page not found", "Lost"),
    );
    assert_eq!(events.next().name, "reload");
}

#[test]
fn editor_leftovers_and_the_output_folder_are_ignored() {
    let site = fixture();
    let (server, log) = start(site.path());
    next_build(&log);
    let mut events = Events::open(server.addr);
    events.wait_for("hello");
    write(site.path(), "content/pages/.a.md.swp", "x");
    write(site.path(), "content/pages/a.md~", "x");
    write(site.path(), "content/pages/4913", "x");
    write(site.path(), "public/index.html", "x");
    write(site.path(), "notes.txt", "x");
    events.assert_quiet("reload", Duration::from_millis(400));
    write(site.path(), "content/pages/a.md", "# Page A\n\nSaved.\n");
    events.wait_for("reload");
}

#[test]
fn a_source_folder_created_later_is_watched() {
    let site = fixture();
    std::fs::remove_dir_all(site.path().join("static")).expect("remove static");
    let (server, _log) = start(site.path());
    let mut events = Events::open(server.addr);
    events.wait_for("hello");
    assert_eq!(get(server.addr, "/extra.css").status, 404);
    std::fs::create_dir(site.path().join("static")).expect("create static");
    events.wait_for("reload");
    write(site.path(), "static/extra.css", "p { margin: 0; }\n");
    let deadline = Instant::now() + WAIT;
    while get(server.addr, "/extra.css").status != 200 {
        assert!(Instant::now() < deadline, "the new folder is not watched");
        events.next_before(Instant::now() + Duration::from_millis(200));
    }
}

#[test]
fn tracker_edits_reload_one_file_and_match_a_full_build() {
    let site = fixture();
    let root = site.path();
    let (server, log) = start(root);
    next_build(&log);

    // The served site is, byte for byte, what `onboard build` makes of it.
    let assert_as_built = || {
        let built = onboard::build::build(
            root,
            onboard::site::BuildOptions::default(),
            Default::default(),
        )
        .expect("the site builds")
        .output;
        assert_eq!(*server.output().expect("built"), built);
    };
    // Each save gives one build; once it is in, `output()` waits for the
    // pages that read every customer.
    let expect_incremental = |build: LogEvent| match build {
        LogEvent::Built {
            incremental,
            changed,
            warnings,
            ..
        } => {
            assert!(
                incremental,
                "tracker-only changes reload trackers alone: {changed:?}"
            );
            // Findings kept from before plus the edited trackers' are
            // what checking the whole site finds.
            let full = onboard::build::check(root, onboard::site::BuildOptions::default())
                .expect("the site reads");
            let json = |d: &onboard::diagnostics::Diagnostics| {
                serde_json::to_string_pretty(d).expect("JSON")
            };
            assert_eq!(json(&warnings), json(&full));
        }
        other => panic!("{other:?}"),
    };

    // Edit one tracker.
    write(
        root,
        "content/customers/acme.yaml",
        &TRACKER.replace("Acme Corp", "Acme Renamed"),
    );
    expect_incremental(next_build(&log));
    assert!(get(server.addr, "/").text().contains("Acme Renamed"));
    assert_as_built();

    // Add one, in a subfolder too.
    write(
        root,
        "content/customers/globex.yaml",
        &tracker("Globex", "globex"),
    );
    expect_incremental(next_build(&log));
    // A new folder could hold anything: that reloads everything. It is
    // made before its tracker, whose events could otherwise land in the
    // folder's rebuild or in one of their own when the machine is busy.
    std::fs::create_dir_all(root.join("content/customers/eu")).expect("create folder");
    assert!(matches!(next_build(&log), LogEvent::Built { .. }));
    write(
        root,
        "content/customers/eu/initech.yml",
        &tracker("Initech", "initech"),
    );
    assert!(matches!(next_build(&log), LogEvent::Built { .. }));
    write(
        root,
        "content/customers/eu/initech.yml",
        &tracker("Initech", "initech"),
    );
    expect_incremental(next_build(&log));
    let home = get(server.addr, "/").text();
    assert!(
        home.contains("Globex") && home.contains("Initech"),
        "{home}"
    );
    assert_as_built();

    // A duplicate slug is an error found across files, not in one file.
    write(root, "content/customers/globex.yaml", TRACKER);
    match next_build(&log) {
        LogEvent::Failed { diagnostics, .. } => {
            assert!(diagnostics.to_string().contains("acme"), "{diagnostics}")
        }
        other => panic!("{other:?}"),
    }
    std::fs::remove_file(root.join("content/customers/globex.yaml")).expect("remove");
    assert!(matches!(next_build(&log), LogEvent::Built { .. }));
    assert_as_built();

    // Break one, fix it: the other trackers are still there afterwards.
    write(
        root,
        "content/customers/eu/initech.yml",
        "customer: {name: [\n",
    );
    assert!(matches!(next_build(&log), LogEvent::Failed { .. }));
    write(
        root,
        "content/customers/eu/initech.yml",
        &tracker("Initech Again", "initech"),
    );
    assert!(matches!(next_build(&log), LogEvent::Built { .. }));
    let home = get(server.addr, "/").text();
    assert!(
        home.contains("Initech Again") && home.contains("Acme Renamed"),
        "{home}"
    );
    assert_as_built();

    // While one tracker is broken, another is edited: once the first is
    // fixed, both customers' pages are new, not only the last one saved.
    write(
        root,
        "content/customers/eu/initech.yml",
        "customer: {name: [\n",
    );
    assert!(matches!(next_build(&log), LogEvent::Failed { .. }));
    write(
        root,
        "content/customers/acme.yaml",
        &TRACKER
            .replace("Acme Corp", "Acme While Broken")
            .replace("status: blocked", "status: in_progress"),
    );
    assert!(matches!(next_build(&log), LogEvent::Failed { .. }));
    write(
        root,
        "content/customers/eu/initech.yml",
        &tracker("Initech Fixed", "initech"),
    );
    expect_incremental(next_build(&log));
    let acme = get(server.addr, "/customers/acme/").text();
    assert!(acme.contains("Acme While Broken"), "{acme}");
    assert_as_built();

    // Anything else reloads everything.
    write(root, "onboard.yaml", "title: Retitled\nas_of: 2026-01-25\n");
    match next_build(&log) {
        LogEvent::Built { incremental, .. } => assert!(!incremental),
        other => panic!("{other:?}"),
    }
    assert_as_built();
}

/// The paths listed in a `reload` event's data.
fn reload_paths(event: &Event) -> Vec<String> {
    let data: serde_json::Value = serde_json::from_str(&event.data).expect("JSON");
    data["paths"]
        .as_array()
        .unwrap_or_else(|| panic!("no paths: {}", event.data))
        .iter()
        .map(|p| p.as_str().expect("a path").to_string())
        .collect()
}

#[test]
fn a_tracker_edit_reloads_its_pages_then_the_pages_of_every_customer() {
    let site = fixture();
    let root = site.path();
    let hold = Arc::new(AtomicBool::new(true));
    let (sender, log) = mpsc::channel();
    let server = serve::start_holding_aggregates(config(root), hold.clone(), move |event| {
        let _ = sender.send(event);
    })
    .expect("the server starts");
    next_build(&log);
    let mut events = Events::open(server.addr);
    events.wait_for("hello");

    write(
        root,
        "content/customers/acme.yaml",
        &TRACKER.replace("Acme Corp", "Acme Renamed"),
    );
    let first = events.wait_for("reload");
    let own = reload_paths(&first);
    assert!(own.contains(&"/customers/acme/".to_string()), "{own:?}");
    assert!(
        own.iter()
            .all(|p| p.starts_with("/customers/acme/") || p.starts_with("/share/")),
        "only the customer's own files come first: {own:?}"
    );
    // Its own page is new at once, and files no tracker changes never wait.
    assert!(
        get(server.addr, "/customers/acme/")
            .text()
            .contains("Acme Renamed")
    );
    assert_eq!(get(server.addr, "/style.css").status, 200);
    assert_eq!(get(server.addr, "/extra.css").status, 200);

    // The home page lists every customer: asked for now, the request waits
    // for the new one rather than get the old.
    let addr = server.addr;
    let home = std::thread::spawn(move || get(addr, "/").text());
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !home.is_finished(),
        "a page that reads every customer is never served stale"
    );
    hold.store(false, Ordering::SeqCst);
    let home = home.join().expect("the request");
    assert!(home.contains("Acme Renamed"), "{home}");

    let second = events.wait_for("reload");
    let shared = reload_paths(&second);
    for page in ["/", "/customers/", "/data/customers.json"] {
        assert!(shared.contains(&page.to_string()), "{page}: {shared:?}");
    }
    assert!(
        !shared.iter().any(|p| p.starts_with("/customers/acme/")),
        "{shared:?}"
    );
    assert_ne!(first.data, second.data);
    let full = onboard::build::build(
        root,
        onboard::site::BuildOptions::default(),
        Default::default(),
    )
    .expect("the site builds")
    .output;
    assert_eq!(*server.output().expect("built"), full);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = fixture();
    let taken = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = taken.local_addr().expect("addr").port();
    let mut config = config(site.path());
    config.port = port;
    match serve::start(config, |_| {}) {
        Err(error @ ServeError::PortInUse { .. }) => {
            assert_eq!(
                error.to_string(),
                format!("port {port} is already in use; try --port {}", port + 1)
            );
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("started on a port in use"),
    }

    let run = assert_cmd::Command::cargo_bin("onboard")
        .expect("the binary")
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.path())
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!(
            "port {port} is already in use; try --port {}",
            port + 1
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_bad_bind_address_is_refused() {
    let site = fixture();
    let mut config = config(site.path());
    config.bind = "not-an-address".into();
    assert!(matches!(
        serve::start(config, |_| {}),
        Err(ServeError::InvalidBind { .. })
    ));
}

#[test]
fn event_streams_are_capped_and_closed_ones_free_their_slot() {
    let site = fixture();
    let mut config = config(site.path());
    config.heartbeat = Duration::from_millis(100);
    let (server, _log) = start_with(config);

    let mut tabs: Vec<Events> = (0..serve::events::MAX_CLIENTS)
        .map(|_| Events::open(server.addr))
        .collect();
    for tab in &mut tabs {
        assert_eq!(tab.next().name, "hello");
    }
    let refused = get(server.addr, "/__onboard/events");
    assert_eq!(refused.status, 503);
    assert_eq!(server.event_clients(), serve::events::MAX_CLIENTS);

    drop(tabs);
    let deadline = Instant::now() + WAIT;
    while server.event_clients() > 0 {
        assert!(
            Instant::now() < deadline,
            "{} streams still open",
            server.event_clients()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut again = Events::open(server.addr);
    assert_eq!(again.next().name, "hello");
}

#[test]
fn shutdown_ends_streams_and_frees_the_port() {
    let site = fixture();
    let (server, _log) = start(site.path());
    let addr = server.addr;
    let mut events = Events::open(addr);
    events.wait_for("hello");
    server.shutdown();
    assert!(events.next_before(Instant::now() + WAIT).is_none());
    assert!(events.ended, "the stream was ended, not left hanging");

    let deadline = Instant::now() + WAIT;
    while TcpListener::bind(addr).is_err() {
        assert!(Instant::now() < deadline, "the port is still taken");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------- browser

/// Drives headless Chromium over the DevTools protocol (pipe transport,
/// so no WebSocket library is needed). Steps come on stdin, one per line;
/// each answers one line on stdout.
const BROWSER_DRIVER: &str = r#"// Drives headless Chromium over the DevTools protocol (pipe transport) for
// the serve tests. Steps come on stdin, one per line; results go to stdout.
"use strict";
const { spawn } = require("child_process");
const readline = require("readline");

const [chromium, url, profile] = process.argv.slice(2);
const browser = spawn(chromium, [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-breakpad",
  "--disable-crash-reporter", "--disable-extensions",
  "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank",
], { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });

// Close the browser and wait for it, so no process outlives the test.
let quitting = false;
function quit(code) {
  if (quitting) return;
  quitting = true;
  browser.removeAllListeners("exit");
  browser.once("exit", () => process.exit(code));
  send("Browser.close").catch(() => {});
  setTimeout(() => browser.kill("SIGKILL"), 3000);
}
setTimeout(() => { console.log("fail: the driver timed out"); quit(1); }, 90000).unref();
browser.on("exit", () => { console.log("fail: chromium exited"); process.exit(1); });

let next = 0;
const pending = new Map();
let buffer = "";
browser.stdio[4].on("data", (chunk) => {
  buffer += chunk.toString("utf8");
  let end;
  while ((end = buffer.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    const waiter = pending.get(message.id);
    if (waiter) { pending.delete(message.id); waiter(message); }
  }
});
function send(method, params, sessionId) {
  return new Promise((resolve, reject) => {
    const id = ++next;
    pending.set(id, (m) => (m.error ? reject(new Error(method + ": " + JSON.stringify(m.error))) : resolve(m.result)));
    browser.stdio[3].write(JSON.stringify({ id, method, params: params || {}, sessionId }) + "\0");
  });
}

let session;
async function evaluate(expression) {
  const reply = await send("Runtime.evaluate", { expression, returnByValue: true }, session);
  if (reply.exceptionDetails) return undefined; // e.g. during a navigation
  return reply.result.value;
}
async function until(expression, what) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    try { if (await evaluate(expression)) return; } catch (e) { /* navigating */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting for " + what);
}

const OVERLAY = "document.getElementById('__onboard-overlay')";
const steps = {
  async open() {
    const { targetId } = await send("Target.createTarget", { url });
    ({ sessionId: session } = await send("Target.attachToTarget", { targetId, flatten: true }));
    await until("document.readyState === 'complete' && window.__onboardLiveReload === true", "the page");
    await evaluate("window.__marker = 'not reloaded'");
    return "opened";
  },
  async reloaded() {
    await until("window.__marker === undefined && document.readyState === 'complete'", "a reload");
    await evaluate("window.__marker = 'not reloaded'");
    return "reloaded " + await evaluate("JSON.stringify({ body: document.body.innerText, overlay: " + OVERLAY + " !== null })");
  },
  async overlay() {
    await until(OVERLAY + " !== null", "the error overlay");
    const report = await evaluate("JSON.stringify({ text: " + OVERLAY + ".textContent, tags: " + OVERLAY +
      ".querySelectorAll('b').length, marker: window.__marker, body: document.body.innerText })");
    return "overlay " + report;
  },
  async kept() {
    // Give a reload that should not come the time to come.
    await new Promise((r) => setTimeout(r, 1000));
    return "kept " + JSON.stringify(await evaluate("window.__marker"));
  },
  async customer() {
    await evaluate("location.href = '../../customers/acme/'");
    await until("location.pathname === '/customers/acme/' && document.readyState === 'complete' && window.__onboardLiveReload === true", "the customer page");
    await evaluate("window.__marker = 'not reloaded'");
    return "opened";
  },
  async restyled() {
    await until("[...document.querySelectorAll('link[rel~=stylesheet]')].every(l => l.href.includes('__onboard='))", "new stylesheets");
    return "restyled " + JSON.stringify(await evaluate("window.__marker"));
  },
};

readline.createInterface({ input: process.stdin }).on("line", async (line) => {
  const step = steps[line.trim()];
  if (!step) { console.log("fail: unknown step " + line); return quit(1); }
  try { console.log(await step()); } catch (e) { console.log("fail: " + e.message); quit(1); }
}).on("close", () => quit(0));
"#;

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// A headless browser on a served page: reload after an edit, stylesheets
/// swapped in place, the overlay with the error (its text never parsed as
/// HTML) over the last good page, and gone once the file is fixed.
#[test]
fn a_browser_reloads_restyles_and_shows_the_overlay() {
    let chromium = find_program(&[
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]);
    let (Some(chromium), Some(node)) = (chromium, find_program(&["node"])) else {
        eprintln!("skipped: this test needs chromium and node on PATH");
        return;
    };
    let site = fixture();
    let (server, log) = start(site.path());
    let work = tempfile::tempdir().expect("temp dir");
    std::fs::write(work.path().join("drive.js"), BROWSER_DRIVER).expect("write the driver");
    let mut driver = std::process::Command::new(node)
        .arg(work.path().join("drive.js"))
        .arg(chromium)
        .arg(format!("{}pages/a/", server.url()))
        .arg(work.path().join("profile"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("node starts");
    let mut to_driver = driver.stdin.take().expect("stdin");
    let from_driver = driver.stdout.take().expect("stdout");
    let (lines, replies) = mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(from_driver)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let mut step = |name: &str| -> String {
        writeln!(to_driver, "{name}").expect("send a step");
        let reply = replies
            .recv_timeout(Duration::from_secs(60))
            .expect("the driver answers");
        assert!(!reply.starts_with("fail"), "{name}: {reply}");
        reply
    };
    let json_after = |reply: &str, word: &str| -> serde_json::Value {
        serde_json::from_str(reply.strip_prefix(word).expect("the step's answer")).expect("JSON")
    };

    assert_eq!(step("open"), "opened");
    let deadline = Instant::now() + WAIT;
    while server.event_clients() == 0 {
        assert!(
            Instant::now() < deadline,
            "the page never connected to the event stream"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    write(site.path(), "static/extra.css", "body { color: #333; }\n");
    assert_eq!(
        step("restyled"),
        "restyled \"not reloaded\"",
        "stylesheets swap without a reload"
    );

    write(
        site.path(),
        "content/pages/a.md",
        "# Page A\n\nThe edited text.\n",
    );
    let reloaded = json_after(&step("reloaded"), "reloaded ");
    assert!(
        reloaded["body"]
            .as_str()
            .is_some_and(|b| b.contains("The edited text.")),
        "{reloaded}"
    );

    write(
        site.path(),
        "content/customers/acme.yaml",
        "customer:\n  name: Acme\n  \"<b>bold</b>\": 1\nmilestones: []\n",
    );
    let overlay = json_after(&step("overlay"), "overlay ");
    let text = overlay["text"].as_str().expect("overlay text");
    assert!(text.contains("content/customers/acme.yaml:3:3"), "{text}");
    assert!(text.contains("unknown field `<b>bold</b>`"), "{text}");
    assert!(text.contains("help: "), "{text}");
    assert_eq!(
        overlay["tags"], 0,
        "diagnostic text is never parsed as HTML"
    );
    assert_eq!(overlay["marker"], "not reloaded");
    assert!(
        overlay["body"]
            .as_str()
            .is_some_and(|b| b.contains("The edited text.")),
        "the last good page stays"
    );

    write(site.path(), "content/customers/acme.yaml", TRACKER);
    let fixed = json_after(&step("reloaded"), "reloaded ");
    assert_eq!(fixed["overlay"], false, "{fixed}");

    // A tracker edit reloads the pages it changed, and no other.
    while log.try_recv().is_ok() {}
    write(
        site.path(),
        "content/customers/acme.yaml",
        &TRACKER.replace("Acme Corp", "Acme Elsewhere"),
    );
    assert!(matches!(next_build(&log), LogEvent::Built { .. }));
    assert_eq!(step("kept"), "kept \"not reloaded\"");
    assert_eq!(step("customer"), "opened");
    write(
        site.path(),
        "content/customers/acme.yaml",
        &TRACKER.replace("Acme Corp", "Acme Here"),
    );
    let reloaded = json_after(&step("reloaded"), "reloaded ");
    assert!(
        reloaded["body"]
            .as_str()
            .is_some_and(|b| b.contains("Acme Here")),
        "{reloaded}"
    );

    drop(to_driver);
    let deadline = Instant::now() + WAIT;
    while driver.try_wait().expect("the driver's status").is_none() {
        if Instant::now() > deadline {
            let _ = driver.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_shows_drafts_unless_told_not_to() {
    let site = fixture();
    write(
        site.path(),
        "content/pages/wip.md",
        "---\ndraft: true\n---\n# Work in progress\n\nNot yet published.\n",
    );
    let (server, _log) = start(site.path());
    let shown = get(server.addr, "/pages/wip/");
    assert_eq!(shown.status, 200);
    assert!(
        shown.text().contains("Not yet published."),
        "{}",
        shown.text()
    );
    drop(server);

    let mut hidden = config(site.path());
    hidden.build.drafts = false;
    let (server, _log) = start_with(hidden);
    assert_eq!(get(server.addr, "/pages/wip/").status, 404);
    assert_eq!(get(server.addr, "/pages/a/").status, 200);
}
