//! `onboard build` end to end on fixture sites: output layout, relative
//! links that resolve, escaping, atomic replacement, byte-identical
//! rebuilds, and customer-visible share folders that hold no internal data.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{fixture, onboard_build, onboard_build_ok};
use assert_cmd::Command;

fn build(root: &Path, out: &Path, secret: Option<&str>) -> std::process::Output {
    let mut command = Command::cargo_bin("onboard").unwrap();
    command
        .env("NO_COLOR", "1")
        .env_remove("ONBOARD_TEST_SHARE_SECRET");
    if let Some(secret) = secret {
        command.env("ONBOARD_TEST_SHARE_SECRET", secret);
    }
    command
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn build_ok(root: &Path, out: &Path, secret: Option<&str>) {
    let result = build(root, out, secret);
    assert!(
        result.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Every file under `dir`, path relative to it → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, files);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    walk(dir, dir, &mut files);
    files
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path} in output"))
            .clone(),
    )
    .unwrap()
}

/// The values of `href="..."` and `src="..."` attributes in an HTML page.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            let after = &rest[start + attribute.len()..];
            let end = after.find('"').unwrap_or(after.len());
            found.push(after[..end].replace("&amp;", "&"));
            rest = &after[end..];
        }
    }
    found
}

/// Resolves a relative reference from a page to an output path.
fn resolve(page: &str, reference: &str) -> Option<String> {
    let path = reference.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return Some(page.to_string());
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for piece in path.split('/') {
        match piece {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn the_site_has_every_page_of_the_spec() {
    let (dir, root) = fixture("valid");
    let out = dir.path().join("public");
    build_ok(&root, &out, None);
    let files = tree(&out);
    for path in [
        "index.html",
        "sops/kickoff/index.html",
        "playbooks/standard/index.html",
        "roles/index.html",
        "glossary/index.html",
        "pages/guide/index.html",
        "customers/index.html",
        "customers/acme-corp/index.html",
        "customers/acme-corp/milestones.ics",
        "data/customers.json",
        "data/kpis.json",
        "data/kpis.csv",
        "share/acme-corp/index.html",
        "share/acme-corp/share.css",
        "share/acme-corp/milestones.ics",
        "search/index.html",
    ] {
        assert!(
            files.contains_key(path),
            "missing {path}; have {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
    let sop = text(&files, "sops/kickoff/index.html");
    assert!(
        sop.contains("id=\"confirm-readiness\""),
        "steps have anchors"
    );
    assert!(
        sop.contains("id=\"hold-the-meeting\""),
        "default step ids are slugs of titles"
    );
}

#[test]
fn every_link_and_asset_is_relative_and_resolves() {
    let (dir, root) = fixture("valid");
    let out = dir.path().join("public");
    build_ok(&root, &out, None);
    let files = tree(&out);
    let mut checked = 0;
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for reference in references(&html) {
            if reference.starts_with("mailto:")
                || reference.starts_with("tel:")
                || reference.starts_with("data:")
            {
                continue;
            }
            assert!(
                !reference.contains("://"),
                "{page} loads from another host: {reference}"
            );
            assert!(
                !reference.starts_with('/'),
                "{page} has a root-relative link: {reference}"
            );
            let target = resolve(page, &reference)
                .unwrap_or_else(|| panic!("{page}: {reference} leaves the site"));
            assert!(
                files.contains_key(&target),
                "{page}: {reference} → {target} does not exist"
            );
            if let Some(fragment) = reference
                .split_once('#')
                .map(|(_, f)| f)
                .filter(|f| !f.is_empty())
            {
                let html = String::from_utf8_lossy(&files[&target]);
                assert!(
                    html.contains(&format!("id=\"{fragment}\"")),
                    "{page}: {reference}: no anchor #{fragment} in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} references checked");
}

#[test]
fn content_text_is_escaped_and_raw_html_sanitised() {
    let (dir, root) = fixture("valid");
    let out = dir.path().join("public");
    build_ok(&root, &out, None);
    let files = tree(&out);
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            !html.contains("alert("),
            "{path} contains script from Markdown"
        );
        assert!(
            !html.contains("onerror"),
            "{path} contains an event handler from Markdown"
        );
        assert!(
            !html.contains("<b>Industries</b>"),
            "{path} shows a customer name as HTML"
        );
    }
    let dashboard = text(&files, "customers/index.html");
    assert!(
        dashboard.contains("Globex &lt;b&gt;Industries&lt;&#x2F;b&gt;")
            || dashboard.contains("Globex &lt;b&gt;Industries&lt;/b&gt;"),
        "name shown as text"
    );
}

#[test]
fn rebuilds_are_byte_identical() {
    let (dir, root) = fixture("valid");
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    build_ok(&root, &first, None);
    build_ok(&root, &second, None);
    assert_eq!(tree(&first), tree(&second));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let (dir, root) = fixture("valid");
    let out = dir.path().join("public");
    build_ok(&root, &out, None);
    let before = tree(&out);
    let tracker = root.join("content/customers/acme.yaml");
    let text = fs::read_to_string(&tracker).unwrap();
    fs::write(
        &tracker,
        text.replace("status: in_progress", "status: unheard_of"),
    )
    .unwrap();
    let result = build(&root, &out, None);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(tree(&out), before, "output changed after a failed build");
    let siblings: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(siblings.len(), 2, "no staging folders left: {siblings:?}");
}

const INTERNAL_MARKERS: &[&str] = &[
    "MARKERHEALTHENGAGEMENT",
    "MARKERHEALTHSENTIMENT",
    "MARKERHEALTHRISK",
    "MARKERSCORE",
    "12345.678",
    "MARKERRISKTITLE",
    "MARKERRISKOWNER",
    "MARKERRISKMITIGATION",
    "MARKERNOTES",
    "MARKERINTERNALUPDATE",
    "MARKERINTERNALUPDATEEXPLICIT",
    "MARKERHIDDENMILESTONE",
    "MARKERHIDDENBLOCKER",
    "MARKERHIDDENCRITERIA",
    "Internal readiness review",
    "MARKERPLANHIDDENCRITERIA",
    "MARKERTIERALPHA",
    "MARKERSOPTITLE",
    "MARKERSOPSTEP",
    "MARKERSOPBODY",
    "MARKERGLOSSARY",
    "MARKERPLAYBOOKTITLE",
    "MARKERINTERNALACTION",
    "MARKERINTERNALACTIONOWNER",
    "MARKERNOSHARECUSTOMER",
    "MARKERNOSHARECSM",
    "MARKERNOSHAREMILESTONE",
];

const BETA_MARKERS: &[&str] = &[
    "MARKEROTHERCUSTOMER",
    "MARKEROTHERCSM",
    "MARKEROTHERMILESTONE",
    "MARKEROTHERSTAKEHOLDER",
    "MARKEROTHERUPDATE",
];

const ALPHA_VISIBLE: &[&str] = &[
    "Alpha Visible Co",
    "Casey Visible",
    "Visible Sponsor",
    "Send SSO metadata",
    "Kickoff held; plan shared.",
    "Accepted by Sam Signer",
];

fn contains(bytes: &[u8], marker: &str) -> bool {
    bytes.windows(marker.len()).any(|w| w == marker.as_bytes())
}

fn share_folders(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<(&String, &Vec<u8>)>> {
    let mut folders: BTreeMap<String, Vec<(&String, &Vec<u8>)>> = BTreeMap::new();
    for (path, bytes) in files {
        if let Some(rest) = path.strip_prefix("share/") {
            let folder = rest.split('/').next().unwrap().to_string();
            folders.entry(folder).or_default().push((path, bytes));
        }
    }
    folders
}

fn assert_no_leak(files: &BTreeMap<String, Vec<u8>>, alpha_folder: &str, beta_folder: &str) {
    let folders = share_folders(files);
    assert_eq!(
        folders.keys().collect::<Vec<_>>().len(),
        2,
        "{:?}",
        folders.keys()
    );
    let alpha = &folders[alpha_folder];
    let beta = &folders[beta_folder];
    for (path, bytes) in alpha.iter().chain(beta) {
        for marker in INTERNAL_MARKERS {
            assert!(!contains(bytes, marker), "{path} leaks {marker}");
        }
        let html = String::from_utf8_lossy(bytes);
        assert!(
            !html.contains("../"),
            "{path} links out of its share folder"
        );
    }
    for (path, bytes) in alpha {
        for marker in BETA_MARKERS {
            assert!(
                !contains(bytes, marker),
                "{path} shows another customer's {marker}"
            );
        }
    }
    for (path, bytes) in beta {
        for marker in ALPHA_VISIBLE {
            assert!(
                !contains(bytes, marker),
                "{path} shows another customer's {marker}"
            );
        }
    }
    let alpha_page = alpha
        .iter()
        .find(|(p, _)| p.ends_with("index.html"))
        .unwrap()
        .1;
    for visible in ALPHA_VISIBLE {
        assert!(
            contains(alpha_page, visible),
            "the share page lacks {visible}"
        );
    }
    // Not vacuous: every internal marker is in the internal site.
    let internal: Vec<&Vec<u8>> = files
        .iter()
        .filter(|(p, _)| !p.starts_with("share/"))
        .map(|(_, b)| b)
        .collect();
    for marker in INTERNAL_MARKERS.iter().chain(BETA_MARKERS) {
        assert!(
            internal.iter().any(|b| contains(b, marker)),
            "{marker} appears nowhere in the internal site"
        );
    }
}

#[test]
fn share_folders_hold_no_internal_data() {
    let (dir, root) = fixture("leak");
    let out = dir.path().join("public");
    build_ok(&root, &out, None);
    let files = tree(&out);
    assert_no_leak(&files, "alpha", "beta");
}

#[test]
fn share_tokens_come_from_the_secret_and_stay_hidden() {
    let (dir, root) = fixture("leak");
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    let other = dir.path().join("other");
    build_ok(&root, &one, Some("first secret"));
    build_ok(&root, &two, Some("first secret"));
    build_ok(&root, &other, Some("second secret"));
    let files = tree(&one);
    let folders: Vec<String> = share_folders(&files).into_keys().collect();
    assert_eq!(folders.len(), 2);
    for folder in &folders {
        assert_eq!(folder.len(), 32, "128-bit hex token: {folder}");
        assert!(folder.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert_eq!(
        share_folders(&tree(&two)).into_keys().collect::<Vec<_>>(),
        folders,
        "stable across builds"
    );
    let other_folders: Vec<String> = share_folders(&tree(&other)).into_keys().collect();
    assert!(
        other_folders.iter().all(|f| !folders.contains(f)),
        "a different secret gives different tokens"
    );

    let alpha_token = onboard::share::share_folder("alpha", Some("first secret"));
    let beta_token = onboard::share::share_folder("beta", Some("first secret"));
    assert_no_leak(&files, &alpha_token, &beta_token);
    for (path, bytes) in &files {
        let shows_token = contains(bytes, &alpha_token);
        if path == "customers/alpha/index.html"
            || path.starts_with(&format!("share/{alpha_token}/"))
        {
            continue;
        }
        assert!(!shows_token, "{path} reveals alpha's share token");
    }
    assert!(
        contains(&files["customers/alpha/index.html"], &alpha_token),
        "staff see the share path"
    );
}

#[test]
fn internal_actions_and_unshared_customers_stay_off_share_sites_and_the_sitemap() {
    let (dir, root) = fixture("leak");
    let config = root.join("onboard.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        format!("{text}base_url: https://onboarding.example.com/\n"),
    )
    .unwrap();
    let out = dir.path().join("public");
    build_ok(&root, &out, None);
    let files = tree(&out);
    // share: false: no folder, and no link to one.
    assert!(files.keys().all(|p| !p.starts_with("share/gamma/")));
    let gamma = String::from_utf8_lossy(&files["customers/gamma/index.html"]);
    assert!(gamma.contains("MARKERNOSHARECUSTOMER"));
    assert!(
        !gamma.contains("share/"),
        "a link to a share site that is not there"
    );
    let alpha = String::from_utf8_lossy(&files["customers/alpha/index.html"]);
    assert!(
        alpha.contains("share/alpha/index.html"),
        "staff still see alpha's"
    );
    // The internal action is on the status page, marked, and on no share file.
    assert!(alpha.contains("MARKERINTERNALACTION plan"));
    assert!(alpha.contains("Internal only"));
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("share/")) {
        assert!(
            !contains(bytes, "MARKERINTERNALACTION"),
            "{path} leaks the internal action"
        );
        assert!(
            !contains(bytes, "MARKERNOSHARE"),
            "{path} shows an unshared customer"
        );
    }
    // The sign-off sheet of the completed, accepted milestone.
    let sheet = files
        .iter()
        .find(|(p, _)| p.starts_with("share/alpha/sign-off-"))
        .map(|(_, b)| String::from_utf8_lossy(b))
        .expect("a sign-off sheet");
    assert!(sheet.contains("Accepted by Sam Signer on"));
    assert!(sheet.contains("Visible kickoff criteria"));
    // Customer and share pages ask not to be indexed; the sitemap lists
    // the library and free pages only.
    for path in [
        "customers/alpha/index.html",
        "customers/index.html",
        "share/alpha/index.html",
    ] {
        assert!(
            contains(&files[path], "name=\"robots\" content=\"noindex"),
            "{path} lacks noindex"
        );
    }
    let sitemap = String::from_utf8_lossy(&files["sitemap.xml"]);
    assert!(sitemap.contains("<loc>https://onboarding.example.com/</loc>"));
    assert!(sitemap.contains("/sops/"), "{sitemap}");
    for absent in [
        "customers/",
        "share/",
        "search/",
        "data/",
        "Alpha",
        "alpha",
        "gamma",
    ] {
        assert!(
            !sitemap.contains(absent),
            "the sitemap names {absent}: {sitemap}"
        );
    }
}

#[test]
fn share_can_be_turned_off() {
    let (dir, root) = fixture("leak");
    let config = root.join("onboard.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("enabled: true", "enabled: false")).unwrap();
    let out = dir.path().join("public");
    build_ok(&root, &out, None);
    assert!(tree(&out).keys().all(|p| !p.starts_with("share/")));
}

/// A draft SOP and a draft page beside the search fixture's own draft,
/// each holding a word found nowhere else.
fn site_with_drafts() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = fixture("search");
    fs::write(
        root.join("content/pages/quokka-roadmap.md"),
        "---\ntitle: Quokka roadmap\ndraft: true\n---\nThe draftpagequokka plans are not ready.\n",
    )
    .unwrap();
    (dir, root)
}

#[test]
fn build_names_the_drafts_it_leaves_out_and_outputs_none_of_them() {
    let (dir, root) = site_with_drafts();
    let out = dir.path().join("public");
    let result = build(&root, &out, None);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(stderr.contains("2 drafts were not built"), "{stderr}");
    assert!(stderr.contains("playbooks/draft-runbook.md"), "{stderr}");
    assert!(
        stderr.contains("content/pages/quokka-roadmap.md"),
        "{stderr}"
    );
    assert!(stderr.contains("onboard build --drafts"), "{stderr}");
    let files = tree(&out);
    assert!(files.contains_key("sops/incident-escalation/index.html"));
    for (path, bytes) in &files {
        assert!(
            !path.contains("draft-runbook") && !path.contains("quokka"),
            "{path} is a draft's file"
        );
        for word in [
            "draftonlyzebra",
            "Draft Runbook",
            "draftpagequokka",
            "Quokka roadmap",
        ] {
            assert!(!contains(bytes, word), "{path} holds `{word}` of a draft");
        }
    }
}

#[test]
fn drafts_built_on_request_carry_a_draft_banner() {
    let (dir, root) = site_with_drafts();
    let out = dir.path().join("public");
    let result = onboard_build(&root, &out, &["--drafts"]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(!stderr.contains("not built"), "{stderr}");
    let files = tree(&out);
    // The fixture's theme has templates of its own: the drafts are built,
    // and the default theme's banner is checked on the valid fixture below.
    assert!(files.contains_key("sops/draft-runbook/index.html"));
    assert!(files.contains_key("pages/quokka-roadmap/index.html"));
    let (dir, root) = fixture("valid");
    fs::write(
        root.join("playbooks/wip.md"),
        "---\nkind: sop\nid: wip\ntitle: Work in progress\nstatus: draft\n---\nNot approved yet.\n",
    )
    .unwrap();
    fs::write(
        root.join("content/pages/wip-page.md"),
        "---\ndraft: true\n---\n# Not yet\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    onboard_build_ok(&root, &out, &["--drafts"]);
    let files = tree(&out);
    for path in ["sops/wip/index.html", "pages/wip-page/index.html"] {
        assert!(
            text(&files, path).contains("class=\"draft-banner\""),
            "{path} has no draft banner"
        );
    }
    let approved: Vec<_> = files
        .iter()
        .filter(|(p, _)| p.starts_with("sops/") && p.ends_with("index.html") && !p.contains("wip"))
        .collect();
    assert!(!approved.is_empty());
    for (path, bytes) in approved {
        assert!(
            !contains(bytes, "draft-banner"),
            "{path} has a draft banner"
        );
    }
}
