//! Clients (tenants) and their API keys.

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{ApiKey, ApiKeyId, Client, ClientId, StoreResult, TenantStore};

use crate::backend::Backend;
use crate::row::Row;
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

#[async_trait]
impl<B: Backend> TenantStore for SqlStore<B> {
    async fn insert_client(&self, client: &Client) -> StoreResult<()> {
        let insert = Stmt::new("INSERT INTO clients (id, name, created) VALUES ($1, $2, $3)")
            .text(client.id)
            .text(&client.name)
            .ts(client.created);
        self.write(Change::new().then(insert)).await
    }

    async fn get_client(&self, id: ClientId) -> StoreResult<Client> {
        let select = Stmt::new("SELECT id, name, created FROM clients WHERE id = $1").text(id);
        self.read_one(select, |row| {
            Ok(Client {
                id: row.parse("id")?,
                name: row.string("name")?,
                created: row.ts("created")?,
            })
        })
        .await
    }

    async fn insert_api_key(&self, key: &ApiKey, hash: &[u8]) -> StoreResult<()> {
        let insert = Stmt::new(
            "INSERT INTO api_keys (id, client_id, name, hash, created) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .text(key.id)
        .text(key.client_id)
        .text(&key.name)
        .bytes(hash)
        .ts(key.created);
        self.write(Change::new().then(insert)).await
    }

    async fn find_api_key(&self, hash: &[u8]) -> StoreResult<ApiKey> {
        let select = Stmt::new(
            "SELECT id, client_id, name, created, revoked FROM api_keys \
             WHERE hash = $1 AND revoked IS NULL",
        )
        .bytes(hash);
        self.read_one(select, api_key).await
    }

    async fn list_api_keys(&self) -> StoreResult<Vec<ApiKey>> {
        let select = Stmt::new(
            "SELECT id, client_id, name, created, revoked FROM api_keys ORDER BY created, id",
        );
        self.read_all(select, api_key).await
    }

    async fn revoke_api_key(&self, id: ApiKeyId, at: Timestamp) -> StoreResult<()> {
        let update =
            Stmt::new("UPDATE api_keys SET revoked = $2 WHERE id = $1 AND revoked IS NULL")
                .text(id)
                .ts(at);
        self.write(Change::new().changing(update)).await
    }
}

fn api_key(row: Row<'_>) -> StoreResult<ApiKey> {
    Ok(ApiKey {
        id: row.parse("id")?,
        client_id: row.parse("client_id")?,
        name: row.string("name")?,
        created: row.ts("created")?,
        revoked: row.opt_ts("revoked")?,
    })
}
