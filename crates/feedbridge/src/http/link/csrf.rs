//! The checks every state-changing page request passes before anything changes (the Link UI's
//! and the hosted sign-in's): the request must come from our own pages (`Origin`,
//! `Sec-Fetch-Site`) and carry its session's CSRF token.

use axum::http::HeaderMap;

use crate::http::AppState;

use super::error::PageError;
use super::i18n::Lang;
use super::page::origin_of;
use super::session::Session;

/// Refuses a POST that another site could have sent.
pub fn check(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
    token: &str,
) -> Result<(), PageError> {
    let token_ok = state.services.csrf_matches(&session.active.session, token);
    check_origin_and(state, headers, session.lang, token_ok)
}

/// The origin checks every page form passes, then the form's own token check (`token_ok`),
/// refused in `lang`. Shared by the Link UI and the hosted sign-in.
pub fn check_origin_and(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    token_ok: bool,
) -> Result<(), PageError> {
    let refused = || PageError::forbidden().in_lang(lang);
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return Err(refused());
        }
    }
    // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` on form posts; it is
    // accepted only when the browser also vouches that the request is same-origin.
    match header("origin") {
        Some("null") if header("sec-fetch-site") != Some("same-origin") => return Err(refused()),
        Some("null") | None => {}
        Some(origin) if origin != origin_of(&state.services.settings.public_url) => {
            return Err(refused())
        }
        Some(_) => {}
    }
    if !token_ok {
        return Err(refused());
    }
    Ok(())
}
