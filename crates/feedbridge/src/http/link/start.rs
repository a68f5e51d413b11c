//! Where a user arrives: the `linkUrl` (which opens a session and drops the token from the
//! address bar) and the company `redirect` page that says where to start.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use crate::http::AppState;

use super::error::{PageError, PageResult};
use super::headers::{Nonce, RequestLang};
use super::ids::{CompanyIds, ConnectionIds};
use super::page::Chrome;
use super::session::set_cookie;

/// `GET …/connections/{connectionId}/start?otp=TOKEN`: checks the token, opens a session and
/// sends the browser on to a URL without the token.
pub async fn open(
    State(state): State<AppState>,
    Extension(RequestLang(lang)): Extension<RequestLang>,
    ids: Result<ConnectionIds, PageError>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult<Response> {
    let expired = || PageError::expired().in_lang(lang);
    // A link to an id that cannot exist is answered like any other link that no longer works.
    let ConnectionIds {
        company,
        connection,
    } = ids.map_err(|_| expired())?;
    let token = query.get("otp").ok_or_else(expired)?;
    let services = &state.services;
    let grant = services
        .verify_link(company, connection, token)
        .await
        .map_err(|e| PageError::from(e).in_lang(lang))?;
    let opened = services.open_link_session(&grant, lang.code()).await?;
    let max_age = opened
        .expires
        .duration_since(services.now())
        .as_secs()
        .max(1);
    let secure = services.settings.public_url.starts_with("https://");
    let cookie = set_cookie(&opened.cookie_value, max_age, secure).ok_or_else(expired)?;
    let location = HeaderValue::from_str(&format!(
        "/link/companies/{company}/connections/{connection}"
    ))
    .map_err(|_| expired())?;
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response.headers_mut().insert(header::LOCATION, location);
    Ok(response)
}

/// The company's `redirect`: there is nothing to do here without a link, so it says where to go.
#[derive(Template, WebTemplate)]
#[template(path = "link/company.html")]
pub struct CompanyPage {
    chrome: Chrome,
}

pub async fn company(
    State(state): State<AppState>,
    Extension(RequestLang(lang)): Extension<RequestLang>,
    Extension(Nonce(nonce)): Extension<Nonce>,
    CompanyIds(id): CompanyIds,
) -> PageResult<CompanyPage> {
    state
        .services
        .redirect_company(id)
        .await
        .map_err(|e| PageError::from(e).in_lang(lang))?;
    let chrome = Chrome::new(&state.services.settings.institution, lang, nonce);
    Ok(CompanyPage { chrome })
}
