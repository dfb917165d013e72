//! A YAML document read as a tree of nodes that know their line and
//! column, for the schema walk.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle};

/// A node of a YAML document, with where it starts.
#[derive(Clone, Debug)]
pub(super) struct Node {
    /// 1-based line in the YAML text.
    pub(super) line: usize,
    /// 1-based column, in characters.
    pub(super) column: usize,
    pub(super) shape: Shape,
}

#[derive(Clone, Debug)]
pub(super) enum Shape {
    /// A scalar's text, and whether it was written plain (unquoted).
    Scalar(String, bool),
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    pub(super) fn scalar(&self) -> Option<&str> {
        match &self.shape {
            Shape::Scalar(text, _) => Some(text),
            _ => None,
        }
    }

    pub(super) fn is_null(&self) -> bool {
        matches!(&self.shape, Shape::Scalar(text, true) if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What the node is, in words, for "expected …, found …".
    pub(super) fn found(&self) -> String {
        match &self.shape {
            _ if self.is_null() => "nothing".into(),
            Shape::Scalar(text, _) => format!("`{}`", shorten(text)),
            Shape::List(_) => "a list".into(),
            Shape::Map(_) => "a map of keys".into(),
        }
    }
}

pub(super) fn shorten(text: &str) -> String {
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
pub(super) fn read_tree(yaml: &str) -> Option<Option<Node>> {
    let mut tree = TreeBuilder::default();
    let mut documents = 0;
    for item in Parser::new_from_str(yaml) {
        let (event, span) = item.ok()?;
        let (line, column) = (span.start.line(), span.start.col() + 1);
        let at = |shape| Node {
            line,
            column,
            shape,
        };
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
                let plain = style == ScalarStyle::Plain;
                tree.anchored(anchor, at(Shape::Scalar(text.into_owned(), plain)))
            }
            Event::SequenceStart(_, anchor, _) => {
                tree.open(anchor, at(Shape::List(Vec::new())));
                continue;
            }
            Event::MappingStart(_, anchor, _) => {
                tree.open(anchor, at(Shape::Map(Vec::new())));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => tree.close()?,
            Event::Alias(id) => tree.alias(id, line, column)?,
            _ => continue,
        };
        tree.attach(node)?;
    }
    Some(tree.root)
}

/// A tree being read: the collections still open, innermost last, the
/// nodes anchored so far, and the root once it is complete.
#[derive(Default)]
struct TreeBuilder {
    open: Vec<Open>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
}

/// A list or map whose end has not been read yet.
struct Open {
    node: Node,
    /// Its anchor id, 0 for none.
    anchor: usize,
    /// In a map, a key read without its value yet.
    key: Option<Node>,
}

impl TreeBuilder {
    /// `node`, remembered for aliases when it has an `anchor` (0 for none).
    fn anchored(&mut self, anchor: usize, node: Node) -> Node {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        node
    }

    /// Starts a list or map: items go to it until [`Self::close`].
    fn open(&mut self, anchor: usize, node: Node) {
        self.open.push(Open {
            node,
            anchor,
            key: None,
        });
    }

    /// Ends the innermost open list or map and returns it; `None` when
    /// nothing is open.
    fn close(&mut self) -> Option<Node> {
        let open = self.open.pop()?;
        Some(self.anchored(open.anchor, open.node))
    }

    /// A copy of the node anchored as `id`, placed where the alias stands.
    fn alias(&self, id: usize, line: usize, column: usize) -> Option<Node> {
        let mut node = self.anchors.get(&id)?.clone();
        (node.line, node.column) = (line, column);
        Some(node)
    }

    /// Adds a complete node to the innermost open collection (an item of a
    /// list; a key, or the value of the key before it, in a map), else makes
    /// it the root. `None` when the collection cannot hold it.
    fn attach(&mut self, node: Node) -> Option<()> {
        let Some(open) = self.open.last_mut() else {
            self.root = Some(node);
            return Some(());
        };
        match &mut open.node.shape {
            Shape::List(items) => items.push(node),
            Shape::Map(entries) => match open.key.take() {
                None => open.key = Some(node),
                Some(key) => entries.push((key, node)),
            },
            Shape::Scalar(..) => return None,
        }
        Some(())
    }
}
