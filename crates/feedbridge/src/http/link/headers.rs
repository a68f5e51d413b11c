//! The page layer: every Link UI and hosted sign-in response passes here. It hands each request a fresh script
//! nonce, renders error pages in the user's language, and sets the security headers.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::domain::secrets;
use crate::http::AppState;

use super::error::{Failure, FailurePage};
use super::i18n::Lang;
use super::page::{logo_src, origin_of, Chrome};

/// The script nonce of the current request.
#[derive(Debug, Clone)]
pub struct Nonce(pub String);

/// Set by a page whose form may end in a redirect to another origin (the consent page, whose
/// Allow and Deny send the browser back to the recipient): browsers apply `form-action` to
/// where a form submission is redirected too.
#[derive(Debug, Clone)]
pub struct FormMayReach(pub String);

/// The language a request asks for when no session says otherwise: `?lang=` then
/// `Accept-Language`.
#[derive(Debug, Clone, Copy)]
pub struct RequestLang(pub Lang);

pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce = secrets::token();
    let lang = query_lang(req.uri().query()).unwrap_or_else(|| Lang::from_headers(req.headers()));
    req.extensions_mut().insert(Nonce(nonce.clone()));
    req.extensions_mut().insert(RequestLang(lang));
    let mut response = next.run(req).await;
    if let Some(failed) = response.extensions_mut().remove::<FailurePage>() {
        response = error_page(&state, failed, lang, nonce.clone());
    }
    let settings = &state.services.settings;
    let https = settings.public_url.starts_with("https://");
    let logo = logo_src(&settings.institution.logo);
    let reach = response
        .extensions_mut()
        .remove::<FormMayReach>()
        .map(|r| r.0);
    let policy = Policy {
        nonce: &nonce,
        logo: logo.as_deref(),
        form_reach: reach.as_deref(),
        https,
    };
    secure(response.headers_mut(), &policy);
    response
}

/// What the security headers of one response depend on.
struct Policy<'a> {
    nonce: &'a str,
    logo: Option<&'a str>,
    /// Another origin a form of the page may be redirected to.
    form_reach: Option<&'a str>,
    https: bool,
}

fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse)
}

fn secure(headers: &mut HeaderMap, policy: &Policy<'_>) {
    let img = match policy.logo {
        Some(url) if url.contains("://") => format!("'self' {}", origin_of(url)),
        _ => "'self'".to_owned(),
    };
    let form = match policy.form_reach {
        Some(url) if url.contains("://") => format!("'self' {}", origin_of(url)),
        _ => "'self'".to_owned(),
    };
    let nonce = policy.nonce;
    let csp = format!(
        "default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self'; img-src {img}; \
         form-action {form}; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
    );
    let cache_set = headers.contains_key(header::CACHE_CONTROL);
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set("content-security-policy", &csp);
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "no-referrer");
    set("x-frame-options", "DENY");
    if policy.https {
        set("strict-transport-security", "max-age=31536000");
    }
    if !cache_set {
        set("cache-control", "no-store");
    }
}

/// The error page shown for every Link UI failure.
#[derive(Template)]
#[template(path = "link/error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: &'static str,
    body: String,
}

fn error_page(state: &AppState, failed: FailurePage, fallback: Lang, nonce: String) -> Response {
    let lang = failed.lang.unwrap_or(fallback);
    let chrome = Chrome::new(&state.services.settings.institution, lang, nonce);
    let t = chrome.t;
    let (title, body) = match failed.failure {
        Failure::Expired => (t.expired_title, t.expired_body),
        Failure::Forbidden => (t.forbidden_title, t.forbidden_body),
        Failure::NotFound => (t.not_found_title, t.not_found_body),
        Failure::Internal => (t.internal_title, t.internal_body),
        Failure::Unavailable => (t.unavailable_title, t.unavailable_body),
        Failure::SignInEnded => (t.sign_in_ended_title, t.sign_in_ended_body),
        Failure::SignInRefused => (t.sign_in_refused_title, t.sign_in_refused_body),
    };
    let body = chrome.fill(body);
    let page = ErrorPage {
        chrome,
        title,
        body,
    };
    let mut response = match page.render() {
        Ok(html) => (failed.failure.status(), Html(html)).into_response(),
        Err(_) => {
            let mut r = Response::new(Body::from("error"));
            *r.status_mut() = failed.failure.status();
            r
        }
    };
    if failed.failure == Failure::Unavailable {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}
