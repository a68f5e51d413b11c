//! OpenID Connect for the FDX feed (SPEC §15). A data recipient (an aggregator such as Intuit
//! or Plaid) sends the SMB user to the institution's hosted sign-in; the user signs in with the
//! one-time credentials of the Link UI, answers the authentication prompt and allows the
//! recipient to read chosen accounts. That consent plays the part of the OFX pairing: it
//! consumes the credential pair, and the recipient's tokens are bound to it.
//!
//! Nothing here knows HTTP: the handlers in `http/oauth` turn requests into these calls and
//! the answers into OAuth's wire shapes.

pub mod authorize;
pub mod clients;
pub mod consents;
pub mod keys;
pub mod recipients;
mod requests;
pub mod scopes;
pub mod tokens;

use jiff::SignedDuration;

/// How long an authorization code may wait for its exchange.
pub const CODE_TTL: SignedDuration = SignedDuration::from_secs(60);
/// How long an access token works.
pub const ACCESS_TTL: SignedDuration = SignedDuration::from_mins(15);
/// How long a pushed authorization request waits for the browser (RFC 9126).
pub const PAR_TTL: SignedDuration = SignedDuration::from_secs(90);
/// How long the hosted sign-in may take, from the authorization request to Allow or Deny.
pub const SIGN_IN_TTL: SignedDuration = SignedDuration::from_mins(15);

/// Why an OAuth request was refused, as RFC 6749 names it; the text helps the recipient's
/// developers and never says which of several secrets was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    #[error("invalid_request: {0}")]
    InvalidRequest(String),
    #[error("invalid_client")]
    InvalidClient,
    #[error("invalid_grant: {0}")]
    InvalidGrant(String),
    #[error("unauthorized_client: {0}")]
    UnauthorizedClient(String),
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    #[error("unsupported_response_type")]
    UnsupportedResponseType,
    #[error("invalid_scope: {0}")]
    InvalidScope(String),
    #[error("access_denied")]
    AccessDenied,
}

impl OAuthError {
    /// The `error` code of the wire answer.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::UnauthorizedClient(_) => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope(_) => "invalid_scope",
            Self::AccessDenied => "access_denied",
        }
    }

    /// The `error_description`, if there is more to say than the code.
    pub fn description(&self) -> Option<&str> {
        match self {
            Self::InvalidRequest(d)
            | Self::InvalidGrant(d)
            | Self::UnauthorizedClient(d)
            | Self::InvalidScope(d) => Some(d),
            _ => None,
        }
    }
}
