//! The floor of a Markdown site build: read every page, render it with
//! pulldown-cmark on all cores, write it out. No front matter parsing, no
//! templates, no links to rewrite: the least work any generator of the same
//! pages has to do, which `benches/compare.sh` sets onboard's time against.
//!
//! Usage: `cargo bench --bench floor -- PAGES_DIR OUT_DIR` (`PAGES_DIR` is
//! a generated site's `content/pages/`); `compare.sh` runs the built binary
//! directly. Without the two folders, as `cargo test` and `cargo bench` run
//! it, it renders the pages of `tests/sites/valid` into a temporary folder,
//! which shows that it still works.

use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

fn main() {
    // `cargo bench` adds `--bench`; the folders are the other arguments.
    let args: Vec<PathBuf> = std::env::args_os()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .map(PathBuf::from)
        .collect();
    let scratch;
    let (pages, out) = match args.as_slice() {
        [pages, out] => (pages.clone(), out.clone()),
        [] => {
            scratch = tempfile::tempdir().expect("a temporary folder");
            let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/valid");
            (fixture.join("content/pages"), scratch.path().join("out"))
        }
        _ => {
            eprintln!("usage: floor [PAGES_DIR OUT_DIR]");
            std::process::exit(2);
        }
    };
    let mut files = Vec::new();
    collect(&pages, &mut files);
    files.sort();
    // The same extensions onboard enables, so both parse the same constructs.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let written: usize = files
        .par_iter()
        .map(|path| {
            let text = fs::read_to_string(path).expect("read a page");
            let body = strip_front_matter(&text);
            let mut page = String::with_capacity(body.len() * 3 / 2);
            html::push_html(&mut page, Parser::new_ext(body, options));
            let rel = path.strip_prefix(&pages).expect("under PAGES_DIR");
            let dir = out.join("pages").join(rel.with_extension(""));
            fs::create_dir_all(&dir).expect("create a folder");
            fs::write(dir.join("index.html"), page.as_bytes()).expect("write a page");
            1
        })
        .sum();
    eprintln!("floor: rendered {written} pages into {}", out.display());
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read PAGES_DIR").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
}

/// The Markdown after a `---` front matter block, or all of it.
fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}
