//! "Link account", up to signing in: find the institution, agree to the terms. Agreeing leads
//! to the sandbox's own sign-in page over OFX, or to the institution's hosted sign-in over FDX.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::{bank_name, institution, restart, Shared};
use crate::error::Problem;
use crate::fdx::Authorization;
use crate::feed::Feed;
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
    /// How the data travels, which depends on the feed.
    how: String,
    problem: Option<Problem>,
}

/// The terms, with what went wrong signing in when something did.
pub fn terms_view(state: &Sandbox, feed: &Feed, problem: Option<Problem>) -> Response {
    if state.link.is_none() {
        return restart().into_response();
    }
    let bank = bank_name(state);
    let how = match feed {
        Feed::Ofx(_) => format!(
            "You give it the credentials {bank} issued for bank feeds, and {bank} sends the \
             data over its OFX feed."
        ),
        Feed::Fdx(_) => format!(
            "You sign in on {bank}'s own page, where you choose what to share, and {bank} \
             sends it over its FDX API."
        ),
    };
    TermsPage { bank, how, problem }.into_response()
}

pub async fn terms(State(app): State<Shared>) -> Response {
    terms_view(&*app.state.lock().await, &app.feed, None)
}

/// "I agree": over FDX, a fresh authorization request and off to the institution.
pub async fn agree(State(app): State<Shared>) -> Response {
    let mut state = app.state.lock().await;
    let bank = bank_name(&state);
    let Some(flow) = state.link.as_mut() else {
        return restart().into_response();
    };
    flow.agreed = true;
    let client = match &app.feed {
        Feed::Ofx(_) => return Redirect::to("/link/sign-in").into_response(),
        Feed::Fdx(client) => client,
    };
    let authorization = Authorization::fresh();
    match client.authorize_url(&authorization).await {
        Ok(url) => {
            flow.authorization = Some(authorization);
            Redirect::to(&url).into_response()
        }
        Err(e) => terms_view(&state, &app.feed, Some(e.problem(&bank))),
    }
}
