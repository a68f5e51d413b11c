//! Link UI sessions: opened from a valid link, ended by the link's expiry or 15 idle minutes.
//!
//! The browser holds a random id; the database holds only its keyed hash, so a leaked table
//! cannot be replayed. The CSRF token is derived from the same hash, so it needs no storage and
//! is worthless outside its session.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jiff::{SignedDuration, Timestamp};
use subtle::ConstantTimeEq;

use feedbridge_store::{
    Company, CompanyId, Connection, ConnectionId, LinkSession, SourceAccount, StoreError,
};

use super::links::LinkGrant;
use super::{secrets, DomainError, DomainResult, Services};

/// A session unused for this long ends.
pub const IDLE_TIMEOUT: SignedDuration = SignedDuration::from_secs(15 * 60);

/// A session as just opened: the cookie value is shown to the browser once.
#[derive(Debug, Clone)]
pub struct OpenedSession {
    pub cookie_value: String,
    pub expires: Timestamp,
}

/// A live session with what its pages show.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    pub session: LinkSession,
    pub company: Company,
    pub connection: Connection,
}

impl Services {
    /// Opens a session for the connection a link granted.
    pub async fn open_link_session(
        &self,
        grant: &LinkGrant,
        language: &str,
    ) -> DomainResult<OpenedSession> {
        let cookie_value = secrets::token();
        let now = self.now();
        let session = LinkSession {
            id_hash: self.session_hash(&cookie_value),
            company_id: grant.connection.company_id,
            connection_id: grant.connection.id,
            link_generation: grant.connection.link_generation,
            created: now,
            last_seen: now,
            expires: grant.expires,
            language: language.to_owned(),
        };
        self.store.insert_link_session(&session).await?;
        // Ended sessions are useless; opening a new one is a cheap moment to drop them.
        self.store.purge_link_sessions(now).await?;
        Ok(OpenedSession {
            cookie_value,
            expires: grant.expires,
        })
    }

    /// The live session behind a cookie, for the connection in the URL; records the activity.
    /// Every reason to refuse is the same `Forbidden`.
    pub async fn link_session(
        &self,
        cookie_value: &str,
        company: CompanyId,
        connection: ConnectionId,
    ) -> DomainResult<ActiveSession> {
        let refused = || DomainError::Forbidden("this session has ended".into());
        let hash = self.session_hash(cookie_value);
        let session = match self.store.get_link_session(&hash).await {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Err(refused()),
            Err(e) => return Err(e.into()),
        };
        let now = self.now();
        if session.company_id != company
            || session.connection_id != connection
            || now >= session.expires
            || now >= session.last_seen + IDLE_TIMEOUT
        {
            return Err(refused());
        }
        let conn = match self.store.get_connection(company, connection).await {
            Ok(c) if c.link_generation == session.link_generation => c,
            Ok(_) | Err(StoreError::NotFound) => return Err(refused()),
            Err(e) => return Err(e.into()),
        };
        let company = self.store.find_company(company).await?;
        self.store
            .touch_link_session(&hash, now, &session.language)
            .await?;
        Ok(ActiveSession {
            session: LinkSession {
                last_seen: now,
                ..session
            },
            company,
            connection: conn,
        })
    }

    /// Remembers the language the user picked for the rest of the session.
    pub async fn set_link_language(
        &self,
        active: &ActiveSession,
        language: &str,
    ) -> DomainResult<()> {
        self.store
            .touch_link_session(&active.session.id_hash, self.now(), language)
            .await?;
        Ok(())
    }

    /// The source accounts of the session's connection, as the connect page lists them.
    pub async fn session_accounts(
        &self,
        active: &ActiveSession,
    ) -> DomainResult<Vec<SourceAccount>> {
        Ok(self
            .store
            .list_source_accounts(active.connection.id)
            .await?)
    }

    /// Whether the session's connection has a credential pair that is not revoked yet.
    pub async fn session_has_credentials(&self, active: &ActiveSession) -> DomainResult<bool> {
        let credentials = self.store.list_credentials(active.connection.id).await?;
        Ok(credentials.iter().any(|c| c.revoked.is_none()))
    }

    /// The CSRF token of a session: a MAC of its id hash, so it needs no storage.
    pub fn csrf_token(&self, session: &LinkSession) -> String {
        let mac = self.keys.sessions.mac(&[b"link csrf", &session.id_hash]);
        URL_SAFE_NO_PAD.encode(mac)
    }

    /// Compares a presented CSRF token in constant time.
    pub fn csrf_matches(&self, session: &LinkSession, presented: &str) -> bool {
        let expected = self.csrf_token(session);
        bool::from(expected.as_bytes().ct_eq(presented.as_bytes()))
    }

    fn session_hash(&self, cookie_value: &str) -> Vec<u8> {
        self.keys
            .sessions
            .mac(&[b"link session", cookie_value.as_bytes()])
            .to_vec()
    }
}
