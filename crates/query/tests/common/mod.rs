//! A test record: a flat map from dotted path to value.

// Test fixtures, not `#[test]` fns, so clippy's in-test exemption does not reach them; a bad
// literal here should still fail loudly.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use feedbridge_query::{FieldValue, Queryable};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Default)]
pub struct Rec(pub BTreeMap<String, FieldValue>);

impl Rec {
    pub fn with(mut self, path: &str, value: impl Into<FieldValue>) -> Rec {
        self.0.insert(path.to_owned(), value.into());
        self
    }

    pub fn num(self, path: &str, n: &str) -> Rec {
        self.with(path, n.parse::<Decimal>().unwrap())
    }

    pub fn ts(self, path: &str, t: &str) -> Rec {
        self.with(path, t.parse::<jiff::Timestamp>().unwrap())
    }
}

impl Queryable for Rec {
    fn field(&self, path: &str) -> Option<FieldValue> {
        self.0.get(path).cloned()
    }
}
