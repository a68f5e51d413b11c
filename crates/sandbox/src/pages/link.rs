//! "Link account", up to the authentication prompt: find the institution, agree to the terms,
//! sign in with the one-time credentials, answer the confirmation code.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use feedbridge_ofx::MfaChallengeAnswer;
use serde::Deserialize;

use super::{bank_name, institution, restart, Shared};
use crate::error::Problem;
use crate::feed::SignIn;
use crate::requests::Credentials;
use crate::state::{LinkFlow, Sandbox};

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
struct SearchPage {
    query: String,
    institutions: Vec<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search(State(app): State<Shared>, Query(query): Query<SearchQuery>) -> Response {
    let mut state = app.state.lock().await;
    let own = institution(&app, &mut state).await;
    let needle = query.q.trim().to_lowercase();
    let institutions = own
        .into_iter()
        .chain(app.others.iter().cloned())
        .filter(|name| name.to_lowercase().contains(&needle))
        .collect();
    SearchPage {
        query: query.q,
        institutions,
        notice: None,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct PickForm {
    institution: String,
}

pub async fn pick(State(app): State<Shared>, Form(form): Form<PickForm>) -> Response {
    let mut state = app.state.lock().await;
    let own = institution(&app, &mut state).await;
    if own.as_deref() == Some(form.institution.as_str()) {
        state.link = Some(LinkFlow::default());
        return Redirect::to("/link/terms").into_response();
    }
    let institutions = own.into_iter().chain(app.others.iter().cloned()).collect();
    SearchPage {
        query: String::new(),
        institutions,
        notice: Some(format!(
            "{} doesn't offer bank feeds in this sandbox. Choose another institution.",
            form.institution
        )),
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "terms.html")]
struct TermsPage {
    bank: String,
}

pub async fn terms(State(app): State<Shared>) -> Response {
    let state = app.state.lock().await;
    if state.link.is_none() {
        return restart().into_response();
    }
    TermsPage {
        bank: bank_name(&state),
    }
    .into_response()
}

pub async fn agree(State(app): State<Shared>) -> Redirect {
    let mut state = app.state.lock().await;
    match state.link.as_mut() {
        Some(flow) => {
            flow.agreed = true;
            Redirect::to("/link/sign-in")
        }
        None => restart(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
struct SignInPage {
    bank: String,
    username: String,
    problem: Option<Problem>,
}

pub async fn sign_in_page(State(app): State<Shared>) -> Response {
    let state = app.state.lock().await;
    if !state.link.as_ref().is_some_and(|f| f.agreed) {
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
    if !state.link.as_ref().is_some_and(|f| f.agreed) {
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
        return page(plain("Enter your username and password.")).into_response();
    }
    let credentials = Credentials {
        userid: username.to_owned(),
        userpass: password.to_owned(),
        accesskey: None,
    };
    let outcome = app.feed.sign_in(&credentials).await;
    let Some(flow) = state.link.as_mut() else {
        return restart().into_response();
    };
    match outcome {
        Ok(SignIn::Accounts(accounts)) => {
            flow.credentials = Some(credentials);
            flow.accounts = accounts;
            Redirect::to("/link/accounts").into_response()
        }
        Ok(SignIn::Challenge(challenges)) if !challenges.is_empty() => {
            flow.credentials = Some(credentials);
            flow.challenges = challenges;
            Redirect::to("/link/confirm").into_response()
        }
        Ok(SignIn::Challenge(_)) => page(plain(
            "The bank asked for a confirmation but sent no question.",
        ))
        .into_response(),
        Err(e) => page(e.problem(&bank)).into_response(),
    }
}

fn plain(text: &str) -> Problem {
    Problem {
        text: text.to_owned(),
        reconnect: false,
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
    let Some(flow) = state.link.as_ref().filter(|f| f.credentials.is_some()) else {
        return restart().into_response();
    };
    let single = flow.challenges.len() == 1;
    let fields = flow
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
    let Some((credentials, answers)) = answers(&state, &form) else {
        return restart().into_response();
    };
    if answers.iter().any(|a| a.answer.is_empty()) {
        let problem = plain("Enter the confirmation code.");
        return confirm_view(&state, Some(problem));
    }
    match app.feed.answer(&credentials, answers).await {
        Ok((completed, accounts)) => {
            if let Some(flow) = state.link.as_mut() {
                flow.credentials = Some(completed);
                flow.accounts = accounts;
                flow.challenges.clear();
            }
            Redirect::to("/link/accounts").into_response()
        }
        Err(e) => {
            let problem = e.problem(&bank_name(&state));
            confirm_view(&state, Some(problem))
        }
    }
}

/// The stored credentials and the answers typed for each challenge.
fn answers(
    state: &Sandbox,
    form: &HashMap<String, String>,
) -> Option<(Credentials, Vec<MfaChallengeAnswer>)> {
    let flow = state.link.as_ref()?;
    let credentials = flow.credentials.clone()?;
    let answers = flow
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
    Some((credentials, answers))
}
