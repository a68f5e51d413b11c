//! Reading stored columns back into domain values, in one place so every table maps timestamps,
//! money, ids, enums and JSON the same way on every backend.

use std::fmt::Display;
use std::str::FromStr;

use jiff::Timestamp;
use serde::de::DeserializeOwned;

use feedbridge_store::{SourceAccountId, StoreError, StoreResult};

use crate::backend::{Col, Columns};

/// One result row, read by column name or by position.
#[derive(Clone, Copy)]
pub struct Row<'r> {
    cols: &'r dyn Columns,
}

impl<'r> Row<'r> {
    pub fn new(cols: &'r dyn Columns) -> Self {
        Self { cols }
    }

    pub fn opt_str<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<Option<&'r str>> {
        self.cols.text(col.into())
    }

    pub fn str<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<&'r str> {
        let col = col.into();
        self.opt_str(col)?.ok_or_else(|| null(col))
    }

    pub fn string<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<String> {
        self.str(col).map(str::to_owned)
    }

    pub fn opt_string<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<Option<String>> {
        Ok(self.opt_str(col)?.map(str::to_owned))
    }

    pub fn opt_int<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<Option<i64>> {
        self.cols.int(col.into())
    }

    pub fn int<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<i64> {
        let col = col.into();
        self.opt_int(col)?.ok_or_else(|| null(col))
    }

    /// A count or small number that must fit `T` (a status code, a failure count).
    pub fn number<'c, T: TryFrom<i64>>(&self, col: impl Into<Col<'c>>) -> StoreResult<T>
    where
        T::Error: Display,
    {
        T::try_from(self.int(col)?).map_err(corrupt)
    }

    pub fn opt_number<'c, T: TryFrom<i64>>(&self, col: impl Into<Col<'c>>) -> StoreResult<Option<T>>
    where
        T::Error: Display,
    {
        self.opt_int(col)?
            .map(|n| T::try_from(n).map_err(corrupt))
            .transpose()
    }

    pub fn opt_bytes<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<Option<Vec<u8>>> {
        Ok(self.cols.bytes(col.into())?.map(<[u8]>::to_vec))
    }

    pub fn bytes<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<Vec<u8>> {
        let col = col.into();
        self.opt_bytes(col)?.ok_or_else(|| null(col))
    }

    /// A timestamp from its stored form, microseconds since the Unix epoch.
    pub fn ts<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<Timestamp> {
        Timestamp::from_microsecond(self.int(col)?).map_err(corrupt)
    }

    pub fn opt_ts<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<Option<Timestamp>> {
        self.opt_int(col)?
            .map(|m| Timestamp::from_microsecond(m).map_err(corrupt))
            .transpose()
    }

    /// A value stored as its text: an id, a date, a decimal amount.
    pub fn parse<'c, T: FromStr>(&self, col: impl Into<Col<'c>>) -> StoreResult<T>
    where
        T::Err: Display,
    {
        self.str(col)?.parse().map_err(corrupt)
    }

    pub fn opt_parse<'c, T: FromStr>(&self, col: impl Into<Col<'c>>) -> StoreResult<Option<T>>
    where
        T::Err: Display,
    {
        self.opt_str(col)?
            .map(|t| t.parse().map_err(corrupt))
            .transpose()
    }

    /// One of a closed set of stored spellings, read back with its `parse`.
    pub fn spelled<'c, T>(
        &self,
        col: impl Into<Col<'c>>,
        parse: fn(&str) -> Option<T>,
    ) -> StoreResult<T> {
        let text = self.str(col)?;
        parse(text).ok_or_else(|| corrupt(text))
    }

    /// A source account id, which the institution chose.
    pub fn account_id<'c>(&self, col: impl Into<Col<'c>>) -> StoreResult<SourceAccountId> {
        SourceAccountId::parse(self.str(col)?).map_err(corrupt)
    }

    /// A document stored as JSON text.
    pub fn json<'c, T: DeserializeOwned>(&self, col: impl Into<Col<'c>>) -> StoreResult<T> {
        serde_json::from_str(self.str(col)?).map_err(corrupt)
    }

    pub fn opt_json<'c, T: DeserializeOwned>(
        &self,
        col: impl Into<Col<'c>>,
    ) -> StoreResult<Option<T>> {
        self.opt_str(col)?
            .map(|t| serde_json::from_str(t).map_err(corrupt))
            .transpose()
    }
}

fn null(col: Col<'_>) -> StoreError {
    corrupt(format_args!("{col:?} is NULL"))
}

/// A stored value that does not parse: the database was changed behind our back.
pub fn corrupt(e: impl Display) -> StoreError {
    StoreError::Backend(format!("unreadable stored value: {e}"))
}

/// The stored JSON text of a document.
pub fn json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(corrupt)
}

/// Fails with `NotFound` when an update or delete touched no row.
pub fn expect_rows(changed: u64) -> StoreResult<()> {
    if changed == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
