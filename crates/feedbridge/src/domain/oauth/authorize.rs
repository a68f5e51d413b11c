//! The authorization code flow up to the code: the request, once checked (`requests.rs`), is
//! opened as a sign-in held in the database (so any instance serves the next page), then walks
//! sign-in, the authentication prompt and consent. Allow ends
//! it with a code at the redirect URI, Deny with `access_denied`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use feedbridge_store::{
    AuthorizationCode, AuthorizationRequest, Consent, ConsentId, Credential, Effects, Recipient,
    SourceAccount, SourceAccountId, StoreError,
};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::clients::ClientCredentials;
use super::scopes::{DataCluster, Scopes};
use super::{OAuthError, CODE_TTL, PAR_TTL, SIGN_IN_TTL};
use crate::domain::feed::signon::Checked;
use crate::domain::{secrets, DomainError, DomainResult, Services};

/// The prefix of a pushed request's `request_uri` (RFC 9126).
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// The parameters of an authorization request, as sent in the query or pushed as a form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub request_uri: Option<String>,
}

/// Why an authorization request was turned away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The recipient or redirect URI cannot be trusted: say so on a page, never redirect.
    Page(String),
    /// Tell the recipient, at this URL (its redirect URI with `error` and `state`).
    Redirect(String),
}

/// A sign-in opened for a browser: the cookie value to set, and the request.
#[derive(Debug)]
pub struct Opened {
    pub cookie: String,
    pub request: AuthorizationRequest,
}

/// Where the hosted sign-in stands after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Ask for the confirmation code.
    Confirm,
    /// Ask for consent.
    Consent,
    /// Wrong username or password, or a pair that cannot be used: one answer for all.
    Refused,
    /// Too many failures from this address.
    AddressBlocked,
    /// The confirmation code was wrong, burnt or expired.
    WrongCode,
}

/// What the consent page offers.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The pair the user signed in with; the consent consumes it.
    pub credential: Credential,
    pub recipient: Recipient,
    pub clusters: Vec<DataCluster>,
    pub accounts: Vec<SourceAccount>,
    /// When the consent would end.
    pub until: Timestamp,
}

