//! Readiness: the database answers, has every migration of this build and takes a write.

use async_trait::async_trait;

use feedbridge_store::{HealthStore, StoreError, StoreResult};

use crate::backend::Backend;
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

#[async_trait]
impl<B: Backend> HealthStore for SqlStore<B> {
    async fn ready(&self) -> StoreResult<()> {
        let count = Stmt::new("SELECT COUNT(*) AS applied FROM _sqlx_migrations WHERE success");
        let applied = self.read_one(count, |row| row.int("applied")).await?;
        let expected = self.backend().migrations();
        if usize::try_from(applied).map_or(true, |applied| applied < expected) {
            return Err(StoreError::Backend(format!(
                "{applied} of {expected} migrations applied"
            )));
        }
        // A database that answers reads may still refuse writes (locked, full, read-only).
        let write =
            Stmt::new("UPDATE readiness SET checked = $1 WHERE id = 1").ts(jiff::Timestamp::now());
        self.write(Change::new().then(write)).await
    }
}
