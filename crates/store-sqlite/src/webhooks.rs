//! Webhook endpoints, and the fan-out of each outbox event into one delivery per matching
//! endpoint, written on the event's own transaction.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::sqlite::SqliteRow;
use sqlx::SqliteConnection;

use feedbridge_store::{
    AttemptOutcome, ClaimedDelivery, ClientId, Delivery, DeliveryId, DeliveryStatus, EndpointId,
    NewEvent, StoreResult, WebhookEndpoint, WebhookStore,
};

use crate::rows::{backend, corrupt, expect_rows, get, get_opt_ts, get_ts, opt_ts, parse, ts};
use crate::SqliteStore;

const ENDPOINT_COLUMNS: &str = "e.id, e.client_id, e.url, e.event_types, e.description, \
    e.secret, e.previous_secret, e.previous_until, e.created";

/// Creates the deliveries of `event`: one per endpoint of its client that wants its type.
pub async fn fan_out(conn: &mut SqliteConnection, event: &NewEvent) -> StoreResult<()> {
    let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.client_id = $1");
    let rows = sqlx::query(&sql)
        .bind(event.client_id.to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
    for row in &rows {
        let endpoint = endpoint(row)?;
        let wanted =
            endpoint.event_types.is_empty() || endpoint.event_types.contains(&event.event_type);
        if !wanted {
            continue;
        }
        sqlx::query(
            "INSERT INTO webhook_deliveries \
             (id, event_id, endpoint_id, client_id, status, attempts, next_attempt, created) \
             VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
        )
        .bind(DeliveryId::new().to_string())
        .bind(event.id.to_string())
        .bind(endpoint.id.to_string())
        .bind(event.client_id.to_string())
        .bind(ts(event.generated))
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

#[async_trait]
impl WebhookStore for SqliteStore {
    async fn insert_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()> {
        let e = endpoint.clone();
        let types = serde_json::to_string(&e.event_types).map_err(corrupt)?;
        self.writer()
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO webhook_endpoints (id, client_id, url, event_types, \
                         description, secret, previous_secret, previous_until, created) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(e.id.to_string())
                    .bind(e.client_id.to_string())
                    .bind(&e.url)
                    .bind(types)
                    .bind(&e.description)
                    .bind(&e.secret)
                    .bind(&e.previous_secret)
                    .bind(opt_ts(e.previous_until))
                    .bind(ts(e.created))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)
                    .map(|_| ())
                })
            })
            .await
    }

    async fn list_endpoints(&self, client: ClientId) -> StoreResult<Vec<WebhookEndpoint>> {
        let sql = format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.client_id = $1 \
             ORDER BY e.created, e.id"
        );
        let rows = sqlx::query(&sql)
            .bind(client.to_string())
            .fetch_all(self.read())
            .await
            .map_err(backend)?;
        rows.iter().map(endpoint).collect()
    }

    async fn get_endpoint(&self, client: ClientId, id: EndpointId) -> StoreResult<WebhookEndpoint> {
        let sql = format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e \
             WHERE e.id = $1 AND e.client_id = $2"
        );
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .bind(client.to_string())
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        endpoint(&row)
    }

    async fn delete_endpoint(&self, client: ClientId, id: EndpointId) -> StoreResult<()> {
        self.writer()
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(
                        "DELETE FROM webhook_endpoints WHERE id = $1 AND client_id = $2",
                    )
                    .bind(id.to_string())
                    .bind(client.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(backend)?;
                    expect_rows(done)
                })
            })
            .await
    }

    async fn rotate_endpoint_secret(
        &self,
        client: ClientId,
        id: EndpointId,
        secret: &str,
        previous_until: Timestamp,
    ) -> StoreResult<()> {
        let secret = secret.to_owned();
        self.writer()
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(
                        "UPDATE webhook_endpoints SET previous_secret = secret, secret = $3, \
                         previous_until = $4 WHERE id = $1 AND client_id = $2",
                    )
                    .bind(id.to_string())
                    .bind(client.to_string())
                    .bind(secret)
                    .bind(ts(previous_until))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)?;
                    expect_rows(done)
                })
            })
            .await
    }

    async fn claim_due_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        self.writer()
            .write(move |c| Box::pin(crate::deliveries::claim(c, now, lease_until, limit)))
            .await
    }

    async fn record_attempt(&self, id: DeliveryId, outcome: &AttemptOutcome) -> StoreResult<()> {
        let outcome = outcome.clone();
        self.writer()
            .write(move |c| Box::pin(crate::deliveries::record(c, id, outcome)))
            .await
    }

    async fn list_deliveries(
        &self,
        client: ClientId,
        status: Option<DeliveryStatus>,
    ) -> StoreResult<Vec<Delivery>> {
        crate::deliveries::list(self.read(), client, status).await
    }

    async fn pending_deliveries(&self) -> StoreResult<u64> {
        crate::deliveries::pending(self.read()).await
    }

    async fn redeliver(&self, client: ClientId, id: DeliveryId, now: Timestamp) -> StoreResult<()> {
        self.writer()
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(
                        "UPDATE webhook_deliveries SET status = 'pending', next_attempt = $3 \
                         WHERE id = $1 AND client_id = $2",
                    )
                    .bind(id.to_string())
                    .bind(client.to_string())
                    .bind(ts(now))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)?;
                    expect_rows(done)
                })
            })
            .await
    }
}

/// Reads an endpoint from a row selected with [`ENDPOINT_COLUMNS`].
pub(crate) fn endpoint(row: &SqliteRow) -> StoreResult<WebhookEndpoint> {
    let types: String = get(row, "event_types")?;
    Ok(WebhookEndpoint {
        id: parse(row, "id")?,
        client_id: parse(row, "client_id")?,
        url: get(row, "url")?,
        event_types: serde_json::from_str(&types).map_err(corrupt)?,
        description: get(row, "description")?,
        secret: get(row, "secret")?,
        previous_secret: get(row, "previous_secret")?,
        previous_until: get_opt_ts(row, "previous_until")?,
        created: get_ts(row, "created")?,
    })
}
