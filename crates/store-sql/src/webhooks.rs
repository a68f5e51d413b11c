//! Webhook endpoints, and the fan-out of each outbox event into one delivery per matching
//! endpoint, written on the event's own transaction.

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{
    AttemptOutcome, ClaimedDelivery, ClientId, Delivery, DeliveryId, DeliveryStatus, EndpointId,
    NewEvent, StoreResult, WebhookEndpoint, WebhookStore,
};

use crate::backend::Backend;
use crate::deliveries;
use crate::endpoint_columns;
use crate::row::{json, Row};
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

const CLIENT_ENDPOINTS: &str = concat!(
    "SELECT ",
    endpoint_columns!(),
    " FROM webhook_endpoints e WHERE e.client_id = $1 ORDER BY e.created, e.id"
);

/// Creates the deliveries of `event`: one per endpoint of its client that wants its type.
pub async fn fan_out<B: Backend>(c: &mut B::Conn, event: &NewEvent) -> StoreResult<()> {
    let endpoints = B::fetch(
        c,
        Stmt::new(CLIENT_ENDPOINTS).text(event.client_id),
        endpoint,
    )
    .await?;
    for endpoint in endpoints {
        let wanted =
            endpoint.event_types.is_empty() || endpoint.event_types.contains(&event.event_type);
        if !wanted {
            continue;
        }
        let insert = Stmt::new(
            "INSERT INTO webhook_deliveries \
             (id, event_id, endpoint_id, client_id, status, attempts, next_attempt, created) \
             VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
        )
        .text(DeliveryId::new())
        .text(event.id)
        .text(endpoint.id)
        .text(event.client_id)
        .ts(event.generated);
        B::execute(c, insert).await?;
    }
    Ok(())
}

#[async_trait]
impl<B: Backend> WebhookStore for SqlStore<B> {
    async fn insert_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()> {
        let insert = Stmt::new(
            "INSERT INTO webhook_endpoints (id, client_id, url, event_types, description, \
             secret, previous_secret, previous_until, created) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .text(endpoint.id)
        .text(endpoint.client_id)
        .text(&endpoint.url)
        .text(json(&endpoint.event_types)?)
        .opt_text(endpoint.description.as_ref())
        .text(&endpoint.secret)
        .opt_text(endpoint.previous_secret.as_ref())
        .opt_ts(endpoint.previous_until)
        .ts(endpoint.created);
        self.write(Change::new().then(insert)).await
    }

    async fn list_endpoints(&self, client: ClientId) -> StoreResult<Vec<WebhookEndpoint>> {
        self.read_all(Stmt::new(CLIENT_ENDPOINTS).text(client), endpoint)
            .await
    }

    async fn get_endpoint(&self, client: ClientId, id: EndpointId) -> StoreResult<WebhookEndpoint> {
        let select = Stmt::new(concat!(
            "SELECT ",
            endpoint_columns!(),
            " FROM webhook_endpoints e WHERE e.id = $1 AND e.client_id = $2"
        ))
        .text(id)
        .text(client);
        self.read_one(select, endpoint).await
    }

    async fn delete_endpoint(&self, client: ClientId, id: EndpointId) -> StoreResult<()> {
        let delete = Stmt::new("DELETE FROM webhook_endpoints WHERE id = $1 AND client_id = $2")
            .text(id)
            .text(client);
        self.write(Change::new().changing(delete)).await
    }

    async fn rotate_endpoint_secret(
        &self,
        client: ClientId,
        id: EndpointId,
        secret: &str,
        previous_until: Timestamp,
    ) -> StoreResult<()> {
        let update = Stmt::new(
            "UPDATE webhook_endpoints SET previous_secret = secret, secret = $3, \
             previous_until = $4 WHERE id = $1 AND client_id = $2",
        )
        .text(id)
        .text(client)
        .text(secret)
        .ts(previous_until);
        self.write(Change::new().changing(update)).await
    }

    async fn claim_due_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        self.backend()
            .write(move |c| Box::pin(deliveries::claim::<B>(c, now, lease_until, limit)))
            .await
    }

    async fn record_attempt(&self, id: DeliveryId, outcome: &AttemptOutcome) -> StoreResult<()> {
        self.write(Change::new().changing(deliveries::record(id, outcome)))
            .await
    }

    async fn list_deliveries(
        &self,
        client: ClientId,
        status: Option<DeliveryStatus>,
    ) -> StoreResult<Vec<Delivery>> {
        self.read_all(deliveries::list(client, status), deliveries::delivery)
            .await
    }

    async fn redeliver(&self, client: ClientId, id: DeliveryId, now: Timestamp) -> StoreResult<()> {
        let update = Stmt::new(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt = $3 \
             WHERE id = $1 AND client_id = $2",
        )
        .text(id)
        .text(client)
        .ts(now);
        self.write(Change::new().changing(update)).await
    }

    /// The `(status, next_attempt)` index answers the count without a table scan.
    async fn pending_deliveries(&self) -> StoreResult<u64> {
        let count = Stmt::new(
            "SELECT COUNT(*) AS pending FROM webhook_deliveries WHERE status = 'pending'",
        );
        self.read_one(count, |row| row.number("pending")).await
    }
}

/// Reads an endpoint from a row selected with [`endpoint_columns!`].
pub(crate) fn endpoint(row: Row<'_>) -> StoreResult<WebhookEndpoint> {
    Ok(WebhookEndpoint {
        id: row.parse("id")?,
        client_id: row.parse("client_id")?,
        url: row.string("url")?,
        event_types: row.json("event_types")?,
        description: row.opt_string("description")?,
        secret: row.string("secret")?,
        previous_secret: row.opt_string("previous_secret")?,
        previous_until: row.opt_ts("previous_until")?,
        created: row.ts("created")?,
    })
}
