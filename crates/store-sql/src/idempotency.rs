//! `Idempotency-Key` claims, settled by the primary key so two requests (or two instances) can
//! never both claim one.

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{
    ClientId, IdempotencyClaim, IdempotencyStore, StoreError, StoreResult, StoredResponse,
};

use crate::backend::Backend;
use crate::row::Row;
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

#[async_trait]
impl<B: Backend> IdempotencyStore for SqlStore<B> {
    async fn claim_idempotency_key(
        &self,
        client: ClientId,
        key: &str,
        request_hash: &[u8],
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<IdempotencyClaim> {
        let expired = Stmt::new(
            "DELETE FROM idempotency_keys WHERE client_id = $1 AND key = $2 AND keep_until <= $3",
        )
        .text(client)
        .text(key)
        .ts(now);
        // A concurrent insert of the same key waits for the other transaction and then inserts
        // nothing, so exactly one caller sees a row inserted.
        let claim = Stmt::new(
            "INSERT INTO idempotency_keys (client_id, key, request_hash, state, keep_until) \
             VALUES ($1, $2, $3, 'running', $4) ON CONFLICT DO NOTHING",
        )
        .text(client)
        .text(key)
        .bytes(request_hash)
        .ts(lease_until);
        let existing = Stmt::new(
            "SELECT request_hash, state, status, body FROM idempotency_keys \
             WHERE client_id = $1 AND key = $2",
        )
        .text(client)
        .text(key);
        let hash = request_hash.to_vec();
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    B::execute(c, expired).await?;
                    if B::execute(c, claim).await? == 1 {
                        return Ok(IdempotencyClaim::Claimed);
                    }
                    let found = B::fetch(c, existing, |row| taken(row, &hash)).await?;
                    found.into_iter().next().ok_or(StoreError::NotFound)
                })
            })
            .await
    }

    async fn complete_idempotency_key(
        &self,
        client: ClientId,
        key: &str,
        response: &StoredResponse,
        keep_until: Timestamp,
    ) -> StoreResult<()> {
        let update = Stmt::new(
            "UPDATE idempotency_keys SET state = 'done', status = $3, body = $4, keep_until = $5 \
             WHERE client_id = $1 AND key = $2",
        )
        .text(client)
        .text(key)
        .int(i64::from(response.status))
        .bytes(response.body.as_slice())
        .ts(keep_until);
        self.write(Change::new().then(update)).await
    }

    async fn release_idempotency_key(&self, client: ClientId, key: &str) -> StoreResult<()> {
        let delete = Stmt::new("DELETE FROM idempotency_keys WHERE client_id = $1 AND key = $2")
            .text(client)
            .text(key);
        self.write(Change::new().then(delete)).await
    }

    async fn release_running_idempotency_keys(&self) -> StoreResult<u64> {
        let delete = Stmt::new("DELETE FROM idempotency_keys WHERE state = 'running'");
        self.write_counting(Change::new().then(delete)).await
    }
}

/// What a claim finds when the key is already taken.
fn taken(row: Row<'_>, hash: &[u8]) -> StoreResult<IdempotencyClaim> {
    if row.bytes("request_hash")? != hash {
        return Ok(IdempotencyClaim::Mismatch);
    }
    if row.str("state")? != "done" {
        return Ok(IdempotencyClaim::InFlight);
    }
    Ok(IdempotencyClaim::Done(StoredResponse {
        status: u16::try_from(row.int("status")?).unwrap_or(500),
        body: row.bytes("body")?,
    }))
}
