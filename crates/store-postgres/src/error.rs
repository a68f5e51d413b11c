//! Maps PostgreSQL driver errors into the store's closed error set.

use feedbridge_store::StoreError;

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
