//! One sign-on decision: throttling first, then the password (always hashed, so unknown,
//! locked and wrong-password usernames look alike), then the access key or the
//! authentication prompt.

use feedbridge_store::{Credential, StoreError};

use super::throttle::Gate;
use crate::domain::{DomainResult, Services};

/// What the client presented in its `SONRQ` (and `MFACHALLENGERQ`).
#[derive(Debug, Clone, Default)]
pub struct SignonAttempt<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub access_key: Option<&'a str>,
    /// The answer to the confirmation-code question, if the client sent one.
    pub code_answer: Option<&'a str>,
    /// The client asked which questions to answer.
    pub wants_challenge: bool,
    /// The peer's address, for per-address throttling.
    pub address: &'a str,
}

/// What the username and password check found.
#[derive(Debug, Clone)]
pub enum Checked {
    Valid(Credential),
    /// Deliberately one answer for every kind of wrong (see [`Signon::Refused`]).
    Refused,
    AddressBlocked,
}

/// The outcome of a sign-on.
#[derive(Debug, Clone)]
pub enum Signon {
    /// Signed on; `new_access_key` is set right after the prompt was answered.
    Accepted {
        credential: Credential,
        new_access_key: Option<String>,
    },
    /// The authentication prompt must be answered first.
    PromptRequired,
    /// The client asked for the prompt's questions.
    Challenge,
    /// The answer to the prompt was wrong (or the code is burnt or expired).
    WrongCode,
    /// Unknown username, wrong password, revoked credentials or access key, or a throttled
    /// username: deliberately indistinguishable.
    Refused,
    /// Too many failures from this address.
    AddressBlocked,
}

impl Signon {
    /// The outcome's name in `/metrics`.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Accepted { .. } => "accepted",
            Self::PromptRequired => "prompt_required",
            Self::Challenge => "challenge",
            Self::WrongCode => "wrong_code",
            Self::Refused => "refused",
            Self::AddressBlocked => "address_blocked",
        }
    }
}

impl Services {
    /// Decides a sign-on and counts its outcome.
    pub async fn sign_on(&self, attempt: &SignonAttempt<'_>) -> DomainResult<Signon> {
        let outcome = self.decide_sign_on(attempt).await;
        let label = outcome.as_ref().map_or("error", Signon::label);
        self.metrics.signon(label);
        outcome
    }

    async fn decide_sign_on(&self, attempt: &SignonAttempt<'_>) -> DomainResult<Signon> {
        let credential = match self
            .check_password(attempt.username, attempt.password, attempt.address, |c| {
                c.consumed.is_none()
            })
            .await?
        {
            Checked::Valid(c) => c,
            Checked::Refused => return Ok(Signon::Refused),
            Checked::AddressBlocked => return Ok(Signon::AddressBlocked),
        };
        if let Some(key) = attempt.access_key {
            return self.check_access_key(credential, key).await;
        }
        if !self.settings.feed.authentication_prompt {
            if credential.paired.is_none() {
                self.pair(&credential, None).await?;
            }
            return Ok(Signon::Accepted {
                credential,
                new_access_key: None,
            });
        }
        self.authentication_prompt(credential, attempt).await
    }

    /// The throttled username and password check every sign-in shares (the OFX feed and the
    /// hosted sign-in of OpenID Connect): a throttled, unknown, revoked or `unusable` pair and a
    /// wrong password are the same refusal, counted the same way, after the same work.
    pub async fn check_password(
        &self,
        username: &str,
        password: &str,
        address: &str,
        usable: impl FnOnce(&Credential) -> bool,
    ) -> DomainResult<Checked> {
        let counters = match self.signon_gate(username, address).await? {
            Gate::Open(c) => c,
            Gate::UsernameBlocked(c) => {
                self.signon_failed(username, address, &c, false).await?;
                return Ok(Checked::Refused);
            }
            Gate::AddressBlocked(c) => {
                self.signon_failed(username, address, &c, false).await?;
                return Ok(Checked::AddressBlocked);
            }
        };
        let credential = match self.store.find_credential(username).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let valid = match &credential {
            Some(c) => self.password_matches(c, password) && c.revoked.is_none() && usable(c),
            None => {
                // The same HMAC work as for a known username, so timing says nothing.
                let _ = self.password_mac(username, password);
                false
            }
        };
        let Some(credential) = credential.filter(|_| valid) else {
            self.signon_failed(username, address, &counters, true)
                .await?;
            return Ok(Checked::Refused);
        };
        self.signon_succeeded(username, &counters).await?;
        Ok(Checked::Valid(credential))
    }

    async fn check_access_key(&self, credential: Credential, key: &str) -> DomainResult<Signon> {
        let hash = self.access_key_hash(key);
        match self.store.find_access_key(&hash).await {
            Ok(owner) if owner == credential.id => Ok(Signon::Accepted {
                credential,
                new_access_key: None,
            }),
            Ok(_) | Err(StoreError::NotFound) => Ok(Signon::Refused),
            Err(e) => Err(e.into()),
        }
    }
}
