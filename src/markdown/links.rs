//! Link targets: site-root links made relative, hrefs of output paths,
//! and what a text would make its page load from outside the site.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use pulldown_cmark::{Event, Parser, Tag};

use super::{options, sanitizer, sanitizer_builder};

/// Rewrites a site-root link to a relative one naming the file, and drops
/// script-capable schemes.
pub fn rewrite_url(url: &str, root: &str) -> String {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || lower.starts_with("data:")
    {
        return "#".to_string();
    }
    if trimmed.starts_with('/') && !trimmed.starts_with("//") {
        return relative_to_root(&trimmed[1..], root);
    }
    trimmed.to_string()
}

/// `sops/kickoff/#x` seen from `root` → `{root}sops/kickoff/index.html#x`.
pub fn relative_to_root(path: &str, root: &str) -> String {
    let (path, fragment) = match path.find(['#', '?']) {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, ""),
    };
    let mut out = String::with_capacity(root.len() + path.len() + 12 + fragment.len());
    out.push_str(root);
    out.push_str(path);
    if path.is_empty() || path.ends_with('/') {
        out.push_str("index.html");
    } else if !path.rsplit('/').next().unwrap_or("").contains('.') {
        out.push_str("/index.html");
    }
    out.push_str(fragment);
    out
}

/// The bytes of a path segment that an href keeps as they are: RFC 3986's
/// unreserved characters. `/` separates segments and stays too.
const HREF_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The href of an output path, percent-encoded so that a browser reads it
/// back as that path: `pages/über ?#/index.html` becomes
/// `pages/%C3%BCber%20%3F%23/index.html`, where a raw `?` or `#` would
/// start a query or a fragment. Paths of plain slugs come back unchanged.
pub fn href(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, HREF_KEEPS).into()
}

/// Whether a URL starts with a scheme such as `https:` or `mailto:`.
pub fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Whether a browser would fetch `url` from outside the site: it has a
/// scheme (`https:`, `http:`, ...) or starts with `//`. Browsers drop tabs
/// and line breaks from URLs and read `\` as `/`, so this does too.
pub fn is_outside_the_site(url: &str) -> bool {
    let url: String = url
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    url.starts_with("//") || has_scheme(&url)
}

/// What a Markdown text would make its page load from outside the site,
/// with the byte offset where each is written: images (`![x](https://…)`)
/// and the resources of raw HTML that sanitising keeps (an `<img src>`; a
/// `<script>` or `<iframe>` is removed, so it loads nothing). Links the
/// reader follows are not resources.
pub fn external_resources(markdown: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    // Only an image or raw HTML loads anything.
    if !markdown.contains("![") && !markdown.contains('<') {
        return found;
    }
    let mut raw_html = RawHtmlResources::default();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            // What the page holds is the rewritten URL: `data:` and script
            // URLs are dropped.
            Event::Start(Tag::Image { dest_url, .. })
                if is_outside_the_site(&rewrite_url(&dest_url, "")) =>
            {
                found.push((dest_url.trim().to_string(), range.start));
            }
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => {
                raw_html.find(&markdown[range.clone()], range.start, &mut found);
            }
            _ => {}
        }
    }
    found.sort_by_key(|(_, at)| *at);
    found
}

/// Finds the resources in raw HTML: it is sanitised as the renderer does,
/// then read again by a sanitiser that notes the resource attributes.
#[derive(Default)]
struct RawHtmlResources {
    /// The noting sanitiser and what it noted; made at the first raw HTML.
    collector: Option<(ammonia::Builder<'static>, Arc<Mutex<Vec<String>>>)>,
}

impl RawHtmlResources {
    fn find(&mut self, html: &str, offset: usize, found: &mut Vec<(String, usize)>) {
        let (collector, noted) = self.collector.get_or_insert_with(|| {
            let noted = Arc::new(Mutex::new(Vec::new()));
            let sink = noted.clone();
            let mut builder = sanitizer_builder();
            builder.attribute_filter(move |element, attribute, value| {
                if loads_resource(element, attribute)
                    && let Ok(mut sink) = sink.lock()
                {
                    sink.extend(resource_urls(attribute, value).map(str::to_string));
                }
                Some(value.into())
            });
            (builder, noted)
        });
        // The filter also sees attributes of elements that sanitising then
        // removes (a `<script src>`): noting them in what the renderer's
        // sanitiser kept leaves only what the page will hold.
        let kept = sanitizer().clean(html).to_string();
        let _ = collector.clean(&kept);
        let Ok(mut noted) = noted.lock() else { return };
        for url in noted.drain(..) {
            if is_outside_the_site(&url) {
                // Point at the URL itself when it is written as read.
                let at = html.find(url.as_str()).map_or(offset, |i| offset + i);
                found.push((url, at));
            }
        }
    }
}

/// Whether `attribute` of `element` names something the page loads, as
/// opposed to a link the reader may follow.
fn loads_resource(element: &str, attribute: &str) -> bool {
    match attribute {
        "src" | "srcset" | "poster" | "data" | "background" => true,
        "href" | "xlink:href" => !matches!(element, "a" | "area"),
        _ => false,
    }
}

/// The URLs of a resource attribute: `srcset` lists candidates such as
/// `a.png 1x, b.png 2x`; the others hold one URL.
fn resource_urls<'v>(attribute: &str, value: &'v str) -> impl Iterator<Item = &'v str> {
    let candidates: Vec<&str> = if attribute == "srcset" {
        value
            .split(',')
            .filter_map(|candidate| candidate.split_whitespace().next())
            .collect()
    } else {
        vec![value.trim()]
    };
    candidates.into_iter().filter(|url| !url.is_empty())
}
