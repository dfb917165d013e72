//! Markdown → safe HTML.
//!
//! pulldown-cmark with tables, footnotes, task lists, strikethrough and
//! heading attributes. Headings get slug ids (deduplicated per document);
//! site-root links (`/sops/kickoff/`) become relative links that name the
//! file (`../../sops/kickoff/index.html`) so the output works from
//! `file://`. Text is escaped by pulldown-cmark; when a document holds raw
//! HTML the whole result goes through ammonia, and link targets with
//! script-capable schemes are dropped either way.
//!
//! Output paths become hrefs through [`href`], and [`external_resources`]
//! finds what a text would make its page load from outside the site.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// The Markdown extensions onboard enables.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading found while rendering, for tables of contents.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Plain text.
    pub text: String,
}

/// Rendered HTML and the headings it contains.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// Safe HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Every link target, after rewriting (for link checks).
    pub links: Vec<String>,
}

/// Renders Markdown for a page whose path back to the site root is `root`
/// (`""` at the top, `"../../"` two folders down).
pub fn render(markdown: &str, root: &str) -> Rendered {
    render_nested(markdown, root, 0)
}

/// Renders Markdown that stands under headings of the page: its headings
/// move `depth` levels down (a body's `#` becomes `<h2>` with depth 1), so
/// a page keeps one `<h1>` and an ordered outline.
pub fn render_nested(markdown: &str, root: &str, depth: u8) -> Rendered {
    render_on_page(markdown, root, depth, &mut PageIds::default())
}

/// [`render_nested`] for one of several texts shown on one page: heading
/// ids are taken from `ids`, so that no id repeats an id given to an
/// earlier text of the page or to the page itself.
pub fn render_on_page(markdown: &str, root: &str, depth: u8, ids: &mut PageIds) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let mut has_raw_html = false;
    let mut headings = Vec::new();
    let mut links = Vec::new();
    // The ids this text's headings asked for and did not get because an
    // earlier text of the page holds them → the ids they got instead.
    let mut moved: Vec<(String, String)> = Vec::new();
    let mut fragment_links = Vec::new();

    for i in 0..events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = (heading_level(*level) + depth).min(6);
            let text = heading_text(&events[i + 1..]);
            let wanted = wanted_id(id.as_ref().map(|id| id.to_string()), &text);
            let unique = ids.claim(&wanted);
            if unique != wanted && !headings.iter().any(|h: &Heading| h.id == wanted) {
                moved.push((wanted, unique.clone()));
            }
            if let Event::Start(Tag::Heading {
                id,
                level: tag_level,
                ..
            }) = &mut events[i]
            {
                *id = Some(CowStr::from(unique.clone()));
                *tag_level = level_of(level);
            }
            headings.push(Heading {
                level,
                id: unique,
                text,
            });
            continue;
        }
        match &mut events[i] {
            // Headings cannot nest, so an end belongs to the last start.
            Event::End(TagEnd::Heading(end)) => {
                *end = level_of((heading_level(*end) + depth).min(6));
            }
            Event::Html(_) | Event::InlineHtml(_) => has_raw_html = true,
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let rewritten = rewrite_url(dest_url, root);
                if rewritten.starts_with('#') {
                    fragment_links.push((i, links.len()));
                }
                links.push(rewritten.clone());
                *dest_url = CowStr::from(rewritten);
            }
            _ => {}
        }
    }
    // A text's bare `#anchor` means its own heading, wherever on the page
    // that heading's id had to move.
    for (event, link) in fragment_links {
        let Some((_, given)) = moved
            .iter()
            .find(|(wanted, _)| links[link][1..] == **wanted)
        else {
            continue;
        };
        links[link] = format!("#{given}");
        if let Event::Start(Tag::Link { dest_url, .. }) = &mut events[event] {
            *dest_url = CowStr::from(links[link].clone());
        }
    }

    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if has_raw_html {
        out = sanitizer().clean(&out).to_string();
    }
    Rendered {
        html: out,
        headings,
        links,
    }
}

