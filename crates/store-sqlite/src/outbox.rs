//! Reading the outbox in the order events were written.

use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;

use feedbridge_store::{NewEvent, OutboxEntry, OutboxStore, StoreResult};

use crate::rows::{backend, corrupt, get, get_ts, parse};
use crate::SqliteStore;

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn outbox_events(&self, after: Option<i64>, limit: u32) -> StoreResult<Vec<OutboxEntry>> {
        let rows = sqlx::query(
            "SELECT rowid AS seq, id, client_id, event_type, generated, body FROM outbox_events \
             WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        )
        .bind(after.unwrap_or(i64::MIN))
        .bind(i64::from(limit))
        .fetch_all(self.read())
        .await
        .map_err(backend)?;
        rows.iter().map(entry).collect()
    }
}

fn entry(row: &SqliteRow) -> StoreResult<OutboxEntry> {
    let body: String = get(row, "body")?;
    Ok(OutboxEntry {
        seq: get(row, "seq")?,
        event: NewEvent {
            id: parse(row, "id")?,
            client_id: parse(row, "client_id")?,
            event_type: get(row, "event_type")?,
            generated: get_ts(row, "generated")?,
            body: serde_json::from_str(&body).map_err(corrupt)?,
        },
    })
}
