//! Back from the institution's hosted sign-in (FDX): the redirect URI. An answer to the
//! pending request brings a code, which is redeemed for tokens (the ID token checked) before
//! the consented accounts are listed; a denial or an error is shown on the terms page, from
//! which "I agree" starts a fresh request.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::link::terms_view;
use super::{bank_name, restart, Shared};
use crate::error::Problem;
use crate::fdx::{self, Callback, Rejected};
use crate::feed::{Feed, Session};

pub async fn callback(State(app): State<Shared>, Query(callback): Query<Callback>) -> Response {
    let Feed::Fdx(client) = &app.feed else {
        return restart().into_response();
    };
    let mut state = app.state.lock().await;
    let bank = bank_name(&state);
    // An answer to no request of ours changes nothing: the pending one stays usable.
    let Some(authorization) = state
        .link
        .as_mut()
        .and_then(|f| f.authorization.take_if(|a| a.answers(&callback)))
    else {
        return restart().into_response();
    };
    let problem = match authorization.code(callback, client.issuer()) {
        Ok(code) => match fdx::Session::sign_in(client.clone(), &code, &authorization).await {
            Ok((session, accounts)) => {
                if let Some(flow) = state.link.as_mut() {
                    flow.session = Some(Session::Fdx(session));
                    flow.accounts = accounts;
                }
                return Redirect::to("/link/accounts").into_response();
            }
            Err(e) => e.problem(&bank),
        },
        Err(Rejected::Unrelated) => return restart().into_response(),
        Err(Rejected::Denied) => Problem::plain(format!(
            "You didn't allow access to your accounts at {bank}. Choose \"I agree\" to sign in \
             again."
        )),
        Err(Rejected::Failed(e)) => e.problem(&bank),
    };
    terms_view(&state, &app.feed, Some(problem))
}
