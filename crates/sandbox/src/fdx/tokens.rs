//! The token endpoint: redeeming a sign-in's code (with its PKCE verifier, the ID token checked)
//! and renewing a lapsed access token with the refresh token.
//!
//! The sandbox authenticates with `client_secret_basic`. Refresh tokens rotate: each works once,
//! so the one a renewal returns replaces the one it spent.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;

use super::authorize::Authorization;
use super::id_token::{self, Expected};
use super::Client;
use crate::error::FeedError;

/// Renew this long before the institution's deadline, so a token never lapses between the
/// check and its use.
const EARLY: SignedDuration = SignedDuration::from_secs(30);

/// The tokens of one consent.
pub struct Tokens {
    pub(super) access: String,
    refresh: Option<String>,
    /// When the access token is to be renewed.
    renew_at: Timestamp,
}

/// A token endpoint answer (RFC 6749 §5.1).
#[derive(Deserialize)]
struct Issued {
    access_token: String,
    expires_in: i64,
    refresh_token: Option<String>,
    id_token: Option<String>,
}

impl Tokens {
    /// The tokens of `issued` at `now`; a renewal without a new refresh token keeps `previous`.
    fn from_issued(issued: Issued, previous: Option<String>, now: Timestamp) -> Self {
        let lifetime = SignedDuration::from_secs(issued.expires_in.max(0));
        Tokens {
            access: issued.access_token,
            refresh: issued.refresh_token.or(previous),
            renew_at: now + lifetime - EARLY,
        }
    }

    /// Whether the access token has to be renewed before it is used at `now`.
    pub fn lapsed(&self, now: Timestamp) -> bool {
        now >= self.renew_at
    }
}

impl Client {
    /// One token request, authenticated with `client_secret_basic` (each part form-encoded
    /// first, RFC 6749 §2.3.1).
    async fn token(&self, form: &[(&str, &str)]) -> Result<Issued, FeedError> {
        let endpoint = &self.discovery().await?.token_endpoint;
        let encode =
            |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let pair = format!(
            "{}:{}",
            encode(&self.recipient.client_id),
            encode(&self.recipient.client_secret)
        );
        let request = self
            .http
            .post(endpoint)
            .header("authorization", format!("Basic {}", STANDARD.encode(pair)))
            .form(form);
        self.read(request).await
    }

    /// Redeems the code a sign-in brought back for `authorization`, and checks the ID token.
    pub(super) async fn redeem(
        &self,
        code: &str,
        authorization: &Authorization,
    ) -> Result<Tokens, FeedError> {
        let now = Timestamp::now();
        let issued = self
            .token(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &self.redirect_uri),
                ("code_verifier", authorization.verifier()),
            ])
            .await?;
        let id_token = issued
            .id_token
            .as_deref()
            .ok_or_else(|| FeedError::Invalid("the token answer has no ID token".into()))?;
        let discovery = self.discovery().await?;
        let keys: JwkSet = self.read(self.http.get(&discovery.jwks_uri)).await?;
        let expected = Expected {
            issuer: &discovery.issuer,
            client_id: &self.recipient.client_id,
            nonce: &authorization.nonce,
        };
        id_token::verify(id_token, &keys, &expected)?;
        Ok(Tokens::from_issued(issued, None, now))
    }

    /// Renews the access token; the refresh token rotates. Without a refresh token only a new
    /// sign-in helps, which the user hears as refused credentials.
    pub(super) async fn renew(&self, tokens: &mut Tokens) -> Result<(), FeedError> {
        let now = Timestamp::now();
        let Some(refresh) = tokens.refresh.take() else {
            return Err(FeedError::OAuth {
                error: "invalid_grant".into(),
                description: Some("no refresh token".into()),
            });
        };
        let issued = self
            .token(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
            .await;
        match issued {
            Ok(issued) => {
                *tokens = Tokens::from_issued(issued, Some(refresh), now);
                Ok(())
            }
            Err(e) => {
                // A refused grant spent the token; anything else (a timeout) may not have.
                if !e.credentials_refused() {
                    tokens.refresh = Some(refresh);
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issued(refresh: Option<&str>) -> Issued {
        Issued {
            access_token: "at-2".into(),
            expires_in: 900,
            refresh_token: refresh.map(str::to_owned),
            id_token: None,
        }
    }

    #[test]
    fn an_access_token_is_renewed_shortly_before_it_lapses() {
        let now: Timestamp = "2024-01-01T12:00:00Z".parse().unwrap();
        let tokens = Tokens::from_issued(issued(Some("rt-1")), None, now);
        assert!(!tokens.lapsed(now));
        assert!(!tokens.lapsed(now + SignedDuration::from_secs(869)));
        assert!(tokens.lapsed(now + SignedDuration::from_secs(870)));
    }

    #[test]
    fn a_rotated_refresh_token_replaces_the_spent_one() {
        let now = Timestamp::now();
        let rotated = Tokens::from_issued(issued(Some("rt-2")), Some("rt-1".into()), now);
        assert_eq!(rotated.refresh.as_deref(), Some("rt-2"));
        assert_eq!(rotated.access, "at-2");
        let kept = Tokens::from_issued(issued(None), Some("rt-1".into()), now);
        assert_eq!(kept.refresh.as_deref(), Some("rt-1"));
    }
}
