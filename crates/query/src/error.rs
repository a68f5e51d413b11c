//! Errors for query and `orderBy` parsing.
//!
//! Codat answers every bad query with one fixed sentence, so that is what `Display` prints and
//! what the HTTP layer can put in the 400 body verbatim. The precise reason (and where in the
//! input it went wrong) lives in [`ErrorKind`], exposed as the error's `source()` so that logs
//! which walk the error chain record it without it ever leaking into a response.

use std::fmt;

/// The exact message Codat returns for a query it cannot parse.
pub const MALFORMED_QUERY_MESSAGE: &str = "Error parsing query - Malformed query.";

/// A query (or `orderBy`) that Feedbridge refuses. `Display` is [`MALFORMED_QUERY_MESSAGE`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", MALFORMED_QUERY_MESSAGE)]
pub struct QueryError {
    #[source]
    kind: ErrorKind,
    /// Byte offset into the input where the problem was found, when it has one.
    offset: Option<usize>,
}

impl QueryError {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind, offset: None }
    }

    pub(crate) fn at(kind: ErrorKind, offset: usize) -> Self {
        Self {
            kind,
            offset: Some(offset),
        }
    }

    /// Why the input was refused.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Byte offset into the input where the problem was found, if it is tied to a position.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// A one-line explanation for logs, e.g. `expected a value after '=' at byte 7`.
    pub fn detail(&self) -> Detail<'_> {
        Detail(self)
    }
}

/// Log-friendly rendering of a [`QueryError`]; see [`QueryError::detail`].
pub struct Detail<'a>(&'a QueryError);

impl fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.offset {
            Some(at) => write!(f, "{} at byte {at}", self.0.kind),
            None => write!(f, "{}", self.0.kind),
        }
    }
}

/// The specific reason a query or `orderBy` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    #[error("query is empty")]
    Empty,
    #[error("query is {chars} characters; the limit is {max}")]
    TooLong { chars: usize, max: usize },
    #[error("unexpected character {0:?}")]
    UnexpectedChar(char),
    #[error("a single '{0}' is not an operator; use '{0}{0}' or quote the value")]
    LoneConnective(char),
    #[error("quote characters inside an unquoted value; quote the whole value")]
    StrayQuote,
    #[error("quoted value is not closed")]
    UnterminatedString,
    #[error("malformed field path")]
    BadPath,
    #[error("expected a value after '{0}'")]
    ExpectedValue(&'static str),
    #[error("querying on null is not supported")]
    NullValue,
    #[error("expected {expected}, found {found}")]
    Unexpected {
        expected: &'static str,
        found: String,
    },
    #[error("braces nested deeper than {0}")]
    TooDeep(usize),
    #[error("unknown field {0:?}")]
    UnknownField(String),
}
