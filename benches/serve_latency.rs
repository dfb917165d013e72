//! Benchmark of `onboard serve`: how long from saving one tracker to the
//! browser being told to reload, on generated sites of many customers,
//! and how much memory the server holds after many rebuilds.
//!
//! ```text
//! cargo bench --bench serve_latency -- [--customers 1000,10000] [--edits 15] [--rebuilds 1000]
//! ```
//!
//! Run with no arguments at all, as `cargo test` runs it, it measures one
//! small site (20 customers, 2 edits, 5 rebuilds), which shows that it
//! still works without taking minutes.
//!
//! For each size it generates a site in a temporary folder, starts the
//! server in this process on a free port of 127.0.0.1, listens to
//! `/__onboard/events` over a plain TCP socket like a browser tab, and:
//! edits one tracker `--edits` times (a different one each time) and times
//! each save → the `reload` event listing that customer's page, then →
//! the `reload` listing the pages that read every customer (the
//! dashboard); does the same for `onboard.yaml`, which rebuilds
//! everything; then runs `--rebuilds` more tracker edits, each saved as
//! soon as the last one's customer page is reloaded, waits for the last
//! one's dashboard and reads VmRSS from /proc/self/status (the server runs
//! in this process; the client side of the benchmark holds next to
//! nothing). It prints a table. Latency includes the watcher's 50 ms
//! debounce.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use onboard::serve::{self, LogEvent, ServeConfig};

const TIMEOUT: Duration = Duration::from_secs(120);

struct Options {
    customers: Vec<usize>,
    edits: usize,
    rebuilds: usize,
}

fn parse_options() -> Options {
    let mut options = Options {
        customers: vec![1_000, 10_000],
        edits: 15,
        rebuilds: 1_000,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        return Options {
            customers: vec![20],
            edits: 2,
            rebuilds: 5,
        };
    }
    let mut index = 0;
    while index < args.len() {
        let value = args.get(index + 1).map(String::as_str).unwrap_or("");
        match args[index].as_str() {
            // Added by `cargo bench`.
            "--bench" => {
                index += 1;
                continue;
            }
            "--customers" => {
                options.customers = value
                    .split(',')
                    .map(|n| n.trim().parse().expect("--customers N,M"))
                    .collect()
            }
            "--edits" => options.edits = value.parse().expect("--edits N"),
            "--rebuilds" => options.rebuilds = value.parse().expect("--rebuilds N"),
            other => panic!("unknown argument {other}; see the top of benches/serve_latency.rs"),
        }
        index += 2;
    }
    options.edits = options.edits.max(1);
    options
}

fn main() {
    let options = parse_options();
    let templates = !has_default_templates();
    if templates {
        eprintln!(
            "note: the embedded default theme has no templates yet; using placeholder templates"
        );
    }
    let mut rows = Vec::new();
    for &customers in &options.customers {
        eprintln!("{customers} customers: generating, starting, editing...");
        rows.push(measure(customers, &options, templates));
    }
    println!();
    println!(
        "| customers | first build ms | tracker edit → reload of its page ms (median, p90, max) | server build ms (median) | tracker edit → reload of the dashboard ms (median) | onboard.yaml edit → reload ms (median) | RSS after start MiB | RSS after {} rebuilds MiB | peak RSS MiB |",
        options.rebuilds
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        println!(
            "| {} | {:.0} | {:.1}, {:.1}, {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            row.customers,
            row.first_build_ms,
            row.tracker.median,
            row.tracker.p90,
            row.tracker.max,
            row.tracker_build_ms,
            row.aggregates.median,
            row.config.median,
            row.rss_start_mib,
            row.rss_end_mib,
            row.peak_mib
        );
    }
}

struct Row {
    customers: usize,
    first_build_ms: f64,
    tracker: Summary,
    tracker_build_ms: f64,
    aggregates: Summary,
    config: Summary,
    rss_start_mib: f64,
    rss_end_mib: f64,
    peak_mib: f64,
}

