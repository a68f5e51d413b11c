//! The authentication prompt: a new credential pair must be confirmed with the connection's
//! six-digit code before it can download anything; a correct answer pairs the credential and
//! issues an access key the accounting platform sends from then on.

use subtle::ConstantTimeEq;

use feedbridge_store::{ConnectionId, Credential, Effects, StoreError};

use super::signon::{Signon, SignonAttempt};
use crate::domain::credentials::CODE_MAX_FAILURES;
use crate::domain::{secrets, DomainResult, Services};

/// The prompt's question id (`MFAPHRASEID`).
pub const CODE_PHRASE_ID: &str = "FBCODE";
/// The prompt's question as the accounting platform shows it.
pub const CODE_PHRASE_LABEL: &str = "Confirmation code shown next to your bank feed credentials";

impl Services {
    /// The keyed hash under which an access key is stored.
    pub fn access_key_hash(&self, key: &str) -> Vec<u8> {
        self.keys.access_keys.mac(&[key.as_bytes()]).to_vec()
    }

    pub(super) async fn authentication_prompt(
        &self,
        credential: Credential,
        attempt: &SignonAttempt<'_>,
    ) -> DomainResult<Signon> {
        if let Some(answer) = attempt.code_answer {
            return self.answer_prompt(credential, answer).await;
        }
        Ok(if attempt.wants_challenge {
            Signon::Challenge
        } else {
            Signon::PromptRequired
        })
    }

    async fn answer_prompt(&self, credential: Credential, answer: &str) -> DomainResult<Signon> {
        if !self.code_matches(credential.connection_id, answer).await? {
            return Ok(Signon::WrongCode);
        }
        let key = secrets::token();
        self.pair(&credential, Some(&key)).await?;
        Ok(Signon::Accepted {
            credential,
            new_access_key: Some(key),
        })
    }

    /// Whether `answer` is the connection's confirmation code, still valid. A wrong answer
    /// counts towards burning the code; shared by the OFX prompt and the hosted sign-in.
    pub async fn code_matches(&self, connection: ConnectionId, answer: &str) -> DomainResult<bool> {
        let now = self.now();
        let code = match self.store.get_confirmation_code(connection).await {
            Ok(code) if code.expires > now && code.failures < CODE_MAX_FAILURES => code,
            Ok(_) | Err(StoreError::NotFound) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        if bool::from(code.code.as_bytes().ct_eq(answer.trim().as_bytes())) {
            return Ok(true);
        }
        let failures = self.store.record_code_failure(connection).await?;
        if failures >= CODE_MAX_FAILURES {
            tracing::warn!(connection = %connection, "confirmation code burnt");
        }
        Ok(false)
    }

    /// Marks the credential paired (with an access key when the prompt was answered).
    pub(super) async fn pair(
        &self,
        credential: &Credential,
        key: Option<&str>,
    ) -> DomainResult<()> {
        let how = if key.is_some() {
            "confirmation code answered"
        } else {
            "authentication prompt off"
        };
        let effects = Effects::none().audit(self.feed_audit(
            Some(credential.connection_id),
            "credentials.paired",
            format!("username {}, {how}", credential.username),
        ));
        let hash = key.map(|k| self.access_key_hash(k));
        Ok(self
            .store
            .pair_credential(credential.id, self.now(), hash.as_deref(), effects)
            .await?)
    }
}
