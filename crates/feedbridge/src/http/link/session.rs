//! The session cookie and the extractor that turns it into a live session for the connection
//! named in the URL. Anything wrong (no cookie, unknown, idle, expired, other connection, unlinked)
//! is the same "link expired" page.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};

use crate::domain::link_sessions::ActiveSession;
use crate::http::AppState;

use super::error::PageError;
use super::headers::{Nonce, RequestLang};
use super::i18n::Lang;
use super::ids::ConnectionIds;
use super::page::Chrome;

/// Name of the session cookie; its path keeps it off every other route.
pub const COOKIE: &str = "feedbridge_link";

/// The `Set-Cookie` value of a new session.
pub fn set_cookie(value: &str, max_age_seconds: i64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/link; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// The value of the cookie `name` the request carries.
pub fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (cookie, value) = pair.trim().split_once('=')?;
            (cookie == name).then_some(value)
        })
}

/// Where the pages of a connection live.
pub fn pages_path(active: &ActiveSession) -> String {
    format!(
        "/link/companies/{}/connections/{}",
        active.company.id, active.connection.id
    )
}

/// A live session of the connection in the URL.
pub struct Session {
    pub active: ActiveSession,
    pub lang: Lang,
    pub csrf: String,
    nonce: String,
}

impl Session {
    /// Base path of this connection's pages.
    pub fn path(&self) -> String {
        pages_path(&self.active)
    }

    /// The page frame, with a language switch that returns to `back`.
    pub fn chrome(&self, state: &AppState, back: &'static str) -> Chrome {
        Chrome::new(
            &state.services.settings.institution,
            self.lang,
            self.nonce.clone(),
        )
        .with_session(format!("{}/language", self.path()), self.csrf.clone(), back)
    }

    pub fn error(&self, e: impl Into<PageError>) -> PageError {
        e.into().in_lang(self.lang)
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let fallback = parts
            .extensions
            .get::<RequestLang>()
            .map_or(Lang::En, |l| l.0);
        let ConnectionIds {
            company,
            connection,
        } = ConnectionIds::from_request_parts(parts, state).await?;
        let value = cookie_value(&parts.headers, COOKIE).ok_or_else(PageError::expired)?;
        let active = state
            .services
            .link_session(value, company, connection)
            .await
            .map_err(|e| PageError::from(e).in_lang(fallback))?;
        let lang = Lang::parse(&active.session.language).unwrap_or(fallback);
        let csrf = state.services.csrf_token(&active.session);
        let nonce = parts
            .extensions
            .get::<Nonce>()
            .map(|n| n.0.clone())
            .unwrap_or_default();
        Ok(Self {
            active,
            lang,
            csrf,
            nonce,
        })
    }
}