/// [`render_nested`] for Markdown whose [`outline`] is at hand: its
/// headings take their ids and text from it, so the events stream from
/// the parser into the HTML without being collected or read twice.
pub fn render_outlined(markdown: &str, outline: &Outline, root: &str, depth: u8) -> Rendered {
    let mut has_raw_html = false;
    let mut next_heading = outline.headings.iter();
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: level_of((heading_level(level) + depth).min(6)),
            // The outline read the same text, so it has every heading.
            id: next_heading
                .next()
                .map(|heading| CowStr::Borrowed(heading.id.as_str()))
                .or(id),
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(level_of(
            (heading_level(level) + depth).min(6),
        ))),
        Event::Html(_) | Event::InlineHtml(_) => {
            has_raw_html = true;
            event
        }
        Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
            if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                *dest_url = CowStr::from(rewrite_url(dest_url, root));
            }
            Event::Start(tag)
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    if has_raw_html {
        out = sanitizer().clean(&out).to_string();
    }
    Rendered {
        html: out,
        headings: outline
            .headings
            .iter()
            .map(|h| Heading {
                level: (h.level + depth).min(6),
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect(),
        links: Vec::new(),
    }
}

/// The id a heading asks for: its explicit id or the slug of its text.
fn wanted_id(explicit: Option<String>, text: &str) -> String {
    let wanted = explicit.unwrap_or_else(|| crate::model::slugify(text));
    if wanted.is_empty() {
        "section".to_string()
    } else {
        wanted
    }
}

/// The anchor ids [`render`] gives the headings of a document, without
/// rendering it (for link checks).
pub fn heading_ids(markdown: &str) -> Vec<String> {
    heading_ids_on_page(markdown, &mut PageIds::default())
}

/// The anchor ids [`render_on_page`] gives the headings of a document with
/// the same `ids`, without rendering it (for link checks).
pub fn heading_ids_on_page(markdown: &str, ids: &mut PageIds) -> Vec<String> {
    outline_with(markdown, ids)
        .headings
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// The ids given out on one page that shows several Markdown texts (an
/// SOP page: its steps' bodies and its own body), so that two texts with
/// the same heading do not give the page two elements with one id: a
/// repeated heading gets `-1`, `-2`... in the order the texts are given
/// out, which is the order they are shown.
#[derive(Clone, Debug, Default)]
pub struct PageIds {
    /// The ids of the page's own elements (a fixed list per kind of page,
    /// so that a page without Markdown costs nothing).
    reserved: &'static [&'static str],
    /// The ids given out so far, and the page's ids that vary by document.
    used: HashSet<String>,
}

/// The ids the default theme's SOP page gives its own elements
/// (`sop.html`, `partials/sop_toc.html`, `partials/kpi_table.html` and
/// the header), which headings must not take.
const SOP_PAGE_IDS: &[&str] = &[
    "main",
    "site-search",
    "toc-title",
    "sop-title",
    "sop-prerequisites",
    "sop-prerequisites-title",
    "sop-definitions",
    "sop-definitions-title",
    "sop-roles",
    "sop-roles-title",
    "sop-steps",
    "sop-steps-title",
    "sop-checklist",
    "sop-checklist-title",
    "sop-quality",
    "sop-quality-title",
    "sop-kpis",
    "sop-kpis-title",
    "sop-guidance",
    "sop-used-by",
    "sop-used-by-title",
    "sop-revisions",
    "sop-revisions-title",
    "sop-approvals",
    "sop-approvals-title",
];

/// The ids the default theme's playbook page gives its own elements
/// (`playbook.html`, `partials/phase_timeline.html`, `partials/agenda.html`
/// and the header), which headings must not take.
const PLAYBOOK_PAGE_IDS: &[&str] = &[
    "main",
    "site-search",
    "toc-title",
    "playbook-title",
    "pb-timeline",
    "pb-timeline-title",
    "pb-milestones",
    "pb-milestones-title",
    "pb-plan-by-tier",
    "pb-plan-by-tier-title",
    "pb-defaults",
    "pb-defaults-title",
    "pb-agenda-title",
    "pb-kickoff",
    "pb-kickoff-title",
    "pb-do-dont",
    "pb-do-dont-title",
    "pb-pitfalls",
    "pb-pitfalls-title",
    "pb-checklist",
    "pb-checklist-title",
    "pb-customers",
    "pb-customers-title",
    "pb-notes",
];

impl PageIds {
    /// The ids of a page whose own elements take `reserved`, before its
    /// Markdown texts are given out in the order the page shows them.
    pub fn reserving(reserved: &'static [&'static str]) -> PageIds {
        PageIds {
            reserved,
            used: HashSet::new(),
        }
    }

    /// `wanted`, or the first of `wanted-1`, `wanted-2`... that the page
    /// does not hold yet; from now on held.
    fn claim(&mut self, wanted: &str) -> String {
        let mut unique = wanted.to_string();
        let mut n = 1;
        while self.reserved.contains(&unique.as_str()) || self.used.contains(&unique) {
            unique = format!("{wanted}-{n}");
            n += 1;
        }
        self.used.insert(unique.clone());
        unique
    }

    /// The ids of a playbook page before its Markdown is rendered: the
    /// page's own elements, each phase (its id) and the boxes of its
    /// checklist. The phase summaries are then given out in order, and the
    /// playbook's body last, as the page shows them.
    pub fn for_playbook(playbook: &crate::model::Playbook, phase_ids: &[String]) -> PageIds {
        let mut ids = PageIds::reserving(PLAYBOOK_PAGE_IDS);
        ids.used.extend(phase_ids.iter().cloned());
        ids.used
            .extend((1..=playbook.checklist.len()).map(|n| format!("check-playbook-{n}")));
        ids
    }

    /// The ids of an SOP page before its Markdown is rendered: the page's
    /// own elements, and for each step its section (the step id), its
    /// title and checklist heading (`partials/step.html`) and the boxes of
    /// the checklists (`partials/checklist.html`). The step bodies are then
    /// given out in order, and the SOP's body last, as the page shows them.
    pub fn for_sop(sop: &crate::model::Sop, step_ids: &[String]) -> PageIds {
        let mut ids = PageIds::reserving(SOP_PAGE_IDS);
        let used = &mut ids.used;
        let boxes = |key: &str, count: usize| -> Vec<String> {
            (1..=count).map(|n| format!("check-{key}-{n}")).collect()
        };
        used.extend(boxes("completion", sop.checklist.len()));
        for (step, id) in sop.steps.iter().zip(step_ids) {
            used.extend([
                id.clone(),
                format!("{id}-title"),
                format!("{id}-checklist-title"),
            ]);
            used.extend(boxes(&format!("step-{id}"), step.checklist.len()));
        }
        ids
    }
}

