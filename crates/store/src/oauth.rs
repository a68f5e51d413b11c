//! The `OAuthStore` and `ConsentStore` contracts: what the OpenID Connect authorization server
//! keeps so that any instance can answer any step of a flow another instance started — the data
//! recipients, the signing keys, authorization requests in progress (`OAuthStore`), consents (the
//! grants), their one-time codes and their refresh tokens (`ConsentStore`).
//!
//! Secrets are never stored as given: recipient secrets, codes, refresh tokens and the browser's
//! request id are kept as keyed hashes, and private signing keys sealed under the master secret.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::ids::{ConnectionId, ConsentId, CredentialId, RecipientId, SourceAccountId};
use crate::model::{Connection, Credential, Effects, SourceAccount};

/// A data recipient (an aggregator such as Intuit or Plaid) registered by the institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub id: RecipientId,
    pub name: String,
    /// Keyed hash of the client secret.
    pub secret_hash: Vec<u8>,
    /// Redirect URIs, matched exactly.
    pub redirect_uris: Vec<String>,
    pub created: Timestamp,
}

/// A key that signs tokens (ES256). The public half is published in the JWKS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub kid: String,
    /// The public point's coordinates, base64url as in a JWK.
    pub x: String,
    pub y: String,
    /// The PKCS#8 private key, sealed under a key derived from the master secret.
    pub sealed_private: Vec<u8>,
    pub created: Timestamp,
    /// After a rotation, when the key leaves the JWKS.
    pub retire_after: Option<Timestamp>,
}

/// An authorization request on its way through the hosted pages, or pushed (PAR) and waiting for
/// the browser. Keyed by the hash of the browser's cookie or of the `request_uri`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    pub id_hash: Vec<u8>,
    pub recipient: RecipientId,
    pub redirect_uri: String,
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// The PKCE S256 challenge.
    pub code_challenge: String,
    pub created: Timestamp,
    pub expires: Timestamp,
    /// `en` or `fr`.
    pub language: String,
    /// The credential pair the user signed in with, once they did.
    pub credential: Option<CredentialId>,
    /// Whether the authentication prompt was answered (or is off).
    pub confirmed: bool,
}

/// Why and by whom a consent was ended (FDX `ConsentRevocation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRevocation {
    pub at: Timestamp,
    /// FDX reason: `BUSINESS_RULE` or `USER_ACTION`.
    pub reason: String,
    /// FDX party type of who ended it, e.g. `DATA_RECIPIENT` or `INDIVIDUAL`.
    pub initiator: String,
}

/// A consent: the grant a user gave a recipient on one connection's accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: ConsentId,
    pub recipient: RecipientId,
    pub connection_id: ConnectionId,
    /// The credential pair the consent consumed; revoking it ends the consent.
    pub credential_id: CredentialId,
    pub accounts: Vec<SourceAccountId>,
    /// FDX data clusters, e.g. `ACCOUNT_BASIC`, `TRANSACTIONS`.
    pub data_clusters: Vec<String>,
    pub scope: String,
    pub created: Timestamp,
    pub expires: Timestamp,
    pub revocation: Option<ConsentRevocation>,
}

/// A one-time authorization code, valid for a minute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    pub hash: Vec<u8>,
    pub consent: ConsentId,
    pub recipient: RecipientId,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub nonce: Option<String>,
    pub expires: Timestamp,
}

/// What redeeming a code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// First use: the code is now spent.
    Fresh(AuthorizationCode),
    /// The code was already spent: a replay.
    Replayed(AuthorizationCode),
}

/// One refresh token of a consent; only the newest unspent one of a consent works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    pub hash: Vec<u8>,
    pub consent: ConsentId,
    pub created: Timestamp,
}

/// What presenting a refresh token found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// The token was live; it is now spent and its successor stored.
    Rotated(ConsentId),
    /// The token was spent already: someone replays it.
    Replayed(ConsentId),
}

