//! `feedbridge apikey …`: create a client with its first key, add a key to a client (rotation),
//! list keys, revoke one. A new key is printed once, alone on the last line.

use clap::Subcommand;

use feedbridge_store::{ApiKeyId, ClientId};

use super::io::{out, Storage};

#[derive(Debug, Subcommand)]
pub enum ApiKeyAction {
    /// Create a key: for a new client named NAME, or for an existing client (rotation).
    Create {
        #[arg(long)]
        name: String,
        /// Add the key to this existing client instead of creating one.
        #[arg(long)]
        client: Option<ClientId>,
        #[command(flatten)]
        storage: Storage,
    },
    /// List keys (never the keys themselves).
    List {
        #[command(flatten)]
        storage: Storage,
    },
    /// Revoke a key by its id.
    Revoke {
        id: ApiKeyId,
        #[command(flatten)]
        storage: Storage,
    },
}

impl ApiKeyAction {
    fn storage(&self) -> &Storage {
        match self {
            Self::Create { storage, .. }
            | Self::List { storage }
            | Self::Revoke { storage, .. } => storage,
        }
    }
}

/// Runs one action on the configured database.
pub async fn run(action: ApiKeyAction) -> anyhow::Result<()> {
    let services = action.storage().services().await?;
    match action {
        ApiKeyAction::Create { name, client, .. } => {
            let issued = match client {
                Some(client) => services.add_api_key(client, &name).await?,
                None => services.create_client(&name).await?,
            };
            out(&format!("client: {}", issued.key.client_id))?;
            out(&format!("key id: {}", issued.key.id))?;
            out("Keep this key now: it is not stored and cannot be shown again.")?;
            out(&issued.plaintext)
        }
        ApiKeyAction::List { .. } => {
            for key in services.api_keys().await? {
                let state = if key.revoked.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                out(&format!(
                    "{}\t{}\t{}\t{}\t{}",
                    key.id, key.client_id, key.name, key.created, state
                ))?;
            }
            Ok(())
        }
        ApiKeyAction::Revoke { id, .. } => {
            services.revoke_api_key(id).await?;
            out(&format!("revoked {id}"))
        }
    }
}
