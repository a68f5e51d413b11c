//! The one error type of the codec.
//!
//! Exists so that every failure a client can provoke with a bad request (a broken header, a
//! truncated body, a missing required element, an unparsable date) is a typed value the
//! `POST /ofx` handler can turn into an HTTP 400 with a readable message, instead of a panic.

/// Everything that can go wrong while reading an OFX document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfxError {
    /// The header block (SGML `KEY:VALUE` lines or the XML `<?OFX ...?>` instruction) is missing
    /// or malformed.
    #[error("invalid OFX header: {0}")]
    Header(String),
    /// The SGML body is not well formed.
    #[error("malformed OFX SGML at byte {offset}: {message}")]
    Sgml { offset: usize, message: String },
    /// The XML body is not well formed (reported by quick-xml).
    #[error("malformed OFX XML: {0}")]
    Xml(String),
    /// The document nests deeper than any valid OFX message does; refusing it bounds recursion.
    #[error("OFX document nests deeper than {0} elements")]
    TooDeep(usize),
    /// The document ended before an aggregate was closed (typically a truncated upload).
    #[error("truncated OFX document: <{0}> is never closed")]
    Unclosed(String),
    /// A required element is absent.
    #[error("<{parent}> lacks required element <{name}>")]
    Missing { parent: String, name: &'static str },
    /// An element is present but its value is not acceptable.
    #[error("<{element}> has invalid value {value:?}: {reason}")]
    InvalidValue {
        element: String,
        value: String,
        reason: &'static str,
    },
    /// The document's root is not what the caller asked for (e.g. a response where a request
    /// was expected).
    #[error("unexpected OFX document: {0}")]
    Unexpected(String),
}

impl OfxError {
    pub(crate) fn invalid(element: &str, value: &str, reason: &'static str) -> Self {
        OfxError::InvalidValue {
            element: element.to_owned(),
            value: value.chars().take(64).collect(),
            reason,
        }
    }
}
