//! Seeded mutations of the example site (the repository root): whatever
//! its files hold, `check` and `build` end with 0, 1 or 2, never a panic
//! or a signal; every error `check` reports names a file and a line; what
//! they print holds no control character; and they agree on whether the
//! content has errors.
//!
//! CI runs [`DEFAULT_MUTANTS`] mutants. Run more, or another seed, with
//! `ONBOARD_MUTANTS=5000 ONBOARD_MUTANTS_SEED=7 cargo test --release
//! --test robustness mutated`; replay one failure with `ONBOARD_MUTANT=<n>`
//! and the seed it was found with.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Mutex;

use super::{copy_example, onboard};

/// Mutants per CI run: under 10 seconds on two cores.
const DEFAULT_MUTANTS: usize = 300;

/// The seed of CI runs.
const DEFAULT_SEED: u64 = 0x6f6e_626f_6172_6432;

/// xorshift64*: small, seeded, and the same on every machine.
struct Rng(u64);

impl Rng {
    /// The generator of one mutant: mutant `n` is the same whatever ran
    /// before it, so one can be replayed alone.
    fn for_mutant(seed: u64, n: usize) -> Rng {
        let mut rng = Rng((seed ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Offsets at and past the edges of what a plan accepts.
const OFFSETS: &[&str] = &[
    "95000000 days",
    "4294967295 business days",
    "4294967296 days",
    "3000000 days",
    "36525 days",
    "36526 days",
    "5218 weeks",
    "26085 business days",
    "0 days",
    "-3 days",
    "99999999999999999999 weeks",
];

/// Dates at and past the edges of the calendar onboard accepts.
const DATES: &[&str] = &[
    "0000-01-01",
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "2200-12-31",
    "2201-01-01",
    "9999-12-31",
    "2026-02-30",
    "+10239-08-31",
    "262143-12-31",
];

/// Values of another type than the key wants.
const VALUES: &[&str] = &[
    "[1, 2]",
    "{a: 1}",
    "12",
    "-1",
    "4294967296",
    "99999999999999999999",
    "1e309",
    "true",
    "null",
    "~",
    "\"\"",
    "[]",
    "{}",
    "|\n  block",
    "&a x",
    "*a",
];

/// Numbers at the edges of the integer types the model reads.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
];

/// Bytes that are not UTF-8.
const INVALID_UTF8: &[&[u8]] = &[b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf"];

/// Terminal control sequences: retitle, clear, CSI as a C1 character.
const CONTROLS: &str = "\u{1b}]0;mutant\u{7}\u{1b}[2J\u{9b}31m\u{202e}\r";

/// One file's bytes and what was done to them.
struct Mutant {
    bytes: Vec<u8>,
    done: Vec<String>,
}

impl Mutant {
    /// Byte ranges of the lines (without their `\n`).
    fn lines(&self) -> Vec<(usize, usize)> {
        let mut lines = Vec::new();
        let mut start = 0;
        for (at, &byte) in self.bytes.iter().enumerate() {
            if byte == b'\n' {
                lines.push((start, at));
                start = at + 1;
            }
        }
        if start < self.bytes.len() {
            lines.push((start, self.bytes.len()));
        }
        lines
    }

    /// Where the value of a random `key: value` line stands, if any line has one.
    fn value_of_some_key(&self, rng: &mut Rng, key: Option<&[&str]>) -> Option<(usize, usize)> {
        let candidates: Vec<(usize, usize)> = self
            .lines()
            .into_iter()
            .filter_map(|(start, end)| {
                let line = &self.bytes[start..end];
                let colon = line.windows(2).position(|w| w == b": ")?;
                let name = String::from_utf8_lossy(&line[..colon]);
                let name = name.trim().trim_start_matches("- ").trim_start_matches('{');
                let wanted = key.is_none_or(|keys| keys.iter().any(|k| name.trim() == *k));
                wanted.then_some((start + colon + 2, end))
            })
            .collect();
        (!candidates.is_empty()).then(|| *rng.pick(&candidates))
    }

    fn splice(&mut self, range: (usize, usize), with: &[u8], what: String) {
        self.bytes.splice(range.0..range.1, with.iter().copied());
        self.done.push(what);
    }

    fn insert(&mut self, at: usize, with: &[u8], what: String) {
        self.splice((at, at), with, what);
    }

    /// Applies one random mutation.
    fn mutate(&mut self, rng: &mut Rng) {
        let len = self.bytes.len();
        let at = rng.below(len + 1);
        match rng.below(14) {
            0 => {
                self.bytes.truncate(at);
                self.done.push(format!("truncated at byte {at}"));
            }
            1 if len > 0 => {
                let at = at.min(len - 1);
                let flip = 1 + rng.below(255) as u8;
                self.bytes[at] ^= flip;
                self.done
                    .push(format!("flipped byte {at} with {flip:#04x}"));
            }
            2 => {
                let huge = "w".repeat(1_000 + rng.below(100_000));
                match self.value_of_some_key(rng, None) {
                    Some(range) => self.splice(
                        range,
                        huge.as_bytes(),
                        format!("a value of {} bytes at byte {}", huge.len(), range.0),
                    ),
                    None => self.insert(
                        at,
                        huge.as_bytes(),
                        format!("{} bytes at byte {at}", huge.len()),
                    ),
                }
            }
            3 => {
                let lines = self.lines();
                let long = "L".repeat(65_536 + rng.below(40_000));
                let at = match lines.get(rng.below(lines.len())) {
                    Some(&(start, end)) => start + rng.below(end - start + 1),
                    None => at,
                };
                self.insert(
                    at,
                    long.as_bytes(),
                    format!("a run of {} characters at byte {at}", long.len()),
                );
            }
            4 => {
                let offset = rng.pick(OFFSETS);
                match self
                    .value_of_some_key(rng, Some(&["offset", "default", "enterprise", "days"]))
                {
                    Some(range) => self.splice(
                        range,
                        offset.as_bytes(),
                        format!("offset `{offset}` at byte {}", range.0),
                    ),
                    None => self.insert(
                        at,
                        format!("offset: {offset}\n").as_bytes(),
                        format!("an offset line at byte {at}"),
                    ),
                }
            }
            5 => {
                let date = rng.pick(DATES);
                let dates: Vec<usize> = self
                    .bytes
                    .windows(10)
                    .enumerate()
                    .filter(|(_, w)| {
                        w.iter().enumerate().all(|(i, b)| {
                            if i == 4 || i == 7 {
                                *b == b'-'
                            } else {
                                b.is_ascii_digit()
                            }
                        })
                    })
                    .map(|(i, _)| i)
                    .collect();
                match dates.get(rng.below(dates.len())) {
                    Some(&start) => self.splice(
                        (start, start + 10),
                        date.as_bytes(),
                        format!("date {date} at byte {start}"),
                    ),
                    None => self.insert(at, date.as_bytes(), format!("date {date} at byte {at}")),
                }
            }
            6 => {
                let value = rng.pick(VALUES);
                if let Some(range) = self.value_of_some_key(rng, None) {
                    self.splice(
                        range,
                        value.as_bytes(),
                        format!("value `{value}` at byte {}", range.0),
                    );
                }
            }
            7 => {
                let lines = self.lines();
                if let Some(&(start, end)) = lines.get(rng.below(lines.len())) {
                    let end = (end + 1).min(self.bytes.len());
                    self.splice(
                        (start, end),
                        b"",
                        format!("deleted the line at byte {start}"),
                    );
                }
            }
            8 => {
                let lines = self.lines();
                match lines.get(rng.below(lines.len())) {
                    Some(&(start, end)) if self.bytes.get(start) == Some(&b' ') => {
                        let spaces = self.bytes[start..end]
                            .iter()
                            .take_while(|b| **b == b' ')
                            .count();
                        self.splice(
                            (start, start + spaces),
                            b"\t",
                            format!("a tab indents the line at byte {start}"),
                        );
                    }
                    _ => self.insert(at, b"\t", format!("a tab at byte {at}")),
                }
            }
            9 => {
                let bytes = rng.pick(INVALID_UTF8);
                self.insert(at, bytes, format!("bytes {bytes:02x?} at byte {at}"));
            }
            10 => {
                let at = self
                    .value_of_some_key(rng, None)
                    .map_or(at, |(start, _)| start);
                self.insert(
                    at,
                    CONTROLS.as_bytes(),
                    format!("control characters at byte {at}"),
                );
            }
            11 => {
                let lines = self.lines();
                if let Some(&(start, end)) = lines.get(rng.below(lines.len())) {
                    let line = [&self.bytes[start..end], b"\n"].concat();
                    self.insert(start, &line, format!("repeated the line at byte {start}"));
                }
            }
            12 => {
                let number = rng.pick(NUMBERS);
                let digits = (at..len)
                    .chain(0..at)
                    .find(|&i| self.bytes[i].is_ascii_digit());
                if let Some(start) = digits {
                    let end = self.bytes[start..]
                        .iter()
                        .position(|b| !b.is_ascii_digit())
                        .map_or(len, |n| start + n);
                    self.splice(
                        (start, end),
                        number.as_bytes(),
                        format!("number {number} at byte {start}"),
                    );
                }
            }
            _ => {
                let name = "n".repeat(990 + rng.below(30));
                let keys = ["name", "title", "csm", "tier", "id", "slug", "topic"];
                if let Some(range) = self.value_of_some_key(rng, Some(&keys)) {
                    self.splice(
                        range,
                        name.as_bytes(),
                        format!("a name of {} characters at byte {}", name.len(), range.0),
                    );
                }
            }
        }
    }
}

/// The YAML and Markdown files of a site, sorted, relative to it.
fn content_files(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, root: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, files);
            } else if path
                .extension()
                .is_some_and(|e| e == "md" || e == "yaml" || e == "yml")
            {
                files.push(
                    path.strip_prefix(root)
                        .expect("below the root")
                        .to_path_buf(),
                );
            }
        }
    }
    let mut files = vec![PathBuf::from("onboard.yaml")];
    walk(&root.join("playbooks"), root, &mut files);
    walk(&root.join("content"), root, &mut files);
    files.sort();
    files
}