/// What link checks and search need of a Markdown text, read in one
/// parse: a page's body is outlined once and rendered once, not parsed
/// again by every stage that looks at it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    /// Headings in order, at their written levels, with the ids that
    /// [`render`] gives them.
    pub headings: Vec<Heading>,
    /// Link and image targets as written, with the byte offset of each
    /// link; e-mail addresses and autolinks are left out.
    pub links: Vec<(String, usize)>,
    /// The plain text, each block ending in a space or a full stop.
    pub text: String,
    /// The text of the headings, each ending in a full stop.
    pub heading_text: String,
}

impl Outline {
    /// The plain text of the first heading, for pages without a title.
    pub fn first_heading(&self) -> Option<&str> {
        let first = self.headings.first()?;
        (!first.text.is_empty()).then_some(first.text.as_str())
    }
}

/// Outlines a Markdown text (see [`Outline`]).
pub fn outline(markdown: &str) -> Outline {
    outline_with(markdown, &mut PageIds::default())
}

/// [`outline`] with heading ids unique among those `ids` holds as well.
fn outline_with(markdown: &str, ids: &mut PageIds) -> Outline {
    let mut outline = Outline {
        text: String::with_capacity(markdown.len()),
        ..Outline::default()
    };
    // The heading being read: level, explicit id, text.
    let mut heading: Option<(u8, Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Text(t) | Event::Code(t) => {
                outline.text.push_str(&t);
                if let Some((_, _, text)) = &mut heading {
                    text.push_str(&t);
                    outline.heading_text.push_str(&t);
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    heading_level(level),
                    id.map(|id| id.to_string()),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let id = ids.claim(&wanted_id(explicit, &text));
                    outline.headings.push(Heading { level, id, text });
                }
                outline.heading_text.push_str(". ");
                if !outline.text.ends_with(' ') {
                    outline.text.push_str(". ");
                }
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            })
            | Event::Start(Tag::Image {
                dest_url,
                link_type,
                ..
            }) if !matches!(
                link_type,
                LinkType::Email | LinkType::Autolink | LinkType::WikiLink { .. }
            ) =>
            {
                outline.links.push((dest_url.to_string(), range.start));
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !outline.text.ends_with(' ') => outline.text.push(' '),
            _ => {}
        }
    }
    trim_in_place(&mut outline.text);
    trim_in_place(&mut outline.heading_text);
    outline
}

