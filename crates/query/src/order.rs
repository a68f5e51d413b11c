//! `orderBy`: one field, `-` prefix for descending (`-modifiedDate`).

use std::cmp::Ordering;
use std::fmt;

use crate::error::{ErrorKind, QueryError};
use crate::fields::check_allowed;
use crate::lexer::valid_path;
use crate::value::{order, FieldValue, Queryable};

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ascending,
    Descending,
}

/// A parsed `orderBy` parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderBy {
    path: String,
    direction: Direction,
}

impl OrderBy {
    /// Parses `field` or `-field` (dotted paths allowed). Surrounding whitespace is ignored: a
    /// client that sends `+field` reaches us as ` field` after URL decoding.
    pub fn parse(text: &str) -> Result<OrderBy, QueryError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(QueryError::new(ErrorKind::Empty));
        }
        let (direction, path) = match text.strip_prefix('-') {
            Some(rest) => (Direction::Descending, rest),
            None => (Direction::Ascending, text),
        };
        if !valid_path(path) {
            return Err(QueryError::new(ErrorKind::BadPath));
        }
        Ok(OrderBy {
            path: path.to_owned(),
            direction,
        })
    }

    /// Builds an ordering directly, e.g. a handler's default sort.
    pub fn new(path: impl Into<String>, direction: Direction) -> OrderBy {
        OrderBy {
            path: path.into(),
            direction,
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Fails with [`ErrorKind::UnknownField`] unless the field is in `allowed` (same rules as
    /// [`crate::Query::check_fields`]).
    pub fn check_fields(&self, allowed: &[&str]) -> Result<(), QueryError> {
        check_allowed(&self.path, allowed)
    }

    /// Comparator for `slice::sort_by`. Records missing the field (or holding null) sort last
    /// in both directions, so "newest first" never opens with a page of blanks; records that tie
    /// compare `Equal`, so the stable `sort_by` keeps their incoming order.
    pub fn compare<T: Queryable + ?Sized>(&self, a: &T, b: &T) -> Ordering {
        let a = a.field(&self.path).unwrap_or(FieldValue::Null);
        let b = b.field(&self.path).unwrap_or(FieldValue::Null);
        match (a == FieldValue::Null, b == FieldValue::Null) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => match self.direction {
                Direction::Ascending => order(&a, &b),
                Direction::Descending => order(&b, &a),
            },
        }
    }

    /// Sorts `records` in place (stable).
    pub fn sort<T: Queryable>(&self, records: &mut [T]) {
        records.sort_by(|a, b| self.compare(a, b));
    }
}

/// Prints the `orderBy` text that parses back to `self`.
impl fmt::Display for OrderBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.direction == Direction::Descending {
            f.write_str("-")?;
        }
        f.write_str(&self.path)
    }
}
