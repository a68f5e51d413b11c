//! "Get credentials": a POST that creates a pair and shows it in its own response, once. The
//! secrets never travel in a URL and no GET can show them again.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use crate::http::AppState;

use super::csrf;
use super::error::{PageError, PageResult};
use super::page::Chrome;
use super::session::Session;

/// The body of every Link UI form: at least the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Checks origin and token of a form post; a missing or unreadable form is refused the same way.
pub fn checked(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<(), PageError> {
    let token = form.map(|Form(f)| f.csrf).unwrap_or_default();
    csrf::check(state, headers, session, &token)
}

#[derive(Template, WebTemplate)]
#[template(path = "link/credentials.html")]
pub struct CredentialsPage {
    chrome: Chrome,
    username: String,
    password: String,
    code: String,
    code_valid: String,
    back: String,
    revoke: String,
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> PageResult<Response> {
    checked(&state, &headers, &session, form)?;
    let services = &state.services;
    let active = &session.active;
    let issued = services
        .generate_credentials(&active.company, &active.connection)
        .await
        .map_err(|e| session.error(e))?;
    let chrome = session.chrome(&state, "setup");
    let time = issued
        .code
        .expires
        .to_zoned(services.settings.time_zone.clone())
        .strftime("%H:%M %Z")
        .to_string();
    let page = CredentialsPage {
        code_valid: chrome.t.code_valid.replace("{time}", &time),
        username: issued.username,
        password: issued.password,
        code: issued.code.code,
        back: format!("{}/setup", session.path()),
        revoke: format!("{}/revoke", session.path()),
        chrome,
    };
    let mut response = page.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