/// Trims a string without copying what is left (a page's whole text).
fn trim_in_place(text: &mut String) {
    text.truncate(text.trim_end().len());
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
}

/// Renders inline Markdown (one paragraph) without the `<p>` wrapper.
pub fn render_inline(markdown: &str, root: &str) -> String {
    let html = render(markdown, root).html;
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Plain text of Markdown, for search and descriptions.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                text.push_str(&t);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !text.ends_with(' ') => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn level_of(level: u8) -> HeadingLevel {
    match level {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

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

/// The sanitiser every document with raw HTML goes through.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(sanitizer_builder)
}

/// What raw HTML may keep. Styles keep only `text-align` (the alignment of
/// table columns): any other property could load an image with `url()`.
fn sanitizer_builder() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_generic_attributes(["id"])
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .link_rel(None)
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
    builder
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_reads_headings_links_and_text_in_one_pass() {
        let text = "# Intro\n\nSee [the guide](/pages/guide/#setup) and <https://example.com>.\n\n## Intro {#own}\n\n## Intro\n\n- one\n- ![logo](/logo.png)\n\nMail <a@b.c>.\n";
        let outline = outline(text);
        let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "own", "intro-1"]);
        assert_eq!(heading_ids(text), ids);
        assert_eq!(outline.headings[1].level, 2);
        let links: Vec<(&str, &str)> = outline
            .links
            .iter()
            .map(|(dest, at)| (dest.as_str(), &text[*at..*at + 2]))
            .collect();
        assert_eq!(links, [("/pages/guide/#setup", "[t"), ("/logo.png", "![")]);
        assert_eq!(outline.heading_text, "Intro. Intro. Intro.");
        assert_eq!(
            outline.text,
            "Intro. See the guide and https://example.com. Intro. Intro. one logo Mail a@b.c."
        );
    }

    #[test]
    fn headings_get_unique_slug_ids() {
        let out = render("# Hello World\n\n## Hello World\n\n## Custom {#mine}\n", "");
        assert!(
            out.html.contains(r#"<h1 id="hello-world">"#),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(r#"<h2 id="hello-world-1">"#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"<h2 id="mine">"#), "{}", out.html);
        assert_eq!(out.headings.len(), 3);
    }

    #[test]
    fn texts_of_one_page_share_their_ids_and_keep_their_own_links() {
        let mut ids = PageIds::default();
        ids.used.insert("steps".to_string());
        let step = render_on_page("## Notes\n\nSee [notes](#notes).\n", "", 3, &mut ids);
        let body = render_on_page(
            "## Notes\n\n[Mine](#notes), [again](#notes) and [steps](#steps).\n\n## Steps\n\n## Notes\n",
            "",
            1,
            &mut ids,
        );
        assert!(step.html.contains(r##"<h5 id="notes">"##), "{}", step.html);
        assert!(step.html.contains(r##"href="#notes""##), "{}", step.html);
        let body_ids: Vec<&str> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(body_ids, ["notes-1", "steps-1", "notes-2"]);
        // A text's bare anchors follow its own headings to their new ids,
        // whether an earlier text or the page itself holds the old one.
        assert_eq!(body.links, ["#notes-1", "#notes-1", "#steps-1"]);
        assert!(
            body.html.contains(r##"<h3 id="notes-1">"##),
            "{}",
            body.html
        );
        // The link check reads the same ids without rendering.
        let mut check = PageIds::default();
        check.used.insert("steps".to_string());
        heading_ids_on_page("## Notes\n", &mut check);
        assert_eq!(
            heading_ids_on_page("## Notes\n\n## Steps\n\n## Notes\n", &mut check),
            body_ids
        );
    }

    #[test]
    fn nested_bodies_move_their_headings_down() {
        let out = render_nested("# Title\n\n## Part\n\n###### Deep\n", "", 1);
        assert!(
            out.html.contains("<h2 id=\"title\">Title</h2>"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("</h1>"), "{}", out.html);
        assert!(out.html.contains("<h3 id=\"part\">"), "{}", out.html);
        assert!(out.html.contains("<h6 id=\"deep\">"), "{}", out.html);
        assert_eq!(out.headings[0].level, 2);
    }

    #[test]
    fn rendering_with_the_outline_gives_the_same_page() {
        let text = "# A\n\n## A {#own}\n\n## A\n\n###### Deep `code`\n\nSee [k](/sops/kickoff/#x) and ![i](/logo.png).\n\n<b onclick=x>raw</b>\n";
        for depth in [0, 1, 3] {
            let streamed = render_outlined(text, &outline(text), "../", depth);
            let collected = render_nested(text, "../", depth);
            assert_eq!(streamed.html, collected.html);
            assert_eq!(streamed.headings, collected.headings);
        }
    }

    #[test]
    fn heading_ids_match_the_rendered_ones() {
        let text = "# A\n\n## A\n\n## B {#own}\n\n### \n";
        let rendered: Vec<String> = render(text, "")
            .headings
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(heading_ids(text), rendered);
        assert_eq!(rendered, ["a", "a-1", "own", "section"]);
    }

    #[test]
    fn root_links_become_relative_file_links() {
        let out = render(
            "[k](/sops/kickoff/#confirm-readiness) [g](/pages/guide/) [c](/style.css)",
            "../../",
        );
        assert!(
            out.html
                .contains(r#"href="../../sops/kickoff/index.html#confirm-readiness""#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"href="../../pages/guide/index.html""#));
        assert!(out.html.contains(r#"href="../../style.css""#));
        assert_eq!(
            relative_to_root("sops/kickoff", ""),
            "sops/kickoff/index.html"
        );
        assert_eq!(relative_to_root("", "../"), "../index.html");
    }

    #[test]
    fn scripts_and_handlers_never_survive() {
        let out = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
            "",
        );
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("onerror"), "{}", out.html);
        assert!(!out.html.contains("javascript:"), "{}", out.html);
    }

    #[test]
    fn hrefs_encode_what_a_url_would_misread() {
        assert_eq!(
            href("pages/über ?#/index.html"),
            "pages/%C3%BCber%20%3F%23/index.html"
        );
        assert_eq!(
            href("pages/100% done/index.html"),
            "pages/100%25%20done/index.html"
        );
        assert!(matches!(
            href("pages/a-b_c.d~e/index.html"),
            Cow::Borrowed("pages/a-b_c.d~e/index.html")
        ));
    }

    #[test]
    fn external_resources_are_images_and_kept_raw_html_sources() {
        let text = "![logo](https://cdn.example.com/logo.png)\n\n\
            ![local](/logo.png) [a link](https://example.com/) ![rel](img/x.png)\n\n\
            Inline <img src=\"//cdn.example.com/a.png\"> and <img src=\"\\\\cdn.example.com/b.png\">.\n\n\
            <div>\n<img alt=x src=\"http://tracker.example/p.gif\">\n<a href=\"https://example.com/\">a</a>\n</div>\n\n\
            <script src=\"https://evil.example/x.js\"></script>\n\n\
            ![data](data:image/png;base64,AAAA)\n";
        let found = external_resources(text);
        let urls: Vec<&str> = found.iter().map(|(url, _)| url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://cdn.example.com/logo.png",
                "//cdn.example.com/a.png",
                "\\\\cdn.example.com/b.png",
                "http://tracker.example/p.gif",
            ]
        );
        let at = |needle: &str| text.find(needle).unwrap();
        let offsets: Vec<usize> = found.iter().map(|(_, at)| *at).collect();
        assert_eq!(
            offsets,
            [
                0,
                at("//cdn.example.com/a.png"),
                at("\\\\cdn"),
                at("http://tracker"),
            ]
        );
        assert!(external_resources("No images, no HTML: https://example.com/x.png").is_empty());
    }

    #[test]
    fn styles_keep_only_the_alignment() {
        let out = render(
            "<table><tr><td style=\"text-align: right; background: url(https://evil.example/x.png)\">1</td></tr></table>\n",
            "",
        );
        assert!(out.html.contains("text-align"), "{}", out.html);
        assert!(!out.html.contains("evil.example"), "{}", out.html);
    }

    #[test]
    fn markdown_without_raw_html_escapes_text() {
        let out = render("Globex &lt;b&gt; and 1 < 2 > 0", "");
        assert!(out.html.contains("1 &lt; 2 &gt; 0"), "{}", out.html);
    }

    #[test]
    fn tables_tasklists_and_footnotes_render() {
        let out = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\nNote[^1]\n\n[^1]: Footnote.\n",
            "",
        );
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("checkbox"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn first_heading_and_plain_text() {
        assert_eq!(
            outline("text\n\n## The *Guide*\n").first_heading(),
            Some("The Guide")
        );
        assert_eq!(plain_text("Hello **bold** `code`"), "Hello bold code");
    }
}
