//! `benches/gen_pages.py`, the benchmarks' page generator, writes a site
//! that checks clean: every page has its 400 to 600 words and the parts it
//! promises, and every link between pages resolves. (It needs python3, as
//! the benchmarks do.)

use std::path::Path;
use std::process::Command;

use onboard::build::check;
use onboard::site::BuildOptions;

/// Runs the generator; returns its output folder's guard and path.
fn generate(pages: usize, flavor: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp folder");
    let out = dir.path().join("site");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_pages.py");
    let status = Command::new("python3")
        .arg(script)
        .arg(pages.to_string())
        .arg(&out)
        .args(["--flavor", flavor])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs benches/gen_pages.py");
    assert!(status.success(), "gen_pages.py failed");
    (dir, out)
}

#[test]
fn generated_pages_check_clean_with_links_that_resolve() {
    let (_dir, root) = generate(40, "onboard");
    let diagnostics = check(&root, BuildOptions::default()).expect("readable");
    let (content, _) = onboard::load::load_site(&root).expect("readable");
    let (site, _) = onboard::site::resolve(content, BuildOptions::default());
    assert!(diagnostics.is_empty(), "{diagnostics}");
    assert_eq!(site.pages.len(), 40);
    for page in &site.pages {
        let words = page.outline.text.split_whitespace().count();
        assert!((400..=600).contains(&words), "{}: {words} words", page.path);
        let body = page.loaded.body();
        for part in [
            "\n## Checklist\n",
            "\n- [ ] ",
            "\n| --- |",
            "\n```",
            "](/pages/page-",
        ] {
            assert!(body.contains(part), "{}: no {part:?}", page.path);
        }
        assert!(page.loaded.doc.description.is_some(), "{}", page.path);
        assert!(!page.loaded.doc.tags.is_empty(), "{}", page.path);
    }
    assert!(
        site.pages
            .iter()
            .any(|p| p.loaded.body().contains("/#checklist)")),
        "some links go to a heading"
    );
}

#[test]
fn the_same_arguments_give_the_same_bytes() {
    let (_first, a) = generate(5, "onboard");
    let (_second, b) = generate(5, "onboard");
    let page = "content/pages/page-00003.md";
    let read = |root: &Path| std::fs::read(root.join(page)).expect("a generated page");
    assert_eq!(read(&a), read(&b));
    assert!(
        check(&a, BuildOptions::default())
            .expect("readable")
            .is_empty()
    );
}

#[test]
fn the_hugo_flavor_holds_the_same_pages_and_templates() {
    let (_onboard, ours) = generate(3, "onboard");
    let (_hugo, hugo) = generate(3, "hugo");
    for file in [
        "hugo.toml",
        "layouts/_default/baseof.html",
        "layouts/_default/single.html",
        "layouts/_default/list.html",
        "layouts/index.html",
    ] {
        assert!(hugo.join(file).is_file(), "no {file}");
    }
    // The bodies are the same; only the front matter's free keys differ.
    let body = |root: &Path| {
        let text = std::fs::read_to_string(root.join("content/pages/page-00002.md"))
            .expect("a generated page");
        text.splitn(3, "---\n")
            .nth(2)
            .expect("front matter")
            .to_string()
    };
    assert_eq!(body(&ours), body(&hugo));
}
