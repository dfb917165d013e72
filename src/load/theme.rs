//! The theme `onboard.yaml` names: which folder it is, or why it cannot be used.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Place, SourceFile};
use crate::model::Spanned;

/// Why the theme `onboard.yaml` names cannot be used.
#[derive(Debug)]
pub struct ThemeProblem {
    /// `invalid-theme` (not a folder name, or leads out of the site) or
    /// `unknown-theme` (no such folder).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl ThemeProblem {
    /// The problem as an error at the `theme:` key of `config`, when there
    /// is a config file to point into.
    pub fn diagnostic(&self, config: Option<&Arc<SourceFile>>) -> Diagnostic {
        let Some(file) = config else {
            return Diagnostic::file_error(self.code, Path::new("onboard.yaml"), &self.message)
                .with_help(&self.help);
        };
        #[derive(Deserialize)]
        struct ThemeKey {
            theme: Option<Spanned<String>>,
        }
        let place = match serde_saphyr::from_str::<ThemeKey>(&file.text) {
            Ok(ThemeKey { theme: Some(theme) }) => Place::at(
                file,
                theme.referenced.line() as usize,
                theme.referenced.column() as usize,
            ),
            _ => Place::file(file),
        };
        Diagnostic::error(self.code, &place, &self.message).with_help(&self.help)
    }
}

/// The folder of the theme named `name`: `themes/<name>/` under `root`, or
/// `None` for `default` when the site has no such folder (the embedded
/// default theme is used as it is).
///
/// A theme is the name of one folder under `themes/`: an absolute path, a
/// name with a separator or `..`, and a folder that is a link leading out
/// of the site are refused, so that a build reads nothing outside its root.
pub fn theme_folder(root: &Path, name: &str) -> Result<Option<PathBuf>, ThemeProblem> {
    let one_name = matches!(
        Path::new(name).components().collect::<Vec<_>>().as_slice(),
        [Component::Normal(_)]
    ) && !name.contains(['/', '\\', ':']);
    if !one_name {
        return Err(ThemeProblem {
            code: "invalid-theme",
            message: format!("`{name}` is not a theme name"),
            help: "a theme is the name of one folder under themes/, such as `brand`; paths (absolute, or with `/` or `..`) are not allowed".into(),
        });
    }
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        let inside = match (fs::canonicalize(&dir), fs::canonicalize(root)) {
            (Ok(dir), Ok(root)) => dir.starts_with(root),
            _ => false,
        };
        if !inside {
            return Err(ThemeProblem {
                code: "invalid-theme",
                message: format!("themes/{name} leads out of the site folder"),
                help: "a theme's folder must be inside the site: copy it under themes/ rather than linking to it".into(),
            });
        }
        return Ok(Some(dir));
    }
    if name == "default" {
        return Ok(None);
    }
    let available = available_themes(root);
    let closest = available
        .iter()
        .map(|theme| (strsim::levenshtein(name, theme), theme))
        .filter(|(distance, _)| *distance <= name.chars().count().div_ceil(2))
        .min();
    let listed = available
        .iter()
        .map(|theme| format!("`{theme}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let help = match closest {
        Some((_, theme)) => format!("did you mean `{theme}`? The themes available are {listed}"),
        None => format!(
            "the themes available are {listed}; a new theme is a folder themes/<name>/ with templates/ and static/"
        ),
    };
    Err(ThemeProblem {
        code: "unknown-theme",
        message: format!("there is no theme `{name}`: themes/{name}/ does not exist"),
        help,
    })
}

/// `default` and every folder under `themes/`, sorted.
fn available_themes(root: &Path) -> Vec<String> {
    let mut themes = vec!["default".to_string()];
    if let Ok(entries) = fs::read_dir(root.join("themes")) {
        themes.extend(
            entries
                .flatten()
                .filter(|entry| entry.path().is_dir())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| !name.starts_with('.')),
        );
    }
    themes.sort();
    themes.dedup();
    themes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_is_one_folder_name() {
        let root = Path::new("/nonexistent");
        for name in ["/tmp/x", "../x", "a/b", r"a\b", "", ".", "..", "C:x"] {
            let problem = theme_folder(root, name).unwrap_err();
            assert_eq!(problem.code, "invalid-theme", "{name:?}");
        }
        assert!(theme_folder(root, "default").unwrap().is_none());
        assert_eq!(
            theme_folder(root, "brand").unwrap_err().code,
            "unknown-theme"
        );
    }
}
