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
