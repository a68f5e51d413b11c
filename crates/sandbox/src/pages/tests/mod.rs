//! Rendering and form handling of the pages, with the institution unreachable (no server runs
//! here: the end-to-end flows run against the real feeds in the browser tests). One file per
//! feed; what they share is here.

mod fdx;
mod ofx;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use tokio::sync::Mutex;
use tower::ServiceExt;

use crate::feed::Feed;
use crate::state::Sandbox;
use crate::App;

const BANK: &str = "Acme Bank";

/// The pages over `feed`, with `state`.
fn app(feed: Feed, state: Sandbox) -> (Arc<App>, Router) {
    let app = Arc::new(App {
        feed,
        others: vec!["Northwind Credit Union".into(), "Contoso Bank".into()],
        state: Mutex::new(state),
    });
    (app.clone(), super::router(app))
}

/// A sandbox that already knows the institution's name.
fn known() -> Sandbox {
    Sandbox {
        institution: Some(BANK.into()),
        ..Sandbox::default()
    }
}

/// What a page answered.
struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        location,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

async fn get(router: &Router, uri: &str) -> Answer {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(router: &Router, uri: &str, form: &str) -> Answer {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    send(router, request).await
}
