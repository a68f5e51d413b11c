//! The embedded SQLite backend of the Feedbridge store.
//!
//! Reads go through a small pool; every write goes through the single [`writer::Writer`], which
//! commits concurrent requests together. The database runs in WAL mode with `synchronous=FULL`
//! and foreign keys on, so a committed change survives a crash or power loss.

mod accounts;
mod companies;
mod credentials;
mod deliveries;
mod effects;
mod feed;
mod idempotency;
mod link_sessions;
mod outbox;
mod push;
mod rows;
mod tenants;
mod transactions;
mod webhooks;
pub mod writer;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};

use feedbridge_store::{HealthStore, StoreError, StoreResult};

use crate::rows::backend;
use crate::writer::Writer;

/// The embedded migrations; version numbers match the PostgreSQL backend's.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    writer: Writer,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://path` or `sqlite::memory:` is
    /// not supported: the writer and readers must share one file) and applies pending migrations.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(backend)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .disable_statement_logging();
        let mut conn = options.connect().await.map_err(backend)?;
        MIGRATOR
            .run(&mut conn)
            .await
            .map_err(|e| StoreError::Backend(format!("migration failed: {e}")))?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await
            .map_err(backend)?;
        Ok(Self {
            read,
            writer: Writer::start(conn),
        })
    }

    /// Runs `f` through the group-committing writer.
    pub(crate) fn writer(&self) -> &Writer {
        &self.writer
    }

    /// Group transactions committed so far (see [`Writer::commits`]).
    pub fn commits(&self) -> u64 {
        self.writer.commits()
    }

    pub(crate) fn read(&self) -> &SqlitePool {
        &self.read
    }
}

#[async_trait]
impl HealthStore for SqliteStore {
    async fn ready(&self) -> StoreResult<()> {
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
                .fetch_one(&self.read)
                .await
                .map_err(backend)?;
        let expected = MIGRATOR.iter().count() as i64;
        if applied < expected {
            return Err(StoreError::Backend(format!(
                "{applied} of {expected} migrations applied"
            )));
        }
        // A database that answers reads may still refuse writes (locked, full, read-only).
        let now = jiff::Timestamp::now().as_microsecond();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query("UPDATE readiness SET checked = $1 WHERE id = 1")
                        .bind(now)
                        .execute(&mut *c)
                        .await
                        .map_err(backend)
                        .map(|_| ())
                })
            })
            .await
    }
}
