//! Request targets → keys of the in-memory output, confined to it.
//!
//! The server never touches the file system to answer a request, so a path
//! cannot escape the output by construction; this module still refuses
//! anything that tries (`..`, encoded separators, backslashes, NUL,
//! absolute-form targets) with a 400, so such requests are visible as what
//! they are instead of quietly turning into 404s.

/// A request target the server will look up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The live-reload event stream.
    Events,
    /// Another reserved `/__onboard/` path: always a 404.
    Reserved,
    /// A file of the site.
    File {
        /// The output key to look up, such as `sops/kickoff/index.html`.
        key: String,
        /// The key named a folder (`/` or `/sops/kickoff/`); `key` already
        /// ends in `index.html`.
        folder: bool,
        /// The path as requested, without query or fragment, still encoded:
        /// what a redirect to `path/` is built from.
        raw_path: String,
    },
}

/// Why a target was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadTarget(pub &'static str);

/// The path under which `serve` answers itself rather than the site.
pub const RESERVED_PREFIX: &str = "__onboard/";

/// Where the injected script listens.
pub const EVENTS_PATH: &str = "/__onboard/events";

/// Parses the request target of a GET or HEAD request.
pub fn parse(raw: &str) -> Result<Target, BadTarget> {
    // Only origin-form targets (`/path?query`); absolute-form
    // (`http://host/path`) and `*` are for proxies and OPTIONS.
    if !raw.starts_with('/') {
        return Err(BadTarget(
            "the request target must be a path starting with /",
        ));
    }
    let end = raw.find(['?', '#']).unwrap_or(raw.len());
    let raw_path = &raw[..end];
    let decoded = percent_decode(raw_path)?;
    let path = decoded.strip_prefix('/').unwrap_or(&decoded);

    let mut segments = Vec::new();
    for segment in path.split('/') {
        if segment == ".." || segment == "." {
            return Err(BadTarget("dot segments are not allowed"));
        }
        segments.push(segment);
    }
    let folder = path.is_empty() || path.ends_with('/');
    let mut key = segments.join("/");
    if key.starts_with(RESERVED_PREFIX) {
        return Ok(if key == EVENTS_PATH[1..] {
            Target::Events
        } else {
            Target::Reserved
        });
    }
    if folder {
        key.push_str("index.html");
    }
    Ok(Target::File {
        key,
        folder,
        raw_path: raw_path.to_string(),
    })
}

/// Decodes `%XX` escapes once; refuses malformed escapes, encoded `/`,
/// any backslash or NUL, and bytes that are not UTF-8.
fn percent_decode(raw: &str) -> Result<String, BadTarget> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let high = bytes.get(index + 1).and_then(|b| hex_value(*b));
            let low = bytes.get(index + 2).and_then(|b| hex_value(*b));
            let (Some(high), Some(low)) = (high, low) else {
                return Err(BadTarget("malformed percent escape"));
            };
            let decoded = high * 16 + low;
            // An encoded `/` would let one segment stand for two; a name
            // in the output never contains one.
            if decoded == b'/' {
                return Err(BadTarget("encoded slashes are not allowed"));
            }
            out.push(decoded);
            index += 3;
        } else {
            out.push(byte);
            index += 1;
        }
    }
    if out.contains(&0) {
        return Err(BadTarget("NUL bytes are not allowed"));
    }
    if out.contains(&b'\\') {
        return Err(BadTarget("backslashes are not allowed"));
    }
    String::from_utf8(out).map_err(|_| BadTarget("the path is not UTF-8"))
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// The `Content-Type` for an output path, by extension.
pub fn content_type(key: &str) -> &'static str {
    let extension = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("xml") => "application/xml",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(key: &str) -> Target {
        match parse(key) {
            Ok(Target::File { key, .. }) => Target::File {
                key,
                folder: false,
                raw_path: String::new(),
            },
            other => panic!("{key}: {other:?}"),
        }
    }

    fn key(target: &str) -> String {
        match file(target) {
            Target::File { key, .. } => key,
            _ => unreachable!(),
        }
    }

    #[test]
    fn folders_map_to_their_index() {
        assert_eq!(key("/"), "index.html");
        assert_eq!(key("/sops/kickoff/"), "sops/kickoff/index.html");
        assert_eq!(key("/sops/kickoff/?x=1#top"), "sops/kickoff/index.html");
        assert_eq!(key("/style.css?v=3"), "style.css");
        assert!(matches!(
            parse("/sops/kickoff"),
            Ok(Target::File { folder: false, .. })
        ));
    }

    #[test]
    fn escapes_are_decoded_once() {
        assert_eq!(key("/pages/caf%C3%A9/"), "pages/café/index.html");
        assert_eq!(key("/a%20b.txt"), "a b.txt");
        // `%252e` is the literal text `%2e`, not a dot: looked up as is.
        assert_eq!(key("/%252e%252e/x"), "%2e%2e/x");
    }

    #[test]
    fn traversal_and_odd_bytes_are_refused() {
        for bad in [
            "/../Cargo.toml",
            "/sops/../../etc/passwd",
            "/%2e%2e/",
            "/%2E%2E/onboard.yaml",
            "/.%2e/x",
            "/..%2fonboard.yaml",
            "/a%2Fb",
            "/a%00b",
            "/%5c..%5c",
            "/a\\b",
            "/./index.html",
            "/%zz",
            "/%e",
            "/%ff",
            "http://example.com/",
            "*",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad} was accepted: {:?}", parse(bad));
        }
    }

    #[test]
    fn the_event_stream_is_reserved() {
        assert_eq!(parse("/__onboard/events"), Ok(Target::Events));
        assert_eq!(parse("/__onboard/events?x"), Ok(Target::Events));
        assert_eq!(parse("/__onboard/other"), Ok(Target::Reserved));
        assert_eq!(parse("/__onboard/"), Ok(Target::Reserved));
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("data/kpis.csv"), "text/csv; charset=utf-8");
        assert_eq!(
            content_type("customers/acme/milestones.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("data/customers.json"), "application/json");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
