//! JSON Schemas of the files authors write, and a validator that walks
//! them over a YAML tree with places.
//!
//! The schemas are derived from the model's types (`#[derive(JsonSchema)]`,
//! their `///` lines becoming descriptions), so a field added to the model
//! is in them with no further work. `onboard schema KIND` prints one and
//! `onboard init` writes them into a new site, where editors validate and
//! complete YAML files as they are typed.
//!
//! The loader deserialises a file straight into its type, which costs a
//! clean file nothing more. Only when that fails does it come here:
//! [`validate`] reads the file into a tree of nodes that know their line
//! and column, walks the type's schema over it and reports every fault
//! (unknown keys, values outside an enumeration, wrong types, dates that
//! are not `YYYY-MM-DD`, missing keys), each at its place and with the
//! closest valid key or value when there is one, rather than serde's first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use schemars::JsonSchema;
use serde_json::Value;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::model::{PageMeta, Playbook, Role, Sop, Tracker};

mod tree;
mod walk;

use tree::{Node, Shape, read_tree};
use walk::Walk;

/// The kinds of file that have a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `onboard.yaml`.
    Config,
    /// `playbooks/roles.yaml`.
    Roles,
    /// An SOP, `kind: sop`.
    Sop,
    /// A playbook, `kind: playbook`.
    Playbook,
    /// A customer tracker under `content/customers/`.
    Tracker,
    /// The front matter of a free page under `content/pages/`.
    Page,
}

impl Kind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [Kind; 6] = [
        Kind::Config,
        Kind::Roles,
        Kind::Sop,
        Kind::Playbook,
        Kind::Tracker,
        Kind::Page,
    ];

    /// The kind's name on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Config => "config",
            Kind::Roles => "roles",
            Kind::Sop => "sop",
            Kind::Playbook => "playbook",
            Kind::Tracker => "tracker",
            Kind::Page => "page",
        }
    }

    /// The kind whose [`Kind::name`] is `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// What files the kind describes, for people.
    pub fn describes(self) -> &'static str {
        match self {
            Kind::Config => "onboard.yaml, the site's settings",
            Kind::Roles => "playbooks/roles.yaml, the roles every SOP can use",
            Kind::Sop => "an SOP (`kind: sop`) under playbooks/",
            Kind::Playbook => "a playbook (`kind: playbook`) under playbooks/",
            Kind::Tracker => "a customer tracker under content/customers/",
            Kind::Page => "the front matter of a page under content/pages/",
        }
    }

    /// The file a site keeps the schema in, under `schemas/`.
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }

    /// The schema, as a JSON value.
    pub fn schema(self) -> Value {
        let mut schema = match self {
            Kind::Config => schema_of::<Config>(),
            Kind::Roles => schema_of::<Vec<Role>>(),
            Kind::Sop => schema_of::<Sop>(),
            Kind::Playbook => schema_of::<Playbook>(),
            Kind::Tracker => schema_of::<Tracker>(),
            Kind::Page => schema_of::<PageMeta>(),
        }
        .as_ref()
        .clone();
        if let Some(object) = schema.as_object_mut() {
            object.insert(
                "title".into(),
                Value::String(format!("onboard {}", self.name())),
            );
            if self == Kind::Roles {
                object.insert(
                    "description".into(),
                    Value::String(
                        "The site-wide roles (playbooks/roles.yaml): a list of roles that \
                         steps and SOPs name as owners and escalation targets."
                            .into(),
                    ),
                );
            }
        }
        schema
    }

    /// The schema as the text of a `.schema.json` file.
    pub fn schema_text(self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema()).expect("a schema is JSON");
        text.push('\n');
        text
    }
}

/// The schema of `T`, made the first time it is asked for.
pub fn schema_of<T: JsonSchema>() -> Arc<Value> {
    static MADE: OnceLock<Mutex<HashMap<String, Arc<Value>>>> = OnceLock::new();
    let id = T::schema_id().into_owned();
    let made = MADE.get_or_init(Default::default);
    if let Some(schema) = made.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
        return schema.clone();
    }
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = Arc::new(generator.into_root_schema_for::<T>().to_value());
    made.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, schema.clone());
    schema
}

/// Every key that a schema names, at any depth, sorted.
pub fn property_names(schema: &Value) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                if let Some(Value::Object(properties)) = object.get("properties") {
                    names.extend(properties.keys().cloned());
                }
                stack.extend(object.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    names
}

/// Every fault of `yaml` (standing in `file` after `line_offset` lines)
/// against the schema of `T`, in the order of the text; `None` when the
/// text cannot be read as one YAML document at all.
pub fn validate<T: JsonSchema>(
    file: &Arc<SourceFile>,
    yaml: &str,
    line_offset: usize,
) -> Option<Vec<Diagnostic>> {
    validate_with(&schema_of::<T>(), file, yaml, line_offset)
}

