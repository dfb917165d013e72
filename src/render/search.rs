//! Site search: the documents people look for, tokenised, written as a
//! sharded index of small `<script>` files that `search.js` loads on demand.
//!
//! One document per SOP step (deep-linked to its anchor), SOP, playbook,
//! role, glossary term, free page and customer. Customers contribute only
//! their name, CSM, tier, milestone names and stakeholder names: never
//! health, scores, risks, notes or updates, which stay internal.
//!
//! Why `<script>` files rather than one JSON file behind `fetch`: the site
//! must search when opened from `file://`, where browsers refuse `fetch`.
//! Why shards: a 20,000-page site has megabytes of postings, and a query
//! should download only the few that its terms need. The files are
//!
//! - `search/meta.js`: document count, kinds as id ranges, the shard keys
//!   and their sizes, where each document chunk starts, customer facets,
//!   and the folding table and stop words so the browser tokenises exactly
//!   as this module does;
//! - `search/t-<key>.js`: the postings of every term whose longest shard
//!   key is `<key>` (keys are term prefixes of two or more characters,
//!   lengthened where a prefix holds too much);
//! - `search/d-<n>.js`: a chunk of documents (kind, URL, title, context,
//!   excerpt text), loaded only for the results that are shown.
//!
//! Each file calls `window.__onboardSearch.add(name, data)`. Document ids
//! follow the display order for ties (kind, then title), so the browser
//! breaks ties without loading titles. Everything is sorted, so the same
//! site gives the same bytes.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde_json::{Value, json};

use super::markdown::plain_text;
use super::pages::{customer_path, glossary_terms, page_path, playbook_path, sop_path};
use crate::site::{Customer, PageEntry, PlaybookEntry, RoleEntry, Site, SopEntry};

/// What a search result is, in the order ties are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// A step of an SOP, linked to its anchor.
    Step,
    /// An SOP page.
    Sop,
    /// A playbook page.
    Playbook,
    /// A customer's internal status page.
    Customer,
    /// A free page.
    Page,
    /// A role on the roles page.
    Role,
    /// A glossary term.
    Term,
}

impl DocKind {
    /// Every kind, in display order.
    pub const ALL: [DocKind; 7] = [
        DocKind::Step,
        DocKind::Sop,
        DocKind::Playbook,
        DocKind::Customer,
        DocKind::Page,
        DocKind::Role,
        DocKind::Term,
    ];

    /// The word used in the index and in facet values.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Step => "step",
            DocKind::Sop => "sop",
            DocKind::Playbook => "playbook",
            DocKind::Customer => "customer",
            DocKind::Page => "page",
            DocKind::Role => "role",
            DocKind::Term => "term",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Step => "Step",
            DocKind::Sop => "SOP",
            DocKind::Playbook => "Playbook",
            DocKind::Customer => "Customer",
            DocKind::Page => "Page",
            DocKind::Role => "Role",
            DocKind::Term => "Term",
        }
    }
}

/// The facets a customer can be narrowed by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerFacets {
    /// Tier, such as `enterprise`.
    pub tier: Option<String>,
    /// Computed state (`late`, `at_risk`, `on_track`, `complete`).
    pub state: String,
    /// The customer success manager.
    pub csm: Option<String>,
}

/// One thing search can find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDoc<'a> {
    /// What it is.
    pub kind: DocKind,
    /// Output path relative to the site root, with the anchor if any.
    pub url: String,
    /// Shown as the result's title; weighs most.
    pub title: String,
    /// Shown under the title (the SOP of a step, a summary); weighs next.
    pub context: String,
    /// Indexed with the context's weight but not shown (tags, headings).
    pub keywords: String,
    /// The body: indexed, and the source of the highlighted excerpt;
    /// borrowed from the site where it is already held as text.
    pub text: Cow<'a, str>,
    /// Facets, for customers.
    pub facets: Option<CustomerFacets>,
}

// ---------------------------------------------------------------------------
// Tokenising. `search.js` implements the same steps; the folding table and
// stop words travel in `meta.js` so the two cannot drift apart, and
// `tests/browser/token_vectors.json` is checked against both.
// ---------------------------------------------------------------------------

/// Lowercase letters of Latin-1 and Latin Extended-A (and common
/// ligatures) with the ASCII they fold to, sorted by letter. Other
/// letters are kept as they are.
pub const FOLDS: &[(char, &str)] = &[
    ('ß', "ss"),
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('ã', "a"),
    ('ä', "a"),
    ('å', "a"),
    ('æ', "ae"),
    ('ç', "c"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ð', "d"),
    ('ñ', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('õ', "o"),
    ('ö', "o"),
    ('ø', "o"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ý', "y"),
    ('þ', "th"),
    ('ÿ', "y"),
    ('ā', "a"),
    ('ă', "a"),
    ('ą', "a"),
    ('ć', "c"),
    ('ĉ', "c"),
    ('ċ', "c"),
    ('č', "c"),
    ('ď', "d"),
    ('đ', "d"),
    ('ē', "e"),
    ('ĕ', "e"),
    ('ė', "e"),
    ('ę', "e"),
    ('ě', "e"),
    ('ĝ', "g"),
    ('ğ', "g"),
    ('ġ', "g"),
    ('ģ', "g"),
    ('ĥ', "h"),
    ('ħ', "h"),
    ('ĩ', "i"),
    ('ī', "i"),
    ('ĭ', "i"),
    ('į', "i"),
    ('ı', "i"),
    ('ĳ', "ij"),
    ('ĵ', "j"),
    ('ķ', "k"),
    ('ĸ', "k"),
    ('ĺ', "l"),
    ('ļ', "l"),
    ('ľ', "l"),
    ('ŀ', "l"),
    ('ł', "l"),
    ('ń', "n"),
    ('ņ', "n"),
    ('ň', "n"),
    ('ŉ', "n"),
    ('ŋ', "n"),
    ('ō', "o"),
    ('ŏ', "o"),
    ('ő', "o"),
    ('œ', "oe"),
    ('ŕ', "r"),
    ('ŗ', "r"),
    ('ř', "r"),
    ('ś', "s"),
    ('ŝ', "s"),
    ('ş', "s"),
    ('š', "s"),
    ('ţ', "t"),
    ('ť', "t"),
    ('ŧ', "t"),
    ('ũ', "u"),
    ('ū', "u"),
    ('ŭ', "u"),
    ('ů', "u"),
    ('ű', "u"),
    ('ų', "u"),
    ('ŵ', "w"),
    ('ŷ', "y"),
    ('ź', "z"),
    ('ż', "z"),
    ('ž', "z"),
    ('ſ', "s"),
    ('ﬀ', "ff"),
    ('ﬁ', "fi"),
    ('ﬂ', "fl"),
    ('ﬃ', "ffi"),
    ('ﬄ', "ffl"),
];

/// Words too common to help; dropped from documents and queries alike.
/// Short on purpose: `it` (information technology) and `not` stay.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "of", "on", "or",
    "the", "to", "was", "were", "with",
];

/// Longer words are dropped: they are hashes, keys or URLs, not words.
pub const MAX_WORD_CHARS: usize = 40;

/// The ASCII a lowercase letter folds to, if it is in [`FOLDS`].
pub fn fold_char(c: char) -> Option<&'static str> {
    FOLDS
        .binary_search_by_key(&c, |(from, _)| *from)
        .ok()
        .map(|i| FOLDS[i].1)
}

/// Calls `emit` with every word of `text`: lowercased, accents folded,
/// split on anything that is not a letter or digit. Combining accents
/// (U+0300 to U+036F) are dropped, so decomposed text folds too.
pub fn for_each_word(text: &str, mut emit: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut word = String::new();
    let mut i = 0;
    while i < bytes.len() {
        // Most text is ASCII: a run of lowercase letters and digits that
        // ends at ASCII is a word as it stands, with nothing to copy.
        let mut class = BYTE_CLASS[usize::from(bytes[i])];
        if class == SEPARATOR {
            i += 1;
            continue;
        }
        let start = i;
        let mut seen = 0;
        while class & ALNUM != 0 {
            seen |= class;
            i += 1;
            class = match bytes.get(i) {
                Some(&b) => BYTE_CLASS[usize::from(b)],
                None => SEPARATOR,
            };
        }
        if class == SEPARATOR {
            let run = &text[start..i];
            if seen & UPPER != 0 {
                word.clear();
                word.push_str(run);
                word.make_ascii_lowercase();
                emit(&word);
            } else {
                emit(run);
            }
            continue;
        }
        // A word with letters outside ASCII: fold char by char, exactly as
        // far as the next ASCII separator.
        word.clear();
        word.push_str(&text[start..i]);
        word.make_ascii_lowercase();
        i = fold_from(text, i, &mut word, &mut emit);
    }
}

/// [`BYTE_CLASS`] of an ASCII byte that is neither letter nor digit.
const SEPARATOR: u8 = 0;
/// The bit of [`BYTE_CLASS`] set for ASCII letters and digits.
const ALNUM: u8 = 1;
/// The bit of [`BYTE_CLASS`] set for ASCII capitals.
const UPPER: u8 = 2;
/// [`BYTE_CLASS`] of a byte of a character outside ASCII.
const NON_ASCII: u8 = 4;

/// What the word splitter needs to know of each byte, in one lookup.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if !byte.is_ascii() {
            NON_ASCII
        } else if byte.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if byte.is_ascii_alphanumeric() {
            ALNUM
        } else {
            SEPARATOR
        };
        b += 1;
    }
    table
};

