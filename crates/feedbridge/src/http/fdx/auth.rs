//! Who is calling `/fdx/v6`: a bearer access token of a live consent, or (for the Consent API
//! only) the recipient itself with its client credentials.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::domain::fdx::consents::Asker;
use crate::domain::fdx::FdxError;
use crate::domain::oauth::tokens::Bearer;
use crate::http::oauth::endpoints::{bearer, client_credentials};
use crate::http::AppState;

use super::error::Refused;

/// A live consent's access token.
pub struct Consented(pub Bearer);

impl FromRequestParts<AppState> for Consented {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        let token = bearer(&parts.headers).ok_or_else(FdxError::not_authorized)?;
        let found = state.services.bearer(token).await?;
        found
            .map(Consented)
            .ok_or_else(|| FdxError::not_authorized().into())
    }
}

/// The Consent API's caller: the consent's token, or the recipient's client credentials.
pub struct ConsentAsker(pub Asker);

impl FromRequestParts<AppState> for ConsentAsker {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        if let Some(token) = bearer(&parts.headers) {
            let found = state.services.bearer(token).await?;
            return found
                .map(|b| Self(Asker::Bearer(Box::new(b))))
                .ok_or_else(|| FdxError::not_authorized().into());
        }
        let client = client_credentials(&parts.headers, None, None)
            .map_err(|_| FdxError::not_authorized())?;
        match state.services.authenticate_recipient(&client).await? {
            Ok(recipient) => Ok(Self(Asker::Recipient(recipient))),
            Err(_) => Err(FdxError::not_authorized().into()),
        }
    }
}

/// Any extractor whose refusal (an unreadable query string or path) must still be an FDX error
/// body, with code 401 (invalid input).
pub struct Checked<E>(pub E);

impl<S, E> FromRequestParts<S> for Checked<E>
where
    S: Send + Sync,
    E: FromRequestParts<S>,
    E::Rejection: std::fmt::Display,
{
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refused> {
        E::from_request_parts(parts, state)
            .await
            .map(Checked)
            .map_err(|e| FdxError::invalid_input(e.to_string()).into())
    }
}
