//! Webhook endpoints and the deliveries of outbox events to them.
//!
//! Deliveries are created in the same transaction as the event (one per matching endpoint of the
//! event's client), and the delivery worker claims due ones with a lease, so a restart loses
//! nothing and two workers never send the same attempt.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::ids::{ClientId, DeliveryId, EndpointId, EventId};

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// A 2xx answer was received.
    Delivered,
    /// Every scheduled attempt failed.
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Delivered, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A URL a client registered to receive its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub id: EndpointId,
    pub client_id: ClientId,
    pub url: String,
    /// Event types sent to this endpoint; empty means every type.
    pub event_types: Vec<String>,
    pub description: Option<String>,
    /// `whsec_…`, signing every delivery.
    pub secret: String,
    /// The secret replaced by the last rotation, still signing until `previous_until`.
    pub previous_secret: Option<String>,
    pub previous_until: Option<Timestamp>,
    pub created: Timestamp,
}

/// One event's delivery to one endpoint, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub event_id: EventId,
    pub event_type: String,
    pub endpoint_id: EndpointId,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt: Option<Timestamp>,
    pub last_attempt: Option<Timestamp>,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub created: Timestamp,
}

/// A claimed delivery with everything needed to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedDelivery {
    pub delivery: Delivery,
    pub endpoint: WebhookEndpoint,
    /// The event's envelope exactly as stored; these bytes are signed and sent.
    pub body: String,
}

/// What one attempt changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptOutcome {
    pub at: Timestamp,
    pub status: DeliveryStatus,
    /// When to try again (pending only).
    pub next_attempt: Option<Timestamp>,
    pub status_code: Option<u16>,
    pub error: Option<String>,
}

/// Webhook endpoints and deliveries.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    async fn insert_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()>;
    async fn list_endpoints(&self, client: ClientId) -> StoreResult<Vec<WebhookEndpoint>>;
    async fn get_endpoint(&self, client: ClientId, id: EndpointId) -> StoreResult<WebhookEndpoint>;
    /// Removes the endpoint and its deliveries.
    async fn delete_endpoint(&self, client: ClientId, id: EndpointId) -> StoreResult<()>;
    /// Stores the new secret; the old one keeps signing until `previous_until`.
    async fn rotate_endpoint_secret(
        &self,
        client: ClientId,
        id: EndpointId,
        secret: &str,
        previous_until: Timestamp,
    ) -> StoreResult<()>;

    /// Leases up to `limit` pending deliveries due at `now` until `lease_until`.
    async fn claim_due_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>>;
    /// Records an attempt and releases the lease.
    async fn record_attempt(&self, id: DeliveryId, outcome: &AttemptOutcome) -> StoreResult<()>;
    /// A client's deliveries, newest first, optionally of one status.
    async fn list_deliveries(
        &self,
        client: ClientId,
        status: Option<DeliveryStatus>,
    ) -> StoreResult<Vec<Delivery>>;
    /// Makes a delivery pending again, due at `now`.
    async fn redeliver(&self, client: ClientId, id: DeliveryId, now: Timestamp) -> StoreResult<()>;
    /// How many deliveries of every client wait for an attempt: the webhook backlog.
    async fn pending_deliveries(&self) -> StoreResult<u64>;
}