/// Goes on from `at`, a char outside ASCII, with `word` holding the
/// word so far: emits every word up to the next ASCII separator, or the
/// end, and returns where to go on.
fn fold_from(text: &str, at: usize, word: &mut String, emit: &mut impl FnMut(&str)) -> usize {
    for (offset, c) in text[at..].char_indices() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
                continue;
            }
            if !word.is_empty() {
                emit(word);
                word.clear();
            }
            return at + offset + 1;
        }
        for lc in c.to_lowercase() {
            if ('\u{300}'..='\u{36f}').contains(&lc) {
                // Combining accents are dropped, so decomposed text folds
                // too; lowercasing can produce one (`İ` is `i` + U+0307).
            } else if let Some(folded) = fold_char(lc) {
                word.push_str(folded);
            } else if lc.is_alphanumeric() {
                word.push(lc);
            } else if !word.is_empty() {
                emit(word);
                word.clear();
            }
        }
    }
    if !word.is_empty() {
        emit(word);
        word.clear();
    }
    text.len()
}

/// The folded words of `text`.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// A light English stemmer: strips one common suffix, then a final `e`,
/// so that `escalation`, `escalate`, `escalated` and `escalating` all
/// become `escalat`. Only plain ASCII words longer than three letters are
/// touched, and a stem keeps at least three letters. The same function
/// runs on documents and queries, so it only has to be consistent.
pub fn stem(word: &str) -> String {
    let mut out = String::new();
    stem_into(word, &mut out);
    out
}

/// [`stem`] into a buffer, so that tokenising allocates once per text.
fn stem_into(word: &str, out: &mut String) {
    out.clear();
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        out.push_str(word);
        return;
    }
    const RULES: &[(&str, &str)] = &[
        ("ations", "at"),
        ("ation", "at"),
        ("ings", ""),
        ("ing", ""),
        ("ies", "y"),
        ("edly", ""),
        ("ed", ""),
        ("ly", ""),
        ("es", ""),
        ("s", ""),
    ];
    out.push_str(word);
    // Every suffix ends in one of these letters: most words skip the rules.
    let ends_rule = matches!(
        word.as_bytes()[word.len() - 1],
        b's' | b'n' | b'g' | b'y' | b'd'
    );
    for (suffix, replacement) in RULES.iter().filter(|_| ends_rule) {
        let Some(base) = word.strip_suffix(suffix) else {
            continue;
        };
        if base.len() + replacement.len() < 3 {
            continue;
        }
        // `process`, `status`, `analysis` are not plurals.
        if *suffix == "s" && (base.ends_with('s') || base.ends_with('u') || base.ends_with('i')) {
            continue;
        }
        out.truncate(base.len());
        out.push_str(replacement);
        break;
    }
    if out.len() >= 4 && out.ends_with('e') {
        out.pop();
    }
}

/// Whether a folded word is indexed at all: not a stop word, a single
/// letter or an overlong word.
fn is_indexed(word: &str) -> bool {
    match word.len() {
        0 => false,
        1 => !word.as_bytes()[0].is_ascii_alphabetic(),
        2..=4 => !STOP_WORDS.contains(&word),
        n if n > MAX_WORD_CHARS => word.chars().count() <= MAX_WORD_CHARS,
        _ => true,
    }
}

/// The index term for a folded word, or none for stop words, single
/// letters and overlong words.
pub fn term(word: &str) -> Option<String> {
    is_indexed(word).then(|| stem(word))
}

/// Calls `emit` with every index term of `text`, in order.
pub fn for_each_term(text: &str, mut emit: impl FnMut(&str)) {
    let mut stemmed = String::new();
    for_each_word(text, |word| {
        if !is_indexed(word) {
            return;
        }
        // Only words ending in a letter that some rule or the final `e`
        // removes can change: the others are their own stems.
        if word.len() > 3
            && matches!(
                word.as_bytes()[word.len() - 1],
                b's' | b'n' | b'g' | b'y' | b'd' | b'e'
            )
        {
            stem_into(word, &mut stemmed);
            emit(&stemmed);
        } else {
            emit(word);
        }
    });
}

/// The index terms of `text`, in order, repeats kept.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

// ---------------------------------------------------------------------------
// Documents.
// ---------------------------------------------------------------------------

/// Joins pieces of text into one, dropping empty ones; each piece ends a
/// sentence so excerpts read naturally.
fn join_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            if !out.ends_with(['.', '!', '?', ':', ';']) {
                out.push('.');
            }
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Plain text and heading text of Markdown.
fn text_and_headings(markdown: &str) -> (String, String) {
    let outline = super::markdown::outline(markdown);
    (outline.text, outline.heading_text)
}

fn role_name(site: &Site, id: Option<&str>) -> String {
    id.map(|id| {
        site.role(id)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| id.to_string())
    })
    .unwrap_or_default()
}

fn sop_body(sop: &SopEntry) -> &str {
    sop.loaded.markdown(sop.loaded.doc.body.as_deref())
}

