//! The theme: Tera templates and static files, embedded defaults first,
//! then the site's own `themes/<name>/` files overriding them one by one.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Place, SourceFile};

use crate::default_theme::DEFAULT_THEME;

/// Templates and static files ready to use.
pub struct Theme {
    /// Compiled templates.
    pub tera: tera::Tera,
    /// Static files by output path (`static/style.css` → `style.css`... kept
    /// under their theme path without the `static/` prefix).
    pub statics: BTreeMap<String, Vec<u8>>,
    /// The site's brand files (`brand.logo`, `brand.favicon` under
    /// `static/`) by the names they take in each share folder; empty
    /// until [`load_for_site`] reads them.
    pub brand: Vec<(String, Vec<u8>)>,
}

/// The theme as `config`'s site uses it: [`load`], with the tiers' display
/// names for the `tier_name` filter, and the brand files the config names
/// read from the site's `static/` folder. A brand file that cannot be read
/// is left out: the check that runs before every build reports it.
pub fn load_for_site(
    root: &Path,
    config: &crate::config::Config,
) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = load(root, &config.theme)?;
    register_tier_names(&mut theme.tera, config.tiers.clone());
    for (kind, path) in [
        ("logo", &config.brand.logo),
        ("favicon", &config.brand.favicon),
    ] {
        let Some(path) = path else { continue };
        let written = path.value.trim();
        if crate::config::brand_path_problem(written).is_some() {
            continue;
        }
        if let Ok(bytes) = std::fs::read(root.join("static").join(written)) {
            theme
                .brand
                .push((crate::share::brand_file_name(kind, written), bytes));
        }
    }
    Ok(theme)
}

/// A theme's templates by name, each with the path shown in errors and
/// its text.
type Templates = BTreeMap<String, (String, String)>;

/// Loads the default theme with the site's overrides from `root/themes/<name>`
/// (a folder name inside the site: see [`crate::load::theme_folder`]).
pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let (mut templates, mut statics) = default_files();
    let mut errors = Vec::new();
    match crate::load::theme_folder(root, name) {
        Ok(Some(dir)) => read_overrides(root, &dir, &mut templates, &mut statics, &mut errors),
        Ok(None) => {}
        Err(problem) => errors.push(problem.diagnostic(None)),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Theme {
        tera: compile(&templates)?,
        statics,
        brand: Vec::new(),
    })
}

/// The default theme's templates and static files, by their path under
/// `templates/` and `static/`.
fn default_files() -> (Templates, BTreeMap<String, Vec<u8>>) {
    let mut templates = Templates::new();
    let mut statics = BTreeMap::new();
    for (path, bytes) in DEFAULT_THEME {
        if let Some(template) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            templates.insert(
                template.to_string(),
                (format!("(default theme) templates/{template}"), text),
            );
        } else if let Some(file) = path.strip_prefix("static/") {
            statics.insert(file.to_string(), bytes.to_vec());
        }
    }
    (templates, statics)
}

/// The templates parsed together, with the site's filters; when they do
/// not parse, an error for each template at fault.
fn compile(templates: &Templates) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    register_filters(&mut tera);
    let all = templates
        .iter()
        .map(|(name, (_, text))| (name.as_str(), text.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Ok(tera),
        Err(error) => Err(template_faults(templates, &error)),
    }
}

/// Finds the files at fault when the templates do not parse together:
/// each template on its own in a scratch instance, where the templates it
/// includes or extends are missing (Tera says "Unknown template" for an
/// include): those are no fault. When none fails on its own, one error
/// for the theme with Tera's message.
fn template_faults(templates: &Templates, error: &tera::Error) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (name, (shown, text)) in templates {
        let mut scratch = tera::Tera::new();
        register_filters(&mut scratch);
        if let Err(own) = scratch.add_raw_template(name, text)
            && !own.to_string().contains("not found")
            && !own.to_string().contains("Unknown template")
            && !matches!(
                own.kind(),
                tera::ErrorKind::TemplateNotFound(_) | tera::ErrorKind::MissingParent { .. }
            )
        {
            errors.push(template_diagnostic(shown, text, &own));
        }
    }
    if errors.is_empty() {
        errors.push(Diagnostic::file_error(
            "template",
            Path::new("themes"),
            error.to_string(),
        ));
    }
    errors
}

