//! Signing in over OFX, on the sandbox's own pages as QuickBooks does for Direct Connect: the
//! one-time username and password, then the confirmation code when the institution asks.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use feedbridge_ofx::MfaChallengeAnswer;
use serde::Deserialize;

use super::{bank_name, restart, Shared};
use crate::error::Problem;
use crate::feed::{Feed, Session};
use crate::ofx::{Credentials, SignIn};
use crate::state::Sandbox;

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
struct SignInPage {
    bank: String,
    username: String,
    problem: Option<Problem>,
}

/// Whether the flow is where the OFX sign-in belongs: terms agreed, over OFX.
fn at_sign_in(state: &Sandbox, feed: &Feed) -> bool {
    matches!(feed, Feed::Ofx(_)) && state.link.as_ref().is_some_and(|f| f.agreed)
}

pub async fn page(State(app): State<Shared>) -> Response {
    let state = app.state.lock().await;
    if !at_sign_in(&state, &app.feed) {
        return restart().into_response();
    }
    SignInPage {
        bank: bank_name(&state),
        username: String::new(),
        problem: None,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
}

pub async fn sign_in(State(app): State<Shared>, Form(form): Form<SignInForm>) -> Response {
    let mut state = app.state.lock().await;
    let Feed::Ofx(client) = &app.feed else {
        return restart().into_response();
    };
    if !at_sign_in(&state, &app.feed) {
        return restart().into_response();
    }
    let bank = bank_name(&state);
    let page = |problem: Problem| SignInPage {
        bank: bank.clone(),
        username: form.username.clone(),
        problem: Some(problem),
    };
    let (username, password) = (form.username.trim(), form.password.trim());
    if username.is_empty() || password.is_empty() {
        return page(Problem::plain("Enter your username and password.")).into_response();
    }
    let credentials = Credentials {
        userid: username.to_owned(),
        userpass: password.to_owned(),
        accesskey: None,
    };
    let outcome = client.sign_in(credentials).await;
    let Some(flow) = state.link.as_mut() else {
        return restart().into_response();
    };
    match outcome {
        Ok(SignIn::Done(session, accounts)) => {
            flow.session = Some(Session::Ofx(session));
            flow.accounts = accounts;
            Redirect::to("/link/accounts").into_response()
        }
        Ok(SignIn::Challenge(challenge)) if !challenge.challenges.is_empty() => {
            flow.challenge = Some(challenge);
            Redirect::to("/link/confirm").into_response()
        }
        Ok(SignIn::Challenge(_)) => page(Problem::plain(
            "The bank asked for a confirmation but sent no question.",
        ))
        .into_response(),
        Err(e) => page(e.problem(&bank)).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    bank: String,
    fields: Vec<CodeField>,
    problem: Option<Problem>,
}

struct CodeField {
    name: String,
    label: String,
    hint: Option<String>,
}

/// The confirmation page, or back to the start when no challenge is pending.
fn confirm_view(state: &Sandbox, problem: Option<Problem>) -> Response {
    let Some(challenge) = state.link.as_ref().and_then(|f| f.challenge.as_ref()) else {
        return restart().into_response();
    };
    let single = challenge.challenges.len() == 1;
    let fields = challenge
        .challenges
        .iter()
        .enumerate()
        .map(|(i, c)| CodeField {
            name: format!("answer_{i}"),
            label: match (&c.label, single) {
                (Some(label), false) => label.clone(),
                _ => "Confirmation code".to_owned(),
            },
            hint: c.label.clone().filter(|_| single),
        })
        .collect::<Vec<_>>();
    if fields.is_empty() {
        return restart().into_response();
    }
    ConfirmPage {
        bank: bank_name(state),
        fields,
        problem,
    }
    .into_response()
}

pub async fn confirm_page(State(app): State<Shared>) -> Response {
    confirm_view(&*app.state.lock().await, None)
}

pub async fn confirm(
    State(app): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut state = app.state.lock().await;
    let Feed::Ofx(client) = &app.feed else {
        return restart().into_response();
    };
    let Some(challenge) = state.link.as_ref().and_then(|f| f.challenge.clone()) else {
        return restart().into_response();
    };
    let answers: Vec<MfaChallengeAnswer> = challenge
        .challenges
        .iter()
        .enumerate()
        .map(|(i, c)| MfaChallengeAnswer {
            phrase_id: c.phrase_id.clone(),
            answer: form
                .get(&format!("answer_{i}"))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default(),
        })
        .collect();
    if answers.iter().any(|a| a.answer.is_empty()) {
        let problem = Problem::plain("Enter the confirmation code.");
        return confirm_view(&state, Some(problem));
    }
    match client.answer(&challenge, answers).await {
        Ok((session, accounts)) => {
            if let Some(flow) = state.link.as_mut() {
                flow.session = Some(Session::Ofx(session));
                flow.accounts = accounts;
                flow.challenge = None;
            }
            Redirect::to("/link/accounts").into_response()
        }
        Err(e) => {
            let problem = e.problem(&bank_name(&state));
            confirm_view(&state, Some(problem))
        }
    }
}
