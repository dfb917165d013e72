//! Times each stage of `onboard build` on one site, with the process's
//! memory after each: `cargo bench --bench stages -- ROOT [OUT]`.
//! Without `ROOT`, as `cargo test` and `cargo bench` run it, it times
//! `tests/sites/valid` in memory, which shows that it still works.
//!
//! With `OUT`, files are streamed to disk as `onboard build` does; without
//! it they are kept in memory. The search index is also built once more on
//! its own, to show its share of the render stage. Linux only for memory
//! (read from `/proc/self/status`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use onboard::render::Output;
use onboard::site::BuildOptions;

fn main() {
    // `cargo bench` adds `--bench`; the folders are the other arguments.
    let mut args = std::env::args_os()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .map(PathBuf::from);
    let root = args
        .next()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/valid"));
    let out = args.next();
    let total = Instant::now();

    let t = Instant::now();
    let (content, _) = onboard::load::load_site(&root).expect("load the site");
    report("load", t);
    let t = Instant::now();
    let (site, _) = onboard::site::resolve(content, BuildOptions::default());
    report("resolve", t);
    let t = Instant::now();
    let _ = onboard::check::run_at(&site, Some(&root));
    report("check", t);

    let t = Instant::now();
    let staging = out.map(|out| Arc::new(onboard::output::Staging::new(&out).expect("staging")));
    let target = match &staging {
        Some(staging) => Output::streaming(staging.clone()),
        None => Output::default(),
    };
    let output = onboard::build::rebuild(&root, &site, None, target).expect("render");
    report(&format!("render ({} files)", output.len()), t);
    if let Some(staging) = staging {
        let t = Instant::now();
        staging.commit().expect("commit");
        report("commit", t);
    }
    drop(output);

    let t = Instant::now();
    let index = onboard::render::search::build_index(&site);
    report(
        &format!("  of which search index ({} files)", index.len()),
        t,
    );
    eprintln!(
        "{:<34} {:>8.0} ms",
        "total",
        total.elapsed().as_secs_f64() * 1e3
    );
}

fn report(stage: &str, started: Instant) {
    eprintln!(
        "{stage:<34} {:>8.0} ms   rss {}",
        started.elapsed().as_secs_f64() * 1e3,
        memory()
    );
}

/// Resident and peak resident memory, as the kernel reports them.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or_else(|| "?".to_string(), |kb| format!("{} MB", kb / 1024))
    };
    format!("{}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