fn step_docs(site: &Site, sop: &SopEntry) -> Vec<SearchDoc<'static>> {
    let doc = &sop.loaded.doc;
    doc.steps
        .iter()
        .zip(&sop.step_ids)
        .map(|(step, id)| {
            let body = step.body.as_deref().map(plain_text).unwrap_or_default();
            let substeps: Vec<String> = step.substeps.iter().map(|s| plain_text(s)).collect();
            let owner = role_name(site, step.owner.as_ref().map(|o| o.value.as_str()));
            let escalation = step.escalation.as_ref().map(|e| {
                join_text([
                    format!("Escalate to {}", role_name(site, Some(&e.to.value))).as_str(),
                    e.when.as_deref().unwrap_or(""),
                ])
            });
            let mut parts: Vec<&str> = vec![step.objective.as_deref().unwrap_or(""), &body];
            parts.extend(substeps.iter().map(String::as_str));
            parts.extend(step.checklist.iter().map(String::as_str));
            parts.extend(step.mistakes.iter().map(String::as_str));
            parts.push(escalation.as_deref().unwrap_or(""));
            let tools = step.tools.join(", ");
            parts.push(&tools);
            let owner_line = if owner.is_empty() {
                String::new()
            } else {
                format!("Owner: {owner}")
            };
            parts.push(&owner_line);
            SearchDoc {
                kind: DocKind::Step,
                url: format!("{}#{id}", sop_path(&sop.id)),
                title: step.title.value.clone(),
                context: doc.title.clone(),
                keywords: step.when.clone().unwrap_or_default(),
                text: join_text(parts).into(),
                facets: None,
            }
        })
        .collect()
}

fn sop_doc(sop: &SopEntry) -> SearchDoc<'_> {
    let doc = &sop.loaded.doc;
    let (body, headings) = text_and_headings(sop_body(sop));
    let mut parts: Vec<&str> = vec![&body];
    parts.extend(doc.prerequisites.iter().map(String::as_str));
    parts.extend(doc.checklist.iter().map(String::as_str));
    parts.extend(doc.quality_standards.iter().map(String::as_str));
    let mut keywords = doc.tags.clone();
    keywords.extend(doc.applies_to.iter().cloned());
    keywords.push(headings);
    SearchDoc {
        kind: DocKind::Sop,
        url: sop_path(&sop.id),
        title: doc.title.clone(),
        context: doc.summary.clone().unwrap_or_default(),
        keywords: keywords.join(". "),
        text: join_text(parts).into(),
        facets: None,
    }
}

fn playbook_doc(playbook: &PlaybookEntry) -> SearchDoc<'_> {
    let doc = &playbook.loaded.doc;
    let source = playbook.loaded.markdown(doc.body.as_deref());
    let (body, headings) = text_and_headings(source);
    let phases: Vec<String> = doc
        .phases
        .iter()
        .map(|p| {
            join_text([
                p.name.as_str(),
                &p.summary.as_deref().map(plain_text).unwrap_or_default(),
            ])
        })
        .collect();
    let milestones: Vec<String> = doc
        .milestones
        .iter()
        .map(|m| join_text([m.name.value.as_str(), m.criteria.as_deref().unwrap_or("")]))
        .collect();
    let pitfalls: Vec<String> = doc
        .pitfalls
        .iter()
        .map(|p| join_text([p.title.as_str(), p.fix.as_deref().unwrap_or("")]))
        .collect();
    let dos: Vec<String> = doc
        .r#do
        .iter()
        .chain(&doc.dont)
        .map(|d| plain_text(d))
        .collect();
    let mut parts: Vec<&str> = vec![&body];
    parts.extend(phases.iter().map(String::as_str));
    parts.extend(milestones.iter().map(String::as_str));
    parts.extend(doc.checklist.iter().map(String::as_str));
    parts.extend(dos.iter().map(String::as_str));
    parts.extend(pitfalls.iter().map(String::as_str));
    parts.extend(doc.agenda.iter().map(|a| a.topic.as_str()));
    let mut keywords = doc.tiers.clone();
    keywords.extend(doc.tags.iter().cloned());
    keywords.extend(doc.phases.iter().map(|p| p.name.clone()));
    keywords.push(headings);
    SearchDoc {
        kind: DocKind::Playbook,
        url: playbook_path(&playbook.id),
        title: doc.title.clone(),
        context: doc.summary.clone().unwrap_or_default(),
        keywords: keywords.join(". "),
        text: join_text(parts).into(),
        facets: None,
    }
}

fn role_doc(site: &Site, role: &RoleEntry) -> SearchDoc<'static> {
    // Nearly every role escalates somewhere; as context, that line would
    // make every role a strong match for "escalation".
    let escalates = role
        .escalates_to
        .as_deref()
        .map(|to| format!("Escalates to {}", role_name(site, Some(to))))
        .unwrap_or_default();
    SearchDoc {
        kind: DocKind::Role,
        url: format!("roles/index.html#role-{}", role.id),
        title: role.name.clone(),
        context: String::new(),
        keywords: role.id.clone(),
        text: join_text(
            role.responsibilities
                .iter()
                .map(String::as_str)
                .chain([escalates.as_str()]),
        )
        .into(),
        facets: None,
    }
}

fn term_docs(site: &Site) -> Vec<SearchDoc<'static>> {
    glossary_terms(site)
        .into_iter()
        .map(|term| {
            let text = |key: &str| {
                term.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let sops: Vec<&str> = term
                .get("sops")
                .and_then(Value::as_array)
                .map(|sops| {
                    sops.iter()
                        .filter_map(|s| s.get("title").and_then(Value::as_str))
                        .collect()
                })
                .unwrap_or_default();
            // Where a term is defined says nothing about what it means, so
            // it goes with the body's weight, not the context's.
            let defined_in = if sops.is_empty() {
                String::new()
            } else {
                format!("Defined in {}.", sops.join(", "))
            };
            SearchDoc {
                kind: DocKind::Term,
                url: format!("glossary/index.html#{}", text("id")),
                title: text("term"),
                context: String::new(),
                keywords: String::new(),
                text: join_text([text("definition").as_str(), &defined_in]).into(),
                facets: None,
            }
        })
        .collect()
}

fn page_doc(page: &PageEntry) -> SearchDoc<'_> {
    let meta = &page.loaded.doc;
    let headings = page.outline.heading_text.clone();
    let mut keywords = meta.tags.clone();
    keywords.push(headings);
    SearchDoc {
        kind: DocKind::Page,
        url: super::markdown::href(&page_path(&page.path)).into_owned(),
        title: page.title.clone(),
        context: meta.description.clone().unwrap_or_default(),
        keywords: keywords.join(". "),
        text: Cow::Borrowed(&page.outline.text),
        facets: None,
    }
}

