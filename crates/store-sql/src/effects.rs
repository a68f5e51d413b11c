//! Writes the outbox events and audit rows that accompany a change, on the change's own connection
//! so they commit or roll back with it.

use feedbridge_store::{Effects, StoreResult};

use crate::backend::Backend;
use crate::stmt::Stmt;
use crate::webhooks::fan_out;

pub async fn write<B: Backend>(c: &mut B::Conn, effects: &Effects) -> StoreResult<()> {
    for event in &effects.events {
        let insert = Stmt::new(
            "INSERT INTO outbox_events (id, client_id, event_type, generated, body) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .text(event.id)
        .text(event.client_id)
        .text(&event.event_type)
        .ts(event.generated)
        .text(&event.body);
        B::execute(c, insert).await?;
        fan_out::<B>(c, event).await?;
    }
    for entry in &effects.audit {
        let insert = Stmt::new(
            "INSERT INTO audit_log (at, connection_id, action, detail) VALUES ($1, $2, $3, $4)",
        )
        .ts(entry.at)
        .opt_text(entry.connection_id)
        .text(&entry.action)
        .text(&entry.detail);
        B::execute(c, insert).await?;
    }
    Ok(())
}
