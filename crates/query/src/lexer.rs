//! Tokenizer.
//!
//! Codat values may be unquoted and contain spaces (`name=Acme Holdings Ltd`), so the lexer is
//! modal: right after a comparison operator it reads a value, elsewhere it reads structure
//! (paths, operators, braces, `&&`, `||`). Deciding that here keeps the parser a plain
//! recursive descent over tokens.

use crate::ast::CmpOp;
use crate::error::{ErrorKind, QueryError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Path(String),
    Op(CmpOp),
    Value(String),
    And,
    Or,
    LBrace,
    RBrace,
}

impl Tok {
    /// How the token is named in error details.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Path(p) => format!("field {p:?}"),
            Tok::Op(op) => format!("'{op}'"),
            Tok::Value(v) => format!("value {v:?}"),
            Tok::And => "'&&'".into(),
            Tok::Or => "'||'".into(),
            Tok::LBrace => "'{'".into(),
            Tok::RBrace => "'}'".into(),
        }
    }
}

/// A token and the byte offset it starts at.
pub(crate) type Spanned = (Tok, usize);

pub(crate) fn tokenize(src: &str) -> Result<Vec<Spanned>, QueryError> {
    let mut lx = Lexer { src, pos: 0 };
    let mut out = Vec::new();
    while let Some(tok) = lx.structural()? {
        if let (Tok::Op(op), _) = tok {
            out.push(tok);
            let at = lx.pos;
            out.push((Tok::Value(lx.value(op)?), at));
        } else {
            out.push(tok);
        }
    }
    Ok(out)
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// Next structural token, or `None` at end of input.
    fn structural(&mut self) -> Result<Option<Spanned>, QueryError> {
        self.skip_ws();
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let rest = self.rest();
        let (tok, len) = if let Some(op) = op_at(rest) {
            (Tok::Op(op), op.as_str().len())
        } else if rest.starts_with("&&") {
            (Tok::And, 2)
        } else if rest.starts_with("||") {
            (Tok::Or, 2)
        } else if c == '&' || c == '|' {
            return Err(QueryError::at(ErrorKind::LoneConnective(c), start));
        } else if c == '{' {
            (Tok::LBrace, 1)
        } else if c == '}' {
            (Tok::RBrace, 1)
        } else if is_path_char(c) {
            let len = rest
                .find(|c| !is_path_char(c) && c != '.')
                .unwrap_or(rest.len());
            let path = &rest[..len];
            if !valid_path(path) {
                return Err(QueryError::at(ErrorKind::BadPath, start));
            }
            (Tok::Path(path.to_owned()), len)
        } else {
            return Err(QueryError::at(ErrorKind::UnexpectedChar(c), start));
        };
        self.pos += len;
        Ok(Some((tok, start)))
    }

    /// The value after `op`: quoted, or bare up to the next operator, brace, `&&`, `||` or end.
    fn value(&mut self, op: CmpOp) -> Result<String, QueryError> {
        self.skip_ws();
        match self.peek() {
            Some(q @ ('\'' | '"')) => self.quoted(q),
            _ => self.bare(op),
        }
    }

    fn quoted(&mut self, quote: char) -> Result<String, QueryError> {
        let start = self.pos;
        let mut out = String::new();
        let mut chars = self.rest().char_indices().skip(1).peekable();
        while let Some((i, c)) = chars.next() {
            if c == quote {
                self.pos += i + c.len_utf8();
                return Ok(out);
            }
            // `\` escapes only quotes and itself, so other backslashes (paths, regex-looking
            // text) survive as written.
            if c == '\\' {
                if let Some(&(_, next @ ('\\' | '\'' | '"'))) = chars.peek() {
                    chars.next();
                    out.push(next);
                    continue;
                }
            }
            out.push(c);
        }
        Err(QueryError::at(ErrorKind::UnterminatedString, start))
    }

    fn bare(&mut self, op: CmpOp) -> Result<String, QueryError> {
        let start = self.pos;
        let rest = self.rest();
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            let tail = &rest[i..];
            if matches!(c, '{' | '}' | '=' | '~' | '<' | '>')
                || tail.starts_with("!=")
                || tail.starts_with("&&")
                || tail.starts_with("||")
            {
                end = i;
                break;
            }
            // A single `&`/`|` is almost always a typo for `&&`/`||`; reading it as part of
            // the value would silently change what the query means.
            if c == '&' || c == '|' {
                return Err(QueryError::at(ErrorKind::LoneConnective(c), start + i));
            }
            if c == '\'' || c == '"' {
                return Err(QueryError::at(ErrorKind::StrayQuote, start + i));
            }
        }
        let value = rest[..end].trim().to_owned();
        if value.is_empty() {
            return Err(QueryError::at(ErrorKind::ExpectedValue(op.as_str()), start));
        }
        // Codat does not support querying on null; a bare `null` would otherwise quietly compare
        // as the four-letter string. Quote it to mean the string.
        if value.eq_ignore_ascii_case("null") {
            return Err(QueryError::at(ErrorKind::NullValue, start));
        }
        self.pos += end;
        Ok(value)
    }
}

fn op_at(s: &str) -> Option<CmpOp> {
    // Two-character operators first so `>=` is not read as `>` followed by a value `=...`.
    [
        CmpOp::Ne,
        CmpOp::Ge,
        CmpOp::Le,
        CmpOp::Eq,
        CmpOp::Contains,
        CmpOp::Gt,
        CmpOp::Lt,
    ]
    .into_iter()
    .find(|op| s.starts_with(op.as_str()))
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A dotted path: one or more segments of `[A-Za-z0-9_-]`, none empty, none starting with `-`
/// (a leading `-` means "descending" in `orderBy`).
pub(crate) fn valid_path(path: &str) -> bool {
    path.split('.')
        .all(|seg| seg.chars().next().is_some_and(|c| c != '-') && seg.chars().all(is_path_char))
}
