//! Page contexts → Tera contexts: the one place where a page's data
//! becomes what its template reads.
//!
//! A page's context is a typed view, a `#[derive(Serialize)]` struct per
//! page. [`view_context`] serialises it once, straight into Tera values:
//! struct field names are static strings, so no key is allocated.

use std::borrow::Cow;

use serde::Serialize;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
