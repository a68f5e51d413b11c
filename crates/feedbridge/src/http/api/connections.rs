//! `/companies/{companyId}/connections`: create, list, get (each with a fresh `linkUrl`), unlink,
//! delete.

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::auth::Tenant;
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::http::json::Body;
use crate::http::paging::{page, ListParams};
use crate::http::paths::{CompanyPath, ConnectionPath};
use crate::http::AppState;
use crate::wire::companies::{Connection, CreateConnection, UpdateConnection};
use crate::wire::errors::ErrorMessage;
use crate::wire::paging::Page;

const FIELDS: &[&str] = &[
    "id",
    "status",
    "created",
    "lastSync",
    "integrationId",
    "integrationKey",
    "sourceId",
    "sourceType",
    "platformName",
];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, unlink, remove))
}

/// Create a QuickBooks Online Bank Feeds connection (`platformKey` `hcws`).
#[utoipa::path(post, path = "/companies/{companyId}/connections", tag = "Connections",
    params(("companyId" = String, Path)), request_body = CreateConnection,
    responses((status = 200, body = Connection), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn create(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    CompanyPath(company): CompanyPath,
    Body(body): Body<CreateConnection>,
) -> ApiResult<Json<Connection>> {
    let (_, conn) = state
        .services
        .create_connection(client, company, body.platform_key.as_deref())
        .await?;
    Ok(Json(state.services.connection_view(&conn)))
}

/// List a company's connections.
#[utoipa::path(get, path = "/companies/{companyId}/connections", tag = "Connections",
    params(("companyId" = String, Path), ListParams),
    responses((status = 200, body = Page<Connection>), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn list(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    CompanyPath(company): CompanyPath,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<Page<Value>>> {
    let conns: Vec<Connection> = state
        .services
        .list_connections(client, company)
        .await?
        .iter()
        .map(|c| state.services.connection_view(c))
        .collect();
    Ok(Json(page(
        conns,
        &params,
        &format!("/companies/{company}/connections"),
        FIELDS,
    )?))
}

/// Get a connection, with a fresh `linkUrl`.
#[utoipa::path(get, path = "/companies/{companyId}/connections/{connectionId}", tag = "Connections",
    params(("companyId" = String, Path), ("connectionId" = String, Path)),
    responses((status = 200, body = Connection), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn read(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
) -> ApiResult<Json<Connection>> {
    let (_, conn) = state
        .services
        .connection(client, company, connection)
        .await?;
    Ok(Json(state.services.connection_view(&conn)))
}

/// Unlink a connection: `{"status": "Unlinked"}`.
#[utoipa::path(patch, path = "/companies/{companyId}/connections/{connectionId}", tag = "Connections",
    params(("companyId" = String, Path), ("connectionId" = String, Path)), request_body = UpdateConnection,
    responses((status = 200, body = Connection), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn unlink(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
    Body(body): Body<UpdateConnection>,
) -> ApiResult<Json<Connection>> {
    let conn = state
        .services
        .unlink_connection(client, company, connection, body.status.as_deref())
        .await?;
    Ok(Json(state.services.connection_view(&conn)))
}

/// Delete a connection and everything under it (200 with an empty body, as Codat answers).
#[utoipa::path(delete, path = "/companies/{companyId}/connections/{connectionId}", tag = "Connections",
    params(("companyId" = String, Path), ("connectionId" = String, Path)),
    responses((status = 200), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn remove(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    ConnectionPath {
        company,
        connection,
    }: ConnectionPath,
) -> ApiResult<()> {
    state
        .services
        .delete_connection(client, company, connection)
        .await?;
    Ok(())
}
