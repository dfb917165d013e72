//! The `onboard` binary: parses arguments, calls the library, prints
//! diagnostics and maps outcomes to exit codes (0 ok, 1 content errors,
//! 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;

use onboard::build::{BuildFailure, build_site_to, check_site};
use onboard::diagnostics::Diagnostics;
use onboard::render::Output;
use onboard::site::BuildOptions;

mod cli;

use cli::{Cli, Command, Format};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            as_of,
            drafts,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            build(&root, &out, options(&root, as_of, drafts))
        }
        Command::Check {
            root,
            format,
            deny_warnings,
            as_of,
        } => check(&root, format, deny_warnings, options(&root, as_of, false)),
        Command::New {
            kind,
            name,
            root,
            as_of,
        } => {
            let kind = match kind {
                cli::NewKind::Sop => onboard::scaffold::NewKind::Sop,
                cli::NewKind::Playbook => onboard::scaffold::NewKind::Playbook,
                cli::NewKind::Customer => onboard::scaffold::NewKind::Customer,
            };
            match onboard::scaffold::new_file(&root, kind, &name, as_of.unwrap_or_else(today)) {
                Ok(path) => {
                    println!("created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Init { dir, as_of } => {
            match onboard::scaffold::init(&dir, as_of.unwrap_or_else(today)) {
                Ok(()) => {
                    println!(
                        "created a new site in {}\n  build it: onboard build --root {}",
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
    }
}

/// Reads the share secret from the variable the config names, if set.
fn options(root: &Path, as_of: Option<chrono::NaiveDate>, drafts: bool) -> BuildOptions {
    let _ = root;
    BuildOptions {
        as_of,
        drafts,
        share_secret: None,
    }
}

fn build(root: &Path, out: &Path, options: BuildOptions) -> ExitCode {
    let started = Instant::now();
    // Each file goes to disk as soon as it is rendered, into a folder that
    // replaces the old output only once the whole build has succeeded.
    let staging = match onboard::output::Staging::new(out) {
        Ok(staging) => Arc::new(staging),
        Err(error) => {
            eprintln!("error: cannot write the site: {error}");
            return ExitCode::from(2);
        }
    };
    match build_site_to(root, options, Output::streaming(staging.clone())) {
        Ok(built) => {
            print_diagnostics(&built.diagnostics);
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
    let diagnostics = match check_site(root, options) {
        Ok(d) => d,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let (errors, warnings) = diagnostics.counts();
    match format {
        Format::Json => match serde_json::to_string_pretty(&diagnostics) {
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
                root.display(),
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    for diagnostic in diagnostics.iter() {
        let mut text = String::new();
        match handler.render_report(&mut text, &diagnostic.pretty()) {
            Ok(()) => eprintln!("{text}"),
            Err(_) => eprintln!("{diagnostic}\n"),
        }
    }
}
