//! The token endpoint's grants, revocation, userinfo, and what a bearer token proves.
//!
//! Access tokens are signed JWTs (RFC 9068) naming their consent (`fdxConsentId`); they are
//! short-lived and checked against the consent on every use, so ending a consent refuses them at
//! once. Refresh tokens are opaque and rotate: each works once, and presenting a spent one ends
//! the consent, as a stolen copy would be the likely reason.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use feedbridge_store::{
    Consent, ConsentRevocation, Credential, Recipient, Redeemed, RefreshToken, Rotation, StoreError,
};

use super::clients::ClientCredentials;
use super::scopes::Scopes;
use super::{OAuthError, ACCESS_TTL};
use crate::domain::{secrets, DomainResult, Services};

/// The `typ` of access tokens (RFC 9068).
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";
const ID_TOKEN_TYP: &str = "JWT";

/// A grant presented at the token endpoint.
#[derive(Debug, Clone)]
pub enum Grant {
    AuthorizationCode {
        code: String,
        redirect_uri: Option<String>,
        code_verifier: Option<String>,
    },
    RefreshToken {
        refresh_token: String,
    },
}

/// What the token endpoint hands out.
#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub id_token: String,
    pub scope: String,
}

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub client_id: String,
    pub scope: String,
    #[serde(rename = "fdxConsentId")]
    pub fdx_consent_id: String,
}

#[derive(Debug, Serialize)]
struct IdClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: i64,
    iat: i64,
    auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
}

/// What a valid bearer token grants: its live consent and the credential pair it consumed.
#[derive(Debug, Clone)]
pub struct Bearer {
    pub claims: AccessClaims,
    pub consent: Consent,
    pub credential: Credential,
}

