//! Webhook deliveries: the worker's lease-based claim, attempt records and listings.
//!
//! The claim is one `UPDATE … RETURNING` in a write: a leased row is invisible to other claims
//! until its lease ends, so a worker that died mid-attempt is retried after the lease and a
//! delivered row is never claimed again. Where instances share the database the dialect's claim
//! skips rows another claim has locked, so instances split the due rows instead of waiting.

use jiff::Timestamp;

use feedbridge_store::{
    AttemptOutcome, ClaimedDelivery, ClientId, Delivery, DeliveryId, DeliveryStatus, StoreResult,
};

use crate::backend::Backend;
use crate::delivery_columns;
use crate::row::Row;
use crate::stmt::Stmt;
use crate::webhooks::endpoint;

pub async fn claim<B: Backend>(
    c: &mut B::Conn,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> StoreResult<Vec<ClaimedDelivery>> {
    let lease = Stmt::new(B::CLAIM_DELIVERIES)
        .ts(now)
        .ts(lease_until)
        .int(i64::from(limit));
    let ids = B::fetch(c, lease, |row| row.string("id")).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let claimed = Stmt::new(B::CLAIMED_DELIVERIES).list(ids);
    B::fetch(c, claimed, |row| {
        Ok(ClaimedDelivery {
            delivery: delivery(row)?,
            endpoint: endpoint(row)?,
            body: row.string("body")?,
        })
    })
    .await
}

pub fn record(id: DeliveryId, outcome: &AttemptOutcome) -> Stmt {
    Stmt::new(
        "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, \
         next_attempt = $3, lease_until = NULL, last_attempt = $4, last_status_code = $5, \
         last_error = $6 WHERE id = $1",
    )
    .text(id)
    .text(outcome.status.as_str())
    .opt_ts(outcome.next_attempt)
    .ts(outcome.at)
    .opt_int(outcome.status_code.map(i64::from))
    .opt_text(outcome.error.as_ref())
}

pub fn list(client: ClientId, status: Option<DeliveryStatus>) -> Stmt {
    Stmt::new(concat!(
        "SELECT ",
        delivery_columns!(),
        " FROM webhook_deliveries d JOIN outbox_events o ON o.id = d.event_id \
         WHERE d.client_id = $1 AND (CAST($2 AS TEXT) IS NULL OR d.status = $2) \
         ORDER BY d.created DESC, d.id"
    ))
    .text(client)
    .opt_text(status.map(DeliveryStatus::as_str))
}

/// Reads a delivery from a row selected with [`delivery_columns!`].
pub fn delivery(row: Row<'_>) -> StoreResult<Delivery> {
    Ok(Delivery {
        id: row.parse("d_id")?,
        event_id: row.parse("d_event_id")?,
        event_type: row.string("d_event_type")?,
        endpoint_id: row.parse("d_endpoint_id")?,
        status: row.spelled("d_status", DeliveryStatus::parse)?,
        attempts: row.number("d_attempts")?,
        next_attempt: row.opt_ts("d_next_attempt")?,
        last_attempt: row.opt_ts("d_last_attempt")?,
        last_status_code: row.opt_number("d_last_status_code")?,
        last_error: row.opt_string("d_last_error")?,
        created: row.ts("d_created")?,
    })
}
