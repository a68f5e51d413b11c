//! Link UI sessions, shared by every instance through the database.

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{LinkSession, LinkSessionStore, StoreResult};

use crate::backend::Backend;
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

macro_rules! session_columns {
    () => {
        "id_hash, company_id, connection_id, link_generation, created, last_seen, expires, \
         language"
    };
}

#[async_trait]
impl<B: Backend> LinkSessionStore for SqlStore<B> {
    async fn insert_link_session(&self, session: &LinkSession) -> StoreResult<()> {
        let insert = Stmt::new(concat!(
            "INSERT INTO link_sessions (",
            session_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bytes(session.id_hash.as_slice())
        .text(session.company_id)
        .text(session.connection_id)
        .int(session.link_generation)
        .ts(session.created)
        .ts(session.last_seen)
        .ts(session.expires)
        .text(&session.language);
        self.write(Change::new().then(insert)).await
    }

    async fn get_link_session(&self, id_hash: &[u8]) -> StoreResult<LinkSession> {
        let select = Stmt::new(concat!(
            "SELECT ",
            session_columns!(),
            " FROM link_sessions WHERE id_hash = $1"
        ))
        .bytes(id_hash);
        self.read_one(select, |row| {
            Ok(LinkSession {
                id_hash: row.bytes("id_hash")?,
                company_id: row.parse("company_id")?,
                connection_id: row.parse("connection_id")?,
                link_generation: row.int("link_generation")?,
                created: row.ts("created")?,
                last_seen: row.ts("last_seen")?,
                expires: row.ts("expires")?,
                language: row.string("language")?,
            })
        })
        .await
    }

    async fn touch_link_session(
        &self,
        id_hash: &[u8],
        last_seen: Timestamp,
        language: &str,
    ) -> StoreResult<()> {
        let update =
            Stmt::new("UPDATE link_sessions SET last_seen = $2, language = $3 WHERE id_hash = $1")
                .bytes(id_hash)
                .ts(last_seen)
                .text(language);
        self.write(Change::new().changing(update)).await
    }

    async fn purge_link_sessions(&self, before: Timestamp) -> StoreResult<u64> {
        let delete = Stmt::new("DELETE FROM link_sessions WHERE expires < $1").ts(before);
        self.write_counting(Change::new().then(delete)).await
    }
}