/// Reads a site's theme folder over the default theme's files: templates
/// by their path under `templates/`, static files under `static/`.
fn read_overrides(
    root: &Path,
    dir: &Path,
    templates: &mut Templates,
    statics: &mut BTreeMap<String, Vec<u8>>,
    errors: &mut Vec<Diagnostic>,
) {
    let templates_dir = dir.join("templates");
    let found =
        crate::load::find_files(root, &templates_dir, &["html", "xml", "txt", "js", "json"]);
    let io = |error: crate::diagnostics::IoError| {
        Diagnostic::file_error(
            "io",
            error.path.strip_prefix(root).unwrap_or(&error.path),
            format!("cannot read the theme: {}", error.error),
        )
    };
    match found {
        Ok(found) => {
            for path in found.files {
                let rel = path.strip_prefix(&templates_dir).unwrap_or(&path);
                let rel = crate::diagnostics::display_path(rel);
                match crate::load::read_source(root, &path) {
                    Ok(file) => {
                        templates.insert(rel, (file.name.clone(), file.text.clone()));
                    }
                    Err(error) => errors.push(error),
                }
            }
        }
        Err(error) => errors.push(io(error)),
    }
    match crate::load::read_tree(root, &dir.join("static")) {
        Ok(files) => statics.extend(files),
        Err(error) => errors.push(io(error)),
    }
}

fn register_filters(tera: &mut tera::Tera) {
    tera.register_filter(
        "date_long",
        |value: &str, _: tera::Kwargs, _: &tera::State| -> String {
            crate::calendar::parse_ymd(value)
                .map(crate::calendar::long_date)
                .unwrap_or_else(|| value.to_string())
        },
    );
    register_tier_names(tera, indexmap::IndexMap::new());
    tera.register_filter(
        "num",
        |value: &tera::Value, _: tera::Kwargs, _: &tera::State| -> String { whole(value) },
    );
    tera.register_filter(
        "tag_url",
        |value: &str, _: tera::Kwargs, _: &tera::State| -> String {
            // The page of a tag, relative to the site root (see render::library::tags).
            format!("tags/{}/index.html", crate::model::tag_slug(value))
        },
    );
    tera.register_filter(
        "status_icon",
        |value: &str, _: tera::Kwargs, _: &tera::State| -> &'static str { status_icon(value) },
    );
    tera.register_filter(
        "humanize",
        |value: &str, _: tera::Kwargs, _: &tera::State| -> String {
            // Role and metric ids such as `csm` or `nps` read as acronyms.
            const ACRONYMS: &[&str] = &[
                "csm", "ae", "sso", "nps", "csat", "qbr", "sla", "api", "vcio", "it", "hr", "cs",
            ];
            if ACRONYMS.contains(&value.to_ascii_lowercase().as_str()) {
                return value.to_ascii_uppercase();
            }
            let text = value.replace(['_', '-'], " ");
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
                None => String::new(),
            }
        },
    );
}

/// A number as pages show it: a whole number without decimals ("45", not
/// "45.0"), others as they are; anything else as it is.
fn whole(value: &tera::Value) -> String {
    let text = value.to_string();
    match text.strip_suffix(".0") {
        Some(integer) if value.is_number() => integer.to_string(),
        _ => text,
    }
}

/// The `tier_name` filter: a tier id as readers see it, by the site's
/// `tiers:` display names (see [`crate::config::tier_name`]).
pub fn register_tier_names(tera: &mut tera::Tera, tiers: indexmap::IndexMap<String, String>) {
    tera.register_filter(
        "tier_name",
        move |value: &str, _: tera::Kwargs, _: &tera::State| -> String {
            crate::config::tier_name(&tiers, value)
        },
    );
}

/// The icon that goes with a status word, so that no status is told by
/// colour alone: one shape per family of words, a dot for the rest.
pub fn status_icon(word: &str) -> &'static str {
    match word {
        "approved" | "complete" | "met" | "done" => "✓",
        "on_track" => "●",
        "in_progress" => "◐",
        "pending" | "open" => "○",
        "late" | "missed" | "overdue" => "!",
        "at_risk" | "high" | "critical" => "▲",
        "medium" => "◆",
        "low" => "▽",
        "blocked" => "■",
        "draft" => "✎",
        "retired" | "skipped" => "⊘",
        "no_data" => "–",
        _ => "•",
    }
}

/// A template error, located when Tera says where.
pub fn template_diagnostic(shown: &str, text: &str, error: &tera::Error) -> Diagnostic {
    let file = SourceFile::new(shown, text);
    let message = error.to_string();
    let (line, column) = locate(&message).unwrap_or((1, 1));
    Diagnostic::error(
        "template",
        &Place::at(&file, line, column),
        first_line(&message),
    )
    .with_help("fix the template syntax; see the Tera documentation")
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .to_string()
}

