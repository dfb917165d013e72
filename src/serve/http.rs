//! Answers HTTP requests from the last good build, held in memory.
//!
//! Nothing here reads the file system: a request can only ever get a file
//! of the built output, the live-reload stream, or an error. HTML gets the
//! live-reload script just before `</body>` as it is sent; the output
//! itself never contains it.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::Shared;
use super::events::{Framing, Refused};
use super::url::{self, BadTarget, Target};

/// The script, with `__ONBOARD_BUILD__` standing for the page's build id.
const SCRIPT: &str = include_str!("livereload.js");

/// The `<script>` element for pages of build `build_id` (`None`: the
/// page shown before any build succeeded).
pub fn script_tag(build_id: Option<&str>) -> String {
    let id = build_id.map_or_else(
        || "null".to_string(),
        |id| serde_json::Value::from(id).to_string(),
    );
    format!(
        "<script>\n{}</script>\n",
        SCRIPT.replace("__ONBOARD_BUILD__", &id)
    )
}

/// Inserts `tag` before the last `</body>` (any case), or at the end.
pub fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|window| window.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Takes requests until the server stops.
pub(super) fn work(http: Arc<tiny_http::Server>, shared: Arc<Shared>) {
    while !shared.stopping.load(Ordering::SeqCst) {
        match http.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(request)) => handle(request, &shared),
            Ok(None) => {}
            Err(error) => {
                (shared.log)(super::LogEvent::Problem {
                    message: format!("the HTTP server stopped accepting connections: {error}"),
                });
                return;
            }
        }
    }
}

fn handle(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = text(405, "only GET and HEAD are supported\n")
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    if shared.loopback_hosts_only && !is_loopback_host(&request) {
        let _ = request.respond(text(
            403,
            "this server only answers requests for localhost\n",
        ));
        return;
    }
    let response = match url::parse(request.url()) {
        Err(BadTarget(why)) => text(400, &format!("bad request: {why}\n")),
        Ok(Target::Events) => return events(request, shared),
        Ok(Target::Reserved) => text(404, "not found\n"),
        Ok(Target::File {
            key,
            folder,
            raw_path,
        }) => file(shared, &key, folder, &raw_path),
    };
    let _ = request.respond(response);
}

/// Whether the `Host` header names this machine (`localhost`,
/// `*.localhost`, a loopback IP), with any port. A browser always sends
/// one; a page whose own domain was rebound to 127.0.0.1 sends its domain.
fn is_loopback_host(request: &Request) -> bool {
    let Some(host) = request.headers().iter().find(|h| h.field.equiv("Host")) else {
        return true;
    };
    host_is_loopback(host.value.as_str())
}

fn host_is_loopback(value: &str) -> bool {
    let host = match value.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => value.rsplit_once(':').map_or(value, |(host, _port)| host),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

type Body = Response<std::io::Cursor<Vec<u8>>>;

fn file(shared: &Shared, key: &str, folder: bool, raw_path: &str) -> Body {
    let served = shared.served_for(key);
    if !served.built {
        // Every path gets the errors until the site builds; the page
        // already carries the script.
        let failure = served.failure_page.clone();
        drop(served);
        return page(500, "error.html", failure.as_bytes().to_vec(), None);
    }
    let script = served.script.clone();
    if let Some(bytes) = served.files.get(key).cloned() {
        drop(served);
        return page(200, key, bytes.to_vec(), Some(&script));
    }
    // `/sops/kickoff` → `/sops/kickoff/`, so that relative links resolve.
    let index = format!("{key}/index.html");
    let served = if served.must_wait(&index) {
        drop(served);
        shared.served_for(&index)
    } else {
        served
    };
    if !folder && served.files.contains_key(&index) {
        return text(301, "moved\n").with_header(header("Location", &format!("{raw_path}/")));
    }
    let served = if served.must_wait("404.html") {
        drop(served);
        shared.served_for("404.html")
    } else {
        served
    };
    let script = served.script.clone();
    match served.files.get("404.html").cloned() {
        Some(bytes) => {
            drop(served);
            page(404, "404.html", bytes.to_vec(), Some(&script))
        }
        None => text(404, "not found\n"),
    }
}

fn page(status: u16, key: &str, bytes: Vec<u8>, script: Option<&str>) -> Body {
    let content_type = url::content_type(key);
    let bytes = match script {
        Some(tag) if content_type.starts_with("text/html") => inject(&bytes, tag),
        _ => bytes,
    };
    Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_chunked_threshold(usize::MAX)
}

fn text(status: u16, body: &str) -> Body {
    page(status, "response.txt", body.as_bytes().to_vec(), None)
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

fn events(request: Request, shared: &Shared) {
    let subscription = match shared.hub.connect() {
        Ok(subscription) => subscription,
        Err(refused) => {
            let why = match refused {
                Refused::TooMany => "too many live-reload connections; close some tabs\n",
                Refused::ShuttingDown => "the server is stopping\n",
            };
            let _ = request.respond(text(503, why).with_header(header("Retry-After", "5")));
            return;
        }
    };
    let version = request.http_version();
    let framing = if (version.0, version.1) >= (1, 1) {
        Framing::Chunked
    } else {
        Framing::Raw
    };
    let writer = request.into_writer();
    // If the thread cannot start, the subscription is dropped with the
    // closure and its slot given back.
    let _ = std::thread::Builder::new()
        .name("onboard-events".into())
        .stack_size(128 * 1024)
        .spawn(move || subscription.run(writer, framing));
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The page served for every path while no build has succeeded yet.
pub fn failure_page(diagnostics: &str) -> String {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>The site does not build · onboard serve</title></head>\n\
         <body style=\"font:15px/1.5 system-ui,sans-serif;margin:2rem;\">\n<h1>The site does not build yet</h1>\n\
         <p>Fix the problems below and save: this page reloads by itself when the site builds.</p>\n\
         <pre style=\"white-space:pre-wrap;\">{}</pre>\n</body>\n</html>\n",
        escape(diagnostics)
    );
    String::from_utf8(inject(page.as_bytes(), &script_tag(None))).expect("UTF-8 in, UTF-8 out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end_tag() {
        let html = b"<html><body><p>x</p><code></body></code></BODY></html>";
        let out = String::from_utf8(inject(html, "<script></script>")).expect("utf-8");
        assert_eq!(
            out,
            "<html><body><p>x</p><code></body></code><script></script></BODY></html>"
        );
        assert_eq!(inject(b"<p>no body</p>", "<s>"), b"<p>no body</p><s>");
    }

    #[test]
    fn the_script_carries_the_build_id_and_never_uses_inner_html() {
        let tag = script_tag(Some("b-\"7"));
        assert!(tag.contains(r#"})("b-\"7");"#), "{tag}");
        assert!(tag.contains("/__onboard/events"));
        assert!(!tag.contains("innerHTML"));
        assert!(script_tag(None).contains("})(null);"));
        assert_eq!(tag.matches("</script>").count(), 1);
    }

    #[test]
    fn only_loopback_hosts_are_answered() {
        for host in [
            "127.0.0.1:1111",
            "localhost",
            "LOCALHOST:80",
            "docs.localhost:1111",
            "[::1]:1111",
            "127.0.0.2",
        ] {
            assert!(host_is_loopback(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "10.0.0.1:1111",
            "[::2]",
            "",
        ] {
            assert!(!host_is_loopback(host), "{host}");
        }
    }

    #[test]
    fn the_failure_page_escapes_diagnostics() {
        let page = failure_page("error: <script>alert(1)</script> & more");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
        assert!(page.contains("/__onboard/events"));
    }
}
