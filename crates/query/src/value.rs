//! Record values and how a query literal compares against them.
//!
//! A query literal is untyped text (`balance>100`, `status=Connected`); its meaning comes from
//! the type of the field it is compared with. Rules, chosen to match Codat where it is
//! documented and to be predictable where it is not:
//!
//! * **Strings**: case-insensitive for every operator (Codat's equality is case-insensitive).
//!   `~` is "contains"; `<`/`>` compare the lower-cased text by code point.
//! * **Numbers**: the literal is parsed as a decimal and compared numerically (`1.0 = 1`).
//! * **Booleans**: the literal is `true` or `false`, any case; `false < true`.
//! * **Date-times**: compared as instants. The literal may be `2024-05-01` (midnight UTC),
//!   `2024-05-01T10:00:00[.fff]` (UTC), or carry `Z` or an offset.
//! * **Missing or null** fields: only `!=` matches. Codat does not query on null, so a record
//!   without the field is simply "not equal" to anything.
//! * A literal that cannot be read as the field's type (`balance=abc`) equals nothing, so only
//!   `!=` matches; `~` applies to strings only and never matches other types.
//!
//! Throughout, `a!=v` is exactly `not (a=v)`.

use std::cmp::Ordering;
use std::str::FromStr;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rust_decimal::Decimal;

use crate::ast::CmpOp;

/// A field's value as seen by the query engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Str(String),
    Num(Decimal),
    Bool(bool),
    DateTime(Timestamp),
    Null,
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Str(s.to_owned())
    }
}
impl From<String> for FieldValue {
    fn from(s: String) -> Self {
        FieldValue::Str(s)
    }
}
impl From<Decimal> for FieldValue {
    fn from(d: Decimal) -> Self {
        FieldValue::Num(d)
    }
}
impl From<bool> for FieldValue {
    fn from(b: bool) -> Self {
        FieldValue::Bool(b)
    }
}
impl From<Timestamp> for FieldValue {
    fn from(t: Timestamp) -> Self {
        FieldValue::DateTime(t)
    }
}
impl<T: Into<FieldValue>> From<Option<T>> for FieldValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(FieldValue::Null, Into::into)
    }
}

/// Anything a query can filter or an `orderBy` can sort.
///
/// `path` is the dotted field path exactly as written in the query (after allow-list checking),
/// e.g. `status`, `sourceAccount.status`, `tags.region`. Return `None` for a field the record
/// does not have; it is treated the same as [`FieldValue::Null`].
pub trait Queryable {
    fn field(&self, path: &str) -> Option<FieldValue>;
}

impl<T: Queryable + ?Sized> Queryable for &T {
    fn field(&self, path: &str) -> Option<FieldValue> {
        (**self).field(path)
    }
}

/// Whether `field op literal` holds. See the module docs for the rules.
pub(crate) fn compare(field: &FieldValue, op: CmpOp, literal: &str) -> bool {
    if op == CmpOp::Ne {
        return !compare(field, CmpOp::Eq, literal);
    }
    if op == CmpOp::Contains {
        return match field {
            FieldValue::Str(s) => s.to_lowercase().contains(&literal.to_lowercase()),
            _ => false,
        };
    }
    let ord = match field {
        FieldValue::Null => None,
        FieldValue::Str(s) => Some(s.to_lowercase().cmp(&literal.to_lowercase())),
        FieldValue::Num(n) => Decimal::from_str(literal.trim()).ok().map(|v| n.cmp(&v)),
        FieldValue::Bool(b) => parse_bool(literal).map(|v| b.cmp(&v)),
        FieldValue::DateTime(t) => parse_instant(literal).map(|v| t.cmp(&v)),
    };
    let Some(ord) = ord else {
        return false;
    };
    match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        // Handled above.
        CmpOp::Ne | CmpOp::Contains => false,
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Reads a query literal as an instant. Text without an offset is taken as UTC, because Codat's
/// `...Utc` fields and its examples (`2024-05-01`) mean UTC.
pub fn parse_instant(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    let civil = s.parse::<DateTime>().ok().or_else(|| {
        s.parse::<Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    })?;
    civil.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Total order used by `orderBy`: values of the same type compare naturally (strings
/// case-insensitively, so `acme` and `ACME` tie and a stable sort keeps them in input order);
/// mixed types, which
/// a well-typed field never produces, fall back to a fixed type order. Nulls are handled by the
/// caller, which always puts them last.
pub(crate) fn order(a: &FieldValue, b: &FieldValue) -> Ordering {
    use FieldValue::*;
    match (a, b) {
        (Str(x), Str(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Num(x), Num(y)) => x.cmp(y),
        (Bool(x), Bool(y)) => x.cmp(y),
        (DateTime(x), DateTime(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn rank(v: &FieldValue) -> u8 {
    match v {
        FieldValue::Bool(_) => 0,
        FieldValue::Num(_) => 1,
        FieldValue::DateTime(_) => 2,
        FieldValue::Str(_) => 3,
        FieldValue::Null => 4,
    }
}
