//! The PostgreSQL backend of the Feedbridge store.
//!
//! Several Feedbridge instances may share one database, so nothing here relies on being the only
//! writer: every change runs in its own transaction on a pooled connection, its outbox events and
//! audit rows are written in that same transaction, and anything two instances could race for
//! (an `Idempotency-Key`, a batch of background work) is settled by the database itself.

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

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use futures::future::BoxFuture;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgConnection, PgPool};

use feedbridge_store::{HealthStore, StoreError, StoreResult};

use crate::rows::backend;

/// The embedded migrations; version numbers match the SQLite backend's.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A store in a PostgreSQL database, possibly shared with other instances.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://` or `postgresql://`) and applies pending migrations.
    ///
    /// The migrator takes an advisory lock, so instances starting together apply each migration
    /// once and the others wait for it.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let store = Self::connect(url).await?;
        MIGRATOR
            .run(&store.pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migration failed: {e}")))?;
        Ok(store)
    }

    /// Connects without touching the schema; `ready` reports whether migrations are missing.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(backend)?
            .disable_statement_logging();
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(backend)?;
        Ok(Self { pool })
    }

    /// Runs `f` in one transaction: committed when it succeeds, rolled back when it fails.
    pub(crate) async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send,
        F: for<'c> FnOnce(&'c mut PgConnection) -> BoxFuture<'c, StoreResult<T>> + Send,
    {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let value = f(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(value)
    }

    pub(crate) fn read(&self) -> &PgPool {
        &self.pool
    }
}

#[async_trait]
impl HealthStore for PgStore {
    async fn ready(&self) -> StoreResult<()> {
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
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
        self.write(move |c| {
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
