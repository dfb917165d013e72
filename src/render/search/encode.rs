//! The compact text the index writes document ids in: varints and
//! bitmaps in URL- and JSON-safe digits, and a term's postings as the
//! browser reads them.

use serde::ser::{Serialize, SerializeSeq, Serializer};

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

/// A term's postings as the browser reads them, a JSON array
/// `[weight,"ids",weight,"ids",…]`: heaviest first, each weight followed
/// by its documents as [`encode_ids`] writes them.
pub(super) struct PostingList(Vec<(u8, String)>);

impl PostingList {
    /// The list of `postings`, (document, weight) pairs in document order.
    pub(super) fn new(postings: &[(u32, u8)]) -> PostingList {
        // By weight, heaviest first; documents stay in order within a weight.
        let mut sorted = postings.to_vec();
        sorted.sort_by_key(|&(_, weight)| std::cmp::Reverse(weight));
        let groups = sorted
            .chunk_by(|a, b| a.1 == b.1)
            .map(|group| {
                let ids: Vec<u32> = group.iter().map(|&(doc, _)| doc).collect();
                (group[0].1, encode_ids(&ids))
            })
            .collect();
        PostingList(groups)
    }
}

impl Serialize for PostingList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(2 * self.0.len()))?;
        for (weight, ids) in &self.0 {
            seq.serialize_element(weight)?;
            seq.serialize_element(ids)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn postings_are_listed_heaviest_first_in_document_order() {
        let list = PostingList::new(&[(0, 3), (2, 40), (5, 3), (9, 40), (12, 1)]);
        let json = serde_json::to_string(&list).unwrap();
        let parsed: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        let groups: Vec<(u64, Vec<u32>)> = parsed
            .chunks(2)
            .map(|pair| {
                (
                    pair[0].as_u64().unwrap(),
                    decode_ids(pair[1].as_str().unwrap()),
                )
            })
            .collect();
        assert_eq!(groups, [(40, vec![2, 9]), (3, vec![0, 5]), (1, vec![12])]);
        assert!(!json.contains(' '), "compact: {json}");
    }
}
