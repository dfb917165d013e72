//! The index files: term shards, document chunks and `meta.js`, each a
//! `<script>` that hands its data, written by `serde_json`, to
//! `window.__onboardSearch.add(name, data)`.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use super::documents::{DocKind, SearchDoc};
use super::encode::{PostingList, push_varint};
use super::index::postings;
use super::tokenize::{FOLDS, MAX_WORD_CHARS, STOP_WORDS};
use crate::render::Output;
use crate::status::CustomerState;

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
    keyed_file("t", key)
}

/// The file listing every term that starts with `first`, for typo
/// tolerance: `v-<first>.js`, named as [`shard_file`] names shards.
pub fn vocabulary_file(first: &str) -> String {
    keyed_file("v", first)
}

fn keyed_file(kind: &str, key: &str) -> String {
    if key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        format!("{kind}-{key}.js")
    } else {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        format!("{kind}-_{hex}.js")
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

/// Appends `value` as compact JSON.
fn write_json(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) {
    // Strings, numbers and maps with string keys always serialize, and
    // writing into memory cannot fail.
    serde_json::to_writer(out, value).expect("index data is plain JSON");
}

/// Writes pieces that are JSON already as one object or array: `open`, the
/// pieces with commas between, `close`. Entries and rows are encoded once,
/// as their sizes decide which file they go to, and copied in here.
fn write_joined<'a>(
    out: &mut Vec<u8>,
    open: u8,
    pieces: impl Iterator<Item = &'a [u8]>,
    close: u8,
) {
    out.push(open);
    for (n, piece) in pieces.enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(piece);
    }
    out.push(close);
}

/// A file that hands its data to the client:
/// `window.__onboardSearch.add("name",DATA);`, the data written by
/// `write_data`, about `size` bytes of it.
fn script(name: &str, size: usize, write_data: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + name.len() + 32);
    out.extend_from_slice(b"window.__onboardSearch.add(");
    write_json(&mut out, name);
    out.push(b',');
    write_data(&mut out);
    out.extend_from_slice(b");\n");
    out
}

/// Builds the index files for documents already in id order.
pub fn index_documents(docs: &[SearchDoc<'_>]) -> Vec<(String, Vec<u8>)> {
    let mut output = Output::default();
    index_documents_into(docs, &mut output);
    output.files.into_iter().collect()
}

/// [`index_documents`] into `output`, the files handed over on all cores:
/// there are thousands of them. The document chunks, most of the index,
/// are handed over as they are made rather than held until the last is
/// done.
pub fn index_documents_into(docs: &[SearchDoc<'_>], output: &mut Output) {
    let entries = term_entries(docs);
    let (shard_keys, shard_files) = shard_files(&entries);
    let shard_kb = shard_sizes_kb(&shard_files);
    let (vocabulary_keys, vocabulary_files) = vocabulary(&entries);
    let chunks = chunks(doc_rows(docs));
    let chunk_starts = chunk_starts(&chunks);
    insert_all(output, chunk_files(chunks));
    insert_all(output, shard_files.into_par_iter());
    for (path, bytes) in vocabulary_files {
        output.insert(path, bytes);
    }
    let meta = meta(
        docs,
        &shard_keys,
        &shard_kb,
        &chunk_starts,
        &vocabulary_keys,
    );
    output.insert(
        "search/meta.js",
        script("meta", 0, |out| write_json(out, &meta)),
    );
    let facets = facets(docs);
    output.insert(
        "search/facets.js",
        script("facets", 0, |out| write_json(out, &facets)),
    );
}

/// The term shards' keys, in order, and their files
/// (`search/t-<key>.js`), each an object of its terms' entries, written
/// on all cores.
fn shard_files(entries: &[(String, Vec<u8>)]) -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    let shards = shards(entries);
    let files = shards
        .par_iter()
        .map(|(key, members)| {
            let name = shard_file(key);
            let size = members
                .iter()
                .map(|&i| entries[i].1.len() + 1)
                .sum::<usize>()
                + 1;
            let pieces = members.iter().map(|&i| entries[i].1.as_slice());
            let bytes = script(name.trim_end_matches(".js"), size, |out| {
                write_joined(out, b'{', pieces, b'}');
            });
            (format!("search/{name}"), bytes)
        })
        .collect();
    let keys = shards.into_iter().map(|(key, _)| key).collect();
    (keys, files)
}

/// Each shard file's size in KB, rounded up, as varints in shard order, so
/// that the client knows what a query will load.
fn shard_sizes_kb(shard_files: &[(String, Vec<u8>)]) -> String {
    let mut sizes = String::new();
    for (_, bytes) in shard_files {
        push_varint(&mut sizes, bytes.len().div_ceil(1024) as u32);
    }
    sizes
}

/// The first document id of each chunk, as varints of the gap from the
/// previous chunk's.
fn chunk_starts(chunks: &[(usize, Vec<Vec<u8>>)]) -> String {
    let mut starts = String::new();
    let mut previous = 0;
    for (first, _) in chunks {
        push_varint(&mut starts, (first - previous) as u32);
        previous = *first;
    }
    starts
}

/// The document chunk files (`search/d-<n>.js`), each an array of its
/// rows, made on all cores as they are asked for.
fn chunk_files(
    chunks: Vec<(usize, Vec<Vec<u8>>)>,
) -> impl ParallelIterator<Item = (String, Vec<u8>)> {
    chunks.into_par_iter().enumerate().map(|(n, (_, rows))| {
        let name = format!("d-{n}");
        let size = rows.iter().map(|row| row.len() + 1).sum::<usize>() + 1;
        let bytes = script(&name, size, |out| {
            write_joined(out, b'[', rows.iter().map(Vec::as_slice), b']');
        });
        (format!("search/{name}.js"), bytes)
    })
}

/// The vocabulary files: for each first character, every term that starts
/// with it, space-separated in term order. A query word that matches
/// nothing is compared with these (and with those of its second character)
/// to find close spellings, without the postings a shard carries. Returns
/// the first characters, in order, and the files.
fn vocabulary(entries: &[(String, Vec<u8>)]) -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    let mut keys = Vec::new();
    let mut files = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let first = prefix(&entries[start].0, 1);
        let end = start
            + entries[start..]
                .iter()
                .take_while(|(t, _)| prefix(t, 1) == first)
                .count();
        let terms: Vec<&str> = entries[start..end]
            .iter()
            .map(|(t, _)| t.as_str())
            .collect();
        let name = vocabulary_file(first);
        let words = terms.join(" ");
        let bytes = script(name.trim_end_matches(".js"), words.len() + 2, |out| {
            write_json(out, &words);
        });
        keys.push(first.to_string());
        files.push((format!("search/{name}"), bytes));
        start = end;
    }
    (keys, files)
}

