//! The commands and their flags.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// onboard: compile onboarding SOPs, playbooks and customer trackers into a
/// fast, searchable static site.
#[derive(Debug, Parser)]
#[command(name = "onboard", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds).
    Build {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: ROOT/public]. It must be missing, empty
        /// or an earlier output, which carries a .onboard-output marker
        /// file; the build replaces it whole.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the output folder even though it holds files and no
        /// .onboard-output marker (everything in it is deleted). The site
        /// root, the folders above it and the site's sources (playbooks/,
        /// content/, themes/, static/) are refused all the same.
        #[arg(long)]
        force: bool,
        /// Compute status as of this date (YYYY-MM-DD) instead of onboard.yaml's as_of or today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
        /// Also build draft SOPs and pages.
        #[arg(long)]
        drafts: bool,
    },
    /// Load, validate and lint everything; write nothing. Exit 1 on any error.
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Compute status as of this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Build in memory, serve the site, rebuild on every save and reload the browser.
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but a loopback address lets other
        /// machines see internal pages.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Leave draft SOPs and pages out, as `onboard build` does. By
        /// default serve shows them, each with a draft banner.
        #[arg(long)]
        no_drafts: bool,
        /// Show drafts: the default, accepted so that older scripts still run.
        #[arg(long, hide = true, conflicts_with = "no_drafts")]
        drafts: bool,
    },
    /// Write a valid, commented starting file.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKind,
        /// Its name (also the file name and id, slugified).
        name: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Count the file's dates from this day (YYYY-MM-DD) instead of onboard.yaml's as_of or today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Print the JSON Schema of a kind of file, for editors and other tools.
    Schema {
        /// The kind of file.
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Write a new site that builds.
    Init {
        /// Folder to create (must be empty or absent).
        dir: PathBuf,
        /// Count the example's dates from this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
    },
}

/// `check` output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable diagnostics with the offending line.
    Human,
    /// One JSON object per diagnostic, in an array.
    Json,
}

/// What `new` creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    /// An SOP under playbooks/.
    Sop,
    /// A playbook under playbooks/.
    Playbook,
    /// A customer tracker under content/customers/.
    Customer,
}

/// The kinds of file `schema` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// onboard.yaml, the site's settings.
    Config,
    /// playbooks/roles.yaml, the roles every SOP can use.
    Roles,
    /// An SOP (`kind: sop`) under playbooks/.
    Sop,
    /// A playbook (`kind: playbook`) under playbooks/.
    Playbook,
    /// A customer tracker under content/customers/.
    #[value(alias = "customer")]
    Tracker,
    /// The front matter of a page under content/pages/.
    Page,
}

impl SchemaKind {
    /// The library's kind.
    pub fn kind(self) -> onboard::schema::Kind {
        use onboard::schema::Kind;
        match self {
            SchemaKind::Config => Kind::Config,
            SchemaKind::Roles => Kind::Roles,
            SchemaKind::Sop => Kind::Sop,
            SchemaKind::Playbook => Kind::Playbook,
            SchemaKind::Tracker => Kind::Tracker,
            SchemaKind::Page => Kind::Page,
        }
    }
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    onboard::model::Date::parse(text).map(|d| d.0)
}
