//! The Codat query language, for Feedbridge's list endpoints.
//!
//! Codat's list endpoints take `query=` (a filter such as
//! `status=connected && {balance>100 || sourceAccount.currency=USD}`) and `orderBy=`
//! (`-modifiedDate`). Clients and SDKs written against Codat send these, so Feedbridge must
//! accept the same language and refuse the same mistakes with Codat's single 400 message
//! (`Error parsing query - Malformed query.`). It lives in its own crate because every list
//! endpoint and every store needs it, and none of them should depend on the HTTP layer.
//!
//! The pipeline is tokenizer → recursive-descent parser → [`Expr`] tree, then per-endpoint
//! validation of field names ([`Query::check_fields`]) and evaluation against any record type
//! implementing [`Queryable`]. The input is the URL-decoded parameter.
//!
//! Syntax: `path op value`, ops `=`, `!=`, `~` (contains), `>`, `<`, `>=`, `<=`; combine with
//! `&&` (binds tighter) and `||`; group with `{ }`; paths are dotted (`tags.region`). Values are
//! bare (running to the next operator, brace, `&&`, `||` or end, trimmed) or quoted with `'` or
//! `"` (`\` escapes a quote or backslash). A bare `null` is refused: Codat does not query on
//! null. Whole query under 2048 characters. Comparison rules are in [`value`].
//!
//! ```
//! use feedbridge_query::{Query, OrderBy};
//! let q = Query::parse("status=connected && {balance>100 || name~'acme'}")?;
//! q.check_fields(&["status", "balance", "name"])?;
//! let by = OrderBy::parse("-modifiedDate")?;
//! # Ok::<(), feedbridge_query::QueryError>(())
//! ```

mod ast;
mod error;
mod fields;
mod lexer;
mod order;
mod parser;
pub mod value;

use std::fmt;

pub use ast::{CmpOp, Expr};
pub use error::{Detail, ErrorKind, QueryError, MALFORMED_QUERY_MESSAGE};
pub use order::{Direction, OrderBy};
pub use parser::{MAX_NESTING, MAX_QUERY_CHARS};
pub use value::{FieldValue, Queryable};

/// A parsed, syntactically valid query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    expr: Expr,
}

impl Query {
    /// Parses URL-decoded query text.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        parser::parse(text).map(|expr| Query { expr })
    }

    /// Wraps an already-built tree (handy for server-side default filters and tests).
    pub fn from_expr(expr: Expr) -> Query {
        Query { expr }
    }

    /// The syntax tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The field paths the query uses, each once, in order of first appearance.
    pub fn fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        self.expr.for_each_cmp(&mut |path, _, _| {
            if !out.contains(&path) {
                out.push(path);
            }
        });
        out
    }

    /// Fails with [`ErrorKind::UnknownField`] for the first field not in `allowed`. Entries are
    /// exact paths, or `prefix.*` for any sub-property (`tags.*`).
    pub fn check_fields(&self, allowed: &[&str]) -> Result<(), QueryError> {
        self.fields()
            .into_iter()
            .try_for_each(|path| fields::check_allowed(path, allowed))
    }

    /// Whether `record` satisfies the query.
    pub fn matches<T: Queryable + ?Sized>(&self, record: &T) -> bool {
        eval(&self.expr, record)
    }
}

fn eval<T: Queryable + ?Sized>(expr: &Expr, record: &T) -> bool {
    match expr {
        Expr::And(l, r) => eval(l, record) && eval(r, record),
        Expr::Or(l, r) => eval(l, record) || eval(r, record),
        Expr::Cmp { path, op, value } => {
            let field = record.field(path).unwrap_or(FieldValue::Null);
            value::compare(&field, *op, value)
        }
    }
}

/// Canonical text: parses back to an equal `Query`.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl std::str::FromStr for Query {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Query, QueryError> {
        Query::parse(s)
    }
}
