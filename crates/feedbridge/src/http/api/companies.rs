//! `/companies`: create, list, get, update, replace, delete.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use feedbridge_store::Company as Record;

use crate::domain::companies::CompanyInput;
use crate::http::auth::Tenant;
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::http::json::Body;
use crate::http::paging::{page, ListParams};
use crate::http::paths::CompanyPath;
use crate::http::AppState;
use crate::wire::companies::{Company, CompanyRequest};
use crate::wire::errors::ErrorMessage;
use crate::wire::paging::Page;

/// Fields `query` and `orderBy` may name.
const FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "created",
    "lastSync",
    "redirect",
    "tags.*",
];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, replace, update, remove))
}

impl From<CompanyRequest> for CompanyInput {
    fn from(body: CompanyRequest) -> Self {
        Self {
            name: body.name,
            description: body.description,
            tags: body.tags,
        }
    }
}

/// The wire company with its connections, each with a fresh link.
async fn wire(state: &AppState, company: &Record) -> ApiResult<Company> {
    let services = &state.services;
    let connections = services
        .company_connections(company)
        .await?
        .iter()
        .map(|c| services.connection_view(c))
        .collect();
    Ok(Company::new(
        company,
        services.company_redirect(company.id),
        connections,
    ))
}

/// Create a company.
#[utoipa::path(post, path = "/companies", tag = "Companies", request_body = CompanyRequest,
    responses((status = 200, body = Company), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage)))]
pub async fn create(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    Body(body): Body<CompanyRequest>,
) -> ApiResult<Json<Company>> {
    let company = state.services.create_company(client, body.into()).await?;
    Ok(Json(wire(&state, &company).await?))
}

/// List companies.
#[utoipa::path(get, path = "/companies", tag = "Companies", params(ListParams),
    responses((status = 200, body = Page<Company>), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage)))]
pub async fn list(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<Page<Value>>> {
    let mut companies = Vec::new();
    for company in state.services.list_companies(client).await? {
        companies.push(wire(&state, &company).await?);
    }
    Ok(Json(page(companies, &params, "/companies", FIELDS)?))
}

/// Get a company.
#[utoipa::path(get, path = "/companies/{companyId}", tag = "Companies", params(("companyId" = String, Path)),
    responses((status = 200, body = Company), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn read(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    CompanyPath(id): CompanyPath,
) -> ApiResult<Json<Company>> {
    let company = state.services.company(client, id).await?;
    Ok(Json(wire(&state, &company).await?))
}

/// Update a company (absent fields stay).
#[utoipa::path(patch, path = "/companies/{companyId}", tag = "Companies", params(("companyId" = String, Path)), request_body = CompanyRequest,
    responses((status = 200, body = Company), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn update(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    CompanyPath(id): CompanyPath,
    Body(body): Body<CompanyRequest>,
) -> ApiResult<Json<Company>> {
    let company = state
        .services
        .update_company(client, id, body.into())
        .await?;
    Ok(Json(wire(&state, &company).await?))
}

/// Replace a company (absent fields are cleared).
#[utoipa::path(put, path = "/companies/{companyId}", tag = "Companies", params(("companyId" = String, Path)), request_body = CompanyRequest,
    responses((status = 200, body = Company), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn replace(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    CompanyPath(id): CompanyPath,
    Body(body): Body<CompanyRequest>,
) -> ApiResult<Json<Company>> {
    let company = state
        .services
        .replace_company(client, id, body.into())
        .await?;
    Ok(Json(wire(&state, &company).await?))
}

/// Delete a company and everything under it.
#[utoipa::path(delete, path = "/companies/{companyId}", tag = "Companies", params(("companyId" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn remove(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    CompanyPath(id): CompanyPath,
) -> ApiResult<StatusCode> {
    state.services.delete_company(client, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