/// A customer as search sees it: only what every internal reader may see
/// in a list. Health, scores, risks, notes and updates are left out here,
/// so they cannot reach any index file.
fn customer_doc(customer: &Customer) -> SearchDoc<'_> {
    let info = &customer.tracker().customer;
    let state = customer.status.state;
    let context = [
        info.csm.clone(),
        info.tier.clone(),
        Some(state.label().to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let milestones: Vec<&str> = customer
        .milestones
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    let stakeholders: Vec<&str> = customer
        .tracker()
        .stakeholders
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let milestone_line = if milestones.is_empty() {
        String::new()
    } else {
        format!("Milestones: {}", milestones.join(", "))
    };
    let people_line = if stakeholders.is_empty() {
        String::new()
    } else {
        format!("Stakeholders: {}", stakeholders.join(", "))
    };
    SearchDoc {
        kind: DocKind::Customer,
        url: customer_path(&customer.slug),
        title: customer.name().to_string(),
        context,
        keywords: [
            info.csm.as_deref().unwrap_or(""),
            info.tier.as_deref().unwrap_or(""),
        ]
        .join(". "),
        text: join_text([milestone_line.as_str(), people_line.as_str()]).into(),
        facets: Some(CustomerFacets {
            tier: info.tier.clone(),
            state: state.as_str().to_string(),
            csm: info.csm.clone(),
        }),
    }
}

/// Every searchable document of the internal site, in id order: by kind,
/// then folded title, then URL. Drafts are left out unless built.
pub fn documents(site: &Site) -> Vec<SearchDoc<'_>> {
    let published: Vec<&SopEntry> = site.sops.iter().filter(|s| s.published).collect();
    let mut docs: Vec<SearchDoc<'_>> = published
        .par_iter()
        .flat_map_iter(|sop| step_docs(site, sop))
        .collect();
    docs.extend(published.iter().map(|sop| sop_doc(sop)));
    docs.extend(site.playbooks.iter().map(playbook_doc));
    docs.extend(site.customers.iter().map(customer_doc));
    docs.par_extend(site.pages.par_iter().map(page_doc));
    docs.extend(site.roles.iter().map(|r| role_doc(site, r)));
    docs.extend(term_docs(site));
    let mut keyed: Vec<((DocKind, String), SearchDoc<'_>)> = docs
        .into_par_iter()
        .map(|d| ((d.kind, words(&d.title).join(" ")), d))
        .collect();
    keyed.par_sort_by(|(ka, a), (kb, b)| {
        ka.cmp(kb)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.url.cmp(&b.url))
    });
    keyed.into_iter().map(|(_, d)| d).collect()
}

/// The multiply-rotate hash of FxHash (rustc's), for the builder's term
/// maps: several times faster than SipHash on short words, and the keys
/// are the site's own words, so hash flooding is no concern.
#[derive(Clone, Copy, Default)]
struct TermHasher(u64);

impl TermHasher {
    fn add(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        // The last bytes of a word go in together: one step, not one
        // each (most words are shorter than eight bytes).
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(little_endian(rest));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type TermMap<V> = HashMap<String, V, BuildHasherDefault<TermHasher>>;

// ---------------------------------------------------------------------------
// Weights.
// ---------------------------------------------------------------------------

/// Weight of a term in a title: short titles that contain it win.
fn title_weight(title_terms: usize) -> u8 {
    (24 + 16 / title_terms.max(1)) as u8
}

/// Weight of a term found in the context or keywords.
const CONTEXT_WEIGHT: u8 = 8;

/// Weight of a term found in the body, by how often it occurs.
fn body_weight(count: u32) -> u8 {
    match count {
        0 => 0,
        1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

/// Where a term was found in a document.
#[derive(Clone, Copy, Debug, Default)]
struct Found {
    in_title: bool,
    in_context: bool,
    count: u32,
}

/// The fields of a document, by the weight a term found there gets.
#[derive(Clone, Copy, Debug)]
enum Field {
    Title,
    Context,
    Body,
}

impl Found {
    fn mark(&mut self, field: Field) {
        match field {
            Field::Title => self.in_title = true,
            Field::Context => self.in_context = true,
            Field::Body => self.count += 1,
        }
    }

    fn weight(self, title_w: u8) -> u8 {
        let title = if self.in_title { title_w } else { 0 };
        let context = if self.in_context { CONTEXT_WEIGHT } else { 0 };
        title + context + body_weight(self.count)
    }
}

/// Calls `note` with every term of a document and where it was found.
fn for_each_doc_term(doc: &SearchDoc<'_>, mut note: impl FnMut(&str, Field)) {
    for (text, field) in doc_fields(doc) {
        for_each_term(text, |t| note(t, field));
    }
}

/// A document's indexed texts and the field each weighs as.
fn doc_fields<'d>(doc: &'d SearchDoc<'_>) -> [(&'d str, Field); 4] {
    [
        (&doc.title, Field::Title),
        (&doc.context, Field::Context),
        (&doc.keywords, Field::Context),
        (&doc.text, Field::Body),
    ]
}

/// Every term of a document with its weight, sorted by term.
pub fn weigh(doc: &SearchDoc<'_>) -> Vec<(String, u8)> {
    let mut seen: TermMap<Found> = TermMap::with_capacity_and_hasher(256, Default::default());
    for_each_doc_term(doc, |t, field| match seen.get_mut(t) {
        Some(found) => found.mark(field),
        None => seen.entry(t.to_string()).or_default().mark(field),
    });
    let title_w = title_weight(seen.values().filter(|f| f.in_title).count());
    let mut weights: Vec<(String, u8)> = seen
        .into_iter()
        .map(|(t, found)| (t, found.weight(title_w)))
        .collect();
    weights.sort_unstable();
    weights
}

/// The postings of a run of documents, gathered on one thread. Each term
/// is allocated once per run, not once per document that uses it, and a
/// document's terms are weighed in place without a map of their own.
#[derive(Default)]
struct Postings {
    /// Folded word, as the text has it → the slot of its term, or
    /// [`NOT_INDEXED`]. Most words recur, so a word seen before costs one
    /// lookup, without the stop-word check and the stemming rules.
    words: HashMap<ShortWord, u32, BuildHasherDefault<TermHasher>>,
    /// The same for words too long for a [`ShortWord`].
    long_words: TermMap<u32>,
    /// Term → its slot.
    slots: TermMap<u32>,
    /// Per slot: the term and its postings, by document.
    terms: Vec<(String, Vec<(u32, u8)>)>,
    /// Per slot: 1 + the last document that used it, and where in
    /// `found` that document keeps it.
    last: Vec<(u32, u32)>,
    /// The current document's terms: slot and where found.
    found: Vec<(u32, Found)>,
}

/// A word of up to 23 bytes held in place, its length in the last byte.
/// Nearly every word is that short, and a map keyed by it compares three
/// numbers where a `String` key would follow a pointer to compare bytes.
#[derive(Clone, Copy, Eq)]
struct ShortWord([u64; 3]);

impl PartialEq for ShortWord {
    fn eq(&self, other: &ShortWord) -> bool {
        // Field by field: the word was just built in registers, and a
        // vector compare would first have to read it back from memory.
        self.0[0] == other.0[0] && self.0[1] == other.0[1] && self.0[2] == other.0[2]
    }
}

impl ShortWord {
    fn new(word: &str) -> Option<ShortWord> {
        let bytes = word.as_bytes();
        if bytes.len() > 23 {
            return None;
        }
        // Read straight from the word: bytes copied into an array and
        // read back as numbers would stall the load behind the stores.
        let part = |from: usize, to: usize| little_endian(&bytes[from.min(to)..to]);
        let n = bytes.len();
        Some(ShortWord([
            part(0, n.min(8)),
            part(8, n.min(16)),
            part(16, n) | (n as u64) << 56,
        ]))
    }
}

/// Up to eight bytes as a little-endian number, read in at most two loads.
fn little_endian(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let byte = |i: usize| u64::from(bytes[i]) << (8 * i);
    match n {
        0 => 0,
        1..=3 => byte(0) | byte(n / 2) | byte(n - 1),
        _ => {
            // Two four-byte reads that overlap in the middle when n < 8.
            let low = u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes"));
            let high = u32::from_le_bytes(bytes[n - 4..].try_into().expect("4 bytes"));
            u64::from(low) | u64::from(high) << (8 * (n - 4))
        }
    }
}

impl std::hash::Hash for ShortWord {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0[0]);
        // Words of up to eight bytes, most of them, end in zeros here.
        if self.0[1] != 0 || self.0[2] >> 56 > 8 {
            state.write_u64(self.0[1]);
            state.write_u64(self.0[2]);
        }
    }
}

