//! Site search: what the index of a built fixture site holds, and what it
//! must never hold. The browser half (typing, ranking in the client,
//! keyboard, `file://`) is in `tests/browser/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use onboard::build::Built;
use onboard::render::Output;
use onboard::render::search::{decode_ids, read_varints, shard_file, tokenize};
use onboard::site::BuildOptions;
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/search")
}

fn build(options: BuildOptions) -> Built {
    match onboard::build::build(&fixture(), options, Output::default()) {
        Ok(built) => built,
        Err(failure) => panic!("the search fixture does not build: {failure:?}"),
    }
}

fn build_default() -> Built {
    build(BuildOptions::default())
}

/// The index files of a build: name → text.
fn search_files(built: &Built) -> BTreeMap<String, String> {
    built
        .output
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("search/") && path.ends_with(".js"))
        .map(|(path, bytes)| {
            (
                path.clone(),
                String::from_utf8(bytes.clone()).expect("index files are UTF-8"),
            )
        })
        .collect()
}

/// The data an index file registers with `window.__onboardSearch.add`.
fn data(built: &Built, path: &str) -> Value {
    let bytes = built
        .output
        .get(path)
        .unwrap_or_else(|| panic!("{path} is missing"));
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let name = path.trim_start_matches("search/").trim_end_matches(".js");
    let prefix = format!("window.__onboardSearch.add(\"{name}\",");
    let json = text
        .strip_prefix(&prefix)
        .and_then(|rest| rest.trim_end().strip_suffix(");"))
        .unwrap_or_else(|| panic!("{path} does not register itself: {text:.80}"));
    serde_json::from_str(json).expect("index data is JSON")
}

/// A document as the client sees it: [kind, url, title, context, text].
fn document(built: &Built, id: u32) -> Vec<Value> {
    let meta = data(built, "search/meta.js");
    let mut start = 0;
    let starts: Vec<u32> = read_varints(meta["chunks"].as_str().unwrap())
        .into_iter()
        .map(|delta| {
            start += delta;
            start
        })
        .collect();
    let chunk = starts
        .iter()
        .rposition(|s| *s <= id)
        .expect("a chunk holds every id");
    let rows = data(built, &format!("search/d-{chunk}.js"));
    rows[(id - starts[chunk]) as usize]
        .as_array()
        .expect("a row")
        .clone()
}

/// Looks a word up the way the client does: its term, the longest shard
/// key that starts it, the postings there. Returns (doc id, weight).
fn lookup(built: &Built, word: &str) -> Vec<(u32, u64)> {
    let term = tokenize(word).pop().expect("a searchable word");
    let meta = data(built, "search/meta.js");
    let keys: Vec<&str> = meta["shards"].as_str().unwrap().split(' ').collect();
    let key = (1..=term.chars().count())
        .rev()
        .map(|n| term.chars().take(n).collect::<String>())
        .find(|k| keys.contains(&k.as_str()));
    let Some(key) = key else { return Vec::new() };
    let shard = data(built, &format!("search/{}", shard_file(&key)));
    let Some(groups) = shard.get(&term).and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut hits = Vec::new();
    for pair in groups.chunks(2) {
        let weight = pair[0].as_u64().unwrap();
        hits.extend(
            decode_ids(pair[1].as_str().unwrap())
                .into_iter()
                .map(|id| (id, weight)),
        );
    }
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits
}

