//! The `onboard` binary: parses arguments, calls the library, prints
//! diagnostics and maps outcomes to exit codes (0 ok, 1 content errors,
//! 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;

use onboard::build::BuildFailure;
use onboard::diagnostics::{Diagnostics, terminal_safe};
use onboard::render::Output;
use onboard::site::BuildOptions;

mod cli;

use cli::{Cli, Command, Format};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        stop_quietly_on_a_closed_pipe();
    }
    match cli.command {
        Command::Build {
            root,
            out,
            as_of,
            drafts,
            force,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            build(&root, &out, force, options(as_of, drafts))
        }
        Command::Check {
            root,
            format,
            deny_warnings,
            as_of,
        } => check(&root, format, deny_warnings, options(as_of, false)),
        Command::Serve {
            root,
            port,
            bind,
            open,
            no_drafts,
            drafts: _,
        } => serve(&root, port, bind, open, options(None, !no_drafts)),
        Command::New {
            kind,
            name,
            root,
            as_of,
        } => new(kind, &name, &root, as_of),
        Command::Schema { kind } => {
            print!("{}", kind.kind().schema_text());
            ExitCode::SUCCESS
        }
        Command::Init { dir, as_of } => init(&dir, as_of.unwrap_or_else(today)),
    }
}

/// `onboard new`: writes the file, says where and how to see it. Its dates
/// count from `as_of`, else the site's `as_of`, else today.
fn new(kind: cli::NewKind, name: &str, root: &Path, as_of: Option<chrono::NaiveDate>) -> ExitCode {
    let kind = match kind {
        cli::NewKind::Sop => onboard::scaffold::NewKind::Sop,
        cli::NewKind::Playbook => onboard::scaffold::NewKind::Playbook,
        cli::NewKind::Customer => onboard::scaffold::NewKind::Customer,
    };
    let day = as_of
        .or_else(|| onboard::load::site_as_of(root))
        .unwrap_or_else(today);
    match onboard::scaffold::new_file(root, kind, name, day) {
        Ok(path) => {
            let slug = onboard::model::slugify(name);
            println!("created {}", path.display());
            println!("  {}", onboard::scaffold::how_to_see(kind, &slug));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// `onboard init`: writes a new site in `dir`, its dates counted from `day`.
fn init(dir: &Path, day: chrono::NaiveDate) -> ExitCode {
    match onboard::scaffold::init(dir, day) {
        Ok(()) => {
            println!(
                "created a new site in {}\n  build it: onboard build --root {}\n  \
                 editors: the JSON Schemas in schemas/ (docs/format.md says how to use them)",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// The build options a command line asks for (the share secret is read
/// later, from the variable the site's config names).
fn options(as_of: Option<chrono::NaiveDate>, drafts: bool) -> BuildOptions {
    BuildOptions {
        as_of,
        drafts,
        share_secret: None,
    }
}

fn build(root: &Path, out: &Path, force: bool, options: BuildOptions) -> ExitCode {
    let started = Instant::now();
    // Decided before anything is built: a refused output costs nothing and
    // touches nothing.
    let target = match onboard::output::destination::check(root, out, force) {
        Ok(target) => target,
        Err(refused) => {
            eprintln!("error: {refused}");
            return ExitCode::from(2);
        }
    };
    // Each file goes to disk as soon as it is rendered, into a folder that
    // replaces the old output only once the whole build has succeeded.
    let staging = match onboard::output::Staging::new(&target) {
        Ok(staging) => Arc::new(staging),
        Err(error) => {
            eprintln!("error: cannot write the site: {error}");
            return ExitCode::from(2);
        }
    };
    let result = onboard::build::build(root, options, Output::streaming(staging.clone()));
    match result {
        Ok(built) => {
            print_some_warnings(&built.diagnostics);
            if let Err(error) = staging.commit() {
                eprintln!("error: cannot write the site: {error}");
                return ExitCode::from(2);
            }
            let s = built.stats;
            eprintln!(
                "built {} SOPs, {} playbooks, {} customers, {} pages ({} files) into {} in {} ms",
                s.sops,
                s.playbooks,
                s.customers,
                s.pages,
                s.files,
                out.display(),
                started.elapsed().as_millis()
            );
            print_skipped_drafts(&built.skipped_drafts);
            // The process ends right after the build: the site and the list
            // of written files are left to the operating system rather than freed.
            std::mem::forget(built);
            ExitCode::SUCCESS
        }
        Err(BuildFailure::Io(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(BuildFailure::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let (errors, _) = diagnostics.counts();
            eprintln!(
                "build failed with {errors} error{}; the previous output was left untouched",
                plural(errors)
            );
            ExitCode::from(1)
        }
    }
}

fn check(root: &Path, format: Format, deny_warnings: bool, options: BuildOptions) -> ExitCode {
    let diagnostics = match onboard::build::check(root, options) {
        Ok(d) => d,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let (errors, warnings) = diagnostics.counts();
    match format {
        Format::Json => match diagnostics.to_json() {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        },
        Format::Human => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "checked {}: {errors} error{}, {warnings} warning{}",
                terminal_safe(&root.display().to_string()),
                plural(errors),
                plural(warnings)
            );
        }
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn serve(root: &Path, port: u16, bind: String, open: bool, options: BuildOptions) -> ExitCode {
    let mut config = onboard::serve::ServeConfig::new(root);
    config.port = port;
    config.bind = bind;
    config.build = options;
    // Warnings are printed once, not again on every rebuild.
    let shown = ShownWarnings::default();
    match onboard::serve::serve(config, move |event| print_serve_event(event, open, &shown)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// The warnings of the last build, as printed.
type ShownWarnings = std::sync::Mutex<std::collections::HashSet<String>>;

fn print_serve_event(event: onboard::serve::LogEvent, open: bool, shown: &ShownWarnings) {
    use onboard::serve::LogEvent;
    match event {
        LogEvent::Listening { url } => {
            eprintln!("serving {url}");
            if open && let Err(error) = onboard::serve::open_browser(&url) {
                eprintln!("warning: cannot open a browser: {error}");
            }
        }
        LogEvent::NotLoopback { addr } => eprintln!(
            "warning: listening on {addr}, which other machines can reach: anyone on the network can read the internal pages"
        ),
        LogEvent::Built {
            stats,
            warnings,
            elapsed,
            changed,
            incremental,
            css_only,
        } => {
            print_new_warnings(&warnings, shown);
            let what = if changed.is_empty() {
                "built".to_string()
            } else {
                format!(
                    "rebuilt after a change to {}",
                    terminal_safe(&changed.join(", "))
                )
            };
            let how = match (incremental, css_only) {
                (_, true) => ", stylesheets swapped",
                (true, false) => ", trackers reloaded alone",
                (false, false) => "",
            };
            let warned = match warnings.counts().1 {
                0 => String::new(),
                n => format!(", {n} warning{}", plural(n)),
            };
            eprintln!(
                "{what}: {} SOPs, {} playbooks, {} customers, {} pages ({} files) in {} ms{how}{warned}",
                stats.sops,
                stats.playbooks,
                stats.customers,
                stats.pages,
                stats.files,
                elapsed.as_millis()
            );
        }
        LogEvent::Failed {
            diagnostics,
            changed,
            ..
        } => print_failure(&diagnostics, &changed),
        LogEvent::Problem { message } => eprintln!("warning: {}", terminal_safe(&message)),
        // The build line was shown when the customers' own pages were.
        LogEvent::Aggregated { .. } => {}
    }
}

/// Prints the warnings of a build that the last build did not have, and
/// remembers this build's as shown.
fn print_new_warnings(warnings: &Diagnostics, shown: &ShownWarnings) {
    let current = warnings.iter().map(|w| w.to_string()).collect();
    let mut shown = shown
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let fresh = warnings
        .iter()
        .filter(|w| !shown.contains(&w.to_string()))
        .cloned()
        .collect();
    print_diagnostics(&Diagnostics(fresh));
    *shown = current;
}

/// Prints a failed rebuild's diagnostics and says the last good build is
/// still served.
fn print_failure(diagnostics: &Diagnostics, changed: &[String]) {
    print_diagnostics(diagnostics);
    let (errors, _) = diagnostics.counts();
    let after = if changed.is_empty() {
        String::new()
    } else {
        format!(" after a change to {}", terminal_safe(&changed.join(", ")))
    };
    eprintln!(
        "build failed{after} with {errors} error{}; still serving the last good build",
        plural(errors)
    );
}

/// How many skipped drafts the build names before it counts the rest.
const DRAFTS_NAMED: usize = 10;

/// Names the drafts a build left out and says how to include them, so that
/// a new SOP written as a draft does not seem to vanish.
fn print_skipped_drafts(files: &[String]) {
    if files.is_empty() {
        return;
    }
    let n = files.len();
    eprintln!(
        "note: {n} draft{} not built (status: draft, or draft: true):",
        if n == 1 { " was" } else { "s were" }
    );
    for file in files.iter().take(DRAFTS_NAMED) {
        eprintln!("  {}", terminal_safe(file));
    }
    if n > DRAFTS_NAMED {
        eprintln!("  and {} more", n - DRAFTS_NAMED);
    }
    let them = if n == 1 { "it" } else { "them" };
    eprintln!(
        "  build {them} too with `onboard build --drafts`, or preview {them} with `onboard serve`, which shows drafts"
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// How many warnings `build` shows; `check` shows them all.
const BUILD_WARNINGS_SHOWN: usize = 20;

/// A successful build shows its first warnings and counts the rest: a
/// portfolio with thousands of them would otherwise bury the summary.
fn print_some_warnings(diagnostics: &Diagnostics) {
    let shown = Diagnostics(
        diagnostics
            .0
            .iter()
            .take(BUILD_WARNINGS_SHOWN)
            .cloned()
            .collect(),
    );
    print_diagnostics(&shown);
    let rest = diagnostics.0.len().saturating_sub(BUILD_WARNINGS_SHOWN);
    if rest > 0 {
        eprintln!(
            "… and {rest} more warning{}; `onboard check` lists them all",
            plural(rest)
        );
    }
}

/// Prints diagnostics the way miette draws them (see `Diagnostic::drawn`).
fn print_diagnostics(diagnostics: &Diagnostics) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for diagnostic in diagnostics.iter() {
        eprintln!("{}", diagnostic.drawn(color));
    }
}

/// Lets a command whose output is piped into a reader that stops early
/// (`onboard check --format json | head`) end as other command-line tools
/// do, instead of panicking on the closed pipe: Rust ignores SIGPIPE, and
/// `println!` panics on the error. Not for `serve`, which writes to sockets.
fn stop_quietly_on_a_closed_pipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: restoring the default action of a signal, before any thread
    // starts, has no precondition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
