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

use granit_parser::{Event, Parser, ScalarStyle};
use schemars::JsonSchema;
use serde_json::Value;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Place, SourceFile};
use crate::model::{Date, PageMeta, Playbook, Role, Sop, Tracker};

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

/// A node of a YAML document, with where it starts.
#[derive(Clone, Debug)]
struct Node {
    /// 1-based line in the YAML text.
    line: usize,
    /// 1-based column, in characters.
    column: usize,
    shape: Shape,
}

#[derive(Clone, Debug)]
enum Shape {
    /// A scalar's text, and whether it was written plain (unquoted).
    Scalar(String, bool),
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    fn scalar(&self) -> Option<&str> {
        match &self.shape {
            Shape::Scalar(text, _) => Some(text),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(&self.shape, Shape::Scalar(text, true) if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What the node is, in words, for "expected …, found …".
    fn found(&self) -> String {
        match &self.shape {
            _ if self.is_null() => "nothing".into(),
            Shape::Scalar(text, _) => format!("`{}`", shorten(text)),
            Shape::List(_) => "a list".into(),
            Shape::Map(_) => "a map of keys".into(),
        }
    }
}

fn shorten(text: &str) -> String {
    const MOST: usize = 60;
    if text.chars().count() <= MOST {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(MOST).collect();
        cut.push('…');
        cut
    }
}

/// One document's tree, or `None` when the text is not YAML that one
/// document can be read from (the parser's own error then says why).
fn read_tree(yaml: &str) -> Option<Option<Node>> {
    struct Frame {
        node: Node,
        anchor: usize,
        key: Option<Node>,
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root = None;
    let mut documents = 0;
    for item in Parser::new_from_str(yaml) {
        let (event, span) = item.ok()?;
        let (line, column) = (span.start.line(), span.start.col() + 1);
        let node = match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::StreamEnd => break,
            Event::Scalar(text, style, anchor, _) => {
                let node = Node {
                    line,
                    column,
                    shape: Shape::Scalar(text.into_owned(), style == ScalarStyle::Plain),
                };
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                let shape = if matches!(event, Event::SequenceStart(..)) {
                    Shape::List(Vec::new())
                } else {
                    Shape::Map(Vec::new())
                };
                stack.push(Frame {
                    node: Node {
                        line,
                        column,
                        shape,
                    },
                    anchor,
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = stack.pop()?;
                if frame.anchor > 0 {
                    anchors.insert(frame.anchor, frame.node.clone());
                }
                frame.node
            }
            Event::Alias(id) => {
                let mut node = anchors.get(&id)?.clone();
                (node.line, node.column) = (line, column);
                node
            }
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(frame) => match &mut frame.node.shape {
                Shape::List(items) => items.push(node),
                Shape::Map(entries) => match frame.key.take() {
                    None => frame.key = Some(node),
                    Some(key) => entries.push((key, node)),
                },
                Shape::Scalar(..) => return None,
            },
        }
    }
    Some(root)
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

/// One walk of a schema over a tree.
struct Walk<'a> {
    root: &'a Value,
    file: &'a Arc<SourceFile>,
    line_offset: usize,
    found: Vec<Diagnostic>,
}

impl<'a> Walk<'a> {
    /// Records a fault of the kind `code` (see docs/lints.md, "Faults in a
    /// file"): `date`, `unknown-key`, `missing-key`, `duplicate-key` or `value`.
    fn fault(&mut self, code: &'static str, node: &Node, message: String, help: Option<String>) {
        let place = Place::at(self.file, node.line + self.line_offset, node.column);
        let mut diagnostic = Diagnostic::error(code, &place, message);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.found.push(diagnostic);
    }

    /// The schema a `$ref` leads to.
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..32 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let target = reference
                .strip_prefix("#/$defs/")
                .and_then(|name| self.root.get("$defs")?.get(name));
            match target {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn check(&mut self, node: &Node, schema: &'a Value, key: &str) {
        let schema = self.resolve(schema);
        if let Some(alternatives) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            return self.check_alternatives(node, alternatives, key);
        }
        if let Some(values) = allowed_values(schema) {
            return self.check_value(node, &values, key);
        }
        let Some(types) = schema.get("type") else {
            return;
        };
        let types: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let Some(shape) = types.iter().copied().find(|t| fits(node, t)) else {
            let expected = types
                .iter()
                .filter(|t| **t != "null")
                .map(|t| type_words(t, schema))
                .collect::<Vec<_>>()
                .join(" or ");
            let under = if key.is_empty() {
                String::new()
            } else {
                format!(" for `{key}`")
            };
            let is_date = shape_of(schema) == "date";
            let help = is_date.then(|| DATE_HELP.to_string());
            self.fault(
                if is_date { "date" } else { "value" },
                node,
                format!("expected {expected}{under}, found {}", node.found()),
                help,
            );
            return;
        };
        match (&node.shape, shape) {
            (Shape::Map(entries), "object") => self.check_map(node, entries, schema),
            (Shape::List(items), "array") => {
                if let Some(item) = schema.get("items") {
                    for each in items {
                        self.check(each, item, key);
                    }
                }
            }
            (Shape::Scalar(text, _), "string") => self.check_text(node, text, schema, key),
            (Shape::Scalar(text, _), "integer" | "number") => {
                self.check_number(node, text, schema, key)
            }
            _ => {}
        }
    }

    fn check_alternatives(&mut self, node: &Node, alternatives: &'a [Value], key: &str) {
        let resolved: Vec<&'a Value> = alternatives.iter().map(|a| self.resolve(a)).collect();
        if node.is_null() && resolved.iter().any(|a| allows_null(a)) {
            return;
        }
        let real: Vec<&'a Value> = resolved
            .iter()
            .copied()
            .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
            .collect();
        let values: Option<Vec<String>> = real.iter().try_fold(Vec::new(), |mut all, a| {
            all.extend(allowed_values(a)?);
            Some(all)
        });
        if let Some(values) = values.filter(|v| !v.is_empty()) {
            return self.check_value(node, &values, key);
        }
        if let [one] = real.as_slice() {
            return self.check(node, one, key);
        }
        // Several shapes: the one that fits best is taken as meant.
        let mut best: Option<Vec<Diagnostic>> = None;
        for alternative in real {
            let before = self.found.len();
            self.check(node, alternative, key);
            let these = self.found.split_off(before);
            if these.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| these.len() < b.len()) {
                best = Some(these);
            }
        }
        self.found.extend(best.unwrap_or_default());
    }

    fn check_value(&mut self, node: &Node, values: &[String], key: &str) {
        if node
            .scalar()
            .is_some_and(|text| values.iter().any(|v| v == text))
        {
            return;
        }
        let listed = quoted_list(values);
        if let [only] = values {
            let under = if key.is_empty() { "here" } else { key };
            self.fault(
                "value",
                node,
                format!("`{under}` must be `{only}`, found {}", node.found()),
                None,
            );
            return;
        }
        let written = node.scalar().unwrap_or_default();
        let help = match closest(written, values) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "use one of the values listed above".to_string(),
        };
        let message = match node.scalar() {
            Some(_) if !node.is_null() && key.is_empty() => {
                format!(
                    "unknown value `{}`, expected one of {listed}",
                    shorten(written)
                )
            }
            Some(_) if !node.is_null() => format!(
                "unknown value `{}` for `{key}`, expected one of {listed}",
                shorten(written)
            ),
            _ => format!(
                "expected one of {listed} for `{key}`, found {}",
                node.found()
            ),
        };
        self.fault("value", node, message, Some(help));
    }

    fn check_map(&mut self, node: &Node, entries: &[(Node, Node)], schema: &'a Value) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        let mut seen: Vec<&str> = Vec::new();
        for (key_node, value) in entries {
            let Some(key) = key_node.scalar() else {
                self.fault(
                    "value",
                    key_node,
                    format!("a key must be plain text, found {}", key_node.found()),
                    None,
                );
                continue;
            };
            if key == "<<" {
                continue;
            }
            if seen.contains(&key) {
                self.fault(
                    "duplicate-key",
                    key_node,
                    format!("duplicate field `{key}`"),
                    Some("a key can stand once in each map: remove one of them".into()),
                );
                continue;
            }
            seen.push(key);
            if let Some(property) = properties.and_then(|p| p.get(key)) {
                self.check(value, property, key);
                continue;
            }
            match additional {
                Some(Value::Bool(false)) => {
                    let names: Vec<String> = properties
                        .map(|p| p.keys().cloned().collect())
                        .unwrap_or_default();
                    let listed = quoted_list(&names);
                    let help = match closest(key, &names) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "remove or rename the key; the keys allowed here are listed above"
                            .to_string(),
                    };
                    self.fault(
                        "unknown-key",
                        key_node,
                        format!("unknown field `{}`, expected one of {listed}", shorten(key)),
                        Some(help),
                    );
                }
                Some(other @ Value::Object(_)) => self.check(value, other, key),
                _ => {}
            }
        }
        // A map that merges another (`<<: *base`) may take its required keys
        // from it; serde, which reads the merge, reports one truly missing.
        if entries.iter().any(|(key, _)| key.scalar() == Some("<<")) {
            return;
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !seen.contains(&name) {
                    self.fault(
                        "missing-key",
                        node,
                        format!("missing field `{name}`"),
                        Some(format!("add `{name}:` to this map")),
                    );
                }
            }
        }
    }

    fn check_text(&mut self, node: &Node, text: &str, schema: &Value, key: &str) {
        if shape_of(schema) == "date" {
            if let Err(problem) = Date::parse(text) {
                self.fault("date", node, problem, Some(DATE_HELP.into()));
            }
            return;
        }
        if let Some(most) = schema.get("maxLength").and_then(Value::as_u64) {
            let chars = text.chars().count();
            if chars as u64 > most {
                let under = if key.is_empty() {
                    String::new()
                } else {
                    format!("`{key}` ")
                };
                self.fault(
                    "value",
                    node,
                    format!("{under}is {chars} characters long; it holds at most {most}"),
                    Some("put longer text in a summary, criteria or the body".into()),
                );
            }
        }
    }

    fn check_number(&mut self, node: &Node, text: &str, schema: &Value, key: &str) {
        let Ok(number) = text.trim().parse::<f64>() else {
            return;
        };
        let least = schema.get("minimum").and_then(Value::as_f64);
        let most = schema.get("maximum").and_then(Value::as_f64);
        let out = least.is_some_and(|l| number < l) || most.is_some_and(|m| number > m);
        if out {
            let range = match (least, most) {
                (Some(l), Some(m)) => format!("from {l} to {m}"),
                (Some(l), None) => format!("of at least {l}"),
                (None, Some(m)) => format!("of at most {m}"),
                (None, None) => unreachable!("out of no bounds"),
            };
            self.fault(
                "value",
                node,
                format!("`{key}` must be a number {range}, found {text}"),
                None,
            );
        }
    }
}

const DATE_HELP: &str = "write dates as YYYY-MM-DD, such as 2026-11-29";

/// The values a schema allows when it is an enumeration (`enum` or `const`).
fn allowed_values(schema: &Value) -> Option<Vec<String>> {
    if let Some(one) = schema.get("const") {
        return Some(vec![one.as_str()?.to_string()]);
    }
    let values = schema.get("enum")?.as_array()?;
    values
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn allows_null(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    }
}

/// `date` for date strings, else the schema's type.
fn shape_of(schema: &Value) -> &str {
    if schema.get("format").and_then(Value::as_str) == Some("date") {
        return "date";
    }
    schema.get("type").and_then(Value::as_str).unwrap_or("")
}

/// Whether a node can be read as a value of the JSON type `kind`, as
/// serde-saphyr reads scalars.
fn fits(node: &Node, kind: &str) -> bool {
    match (&node.shape, kind) {
        (Shape::Map(_), "object") | (Shape::List(_), "array") => true,
        (Shape::Scalar(..), "null") => node.is_null(),
        (Shape::Scalar(..), "string") => !node.is_null(),
        (Shape::Scalar(text, plain), "boolean") => {
            *plain
                && ["true", "false", "yes", "no", "on", "off", "y", "n"]
                    .iter()
                    .any(|word| text.trim().eq_ignore_ascii_case(word))
        }
        (Shape::Scalar(text, _), "integer") => {
            let text = text.trim();
            text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok()
        }
        (Shape::Scalar(text, _), "number") => {
            let text = text.trim();
            text.parse::<f64>().is_ok() || matches!(text, ".inf" | "-.inf" | ".nan")
        }
        _ => false,
    }
}

/// A JSON type in words.
fn type_words(kind: &str, schema: &Value) -> &'static str {
    match kind {
        "string" if shape_of(schema) == "date" => "a date written YYYY-MM-DD",
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "a map of keys",
        _ => "a value",
    }
}

fn quoted_list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
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
