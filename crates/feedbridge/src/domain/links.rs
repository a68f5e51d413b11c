//! Link tokens: the `otp` of a `linkUrl`.
//!
//! A token is `connection id ‖ issue time ‖ link generation ‖ MAC`, base64url-encoded. The MAC
//! (128 bits of HMAC-SHA256 under the links key) makes it unforgeable and binds it to one
//! connection; the issue time bounds its life; the generation lets an unlink invalidate every
//! token issued before it, and deleting the connection invalidates them by removing it. Nothing is
//! stored per token, so every fetch of a connection can mint a fresh one for free.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jiff::Timestamp;
use subtle::ConstantTimeEq;

use feedbridge_store::{CompanyId, Connection, ConnectionId, StoreError};

use super::{DomainError, DomainResult, Services};

const MAC_LEN: usize = 16;
const TOKEN_LEN: usize = 16 + 8 + 8 + MAC_LEN;

/// What a valid token proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkGrant {
    pub connection: Connection,
    pub issued: Timestamp,
    /// When the grant (and any session opened from it) ends.
    pub expires: Timestamp,
}

impl Services {
    /// A fresh `linkUrl` for the connection.
    pub fn link_url(&self, company: CompanyId, connection: &Connection) -> String {
        let token = self.mint_link_token(connection, self.now());
        format!(
            "{}/link/companies/{company}/connections/{}/start?otp={token}",
            self.settings.public_url, connection.id
        )
    }

    /// The URL where a company's users are told how to start (Codat's `redirect`).
    pub fn company_redirect(&self, company: CompanyId) -> String {
        format!("{}/link/companies/{company}", self.settings.public_url)
    }

    pub fn mint_link_token(&self, connection: &Connection, issued: Timestamp) -> String {
        let mut bytes = Vec::with_capacity(TOKEN_LEN);
        bytes.extend_from_slice(connection.id.0.as_bytes());
        bytes.extend_from_slice(&issued.as_microsecond().to_be_bytes());
        bytes.extend_from_slice(&connection.link_generation.to_be_bytes());
        let mac = self.settings_link_mac(&bytes);
        bytes.extend_from_slice(&mac);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn settings_link_mac(&self, body: &[u8]) -> [u8; MAC_LEN] {
        let full = self.keys.links.mac(&[b"link token", body]);
        let mut mac = [0u8; MAC_LEN];
        mac.copy_from_slice(&full[..MAC_LEN]);
        mac
    }

    /// Checks a token for the connection named in the URL. Every failure is the same
    /// `Forbidden`, so the answer tells an attacker nothing about why.
    pub async fn verify_link(
        &self,
        company: CompanyId,
        connection: ConnectionId,
        token: &str,
    ) -> DomainResult<LinkGrant> {
        let refused = || DomainError::Forbidden("this link has expired".into());
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| refused())?;
        if bytes.len() != TOKEN_LEN {
            return Err(refused());
        }
        let (body, mac) = bytes.split_at(TOKEN_LEN - MAC_LEN);
        if !bool::from(self.settings_link_mac(body).ct_eq(mac)) {
            return Err(refused());
        }
        let (id, rest) = body.split_at(16);
        if id != connection.0.as_bytes() {
            return Err(refused());
        }
        let issued = read_i64(&rest[..8]);
        let generation = read_i64(&rest[8..16]);
        let issued = Timestamp::from_microsecond(issued).map_err(|_| refused())?;
        let expires = issued + jiff::SignedDuration::from_secs(self.settings.link_ttl_seconds);
        let now = self.now();
        if now >= expires || now < issued - jiff::SignedDuration::from_secs(60) {
            return Err(refused());
        }
        let conn = match self.store.get_connection(company, connection).await {
            Ok(conn) => conn,
            Err(StoreError::NotFound) => return Err(refused()),
            Err(e) => return Err(e.into()),
        };
        if conn.link_generation != generation {
            return Err(refused());
        }
        Ok(LinkGrant {
            connection: conn,
            issued,
            expires,
        })
    }
}

fn read_i64(bytes: &[u8]) -> i64 {
    let mut buf = [0u8; 8];
    buf.copy_from_slice(bytes);
    i64::from_be_bytes(buf)
}
