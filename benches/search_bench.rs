//! Times the search index build on a generated site; `search_bench.sh`
//! generates the site and runs this with
//!
//! ```text
//! ONBOARD_BENCH_SITE=bench-out/site cargo test --release --bench search_bench -- --nocapture
//! ```
//!
//! Without `ONBOARD_BENCH_SITE` it returns at once, so building every
//! target (`cargo clippy --all-targets`) stays cheap. It is a plain test
//! function rather than a Criterion or divan benchmark so that it needs
//! no entry in Cargo.toml; it reports the median of several runs.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use onboard::render::search::{build_index, documents, index_documents};
use onboard::site::BuildOptions;

const RUNS: usize = 5;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// CPU time of this process so far (user + system, all threads), on Linux;
/// unlike wall time it barely moves when other work shares the machine.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel reports in USER_HZ, 100 on every Linux this runs on.
    Some(Duration::from_millis(ticks * 10))
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

#[test]
fn search_index_build() {
    let Ok(root) = std::env::var("ONBOARD_BENCH_SITE") else {
        return;
    };
    let started = Instant::now();
    let root = Path::new(&root);
    let (content, mut diagnostics) = onboard::load::load_site(root).expect("the site loads");
    let (site, resolved) = onboard::site::resolve(content, BuildOptions::default());
    diagnostics.extend(resolved.0);
    diagnostics.extend(onboard::check::run_at(&site, Some(root)).0);
    assert!(!diagnostics.has_errors(), "the generated site has errors");
    let load = started.elapsed();

    let mut whole = Vec::new();
    let mut cpu = Vec::new();
    let mut gather = Vec::new();
    let mut files = Vec::new();
    for _ in 0..RUNS {
        let (t, c) = (Instant::now(), cpu_time());
        files = build_index(&site);
        whole.push(t.elapsed());
        if let (Some(before), Some(after)) = (c, cpu_time()) {
            cpu.push(after - before);
        }
        let t = Instant::now();
        let docs = documents(&site);
        gather.push(t.elapsed());
        std::hint::black_box(docs);
    }
    let docs = documents(&site);
    let t = Instant::now();
    std::hint::black_box(index_documents(&docs));
    let encode_once = t.elapsed();

    let mut by_kind: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (path, bytes) in &files {
        let kind = match path.trim_start_matches("search/") {
            "meta.js" => "meta",
            name if name.starts_with("t-") => "term shards",
            _ => "document chunks",
        };
        let entry = by_kind.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += bytes.len();
        entry.2 = entry.2.max(bytes.len());
    }
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!("search_bench: site loaded and checked in {}", ms(load));
    println!("search_bench: documents: {}", docs.len());
    println!(
        "search_bench: index build time (median of {RUNS}): {} wall on {} threads",
        ms(median(whole)),
        rayon::current_num_threads()
    );
    if !cpu.is_empty() {
        println!(
            "search_bench:   CPU time (all threads): {}",
            ms(median(cpu))
        );
    }
    println!(
        "search_bench:   of which gathering documents: {}, tokenising and encoding: {}",
        ms(median(gather)),
        ms(encode_once)
    );
    println!(
        "search_bench: index size: {total} bytes in {} files",
        files.len()
    );
    for (kind, (count, bytes, largest)) in by_kind {
        println!("search_bench:   {kind}: {count} files, {bytes} bytes, largest {largest} bytes");
    }
}
