//! `Idempotency-Key` claims, settled by the primary key so two instances can never both claim one.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::postgres::PgRow;
use sqlx::Row;

use feedbridge_store::{ClientId, IdempotencyClaim, IdempotencyStore, StoreResult, StoredResponse};

use crate::rows::{backend, ts};
use crate::PgStore;

#[async_trait]
impl IdempotencyStore for PgStore {
    async fn claim_idempotency_key(
        &self,
        client: ClientId,
        key: &str,
        request_hash: &[u8],
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<IdempotencyClaim> {
        let (key, hash) = (key.to_owned(), request_hash.to_vec());
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "DELETE FROM idempotency_keys \
                     WHERE client_id = $1 AND key = $2 AND keep_until <= $3",
                )
                .bind(client.to_string())
                .bind(&key)
                .bind(ts(now))
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                // A concurrent insert of the same key waits for the other transaction and then
                // inserts nothing, so exactly one caller sees a row inserted.
                let inserted = sqlx::query(
                    "INSERT INTO idempotency_keys \
                     (client_id, key, request_hash, state, keep_until) \
                     VALUES ($1, $2, $3, 'running', $4) ON CONFLICT DO NOTHING",
                )
                .bind(client.to_string())
                .bind(&key)
                .bind(&hash)
                .bind(ts(lease_until))
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                if inserted.rows_affected() == 1 {
                    return Ok(IdempotencyClaim::Claimed);
                }
                let row = sqlx::query(
                    "SELECT request_hash, state, status, body FROM idempotency_keys \
                     WHERE client_id = $1 AND key = $2",
                )
                .bind(client.to_string())
                .bind(&key)
                .fetch_one(&mut *c)
                .await
                .map_err(backend)?;
                existing(&row, &hash)
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
        let (key, response) = (key.to_owned(), response.clone());
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "UPDATE idempotency_keys \
                         SET state = 'done', status = $3, body = $4, keep_until = $5 \
                         WHERE client_id = $1 AND key = $2",
                )
                .bind(client.to_string())
                .bind(&key)
                .bind(i64::from(response.status))
                .bind(&response.body)
                .bind(ts(keep_until))
                .execute(&mut *c)
                .await
                .map_err(backend)
                .map(|_| ())
            })
        })
        .await
    }

    async fn release_idempotency_key(&self, client: ClientId, key: &str) -> StoreResult<()> {
        let key = key.to_owned();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query("DELETE FROM idempotency_keys WHERE client_id = $1 AND key = $2")
                    .bind(client.to_string())
                    .bind(&key)
                    .execute(&mut *c)
                    .await
                    .map_err(backend)
                    .map(|_| ())
            })
        })
        .await
    }

    async fn release_running_idempotency_keys(&self) -> StoreResult<u64> {
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query("DELETE FROM idempotency_keys WHERE state = 'running'")
                    .execute(&mut *c)
                    .await
                    .map_err(backend)
                    .map(|done| done.rows_affected())
            })
        })
        .await
    }
}

/// What a claim finds when the key is already taken.
fn existing(row: &PgRow, hash: &[u8]) -> StoreResult<IdempotencyClaim> {
    let stored_hash: Vec<u8> = row.try_get("request_hash").map_err(backend)?;
    if stored_hash != hash {
        return Ok(IdempotencyClaim::Mismatch);
    }
    let state: String = row.try_get("state").map_err(backend)?;
    if state != "done" {
        return Ok(IdempotencyClaim::InFlight);
    }
    let status: i64 = row.try_get("status").map_err(backend)?;
    let body: Vec<u8> = row.try_get("body").map_err(backend)?;
    Ok(IdempotencyClaim::Done(StoredResponse {
        status: u16::try_from(status).unwrap_or(500),
        body,
    }))
}
