//! What `onboard build` writes stays safe for the programs that open it: a
//! page of any file name gets hrefs that reach it, CSV cells do not start
//! formulas, and no text in a feed ends its line early.

use std::path::Path;

use assert_cmd::Command;

/// A name like the tester's (`über ?#`) that every file system accepts: a
/// non-ASCII letter, spaces, `#` and `%` (`?` is refused by `check`, since
/// Windows forbids it in file names).
const ODD_PAGE: &str = "über #1 %";

/// How a page links to it, percent-encoded.
const ODD_HREF: &str = "pages/%C3%BCber%20%231%20%25/index.html";

/// A small site whose content puts formulas, line breaks and an odd file
/// name where exports and hrefs come from.
fn write_site(root: &Path) {
    let files = [
        (
            "onboard.yaml".to_string(),
            "title: Safe outputs\nbase_url: https://onboarding.example.com/\nas_of: 2026-01-25\nshare: { enabled: false }\n",
        ),
        (
            format!("content/pages/{ODD_PAGE}.md"),
            "---\ntitle: Odd name\nweight: 1\n---\n\n## Setup\n\nSee the [guide](/pages/guide/).\n",
        ),
        (
            "content/pages/guide.md".to_string(),
            "# Guide\n\nRead [the odd page](/pages/%C3%BCber%20%231%20%25/#setup).\n",
        ),
        (
            "playbooks/kickoff.yaml".to_string(),
            "kind: sop\nid: kickoff\ntitle: Kickoff\nstatus: draft\nkpis:\n  - id: links\n    name: '=HYPERLINK(\"https://evil.example/\",\"Click\")'\n    target: \"> 95%\"\n",
        ),
        (
            "content/customers/acme.yaml".to_string(),
            "customer: { name: Acme, slug: acme }\nmilestones:\n  - { name: Kickoff, target_date: \"2026-01-20\", status: pending, criteria: \"one\\rX-INJECTED:1\" }\n",
        ),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create a folder");
        std::fs::write(path, text).expect("write a file");
    }
}

fn onboard(args: &[&str], root: &Path) -> std::process::Output {
    Command::cargo_bin("onboard")
        .expect("the onboard binary")
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("onboard runs")
}

/// Builds the site into `<dir>/public` and returns that folder.
fn build(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    write_site(&root);
    let out = dir.join("public");
    let output = onboard(
        &["build", "--drafts", "--out", out.to_str().expect("UTF-8")],
        &root,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Decodes `%XX` escapes, as a browser does before it opens a file.
fn percent_decoded(href: &str) -> String {
    let bytes = href.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], href.get(i + 1..i + 3)) {
            (b'%', Some(hex)) => {
                out.push(u8::from_str_radix(hex, 16).expect("a hex escape"));
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn a_page_of_any_file_name_is_linked_where_it_is_written() {
    let dir = tempfile::tempdir().expect("temp folder");
    let out = build(dir.path());
    let written = out.join(format!("pages/{ODD_PAGE}/index.html"));
    assert!(written.is_file(), "the page is written under its own name");

    // The home page's list and every page's nav (the page is featured).
    for (page, href) in [
        ("index.html", ODD_HREF.to_string()),
        ("pages/guide/index.html", format!("../../{ODD_HREF}")),
    ] {
        let html = read(&out, page);
        assert!(html.contains(&format!("href=\"{href}")), "{page}:\n{html}");
        let from = out.join(page);
        let target = from
            .parent()
            .expect("a folder")
            .join(percent_decoded(&href));
        assert!(target.is_file(), "{page}: {href} does not reach a file");
    }
    // A Markdown link written percent-encoded passes the link check and
    // reaches the same file.
    let guide = read(&out, "pages/guide/index.html");
    assert!(
        guide.contains(&format!("href=\"../../{ODD_HREF}#setup\"")),
        "{guide}"
    );
    // The search index and the sitemap hold the same href.
    let search: String = std::fs::read_dir(out.join("search"))
        .expect("the search index")
        .map(|entry| std::fs::read_to_string(entry.expect("an entry").path()).unwrap_or_default())
        .collect();
    assert!(search.contains(ODD_HREF), "the search index");
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("https://onboarding.example.com/pages/%C3%BCber%20%231%20%25/<"),
        "{sitemap}"
    );
}

#[test]
fn links_to_an_odd_page_are_checked_after_decoding() {
    let dir = tempfile::tempdir().expect("temp folder");
    let root = dir.path().join("site");
    write_site(&root);
    let clean = onboard(&["check"], &root);
    let stderr = String::from_utf8_lossy(&clean.stderr);
    assert_eq!(clean.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("broken-link"), "{stderr}");
    // One letter off: the decoded path names no page.
    std::fs::write(
        root.join("content/pages/guide.md"),
        "# Guide\n\nRead [the odd page](/pages/%C3%BCber%20%231%20%25x/).\n",
    )
    .expect("write a page");
    let broken = onboard(&["check"], &root);
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert_eq!(broken.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("there is no page `über #1 %x`"), "{stderr}");
}

#[test]
fn exports_of_a_built_site_are_inert() {
    let dir = tempfile::tempdir().expect("temp folder");
    let out = build(dir.path());
    let csv = read(&out, "data/kpis.csv");
    assert!(
        csv.contains(r#"kickoff,links,"'=HYPERLINK(""https://evil.example/"",""Click"")""#),
        "{csv}"
    );
    let feed = read(&out, "customers/acme/milestones.ics");
    assert_eq!(
        feed.matches('\r').count(),
        feed.matches("\r\n").count(),
        "a bare CR in {feed:?}"
    );
    assert!(feed.contains(r"Criteria: one\nX-INJECTED:1"), "{feed}");
}
