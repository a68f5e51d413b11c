//! `/webhooks/endpoints` and `/webhooks/deliveries`: a client manages where its events go and
//! sees how their delivery went. Ids of another client's records answer 404.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use feedbridge_store::DeliveryStatus;

use crate::domain::webhooks::EndpointRequest;
use crate::http::auth::Tenant;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::json::Body;
use crate::http::paging::{page, ListParams};
use crate::http::paths::{DeliveryPath, EndpointPath};
use crate::http::AppState;
use crate::wire::errors::ErrorMessage;
use crate::wire::paging::Page;
use crate::wire::webhooks::{CreateEndpoint, CreatedEndpoint, Delivery, Endpoint, Secret};

const FIELDS: &[&str] = &[
    "id",
    "eventId",
    "eventType",
    "endpointId",
    "status",
    "attempts",
    "nextAttemptOn",
    "lastAttemptOn",
    "lastStatusCode",
    "createdOn",
];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(remove))
        .routes(routes!(rotate_secret))
        .routes(routes!(deliveries))
        .routes(routes!(redeliver))
}

/// Register a webhook endpoint; the answer is the only one that shows its secret.
#[utoipa::path(post, path = "/webhooks/endpoints", tag = "Webhooks", request_body = CreateEndpoint,
    responses((status = 200, body = CreatedEndpoint), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage)))]
pub async fn create(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    Body(body): Body<CreateEndpoint>,
) -> ApiResult<Json<CreatedEndpoint>> {
    let request = EndpointRequest {
        url: body.url,
        event_types: body.event_types.unwrap_or_default(),
        description: body.description,
    };
    let endpoint = state.services.add_endpoint(client, request).await?;
    Ok(Json(CreatedEndpoint {
        endpoint: Endpoint::new(&endpoint),
        secret: endpoint.secret,
    }))
}

/// List the client's webhook endpoints.
#[utoipa::path(get, path = "/webhooks/endpoints", tag = "Webhooks",
    responses((status = 200, body = Vec<Endpoint>), (status = 401, body = ErrorMessage)))]
pub async fn list(
    State(state): State<AppState>,
    Tenant(client): Tenant,
) -> ApiResult<Json<Vec<Endpoint>>> {
    let endpoints = state.services.endpoints(client).await?;
    Ok(Json(endpoints.iter().map(Endpoint::new).collect()))
}

/// Remove a webhook endpoint and its deliveries.
#[utoipa::path(delete, path = "/webhooks/endpoints/{endpointId}", tag = "Webhooks",
    params(("endpointId" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn remove(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    EndpointPath(id): EndpointPath,
) -> ApiResult<StatusCode> {
    state.services.remove_endpoint(client, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replace an endpoint's secret; the old one keeps signing for 24 hours.
#[utoipa::path(post, path = "/webhooks/endpoints/{endpointId}/rotateSecret", tag = "Webhooks",
    params(("endpointId" = String, Path)),
    responses((status = 200, body = Secret), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    EndpointPath(id): EndpointPath,
) -> ApiResult<Json<Secret>> {
    let secret = state.services.rotate_endpoint_secret(client, id).await?;
    Ok(Json(Secret { secret }))
}

/// The `status` filter of the delivery list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusFilter {
    /// `pending`, `delivered` or `failed`.
    pub status: Option<String>,
}

/// List the client's webhook deliveries, newest first.
#[utoipa::path(get, path = "/webhooks/deliveries", tag = "Webhooks",
    params(StatusFilter, ListParams),
    responses((status = 200, body = Page<Delivery>), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage)))]
pub async fn deliveries(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    Query(filter): Query<StatusFilter>,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<Page<Value>>> {
    let status = match filter.status.as_deref() {
        None | Some("") => None,
        Some(text) => Some(DeliveryStatus::parse(text).ok_or_else(|| {
            ApiError::bad_request("`status` must be pending, delivered or failed.")
        })?),
    };
    let items: Vec<Delivery> = state
        .services
        .deliveries(client, status)
        .await?
        .iter()
        .map(Delivery::new)
        .collect();
    Ok(Json(page(items, &params, "/webhooks/deliveries", FIELDS)?))
}

/// Queue a delivery for an immediate new attempt.
#[utoipa::path(post, path = "/webhooks/deliveries/{deliveryId}/redeliver", tag = "Webhooks",
    params(("deliveryId" = String, Path)),
    responses((status = 202), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn redeliver(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    DeliveryPath(id): DeliveryPath,
) -> ApiResult<StatusCode> {
    state.services.redeliver(client, id).await?;
    Ok(StatusCode::ACCEPTED)
}
