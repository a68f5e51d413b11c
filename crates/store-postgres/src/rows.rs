//! Conversions between stored columns and domain values, kept in one place so every table maps
//! timestamps, money and enums the same way.

use jiff::Timestamp;
use rust_decimal::Decimal;
use sqlx::postgres::PgRow;
use sqlx::Row;

use feedbridge_store::{StoreError, StoreResult};

/// Stored form of a timestamp: microseconds since the Unix epoch.
pub fn ts(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn opt_ts(t: Option<Timestamp>) -> Option<i64> {
    t.map(ts)
}

pub fn get_ts(row: &PgRow, col: &str) -> StoreResult<Timestamp> {
    let micros: i64 = row.try_get(col).map_err(backend)?;
    Timestamp::from_microsecond(micros).map_err(corrupt)
}

pub fn get_opt_ts(row: &PgRow, col: &str) -> StoreResult<Option<Timestamp>> {
    let micros: Option<i64> = row.try_get(col).map_err(backend)?;
    micros
        .map(|m| Timestamp::from_microsecond(m).map_err(corrupt))
        .transpose()
}

pub fn get_opt_decimal(row: &PgRow, col: &str) -> StoreResult<Option<Decimal>> {
    let text: Option<String> = row.try_get(col).map_err(backend)?;
    text.map(|t| t.parse::<Decimal>().map_err(corrupt))
        .transpose()
}

pub fn get<'r, T>(row: &'r PgRow, col: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(col).map_err(backend)
}

/// Parses a stored id or enum text back into its type.
pub fn parse<T: std::str::FromStr>(row: &PgRow, col: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    let text: String = get(row, col)?;
    text.parse::<T>().map_err(corrupt)
}

pub fn get_json(row: &PgRow, col: &str) -> StoreResult<Option<serde_json::Value>> {
    let text: Option<String> = get(row, col)?;
    text.map(|t| serde_json::from_str(&t).map_err(corrupt))
        .transpose()
}

/// Maps a driver error: missing rows and uniqueness are domain answers, a server that is
/// restarting, unreachable or out of space is a passing outage, the rest is for logs.
pub fn backend(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.message().to_owned())
        }
        sqlx::Error::Database(db) if db.code().is_some_and(|c| is_outage(&c)) => {
            StoreError::Unavailable(db.message().to_owned())
        }
        e @ (sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed) => StoreError::Unavailable(e.to_string()),
        other => StoreError::Backend(other.to_string()),
    }
}

/// SQLSTATEs of an outage rather than of a wrong request: connection exceptions (class 08),
/// insufficient resources such as a full disk (53), the server shutting down or starting
/// (57P01–57P03), and a standby that cannot take writes (25006).
fn is_outage(sqlstate: &str) -> bool {
    sqlstate.starts_with("08")
        || sqlstate.starts_with("53")
        || matches!(sqlstate, "57P01" | "57P02" | "57P03" | "25006")
}

/// A stored value that does not parse: the database was changed behind our back.
pub fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable stored value: {e}"))
}

/// Fails with `NotFound` when an update or delete touched no row.
pub fn expect_rows(result: sqlx::postgres::PgQueryResult) -> StoreResult<()> {
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
    fn restarts_full_disks_and_lost_connections_are_outages() {
        for code in [
            "08006", "08001", "53100", "53300", "57P01", "57P03", "25006",
        ] {
            assert!(is_outage(code), "{code}");
        }
        for code in ["23505", "23503", "42P01", "22P02", "40001", "57014"] {
            assert!(!is_outage(code), "{code}");
        }
    }
}
