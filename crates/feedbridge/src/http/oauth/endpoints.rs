//! The authorization server's machine endpoints: discovery, the JWKS, PAR, the token endpoint,
//! revocation and userinfo. Errors are OAuth's own JSON (`error`, `error_description`, RFC 6749
//! §5.2); a failure inside is a bare `server_error` with the detail in the log.

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::domain::oauth::authorize::AuthorizeParams;
use crate::domain::oauth::clients::ClientCredentials;
use crate::domain::oauth::scopes::SUPPORTED;
use crate::domain::oauth::tokens::Grant;
use crate::domain::oauth::OAuthError;
use crate::domain::DomainError;
use crate::http::AppState;

/// An answer of a machine endpoint that went wrong.
pub enum Failed {
    OAuth(OAuthError),
    /// The bearer token is missing, invalid, expired or its consent ended (RFC 6750).
    InvalidToken,
    Internal(DomainError),
}

impl From<DomainError> for Failed {
    fn from(e: DomainError) -> Self {
        Self::Internal(e)
    }
}

impl From<OAuthError> for Failed {
    fn from(e: OAuthError) -> Self {
        Self::OAuth(e)
    }
}

impl IntoResponse for Failed {
    fn into_response(self) -> Response {
        match self {
            Failed::OAuth(e) => {
                let status = match e {
                    OAuthError::InvalidClient => StatusCode::UNAUTHORIZED,
                    _ => StatusCode::BAD_REQUEST,
                };
                let mut body = json!({ "error": e.code() });
                if let Some(d) = e.description() {
                    body["error_description"] = Value::from(d);
                }
                let mut response = no_store((status, Json(body)).into_response());
                if status == StatusCode::UNAUTHORIZED {
                    response.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        HeaderValue::from_static("Basic realm=\"feedbridge\""),
                    );
                }
                response
            }
            Failed::InvalidToken => {
                let mut response = (
                    StatusCode::UNAUTHORIZED,
                    Json(json!({ "error": "invalid_token" })),
                )
                    .into_response();
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
                response
            }
            Failed::Internal(e) => {
                let status = match e {
                    DomainError::Store(feedbridge_store::StoreError::Unavailable(_)) => {
                        StatusCode::SERVICE_UNAVAILABLE
                    }
                    _ => StatusCode::INTERNAL_SERVER_ERROR,
                };
                tracing::error!(error = %e, "authorization server request failed");
                let code = if status == StatusCode::SERVICE_UNAVAILABLE {
                    "temporarily_unavailable"
                } else {
                    "server_error"
                };
                (status, Json(json!({ "error": code }))).into_response()
            }
        }
    }
}

/// Token answers are never cached (RFC 6749 §5.1).
fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// `GET /.well-known/openid-configuration`. Besides OpenID Connect's fields it carries
/// `institution_name`, the institution's display name (the `institution.name` setting), which
/// an FDX recipient has no other way to read: the OFX side says it in its profile.
pub async fn discovery(State(state): State<AppState>) -> Json<Value> {
    let issuer = &state.services.settings.public_url;
    let at = |path: &str| format!("{issuer}{path}");
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": at("/oauth2/authorize"),
        "pushed_authorization_request_endpoint": at("/oauth2/par"),
        "token_endpoint": at("/oauth2/token"),
        "revocation_endpoint": at("/oauth2/revoke"),
        "userinfo_endpoint": at("/oauth2/userinfo"),
        "jwks_uri": at("/oauth2/jwks"),
        "scopes_supported": SUPPORTED,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce"],
        "authorization_response_iss_parameter_supported": true,
        "require_pushed_authorization_requests": false,
        "institution_name": state.services.settings.institution.name,
    }))
}

/// `GET /oauth2/jwks`.
pub async fn jwks(State(state): State<AppState>) -> Result<Response, Failed> {
    let keys = state.services.jwks().await?;
    let mut response = Json(keys).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}