/// What went wrong with one mutant, if anything.
fn judge(check: &Output, build: &Output) -> Vec<String> {
    let mut wrong = Vec::new();
    for (what, output) in [("check", check), ("build", build)] {
        match output.status.code() {
            Some(0..=2) => {}
            Some(code) => wrong.push(format!("{what} exited {code}")),
            None => wrong.push(format!("{what} was killed by a signal")),
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("panicked") {
            wrong.push(format!("{what} panicked"));
        }
        if let Some(c) = stderr
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t')
        {
            wrong.push(format!("{what} printed the control character {c:?}"));
        }
    }
    if matches!(check.status.code(), Some(0 | 1)) {
        match serde_json::from_slice::<Vec<serde_json::Value>>(&check.stdout) {
            Ok(diagnostics) => {
                for d in diagnostics.iter().filter(|d| d["level"] == "error") {
                    let file = d["file"].as_str().unwrap_or("");
                    let line = d["line"].as_u64().unwrap_or(0);
                    if file.is_empty() || line == 0 {
                        wrong.push(format!("an error without a file and a line: {d}"));
                    }
                }
            }
            Err(error) => wrong.push(format!("check --format json printed no JSON: {error}")),
        }
    }
    if check.status.code() != build.status.code() {
        wrong.push(format!(
            "check exited {:?} but build {:?}",
            check.status.code(),
            build.status.code()
        ));
    }
    wrong
}

/// A number from the environment, or `default`.
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_example_sites_never_panic_and_every_error_is_located() {
    let seed = env_number("ONBOARD_MUTANTS_SEED", DEFAULT_SEED);
    let count = env_number("ONBOARD_MUTANTS", DEFAULT_MUTANTS as u64) as usize;
    let only = std::env::var("ONBOARD_MUTANT")
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok());
    let mutants: Vec<usize> = match only {
        Some(n) => vec![n],
        None => (0..count).collect(),
    };
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let failures = Mutex::new(Vec::new());
    let codes = Mutex::new([0usize; 3]);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (mutants, failures, codes) = (&mutants, &failures, &codes);
            scope.spawn(move || {
                let (dir, root) = copy_example();
                let out = dir.path().join("out");
                let files = content_files(&root);
                for &n in mutants.iter().skip(worker).step_by(workers) {
                    let mut rng = Rng::for_mutant(seed, n);
                    let file = rng.pick(&files).clone();
                    let original = std::fs::read(root.join(&file)).expect("read a site file");
                    let mut mutant = Mutant {
                        bytes: original.clone(),
                        done: Vec::new(),
                    };
                    for _ in 0..1 + rng.below(3) {
                        mutant.mutate(&mut rng);
                    }
                    std::fs::write(root.join(&file), &mutant.bytes).expect("write the mutant");
                    let check = onboard()
                        .args(["check", "--format", "json", "--root"])
                        .arg(&root)
                        .output()
                        .expect("run check");
                    let build = onboard()
                        .args(["build", "--root"])
                        .arg(&root)
                        .arg("--out")
                        .arg(&out)
                        .output()
                        .expect("run build");
                    std::fs::write(root.join(&file), &original).expect("restore the file");
                    if let Some(code) = check.status.code().filter(|c| (0..=2).contains(c)) {
                        codes.lock().unwrap()[code as usize] += 1;
                    }
                    let wrong = judge(&check, &build);
                    if !wrong.is_empty() {
                        let stderr = String::from_utf8_lossy(&build.stderr);
                        let tail: String = stderr.chars().rev().take(1_500).collect::<Vec<_>>().into_iter().rev().collect();
                        failures.lock().unwrap().push(format!(
                            "mutant {n} (ONBOARD_MUTANTS_SEED={seed} ONBOARD_MUTANT={n}) of {}: {}\n  {}\n  build stderr ends: {tail}",
                            file.display(),
                            mutant.done.join("; "),
                            wrong.join("\n  "),
                        ));
                    }
                }
                drop(dir);
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    for failure in &failures {
        let what: Vec<&str> = failure
            .lines()
            .take_while(|line| !line.starts_with("  build stderr"))
            .collect();
        eprintln!("{}", what.join(" |"));
    }
    let [ok, content, usage] = codes.into_inner().unwrap();
    eprintln!(
        "{} mutants (seed {seed}): check exited 0 on {ok}, 1 on {content}, 2 on {usage}; {} failed",
        mutants.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} mutants failed; the first:\n\n{}",
        failures.len(),
        mutants.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    // The mutations must reach the checks, not only break the YAML.
    if only.is_none() && count >= 100 {
        assert!(
            ok > 0 && content > 0,
            "check exited 0 on {ok} and 1 on {content} mutants"
        );
    }
}
