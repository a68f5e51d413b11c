//! `feedbridge recipient …` and `feedbridge keys …`: the institution registers the data
//! recipients that may sign its users in (each gets a client id and a secret shown once), and
//! rotates the keys that sign their tokens.

use clap::Subcommand;

use super::io::{out, Storage};
use crate::wire::datetime;

#[derive(Debug, Subcommand)]
pub enum RecipientAction {
    /// Register a data recipient; prints its client_id and client_secret (shown only now).
    Add {
        /// The name users see on the consent page.
        #[arg(long)]
        name: String,
        /// A redirect URI, matched exactly (repeatable).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        #[command(flatten)]
        storage: Storage,
    },
    /// List recipients (never their secrets).
    List {
        #[command(flatten)]
        storage: Storage,
    },
    /// Remove a recipient; its consents end with it.
    Remove {
        /// The recipient's client_id.
        id: String,
        #[command(flatten)]
        storage: Storage,
    },
    /// Replace a recipient's redirect URIs with those given.
    SetRedirectUris {
        /// The recipient's client_id.
        id: String,
        /// A redirect URI, matched exactly (repeatable).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        #[command(flatten)]
        storage: Storage,
    },
    /// Replace a recipient's secret; the old one stops working at once.
    RotateSecret {
        /// The recipient's client_id.
        id: String,
        #[command(flatten)]
        storage: Storage,
    },
}

impl RecipientAction {
    pub fn storage(&self) -> &Storage {
        match self {
            Self::Add { storage, .. }
            | Self::List { storage }
            | Self::Remove { storage, .. }
            | Self::SetRedirectUris { storage, .. }
            | Self::RotateSecret { storage, .. } => storage,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Create a new token signing key; the previous ones stay in the JWKS for a day.
    Rotate {
        #[command(flatten)]
        storage: Storage,
    },
}

impl KeysAction {
    pub fn storage(&self) -> &Storage {
        match self {
            Self::Rotate { storage } => storage,
        }
    }
}

pub async fn recipient(action: RecipientAction) -> anyhow::Result<()> {
    let services = action.storage().services().await?;
    match action {
        RecipientAction::Add {
            name,
            redirect_uris,
            ..
        } => {
            let registered = services.add_recipient(&name, &redirect_uris).await?;
            out(&format!("client_id: {}", registered.recipient.id))?;
            out("Keep the secret now: it is not stored and cannot be shown again.")?;
            out(&format!("client_secret: {}", registered.secret))
        }
        RecipientAction::List { .. } => {
            for r in services.list_recipients().await? {
                out(&format!(
                    "{}\t{}\t{}\t{}",
                    r.id,
                    r.name,
                    datetime(r.created),
                    r.redirect_uris.join(" ")
                ))?;
            }
            Ok(())
        }
        RecipientAction::Remove { id, .. } => {
            services.remove_recipient(&id).await?;
            out(&format!("removed {id}"))
        }
        RecipientAction::SetRedirectUris {
            id, redirect_uris, ..
        } => {
            services
                .set_recipient_redirect_uris(&id, &redirect_uris)
                .await?;
            out(&format!("{id}\t{}", redirect_uris.join(" ")))
        }
        RecipientAction::RotateSecret { id, .. } => {
            let secret = services.rotate_recipient_secret(&id).await?;
            out("Keep the secret now: it is not stored and cannot be shown again.")?;
            out(&format!("client_secret: {secret}"))
        }
    }
}

pub async fn keys(action: KeysAction) -> anyhow::Result<()> {
    let services = action.storage().services().await?;
    match action {
        KeysAction::Rotate { .. } => {
            services.ensure_signing_key().await?;
            let kid = services.rotate_signing_key().await?;
            out(&format!("signing key: {kid}"))
        }
    }
}
