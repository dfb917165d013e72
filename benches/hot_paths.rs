//! divan benchmarks of the hot inner parts of a build, one page or one
//! customer at a time: YAML loading, Markdown rendering, page contexts and
//! templates, customer feeds and share folders, the dashboard and its KPI
//! charts, KPI computation, and the search index.
//!
//! Run with `cargo bench --bench hot_paths`; `cargo test` runs each once.
//! The fixture is a site generated in a temporary folder by the project's
//! own generators: 1,000 trackers and 10 SOPs from `benches/gen_trackers.py`
//! and 100 pages from `benches/gen_pages.py`, whose links all resolve. Both
//! need python3. While the repository has no default theme, the fixture
//! gets the templates of `benches/bench-theme/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use divan::{Bencher, black_box};
use onboard::markdown;
use onboard::model::Tracker;
use onboard::render::theme::Theme;
use onboard::render::{customers, pages};
use onboard::site::{BuildOptions, Site};

fn main() {
    divan::main();
}

/// Customers in the fixture site, for the KPI benchmarks.
const CUSTOMERS: usize = 1000;

/// Free pages in the fixture site.
const PAGES: usize = 100;

struct Fixture {
    /// Keeps the temporary site alive for the whole run.
    _dir: tempfile::TempDir,
    root: PathBuf,
    site: Site,
    theme: Theme,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("site");
        run(Command::new("python3")
            .arg(repo.join("benches/gen_trackers.py"))
            .arg(CUSTOMERS.to_string())
            .arg(&root));
        let generated = dir.path().join("pages");
        run(Command::new("python3")
            .arg(repo.join("benches/gen_pages.py"))
            .arg(PAGES.to_string())
            .arg(&generated));
        copy_tree(
            &generated.join("content/pages"),
            &root.join("content/pages"),
        );
        if !repo.join("themes/default/templates/page.html").is_file() {
            copy_tree(
                &repo.join("benches/bench-theme"),
                &root.join("themes/default"),
            );
        }
        let (content, mut diagnostics) = onboard::load::load_site(&root).expect("fixture site");
        let (site, resolved) = onboard::site::resolve(content, BuildOptions::default());
        diagnostics.extend(resolved.0);
        diagnostics.extend(onboard::check::run_at(&site, Some(&root)).0);
        assert!(
            !diagnostics.has_errors(),
            "the fixture site has errors: {diagnostics:?}"
        );
        assert_eq!(site.customers.len(), CUSTOMERS);
        assert_eq!(site.pages.len(), PAGES);
        let theme = onboard::render::theme::load(&root, &site.config.theme).expect("theme");
        Fixture {
            _dir: dir,
            root,
            site,
            theme,
        }
    })
}

fn run(command: &mut Command) {
    let status = command
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {command:?}: {e}\n\
                 the benchmark site is made by Python scripts under benches/: install python3"
            )
        });
    assert!(status.success(), "{command:?} failed");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a file");
        }
    }
}

/// A typical customer of the fixture: one with a plan, updates and notes.
fn customer() -> &'static onboard::site::Customer {
    &fixture().site.customers[CUSTOMERS / 2]
}

/// A typical generated page.
fn page() -> &'static onboard::site::PageEntry {
    let site = &fixture().site;
    &site.pages[site.pages.len() / 2]
}

mod load {
    use super::*;

    /// One customer tracker, from YAML text to the typed document.
    #[divan::bench]
    fn yaml_tracker(bencher: Bencher) {
        let file = customer().loaded.file.clone();
        bencher.bench(|| onboard::load::parse_yaml::<Tracker>(black_box(&file), 0).unwrap());
    }

    /// One Markdown page with front matter, read from disk.
    #[divan::bench]
    fn markdown_page_file(bencher: Bencher) {
        let fixture = fixture();
        let pages_dir = fixture.root.join("content/pages");
        let path = pages_dir.join(format!("{}.md", page().path));
        bencher.bench(|| {
            onboard::load::load_page(&fixture.root, &pages_dir, black_box(&path)).unwrap()
        });
    }
}

mod render {
    use super::*;

    /// One generated page's Markdown to safe HTML.
    #[divan::bench]
    fn markdown_page(bencher: Bencher) {
        let body = &page().loaded.body();
        bencher.bench(|| markdown::render(black_box(body), "../../"));
    }

    /// A free page's context: Markdown, table of contents, nav, site.
    #[divan::bench]
    fn page_context(bencher: Bencher) {
        let site = &fixture().site;
        let shared = pages::SharedContext::new(site);
        bencher.bench(|| pages::free_page(site, &shared, black_box(page())));
    }

    /// A free page through its template (context already built).
    #[divan::bench]
    fn page_template(bencher: Bencher) {
        let fixture = fixture();
        let shared = pages::SharedContext::new(&fixture.site);
        let (_, context) = pages::free_page(&fixture.site, &shared, page());
        bencher.bench(|| {
            fixture
                .theme
                .tera
                .render("page.html", black_box(&context))
                .unwrap()
        });
    }

