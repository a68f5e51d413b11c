//! The OpenID Connect authorization server (SPEC §15): discovery, JWKS, the hosted sign-in
//! pages (on the Link UI's stack: branding, languages, CSRF and the security headers of the page
//! layer), PAR, token, revocation and userinfo.

pub mod endpoints;
pub mod pages;
pub mod session;
pub mod texts;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

use super::link::headers;
use super::AppState;

pub fn router(state: AppState) -> Router<AppState> {
    let pages = Router::new()
        .route("/oauth2/authorize", get(pages::authorize))
        .route("/oauth2/sign-in", get(pages::show).post(pages::sign_in))
        .route("/oauth2/confirm", post(pages::confirm))
        .route("/oauth2/consent", post(pages::consent))
        .route("/oauth2/language", post(pages::language))
        .layer(middleware::from_fn_with_state(state, headers::layer));
    Router::new()
        .merge(pages)
        .route(
            "/.well-known/openid-configuration",
            get(endpoints::discovery),
        )
        .route("/oauth2/jwks", get(endpoints::jwks))
        .route("/oauth2/par", post(endpoints::par))
        .route("/oauth2/token", post(endpoints::token))
        .route("/oauth2/revoke", post(endpoints::revoke))
        .route(
            "/oauth2/userinfo",
            get(endpoints::userinfo).post(endpoints::userinfo),
        )
}
