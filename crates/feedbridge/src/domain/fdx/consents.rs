//! The FDX Consent API: a recipient reads one of its consents, revokes it, and reads how it
//! ended. It may ask with the consent's own token, or with its client credentials, which keep
//! working once the consent (and so every token of it) has ended.

use jiff::Timestamp;

use feedbridge_store::{Consent, ConsentId, ConsentRevocation, Recipient, StoreError};

use super::{FdxError, FdxResult};
use crate::domain::oauth::consents::Standing;
use crate::domain::oauth::tokens::Bearer;
use crate::domain::Services;

/// FDX's revocation reasons.
pub const REASONS: [&str; 2] = ["BUSINESS_RULE", "USER_ACTION"];
/// FDX's party types, any of which may be named as the initiator of a revocation.
pub const PARTY_TYPES: [&str; 6] = [
    "DATA_ACCESS_PLATFORM",
    "DATA_PROVIDER",
    "DATA_RECIPIENT",
    "INDIVIDUAL",
    "MERCHANT",
    "VENDOR",
];

/// Who asks about a consent.
#[derive(Debug, Clone)]
pub enum Asker {
    /// A live access token: its own consent only.
    Bearer(Box<Bearer>),
    /// The recipient, by its client credentials: any consent it was given.
    Recipient(Recipient),
}

/// A consent as the Consent API shows it.
#[derive(Debug, Clone)]
pub struct View {
    pub consent: Consent,
    pub recipient: Recipient,
    pub standing: Standing,
}

impl View {
    /// When the consent last changed.
    pub fn updated(&self) -> Timestamp {
        match &self.standing {
            Standing::Revoked(r) => r.at,
            Standing::Expired => self.consent.expires,
            Standing::Active => self.consent.created,
        }
    }
}

impl Services {
    /// One consent of the asker; another's, or none, is not found.
    pub async fn fdx_consent(&self, asker: &Asker, id: &str) -> FdxResult<View> {
        let unknown = || FdxError::not_found("No such consent.");
        let Ok(id) = id.parse::<ConsentId>() else {
            return Ok(Err(unknown()));
        };
        let consent = match self.store.get_consent(id).await {
            Ok(c) => c,
            Err(StoreError::NotFound) => return Ok(Err(unknown())),
            Err(e) => return Err(e.into()),
        };
        let theirs = match asker {
            Asker::Bearer(b) => b.consent.id == consent.id,
            Asker::Recipient(r) => r.id == consent.recipient,
        };
        if !theirs {
            return Ok(Err(unknown()));
        }
        let credential = self.store.get_credential(consent.credential_id).await?;
        let recipient = self.store.get_recipient(consent.recipient).await?;
        let standing = self.standing(&consent, &credential);
        Ok(Ok(View {
            consent,
            recipient,
            standing,
        }))
    }

    /// Ends one of the asker's consents; revoking an ended one changes nothing (PUT is
    /// idempotent).
    pub async fn fdx_revoke(
        &self,
        asker: &Asker,
        id: &str,
        reason: &str,
        initiator: &str,
    ) -> FdxResult<()> {
        if !REASONS.contains(&reason) || !PARTY_TYPES.contains(&initiator) {
            return Ok(Err(FdxError::invalid_input(format!(
                "reason must be one of {REASONS:?} and initiator one of {PARTY_TYPES:?}"
            ))));
        }
        let view = match self.fdx_consent(asker, id).await? {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        if view.standing == Standing::Active {
            let revocation = ConsentRevocation {
                at: self.now(),
                reason: reason.into(),
                initiator: initiator.into(),
            };
            self.end_consent(&view.consent, revocation).await?;
        }
        Ok(Ok(()))
    }

    /// How one of the asker's consents ended, if it did by revocation.
    pub async fn fdx_revocations(
        &self,
        asker: &Asker,
        id: &str,
    ) -> FdxResult<Vec<ConsentRevocation>> {
        Ok(self
            .fdx_consent(asker, id)
            .await?
            .map(|view| match view.standing {
                Standing::Revoked(r) => vec![r],
                Standing::Active | Standing::Expired => Vec::new(),
            }))
    }
}
