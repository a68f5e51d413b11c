//! The parsed form of a query, and its canonical text.
//!
//! The tree is binary and left-associative, exactly as the parser builds it, so that printing a
//! tree and parsing the text back gives the same tree. Grouping braces are not a node: they only
//! steer how the tree is built, and the printer puts back just the braces the shape needs.

use std::fmt;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `~` (contains)
    Contains,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `<=`
    Le,
}

impl CmpOp {
    /// Every operator, for exhaustive tests and generators.
    pub const ALL: [CmpOp; 7] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Contains,
        CmpOp::Gt,
        CmpOp::Lt,
        CmpOp::Ge,
        CmpOp::Le,
    ];

    /// The operator as written in a query.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Contains => "~",
            CmpOp::Gt => ">",
            CmpOp::Lt => "<",
            CmpOp::Ge => ">=",
            CmpOp::Le => "<=",
        }
    }
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A query expression. `&&` binds tighter than `||`; both are left-associative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    /// `path op value`. `path` is dotted (`sourceAccount.status`); `value` is the literal text
    /// with quotes removed, interpreted only at evaluation time against the field's actual type.
    Cmp {
        path: String,
        op: CmpOp,
        value: String,
    },
}

impl Expr {
    /// Convenience constructor for a comparison.
    pub fn cmp(path: impl Into<String>, op: CmpOp, value: impl Into<String>) -> Expr {
        Expr::Cmp {
            path: path.into(),
            op,
            value: value.into(),
        }
    }

    /// `self && rhs`
    pub fn and(self, rhs: Expr) -> Expr {
        Expr::And(Box::new(self), Box::new(rhs))
    }

    /// `self || rhs`
    pub fn or(self, rhs: Expr) -> Expr {
        Expr::Or(Box::new(self), Box::new(rhs))
    }

    /// Calls `f` on every comparison, left to right.
    pub fn for_each_cmp<'a>(&'a self, f: &mut impl FnMut(&'a str, CmpOp, &'a str)) {
        match self {
            Expr::And(l, r) | Expr::Or(l, r) => {
                l.for_each_cmp(f);
                r.for_each_cmp(f);
            }
            Expr::Cmp { path, op, value } => f(path, *op, value),
        }
    }
}

/// Prints canonical query text that [`crate::Query::parse`] turns back into the same tree.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A left child never needs braces except an `||` under `&&`; a right child of the
            // same operator does, because the parser would otherwise re-associate it leftwards.
            Expr::And(l, r) => {
                write_child(f, l, matches!(**l, Expr::Or(..)))?;
                f.write_str(" && ")?;
                write_child(f, r, !matches!(**r, Expr::Cmp { .. }))
            }
            Expr::Or(l, r) => {
                write_child(f, l, false)?;
                f.write_str(" || ")?;
                write_child(f, r, matches!(**r, Expr::Or(..)))
            }
            Expr::Cmp { path, op, value } => {
                write!(f, "{path}{op}")?;
                write_value(f, value)
            }
        }
    }
}

fn write_child(f: &mut fmt::Formatter<'_>, e: &Expr, braces: bool) -> fmt::Result {
    if braces {
        write!(f, "{{{e}}}")
    } else {
        write!(f, "{e}")
    }
}

/// Writes a value bare when the lexer would read it back unchanged, otherwise double-quoted with
/// `\` escapes. Bare output keeps the common case (`status=connected`) readable in logs.
fn write_value(f: &mut fmt::Formatter<'_>, value: &str) -> fmt::Result {
    if can_be_bare(value) {
        return f.write_str(value);
    }
    f.write_str("\"")?;
    for c in value.chars() {
        if c == '"' || c == '\\' {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

fn can_be_bare(value: &str) -> bool {
    !value.is_empty()
        && value.trim() == value
        && !value.eq_ignore_ascii_case("null")
        && !value.contains(|c: char| "=!~<>{}&|'\"\\".contains(c))
}
