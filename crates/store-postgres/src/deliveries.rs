//! Webhook deliveries: the worker's lease-based claim, attempt records and listings.
//!
//! The claim is one `UPDATE … RETURNING` whose candidate rows are locked with `FOR UPDATE SKIP
//! LOCKED`, so instances claiming at the same moment split the due rows instead of waiting on each
//! other or taking the same one. A leased row is invisible to other claims until its lease ends, so
//! a worker that died mid-attempt is retried after the lease and a delivered row is never claimed
//! again.

use jiff::Timestamp;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool};

use feedbridge_store::{
    AttemptOutcome, ClaimedDelivery, ClientId, Delivery, DeliveryId, DeliveryStatus, StoreResult,
};

use crate::rows::{backend, corrupt, expect_rows, get, get_opt_ts, get_ts, opt_ts, parse, ts};
use crate::webhooks::endpoint;

const DELIVERY_COLUMNS: &str = "d.id AS d_id, d.event_id AS d_event_id, \
    o.event_type AS d_event_type, d.endpoint_id AS d_endpoint_id, d.status AS d_status, \
    d.attempts AS d_attempts, d.next_attempt AS d_next_attempt, \
    d.last_attempt AS d_last_attempt, d.last_status_code AS d_last_status_code, \
    d.last_error AS d_last_error, d.created AS d_created";

pub async fn claim(
    c: &mut PgConnection,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> StoreResult<Vec<ClaimedDelivery>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "UPDATE webhook_deliveries SET lease_until = $2 WHERE id IN ( \
           SELECT id FROM webhook_deliveries \
           WHERE status = 'pending' AND next_attempt <= $1 \
             AND (lease_until IS NULL OR lease_until <= $1) \
           ORDER BY next_attempt LIMIT $3 FOR UPDATE SKIP LOCKED) \
         RETURNING id",
    )
    .bind(ts(now))
    .bind(ts(lease_until))
    .bind(i64::from(limit))
    .fetch_all(&mut *c)
    .await
    .map_err(backend)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS}, o.body AS body, e.id, e.client_id, e.url, e.event_types, \
         e.description, e.secret, e.previous_secret, e.previous_until, e.created \
         FROM webhook_deliveries d \
         JOIN outbox_events o ON o.id = d.event_id \
         JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE d.id = ANY($1) ORDER BY d.next_attempt"
    );
    let rows = sqlx::query(&sql)
        .bind(&ids)
        .fetch_all(&mut *c)
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|row| {
            Ok(ClaimedDelivery {
                delivery: delivery(row)?,
                endpoint: endpoint(row)?,
                body: get(row, "body")?,
            })
        })
        .collect()
}

pub async fn record(
    c: &mut PgConnection,
    id: DeliveryId,
    outcome: AttemptOutcome,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, \
         next_attempt = $3, lease_until = NULL, last_attempt = $4, last_status_code = $5, \
         last_error = $6 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(outcome.status.as_str())
    .bind(opt_ts(outcome.next_attempt))
    .bind(ts(outcome.at))
    .bind(outcome.status_code.map(i64::from))
    .bind(outcome.error)
    .execute(&mut *c)
    .await
    .map_err(backend)?;
    expect_rows(done)
}

pub async fn list(
    pool: &PgPool,
    client: ClientId,
    status: Option<DeliveryStatus>,
) -> StoreResult<Vec<Delivery>> {
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d \
         JOIN outbox_events o ON o.id = d.event_id \
         WHERE d.client_id = $1 AND ($2::text IS NULL OR d.status = $2) \
         ORDER BY d.created DESC, d.id"
    );
    let rows = sqlx::query(&sql)
        .bind(client.to_string())
        .bind(status.map(DeliveryStatus::as_str))
        .fetch_all(pool)
        .await
        .map_err(backend)?;
    rows.iter().map(delivery).collect()
}

/// Counts pending deliveries; the `(status, next_attempt)` index answers it without a table scan.
pub async fn pending(pool: &PgPool) -> StoreResult<u64> {
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")
            .fetch_one(pool)
            .await
            .map_err(backend)?;
    u64::try_from(count).map_err(corrupt)
}

fn delivery(row: &PgRow) -> StoreResult<Delivery> {
    let status: String = get(row, "d_status")?;
    let attempts: i64 = get(row, "d_attempts")?;
    let code: Option<i64> = get(row, "d_last_status_code")?;
    Ok(Delivery {
        id: parse(row, "d_id")?,
        event_id: parse(row, "d_event_id")?,
        event_type: get(row, "d_event_type")?,
        endpoint_id: parse(row, "d_endpoint_id")?,
        status: DeliveryStatus::parse(&status).ok_or_else(|| corrupt(status))?,
        attempts: u32::try_from(attempts).map_err(corrupt)?,
        next_attempt: get_opt_ts(row, "d_next_attempt")?,
        last_attempt: get_opt_ts(row, "d_last_attempt")?,
        last_status_code: code.map(u16::try_from).transpose().map_err(corrupt)?,
        last_error: get(row, "d_last_error")?,
        created: get_ts(row, "d_created")?,
    })
}
