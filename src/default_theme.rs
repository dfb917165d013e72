//! The default theme (`themes/default/`), embedded in the binary by the
//! build script, so that `onboard build` works on a site with no theme of
//! its own. Render compiles it (`render::theme`); check reads the names of
//! its static files to check links to them.

include!(concat!(env!("OUT_DIR"), "/theme.rs"));

/// Whether the default theme has a static file at `path` (a path under its
/// `static/` folder, such as `style.css`).
pub fn has_static(path: &str) -> bool {
    DEFAULT_THEME
        .iter()
        .any(|(file, _)| file.strip_prefix("static/") == Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_is_a_static_file_and_a_template_is_not() {
        assert!(has_static("style.css"));
        assert!(!has_static("base.html"));
        assert!(!has_static("templates/base.html"));
        assert!(!has_static(""));
    }
}