/// [`validate`] against a schema given as JSON, such as [`Kind::schema`].
pub fn validate_with(
    schema: &Value,
    file: &Arc<SourceFile>,
    yaml: &str,
    line_offset: usize,
) -> Option<Vec<Diagnostic>> {
    let root = read_tree(yaml)?;
    let mut walk = Walk {
        root: schema,
        file,
        line_offset,
        found: Vec::new(),
    };
    let top = root.unwrap_or(Node {
        line: 1,
        column: 1,
        shape: Shape::Scalar(String::new(), true),
    });
    walk.check(&top, schema, "");
    let mut found = walk.found;
    found.sort_by_key(|d| (d.line, d.column));
    Some(found)
}

/// The first tab in the indentation of a line up to `last_line`, as a
/// 1-based line and column: YAML indents with spaces only, and the parser
/// reports a tab where it notices it, often at the end of the line before.
pub fn tab_in_indentation(yaml: &str, last_line: usize) -> Option<(usize, usize)> {
    for (index, line) in yaml.lines().enumerate().take(last_line) {
        let indent: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        if indent.len() == line.len() {
            continue;
        }
        if let Some(at) = indent.chars().position(|c| c == '\t') {
            return Some((index + 1, at + 1));
        }
    }
    None
}

/// The valid word nearest to `written`, when one is near enough to be
/// what was meant: the same but for case, spaces or dashes, or a few
/// letters off.
pub fn closest<'a>(written: &str, valid: &'a [String]) -> Option<&'a str> {
    let fold = |text: &str| text.trim().to_lowercase().replace([' ', '-'], "_");
    let folded = fold(written);
    if let Some(same) = valid.iter().find(|v| fold(v) == folded) {
        return Some(same);
    }
    let allowance = (folded.chars().count() / 3).max(1);
    valid
        .iter()
        .map(|v| (strsim::levenshtein(&folded, &fold(v)), v))
        .filter(|(distance, _)| *distance <= allowance)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults<T: JsonSchema>(yaml: &str) -> Vec<(usize, usize, String, Option<String>)> {
        let file = SourceFile::new("t.yaml", yaml);
        validate::<T>(&file, yaml, 0)
            .expect("readable YAML")
            .into_iter()
            .map(|d| (d.line, d.column, d.message, d.help))
            .collect()
    }

    #[test]
    fn a_clean_tracker_has_no_faults() {
        let yaml = "customer:\n  name: Acme\n  start_date: 2026-01-05\nmilestones:\n  - { name: Kickoff, status: in_progress, target_date: \"2026-01-09\" }\nscores: { nps: 45 }\nactions:\n  - { title: Send, done: true }\n";
        assert_eq!(faults::<Tracker>(yaml), vec![]);
    }

    #[test]
    fn every_fault_is_found_at_its_place() {
        let yaml = "customer:\n  name: Acme\n  start_date: 29/11/2026\nmilestones:\n  - name: Kickoff\n    status: inprogress\n    assignee: me\nactions:\n  - { title: Send, done: maybe }\n";
        let found = faults::<Tracker>(yaml);
        let places: Vec<(usize, usize)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(
            places,
            vec![(3, 15), (6, 13), (7, 5), (9, 26)],
            "{found:#?}"
        );
        assert!(found[0].2.contains("29/11/2026"), "{found:#?}");
        assert!(
            found[1]
                .2
                .starts_with("unknown value `inprogress` for `status`, expected one of `pending`")
        );
        assert!(
            found[1]
                .3
                .as_deref()
                .unwrap()
                .starts_with("did you mean `in_progress`?")
        );
        assert!(
            found[2]
                .2
                .starts_with("unknown field `assignee`, expected one of `name`")
        );
        assert_eq!(
            found[3].2,
            "expected true or false for `done`, found `maybe`"
        );
    }

    #[test]
    fn missing_keys_and_wrong_shapes_are_faults() {
        let found = faults::<Tracker>("customer:\n  tier: smb\nmilestones: soon\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            (found[0].0, found[0].2.as_str()),
            (2, "missing field `name`")
        );
        assert_eq!(
            (found[1].0, found[1].2.as_str()),
            (3, "expected a list for `milestones`, found `soon`")
        );
    }

    #[test]
    fn an_sop_must_say_it_is_one() {
        let found = faults::<Sop>("kind: playbok\ntitle: T\n");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].2, "`kind` must be `sop`, found `playbok`");
    }

    #[test]
    fn a_tab_is_found_where_it_stands() {
        let yaml = "customer:\n  name: Acme\nmilestones:\n  - name: A\n\t  status: pending\n";
        assert_eq!(tab_in_indentation(yaml, 5), Some((5, 1)));
        assert_eq!(tab_in_indentation(yaml, 4), None);
        assert_eq!(tab_in_indentation("a:\n  b:\tc\n", 9), None);
    }

    #[test]
    fn the_closest_word_is_offered_only_when_near() {
        let valid: Vec<String> = ["pending", "in_progress", "complete"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("In Progress", &valid), Some("in_progress"));
        assert_eq!(closest("compelte", &valid), Some("complete"));
        assert_eq!(closest("done", &valid), None);
    }

    #[test]
    fn every_kind_has_a_schema_with_descriptions() {
        for kind in Kind::ALL {
            let schema = kind.schema();
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
            assert!(schema.get("$schema").is_some(), "{}", kind.name());
            assert!(kind.schema_text().contains("\"description\""));
        }
    }
}
