//! Maps SQLite driver errors into the store's closed error set.

use feedbridge_store::StoreError;

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
