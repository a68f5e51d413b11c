//! `feedbridge webhook …`: manage a client's endpoints and inspect deliveries from the shell.

use clap::Subcommand;

use feedbridge_store::{ClientId, DeliveryId, DeliveryStatus, EndpointId};

use super::io::{out, Storage};
use crate::domain::webhooks::EndpointRequest;
use crate::wire::datetime;

#[derive(Debug, Subcommand)]
pub enum WebhookAction {
    /// Register an endpoint; prints its id and its secret (shown only now).
    Add {
        #[arg(long)]
        client: ClientId,
        #[arg(long)]
        url: String,
        /// An event type to send (repeatable); none means every type.
        #[arg(long = "event-type")]
        event_types: Vec<String>,
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        storage: Storage,
    },
    /// List a client's endpoints.
    List {
        #[arg(long)]
        client: ClientId,
        #[command(flatten)]
        storage: Storage,
    },
    /// Remove an endpoint and its deliveries.
    Remove {
        id: EndpointId,
        #[arg(long)]
        client: ClientId,
        #[command(flatten)]
        storage: Storage,
    },
    /// Replace an endpoint's secret; the old one keeps signing for 24 hours.
    RotateSecret {
        id: EndpointId,
        #[arg(long)]
        client: ClientId,
        #[command(flatten)]
        storage: Storage,
    },
    /// List a client's deliveries, optionally only those with a status (e.g. `failed`).
    Deliveries {
        #[arg(long)]
        client: ClientId,
        #[arg(long, value_parser = parse_status)]
        status: Option<DeliveryStatus>,
        #[command(flatten)]
        storage: Storage,
    },
    /// Queue a delivery for an immediate new attempt by the running server.
    Redeliver {
        id: DeliveryId,
        #[arg(long)]
        client: ClientId,
        #[command(flatten)]
        storage: Storage,
    },
}

fn parse_status(text: &str) -> Result<DeliveryStatus, String> {
    DeliveryStatus::parse(text).ok_or_else(|| "expected pending, delivered or failed".into())
}

impl WebhookAction {
    fn storage(&self) -> &Storage {
        match self {
            Self::Add { storage, .. }
            | Self::List { storage, .. }
            | Self::Remove { storage, .. }
            | Self::RotateSecret { storage, .. }
            | Self::Deliveries { storage, .. }
            | Self::Redeliver { storage, .. } => storage,
        }
    }
}

/// Runs one action on the configured database.
pub async fn run(action: WebhookAction) -> anyhow::Result<()> {
    let services = action.storage().services().await?;
    match action {
        WebhookAction::Add {
            client,
            url,
            event_types,
            description,
            ..
        } => {
            let request = EndpointRequest {
                url,
                event_types,
                description,
            };
            let endpoint = services.add_endpoint(client, request).await?;
            out(&format!("endpoint id: {}", endpoint.id))?;
            out("Keep this secret now: it cannot be shown again.")?;
            out(&endpoint.secret)
        }
        WebhookAction::List { client, .. } => {
            for e in services.endpoints(client).await? {
                let types = if e.event_types.is_empty() {
                    "*".to_owned()
                } else {
                    e.event_types.join(",")
                };
                let description = e.description.unwrap_or_default();
                out(&format!("{}\t{}\t{types}\t{description}", e.id, e.url))?;
            }
            Ok(())
        }
        WebhookAction::Remove { id, client, .. } => {
            services.remove_endpoint(client, id).await?;
            out(&format!("removed {id}"))
        }
        WebhookAction::RotateSecret { id, client, .. } => {
            let secret = services.rotate_endpoint_secret(client, id).await?;
            out("Keep this secret now: it cannot be shown again.")?;
            out(&secret)
        }
        WebhookAction::Deliveries { client, status, .. } => {
            for d in services.deliveries(client, status).await? {
                let last = d.last_attempt.map(datetime).unwrap_or_default();
                let error = d.last_error.unwrap_or_default();
                out(&format!(
                    "{}\t{}\t{}\t{}\t{} attempts\t{last}\t{error}",
                    d.id,
                    d.event_type,
                    d.endpoint_id,
                    d.status.as_str(),
                    d.attempts
                ))?;
            }
            Ok(())
        }
        WebhookAction::Redeliver { id, client, .. } => {
            services.redeliver(client, id).await?;
            out(&format!("queued {id}"))
        }
    }
}