/// The slot of a word that is no term (see [`term`]).
const NOT_INDEXED: u32 = u32::MAX;

/// Calls `note` with every folded word of a document and where it was
/// found; [`term`] makes them the terms of [`for_each_doc_term`].
fn for_each_doc_word(doc: &SearchDoc<'_>, mut note: impl FnMut(&str, Field)) {
    for (text, field) in doc_fields(doc) {
        for_each_word(text, |w| note(w, field));
    }
}

impl Postings {
    fn add(&mut self, id: u32, doc: &SearchDoc<'_>) {
        let stamp = id + 1;
        for_each_doc_word(doc, |word, field| {
            let slot = self.word_slot(word);
            if slot == NOT_INDEXED {
                return;
            }
            let last = &mut self.last[slot as usize];
            if last.0 != stamp {
                *last = (stamp, self.found.len() as u32);
                self.found.push((slot, Found::default()));
            }
            self.found[last.1 as usize].1.mark(field);
        });
        let title_w = title_weight(self.found.iter().filter(|(_, f)| f.in_title).count());
        for (slot, found) in self.found.drain(..) {
            self.terms[slot as usize]
                .1
                .push((id, found.weight(title_w)));
        }
    }

    /// The slot of a word's term, or [`NOT_INDEXED`].
    fn word_slot(&mut self, word: &str) -> u32 {
        match ShortWord::new(word) {
            Some(short) => match self.words.get(&short) {
                Some(&slot) => slot,
                None => {
                    let slot = term(word).map_or(NOT_INDEXED, |t| self.slot(t));
                    self.words.insert(short, slot);
                    slot
                }
            },
            None => match self.long_words.get(word) {
                Some(&slot) => slot,
                None => {
                    let slot = term(word).map_or(NOT_INDEXED, |t| self.slot(t));
                    self.long_words.insert(word.to_string(), slot);
                    slot
                }
            },
        }
    }

    /// The slot of a term, given one if it has none yet.
    fn slot(&mut self, term: String) -> u32 {
        if let Some(&slot) = self.slots.get(term.as_str()) {
            return slot;
        }
        let slot = self.terms.len() as u32;
        self.slots.insert(term.clone(), slot);
        self.terms.push((term, Vec::new()));
        self.last.push((0, 0));
        slot
    }

    /// Adds the postings of a later run.
    fn append(mut self, other: Postings) -> Postings {
        if self.terms.is_empty() {
            return other;
        }
        for (term, mut list) in other.terms {
            match self.slots.get(term.as_str()) {
                Some(&slot) => self.terms[slot as usize].1.append(&mut list),
                None => {
                    self.slots.insert(term.clone(), self.terms.len() as u32);
                    self.terms.push((term, list));
                    self.last.push((0, 0));
                }
            }
        }
        self
    }
}

// ---------------------------------------------------------------------------
// Encoding.
// ---------------------------------------------------------------------------

/// URL- and JSON-safe digits; six bits each.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `value` as a little-endian varint: five bits per digit, digits
/// 32 to 63 say another digit follows.
pub fn push_varint(out: &mut String, mut value: u32) {
    while value >= 32 {
        out.push(DIGITS[(32 + (value & 31)) as usize] as char);
        value >>= 5;
    }
    out.push(DIGITS[value as usize] as char);
}

/// Decodes a string of varints (for tests and tools).
pub fn read_varints(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut value, mut shift) = (0u32, 0u32);
    for b in text.bytes() {
        let digit = DIGITS.iter().position(|d| *d == b).unwrap_or(0) as u32;
        if digit >= 32 {
            value |= (digit - 32) << shift;
            shift += 5;
        } else {
            out.push(value | (digit << shift));
            value = 0;
            shift = 0;
        }
    }
    out
}

/// Encodes sorted, distinct document ids, choosing the shorter of a delta
/// list (`first, gap-1, gap-1, …` as varints) and a bitmap (`~`, the first
/// id as a varint, then six ids per digit, lowest bit first).
pub fn encode_ids(ids: &[u32]) -> String {
    let Some((&first, _)) = ids.split_first() else {
        return String::new();
    };
    let mut deltas = String::new();
    push_varint(&mut deltas, first);
    for pair in ids.windows(2) {
        push_varint(&mut deltas, pair[1] - pair[0] - 1);
    }
    let last = *ids.last().expect("not empty");
    let span = (last - first + 1) as usize;
    let bitmap_len = span.div_ceil(6) + 6;
    if bitmap_len >= deltas.len() {
        return deltas;
    }
    let mut bits = vec![0u8; span.div_ceil(6)];
    for id in ids {
        let offset = (id - first) as usize;
        bits[offset / 6] |= 1 << (offset % 6);
    }
    let mut out = String::with_capacity(bitmap_len);
    out.push('~');
    push_varint(&mut out, first);
    out.extend(bits.iter().map(|b| DIGITS[*b as usize] as char));
    out
}

/// Decodes what [`encode_ids`] wrote.
pub fn decode_ids(text: &str) -> Vec<u32> {
    if let Some(rest) = text.strip_prefix('~') {
        let split = rest
            .bytes()
            .position(|b| DIGITS.iter().position(|d| *d == b).unwrap_or(0) < 32)
            .map_or(rest.len(), |i| i + 1);
        let first = read_varints(&rest[..split])[0];
        let mut out = Vec::new();
        for (i, b) in rest[split..].bytes().enumerate() {
            let bits = DIGITS.iter().position(|d| *d == b).unwrap_or(0);
            for bit in 0..6 {
                if bits & (1 << bit) != 0 {
                    out.push(first + (i * 6 + bit) as u32);
                }
            }
        }
        return out;
    }
    let mut out: Vec<u32> = Vec::new();
    for (i, v) in read_varints(text).into_iter().enumerate() {
        let id = if i == 0 { v } else { out[i - 1] + v + 1 };
        out.push(id);
    }
    out
}

/// A term's postings as the JSON array `[weight,"ids",weight,"ids",…]`,
/// heaviest first; `postings` are in document order.
fn encode_postings(postings: &[(u32, u8)], out: &mut String) {
    // By weight, heaviest first; documents stay in order within a weight.
    let mut sorted = postings.to_vec();
    sorted.sort_by_key(|&(_, weight)| std::cmp::Reverse(weight));
    out.push('[');
    let mut ids = Vec::new();
    for (n, group) in sorted.chunk_by(|a, b| a.1 == b.1).enumerate() {
        if n > 0 {
            out.push(',');
        }
        push_decimal(out, usize::from(group[0].1));
        out.push_str(",\"");
        ids.clear();
        ids.extend(group.iter().map(|&(doc, _)| doc));
        // Digits are URL- and JSON-safe: nothing to escape.
        out.push_str(&encode_ids(&ids));
        out.push('"');
    }
    out.push(']');
}

/// A shard file should stay under this many bytes unless a single term
/// needs more; 16 KB keeps a two-word query well under the 300 KB budget.
pub const SHARD_BYTES: usize = 16 * 1024;

/// Document chunks close at this many bytes (or [`CHUNK_DOCS`] documents).
pub const CHUNK_BYTES: usize = 8 * 1024;

/// Most documents in one chunk.
pub const CHUNK_DOCS: usize = 500;

/// Excerpt text kept per document; longer bodies are cut at a word.
pub const EXCERPT_CHARS: usize = 3000;

