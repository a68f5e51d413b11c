//! Writes the outbox events and audit rows that accompany a change, on the change's own connection
//! so they commit or roll back with it.

use sqlx::PgConnection;

use feedbridge_store::{Effects, StoreResult};

use crate::rows::{backend, ts};

pub async fn write(conn: &mut PgConnection, effects: &Effects) -> StoreResult<()> {
    for event in &effects.events {
        sqlx::query(
            "INSERT INTO outbox_events (id, client_id, event_type, generated, body) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(event.id.to_string())
        .bind(event.client_id.to_string())
        .bind(&event.event_type)
        .bind(ts(event.generated))
        .bind(event.body.to_string())
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
        crate::webhooks::fan_out(conn, event).await?;
    }
    for entry in &effects.audit {
        sqlx::query(
            "INSERT INTO audit_log (at, connection_id, action, detail) VALUES ($1, $2, $3, $4)",
        )
        .bind(ts(entry.at))
        .bind(entry.connection_id.map(|c| c.to_string()))
        .bind(&entry.action)
        .bind(&entry.detail)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(())
}
