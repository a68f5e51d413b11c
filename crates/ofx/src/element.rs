//! The generic element tree both parsers produce.
//!
//! SGML and XML differ only in syntax; building the same small tree from either lets one set of
//! typed conversions (in `model`) serve both versions. Parsing is not the hot path (requests are
//! tiny), so an owned tree is fine here; writing never builds one.

use crate::error::OfxError;

/// An OFX element: an aggregate with children, or a leaf with text (already unescaped and
/// trimmed). A leaf's `children` is empty; an aggregate's `text` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

/// Maximum nesting accepted by the parsers. Real OFX nests about 8 deep; the limit keeps
/// recursive conversion (and dropping) of hostile input off the stack's edge.
pub const MAX_DEPTH: usize = 48;

impl Element {
    pub fn new(name: impl Into<String>) -> Self {
        Element {
            name: name.into(),
            ..Element::default()
        }
    }

    /// First child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children named `name`, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// First child named `name`, or a `Missing` error naming this element.
    pub fn req(&self, name: &'static str) -> Result<&Element, OfxError> {
        self.child(name).ok_or_else(|| OfxError::Missing {
            parent: self.name.clone(),
            name,
        })
    }

    /// Text of the first child named `name`, if present and non-empty.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// Text of a required leaf child.
    pub fn req_text(&self, name: &'static str) -> Result<&str, OfxError> {
        self.text_of(name).ok_or_else(|| OfxError::Missing {
            parent: self.name.clone(),
            name,
        })
    }
}
