//! The PostgreSQL backend of the Feedbridge store.
//!
//! Several Feedbridge instances may share one database, so nothing here relies on being the only
//! writer: every change runs in its own transaction on a pooled connection, its outbox events and
//! audit rows are written in that same transaction, and anything two instances could race for
//! (an `Idempotency-Key`, a push to one account, a batch of background work) is settled by the
//! database itself. The statements and logic of every operation are `feedbridge-store-sql`'s;
//! this crate connects, applies its migrations and runs statements for it (`backend.rs`).

mod backend;
mod error;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

use feedbridge_store::{StoreError, StoreResult};
use feedbridge_store_sql::SqlStore;

use crate::error::backend;

/// The embedded migrations. A version number means the same change as in the SQLite backend's
/// set; a few exist only here, for what SQLite has built in.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A store in a PostgreSQL database, possibly shared with other instances.
pub type PgStore = SqlStore<PgBackend>;

/// A pool of connections to one PostgreSQL database.
#[derive(Clone)]
pub struct PgBackend {
    pool: PgPool,
}

impl PgBackend {
    /// Connects to `url` (`postgres://` or `postgresql://`), applying pending migrations when
    /// `migrate` is set. The migrator takes an advisory lock, so instances starting together
    /// apply each migration once and the others wait for it.
    async fn start(url: &str, migrate: bool) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(backend)?
            .disable_statement_logging();
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(backend)?;
        if migrate {
            MIGRATOR
                .run(&pool)
                .await
                .map_err(|e| StoreError::Backend(format!("migration failed: {e}")))?;
        }
        Ok(Self { pool })
    }

    fn pool(&self) -> &PgPool {
        &self.pool
    }
}
