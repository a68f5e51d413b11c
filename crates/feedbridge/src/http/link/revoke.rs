//! "Revoke credentials": a confirmation step (a page of its own, so it works without JavaScript),
//! then the revocation of every pair, saying which accounts stopped receiving feeds.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Form;

use crate::http::AppState;

use super::connect::AccountView;
use super::credentials::{checked, CsrfForm};
use super::error::PageResult;
use super::page::Chrome;
use super::session::Session;

#[derive(Template, WebTemplate)]
#[template(path = "link/revoke.html")]
pub struct ConfirmPage {
    chrome: Chrome,
    action: String,
    csrf: String,
    back: String,
}

pub async fn confirm(State(state): State<AppState>, session: Session) -> ConfirmPage {
    ConfirmPage {
        chrome: session.chrome(&state, "revoke"),
        action: format!("{}/revoke", session.path()),
        csrf: session.csrf.clone(),
        back: format!("{}/setup", session.path()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "link/revoked.html")]
pub struct RevokedPage {
    chrome: Chrome,
    stopped: Vec<AccountView>,
    again: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> PageResult<RevokedPage> {
    checked(&state, &headers, &session, form)?;
    let active = &session.active;
    let revocation = state
        .services
        .revoke_credentials(
            &active.company,
            &active.connection,
            "revoked in the Link UI",
        )
        .await
        .map_err(|e| session.error(e))?;
    Ok(RevokedPage {
        chrome: session.chrome(&state, "setup"),
        stopped: revocation.stopped.iter().map(AccountView::of).collect(),
        again: format!("{}/setup", session.path()),
    })
}