/// Hands `files` to `output` from all cores.
fn insert_all(output: &mut Output, files: impl ParallelIterator<Item = (String, Vec<u8>)>) {
    let parts: Vec<Output> = files
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

/// Each term with its entry in a shard, `"term":[weight,"ids",…]`, sorted
/// by term.
fn term_entries(docs: &[SearchDoc<'_>]) -> Vec<(String, Vec<u8>)> {
    let mut entries: Vec<(String, Vec<u8>)> = postings(docs)
        .into_par_iter()
        .map(|(term, list)| {
            let mut entry = Vec::with_capacity(term.len() + 3 + 4 * list.len());
            write_json(&mut entry, &term);
            entry.push(b':');
            write_json(&mut entry, &PostingList::new(&list));
            (term, entry)
        })
        .collect();
    entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// The shards, sorted by key: each key with the entries it holds, as
/// indices into `entries` (sorted by term).
fn shards(entries: &[(String, Vec<u8>)]) -> Vec<(String, Vec<usize>)> {
    let sizes: Vec<(&str, usize)> = entries
        .iter()
        .map(|(term, entry)| (term.as_str(), entry.len() + 1))
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
    shards
}

/// One document as a chunk lists it: `[kind, url, title, context, excerpt]`,
/// the kind as its place in [`DocKind::ALL`].
#[derive(Serialize)]
struct DocRow<'a>(usize, &'a str, &'a str, &'a str, &'a str);

/// Every document's row, encoded, in id order.
fn doc_rows(docs: &[SearchDoc<'_>]) -> Vec<Vec<u8>> {
    docs.par_iter()
        .map(|doc| {
            let kind = DocKind::ALL
                .iter()
                .position(|k| *k == doc.kind)
                .unwrap_or(0);
            let excerpt = cut_excerpt(&doc.text);
            let mut row = Vec::with_capacity(
                16 + doc.url.len() + doc.title.len() + doc.context.len() + excerpt.len(),
            );
            write_json(
                &mut row,
                &DocRow(kind, &doc.url, &doc.title, &doc.context, excerpt),
            );
            row
        })
        .collect()
}

/// The rows cut into chunks by size, so that a result costs a few KB: each
/// chunk's first document id and its rows. Chunks take the rows over, and
/// each is dropped once written into its file, so the rows and the files
/// are not held whole at once.
fn chunks(rows: Vec<Vec<u8>>) -> Vec<(usize, Vec<Vec<u8>>)> {
    let mut chunks: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
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
    chunks
}

/// What `meta.js` holds: document count, kinds as id ranges, the shard
/// keys and their sizes, where each chunk starts, the first characters
/// that have a vocabulary file, and the folding table and stop words so the
/// client tokenises as the index did.
fn meta(
    docs: &[SearchDoc<'_>],
    shard_keys: &[String],
    shard_kb: &str,
    chunk_starts: &str,
    vocabulary_keys: &[String],
) -> Value {
    let fold: Vec<String> = FOLDS
        .iter()
        .map(|(from, to)| format!("{from}{to}"))
        .collect();
    json!({
        "version": 2,
        "docs": docs.len(),
        "kinds": kind_ranges(docs),
        "shards": shard_keys.join(" "),
        "shardKb": shard_kb,
        "chunks": chunk_starts,
        "vocabulary": vocabulary_keys.join(" "),
        "fold": fold.join(" "),
        "stop": STOP_WORDS.join(" "),
        "maxWord": MAX_WORD_CHARS,
    })
}

/// For each kind, in display order: `[kind, label, first id, end id]`, the
/// ids of its documents (documents are in kind order).
fn kind_ranges(docs: &[SearchDoc<'_>]) -> Vec<Value> {
    DocKind::ALL
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
        .collect()
}

/// What `facets.js` holds, loaded only when results include customers: the
/// facet values, and for each customer (in id order from the first) three
/// varints, 1 + the place of its tier, state and CSM among the values (0
/// for none). On a site of 10,000 customers that is 30 KB that a first
/// query does not load.
fn facets(docs: &[SearchDoc<'_>]) -> Value {
    let mut tiers = BTreeSet::new();
    let mut csms = BTreeSet::new();
    for facets in docs.iter().filter_map(|d| d.facets.as_ref()) {
        tiers.extend(facets.tier.clone());
        csms.extend(facets.csm.clone());
    }
    let tiers: Vec<String> = tiers.into_iter().collect();
    let csms: Vec<String> = csms.into_iter().collect();
    let states: Vec<&str> = CustomerState::ALL.iter().map(|s| s.as_str()).collect();
    let labels: BTreeMap<&str, &str> = CustomerState::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect();
    let first_customer = docs
        .iter()
        .position(|d| d.kind == DocKind::Customer)
        .unwrap_or(docs.len());
    let customers = docs[first_customer..]
        .iter()
        .take_while(|d| d.kind == DocKind::Customer);
    let mut rows = String::new();
    for doc in customers {
        let f = doc.facets.clone().unwrap_or_default();
        push_varint(&mut rows, place(&tiers, f.tier.as_deref()));
        push_varint(&mut rows, place(&states, Some(f.state.as_str())));
        push_varint(&mut rows, place(&csms, f.csm.as_deref()));
    }
    json!({
        "values": { "tier": tiers, "state": states, "csm": csms },
        "stateLabels": labels,
        "first": first_customer,
        "rows": rows,
    })
}

/// 1 + the place of `value` among `values`, or 0 when it has none or is
/// not among them.
fn place(values: &[impl AsRef<str>], value: Option<&str>) -> u32 {
    value
        .and_then(|v| values.iter().position(|x| x.as_ref() == v))
        .map_or(0, |i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::super::documents::doc;
    use super::*;

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
    fn document_text_reaches_the_client_unchanged() {
        let texts = [
            "plain words",
            "a \"quoted\" back\\slash",
            "lines\nand\ttabs\r\u{8}\u{c}",
            "controls \u{0}\u{1}\u{1f} and \u{7f}",
            "accents é, ß and 東京 and emoji 🎉",
            "</script><!-- -->",
        ];
        let docs: Vec<SearchDoc<'static>> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| doc(DocKind::Page, &format!("Page {i}"), text, text))
            .collect();
        let files = index_documents(&docs);
        let chunk = &files.iter().find(|(n, _)| n == "search/d-0.js").unwrap().1;
        let chunk = std::str::from_utf8(chunk).unwrap();
        let json = chunk
            .strip_prefix("window.__onboardSearch.add(\"d-0\",")
            .and_then(|rest| rest.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("{chunk}"));
        let rows: Vec<(usize, String, String, String, String)> =
            serde_json::from_str(json).unwrap();
        assert_eq!(rows.len(), texts.len());
        for (row, text) in rows.iter().zip(texts) {
            assert_eq!((row.3.as_str(), row.4.as_str()), (text, text));
        }
        // Escaped as serde_json escapes, so the client's JSON.parse reads it.
        assert!(chunk.contains(r#""a \"quoted\" back\\slash""#), "{chunk}");
        assert!(
            chunk.contains(r#""controls \u0000\u0001\u001f and "#),
            "{chunk}"
        );
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
        assert_eq!(vocabulary_file("o"), "v-o.js");
        assert_eq!(vocabulary_file("日"), "v-_e697a5.js");
    }

    #[test]
    fn vocabulary_files_list_every_term_by_first_character() {
        let docs = [
            doc(DocKind::Page, "Onboarding", "", "offboarding kickoff 日本"),
            doc(DocKind::Page, "Kickoff", "", "onboard keys"),
        ];
        let files: BTreeMap<String, Vec<u8>> = index_documents(&docs).into_iter().collect();
        let text = |name: &str| String::from_utf8(files[name].clone()).unwrap();
        assert_eq!(
            text("search/v-o.js"),
            "window.__onboardSearch.add(\"v-o\",\"offboard onboard\");\n"
        );
        assert_eq!(
            text("search/v-k.js"),
            "window.__onboardSearch.add(\"v-k\",\"key kickoff\");\n"
        );
        assert!(text("search/v-_e697a5.js").contains("\"日本\""));
        assert!(text("search/meta.js").contains("\"vocabulary\":\"k o 日\""));
    }
}
