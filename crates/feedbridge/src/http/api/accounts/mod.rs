//! `…/connectionInfo/bankFeedAccounts`: create (v1 or v2), batch, list, update, delete.
//!
//! The request bodies are read in [`body`].

pub mod body;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::patch;
use axum::Json;
use serde::Serialize;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::accounts::BatchItem;
use crate::http::auth::Tenant;
use crate::http::error::{ApiError, ApiResult};
use crate::http::json::Body;
use crate::http::paths::{AccountPath, ConnectionPath};
use crate::http::AppState;
use crate::wire::accounts::{account_json, v1, SourceAccountV1, SourceAccountV2};
use crate::wire::errors::ErrorMessage;
use body::{parse_account, parse_patch};

pub const BASE: &str =
    "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(create_batch))
        .routes(routes!(update, remove))
        // Not operations of their own: `{accountId}` named `batch`, which the router would
        // otherwise send to the batch path. The document's `{accountId}` operations cover them.
        .route(
            &format!("{BASE}/batch"),
            patch(update_literal).delete(remove_literal),
        )
}

/// Create one source account; the answer has the shape that was sent.
#[utoipa::path(post, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts", tag = "Source accounts",
    params(("companyId" = String, Path), ("connectionId" = String, Path)), request_body = SourceAccountV2,
    responses((status = 200, body = SourceAccountV2), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn create(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
    Body(body): Body<Value>,
) -> ApiResult<Json<Value>> {
    let input = parse_account(&body).map_err(ApiError::bad_request)?;
    let account = state
        .services
        .create_source_account(client, company, connection, input)
        .await?;
    Ok(Json(account_json(&account)))
}

/// One item of a batch answer.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchResult {
    source_account_id: String,
    result: BatchOutcome,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchOutcome {
    status_code: u16,
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    account: Option<Value>,
}

impl From<BatchItem> for BatchResult {
    fn from(item: BatchItem) -> Self {
        Self {
            source_account_id: item.source_account_id,
            result: BatchOutcome {
                status_code: item.status_code,
                error: item.error,
                account: item.account.as_ref().map(account_json),
            },
        }
    }
}

/// Create many source accounts: 201 when all were created, 409 when every one conflicted, 207 otherwise.
#[utoipa::path(post, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/batch", tag = "Source accounts",
    params(("companyId" = String, Path), ("connectionId" = String, Path)), request_body = Vec<SourceAccountV2>,
    responses((status = 201, body = Vec<BatchResult>), (status = 207, body = Vec<BatchResult>), (status = 409, body = Vec<BatchResult>), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn create_batch(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
    Body(body): Body<Value>,
) -> ApiResult<(StatusCode, Json<Vec<BatchResult>>)> {
    let items = body.as_array().ok_or_else(|| {
        ApiError::bad_request("The body must be a JSON array of source accounts.")
    })?;
    if items.is_empty() {
        return Err(ApiError::bad_request(
            "The batch must contain at least one source account.",
        ));
    }
    let inputs = items.iter().map(parse_account).collect();
    let results = state
        .services
        .create_source_accounts(client, company, connection, inputs)
        .await?;
    let created = results.iter().filter(|r| r.status_code == 200).count();
    let conflicts = results.iter().filter(|r| r.status_code == 409).count();
    let status = if created == results.len() {
        StatusCode::CREATED
    } else if conflicts == results.len() {
        StatusCode::CONFLICT
    } else {
        StatusCode::MULTI_STATUS
    };
    Ok((
        status,
        Json(results.into_iter().map(BatchResult::from).collect()),
    ))
}

/// List source accounts (a bare array, as Codat answers).
#[utoipa::path(get, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts", tag = "Source accounts",
    params(("companyId" = String, Path), ("connectionId" = String, Path)),
    responses((status = 200, body = Vec<SourceAccountV2>), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn list(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
) -> ApiResult<Json<Vec<Value>>> {
    let accounts = state
        .services
        .list_source_accounts(client, company, connection)
        .await?;
    Ok(Json(accounts.iter().map(account_json).collect()))
}

/// Update a source account: `accountName`, `status` (to `disconnected` only), `balance` (only while not connected).
#[utoipa::path(patch, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/{accountId}", tag = "Source accounts",
    params(("companyId" = String, Path), ("connectionId" = String, Path), ("accountId" = String, Path)), request_body = SourceAccountV1,
    responses((status = 200, body = SourceAccountV1), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn update(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    AccountPath {
        company,
        connection,
        account,
    }: AccountPath,
    Body(body): Body<Value>,
) -> ApiResult<Json<SourceAccountV1>> {
    let patch = parse_patch(&body).map_err(ApiError::bad_request)?;
    let updated = state
        .services
        .update_source_account(client, company, connection, &account, patch)
        .await?;
    Ok(Json(v1(&updated)))
}

/// Delete a source account.
#[utoipa::path(delete, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/{accountId}", tag = "Source accounts",
    params(("companyId" = String, Path), ("connectionId" = String, Path), ("accountId" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn remove(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    AccountPath {
        company,
        connection,
        account,
    }: AccountPath,
) -> ApiResult<StatusCode> {
    state
        .services
        .delete_source_account(client, company, connection, &account)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// PATCH on a literal segment (`batch`, `credentials`) targets the account with that id.
pub async fn update_literal(
    state: State<AppState>,
    tenant: Tenant,
    path: ConnectionPath,
    uri: axum::http::Uri,
    body: Body<Value>,
) -> ApiResult<Json<SourceAccountV1>> {
    update(state, tenant, literal_account(path, &uri), body).await
}

pub async fn remove_literal(
    state: State<AppState>,
    tenant: Tenant,
    path: ConnectionPath,
    uri: axum::http::Uri,
) -> ApiResult<StatusCode> {
    remove(state, tenant, literal_account(path, &uri)).await
}

/// The account named by the path's last segment, under the connection of `path`.
fn literal_account(path: ConnectionPath, uri: &axum::http::Uri) -> AccountPath {
    AccountPath {
        company: path.company,
        connection: path.connection,
        account: uri.path().rsplit('/').next().unwrap_or_default().to_owned(),
    }
}
