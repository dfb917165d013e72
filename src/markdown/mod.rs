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
//! Heading ids unique on a page are given out by [`PageIds`] (`ids.rs`);
//! [`outline`] reads a text's headings, links and plain text in one parse
//! (`outline.rs`); output paths become hrefs through [`href`], and
//! [`external_resources`] finds what a text would make its page load from
//! outside the site (`links.rs`).

use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

mod ids;
mod links;
mod outline;

use ids::wanted_id;
pub use ids::{CUSTOMER_PAGE_IDS, PLAYBOOK_PAGE_IDS, PageIds, SHARE_PAGE_IDS, SOP_PAGE_IDS};
pub use links::{
    external_resources, has_scheme, href, is_outside_the_site, relative_to_root, rewrite_url,
};
pub use outline::{Outline, heading_ids, heading_ids_on_page, outline};

/// The Markdown extensions onboard enables.
pub(super) fn options() -> Options {
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
    let mut walk = Walk::default();
    for i in 0..events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = (heading_level(*level) + depth).min(6);
            let explicit = id.as_ref().map(|id| id.to_string());
            let text = heading_text(&events[i + 1..]);
            let unique = walk.claim_heading_id(explicit, &text, ids);
            if let Event::Start(Tag::Heading {
                id,
                level: tag_level,
                ..
            }) = &mut events[i]
            {
                *id = Some(CowStr::from(unique.clone()));
                *tag_level = level_of(level);
            }
            walk.headings.push(Heading {
                level,
                id: unique,
                text,
            });
        } else {
            walk.visit(i, &mut events[i], root, depth);
        }
    }
    walk.follow_moved_ids(&mut events);

    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if walk.has_raw_html {
        out = sanitizer().clean(&out).to_string();
    }
    Rendered {
        html: out,
        headings: walk.headings,
        links: walk.links,
    }
}

/// What [`render_on_page`] gathers as it walks a text's events.
#[derive(Default)]
struct Walk {
    /// The headings, with the ids they got.
    headings: Vec<Heading>,
    /// Every link target, rewritten.
    links: Vec<String>,
    /// The text holds raw HTML, so its HTML is sanitised.
    has_raw_html: bool,
    /// The ids this text's headings asked for and did not get because an
    /// earlier text of the page holds them → the ids they got instead.
    moved: Vec<(String, String)>,
    /// The links to a bare `#fragment`: the event, and the link's place
    /// in `links`.
    fragment_links: Vec<(usize, usize)>,
}

impl Walk {
    /// The id a heading gets from `ids`, noting it when it is not the one
    /// the heading asked for.
    fn claim_heading_id(
        &mut self,
        explicit: Option<String>,
        text: &str,
        ids: &mut PageIds,
    ) -> String {
        let wanted = wanted_id(explicit, text);
        let unique = ids.claim(&wanted);
        if unique != wanted && !self.headings.iter().any(|h| h.id == wanted) {
            self.moved.push((wanted, unique.clone()));
        }
        unique
    }

    /// Moves the end of a heading down by `depth`, notes raw HTML, and
    /// rewrites a link or image target (the `i`th event).
    fn visit(&mut self, i: usize, event: &mut Event<'_>, root: &str, depth: u8) {
        match event {
            // Headings cannot nest, so an end belongs to the last start.
            Event::End(TagEnd::Heading(end)) => {
                *end = level_of((heading_level(*end) + depth).min(6));
            }
            Event::Html(_) | Event::InlineHtml(_) => self.has_raw_html = true,
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let rewritten = rewrite_url(dest_url, root);
                if rewritten.starts_with('#') {
                    self.fragment_links.push((i, self.links.len()));
                }
                self.links.push(rewritten.clone());
                *dest_url = CowStr::from(rewritten);
            }
            _ => {}
        }
    }

    /// A text's bare `#anchor` means its own heading, wherever on the page
    /// that heading's id had to move.
    fn follow_moved_ids(&mut self, events: &mut [Event<'_>]) {
        for &(event, link) in &self.fragment_links {
            let Some((_, given)) = self
                .moved
                .iter()
                .find(|(wanted, _)| self.links[link][1..] == **wanted)
            else {
                continue;
            };
            self.links[link] = format!("#{given}");
            if let Event::Start(Tag::Link { dest_url, .. }) = &mut events[event] {
                *dest_url = CowStr::from(self.links[link].clone());
            }
        }
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

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
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

/// The sanitiser every document with raw HTML goes through.
pub(super) fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(sanitizer_builder)
}

/// What raw HTML may keep. Styles keep only `text-align` (the alignment of
/// table columns): any other property could load an image with `url()`.
pub(super) fn sanitizer_builder() -> ammonia::Builder<'static> {
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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

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