impl Services {
    /// The token endpoint: a code (with its PKCE verifier) or a refresh token, for an
    /// authenticated recipient.
    pub async fn exchange(
        &self,
        client: &ClientCredentials,
        grant: Grant,
    ) -> DomainResult<Result<Issued, OAuthError>> {
        let recipient = match self.authenticate_recipient(client).await? {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        match grant {
            Grant::AuthorizationCode {
                code,
                redirect_uri,
                code_verifier,
            } => {
                self.redeem(&recipient, &code, redirect_uri, code_verifier)
                    .await
            }
            Grant::RefreshToken { refresh_token } => self.refresh(&recipient, &refresh_token).await,
        }
    }

    async fn redeem(
        &self,
        recipient: &Recipient,
        code: &str,
        redirect_uri: Option<String>,
        verifier: Option<String>,
    ) -> DomainResult<Result<Issued, OAuthError>> {
        let now = self.now();
        let invalid = |why: &str| Ok(Err(OAuthError::InvalidGrant(why.into())));
        let code = match self
            .store
            .redeem_code(&self.code_hash(code), recipient.id, now)
            .await
        {
            Ok(Redeemed::Fresh(c)) => c,
            Ok(Redeemed::Replayed(c)) => {
                // RFC 6749 §4.1.2: a code used twice revokes what it granted.
                self.end_consent_by_id(c.consent, "BUSINESS_RULE", "DATA_PROVIDER")
                    .await?;
                return invalid("the code was already used; its grant is revoked");
            }
            Err(StoreError::NotFound) => return invalid("unknown code"),
            Err(e) => return Err(e.into()),
        };
        if code.expires <= now {
            return invalid("the code has expired");
        }
        if redirect_uri.as_deref() != Some(code.redirect_uri.as_str()) {
            return invalid("redirect_uri differs from the authorization request's");
        }
        if !verifier.is_some_and(|v| pkce_matches(&v, &code.code_challenge)) {
            return invalid("code_verifier does not match the code_challenge");
        }
        let Some((consent, _)) = self.live_consent(code.consent).await? else {
            return invalid("the grant has ended");
        };
        self.issue(recipient, &consent, code.nonce.as_deref(), true)
            .await
            .map(Ok)
    }

    async fn refresh(
        &self,
        recipient: &Recipient,
        token: &str,
    ) -> DomainResult<Result<Issued, OAuthError>> {
        let invalid = |why: &str| Ok(Err(OAuthError::InvalidGrant(why.into())));
        let next = secrets::token();
        let rotated = self
            .store
            .rotate_refresh_token(
                &self.refresh_hash(token),
                &self.refresh_hash(&next),
                recipient.id,
                self.now(),
            )
            .await;
        let consent = match rotated {
            Ok(Rotation::Rotated(consent)) => consent,
            Ok(Rotation::Replayed(consent)) => {
                self.end_consent_by_id(consent, "BUSINESS_RULE", "DATA_PROVIDER")
                    .await?;
                return invalid("the refresh token was already used; its grant is revoked");
            }
            Err(StoreError::NotFound) => return invalid("unknown refresh token"),
            Err(e) => return Err(e.into()),
        };
        let Some((consent, _)) = self.live_consent(consent).await? else {
            return invalid("the grant has ended");
        };
        let mut issued = self.issue(recipient, &consent, None, false).await?;
        issued.refresh_token = Some(next);
        Ok(Ok(issued))
    }

    /// An access token and an ID token for `consent`, with a first refresh token when asked.
    async fn issue(
        &self,
        recipient: &Recipient,
        consent: &Consent,
        nonce: Option<&str>,
        first: bool,
    ) -> DomainResult<Issued> {
        let now = self.now();
        let (iat, exp) = (now.as_second(), (now + ACCESS_TTL).as_second());
        let subject = self.subject(consent);
        let access = AccessClaims {
            iss: self.settings.public_url.clone(),
            sub: subject.clone(),
            aud: self.fdx_audience(),
            exp,
            iat,
            jti: secrets::token(),
            client_id: recipient.id.to_string(),
            scope: consent.scope.clone(),
            fdx_consent_id: consent.id.to_string(),
        };
        let client_id = recipient.id.to_string();
        let id = IdClaims {
            iss: &self.settings.public_url,
            sub: &subject,
            aud: &client_id,
            exp,
            iat,
            auth_time: consent.created.as_second(),
            nonce,
        };
        let offline = Scopes::parse(&consent.scope).is_ok_and(|s| s.offline);
        let refresh_token = if first && offline {
            let token = secrets::token();
            self.store
                .insert_refresh_token(&RefreshToken {
                    hash: self.refresh_hash(&token),
                    consent: consent.id,
                    created: now,
                })
                .await?;
            Some(token)
        } else {
            None
        };
        Ok(Issued {
            access_token: self.sign_jwt(ACCESS_TOKEN_TYP, &access).await?,
            token_type: "Bearer",
            expires_in: ACCESS_TTL.as_secs(),
            refresh_token,
            id_token: self.sign_jwt(ID_TOKEN_TYP, &id).await?,
            scope: consent.scope.clone(),
        })
    }

    /// RFC 7009: a recipient revokes one of its tokens, which ends the consent behind it. An
    /// unknown or foreign token is not an error (nothing to revoke).
    pub async fn revoke_token(
        &self,
        client: &ClientCredentials,
        token: &str,
    ) -> DomainResult<Result<(), OAuthError>> {
        let recipient = match self.authenticate_recipient(client).await? {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let consent = match self
            .store
            .find_refresh_token(&self.refresh_hash(token), recipient.id)
            .await
        {
            Ok(consent) => Some(consent),
            Err(StoreError::NotFound) => self
                .access_claims(token)
                .await?
                .filter(|c| c.client_id == recipient.id.to_string())
                .and_then(|c| c.fdx_consent_id.parse().ok()),
            Err(e) => return Err(e.into()),
        };
        if let Some(consent) = consent {
            self.end_consent_by_id(consent, "USER_ACTION", "DATA_RECIPIENT")
                .await?;
        }
        Ok(Ok(()))
    }

    /// What a bearer token grants, when it is a live access token of a live consent.
    pub async fn bearer(&self, token: &str) -> DomainResult<Option<Bearer>> {
        let Some(claims) = self.access_claims(token).await? else {
            return Ok(None);
        };
        let Ok(id) = claims.fdx_consent_id.parse() else {
            return Ok(None);
        };
        Ok(self
            .live_consent(id)
            .await?
            .filter(|(c, _)| c.recipient.to_string() == claims.client_id)
            .map(|(consent, credential)| Bearer {
                claims,
                consent,
                credential,
            }))
    }

    /// The OpenID Connect userinfo of a bearer token: its subject.
    pub async fn userinfo(&self, token: &str) -> DomainResult<Option<serde_json::Value>> {
        Ok(self
            .bearer(token)
            .await?
            .map(|b| serde_json::json!({ "sub": b.claims.sub })))
    }

    async fn access_claims(&self, token: &str) -> DomainResult<Option<AccessClaims>> {
        self.verify_jwt(token, ACCESS_TOKEN_TYP, &self.fdx_audience())
            .await
    }

    /// The audience of access tokens: the FDX API of this institution.
    pub fn fdx_audience(&self) -> String {
        format!("{}/fdx/v6", self.settings.public_url)
    }

    /// The stable subject of a connection's SMB user: a keyed hash of the connection, so it
    /// does not reveal the connection's id.
    pub fn subject(&self, consent: &Consent) -> String {
        let mac = self
            .keys
            .oauth
            .mac(&[b"subject", consent.connection_id.to_string().as_bytes()]);
        URL_SAFE_NO_PAD.encode(&mac[..16])
    }

    fn refresh_hash(&self, token: &str) -> Vec<u8> {
        self.keys
            .oauth
            .mac(&[b"refresh", token.as_bytes()])
            .to_vec()
    }

    /// Ends a consent by id when it is still live; a consent already gone needs nothing.
    async fn end_consent_by_id(
        &self,
        id: feedbridge_store::ConsentId,
        reason: &str,
        initiator: &str,
    ) -> DomainResult<()> {
        if let Some((consent, _)) = self.live_consent(id).await? {
            let revocation = ConsentRevocation {
                at: self.now(),
                reason: reason.into(),
                initiator: initiator.into(),
            };
            self.end_consent(&consent, revocation).await?;
        }
        Ok(())
    }
}

/// RFC 7636 S256: the challenge is the unpadded base64url SHA-256 of the verifier, which must be
/// 43 to 128 unreserved characters.
fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let shaped = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    shaped && bool::from(digest.as_bytes().ct_eq(challenge.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::pkce_matches;

    #[test]
    fn pkce_s256_matches_the_rfc_7636_example_only() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(challenge, challenge));
        assert!(!pkce_matches(&verifier[..42], challenge));
        assert!(!pkce_matches(
            verifier,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"
        ));
    }
}
