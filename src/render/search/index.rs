//! Postings: which documents each term is found in, and how much it
//! weighs there (title, then context and keywords, then body).

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::documents::{DocKind, SearchDoc};
use super::tokenize::{for_each_term, for_each_word, term};

/// Weight of a term in a title: short titles that contain it win. A
/// customer's name weighs more than any other title, so that a customer
/// whose name matches comes first.
fn title_weight(kind: DocKind, title_terms: usize) -> u8 {
    let base = if kind == DocKind::Customer {
        CUSTOMER_NAME_WEIGHT
    } else {
        24
    };
    (base + 16 / title_terms.max(1)) as u8
}

/// Base weight of a term of a customer's name: above the most any other
/// document gets for a term (a one-word title, 40, plus context, 8, plus
/// body, 3).
const CUSTOMER_NAME_WEIGHT: usize = 52;

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

    /// The weight of a term found so, in a document of `kind` whose title
    /// terms weigh `title_w`. A customer's body (its situation) weighs 1
    /// however often a word recurs, so that the SOP about a word comes
    /// before the customers whose notes repeat it.
    fn weight(self, kind: DocKind, title_w: u8) -> u8 {
        let title = if self.in_title { title_w } else { 0 };
        let context = if self.in_context { CONTEXT_WEIGHT } else { 0 };
        let body = body_weight(self.count);
        let body = if kind == DocKind::Customer {
            body.min(1)
        } else {
            body
        };
        title + context + body
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
    let mut seen: FxHashMap<String, Found> =
        FxHashMap::with_capacity_and_hasher(256, Default::default());
    for_each_doc_term(doc, |t, field| match seen.get_mut(t) {
        Some(found) => found.mark(field),
        None => seen.entry(t.to_string()).or_default().mark(field),
    });
    let title_w = title_weight(doc.kind, seen.values().filter(|f| f.in_title).count());
    let mut weights: Vec<(String, u8)> = seen
        .into_iter()
        .map(|(t, found)| (t, found.weight(doc.kind, title_w)))
        .collect();
    weights.sort_unstable();
    weights
}

/// The postings of every document, in document order: each term (in the
/// order first met) with its (document, weight) pairs. `docs` are in id
/// order.
pub(super) fn postings(docs: &[SearchDoc<'_>]) -> Vec<(String, Vec<(u32, u8)>)> {
    // Each thread gathers the postings of a contiguous run of documents;
    // runs are joined in order, so every list stays sorted by document.
    docs.par_iter()
        .enumerate()
        .fold(Postings::default, |mut postings, (id, doc)| {
            postings.add(id as u32, doc);
            postings
        })
        .reduce(Postings::default, Postings::append)
        .terms
}

/// The postings of a run of documents, gathered on one thread. Each term
/// is allocated once per run, not once per document that uses it, and a
/// document's terms are weighed in place without a map of their own.
#[derive(Default)]
struct Postings {
    /// Folded word, as the text has it → the slot of its term, or
    /// [`NOT_INDEXED`]. Most words recur, so a word seen before costs one
    /// lookup, without the stop-word check and the stemming rules.
    words: FxHashMap<String, u32>,
    /// Term → its slot.
    slots: FxHashMap<String, u32>,
    /// Per slot: the term and its postings, by document.
    terms: Vec<(String, Vec<(u32, u8)>)>,
    /// Per slot: 1 + the last document that used it, and where in
    /// `found` that document keeps it.
    last: Vec<(u32, u32)>,
    /// The current document's terms: slot and where found.
    found: Vec<(u32, Found)>,
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
        let title_w = title_weight(
            doc.kind,
            self.found.iter().filter(|(_, f)| f.in_title).count(),
        );
        for (slot, found) in self.found.drain(..) {
            self.terms[slot as usize]
                .1
                .push((id, found.weight(doc.kind, title_w)));
        }
    }

    /// The slot of a word's term, or [`NOT_INDEXED`].
    fn word_slot(&mut self, word: &str) -> u32 {
        if let Some(&slot) = self.words.get(word) {
            return slot;
        }
        let slot = term(word).map_or(NOT_INDEXED, |t| self.slot(t));
        self.words.insert(word.to_string(), slot);
        slot
    }

    /// The slot of a term, given one if it has none yet.
    fn slot(&mut self, term: String) -> u32 {
        if let Some(&slot) = self.slots.get(&term) {
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
            match self.slots.get(&term) {
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

#[cfg(test)]
mod tests {
    use super::super::documents::{DocKind, doc};
    use super::*;

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
    fn a_customer_name_outweighs_any_other_document() {
        let customer = doc(
            DocKind::Customer,
            "Globex Logistics Incorporated Worldwide",
            "",
            "",
        );
        let mut sop = doc(
            DocKind::Sop,
            "Globex",
            "Globex",
            "globex globex globex globex",
        );
        sop.keywords = "globex".into();
        let (name, most) = (weight_of(&customer, "globex"), weight_of(&sop, "globex"));
        assert_eq!(most, 51, "title, context and body all hold the word");
        assert!(name > most, "{name} {most}");
        // A customer found by its situation only weighs as anything else.
        let blocked = doc(
            DocKind::Customer,
            "Initech",
            "",
            "waiting on globex; globex globex globex",
        );
        assert_eq!(weight_of(&blocked, "globex"), 1);
    }

    #[test]
    fn postings_weigh_every_document_as_weigh_does() {
        // Words that recur across documents come from the word cache;
        // long words, stop words and accents go through it too.
        let long = "onboarding-readiness-checklist-for-enterprise-customers";
        let docs = [
            doc(
                DocKind::Step,
                "Confirm readiness",
                "Kickoff",
                "escalate the escalation",
            ),
            doc(DocKind::Sop, "Kickoff", "The first meeting", long),
            doc(
                DocKind::Page,
                "Readiness",
                "",
                &format!("{long} {long} Zürich the a"),
            ),
            doc(
                DocKind::Term,
                "SSO",
                "",
                "kickoff readiness readiness escalated",
            ),
            doc(DocKind::Customer, "Readiness Corp", "", "sso kickoff"),
        ];
        let mut from_postings: Vec<Vec<(String, u8)>> = vec![Vec::new(); docs.len()];
        for (term, list) in postings(&docs) {
            for (id, weight) in list {
                from_postings[id as usize].push((term.clone(), weight));
            }
        }
        for (id, doc) in docs.iter().enumerate() {
            from_postings[id].sort_unstable();
            assert_eq!(from_postings[id], weigh(doc), "{}", doc.title);
        }
    }
}
