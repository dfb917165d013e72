//! A test that the top-level modules import each other without cycles.
//!
//! The pipeline runs one way (load → resolve → check → compute → render →
//! write), so a module may use only modules before it. This reads every
//! `crate::<module>` path in the sources (comments aside) and fails on the
//! first cycle between top-level modules, naming a file for each step.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Top-level module → the modules it names → one file that names it.
type Imports = BTreeMap<String, BTreeMap<String, String>>;

fn collect(dir: &Path, src: &Path, imports: &mut Imports) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, src, imports);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = relative
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        // The crate root and the binary sit above every stage.
        if module == "lib" || module == "main" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let code = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"));
        for line in code {
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                    .unwrap_or(rest.len());
                let used = &rest[..end];
                if !used.is_empty() && used != module {
                    imports
                        .entry(module.clone())
                        .or_default()
                        .entry(used.to_string())
                        .or_insert_with(|| relative.clone());
                }
            }
        }
    }
}

/// A cycle through `module`, if there is one, as the modules along it.
fn cycle_from(
    module: &str,
    imports: &Imports,
    path: &mut Vec<String>,
    done: &mut Vec<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|m| m == module) {
        let mut cycle = path[start..].to_vec();
        cycle.push(module.to_string());
        return Some(cycle);
    }
    if done.iter().any(|m| m == module) {
        return None;
    }
    path.push(module.to_string());
    for used in imports.get(module).into_iter().flat_map(BTreeMap::keys) {
        if let Some(cycle) = cycle_from(used, imports, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.push(module.to_string());
    None
}

#[test]
fn top_level_modules_import_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut imports = Imports::new();
    collect(&src, &src, &mut imports);
    assert!(
        imports.contains_key("render"),
        "no imports found under {}",
        src.display()
    );
    let mut done = Vec::new();
    for module in imports.keys() {
        if let Some(cycle) = cycle_from(module, &imports, &mut Vec::new(), &mut done) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|pair| {
                    format!(
                        "{} → {} (in {})",
                        pair[0], pair[1], imports[&pair[0]][&pair[1]]
                    )
                })
                .collect();
            panic!("import cycle:\n  {}", steps.join("\n  "));
        }
    }
}

/// The top-level modules in pipeline order, as ARCHITECTURE.md lists them:
/// each may import only modules before it. A module missing here is held
/// only to having no cycle, as is an import of one.
const ORDER: [&str; 20] = [
    "calendar",
    "target",
    "model",
    "default_theme",
    "config",
    "markdown",
    "status",
    "diagnostics",
    "schema",
    "scaffold",
    "load",
    "measure",
    "site",
    "share",
    "check",
    "kpi",
    "render",
    "output",
    "build",
    "serve",
];

/// Every import of a listed module that runs against [`ORDER`], as
/// `module → imported (in file)`.
fn against_order(imports: &Imports) -> Vec<String> {
    let rank = |module: &str| ORDER.iter().position(|m| *m == module);
    let mut wrong = Vec::new();
    for (module, used) in imports {
        let Some(at) = rank(module) else { continue };
        for (target, file) in used {
            if rank(target).is_some_and(|t| t > at) {
                wrong.push(format!("{module} → {target} (in {file})"));
            }
        }
    }
    wrong
}

#[test]
fn modules_import_only_earlier_stages() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut imports = Imports::new();
    collect(&src, &src, &mut imports);
    let wrong = against_order(&imports);
    assert!(
        wrong.is_empty(),
        "imports against the stage order (src/layering.rs ORDER, ARCHITECTURE.md):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn an_import_of_a_later_stage_is_named() {
    let mut imports = Imports::new();
    imports
        .entry("check".to_string())
        .or_default()
        .insert("render".to_string(), "check/links.rs".to_string());
    imports
        .entry("render".to_string())
        .or_default()
        .insert("site".to_string(), "render/mod.rs".to_string());
    assert_eq!(
        against_order(&imports),
        ["check → render (in check/links.rs)"]
    );
}

#[test]
fn a_cycle_is_found_and_named() {
    let mut imports = Imports::new();
    let mut import = |from: &str, to: &str| {
        imports
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string(), format!("{from}.rs"));
    };
    import("site", "model");
    import("site", "check");
    import("check", "render");
    import("render", "site");
    let cycle = cycle_from("site", &imports, &mut Vec::new(), &mut Vec::new());
    assert_eq!(cycle.unwrap(), ["site", "check", "render", "site"]);
    assert_eq!(
        cycle_from("model", &imports, &mut Vec::new(), &mut Vec::new()),
        None
    );
}