    /// A customer status page's context: milestones, links, updates (the
    /// timeline drawn apart, below).
    #[divan::bench]
    fn customer_context(bencher: Bencher) {
        let site = &fixture().site;
        let shared = customers::CustomerShared::new(site);
        let chart = customers::timeline(site, customer()).0;
        let svg = chart.svg("timeline");
        bencher.bench(|| {
            customers::customer_page(
                &shared,
                black_box(customer()),
                Some("folder"),
                &svg,
                chart.today_percent(),
            )
        });
    }

    /// A customer's milestone timeline (SVG).
    #[divan::bench]
    fn customer_timeline(bencher: Bencher) {
        let site = &fixture().site;
        bencher.bench(|| {
            customers::timeline(site, black_box(customer()))
                .0
                .svg("timeline")
        });
    }

    /// A customer status page through its template (context already built).
    #[divan::bench]
    fn customer_template(bencher: Bencher) {
        let fixture = fixture();
        let shared = customers::CustomerShared::new(&fixture.site);
        let chart = customers::timeline(&fixture.site, customer()).0;
        let svg = chart.svg("timeline");
        let (_, context) = customers::customer_page(
            &shared,
            customer(),
            Some("folder"),
            &svg,
            chart.today_percent(),
        );
        bencher.bench(|| {
            fixture
                .theme
                .tera
                .render("customer.html", black_box(&context))
                .unwrap()
        });
    }

    /// A customer's share folder: page, stylesheet and feed.
    #[divan::bench]
    fn customer_share_folder(bencher: Bencher) {
        let fixture = fixture();
        bencher.bench(|| {
            let mut output = onboard::render::Output::default();
            customers::share_files(
                &fixture.site,
                &fixture.theme,
                black_box(customer()),
                "folder",
                customers::Made::default(),
                &mut output,
            );
            output
        });
    }

    /// The portfolio dashboard's context: the customer rows in severity
    /// order and every chart, KPI distributions of the 1,000 customers
    /// included.
    #[divan::bench]
    fn dashboard_context(bencher: Bencher) {
        let site = &fixture().site;
        let kpis = onboard::kpi::compute_kpis(site);
        let portfolio = onboard::kpi::portfolio(site, &kpis);
        bencher.bench(|| {
            let rows: Vec<_> = onboard::render::dashboard::in_severity_order(site)
                .into_iter()
                .map(|c| onboard::render::dashboard::row(c, site.as_of))
                .collect();
            let list = onboard::render::dashboard::customer_list(&rows);
            customers::dashboard_page(site, black_box(&portfolio), &kpis, &list)
        });
    }

    /// One KPI's distribution chart over the 1,000 customers (a histogram).
    #[divan::bench]
    fn kpi_distribution_chart(bencher: Bencher) {
        let kpis = onboard::kpi::compute_kpis(&fixture().site);
        let kpi = kpis
            .iter()
            .max_by_key(|k| k.values.len())
            .expect("the fixture has KPIs");
        bencher.bench(|| {
            onboard::render::charts::distribution_chart(
                "kpi",
                &kpi.name,
                black_box(&kpi.values),
                kpi.unit.map_or("", onboard::measure::Unit::as_str),
                kpi.target.as_ref(),
            )
        });
    }

    /// A customer's internal milestone feed (iCalendar).
    #[divan::bench]
    fn customer_feed(bencher: Bencher) {
        let site = &fixture().site;
        bencher
            .bench(|| onboard::render::exports::milestones_ics(site, black_box(customer()), false));
    }
}

mod kpi {
    use super::*;

    /// Every SOP KPI over the 1,000 customers.
    #[divan::bench]
    fn compute_kpis(bencher: Bencher) {
        let site = &fixture().site;
        bencher.bench(|| onboard::kpi::compute_kpis(black_box(site)));
    }

    /// The portfolio summary (by state, tier and CSM) over the 1,000 customers.
    #[divan::bench]
    fn portfolio(bencher: Bencher) {
        let site = &fixture().site;
        let kpis = onboard::kpi::compute_kpis(site);
        bencher.bench(|| onboard::kpi::portfolio(black_box(site), &kpis));
    }
}

mod search {
    use super::*;

    /// One generated page's terms and weights.
    #[divan::bench]
    fn weigh_page(bencher: Bencher) {
        let docs = onboard::render::search::documents(&fixture().site);
        let url = onboard::render::pages::page_path(&page().path);
        let doc = docs
            .iter()
            .find(|d| d.url == url)
            .expect("the page is indexed");
        bencher.bench(|| onboard::render::search::weigh(black_box(doc)));
    }

    /// The whole index of the fixture: 1,000 customers, 100 pages, 10 SOPs.
    #[divan::bench(sample_count = 10)]
    fn whole_index(bencher: Bencher) {
        let site = &fixture().site;
        bencher.bench(|| onboard::render::search::build_index(black_box(site)));
    }
}
