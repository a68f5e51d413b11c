//! Credentials (`…/bankFeedAccounts/credentials`) and the confirmation code (`…/bankFeeds/otp`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::patch;
use axum::Json;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::accounts::{update_literal, BASE};
use crate::http::auth::Tenant;
use crate::http::error::ApiResult;
use crate::http::paths::ConnectionPath;
use crate::http::AppState;
use crate::wire::datetime;
use crate::wire::errors::ErrorMessage;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(generate, revoke))
        .routes(routes!(otp))
        // Not an operation of its own: PATCH on the account named `credentials`, which the
        // router would otherwise send here. The document's `{accountId}` operation covers it.
        .route(&format!("{BASE}/credentials"), patch(update_literal))
}

/// `BankAccountCredentials`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BankAccountCredentials {
    username: String,
    password: String,
}

/// `GenerateOtpResponse`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GenerateOtpResponse {
    otp: String,
    expiry: String,
}

/// Generate a new credential pair; earlier pairs stay valid. The body is ignored.
#[utoipa::path(post, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/credentials", tag = "Credentials",
    params(("companyId" = String, Path), ("connectionId" = String, Path)),
    responses((status = 200, body = BankAccountCredentials), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn generate(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
) -> ApiResult<Json<BankAccountCredentials>> {
    let issued = state
        .services
        .generate_credentials_for(client, company, connection)
        .await?;
    Ok(Json(BankAccountCredentials {
        username: issued.username,
        password: issued.password,
    }))
}

/// Revoke every credential pair of the connection.
#[utoipa::path(delete, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/credentials", tag = "Credentials",
    params(("companyId" = String, Path), ("connectionId" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn revoke(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
) -> ApiResult<StatusCode> {
    state
        .services
        .revoke_credentials_for(client, company, connection)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The confirmation code the accounting platform's authentication prompt asks for.
#[utoipa::path(post, path = "/companies/{companyId}/connections/{connectionId}/bankFeeds/otp", tag = "Credentials",
    params(("companyId" = String, Path), ("connectionId" = String, Path)),
    responses((status = 200, body = GenerateOtpResponse), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn otp(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
) -> ApiResult<Json<GenerateOtpResponse>> {
    let code = state
        .services
        .confirmation_code_for(client, company, connection)
        .await?;
    Ok(Json(GenerateOtpResponse {
        otp: code.code,
        expiry: datetime(code.expires),
    }))
}
