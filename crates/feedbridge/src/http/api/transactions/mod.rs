//! `POST …/push/bankAccounts/{accountId}/bankTransactions`: push bank transactions.
//!
//! Answered with HTTP 200 and the finished push operation (`Success` or `Failed`), echoing the
//! submitted body as `data`; only once the outcome is committed. The body is read in [`body`].

pub mod body;

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::push::PushOptions;
use crate::http::auth::Tenant;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::json::Body;
use crate::http::paths::AccountPath;
use crate::http::AppState;
use crate::wire::errors::ErrorMessage;
use crate::wire::push::PushOperation;
use body::parse_push;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}

/// The query string of a push.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PushParams {
    /// Minutes after which a still pending operation would time out; pushes here finish at once.
    pub timeout_in_minutes: Option<String>,
    /// Accepted for compatibility; the accounting platform pulls on its own schedule.
    pub allow_sync_on_push_complete: Option<String>,
}

/// Push bank transactions to a connected source account.
#[utoipa::path(post, path = "/companies/{companyId}/connections/{connectionId}/push/bankAccounts/{accountId}/bankTransactions", tag = "Bank transactions",
    params(("companyId" = String, Path), ("connectionId" = String, Path), ("accountId" = String, Path), PushParams),
    request_body = Object,
    responses((status = 200, body = PushOperation), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn create(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    AccountPath {
        company,
        connection,
        account,
    }: AccountPath,
    Query(params): Query<PushParams>,
    Body(body): Body<Value>,
) -> ApiResult<Json<PushOperation>> {
    let timeout_in_minutes = params
        .timeout_in_minutes
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.trim().parse::<i32>())
        .transpose()
        .map_err(|_| ApiError::bad_request("`timeoutInMinutes` must be a whole number."))?;
    let input = parse_push(&body).map_err(ApiError::bad_request)?;
    let op = state
        .services
        .push_transactions(
            client,
            company,
            connection,
            &account,
            input,
            PushOptions { timeout_in_minutes },
        )
        .await?;
    Ok(Json(PushOperation::new(&op, Some(body))))
}