#[async_trait]
pub trait OAuthStore: Send + Sync {
    async fn insert_recipient(&self, recipient: &Recipient) -> StoreResult<()>;
    async fn get_recipient(&self, id: RecipientId) -> StoreResult<Recipient>;
    /// Oldest first.
    async fn list_recipients(&self) -> StoreResult<Vec<Recipient>>;
    async fn set_recipient_secret(&self, id: RecipientId, secret_hash: &[u8]) -> StoreResult<()>;
    /// Replaces a recipient's redirect URIs; `NotFound` when there is no such recipient.
    async fn set_recipient_redirect_uris(
        &self,
        id: RecipientId,
        redirect_uris: &[String],
    ) -> StoreResult<()>;
    /// Removes the recipient and, with it, its consents, codes and tokens.
    async fn delete_recipient(&self, id: RecipientId) -> StoreResult<()>;

    /// Stores a new signing key; every older key still published leaves the JWKS after
    /// `retire_others_after` (a rotation's overlap).
    async fn insert_signing_key(
        &self,
        key: &SigningKey,
        retire_others_after: Option<Timestamp>,
    ) -> StoreResult<()>;
    /// Keys still published at `at`, newest first: the first one signs.
    async fn list_signing_keys(&self, at: Timestamp) -> StoreResult<Vec<SigningKey>>;

    async fn insert_authorization_request(&self, request: &AuthorizationRequest)
        -> StoreResult<()>;
    async fn get_authorization_request(&self, id_hash: &[u8]) -> StoreResult<AuthorizationRequest>;
    /// Records the sign-in, the prompt's answer or a language switch.
    async fn update_authorization_request(&self, request: &AuthorizationRequest)
        -> StoreResult<()>;
    /// Removes the request and returns it: a pushed request is used once.
    async fn take_authorization_request(&self, id_hash: &[u8])
        -> StoreResult<AuthorizationRequest>;
    /// Forgets requests that expired before `before`; returns how many.
    async fn purge_authorization_requests(&self, before: Timestamp) -> StoreResult<u64>;
}

/// What a sign-in grants: the consent, its single-use code and its rotating refresh tokens, and
/// the ways it ends.
#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// The user allowed: stores the consent and its code, consumes the credential pair (which
    /// must be neither revoked nor already paired, else `Conflict` and nothing is written) and
    /// ends the authorization request, as one change.
    async fn grant_consent(
        &self,
        consent: &Consent,
        code: &AuthorizationCode,
        request_hash: &[u8],
        effects: Effects,
    ) -> StoreResult<()>;
    /// Spends a code of `recipient`; one spent before comes back as `Replayed`, and another
    /// recipient's code is `NotFound` and stays as it was.
    async fn redeem_code(
        &self,
        hash: &[u8],
        recipient: RecipientId,
        at: Timestamp,
    ) -> StoreResult<Redeemed>;
    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()>;
    /// Spends a live refresh token of `recipient` and stores its successor `next` (for the
    /// same consent), as one change. A spent one comes back as `Replayed`; another recipient's
    /// token is `NotFound` and stays as it was.
    async fn rotate_refresh_token(
        &self,
        presented: &[u8],
        next: &[u8],
        recipient: RecipientId,
        at: Timestamp,
    ) -> StoreResult<Rotation>;
    /// The consent of a refresh token of `recipient`, spent or not.
    async fn find_refresh_token(
        &self,
        hash: &[u8],
        recipient: RecipientId,
    ) -> StoreResult<ConsentId>;
    async fn get_consent(&self, id: ConsentId) -> StoreResult<Consent>;
    /// The credential pair a sign-in was made with, by id.
    async fn get_credential(&self, id: CredentialId) -> StoreResult<Credential>;
    /// The connection's consents, oldest first.
    async fn list_consents(&self, connection: ConnectionId) -> StoreResult<Vec<Consent>>;
    /// Ends a consent: records the revocation, revokes the credential pair it consumed and
    /// writes the accounts (and connection) its end stops, as one change.
    async fn end_consent(
        &self,
        id: ConsentId,
        revocation: &ConsentRevocation,
        stopped: &[SourceAccount],
        connection: Option<&Connection>,
        effects: Effects,
    ) -> StoreResult<()>;
}
