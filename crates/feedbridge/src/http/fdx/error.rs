//! FDX's error body, `{code, message, debugMessage}`, with the FDX code as an integer; the one
//! error type of `/fdx/v6`. Failures inside are a bare 500 (or 503 for an outage) with the
//! detail in the log.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use feedbridge_store::StoreError;

use crate::domain::fdx::FdxError;
use crate::domain::DomainError;

/// FDX's error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FdxErrorBody {
    /// The FDX error code, e.g. 602 (not authorized) or 701 (account not found).
    pub code: u32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug_message: Option<String>,
}

/// An error answer of `/fdx/v6`.
#[derive(Debug)]
pub enum Refused {
    Fdx(FdxError),
    Internal(DomainError),
}

pub type FdxAnswer<T> = Result<T, Refused>;

impl From<FdxError> for Refused {
    fn from(e: FdxError) -> Self {
        Self::Fdx(e)
    }
}

impl From<DomainError> for Refused {
    fn from(e: DomainError) -> Self {
        Self::Internal(e)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Refused::Fdx(e) => (
                StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
                FdxErrorBody {
                    code: e.code,
                    message: e.message,
                    debug_message: None,
                },
            ),
            Refused::Internal(e) => {
                tracing::error!(error = %e, "FDX request failed");
                let outage = matches!(e, DomainError::Store(StoreError::Unavailable(_)));
                let (status, code, message) = if outage {
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        503,
                        "Briefly unavailable; retry shortly.",
                    )
                } else {
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        500,
                        "Internal server error.",
                    )
                };
                let body = FdxErrorBody {
                    code,
                    message: message.into(),
                    debug_message: None,
                };
                (status, body)
            }
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        response
    }
}
