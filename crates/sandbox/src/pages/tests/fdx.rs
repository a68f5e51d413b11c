//! The pages over FDX: the institution's name from discovery, "I agree" leading to the hosted
//! sign-in with PKCE, and what comes back to the redirect URI.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use reqwest::Url;

use super::{get, known, post, Answer, BANK};
use crate::fdx::{Authorization, Discovery};
use crate::feed::Feed;
use crate::state::{LinkFlow, Sandbox};
use crate::test_support::{dead_address, fdx_client, REDIRECT_URI};
use crate::App;

/// The issuer's endpoints, on an address nobody listens to.
fn discovery(issuer: &str) -> Discovery {
    let dead = format!("http://{}", dead_address());
    Discovery {
        issuer: issuer.to_owned(),
        authorization_endpoint: format!("{issuer}/oauth2/authorize"),
        token_endpoint: format!("{dead}/oauth2/token"),
        jwks_uri: format!("{dead}/oauth2/jwks"),
        institution_name: Some(BANK.into()),
    }
}

/// The pages over FDX, the discovery document read (`discovered`) or unreachable.
fn app(state: Sandbox, discovered: bool) -> (Arc<App>, Router) {
    let client = fdx_client();
    let client = if discovered {
        let issuer = client.issuer().to_owned();
        client.with_discovery(discovery(&issuer))
    } else {
        client
    };
    super::app(Feed::Fdx(Arc::new(client)), state)
}

/// The `state` of the authorization request the flow is waiting on, if any.
async fn pending(app: &App) -> Option<String> {
    let state = app.state.lock().await;
    let flow = state.link.as_ref()?;
    flow.authorization.as_ref().map(|a| a.state.clone())
}

/// Whether a session was signed in.
async fn signed_in(app: &App) -> bool {
    let state = app.state.lock().await;
    state.link.as_ref().is_some_and(|f| f.session.is_some()) || state.connection.is_some()
}

/// The page shows `text` (escaped as HTML).
fn assert_shows(answer: &Answer, text: &str) {
    assert!(answer.body.contains(text), "{text} not in {}", answer.body);
}

const TRY_AGAIN: &str = "We couldn&#39;t connect to Acme Bank. Try again later.";

/// A flow waiting at the hosted sign-in, and the request it sent there.
fn waiting() -> (Sandbox, Authorization) {
    let authorization = Authorization::fresh();
    let mut state = known();
    state.link = Some(LinkFlow {
        agreed: true,
        authorization: Some(authorization.clone()),
        ..LinkFlow::default()
    });
    (state, authorization)
}

#[tokio::test]
async fn the_institution_is_named_by_the_discovery_document() {
    let (app, router) = app(Sandbox::default(), true);
    let page = get(&router, "/link").await.body;
    assert!(
        page.contains(&format!(r#"value="{BANK}">{BANK}</button>"#)),
        "{page}"
    );
    assert_eq!(app.state.lock().await.institution.as_deref(), Some(BANK));
}

#[tokio::test]
async fn i_agree_sends_the_browser_to_the_hosted_sign_in_with_pkce() {
    let (app, router) = app(known(), true);
    post(&router, "/link/institution", "institution=Acme+Bank").await;
    let page = get(&router, "/link/terms").await.body;
    assert!(page.contains("over its FDX API"), "{page}");
    assert!(
        get(&router, "/link/sign-in").await.location.is_some(),
        "no OFX sign-in over FDX"
    );

    let answer = post(&router, "/link/terms", "").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let url = Url::parse(answer.location.as_deref().unwrap()).unwrap();
    assert_eq!(url.path(), "/oauth2/authorize");
    let query: HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], "client-1");
    assert_eq!(query["redirect_uri"], REDIRECT_URI);
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(pending(&app).await.as_ref(), Some(&query["state"]));
}

#[tokio::test]
async fn i_agree_with_the_institution_down_says_so_on_the_terms() {
    let (app, router) = app(known(), false);
    post(&router, "/link/institution", "institution=Acme+Bank").await;
    let answer = post(&router, "/link/terms", "").await;
    assert_eq!((answer.status, &answer.location), (StatusCode::OK, &None));
    assert_shows(&answer, TRY_AGAIN);
    assert_shows(&answer, ">I agree</button>");
    assert_eq!(pending(&app).await, None);
}

#[tokio::test]
async fn an_answer_to_another_request_changes_nothing() {
    let (state, authorization) = waiting();
    let (app, router) = app(state, true);
    let answer = get(&router, "/fdx/callback?code=stolen&state=guessed").await;
    assert_eq!(answer.location.as_deref(), Some("/link"));
    assert_eq!(pending(&app).await, Some(authorization.state));
    assert!(!signed_in(&app).await);
}

#[tokio::test]
async fn deny_comes_back_to_the_terms_and_spends_the_request() {
    let (state, authorization) = waiting();
    let (app, router) = app(state, true);
    let uri = format!(
        "/fdx/callback?error=access_denied&state={}",
        authorization.state
    );
    let answer = get(&router, &uri).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_shows(
        &answer,
        "You didn&#39;t allow access to your accounts at Acme Bank",
    );
    assert_shows(&answer, ">I agree</button>");
    assert_eq!(pending(&app).await, None);
    let again = get(&router, &uri).await;
    assert_eq!(
        again.location.as_deref(),
        Some("/link"),
        "a request is answered once"
    );
}

#[tokio::test]
async fn a_code_that_cannot_be_redeemed_is_shown_and_links_nothing() {
    let (state, authorization) = waiting();
    let (app, router) = app(state, true);
    let uri = format!("/fdx/callback?code=abc&state={}", authorization.state);
    let answer = get(&router, &uri).await;
    assert_eq!((answer.status, &answer.location), (StatusCode::OK, &None));
    assert_shows(&answer, TRY_AGAIN);
    assert!(!signed_in(&app).await);
}

#[tokio::test]
async fn an_answer_from_another_issuer_is_refused() {
    let (state, authorization) = waiting();
    let (app, router) = app(state, true);
    let uri = format!(
        "/fdx/callback?code=abc&state={}&iss=http%3A%2F%2Fevil.example",
        authorization.state
    );
    assert_shows(&get(&router, &uri).await, "another issuer");
    assert!(!signed_in(&app).await);
}
