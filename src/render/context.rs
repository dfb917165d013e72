//! Page contexts (JSON values) → Tera contexts, without going through serde.
//!
//! `tera::Context::from_serialize` serialises the whole JSON tree through
//! serde and allocates every map key anew; on a customer page that costs
//! more than rendering the template. Walking the tree directly does the same
//! conversion, and map keys, a small set repeated on every page, are shared
//! between pages instead of allocated for each.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;
use tera::value::Key;

/// The Tera context of a page whose JSON context is `context`, a map.
pub fn tera_context(context: &Value) -> Result<tera::Context, String> {
    match context {
        Value::Object(map) => Ok(tera_context_of(map)),
        _ => Err(format!("a page context must be a map, not {context}")),
    }
}

/// The Tera context of the JSON map `map`.
pub fn tera_context_of(map: &serde_json::Map<String, Value>) -> tera::Context {
    let mut out = tera::Context::new();
    for (key, value) in map {
        out.insert_value(key.clone(), tera_value(value));
    }
    out
}

/// One JSON value as the Tera value `from_serialize` would make of it.
pub fn tera_value(value: &Value) -> tera::Value {
    match value {
        Value::Null => tera::Value::none(),
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into()
            } else if let Some(i) = n.as_i64() {
                i.into()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into()
            }
        }
        Value::String(s) => s.as_str().into(),
        Value::Array(items) => items.iter().map(tera_value).collect::<Vec<_>>().into(),
        Value::Object(map) => {
            let mut out = tera::Map::with_capacity(map.len());
            for (key, value) in map {
                out.insert(shared_key(key), tera_value(value));
            }
            out.into()
        }
    }
}

/// Keys kept per thread; content can bring its own keys (`extra:`, glossary
/// terms), so past this many new ones are allocated without being kept.
const MAX_SHARED_KEYS: usize = 4096;

thread_local! {
    static KEYS: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::new());
}

fn shared_key(key: &str) -> Key<'static> {
    KEYS.with_borrow_mut(|keys| {
        if let Some(shared) = keys.get(key) {
            return Key::String(shared.clone());
        }
        let shared: Arc<str> = Arc::from(key);
        if keys.len() < MAX_SHARED_KEYS {
            keys.insert(shared.clone());
        }
        Key::String(shared)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_like_from_serialize() {
        let context = json!({
            "site": { "title": "Acme <Onboarding>", "as_of": "2026-01-25", "share": true },
            "page": { "kind": "page", "weight": 3, "delta": -2, "ratio": 0.25, "none": null },
            "items": [1, "two", { "three": [3.5] }, []],
            "long": "a string long enough to be stored outside the value itself",
        });
        let direct = tera_context(&context).unwrap();
        let through_serde = tera::Context::from_serialize(&context).unwrap();
        assert_eq!(direct, through_serde);
    }

    #[test]
    fn renders_the_same_page() {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html"]);
        tera.add_raw_template(
            "t.html",
            "{{ site.title }}|{% for i in items %}{{ i }},{% endfor %}|{{ page.ratio }}|{{ page.none }}",
        )
        .unwrap();
        let context = json!({
            "site": { "title": "A & B" },
            "items": [1, -2, "x"],
            "page": { "ratio": 0.5, "none": null },
        });
        let direct = tera.render("t.html", &tera_context(&context).unwrap());
        let through_serde =
            tera.render("t.html", &tera::Context::from_serialize(&context).unwrap());
        assert_eq!(direct.unwrap(), through_serde.unwrap());
    }

    #[test]
    fn only_maps_are_contexts() {
        assert!(tera_context(&json!([1, 2])).is_err());
    }
}
