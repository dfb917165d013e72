//! Template overrides, as docs/theme.md describes them: a site replaces one
//! partial of the default theme (tests/sites/override: the footer, and the
//! head partial adding the site's own stylesheet) and keeps every other
//! template and static file of the default theme, whether it names its
//! theme `default` or another name in onboard.yaml.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::onboard_build_ok;

const MARKER: &str = "data-override=\"footer\"";
const DEFAULT_FOOTER: &str = "Internal onboarding library built with onboard.";

fn build(root: &Path) -> PathBuf {
    let out = root.join("public");
    onboard_build_ok(root, &out, &[]);
    out
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The default theme's own file, as the binary embeds it.
fn default_theme_file(rel: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default")
            .join(rel),
    )
    .unwrap()
}

/// Every internal page has the site's footer and the site's stylesheet, and
/// is otherwise the default theme; the share pages, which have a footer of
/// their own, are untouched.
fn assert_overridden(out: &Path) {
    let pages = [
        "index.html",
        "sops/kickoff/index.html",
        "roles/index.html",
        "glossary/index.html",
        "customers/index.html",
        "customers/acme-corp/index.html",
        "pages/guide/index.html",
        "search/index.html",
        "404.html",
    ];
    for rel in pages {
        let html = read(out, rel);
        assert_eq!(html.matches(MARKER).count(), 1, "{rel}: the site's footer");
        assert!(
            !html.contains(DEFAULT_FOOTER),
            "{rel}: the default footer is replaced"
        );
        // The rest is still the default theme: its header, navigation,
        // breadcrumbs, skip link, stylesheet and scripts.
        for wanted in [
            "class=\"skip-link\" href=\"#main\"",
            "class=\"site-header\"",
            "class=\"site-nav\"",
            "style.css\">",
            "brand.css\">",
        ] {
            assert!(html.contains(wanted), "{rel}: missing {wanted}");
        }
        if rel != "index.html" && rel != "404.html" {
            assert!(html.contains("class=\"breadcrumbs\""), "{rel}: breadcrumbs");
        }
    }
    // The override's links are relative like the theme's.
    assert!(read(out, "sops/kickoff/index.html").contains("href=\"../../pages/guide/index.html\""));
    // Default static files, and the site's own static file beside them.
    for file in ["style.css", "onboard.js", "search.js"] {
        assert_eq!(
            fs::read(out.join(file)).unwrap(),
            default_theme_file(&format!("static/{file}")),
            "{file} is the default theme's"
        );
    }
    assert!(read(out, "brand.css").contains("--accent"));
    // Share pages keep their own, self-contained footer.
    let share = read(out, "share/acme-corp/index.html");
    assert!(!share.contains(MARKER) && share.contains("share-footer"));
}

#[test]
fn a_site_overrides_one_partial_of_the_default_theme() {
    let (_dir, root) = crate::common::fixture("override");
    let out = build(&root);
    assert_overridden(&out);
}

#[test]
fn a_named_theme_overrides_the_same_partial() {
    let (_dir, root) = crate::common::fixture("override");
    fs::rename(root.join("themes/default"), root.join("themes/brand")).unwrap();
    let config = read(&root, "onboard.yaml");
    fs::write(root.join("onboard.yaml"), format!("{config}theme: brand\n")).unwrap();
    let out = build(&root);
    assert_overridden(&out);
}

#[test]
fn without_the_override_the_default_footer_is_back() {
    let (_dir, root) = crate::common::fixture("override");
    fs::remove_dir_all(root.join("themes")).unwrap();
    let out = build(&root);
    let html = read(&out, "index.html");
    assert!(html.contains(DEFAULT_FOOTER));
    assert!(!html.contains(MARKER));
    // The default head partial adds nothing.
    assert!(!html.contains("brand.css"));
}