/// Tera reports positions as `name:line:column`; find the first such pair.
fn locate(message: &str) -> Option<(usize, usize)> {
    for token in message.split_whitespace() {
        let parts: Vec<&str> = token
            .trim_matches(|c: char| !c.is_ascii_alphanumeric())
            .rsplitn(3, ':')
            .collect();
        if parts.len() == 3
            && let (Ok(column), Ok(line)) = (parts[0].parse(), parts[1].parse())
        {
            return Some((line, column));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the default theme's template `name`.
    fn default_template(name: &str) -> &'static str {
        let path = format!("templates/{name}");
        let (_, bytes) = DEFAULT_THEME
            .iter()
            .find(|(file, _)| *file == path)
            .unwrap_or_else(|| panic!("the default theme has no {path}"));
        std::str::from_utf8(bytes).expect("templates are UTF-8")
    }

    /// The ids the default template `name` writes out in full, with those
    /// of the template it extends and the partials it includes (ids made
    /// from data, such as a step's, are left out).
    fn fixed_ids(name: &str) -> std::collections::BTreeSet<String> {
        let text = default_template(name);
        let quoted_after = |marker: &str| -> Vec<&'static str> {
            text.split(marker)
                .skip(1)
                .map(|rest| &rest[..rest.find('"').expect("a closing quote")])
                .collect()
        };
        let mut ids: std::collections::BTreeSet<String> = quoted_after(" id=\"")
            .into_iter()
            .filter(|id| !id.contains('{'))
            .map(str::to_string)
            .collect();
        for inner in quoted_after("{% extends \"")
            .into_iter()
            .chain(quoted_after("{% include \""))
        {
            ids.extend(fixed_ids(inner));
        }
        ids
    }

    #[test]
    fn each_page_id_list_is_exactly_the_fixed_ids_of_its_template() {
        use crate::markdown::{CUSTOMER_PAGE_IDS, PLAYBOOK_PAGE_IDS, SHARE_PAGE_IDS, SOP_PAGE_IDS};
        for (template, list) in [
            ("sop.html", SOP_PAGE_IDS),
            ("playbook.html", PLAYBOOK_PAGE_IDS),
            ("customer.html", CUSTOMER_PAGE_IDS),
            ("share.html", SHARE_PAGE_IDS),
        ] {
            let in_template = fixed_ids(template);
            let listed: std::collections::BTreeSet<String> =
                list.iter().map(|id| id.to_string()).collect();
            let unlisted: Vec<_> = in_template.difference(&listed).collect();
            let stale: Vec<_> = listed.difference(&in_template).collect();
            assert!(
                unlisted.is_empty() && stale.is_empty(),
                "{template}: ids headings could take {unlisted:?}, listed but not written {stale:?}"
            );
        }
    }

    #[test]
    fn plain_filters_write_numbers_dates_and_tiers_for_people() {
        let mut tera = tera::Tera::new();
        register_filters(&mut tera);
        register_tier_names(
            &mut tera,
            [("mid_market".to_string(), "Mid-market".to_string())].into(),
        );
        tera.add_raw_template(
            "t",
            "{{ a | num }} {{ b | num }} {{ c | num }} | {{ d | date_long }} | {{ t1 | tier_name }} {{ t2 | tier_name }}",
        )
        .unwrap();
        let mut context = tera::Context::new();
        context.insert("a", &45.0);
        context.insert("b", &4.6);
        context.insert("c", &7);
        context.insert("d", "2026-01-17");
        context.insert("t1", "mid_market");
        context.insert("t2", "smb");
        assert_eq!(
            tera.render("t", &context).unwrap(),
            "45 4.6 7 | 17 Jan 2026 | Mid-market SMB"
        );
    }

    #[test]
    fn every_status_family_has_its_own_icon() {
        let families = [
            ["approved", "complete", "met", "done"].as_slice(),
            &["on_track"],
            &["in_progress"],
            &["pending", "open"],
            &["late", "missed", "overdue"],
            &["at_risk", "high", "critical"],
            &["medium"],
            &["low"],
            &["blocked"],
            &["draft"],
            &["retired", "skipped"],
            &["no_data"],
        ];
        let mut icons = Vec::new();
        for family in families {
            let icon = status_icon(family[0]);
            assert!(
                family.iter().all(|word| status_icon(word) == icon),
                "{family:?}"
            );
            icons.push(icon);
        }
        icons.push(status_icon("anything else"));
        let distinct: std::collections::BTreeSet<_> = icons.iter().collect();
        assert_eq!(distinct.len(), icons.len(), "{icons:?}");
    }

    #[test]
    fn the_badge_shows_the_icon_and_the_humanized_word() {
        let theme = load(std::path::Path::new("/nonexistent"), "default").expect("theme");
        let mut context = tera::Context::new();
        context.insert("status", "at_risk");
        let html = theme
            .tera
            .render("partials/status_badge.html", &context)
            .expect("renders");
        assert_eq!(
            html.trim(),
            r#"<span class="badge status-at_risk"><span class="badge-icon" aria-hidden="true">▲</span> At risk</span>"#
        );
        context.insert("status_label", "Past target");
        context.insert("status", "late");
        let html = theme
            .tera
            .render("partials/status_badge.html", &context)
            .expect("renders");
        assert!(html.contains(">!</span> Past target</span>"), "{html}");
    }
}
