//! Consents once granted: whether one is still live, how it reads in the Consent API, and how
//! one ends.
//!
//! A consent is live while it is neither revoked nor expired and the credential pair it consumed
//! is not revoked. That last rule is what makes revoking credentials (Link UI or API) and
//! unlinking the connection end every consent at once, without a second record to keep in step.
//! Ending one consent (the recipient revokes it, or replays a spent token) revokes its pair and
//! disconnects the accounts connected through it, with the same events as the OFX feed.

use feedbridge_store::{
    AccountStatus, Consent, ConsentId, ConsentRevocation, Credential, Effects, StoreError,
};

use crate::domain::events::EventType;
use crate::domain::status::{self, AccountCause, ConnectionCause};
use crate::domain::{DomainResult, Services};

/// A consent's standing, as the FDX Consent API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Active,
    Expired,
    Revoked(ConsentRevocation),
}

impl Standing {
    /// The FDX `status`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Expired => "EXPIRED",
            Self::Revoked(_) => "REVOKED",
        }
    }
}

impl Services {
    /// The consent and the pair it consumed, if the consent is live.
    pub async fn live_consent(&self, id: ConsentId) -> DomainResult<Option<(Consent, Credential)>> {
        let consent = match self.store.get_consent(id).await {
            Ok(c) => c,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let credential = match self.store.get_credential(consent.credential_id).await {
            Ok(c) => c,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let live = self.standing(&consent, &credential) == Standing::Active;
        Ok(live.then_some((consent, credential)))
    }

    /// How a consent stands now.
    pub fn standing(&self, consent: &Consent, credential: &Credential) -> Standing {
        if let Some(revocation) = &consent.revocation {
            return Standing::Revoked(revocation.clone());
        }
        if let Some(at) = credential.revoked {
            // Credentials revoked in the Link UI or through the API, or the connection unlinked.
            return Standing::Revoked(ConsentRevocation {
                at,
                reason: "USER_ACTION".into(),
                initiator: "DATA_PROVIDER".into(),
            });
        }
        if consent.expires <= self.now() {
            return Standing::Expired;
        }
        Standing::Active
    }

    /// Ends a live consent: records why, revokes the pair it consumed, disconnects the accounts
    /// connected through it (the connection becomes `Unlinked` when none is left connected), and
    /// tells the institution through webhooks.
    pub async fn end_consent(
        &self,
        consent: &Consent,
        revocation: ConsentRevocation,
    ) -> DomainResult<()> {
        let conn = self.store.find_connection(consent.connection_id).await?;
        let company = self.store.find_company(conn.company_id).await?;
        let accounts = self.store.list_source_accounts(conn.id).await?;
        let (through_consent, others): (Vec<_>, Vec<_>) = accounts
            .into_iter()
            .partition(|a| a.linked_credential == Some(consent.credential_id));
        let stopped: Vec<_> = through_consent
            .into_iter()
            .filter_map(|mut a| {
                status::move_account(&mut a, AccountCause::CredentialsRevoked).then_some(a)
            })
            .collect();
        let mut effects = Effects::none();
        for account in &stopped {
            effects = effects.event(self.account_event(
                &company,
                account,
                EventType::AccountDisconnected,
            ));
        }
        let mut updated = conn.clone();
        let none_left = !others.iter().any(|a| a.status == AccountStatus::Connected);
        let unlinked = (none_left
            && status::move_connection(&mut updated, ConnectionCause::NoAccountConnected))
        .then_some(updated);
        if let Some(updated) = &unlinked {
            effects = effects.event(self.connection_event(
                &company,
                updated,
                EventType::ConnectionDisconnected,
            ));
        }
        effects = effects.audit(self.feed_audit(
            Some(conn.id),
            "consent.revoked",
            format!(
                "consent {}, {} by {}",
                consent.id, revocation.reason, revocation.initiator
            ),
        ));
        Ok(self
            .store
            .end_consent(
                consent.id,
                &revocation,
                &stopped,
                unlinked.as_ref(),
                effects,
            )
            .await?)
    }
}