fn measure(customers: usize, options: &Options, templates: bool) -> Row {
    let site = tempfile::tempdir().expect("temp dir");
    let root = site.path();
    generate(root, customers, templates);

    let (sender, log) = mpsc::channel();
    let mut config = ServeConfig::new(root);
    config.port = 0;
    let server = serve::start(config, move |event| {
        let _ = sender.send(event);
    })
    .expect("the server starts");
    let first_build_ms = match next_build(&log) {
        (true, ms, _) => ms,
        (false, _, _) => panic!("the generated site does not build"),
    };
    let mut events = Events::open(server.addr);
    events.wait_for("hello");
    let rss_start_mib = rss_mib("VmRSS");

    // The dashboard is listed in the second `reload` of an edit, never in
    // the first, which lists the customer's own pages.
    const DASHBOARD: &str = "\"/customers/\"";
    let mut edit = 0usize;
    let mut edit_tracker = |events: &mut Events, log: &Receiver<LogEvent>| {
        edit += 1;
        let index = 1 + (edit * 7919) % customers;
        let text = tracker(index, &format!("Customer {index} (edit {edit})"));
        let path = root.join(format!("content/customers/c{index:05}.yaml"));
        let started = Instant::now();
        std::fs::write(&path, text).expect("edit");
        events.wait_for_data("reload", &format!("\"/customers/c{index:05}/\""));
        let latency = started.elapsed();
        let (ok, build_ms, incremental) = last_build(log);
        assert!(
            ok && incremental,
            "a tracker edit reloads that tracker alone"
        );
        (started, ms(latency), build_ms)
    };

    let mut latencies = Vec::new();
    let mut builds = Vec::new();
    let mut aggregates = Vec::new();
    for _ in 0..options.edits {
        let (started, latency, build) = edit_tracker(&mut events, &log);
        events.wait_for_data("reload", DASHBOARD);
        aggregates.push(ms(started.elapsed()));
        latencies.push(latency);
        builds.push(build);
    }

    let mut config_latencies = Vec::new();
    for round in 0..options.edits.min(5) {
        let started = Instant::now();
        std::fs::write(root.join("onboard.yaml"), config_text(round)).expect("edit config");
        events.wait_for_data("reload", "");
        config_latencies.push(ms(started.elapsed()));
        let (ok, _, incremental) = last_build(&log);
        assert!(ok && !incremental);
    }

    for done in 0..options.rebuilds {
        edit_tracker(&mut events, &log);
        if (done + 1) % 100 == 0 {
            eprintln!("  {} rebuilds, RSS {:.1} MiB", done + 1, rss_mib("VmRSS"));
        }
    }
    if options.rebuilds > 0 {
        events.wait_for_data("reload", DASHBOARD);
    }
    let rss_end_mib = rss_mib("VmRSS");
    let peak_mib = rss_mib("VmHWM");
    server.shutdown();

    Row {
        customers,
        first_build_ms,
        tracker_build_ms: Summary::of(&mut builds).median,
        tracker: Summary::of(&mut latencies),
        aggregates: Summary::of(&mut aggregates),
        config: Summary::of(&mut config_latencies),
        rss_start_mib,
        rss_end_mib,
        peak_mib,
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

struct Summary {
    median: f64,
    p90: f64,
    max: f64,
}

impl Summary {
    fn of(samples: &mut [f64]) -> Summary {
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        Summary {
            median: at(0.5),
            p90: at(0.9),
            max: at(1.0),
        }
    }
}

/// (succeeded, server-side build ms, incremental) of the next build.
fn next_build(log: &Receiver<LogEvent>) -> (bool, f64, bool) {
    loop {
        match log.recv_timeout(TIMEOUT).expect("a build in time") {
            LogEvent::Built {
                elapsed,
                incremental,
                ..
            } => return (true, ms(elapsed), incremental),
            LogEvent::Failed {
                diagnostics,
                elapsed,
                ..
            } => {
                eprintln!("{diagnostics}");
                return (false, ms(elapsed), false);
            }
            _ => {}
        }
    }
}

/// The last build reported so far (the server logs before it notifies).
fn last_build(log: &Receiver<LogEvent>) -> (bool, f64, bool) {
    let mut last = None;
    while let Ok(event) = log.try_recv() {
        match event {
            LogEvent::Built {
                elapsed,
                incremental,
                ..
            } => last = Some((true, ms(elapsed), incremental)),
            LogEvent::Failed { elapsed, .. } => last = Some((false, ms(elapsed), false)),
            _ => {}
        }
    }
    last.expect("the build behind the event was logged")
}

fn rss_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| {
            line.strip_prefix(field)?
                .trim_start_matches(':')
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

// ------------------------------------------------------------- the site

fn has_default_templates() -> bool {
    onboard::default_theme::DEFAULT_THEME
        .iter()
        .any(|(path, _)| *path == "templates/index.html")
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn config_text(round: usize) -> String {
    format!("title: Generated Onboarding\nas_of: 2026-01-25\n# edit {round}\n")
}

/// A tracker for customer number `index`. Start dates spread over two
/// months; one customer in twenty has a blocked milestone (at risk) and
/// one in twenty-five a missed target (late), as in a real portfolio.
fn tracker(index: usize, name: &str) -> String {
    // Dates on working days, as teams plan them (else every tracker warns).
    let day = |offset: usize| {
        use chrono::Datelike;
        let mut date = chrono::NaiveDate::from_ymd_opt(2025, 12, 1).expect("a date")
            + chrono::Days::new(offset as u64);
        while date.weekday().number_from_monday() > 5 {
            date = date.succ_opt().expect("a next day");
        }
        date.to_string()
    };
    let start = index % 60;
    let blocked = index.is_multiple_of(20);
    let late = index.is_multiple_of(25);
    let kickoff_done = start + 3 <= 55;
    format!(
        "customer:\n  name: \"{name}\"\n  slug: c{index:05}\n  tier: mid-market\n  csm: \"CSM {csm}\"\n  playbook: saas\n  start_date: \"{start_date}\"\n\
         milestones:\n  - name: \"Kickoff completed\"\n    marks: kickoff\n    target_date: \"{kickoff}\"\n    actual_date: {kickoff_actual}\n    status: {kickoff_status}\n\
         \x20 - name: \"Integration configured\"\n    target_date: \"{integration}\"\n    actual_date: null\n    status: {integration_status}\n{blockers}\
         \x20 - name: \"First value achieved\"\n    marks: first_value\n    target_date: \"{first_value}\"\n    actual_date: null\n    status: pending\n\
         health: {{ engagement: high, sentiment: positive, risk_level: low }}\n\
         scores: {{ nps: {nps}, csat: 4.5 }}\n",
        csm = index % 12,
        start_date = day(start),
        kickoff = day(start + 3),
        kickoff_actual = if kickoff_done {
            format!("\"{}\"", day(start + 3))
        } else {
            "null".into()
        },
        kickoff_status = if kickoff_done { "complete" } else { "pending" },
        integration = if late { day(40) } else { day(start + 60) },
        integration_status = if blocked { "blocked" } else { "in_progress" },
        blockers = if blocked {
            "    blockers: [\"Waiting on SSO metadata\"]\n"
        } else {
            ""
        },
        first_value = day(start + 75),
        nps = 20 + index % 60,
    )
}

fn generate(root: &Path, customers: usize, templates: bool) {
    write(root, "onboard.yaml", &config_text(0));
    write(
        root,
        "playbooks/roles.yaml",
        "- id: csm\n  name: Customer Success Manager\n  responsibilities: [Own the relationship]\n",
    );
    write(
        root,
        "playbooks/kickoff.md",
        "---\nkind: sop\nid: kickoff\ntitle: Customer Kickoff\nowner: csm\nstatus: approved\n\
         steps:\n  - title: Confirm readiness\n    owner: csm\n\
         kpis:\n  - id: time-to-kickoff\n    name: Time to kickoff\n    measure: {from: start, to: kickoff, unit: business_days, stat: median}\n    target: \"< 5\"\n---\nRun the first meeting.\n",
    );
    write(
        root,
        "playbooks/saas.yaml",
        "kind: playbook\nid: saas\ntitle: SaaS Onboarding\nphases:\n  - {id: welcome, name: Welcome, days: [1, 3], sops: [kickoff]}\n\
         milestones:\n  - {name: Kickoff completed, marks: kickoff, offset: 3 business days}\n  - {name: First value achieved, marks: first_value, offset: 14 days}\n",
    );
    write(
        root,
        "content/pages/guide.md",
        "# Guide\n\nHow we onboard.\n",
    );
    for index in 1..=customers {
        write(
            root,
            &format!("content/customers/c{index:05}.yaml"),
            &tracker(index, &format!("Customer {index}")),
        );
    }
    if templates {
        for name in [
            "index", "sop", "playbook", "roles", "glossary", "page", "search", "404",
        ] {
            write(
                root,
                &format!("themes/default/templates/{name}.html"),
                "<!doctype html><html><head><title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1></body></html>\n",
            );
        }
    }
}

// ---------------------------------------------------------- event stream

/// A minimal `/__onboard/events` client: chunked transfer, SSE blocks.
struct Events {
    stream: TcpStream,
    raw: Vec<u8>,
    text: String,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).expect("connect");
        stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        write!(
            stream,
            "GET /__onboard/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .expect("send");
        let mut events = Events {
            stream,
            raw: Vec::new(),
            text: String::new(),
        };
        while !events.raw.windows(4).any(|w| w == b"\r\n\r\n") {
            events.fill();
        }
        let at = events
            .raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("head")
            + 4;
        assert!(
            events.raw.starts_with(b"HTTP/1.1 200"),
            "the event stream was refused"
        );
        events.raw.drain(..at);
        events
    }

    fn fill(&mut self) {
        let mut buf = [0; 16384];
        let n = self.stream.read(&mut buf).expect("events arrive in time");
        assert!(n > 0, "the event stream ended");
        self.raw.extend_from_slice(&buf[..n]);
    }

    fn wait_for(&mut self, name: &str) {
        self.wait_for_data(name, "");
    }

    /// Waits for an event `name` whose data contains `part`.
    fn wait_for_data(&mut self, name: &str, part: &str) {
        let wanted = format!("event: {name}\n");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            // Move complete chunks into text, then look at whole blocks.
            while let Some(line) = self.raw.windows(2).position(|w| w == b"\r\n") {
                let size = usize::from_str_radix(
                    std::str::from_utf8(&self.raw[..line]).expect("size").trim(),
                    16,
                )
                .expect("a chunk size");
                if self.raw.len() < line + 2 + size + 2 {
                    break;
                }
                self.text.push_str(
                    std::str::from_utf8(&self.raw[line + 2..line + 2 + size]).expect("UTF-8"),
                );
                self.raw.drain(..line + 2 + size + 2);
            }
            while let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                if block.starts_with(&wanted) && block.contains(part) {
                    return;
                }
                assert!(
                    !block.starts_with("event: error"),
                    "the site broke: {block}"
                );
            }
            assert!(Instant::now() < deadline, "no `{name}` event");
            self.fill();
        }
    }
}