fn urls_for(built: &Built, word: &str) -> Vec<String> {
    lookup(built, word)
        .into_iter()
        .map(|(id, _)| document(built, id)[1].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_word_from_a_step_body_links_to_the_step_anchor() {
    let built = build_default();
    let urls = urls_for(&built, "heliotrope");
    assert_eq!(urls, ["sops/incident-escalation/index.html#escalate-owner"]);
    let doc = document(&built, lookup(&built, "heliotrope")[0].0);
    assert_eq!(doc[0], 0, "kind 0 is a step");
    assert_eq!(doc[2], "Escalate to the account owner");
    assert_eq!(doc[3], "Incident Escalation", "a step's context is its SOP");
    // The anchor exists on the page the URL names.
    let page = String::from_utf8(
        built
            .output
            .get("sops/incident-escalation/index.html")
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(page.contains(r#"id="escalate-owner""#));
}

#[test]
fn every_kind_is_indexed_with_its_url() {
    let built = build_default();
    assert!(
        urls_for(&built, "Incident").contains(&"sops/incident-escalation/index.html".to_string())
    );
    assert!(
        urls_for(&built, "thirty").contains(&"playbooks/saas-onboarding/index.html".to_string())
    );
    assert_eq!(
        urls_for(&built, "Söhne")[0],
        "customers/muller-sohne/index.html"
    );
    assert_eq!(
        urls_for(&built, "Support Lead")[0],
        "roles/index.html#role-support-lead"
    );
    assert_eq!(urls_for(&built, "SSO")[0], "glossary/index.html#term-sso");
    assert_eq!(urls_for(&built, "imperative"), ["pages/guide/index.html"]);
    // Every URL but the customers' (their pages come from the dashboard
    // templates) names a file of the build.
    let meta = data(&built, "search/meta.js");
    for id in 0..meta["docs"].as_u64().unwrap() as u32 {
        let url = document(&built, id)[1].as_str().unwrap().to_string();
        let file = url.split('#').next().unwrap();
        if !file.starts_with("customers/") {
            assert!(built.output.get(file).is_some(), "{url} points at no file");
        }
    }
}

#[test]
fn folding_and_stemming_find_what_people_remember() {
    let built = build_default();
    // Accents and case.
    assert_eq!(lookup(&built, "sohne"), lookup(&built, "Söhne"));
    assert_eq!(lookup(&built, "sso"), lookup(&built, "SSO"));
    // Stems: every form of "escalate" is one term.
    assert_eq!(lookup(&built, "escalation"), lookup(&built, "escalating"));
    assert!(!lookup(&built, "escalate").is_empty());
}

#[test]
fn titles_outweigh_context_and_body() {
    let built = build_default();
    let hits = lookup(&built, "escalate");
    let first = document(&built, hits[0].0);
    assert_eq!(
        first[2], "Escalate to the account owner",
        "the step whose title matches comes first: {hits:?}"
    );
    // A step of the Incident Escalation SOP that only has it as context
    // weighs less than the SOP whose title it is.
    let weight_of = |url: &str| {
        hits.iter()
            .find(|(id, _)| document(&built, *id)[1] == url)
            .map(|(_, w)| *w)
            .unwrap_or(0)
    };
    assert!(
        weight_of("sops/incident-escalation/index.html")
            > 2 * weight_of("sops/incident-escalation/index.html#close-loop")
    );
}

#[test]
fn customers_are_found_by_name_csm_and_stakeholders_with_facets() {
    let built = build_default();
    assert_eq!(
        urls_for(&built, "Jane Smith"),
        ["customers/muller-sohne/index.html"]
    );
    assert_eq!(
        urls_for(&built, "Greta"),
        ["customers/muller-sohne/index.html"]
    );
    assert_eq!(urls_for(&built, "Hank"), ["customers/globex/index.html"]);
    assert!(
        urls_for(&built, "Identity").contains(&"customers/muller-sohne/index.html".to_string()),
        "milestone names are indexed"
    );
    // Facets live in their own file, which only the search page loads.
    let meta = data(&built, "search/meta.js");
    assert!(meta.get("customers").is_none() && meta.get("facets").is_none());
    let facets = data(&built, "search/facets.js");
    assert_eq!(
        facets["values"]["tier"],
        serde_json::json!(["enterprise", "mid-market"])
    );
    assert_eq!(
        facets["values"]["csm"],
        serde_json::json!(["Jane Smith", "Priya Raman"])
    );
    let muller = lookup(&built, "Greta")[0].0;
    let first = facets["first"].as_u64().unwrap() as u32;
    let rows = read_varints(facets["rows"].as_str().unwrap());
    assert_eq!(rows.len(), 6, "three values per customer: {rows:?}");
    let row = &rows[3 * (muller - first) as usize..][..3];
    let tier = &facets["values"]["tier"][row[0] as usize - 1];
    let csm = &facets["values"]["csm"][row[2] as usize - 1];
    assert_eq!(
        (tier.as_str(), csm.as_str()),
        (Some("enterprise"), Some("Jane Smith"))
    );
}

#[test]
fn a_customers_situation_finds_it_and_health_and_scores_stay_out() {
    let built = build_default();
    let muller = "customers/muller-sohne/index.html";
    // Words of a blocker, an open action, a risk and its mitigation, an
    // internal update and the notes each find the customer, first.
    for word in [
        "Blockermarker",
        "Actionmarker",
        "Riskmarker",
        "Mitigationmarker",
        "Internalupdatemarker",
        "procurement",
        "Notesmarker",
    ] {
        let urls = urls_for(&built, word);
        assert_eq!(urls.first().map(String::as_str), Some(muller), "{word}");
    }
    // The excerpt starts with what stands in the way.
    let id = lookup(&built, "Blockermarker")[0].0;
    let row = document(&built, id);
    assert!(
        row[4]
            .as_str()
            .unwrap()
            .starts_with("Blocked: Blockermarker certificate missing."),
        "{row:?}"
    );
    // Health levels and scores are no words to search for.
    let files = search_files(&built);
    for (path, text) in &files {
        let folded = text.to_lowercase();
        for word in ["lukewarmmarker", "frostymarker", "12.75", "3.25"] {
            assert!(
                !folded.contains(word),
                "{path} contains the internal `{word}`"
            );
        }
    }
}

#[test]
fn a_customer_whose_name_matches_ranks_first() {
    let built = build_default();
    // "Globex" is also a word of an SOP's title and body in the fixture.
    let urls = urls_for(&built, "Globex");
    assert!(urls.len() > 1, "{urls:?}");
    assert_eq!(urls[0], "customers/globex/index.html", "{urls:?}");
}

#[test]
fn share_folders_carry_no_index_and_no_internal_word() {
    let built = build(BuildOptions {
        share_secret: Some("fixture-share-secret-7f3a9c".into()),
        ..BuildOptions::default()
    });
    let shared: Vec<(&String, &Vec<u8>)> = built
        .output
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("share/"))
        .collect();
    assert!(!shared.is_empty(), "the fixture shares its customers");
    for (path, bytes) in shared {
        assert!(!path.contains("/search"), "{path} is a search file");
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for word in [
            "notesmarker",
            "riskmarker",
            "mitigationmarker",
            "internalupdatemarker",
            "__onboardsearch",
        ] {
            assert!(!text.contains(word), "{path} holds `{word}`");
        }
    }
}

#[test]
fn drafts_are_indexed_only_when_built() {
    let built = build_default();
    assert!(
        search_files(&built)
            .values()
            .all(|text| !text.contains("draftonlyzebra"))
    );
    assert!(lookup(&built, "draftonlyzebra").is_empty());
    let with_drafts = build(BuildOptions {
        drafts: true,
        ..BuildOptions::default()
    });
    assert_eq!(
        urls_for(&with_drafts, "draftonlyzebra"),
        ["sops/draft-runbook/index.html#only-step"]
    );
}

#[test]
fn no_share_token_or_share_path_appears_in_the_index() {
    let secret = "fixture-share-secret-7f3a9c";
    let built = build(BuildOptions {
        share_secret: Some(secret.into()),
        ..BuildOptions::default()
    });
    let share_folders: Vec<String> = built
        .output
        .files
        .keys()
        .filter_map(|path| path.strip_prefix("share/"))
        .filter_map(|rest| rest.split('/').next())
        .map(str::to_string)
        .collect();
    for (path, text) in search_files(&built) {
        assert!(!text.contains(secret), "{path} contains the share secret");
        assert!(!text.contains("share/"), "{path} links into a share site");
        for folder in &share_folders {
            assert!(
                !text.contains(folder.as_str()),
                "{path} reveals the share folder {folder}"
            );
        }
    }
    // Share sites carry no copy of the internal index.
    assert!(
        built
            .output
            .files
            .keys()
            .all(|path| !(path.starts_with("share/") && path.contains("/search/")))
    );
}

#[test]
fn the_index_is_deterministic() {
    let first = search_files(&build_default());
    let second = search_files(&build_default());
    assert_eq!(first, second);
}

#[test]
fn the_client_is_embedded_in_the_default_theme() {
    let built = build_default();
    let client = String::from_utf8(
        built
            .output
            .get("search.js")
            .expect("search.js at the site root")
            .to_vec(),
    )
    .unwrap();
    assert!(client.contains("__onboardSearch"));
    assert!(
        !client.contains("http://") && !client.contains("https://"),
        "the client loads nothing from another host"
    );
    assert!(
        !client.contains("fetch("),
        "the client loads the index with <script> tags, so file:// works"
    );
}

#[test]
fn tokenizer_matches_the_vectors_the_browser_client_is_tested_with() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/token_vectors.json");
    let vectors: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(vectors.len() > 10);
    for case in vectors {
        let text = case["text"].as_str().unwrap();
        let expected: Vec<&str> = case["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tokenize(text), expected, "tokens of {text:?}");
    }
}
