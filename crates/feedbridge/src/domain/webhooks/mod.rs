//! Webhook endpoints of a client and the deliveries made to them, always scoped to that client;
//! where an endpoint may point is checked by [`target`].
//!
//! Rotating a secret keeps the old one signing alongside the new one for
//! [`ROTATION_OVERLAP`], so receivers can switch without missing a delivery.

use jiff::SignedDuration;

use feedbridge_store::{
    AttemptOutcome, ClaimedDelivery, ClientId, Delivery, DeliveryId, DeliveryStatus, EndpointId,
    WebhookEndpoint,
};

pub mod target;

use super::events::EventType;
use super::secrets::webhook_secret;
use super::{DomainError, DomainResult, OrNotFound, Services};
use target::TargetError;

/// How long a replaced secret keeps signing.
pub const ROTATION_OVERLAP: SignedDuration = SignedDuration::from_hours(24);
const MAX_URL: usize = 2000;
const MAX_DESCRIPTION: usize = 500;

/// What a client asks for when registering an endpoint.
#[derive(Debug, Clone, Default)]
pub struct EndpointRequest {
    pub url: String,
    pub event_types: Vec<String>,
    pub description: Option<String>,
}

impl Services {
    /// Registers an endpoint after checking its URL and event types; the secret is returned
    /// here and never again.
    pub async fn add_endpoint(
        &self,
        client: ClientId,
        request: EndpointRequest,
    ) -> DomainResult<WebhookEndpoint> {
        self.store
            .get_client(client)
            .await
            .or_not_found(|| format!("No client was found with ID {client}"))?;
        let url = request.url.trim().to_owned();
        if url.len() > MAX_URL {
            return Err(DomainError::Invalid(format!(
                "`url` must be at most {MAX_URL} characters"
            )));
        }
        let allow = self.settings.webhooks.allow_private_targets;
        target::parse(&url, allow)
            .map_err(invalid)?
            .resolve(allow)
            .await
            .map_err(invalid)?;
        let description = request.description.filter(|d| !d.trim().is_empty());
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION)
        {
            return Err(DomainError::Invalid(format!(
                "`description` must be at most {MAX_DESCRIPTION} characters"
            )));
        }
        let endpoint = WebhookEndpoint {
            id: EndpointId::new(),
            client_id: client,
            url,
            event_types: event_types(request.event_types)?,
            description,
            secret: webhook_secret(),
            previous_secret: None,
            previous_until: None,
            created: self.now(),
        };
        self.store.insert_endpoint(&endpoint).await?;
        Ok(endpoint)
    }

    pub async fn endpoints(&self, client: ClientId) -> DomainResult<Vec<WebhookEndpoint>> {
        Ok(self.store.list_endpoints(client).await?)
    }

    pub async fn remove_endpoint(&self, client: ClientId, id: EndpointId) -> DomainResult<()> {
        self.store
            .delete_endpoint(client, id)
            .await
            .or_not_found(|| no_endpoint(id))
    }

    /// Replaces the endpoint's secret and returns the new one.
    pub async fn rotate_endpoint_secret(
        &self,
        client: ClientId,
        id: EndpointId,
    ) -> DomainResult<String> {
        let secret = webhook_secret();
        let until = self
            .now()
            .checked_add(ROTATION_OVERLAP)
            .unwrap_or(self.now());
        self.store
            .rotate_endpoint_secret(client, id, &secret, until)
            .await
            .or_not_found(|| no_endpoint(id))?;
        Ok(secret)
    }

    pub async fn deliveries(
        &self,
        client: ClientId,
        status: Option<DeliveryStatus>,
    ) -> DomainResult<Vec<Delivery>> {
        Ok(self.store.list_deliveries(client, status).await?)
    }

    /// Claims up to `batch` deliveries due now, each for `lease`, for the delivery worker.
    pub async fn claim_due_deliveries(
        &self,
        lease: SignedDuration,
        batch: u32,
    ) -> DomainResult<Vec<ClaimedDelivery>> {
        let now = self.now();
        let until = now.checked_add(lease).unwrap_or(now);
        Ok(self.store.claim_due_deliveries(now, until, batch).await?)
    }

    /// Records an attempt of a claimed delivery and releases its claim.
    pub async fn record_attempt(
        &self,
        id: DeliveryId,
        outcome: &AttemptOutcome,
    ) -> DomainResult<()> {
        Ok(self.store.record_attempt(id, outcome).await?)
    }

    /// Queues a delivery for an immediate attempt, whatever its state.
    pub async fn redeliver(&self, client: ClientId, id: DeliveryId) -> DomainResult<()> {
        self.store
            .redeliver(client, id, self.now())
            .await
            .or_not_found(|| format!("No webhook delivery was found with ID {id}"))
    }
}

/// What a lookup of an endpoint that is not the client's answers, for any id sent.
pub fn no_endpoint(id: impl std::fmt::Display) -> String {
    format!("No webhook endpoint was found with ID {id}")
}

fn invalid(e: TargetError) -> DomainError {
    DomainError::Invalid(format!("`url` cannot receive webhooks: {e}"))
}

/// Reads each requested type as one of the events Feedbridge emits; duplicates collapse. The
/// store keeps their texts.
fn event_types(requested: Vec<String>) -> DomainResult<Vec<String>> {
    let mut types: Vec<String> = Vec::with_capacity(requested.len());
    for t in requested {
        let Some(known) = EventType::parse(&t) else {
            let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            return Err(DomainError::Invalid(format!(
                "`eventTypes` contains {t:?}, which is not one of: {}",
                all.join(", ")
            )));
        };
        if !types.iter().any(|kept| kept == known.as_str()) {
            types.push(known.as_str().to_owned());
        }
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_must_be_ones_feedbridge_emits_and_duplicates_collapse() {
        let all: Vec<String> = EventType::ALL.iter().map(|t| t.to_string()).collect();
        assert_eq!(event_types(all.clone()).unwrap(), all);
        let twice = vec![all[0].clone(), all[1].clone(), all[0].clone()];
        assert_eq!(
            event_types(twice).unwrap(),
            [all[0].clone(), all[1].clone()]
        );
        assert!(event_types(Vec::new()).unwrap().is_empty());
        for unknown in ["connection.Created", "push.done", ""] {
            let refused = event_types(vec![unknown.to_owned()]);
            assert!(
                matches!(&refused, Err(DomainError::Invalid(m)) if m.contains("`eventTypes`")),
                "{unknown:?}: {refused:?}"
            );
        }
    }
}
