//! Page contexts → Tera contexts: the one place where a page's data
//! becomes what its template reads.
//!
//! A page's context is a typed view, a `#[derive(Serialize)]` struct per
//! page. [`view_context`] serialises it once, straight into Tera values:
//! struct field names are static strings, so no key is allocated.
//!
//! Library page jobs carry their context as JSON (see
//! `render::pages::PageJob`); [`tera_context`] converts those. Walking the
//! JSON tree directly does what `tera::Context::from_serialize` would do,
//! but map keys, a small set repeated on every page, are shared between
//! pages instead of allocated for each.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use tera::value::Key;

/// The Tera context of a page whose typed view is `view`: the view's fields
/// are the context's top-level names.
///
/// # Panics
///
/// If `view` does not serialise to a map with string keys. Views are
/// structs of strings, numbers, dates and lists, so that is a bug in the
/// view's type, not something content can cause.
pub fn view_context(view: &impl Serialize) -> tera::Context {
    let map = tera::Value::try_from_serializable(view)
        .ok()
        .and_then(tera::Value::into_map)
        .expect("a page view serialises to a map");
    let mut context = tera::Context::new();
    for (key, value) in map {
        context.insert_value(key_name(key), value);
    }
    context
}

/// A top-level name of a context: a struct field's name is borrowed as is.
fn key_name(key: Key<'static>) -> Cow<'static, str> {
    match key {
        Key::Str(name) => Cow::Borrowed(name),
        Key::String(name) => Cow::Owned(name.to_string()),
        other => Cow::Owned(other.to_string()),
    }
}

/// The Tera context of a page whose JSON context is `context`, a map.
pub fn tera_context(context: &Value) -> Result<tera::Context, String> {
    match context {
        Value::Object(map) => Ok(tera_context_of(map)),
        _ => Err(format!("a page context must be a map, not {context}")),
    }
}

/// The Tera context of the JSON map `map`.
fn tera_context_of(map: &serde_json::Map<String, Value>) -> tera::Context {
    let mut out = tera::Context::new();
    for (key, value) in map {
        out.insert_value(key.clone(), tera_value(value));
    }
    out
}

/// One JSON value as the Tera value `from_serialize` would make of it.
fn tera_value(value: &Value) -> tera::Value {
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

    #[derive(Serialize)]
    struct Inner<'a> {
        title: &'a str,
        weight: Option<i64>,
        none: Option<&'a str>,
    }

    #[derive(Serialize)]
    struct Flattened {
        ratio: f64,
    }

    #[derive(Serialize)]
    struct View<'a> {
        #[serde(flatten)]
        base: Flattened,
        page: Inner<'a>,
        items: Vec<Inner<'a>>,
        count: usize,
    }

    #[test]
    fn a_view_becomes_the_context_from_serialize_makes() {
        let inner = |title| Inner {
            title,
            weight: Some(-2),
            none: None,
        };
        let view = View {
            base: Flattened { ratio: 0.25 },
            page: inner("A & B"),
            items: vec![inner("x"), inner("y")],
            count: 2,
        };
        let context = view_context(&view);
        assert_eq!(context, tera::Context::from_serialize(&view).unwrap());
        assert!(
            context.contains_key("ratio"),
            "flattened fields are top-level"
        );
        assert!(context.contains_key("page") && context.contains_key("items"));
    }

    #[test]
    fn only_maps_are_contexts() {
        assert!(tera_context(&json!([1, 2])).is_err());
    }
}
