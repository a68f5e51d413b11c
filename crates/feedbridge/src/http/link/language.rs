//! The language switch of session pages: a POST (it changes the session) that returns to the page
//! it came from.

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Redirect;
use axum::Form;
use serde::Deserialize;

use crate::http::AppState;

use super::csrf;
use super::error::{PageError, PageResult};
use super::i18n::Lang;
use super::session::Session;

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn switch(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    form: Result<Form<LanguageForm>, FormRejection>,
) -> PageResult<Redirect> {
    let Ok(Form(form)) = form else {
        return Err(PageError::forbidden().in_lang(session.lang));
    };
    csrf::check(&state, &headers, &session, &form.csrf)?;
    let lang = Lang::parse(&form.lang).unwrap_or(session.lang);
    state
        .services
        .set_link_language(&session.active, lang.code())
        .await
        .map_err(|e| session.error(e))?;
    // Only our own pages are valid targets, so the switch cannot become an open redirect.
    let page = match form.back.as_str() {
        "setup" => "/setup",
        "revoke" => "/revoke",
        _ => "",
    };
    Ok(Redirect::to(&format!("{}{page}", session.path())))
}