/// The client credentials of a request: `Authorization: Basic` (each part form-encoded, RFC 6749
/// §2.3.1) or `client_id` and `client_secret` in the form, never both.
pub fn client_credentials(
    headers: &HeaderMap,
    form_id: Option<&str>,
    form_secret: Option<&str>,
) -> Result<ClientCredentials, OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    match (basic, form_secret) {
        (Some(_), Some(_)) => Err(OAuthError::InvalidRequest(
            "use one client authentication method".into(),
        )),
        (Some(encoded), None) => {
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or(OAuthError::InvalidClient)?;
            let (id, secret) = decoded.split_once(':').ok_or(OAuthError::InvalidClient)?;
            let unform = |s: &str| {
                url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Ok(ClientCredentials {
                id: unform(id),
                secret: unform(secret),
            })
        }
        (None, Some(secret)) => Ok(ClientCredentials {
            id: form_id.unwrap_or_default().to_owned(),
            secret: secret.to_owned(),
        }),
        (None, None) => Err(OAuthError::InvalidClient),
    }
}

/// The form of the token endpoint.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `POST /oauth2/token`.
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Result<Response, Failed> {
    let Form(form) = form.map_err(|_| unreadable())?;
    let client = client_credentials(
        &headers,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )?;
    let missing = |name: &str| OAuthError::InvalidRequest(format!("`{name}` is required"));
    let grant = match form.grant_type.as_deref() {
        Some("authorization_code") => Grant::AuthorizationCode {
            code: form.code.ok_or_else(|| missing("code"))?,
            redirect_uri: form.redirect_uri,
            code_verifier: form.code_verifier,
        },
        Some("refresh_token") => Grant::RefreshToken {
            refresh_token: form.refresh_token.ok_or_else(|| missing("refresh_token"))?,
        },
        Some(_) => return Err(OAuthError::UnsupportedGrantType.into()),
        None => return Err(missing("grant_type").into()),
    };
    let issued = state.services.exchange(&client, grant).await??;
    Ok(no_store(Json(issued).into_response()))
}

/// The form of the revocation endpoint.
#[derive(Debug, Default, Deserialize)]
pub struct RevokeForm {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `POST /oauth2/revoke` (RFC 7009): 200 whether or not the token was known.
pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<RevokeForm>, FormRejection>,
) -> Result<Response, Failed> {
    let Form(form) = form.map_err(|_| unreadable())?;
    let client = client_credentials(
        &headers,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )?;
    let token = form
        .token
        .ok_or_else(|| OAuthError::InvalidRequest("`token` is required".into()))?;
    state.services.revoke_token(&client, &token).await??;
    Ok(StatusCode::OK.into_response())
}

/// The form of PAR: the authorization request's parameters plus client authentication.
#[derive(Debug, Default, Deserialize)]
pub struct ParForm {
    #[serde(flatten)]
    params: AuthorizeParams,
    client_secret: Option<String>,
}

/// `POST /oauth2/par` (RFC 9126): 201 with the `request_uri` to send the browser with.
pub async fn par(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<ParForm>, FormRejection>,
) -> Result<Response, Failed> {
    let Form(form) = form.map_err(|_| unreadable())?;
    let client = client_credentials(
        &headers,
        form.params.client_id.as_deref(),
        form.client_secret.as_deref(),
    )?;
    let (request_uri, ttl) = state
        .services
        .push_authorization(&client, form.params)
        .await??;
    let body = json!({ "request_uri": request_uri, "expires_in": ttl.as_secs() });
    Ok(no_store((StatusCode::CREATED, Json(body)).into_response()))
}

/// `GET` or `POST /oauth2/userinfo` with a bearer access token.
pub async fn userinfo(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, Failed> {
    let token = bearer(&headers).ok_or(Failed::InvalidToken)?;
    state
        .services
        .userinfo(token)
        .await?
        .map(Json)
        .ok_or(Failed::InvalidToken)
}

/// The bearer token of `Authorization: Bearer …`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn unreadable() -> Failed {
    Failed::OAuth(OAuthError::InvalidRequest(
        "the body must be application/x-www-form-urlencoded".into(),
    ))
}
