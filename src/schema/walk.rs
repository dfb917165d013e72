//! The walk of a schema over a YAML tree: every fault, each at its place,
//! with the closest valid key or value when there is one.

use std::sync::Arc;

use serde_json::Value;

use super::closest;
use super::tree::{Node, Shape, shorten};
use crate::diagnostics::{Diagnostic, Place, SourceFile};
use crate::model::Date;

/// One walk of a schema over a tree.
pub(super) struct Walk<'a> {
    pub(super) root: &'a Value,
    pub(super) file: &'a Arc<SourceFile>,
    pub(super) line_offset: usize,
    pub(super) found: Vec<Diagnostic>,
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

    pub(super) fn check(&mut self, node: &Node, schema: &'a Value, key: &str) {
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

    /// A map's keys: each at most once, each known to `schema` (or allowed
    /// by its `additionalProperties`) and its value checked, and none of the
    /// required ones missing.
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
            match (properties.and_then(|p| p.get(key)), additional) {
                (Some(property), _) => self.check(value, property, key),
                (None, Some(Value::Bool(false))) => self.unknown_key(key_node, key, properties),
                (None, Some(other @ Value::Object(_))) => self.check(value, other, key),
                (None, _) => {}
            }
        }
        // A map that merges another (`<<: *base`) may take its required keys
        // from it; serde, which reads the merge, reports one truly missing.
        if entries.iter().any(|(key, _)| key.scalar() == Some("<<")) {
            return;
        }
        self.missing_keys(node, schema, &seen);
    }

    /// A key that the map's schema does not allow, with the keys it does.
    fn unknown_key(
        &mut self,
        key_node: &Node,
        key: &str,
        properties: Option<&serde_json::Map<String, Value>>,
    ) {
        let names: Vec<String> = properties
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let listed = quoted_list(&names);
        let help = match closest(key, &names) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "remove or rename the key; the keys allowed here are listed above".to_string(),
        };
        self.fault(
            "unknown-key",
            key_node,
            format!("unknown field `{}`, expected one of {listed}", shorten(key)),
            Some(help),
        );
    }

    /// The keys `schema` requires that the map at `node` lacks (`seen` holds
    /// the keys it has).
    fn missing_keys(&mut self, node: &Node, schema: &Value, seen: &[&str]) {
        let Some(required) = schema.get("required").and_then(Value::as_array) else {
            return;
        };
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
