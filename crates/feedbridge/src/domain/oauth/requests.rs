//! Checking an authorization request before a sign-in opens: its recipient, the exact redirect
//! URI, PKCE S256 and the scopes, whether it came in the URL or was pushed first (RFC 9126).

use feedbridge_store::{AuthorizationRequest, RecipientId, StoreError};
use jiff::SignedDuration;

use super::authorize::{redirect_to, AuthorizeParams, Refusal, REQUEST_URI_PREFIX};
use super::scopes::Scopes;
use super::OAuthError;
use crate::domain::{DomainResult, Services};

impl Services {
    /// The pushed request `uri` names, taken (it is used once), if it is live and `client_id`
    /// (when given) is its recipient.
    pub(super) async fn pushed_request(
        &self,
        uri: &str,
        client_id: Option<&str>,
    ) -> DomainResult<Option<AuthorizeParams>> {
        let Some(handle) = uri.strip_prefix(REQUEST_URI_PREFIX) else {
            return Ok(None);
        };
        let pushed = match self
            .store
            .take_authorization_request(&self.request_uri_hash(handle))
            .await
        {
            Ok(p) => p,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let same_client = client_id.is_none_or(|id| id == pushed.recipient.to_string());
        if pushed.expires <= self.now() || !same_client {
            return Ok(None);
        }
        Ok(Some(AuthorizeParams {
            response_type: Some("code".into()),
            client_id: Some(pushed.recipient.to_string()),
            redirect_uri: Some(pushed.redirect_uri),
            scope: Some(pushed.scope),
            state: pushed.state,
            nonce: pushed.nonce,
            code_challenge: Some(pushed.code_challenge),
            code_challenge_method: Some("S256".into()),
            request_uri: None,
        }))
    }

    /// The checks of RFC 6749 §4.1.1 and RFC 7636, in the order that decides where an error
    /// may be sent: the recipient and its exact redirect URI first (a page), the rest to the
    /// redirect URI.
    pub(super) async fn check_request(
        &self,
        p: &AuthorizeParams,
    ) -> DomainResult<Result<Valid, Refusal>> {
        let unknown = || {
            Refusal::Page(
                "This sign-in request does not come from an application registered with the \
                 institution."
                    .into(),
            )
        };
        let Some(id) = p
            .client_id
            .as_deref()
            .and_then(|c| c.parse::<RecipientId>().ok())
        else {
            return Ok(Err(unknown()));
        };
        let recipient = match self.store.get_recipient(id).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Ok(Err(unknown())),
            Err(e) => return Err(e.into()),
        };
        let redirect = match p.redirect_uri.as_deref() {
            Some(uri) if recipient.redirect_uris.iter().any(|r| r == uri) => uri.to_owned(),
            _ => {
                return Ok(Err(Refusal::Page(
                    "This sign-in request names a return address the application did not \
                     register."
                        .into(),
                )))
            }
        };
        if let Some(problem) = self.first_problem(p) {
            let url = redirect_to(
                &redirect,
                &[
                    ("error", Some(problem.code())),
                    ("error_description", problem.description()),
                    ("state", p.state.as_deref()),
                    ("iss", Some(&self.settings.public_url)),
                ],
            );
            return Ok(Err(Refusal::Redirect(url)));
        }
        Ok(Ok(Valid {
            recipient: recipient.id,
            redirect_uri: redirect,
            scope: Scopes::parse(p.scope.as_deref().unwrap_or_default())
                .map(|s| s.to_scope())
                .unwrap_or_default(),
            state: p.state.clone(),
            nonce: p.nonce.clone(),
            code_challenge: p.code_challenge.clone().unwrap_or_default(),
        }))
    }

    /// What is wrong with a request whose recipient and redirect URI are fine, if anything.
    pub(super) fn first_problem(&self, p: &AuthorizeParams) -> Option<OAuthError> {
        if p.response_type.as_deref() != Some("code") {
            return Some(OAuthError::UnsupportedResponseType);
        }
        let challenge_ok = p
            .code_challenge
            .as_deref()
            .is_some_and(|c| (43..=128).contains(&c.len()) && c.bytes().all(is_base64url));
        if !challenge_ok || p.code_challenge_method.as_deref() != Some("S256") {
            return Some(OAuthError::InvalidRequest(
                "PKCE is required: send code_challenge with code_challenge_method=S256".into(),
            ));
        }
        if p.state.as_ref().is_some_and(|s| s.len() > 1024)
            || p.nonce.as_ref().is_some_and(|n| n.len() > 1024)
        {
            return Some(OAuthError::InvalidRequest(
                "state and nonce are limited to 1024 characters".into(),
            ));
        }
        Scopes::parse(p.scope.as_deref().unwrap_or_default()).err()
    }

    pub(super) fn request_record(
        &self,
        c: &Valid,
        id_hash: Vec<u8>,
        ttl: SignedDuration,
        lang: &str,
    ) -> AuthorizationRequest {
        let now = self.now();
        AuthorizationRequest {
            id_hash,
            recipient: c.recipient,
            redirect_uri: c.redirect_uri.clone(),
            scope: c.scope.clone(),
            state: c.state.clone(),
            nonce: c.nonce.clone(),
            code_challenge: c.code_challenge.clone(),
            created: now,
            expires: now + ttl,
            language: lang.to_owned(),
            credential: None,
            confirmed: false,
        }
    }
}

/// An authorization request that passed every check.
pub(super) struct Valid {
    recipient: RecipientId,
    redirect_uri: String,
    scope: String,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: String,
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}
