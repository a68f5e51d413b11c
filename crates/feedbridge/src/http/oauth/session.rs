//! The hosted sign-in's cookie and the extractor that turns it into the authorization request
//! in progress. No cookie, an unknown one or an expired sign-in is the same "sign-in ended"
//! page.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderValue;

use feedbridge_store::AuthorizationRequest;

use crate::http::link::error::{Failure, PageError};
use crate::http::link::headers::{Nonce, RequestLang};
use crate::http::link::i18n::Lang;
use crate::http::link::page::Chrome;
use crate::http::link::session::cookie_value;
use crate::http::AppState;

/// Name of the sign-in cookie; its path keeps it to the authorization server's pages.
pub const COOKIE: &str = "feedbridge_signin";
/// Where the sign-in cookie is sent.
pub const PATH: &str = "/oauth2";

/// The `Set-Cookie` value of a new sign-in.
pub fn set_cookie(value: &str, max_age_seconds: i64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path={PATH}; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// The `Set-Cookie` value that ends a sign-in in the browser.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("feedbridge_signin=; Path=/oauth2; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// A sign-in in progress.
pub struct SignIn {
    pub request: AuthorizationRequest,
    pub lang: Lang,
    pub csrf: String,
    nonce: String,
}

impl SignIn {
    /// The page frame, with a language switch that keeps the sign-in.
    pub fn chrome(&self, state: &AppState) -> Chrome {
        Chrome::new(
            &state.services.settings.institution,
            self.lang,
            self.nonce.clone(),
        )
        .with_session(format!("{PATH}/language"), self.csrf.clone(), "")
    }

    pub fn error(&self, e: impl Into<PageError>) -> PageError {
        e.into().in_lang(self.lang)
    }
}

impl FromRequestParts<AppState> for SignIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let fallback = parts
            .extensions
            .get::<RequestLang>()
            .map_or(Lang::En, |l| l.0);
        let ended = || PageError::new(Failure::SignInEnded).in_lang(fallback);
        let value = cookie_value(&parts.headers, COOKIE).ok_or_else(ended)?;
        let request = state
            .services
            .sign_in_request(value)
            .await
            .map_err(|e| PageError::from(e).in_lang(fallback))?
            .ok_or_else(ended)?;
        let lang = Lang::parse(&request.language).unwrap_or(fallback);
        let csrf = state.services.sign_in_csrf(&request);
        let nonce = parts
            .extensions
            .get::<Nonce>()
            .map(|n| n.0.clone())
            .unwrap_or_default();
        Ok(Self {
            request,
            lang,
            csrf,
            nonce,
        })
    }
}
