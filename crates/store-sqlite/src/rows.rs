//! Conversions between stored columns and domain values, kept in one place so every table maps
//! timestamps, money and enums the same way.

use jiff::Timestamp;
use rust_decimal::Decimal;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use feedbridge_store::{StoreError, StoreResult};

/// Stored form of a timestamp: microseconds since the Unix epoch.
pub fn ts(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn opt_ts(t: Option<Timestamp>) -> Option<i64> {
    t.map(ts)
}

pub fn get_ts(row: &SqliteRow, col: &str) -> StoreResult<Timestamp> {
    let micros: i64 = row.try_get(col).map_err(backend)?;
    Timestamp::from_microsecond(micros).map_err(corrupt)
}

pub fn get_opt_ts(row: &SqliteRow, col: &str) -> StoreResult<Option<Timestamp>> {
    let micros: Option<i64> = row.try_get(col).map_err(backend)?;
    micros
        .map(|m| Timestamp::from_microsecond(m).map_err(corrupt))
        .transpose()
}

pub fn get_opt_decimal(row: &SqliteRow, col: &str) -> StoreResult<Option<Decimal>> {
    let text: Option<String> = row.try_get(col).map_err(backend)?;
    text.map(|t| t.parse::<Decimal>().map_err(corrupt))
        .transpose()
}

pub fn get<'r, T>(row: &'r SqliteRow, col: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    row.try_get(col).map_err(backend)
}

/// Parses a stored id or enum text back into its type.
pub fn parse<T: std::str::FromStr>(row: &SqliteRow, col: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    let text: String = get(row, col)?;
    text.parse::<T>().map_err(corrupt)
}

pub fn get_json(row: &SqliteRow, col: &str) -> StoreResult<Option<serde_json::Value>> {
    let text: Option<String> = get(row, col)?;
    text.map(|t| serde_json::from_str(&t).map_err(corrupt))
        .transpose()
}

/// Maps a driver error: missing rows and uniqueness are domain answers, a busy, full or
/// unreadable database file is a passing outage, the rest is for logs.
pub fn backend(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.message().to_owned())
        }
        sqlx::Error::Database(db) if db.code().is_some_and(|c| is_outage(&c)) => {
            StoreError::Unavailable(db.message().to_owned())
        }
        e @ (sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed) => {
            StoreError::Unavailable(e.to_string())
        }
        other => StoreError::Backend(other.to_string()),
    }
}

/// SQLite result codes (extended codes carry the primary one in their low byte) that say the
/// file is locked by another process, out of space or unreachable, not that the request is wrong.
fn is_outage(code: &str) -> bool {
    const BUSY: i64 = 5;
    const LOCKED: i64 = 6;
    const IOERR: i64 = 10;
    const FULL: i64 = 13;
    const CANTOPEN: i64 = 14;
    code.parse::<i64>()
        .is_ok_and(|c| matches!(c & 0xff, BUSY | LOCKED | IOERR | FULL | CANTOPEN))
}

/// A stored value that does not parse: the database was changed behind our back.
pub fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable stored value: {e}"))
}

/// Fails with `NotFound` when an update or delete touched no row.
pub fn expect_rows(result: sqlx::sqlite::SqliteQueryResult) -> StoreResult<()> {
    if result.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::is_outage;

    #[test]
    fn locked_full_and_unreachable_files_are_outages() {
        for code in ["5", "517", "6", "13", "10", "266", "14"] {
            assert!(is_outage(code), "{code}");
        }
        for code in ["1", "19", "2067", "787", "11", "x"] {
            assert!(!is_outage(code), "{code}");
        }
    }
}
