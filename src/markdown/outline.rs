//! What link checks and search read of a Markdown text, in one parse: its
//! headings with their ids, its links and its plain text.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::ids::{PageIds, wanted_id};
use super::{Heading, heading_level, options};

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
pub(super) fn outline_with(markdown: &str, ids: &mut PageIds) -> Outline {
    let mut outline = Outline {
        text: String::with_capacity(markdown.len()),
        ..Outline::default()
    };
    let mut heading: Option<OpenHeading> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Text(t) | Event::Code(t) => outline.push_text(&t, heading.as_mut()),
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some(OpenHeading {
                    level: heading_level(level),
                    explicit: id.map(|id| id.to_string()),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => outline.close_heading(heading.take(), ids),
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

/// The heading being read.
struct OpenHeading {
    /// 1 to 6, as written.
    level: u8,
    /// Its `{#id}`, when it has one.
    explicit: Option<String>,
    /// Its text so far.
    text: String,
}

impl Outline {
    /// Adds text to the page's text, and to the heading being read if any.
    fn push_text(&mut self, text: &str, heading: Option<&mut OpenHeading>) {
        self.text.push_str(text);
        if let Some(heading) = heading {
            heading.text.push_str(text);
            self.heading_text.push_str(text);
        }
    }

    /// Ends a heading: it takes its id from `ids`, and the text and the
    /// headings' text end a sentence there.
    fn close_heading(&mut self, heading: Option<OpenHeading>, ids: &mut PageIds) {
        if let Some(OpenHeading {
            level,
            explicit,
            text,
        }) = heading
        {
            let text = text.trim().to_string();
            let id = ids.claim(&wanted_id(explicit, &text));
            self.headings.push(Heading { level, id, text });
        }
        self.heading_text.push_str(". ");
        if !self.text.ends_with(' ') {
            self.text.push_str(". ");
        }
    }
}

/// Trims a string without copying what is left (a page's whole text).
fn trim_in_place(text: &mut String) {
    text.truncate(text.trim_end().len());
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
}