/// The file a term shard is written to: `t-<key>.js` for ASCII keys, else
/// `t-_<hex of the UTF-8 bytes>.js` (keys never contain `_`).
pub fn shard_file(key: &str) -> String {
    if key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        format!("t-{key}.js")
    } else {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        format!("t-_{hex}.js")
    }
}

fn prefix(term: &str, chars: usize) -> &str {
    match term.char_indices().nth(chars) {
        Some((i, _)) => &term[..i],
        None => term,
    }
}

/// Groups terms (sorted, with sizes) into shards keyed by a prefix: two
/// characters to start with, one more wherever a group exceeds
/// [`SHARD_BYTES`]. A term belongs to the longest key that starts it.
fn assign_shards(
    terms: &[(&str, usize)],
    key: &str,
    depth: usize,
    out: &mut Vec<(String, Vec<usize>)>,
    offset: usize,
) {
    let total: usize = terms.iter().map(|(_, size)| size).sum();
    let splittable = terms.iter().any(|(t, _)| t.chars().count() > depth);
    if total <= SHARD_BYTES || !splittable {
        out.push((key.to_string(), (offset..offset + terms.len()).collect()));
        return;
    }
    // Terms that are exactly the key stay in the key's own shard.
    let own = terms
        .iter()
        .take_while(|(t, _)| t.chars().count() <= depth)
        .count();
    if own > 0 {
        out.push((key.to_string(), (offset..offset + own).collect()));
    }
    let mut start = own;
    while start < terms.len() {
        let group_key = prefix(terms[start].0, depth + 1);
        let end = start
            + terms[start..]
                .iter()
                .take_while(|(t, _)| prefix(t, depth + 1) == group_key)
                .count();
        assign_shards(
            &terms[start..end],
            group_key,
            depth + 1,
            out,
            offset + start,
        );
        start = end;
    }
}

fn cut_excerpt(text: &str) -> &str {
    // A text of no more bytes than the limit has no more characters; an
    // ASCII start is cut where the limit falls, without decoding.
    if text.len() <= EXCERPT_CHARS {
        return text;
    }
    let bytes = text.as_bytes();
    if bytes[..EXCERPT_CHARS].is_ascii() {
        let cut = text[..EXCERPT_CHARS]
            .rfind(char::is_whitespace)
            .unwrap_or(EXCERPT_CHARS);
        return &text[..cut];
    }
    match text.char_indices().nth(EXCERPT_CHARS) {
        None => text,
        Some((end, _)) => {
            let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
            &text[..cut]
        }
    }
}

/// Appends a small number in decimal.
fn push_decimal(out: &mut String, value: usize) {
    use std::fmt::Write as _;
    let _ = write!(out, "{value}");
}

