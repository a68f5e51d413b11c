//! The `LinkSessionStore` contract on PostgreSQL.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::postgres::PgRow;

use feedbridge_store::{LinkSession, LinkSessionStore, StoreResult};

use crate::rows::{backend, expect_rows, get, get_ts, parse, ts};
use crate::PgStore;

const COLUMNS: &str =
    "id_hash, company_id, connection_id, link_generation, created, last_seen, expires, language";

#[async_trait]
impl LinkSessionStore for PgStore {
    async fn insert_link_session(&self, session: &LinkSession) -> StoreResult<()> {
        let s = session.clone();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(&format!(
                    "INSERT INTO link_sessions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                ))
                .bind(&s.id_hash)
                .bind(s.company_id.to_string())
                .bind(s.connection_id.to_string())
                .bind(s.link_generation)
                .bind(ts(s.created))
                .bind(ts(s.last_seen))
                .bind(ts(s.expires))
                .bind(&s.language)
                .execute(&mut *c)
                .await
                .map_err(backend)
                .map(|_| ())
            })
        })
        .await
    }

    async fn get_link_session(&self, id_hash: &[u8]) -> StoreResult<LinkSession> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM link_sessions WHERE id_hash = $1"
        ))
        .bind(id_hash)
        .fetch_one(self.read())
        .await
        .map_err(backend)?;
        session(&row)
    }

    async fn touch_link_session(
        &self,
        id_hash: &[u8],
        last_seen: Timestamp,
        language: &str,
    ) -> StoreResult<()> {
        let (id_hash, language) = (id_hash.to_vec(), language.to_owned());
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE link_sessions SET last_seen = $2, language = $3 WHERE id_hash = $1",
                )
                .bind(&id_hash)
                .bind(ts(last_seen))
                .bind(&language)
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                expect_rows(done)
            })
        })
        .await
    }

    async fn purge_link_sessions(&self, before: Timestamp) -> StoreResult<u64> {
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query("DELETE FROM link_sessions WHERE expires < $1")
                    .bind(ts(before))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)
                    .map(|done| done.rows_affected())
            })
        })
        .await
    }
}

fn session(row: &PgRow) -> StoreResult<LinkSession> {
    Ok(LinkSession {
        id_hash: get(row, "id_hash")?,
        company_id: parse(row, "company_id")?,
        connection_id: parse(row, "connection_id")?,
        link_generation: get(row, "link_generation")?,
        created: get_ts(row, "created")?,
        last_seen: get_ts(row, "last_seen")?,
        expires: get_ts(row, "expires")?,
        language: get(row, "language")?,
    })
}
