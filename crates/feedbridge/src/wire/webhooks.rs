//! Webhook endpoint and delivery shapes of `/webhooks/…` (Feedbridge's own; Codat manages its
//! webhooks in its portal, so there is no Codat shape to follow).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use feedbridge_store::{Delivery as DeliveryRecord, WebhookEndpoint};

use super::datetime;

/// `POST /webhooks/endpoints` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateEndpoint {
    /// Where events are POSTed; https, on a public address.
    pub url: String,
    /// Event types to send; absent or empty means every type.
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A registered endpoint (never with its secret).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub event_types: Vec<String>,
    pub description: Option<String>,
    pub created_on: String,
}

impl Endpoint {
    pub fn new(e: &WebhookEndpoint) -> Self {
        Self {
            id: e.id.to_string(),
            url: e.url.clone(),
            event_types: e.event_types.clone(),
            description: e.description.clone(),
            created_on: datetime(e.created),
        }
    }
}

/// A new endpoint, the only answer that shows its signing secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedEndpoint {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// `whsec_…`: verify deliveries with it; it is not shown again.
    pub secret: String,
}

/// The answer to a secret rotation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Secret {
    pub secret: String,
}

/// One event's delivery to one endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub id: String,
    /// The event's id, also sent as `webhook-id`.
    pub event_id: String,
    pub event_type: String,
    pub endpoint_id: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: u32,
    pub next_attempt_on: Option<String>,
    pub last_attempt_on: Option<String>,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub created_on: String,
}

impl Delivery {
    pub fn new(d: &DeliveryRecord) -> Self {
        Self {
            id: d.id.to_string(),
            event_id: d.event_id.to_string(),
            event_type: d.event_type.clone(),
            endpoint_id: d.endpoint_id.to_string(),
            status: d.status.as_str().to_owned(),
            attempts: d.attempts,
            next_attempt_on: d.next_attempt.map(datetime),
            last_attempt_on: d.last_attempt.map(datetime),
            last_status_code: d.last_status_code,
            last_error: d.last_error.clone(),
            created_on: datetime(d.created),
        }
    }
}