/// Appends `text` as a JSON string, escaped as `serde_json` escapes it:
/// quote, backslash and control characters; the rest is copied in runs.
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs escaping: page text is
        // long and nearly never does.
        if let Some(chunk) = bytes.get(i..i + 8)
            && !needs_escape(u64::from_le_bytes(chunk.try_into().expect("8 bytes")))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[run..i]);
        if escape.is_empty() {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        i += 1;
        run = i;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

/// Whether any of eight bytes is a quote, a backslash or a control
/// character (the bit tricks find a byte below 0x20 or equal to one).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let control = below(word, 0x20);
    let quote = below(word ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(word ^ (ONES * u64::from(b'\\')), 1);
    control | quote | backslash != 0
}

fn script(name: &str, data: &Value) -> Vec<u8> {
    script_raw(name, &data.to_string())
}

/// [`script`] for data already written as JSON.
fn script_raw(name: &str, json: &str) -> Vec<u8> {
    script_with(name, json.len(), |out| out.push_str(json))
}

/// [`script`] with the data written by `write` into the file's bytes,
/// which hold about `size` bytes of it.
fn script_with(name: &str, size: usize, write: impl FnOnce(&mut String)) -> Vec<u8> {
    let mut out = String::with_capacity(size + name.len() + 32);
    out.push_str("window.__onboardSearch.add(");
    push_json_string(&mut out, name);
    out.push(',');
    write(&mut out);
    out.push_str(");\n");
    out.into_bytes()
}

/// Builds the search index of the internal site: output path → bytes.
pub fn build_index(site: &Site) -> Vec<(String, Vec<u8>)> {
    index_documents(&documents(site))
}

/// Builds the search index of the internal site into `output`, its files
/// handed over on all cores: there are thousands of them.
pub fn insert_index(site: &Site, output: &mut super::Output) {
    index_documents_into(&documents(site), output);
}

/// Hands `files` to `output` from all cores.
fn insert_all(output: &mut super::Output, files: impl ParallelIterator<Item = (String, Vec<u8>)>) {
    let parts: Vec<super::Output> = files
        .fold(
            || output.part(),
            |mut part, (path, bytes)| {
                part.insert(path, bytes);
                part
            },
        )
        .collect();
    for part in parts {
        output.merge(part);
    }
}

/// Builds the index files for documents already in id order.
pub fn index_documents(docs: &[SearchDoc<'_>]) -> Vec<(String, Vec<u8>)> {
    let mut output = super::Output::default();
    index_documents_into(docs, &mut output);
    output.files.into_iter().collect()
}

/// [`index_documents`] into `output`. The document chunks, most of the
/// index, are handed over as they are made rather than held until the
/// last is done.
pub fn index_documents_into(docs: &[SearchDoc<'_>], output: &mut super::Output) {
    // Each thread gathers the postings of a contiguous run of documents;
    // runs are joined in order, so every list stays sorted by document.
    let postings = docs
        .par_iter()
        .enumerate()
        .fold(Postings::default, |mut postings, (id, doc)| {
            postings.add(id as u32, doc);
            postings
        })
        .reduce(Postings::default, Postings::append);
    // Each term as it appears in its shard: `"term":[weight,"ids",…]`.
    let mut encoded: Vec<(String, String)> = postings
        .terms
        .into_par_iter()
        .map(|(t, list)| {
            let mut entry = String::with_capacity(t.len() + 3 + 4 * list.len());
            push_json_string(&mut entry, &t);
            entry.push(':');
            encode_postings(&list, &mut entry);
            (t, entry)
        })
        .collect();
    encoded.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let sizes: Vec<(&str, usize)> = encoded
        .iter()
        .map(|(t, entry)| (t.as_str(), entry.len() + 1))
        .collect();

    let mut shards: Vec<(String, Vec<usize>)> = Vec::new();
    let mut start = 0;
    while start < sizes.len() {
        let key = prefix(sizes[start].0, 2);
        let end = start
            + sizes[start..]
                .iter()
                .take_while(|(t, _)| prefix(t, 2) == key)
                .count();
        assign_shards(
            &sizes[start..end],
            key,
            key.chars().count(),
            &mut shards,
            start,
        );
        start = end;
    }
    shards.sort_by(|a, b| a.0.cmp(&b.0));

    let shard_files: Vec<(String, Vec<u8>)> = shards
        .par_iter()
        .map(|(key, members)| {
            let name = shard_file(key);
            let size = members
                .iter()
                .map(|&i| encoded[i].1.len() + 1)
                .sum::<usize>()
                + 1;
            let bytes = script_with(name.trim_end_matches(".js"), size, |out| {
                out.push('{');
                for (n, &i) in members.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    out.push_str(&encoded[i].1);
                }
                out.push('}');
            });
            (format!("search/{name}"), bytes)
        })
        .collect();
    let mut shard_keys = Vec::with_capacity(shards.len());
    let mut shard_kb = String::new();
    for ((key, _), (_, bytes)) in shards.iter().zip(&shard_files) {
        push_varint(&mut shard_kb, bytes.len().div_ceil(1024) as u32);
        shard_keys.push(key.clone());
    }
    // Document chunks, cut by size so that a result costs a few KB.
    let rows: Vec<String> = docs
        .par_iter()
        .map(|doc| {
            let kind = DocKind::ALL
                .iter()
                .position(|k| *k == doc.kind)
                .unwrap_or(0);
            let excerpt = cut_excerpt(&doc.text);
            let mut row = String::with_capacity(
                16 + doc.url.len() + doc.title.len() + doc.context.len() + excerpt.len(),
            );
            row.push('[');
            push_decimal(&mut row, kind);
            for field in [doc.url.as_str(), &doc.title, &doc.context, excerpt] {
                row.push(',');
                push_json_string(&mut row, field);
            }
            row.push(']');
            row
        })
        .collect();
    // Chunks take their rows over and drop them once written into the
    // chunk's file, so the rows and the files are not held whole at once.
    let mut chunks: Vec<(usize, Vec<String>)> = Vec::new();
    let mut chunk_bytes = 0;
    for (id, row) in rows.into_iter().enumerate() {
        let size = row.len() + 1;
        match chunks.last_mut() {
            Some((_, rows)) if chunk_bytes + size <= CHUNK_BYTES && rows.len() < CHUNK_DOCS => {
                rows.push(row);
                chunk_bytes += size;
            }
            _ => {
                chunks.push((id, vec![row]));
                chunk_bytes = size;
            }
        }
    }
    let mut chunk_starts = String::new();
    let mut previous = 0;
    for (first, _) in &chunks {
        push_varint(&mut chunk_starts, (first - previous) as u32);
        previous = *first;
    }
    // Each chunk is written straight into its file's bytes: the rows are
    // most of the index, and joining them first would copy them twice.
    let chunk_files = chunks.into_par_iter().enumerate().map(|(n, (_, rows))| {
        let name = format!("d-{n}");
        let size = rows.iter().map(|row| row.len() + 1).sum::<usize>() + 1;
        let bytes = script_with(&name, size, |out| {
            out.push('[');
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(row);
            }
            out.push(']');
        });
        (format!("search/{name}.js"), bytes)
    });
    insert_all(output, chunk_files);
    insert_all(output, shard_files.into_par_iter());
    output.insert(
        "search/meta.js",
        script("meta", &meta(docs, &shard_keys, &shard_kb, &chunk_starts)),
    );
}

fn meta(
    docs: &[SearchDoc<'_>],
    shard_keys: &[String],
    shard_kb: &str,
    chunk_starts: &str,
) -> Value {
    let kinds: Vec<Value> = DocKind::ALL
        .iter()
        .map(|kind| {
            let start = docs
                .iter()
                .position(|d| d.kind >= *kind)
                .unwrap_or(docs.len());
            let end = docs
                .iter()
                .position(|d| d.kind > *kind)
                .unwrap_or(docs.len());
            json!([kind.as_str(), kind.label(), start, end])
        })
        .collect();
    let mut tiers = BTreeSet::new();
    let mut csms = BTreeSet::new();
    for facets in docs.iter().filter_map(|d| d.facets.as_ref()) {
        tiers.extend(facets.tier.clone());
        csms.extend(facets.csm.clone());
    }
    let tiers: Vec<String> = tiers.into_iter().collect();
    let csms: Vec<String> = csms.into_iter().collect();
    let states: Vec<&str> = crate::status::CustomerState::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    let labels: BTreeMap<&str, &str> = crate::status::CustomerState::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect();
    let index_of = |values: &[String], value: &Option<String>| -> i64 {
        value
            .as_ref()
            .and_then(|v| values.iter().position(|x| x == v))
            .map_or(-1, |i| i as i64)
    };
    let mut customers = serde_json::Map::new();
    for (id, doc) in docs.iter().enumerate() {
        if let Some(f) = &doc.facets {
            let state = states
                .iter()
                .position(|s| *s == f.state)
                .map_or(-1, |i| i as i64);
            customers.insert(
                id.to_string(),
                json!([index_of(&tiers, &f.tier), state, index_of(&csms, &f.csm)]),
            );
        }
    }
    let fold: Vec<String> = FOLDS
        .iter()
        .map(|(from, to)| format!("{from}{to}"))
        .collect();
    json!({
        "version": 1,
        "docs": docs.len(),
        "kinds": kinds,
        "shards": shard_keys.join(" "),
        "shardKb": shard_kb,
        "chunks": chunk_starts,
        "fold": fold.join(" "),
        "stop": STOP_WORDS.join(" "),
        "maxWord": MAX_WORD_CHARS,
        "facets": { "tier": tiers, "state": states, "csm": csms },
        "stateLabels": labels,
        "customers": customers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        let cases = [
            "",
            "plain words",
            "a \"quoted\" back\\slash",
            "lines\nand\ttabs\r\u{8}\u{c}",
            "controls \u{0}\u{1}\u{1f} and \u{7f}",
            "accents é, ß and 東京 and emoji 🎉",
            "</script><!-- -->",
        ];
        for text in cases {
            let mut out = String::new();
            push_json_string(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn excerpts_end_at_a_space_within_the_limit() {
        let word = "abcd ";
        let ascii = word.repeat(EXCERPT_CHARS / word.len() + 10);
        let cut = cut_excerpt(&ascii);
        assert!(cut.len() <= EXCERPT_CHARS && cut.len() > EXCERPT_CHARS - word.len());
        assert!(ascii.starts_with(cut) && cut.ends_with('d'));
        // Characters, not bytes, are counted: the same text in two-byte
        // letters keeps as many characters.
        let wide = ascii.replace('a', "é");
        let cut_wide = cut_excerpt(&wide);
        assert_eq!(cut_wide.chars().count(), cut.chars().count());
        // A text under the limit is kept whole, however many bytes.
        let short = "é".repeat(EXCERPT_CHARS - 1);
        assert_eq!(cut_excerpt(&short), short);
        assert_eq!(cut_excerpt("short"), "short");
    }

    #[test]
    fn short_words_read_their_bytes_in_order() {
        let bytes: Vec<u8> = (1..=23).collect();
        for n in 0..=8 {
            let mut padded = [0u8; 8];
            padded[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(
                little_endian(&bytes[..n]),
                u64::from_le_bytes(padded),
                "{n}"
            );
        }
        let words = [
            "",
            "a",
            "kickoff",
            "escalation",
            "onboarding-readiness",
            "x".repeat(23).as_str(),
        ]
        .map(|w| ShortWord::new(w).expect("short"));
        for (i, a) in words.iter().enumerate() {
            for (j, b) in words.iter().enumerate() {
                assert_eq!(i == j, a == b);
            }
        }
        assert!(ShortWord::new(&"x".repeat(24)).is_none());
        assert!(ShortWord::new("ab") != ShortWord::new("abc"));
    }

    #[test]
    fn fold_table_is_sorted_for_binary_search() {
        assert!(FOLDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    /// The tokeniser as first written, one char at a time: the fast path
    /// for ASCII must split and fold exactly as it does.
    fn words_char_by_char(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        for c in text.chars() {
            for lc in c.to_lowercase() {
                if ('\u{300}'..='\u{36f}').contains(&lc) {
                } else if let Some(folded) = fold_char(lc) {
                    word.push_str(folded);
                } else if lc.is_alphanumeric() {
                    word.push(lc);
                } else if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
        }
        if !word.is_empty() {
            out.push(word);
        }
        out
    }

    #[test]
    fn terms_are_the_stems_of_indexed_words() {
        for word in [
            "escalations",
            "escalated",
            "configure",
            "kickoff",
            "status",
            "analysis",
            "daily",
            "sso",
            "tree",
            "mappings",
            "café",
            "zürichs",
            "x1",
            "2024",
            "apis",
            "boxes",
        ] {
            let mut terms = Vec::new();
            for_each_term(word, |t| terms.push(t.to_string()));
            assert_eq!(terms, [stem(&words(word)[0])], "{word}");
        }
    }

    #[test]
    fn ascii_fast_path_splits_as_char_by_char() {
        for text in [
            "",
            "plain words, and MIXED Case-words: x1 2y",
            "Café crème brûlée at Zürich's ÆON office",
            "naïve e\u{301}clair İstanbul straße",
            "ascii-then-ÜNICODE-then ascii;tail",
            "trailing accent é",
            "ÉÉ  ÀÀ\t\nend",
            "数字123と漢字 mixed",
            "a—b–c…d",
        ] {
            let mut fast = Vec::new();
            for_each_word(text, |w| fast.push(w.to_string()));
            assert_eq!(fast, words_char_by_char(text), "{text:?}");
        }
    }

    #[test]
    fn words_fold_case_and_accents() {
        assert_eq!(words("Söhne & SSO"), ["sohne", "sso"]);
        assert_eq!(words("Straße, Œuvre, Łódź"), ["strasse", "oeuvre", "lodz"]);
        // Decomposed: o + combining diaeresis.
        assert_eq!(words("So\u{308}hne"), ["sohne"]);
        assert_eq!(
            words("30-day check-in (v1.2)"),
            ["30", "day", "check", "in", "v1", "2"]
        );
        assert_eq!(words("ÀÉÎ"), ["aei"]);
        assert_eq!(words("İstanbul"), ["istanbul"]);
    }

    #[test]
    fn stemming_is_light_and_consistent() {
        for word in [
            "escalation",
            "escalations",
            "escalate",
            "escalated",
            "escalates",
            "escalating",
        ] {
            assert_eq!(stem(word), "escalat", "{word}");
        }
        assert_eq!(stem("onboarding"), "onboard");
        assert_eq!(stem("customers"), "customer");
        assert_eq!(stem("companies"), "company");
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("analysis"), "analysis");
        assert_eq!(stem("weekly"), "week");
        assert_eq!(stem("sso"), "sso");
        assert_eq!(stem("uses"), "use");
        assert_eq!(stem("notes"), stem("note"));
        assert_eq!(stem("meetings"), stem("meeting"));
        assert_eq!(stem("v1"), "v1");
    }

    #[test]
    fn tokens_drop_stop_words_and_single_letters() {
        assert_eq!(
            tokenize("The kickoff of a SaaS customer"),
            ["kickoff", "saa", "customer"]
        );
        assert_eq!(tokenize("Söhne"), tokenize("sohne"));
        assert_eq!(tokenize("SSO"), ["sso"]);
        assert_eq!(tokenize("x 7 it"), ["7", "it"]);
        assert!(tokenize(&"a".repeat(41)).is_empty());
    }

    #[test]
    fn ids_round_trip_in_both_encodings() {
        let sparse = vec![3, 90, 4000, 70000];
        let dense: Vec<u32> = (100..2100).filter(|i| i % 3 != 0).collect();
        let sparse_text = encode_ids(&sparse);
        let dense_text = encode_ids(&dense);
        assert!(!sparse_text.starts_with('~'));
        assert!(dense_text.starts_with('~'), "dense ids use a bitmap");
        assert_eq!(decode_ids(&sparse_text), sparse);
        assert_eq!(decode_ids(&dense_text), dense);
        assert_eq!(decode_ids(&encode_ids(&[0])), vec![0]);
        assert_eq!(
            decode_ids(&encode_ids(&[31, 32, 1023, 1024, 1025])),
            vec![31, 32, 1023, 1024, 1025]
        );
    }

    fn doc(kind: DocKind, title: &str, context: &str, text: &str) -> SearchDoc<'static> {
        SearchDoc {
            kind,
            url: format!("{}/{}", kind.as_str(), words(title).join("-")),
            title: title.into(),
            context: context.into(),
            keywords: String::new(),
            text: text.to_string().into(),
            facets: None,
        }
    }

    fn weight_of(doc: &SearchDoc<'_>, t: &str) -> u8 {
        weigh(doc)
            .into_iter()
            .find(|(term, _)| term == t)
            .map_or(0, |(_, w)| w)
    }

    #[test]
    fn titles_outweigh_context_which_outweighs_body() {
        let in_title = doc(DocKind::Term, "Escalation contact", "", "");
        let in_context = doc(DocKind::Step, "Call the sponsor", "Escalation policy", "");
        let in_body = doc(
            DocKind::Step,
            "Call the sponsor",
            "Kickoff",
            "escalate escalate escalate escalate escalate",
        );
        let title = weight_of(&in_title, "escalat");
        let context = weight_of(&in_context, "escalat");
        let body = weight_of(&in_body, "escalat");
        assert!(title > 2 * (context + 3), "{title} {context}");
        assert!(context > 2 * body, "{context} {body}");
        assert_eq!(body, 3, "body counts are capped");
        // A short title that is the term beats a long one that contains it.
        let short = doc(DocKind::Term, "NPS", "", "");
        let long = doc(
            DocKind::Term,
            "How we run the NPS survey each quarter",
            "",
            "",
        );
        assert!(weight_of(&short, "nps") > weight_of(&long, "nps"));
    }

    #[test]
    fn shards_split_where_a_prefix_is_too_big() {
        let mut docs = Vec::new();
        for i in 0..3000 {
            // Thousands of distinct `al…` terms overflow the `al` shard.
            let text = format!("alpha alpine also album alpha{i}x");
            docs.push(doc(DocKind::Page, &format!("Page {i:05}"), "", &text));
        }
        let files = index_documents(&docs);
        let al: Vec<&(String, Vec<u8>)> = files
            .iter()
            .filter(|(n, _)| n.starts_with("search/t-al"))
            .collect();
        assert!(
            al.len() > 3,
            "{:?}",
            al.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for (name, bytes) in &files {
            if name.starts_with("search/t-") {
                assert!(
                    bytes.len() <= SHARD_BYTES + 1024,
                    "{name} is {} bytes",
                    bytes.len()
                );
            }
            if name.starts_with("search/d-") {
                assert!(
                    bytes.len() <= CHUNK_BYTES + 1024,
                    "{name} is {} bytes",
                    bytes.len()
                );
            }
        }
        let meta = String::from_utf8(
            files
                .iter()
                .find(|(n, _)| n == "search/meta.js")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap();
        assert!(
            meta.starts_with("window.__onboardSearch.add(\"meta\","),
            "{meta}"
        );
        // Same input, same bytes.
        assert_eq!(files, index_documents(&docs));
    }

    #[test]
    fn shard_files_are_safe_names() {
        assert_eq!(shard_file("es"), "t-es.js");
        assert_eq!(shard_file("日本"), "t-_e697a5e69cac.js");
    }
}
