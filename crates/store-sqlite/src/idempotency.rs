//! `Idempotency-Key` claims, answered in one write so two requests can never both claim a key.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::Row;

use feedbridge_store::{ClientId, IdempotencyClaim, IdempotencyStore, StoreResult, StoredResponse};

use crate::rows::{backend, ts};
use crate::SqliteStore;

#[async_trait]
impl IdempotencyStore for SqliteStore {
    async fn claim_idempotency_key(
        &self,
        client: ClientId,
        key: &str,
        request_hash: &[u8],
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<IdempotencyClaim> {
        let (key, hash) = (key.to_owned(), request_hash.to_vec());
        self.writer()
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query("DELETE FROM idempotency_keys WHERE client_id = $1 AND key = $2 AND keep_until <= $3")
                        .bind(client.to_string())
                        .bind(&key)
                        .bind(ts(now))
                        .execute(&mut *c)
                        .await
                        .map_err(backend)?;
                    let existing = sqlx::query(
                        "SELECT request_hash, state, status, body FROM idempotency_keys \
                         WHERE client_id = $1 AND key = $2",
                    )
                    .bind(client.to_string())
                    .bind(&key)
                    .fetch_optional(&mut *c)
                    .await
                    .map_err(backend)?;
                    let Some(row) = existing else {
                        sqlx::query(
                            "INSERT INTO idempotency_keys \
                             (client_id, key, request_hash, state, keep_until) \
                             VALUES ($1, $2, $3, 'running', $4)",
                        )
                        .bind(client.to_string())
                        .bind(&key)
                        .bind(&hash)
                        .bind(ts(lease_until))
                        .execute(&mut *c)
                        .await
                        .map_err(backend)?;
                        return Ok(IdempotencyClaim::Claimed);
                    };
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
        self.writer()
            .write(move |c| {
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
        self.writer()
            .write(move |c| {
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
        self.writer()
            .write(move |c| {
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
