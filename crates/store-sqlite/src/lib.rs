//! The embedded SQLite backend of the Feedbridge store.
//!
//! Reads go through a small pool; every write goes through the single [`writer::Writer`], which
//! commits concurrent requests together. The database runs in WAL mode with `synchronous=FULL`
//! and foreign keys on, so a committed change survives a crash or power loss. The statements and
//! logic of every operation are `feedbridge-store-sql`'s; this crate opens the file, applies its
//! migrations and runs statements for it (`backend.rs`).

mod backend;
mod error;
pub mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};

use feedbridge_store::{StoreError, StoreResult};
use feedbridge_store_sql::SqlStore;

use crate::error::backend;
use crate::writer::Writer;

/// The embedded migrations. A version number means the same change as in the PostgreSQL
/// backend's set (which has a few more, for what SQLite has built in).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A store in one SQLite file.
pub type SqliteStore = SqlStore<SqliteBackend>;

/// One SQLite file: a read pool and the group-committing writer.
#[derive(Clone)]
pub struct SqliteBackend {
    read: SqlitePool,
    writer: Writer,
}

impl SqliteBackend {
    /// Opens (creating if needed) the database at `url` (`sqlite://path`; `sqlite::memory:` is
    /// not supported: the writer and readers must share one file), applying pending migrations
    /// when `migrate` is set.
    async fn start(url: &str, migrate: bool) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(backend)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Each write job runs in a savepoint; its sub-journal stays in memory, not a file.
            .pragma("temp_store", "memory")
            .disable_statement_logging();
        let mut conn = options.connect().await.map_err(backend)?;
        if migrate {
            MIGRATOR
                .run_direct(&mut conn)
                .await
                .map_err(|e| StoreError::Backend(format!("migration failed: {e}")))?;
        }
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await
            .map_err(backend)?;
        Ok(Self {
            read,
            writer: Writer::start(conn)?,
        })
    }

    /// Group transactions committed so far (see [`Writer::commits`]).
    pub fn commits(&self) -> u64 {
        self.writer.commits()
    }

    fn writer(&self) -> &Writer {
        &self.writer
    }

    fn read_pool(&self) -> &SqlitePool {
        &self.read
    }
}
