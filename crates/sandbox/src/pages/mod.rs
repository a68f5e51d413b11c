//! The sandbox's pages: server-rendered HTML, one file per part of the flow, shared by both
//! feeds.
//!
//! Every state change is a POST answered with a redirect to the page that shows the result, so
//! reloading never repeats a feed request. Failures are rendered on the page the user is on.
//! Only signing in differs: over OFX the sandbox asks for the credentials itself
//! ([`sign_in`]); over FDX "I agree" sends the browser to the institution, which sends it back
//! to [`callback`].

mod banking;
mod callback;
mod link;
mod select;
mod sign_in;

use std::sync::Arc;

use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;

use crate::state::Sandbox;
use crate::App;

type Shared = Arc<App>;

/// Shown wherever the institution's name is needed but could not be learned yet.
const UNKNOWN_BANK: &str = "your bank";

pub fn router(app: Shared) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/banking") }))
        .route("/banking", get(banking::page))
        .route("/update", post(banking::update))
        .route("/disconnect", post(banking::disconnect_all))
        .route("/accounts/{index}/disconnect", post(banking::disconnect))
        .route("/link", get(link::search))
        .route("/link/institution", post(link::pick))
        .route("/link/terms", get(link::terms).post(link::agree))
        .route("/link/sign-in", get(sign_in::page).post(sign_in::sign_in))
        .route(
            "/link/confirm",
            get(sign_in::confirm_page).post(sign_in::confirm),
        )
        .route(crate::CALLBACK_PATH, get(callback::callback))
        .route("/link/accounts", get(select::page))
        .route("/link/connect", post(select::connect))
        .with_state(app)
}

/// The institution's name, asking the feed now if the background attempt has not succeeded
/// yet.
async fn institution(app: &App, state: &mut Sandbox) -> Option<String> {
    if state.institution.is_none() {
        match app.feed.institution_name().await {
            Ok(name) => state.institution = Some(name),
            Err(e) => tracing::warn!(error = %e, "could not learn the institution's name"),
        }
    }
    state.institution.clone()
}

/// The name to show for the institution being linked.
fn bank_name(state: &Sandbox) -> String {
    state
        .institution
        .clone()
        .unwrap_or_else(|| UNKNOWN_BANK.to_owned())
}

#[cfg(test)]
mod tests;

/// Where to go when a step is requested out of order.
fn restart() -> Redirect {
    Redirect::to("/link")
}
