//! Site search: the documents people look for, tokenised, written as a
//! sharded index of small `<script>` files that `search.js` loads on demand.
//!
//! One document per SOP step (deep-linked to its anchor), SOP, playbook,
//! role, glossary term, free page and customer. Customers contribute their
//! name, CSM, tier and situation (blockers, actions, risks, updates, notes,
//! milestones, stakeholders): the index is the internal site's alone, and
//! share sites carry none.
//!
//! Why `<script>` files rather than one JSON file behind `fetch`: the site
//! must search when opened from `file://`, where browsers refuse `fetch`.
//! Why shards: a 20,000-page site has megabytes of postings, and a query
//! should download only the few that its terms need. The files are
//!
//! - `search/meta.js`: document count, kinds as id ranges, the shard keys
//!   and their sizes, where each document chunk starts, the vocabulary files,
//!   and the folding table and stop words so the browser tokenises exactly
//!   as this module does;
//! - `search/t-<key>.js`: the postings of every term whose longest shard
//!   key is `<key>` (keys are term prefixes of two or more characters,
//!   lengthened where a prefix holds too much);
//! - `search/v-<c>.js`: every term that starts with `c`, without postings,
//!   for finding close spellings of a query word that matches nothing;
//! - `search/facets.js`: customer facet values and each customer's, loaded
//!   only when results include customers;
//! - `search/d-<n>.js`: a chunk of documents (kind, URL, title, context,
//!   excerpt text), loaded only for the results that are shown.
//!
//! Each file calls `window.__onboardSearch.add(name, data)`. Document ids
//! follow the display order for ties (kind, then title), so the browser
//! breaks ties without loading titles. Everything is sorted, so the same
//! site gives the same bytes.
//!
//! The rooms, in the order a build goes through them: `documents` collects
//! what can be found, `tokenize` turns text into terms, `index` gathers
//! each term's postings, `encode` writes document ids compactly, and
//! `files` writes the shards, the vocabularies, the chunks, `facets.js`
//! and `meta.js`.

mod documents;
mod encode;
mod files;
mod index;
mod tokenize;

pub use documents::{CustomerFacets, DocKind, SearchDoc, documents};
pub use encode::{decode_ids, encode_ids, push_varint, read_varints};
pub use files::{
    CHUNK_BYTES, CHUNK_DOCS, EXCERPT_CHARS, SHARD_BYTES, index_documents, index_documents_into,
    shard_file, vocabulary_file,
};
pub use index::weigh;
pub use tokenize::{
    FOLDS, MAX_WORD_CHARS, STOP_WORDS, fold_char, for_each_term, for_each_word, stem, term,
    tokenize, words,
};

use crate::site::Site;

/// Builds the search index of the internal site: output path → bytes.
pub fn build_index(site: &Site) -> Vec<(String, Vec<u8>)> {
    index_documents(&documents(site))
}

/// Builds the search index of the internal site into `output`, its files
/// handed over on all cores: there are thousands of them.
pub fn insert_index(site: &Site, output: &mut super::Output) {
    index_documents_into(&documents(site), output);
}
