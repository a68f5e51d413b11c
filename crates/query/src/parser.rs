//! Recursive-descent parser over the lexer's tokens.
//!
//! Grammar (`&&` binds tighter than `||`, both left-associative):
//!
//! ```text
//! query   := or EOF
//! or      := and ( "||" and )*
//! and     := primary ( "&&" primary )*
//! primary := "{" or "}" | PATH OP VALUE
//! ```

use crate::ast::Expr;
use crate::error::{ErrorKind, QueryError};
use crate::lexer::{tokenize, Spanned, Tok};

/// Longest accepted query, in characters: Codat requires queries to be under 2048 characters.
pub const MAX_QUERY_CHARS: usize = 2047;

/// Brace nesting limit. Far beyond anything a person writes, and it bounds recursion depth so a
/// hostile `{{{{...` cannot exhaust the stack.
pub const MAX_NESTING: usize = 32;

pub(crate) fn parse(src: &str) -> Result<Expr, QueryError> {
    // Check the length first so the rest of the work is bounded by it.
    let chars = src.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryError::new(ErrorKind::TooLong {
            chars,
            max: MAX_QUERY_CHARS,
        }));
    }
    if src.trim().is_empty() {
        return Err(QueryError::new(ErrorKind::Empty));
    }
    let tokens = tokenize(src)?;
    let mut p = Parser {
        tokens,
        next: 0,
        depth: 0,
        end: src.len(),
    };
    let expr = p.or()?;
    match p.peek() {
        None => Ok(expr),
        Some(_) => Err(p.unexpected("'&&', '||' or end of query")),
    }
}

struct Parser {
    tokens: Vec<Spanned>,
    next: usize,
    depth: usize,
    /// Offset reported for errors at end of input.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.next).map(|(t, _)| t)
    }

    fn bump(&mut self) -> Option<Tok> {
        let tok = self.tokens.get(self.next).map(|(t, _)| t.clone());
        self.next += 1;
        tok
    }

    fn eat(&mut self, want: &Tok) -> bool {
        if self.peek() == Some(want) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn unexpected(&self, expected: &'static str) -> QueryError {
        let (found, at) = match self.tokens.get(self.next) {
            Some((tok, at)) => (tok.describe(), *at),
            None => ("end of query".to_owned(), self.end),
        };
        QueryError::at(ErrorKind::Unexpected { expected, found }, at)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut lhs = self.and()?;
        while self.eat(&Tok::Or) {
            lhs = lhs.or(self.and()?);
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut lhs = self.primary()?;
        while self.eat(&Tok::And) {
            lhs = lhs.and(self.primary()?);
        }
        Ok(lhs)
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        if self.peek() == Some(&Tok::LBrace) {
            let at = self.tokens[self.next].1;
            self.next += 1;
            if self.depth == MAX_NESTING {
                return Err(QueryError::at(ErrorKind::TooDeep(MAX_NESTING), at));
            }
            self.depth += 1;
            let inner = self.or()?;
            self.depth -= 1;
            if !self.eat(&Tok::RBrace) {
                return Err(self.unexpected("'}'"));
            }
            return Ok(inner);
        }
        let Some(Tok::Path(path)) = self.peek().cloned() else {
            return Err(self.unexpected("a field or '{'"));
        };
        self.next += 1;
        let Some(Tok::Op(op)) = self.peek().cloned() else {
            return Err(self.unexpected("a comparison operator"));
        };
        self.next += 1;
        // The lexer always emits a value after an operator (or fails), so this is total.
        match self.bump() {
            Some(Tok::Value(value)) => Ok(Expr::Cmp { path, op, value }),
            _ => Err(QueryError::new(ErrorKind::ExpectedValue(op.as_str()))),
        }
    }
}
