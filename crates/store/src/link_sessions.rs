//! The `LinkSessionStore` contract: browser sessions of the Link UI.
//!
//! A session is opened from a valid `linkUrl` and lives in the database, so any instance behind a
//! load balancer can serve the next page. Only a keyed hash of the session id is stored: a copy
//! of the table does not let anyone ride a session.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::ids::{CompanyId, ConnectionId};

/// One Link UI session, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSession {
    /// Keyed hash of the id held in the cookie.
    pub id_hash: Vec<u8>,
    pub company_id: CompanyId,
    pub connection_id: ConnectionId,
    /// The connection's link generation when the session opened; an unlink ends the session.
    pub link_generation: i64,
    pub created: Timestamp,
    pub last_seen: Timestamp,
    /// The absolute end: the expiry of the link that opened it.
    pub expires: Timestamp,
    /// `en` or `fr`.
    pub language: String,
}

#[async_trait]
pub trait LinkSessionStore: Send + Sync {
    async fn insert_link_session(&self, session: &LinkSession) -> StoreResult<()>;
    async fn get_link_session(&self, id_hash: &[u8]) -> StoreResult<LinkSession>;
    /// Records activity (and the chosen language) on a session.
    async fn touch_link_session(
        &self,
        id_hash: &[u8],
        last_seen: Timestamp,
        language: &str,
    ) -> StoreResult<()>;
    /// Removes sessions that ended before `before`; returns how many.
    async fn purge_link_sessions(&self, before: Timestamp) -> StoreResult<u64>;
}
