//! Clients (tenants) and their API keys.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::postgres::PgRow;

use feedbridge_store::{ApiKey, ApiKeyId, Client, ClientId, StoreResult, TenantStore};

use crate::rows::{backend, expect_rows, get, get_opt_ts, get_ts, parse, ts};
use crate::PgStore;

#[async_trait]
impl TenantStore for PgStore {
    async fn insert_client(&self, client: &Client) -> StoreResult<()> {
        let client = client.clone();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query("INSERT INTO clients (id, name, created) VALUES ($1, $2, $3)")
                    .bind(client.id.to_string())
                    .bind(&client.name)
                    .bind(ts(client.created))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)
                    .map(|_| ())
            })
        })
        .await
    }

    async fn get_client(&self, id: ClientId) -> StoreResult<Client> {
        let row = sqlx::query("SELECT id, name, created FROM clients WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        Ok(Client {
            id: parse(&row, "id")?,
            name: get(&row, "name")?,
            created: get_ts(&row, "created")?,
        })
    }

    async fn insert_api_key(&self, key: &ApiKey, hash: &[u8]) -> StoreResult<()> {
        let (key, hash) = (key.clone(), hash.to_vec());
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO api_keys (id, client_id, name, hash, created) \
                         VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(key.id.to_string())
                .bind(key.client_id.to_string())
                .bind(&key.name)
                .bind(hash)
                .bind(ts(key.created))
                .execute(&mut *c)
                .await
                .map_err(backend)
                .map(|_| ())
            })
        })
        .await
    }

    async fn find_api_key(&self, hash: &[u8]) -> StoreResult<ApiKey> {
        let row = sqlx::query(
            "SELECT id, client_id, name, created, revoked FROM api_keys \
             WHERE hash = $1 AND revoked IS NULL",
        )
        .bind(hash)
        .fetch_one(self.read())
        .await
        .map_err(backend)?;
        api_key(&row)
    }

    async fn list_api_keys(&self) -> StoreResult<Vec<ApiKey>> {
        let rows = sqlx::query(
            "SELECT id, client_id, name, created, revoked FROM api_keys ORDER BY created, id",
        )
        .fetch_all(self.read())
        .await
        .map_err(backend)?;
        rows.iter().map(api_key).collect()
    }

    async fn revoke_api_key(&self, id: ApiKeyId, at: Timestamp) -> StoreResult<()> {
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE api_keys SET revoked = $2 WHERE id = $1 AND revoked IS NULL",
                )
                .bind(id.to_string())
                .bind(ts(at))
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                expect_rows(done)
            })
        })
        .await
    }
}

fn api_key(row: &PgRow) -> StoreResult<ApiKey> {
    Ok(ApiKey {
        id: parse(row, "id")?,
        client_id: parse(row, "client_id")?,
        name: get(row, "name")?,
        created: get_ts(row, "created")?,
        revoked: get_opt_ts(row, "revoked")?,
    })
}
