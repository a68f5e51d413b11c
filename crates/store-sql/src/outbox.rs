//! Reading the outbox in the order events were written.

use async_trait::async_trait;

use feedbridge_store::{NewEvent, OutboxEntry, OutboxStore, StoreResult};

use crate::backend::Backend;
use crate::stmt::Stmt;
use crate::store::SqlStore;

#[async_trait]
impl<B: Backend> OutboxStore for SqlStore<B> {
    async fn outbox_events(&self, after: Option<i64>, limit: u32) -> StoreResult<Vec<OutboxEntry>> {
        let select = Stmt::new(
            "SELECT rowid AS seq, id, client_id, event_type, generated, body FROM outbox_events \
             WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        )
        .int(after.unwrap_or(i64::MIN))
        .int(i64::from(limit));
        self.read_all(select, |row| {
            Ok(OutboxEntry {
                seq: row.int("seq")?,
                event: NewEvent {
                    id: row.parse("id")?,
                    client_id: row.parse("client_id")?,
                    event_type: row.string("event_type")?,
                    generated: row.ts("generated")?,
                    body: row.json("body")?,
                },
            })
        })
        .await
    }
}
