//! The records behind `Idempotency-Key`: a claim per client and key, the answer kept for replay,
//! or the claim released when there is nothing worth replaying. The HTTP layer decides what a
//! request and an answer are; these keep the claims scoped to the client.

use jiff::SignedDuration;

use feedbridge_store::{ClientId, IdempotencyClaim, StoredResponse};

use super::{DomainResult, Services};

impl Services {
    /// Claims `key` for a request with `request_hash`; a claim not completed within `lease` lapses.
    pub async fn claim_idempotency_key(
        &self,
        client: ClientId,
        key: &str,
        request_hash: &[u8],
        lease: SignedDuration,
    ) -> DomainResult<IdempotencyClaim> {
        let now = self.now();
        let until = now.checked_add(lease).unwrap_or(now);
        Ok(self
            .store
            .claim_idempotency_key(client, key, request_hash, now, until)
            .await?)
    }

    /// Keeps the answer of a claimed request for replay during `keep`.
    pub async fn complete_idempotency_key(
        &self,
        client: ClientId,
        key: &str,
        answer: &StoredResponse,
        keep: SignedDuration,
    ) -> DomainResult<()> {
        let now = self.now();
        let until = now.checked_add(keep).unwrap_or(now);
        Ok(self
            .store
            .complete_idempotency_key(client, key, answer, until)
            .await?)
    }

    /// Forgets a claim, so a retry with the same key runs again.
    pub async fn release_idempotency_key(&self, client: ClientId, key: &str) -> DomainResult<()> {
        Ok(self.store.release_idempotency_key(client, key).await?)
    }

    /// Forgets every claim still running: called at start by the only server of a SQLite database,
    /// whose claims were cut off when the previous process stopped.
    pub async fn release_running_idempotency_keys(&self) -> DomainResult<u64> {
        Ok(self.store.release_running_idempotency_keys().await?)
    }
}