impl Services {
    /// Checks an authorization request, or takes the pushed one it names, and opens its
    /// sign-in in the language `lang`.
    pub async fn begin_authorization(
        &self,
        params: AuthorizeParams,
        lang: &str,
    ) -> DomainResult<Result<Opened, Refusal>> {
        let params = match params.request_uri.as_deref() {
            Some(uri) => match self
                .pushed_request(uri, params.client_id.as_deref())
                .await?
            {
                Some(pushed) => pushed,
                None => {
                    return Ok(Err(Refusal::Page(
                        "The sign-in request has expired or was already used. Go back and \
                         start again."
                            .into(),
                    )))
                }
            },
            None => params,
        };
        let checked = match self.check_request(&params).await? {
            Ok(checked) => checked,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let cookie = secrets::token();
        let request = self.request_record(&checked, self.sign_in_hash(&cookie), SIGN_IN_TTL, lang);
        self.store.insert_authorization_request(&request).await?;
        Ok(Ok(Opened { cookie, request }))
    }

    /// A pushed authorization request (RFC 9126): the recipient authenticates, the request is
    /// checked as `/authorize` would and kept for [`PAR_TTL`]. Returns the `request_uri`.
    pub async fn push_authorization(
        &self,
        client: &ClientCredentials,
        mut params: AuthorizeParams,
    ) -> DomainResult<Result<(String, SignedDuration), OAuthError>> {
        let recipient = match self.authenticate_recipient(client).await? {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        if params.request_uri.is_some() {
            return Ok(Err(OAuthError::InvalidRequest(
                "request_uri cannot be pushed".into(),
            )));
        }
        params.client_id = Some(recipient.id.to_string());
        let checked = match self.check_request(&params).await? {
            Ok(c) => c,
            Err(Refusal::Page(why)) => return Ok(Err(OAuthError::InvalidRequest(why))),
            Err(Refusal::Redirect(_)) => {
                return Ok(Err(self.first_problem(&params).unwrap_or(
                    OAuthError::InvalidRequest("the request is not valid".into()),
                )))
            }
        };
        let handle = secrets::token();
        let request = self.request_record(&checked, self.request_uri_hash(&handle), PAR_TTL, "en");
        self.store.insert_authorization_request(&request).await?;
        Ok(Ok((format!("{REQUEST_URI_PREFIX}{handle}"), PAR_TTL)))
    }

    /// The sign-in a browser cookie holds, while it lasts.
    pub async fn sign_in_request(
        &self,
        cookie: &str,
    ) -> DomainResult<Option<AuthorizationRequest>> {
        match self
            .store
            .get_authorization_request(&self.sign_in_hash(cookie))
            .await
        {
            Ok(r) if r.expires > self.now() => Ok(Some(r)),
            Ok(_) | Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The recipient a sign-in is for, to name it on the pages.
    pub async fn sign_in_recipient(
        &self,
        request: &AuthorizationRequest,
    ) -> DomainResult<Recipient> {
        Ok(self.store.get_recipient(request.recipient).await?)
    }

    /// The username and password step, with the feed's throttling and uniform refusals. A pair
    /// already paired (with an accounting platform, or by an earlier consent) cannot be used.
    pub async fn sign_in(
        &self,
        mut request: AuthorizationRequest,
        username: &str,
        password: &str,
        address: &str,
    ) -> DomainResult<Step> {
        let unpaired = |c: &Credential| c.paired.is_none() && c.consumed.is_none();
        let credential = match self
            .check_password(username.trim(), password, address, unpaired)
            .await?
        {
            Checked::Valid(c) => c,
            Checked::Refused => return Ok(Step::Refused),
            Checked::AddressBlocked => return Ok(Step::AddressBlocked),
        };
        request.credential = Some(credential.id);
        request.confirmed = !self.settings.feed.authentication_prompt;
        self.store.update_authorization_request(&request).await?;
        Ok(if request.confirmed {
            Step::Consent
        } else {
            Step::Confirm
        })
    }

    /// The authentication prompt's step: the connection's confirmation code.
    pub async fn confirm_sign_in(
        &self,
        mut request: AuthorizationRequest,
        answer: &str,
    ) -> DomainResult<Step> {
        let Some(credential) = self.signed_in(&request).await? else {
            return Ok(Step::Refused);
        };
        if !self.code_matches(credential.connection_id, answer).await? {
            return Ok(Step::WrongCode);
        }
        request.confirmed = true;
        self.store.update_authorization_request(&request).await?;
        Ok(Step::Consent)
    }

    /// What the consent page asks about; `None` until the user signed in and confirmed.
    pub async fn consent_offer(
        &self,
        request: &AuthorizationRequest,
    ) -> DomainResult<Option<Offer>> {
        if !request.confirmed {
            return Ok(None);
        }
        let Some(credential) = self.signed_in(request).await? else {
            return Ok(None);
        };
        let recipient = self.store.get_recipient(request.recipient).await?;
        let clusters = Scopes::parse(&request.scope)
            .map_err(|e| DomainError::Internal(format!("a stored scope no longer parses: {e}")))?
            .clusters;
        let accounts = self
            .feed_accounts(&credential)
            .await?
            .into_iter()
            .map(|(_, account)| account)
            .collect();
        Ok(Some(Offer {
            credential,
            recipient,
            clusters,
            accounts,
            until: self.now() + self.consent_duration(),
        }))
    }

    /// The user allowed the recipient to read `chosen` accounts: the consent is granted, the
    /// credential pair consumed, and the recipient receives a code. `Ok(None)` when the choice
    /// is not one the offer allowed (nothing changes); an error when the sign-in is not ready.
    pub async fn allow(
        &self,
        request: &AuthorizationRequest,
        chosen: &[String],
    ) -> DomainResult<Option<String>> {
        let Some(offer) = self.consent_offer(request).await? else {
            return Err(DomainError::Forbidden("the sign-in is not complete".into()));
        };
        let accounts: Vec<SourceAccountId> = offer
            .accounts
            .iter()
            .filter(|a| chosen.iter().any(|c| c == a.id.as_str()))
            .map(|a| a.id.clone())
            .collect();
        if accounts.is_empty() || accounts.len() != chosen.len() {
            return Ok(None);
        }
        let now = self.now();
        let connection = offer.credential.connection_id;
        let consent = Consent {
            id: ConsentId::new(),
            recipient: request.recipient,
            connection_id: connection,
            credential_id: offer.credential.id,
            accounts,
            data_clusters: offer
                .clusters
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            scope: request.scope.clone(),
            created: now,
            expires: now + self.consent_duration(),
            revocation: None,
        };
        let code = secrets::token();
        let stored_code = AuthorizationCode {
            hash: self.code_hash(&code),
            consent: consent.id,
            recipient: request.recipient,
            redirect_uri: request.redirect_uri.clone(),
            code_challenge: request.code_challenge.clone(),
            nonce: request.nonce.clone(),
            expires: now + CODE_TTL,
        };
        let effects = Effects::none().audit(self.feed_audit(
            Some(connection),
            "consent.granted",
            format!(
                "recipient {} ({}), consent {}, {} account(s)",
                offer.recipient.name,
                offer.recipient.id,
                consent.id,
                consent.accounts.len()
            ),
        ));
        match self
            .store
            .grant_consent(&consent, &stored_code, &request.id_hash, effects)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Err(DomainError::Forbidden(
                    "the credential pair was used or revoked meanwhile".into(),
                ))
            }
            Err(e) => return Err(e.into()),
        }
        Ok(Some(redirect_to(
            &request.redirect_uri,
            &[
                ("code", Some(code.as_str())),
                ("state", request.state.as_deref()),
                ("iss", Some(&self.settings.public_url)),
            ],
        )))
    }

    /// The user denied: the sign-in ends and the recipient hears `access_denied`.
    pub async fn deny(&self, request: &AuthorizationRequest) -> DomainResult<String> {
        match self
            .store
            .take_authorization_request(&request.id_hash)
            .await
        {
            Ok(_) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(redirect_to(
            &request.redirect_uri,
            &[
                ("error", Some("access_denied")),
                ("state", request.state.as_deref()),
                ("iss", Some(&self.settings.public_url)),
            ],
        ))
    }

    /// Records the language the user switched to.
    pub async fn set_sign_in_language(
        &self,
        mut request: AuthorizationRequest,
        lang: &str,
    ) -> DomainResult<()> {
        request.language = lang.to_owned();
        Ok(self.store.update_authorization_request(&request).await?)
    }

    /// How long a consent lasts.
    pub fn consent_duration(&self) -> SignedDuration {
        SignedDuration::from_hours(24 * i64::from(self.settings.feed.consent_days))
    }

    /// The CSRF token of a sign-in's forms.
    pub fn sign_in_csrf(&self, request: &AuthorizationRequest) -> String {
        let mac = self.keys.sessions.mac(&[b"sign-in csrf", &request.id_hash]);
        URL_SAFE_NO_PAD.encode(mac)
    }

    /// Compares a presented CSRF token in constant time.
    pub fn sign_in_csrf_matches(&self, request: &AuthorizationRequest, presented: &str) -> bool {
        let expected = self.sign_in_csrf(request);
        bool::from(expected.as_bytes().ct_eq(presented.as_bytes()))
    }

    pub(crate) fn code_hash(&self, code: &str) -> Vec<u8> {
        self.keys.oauth.mac(&[b"code", code.as_bytes()]).to_vec()
    }

    fn sign_in_hash(&self, cookie: &str) -> Vec<u8> {
        self.keys
            .oauth
            .mac(&[b"sign-in", cookie.as_bytes()])
            .to_vec()
    }

    pub(super) fn request_uri_hash(&self, handle: &str) -> Vec<u8> {
        self.keys
            .oauth
            .mac(&[b"request_uri", handle.as_bytes()])
            .to_vec()
    }

    /// The credential a sign-in was made with, while it is still usable.
    async fn signed_in(&self, request: &AuthorizationRequest) -> DomainResult<Option<Credential>> {
        let Some(id) = request.credential else {
            return Ok(None);
        };
        match self.store.get_credential(id).await {
            Ok(c) if c.revoked.is_none() && c.paired.is_none() => Ok(Some(c)),
            Ok(_) | Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// `base` with the given parameters added to its query (existing ones kept).
pub(super) fn redirect_to(base: &str, params: &[(&str, Option<&str>)]) -> String {
    let Ok(mut url) = url::Url::parse(base) else {
        return base.to_owned();
    };
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in params {
            if let Some(value) = value {
                query.append_pair(name, value);
            }
        }
    }
    url.into()
}
