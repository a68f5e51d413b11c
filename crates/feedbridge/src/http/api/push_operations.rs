//! Push operations: `GET /companies/{companyId}/push` and `…/push/{pushOperationKey}`.

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::auth::Tenant;
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::http::paging::{page, ListParams};
use crate::http::paths::{CompanyPath, PushOperationPath};
use crate::http::AppState;
use crate::wire::errors::ErrorMessage;
use crate::wire::paging::Page;
use crate::wire::push::PushOperation;

const FIELDS: &[&str] = &[
    "pushOperationKey",
    "companyId",
    "dataConnectionKey",
    "dataType",
    "status",
    "statusCode",
    "requestedOnUtc",
    "completedOnUtc",
    "timeoutInMinutes",
    "errorMessage",
];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read))
}

/// List a company's push operations.
#[utoipa::path(get, path = "/companies/{companyId}/push", tag = "Push operations",
    params(("companyId" = String, Path), ListParams),
    responses((status = 200, body = Page<PushOperation>), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn list(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    CompanyPath(company): CompanyPath,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<Page<Value>>> {
    let ops: Vec<PushOperation> = state
        .services
        .push_operations(client, company)
        .await?
        .iter()
        .map(|op| PushOperation::new(op, None))
        .collect();
    Ok(Json(page(
        ops,
        &params,
        &format!("/companies/{company}/push"),
        FIELDS,
    )?))
}

/// Get one push operation.
#[utoipa::path(get, path = "/companies/{companyId}/push/{pushOperationKey}", tag = "Push operations",
    params(("companyId" = String, Path), ("pushOperationKey" = String, Path)),
    responses((status = 200, body = PushOperation), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn read(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    PushOperationPath { company, key }: PushOperationPath,
) -> ApiResult<Json<PushOperation>> {
    let op = state.services.push_operation(client, company, key).await?;
    Ok(Json(PushOperation::new(&op, None)))
}
