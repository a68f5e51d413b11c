//! `ApiError`: the one error type of the client API, rendered as Codat's `ErrorMessage`.
//!
//! Client errors carry a message that helps the caller; server errors are logged in full with a
//! correlation id and answered with a generic text, so nothing internal leaks.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use uuid::Uuid;

use feedbridge_store::StoreError;

use crate::domain::DomainError;
use crate::wire::errors::{ErrorMessage, Validation};

/// An error answer of the client API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    validation: Option<Validation>,
    retry_after: Option<u64>,
    /// Codat's `canBeRetried` is "Yes" only when the same request may succeed later as it is.
    retryable: bool,
    /// What went wrong inside, for the log only.
    internal: Option<String>,
}

/// How long a client should wait after an outage of the database before retrying.
const OUTAGE_RETRY_SECONDS: u64 = 5;

pub type ApiResult<T, E = ApiError> = Result<T, E>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            validation: None,
            retry_after: None,
            retryable: false,
            internal: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn malformed_query() -> Self {
        Self::bad_request(feedbridge_query::MALFORMED_QUERY_MESSAGE)
    }

    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is larger than 1 MiB.",
        )
    }

    pub fn too_many_requests(retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "You have made too many requests in a given amount of time; please retry later.",
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// A server-side failure; `detail` goes to the log, never to the caller.
    pub fn internal(detail: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "An internal error occurred.",
        );
        e.internal = Some(detail.into());
        e
    }

    /// The database is unreachable, busy or full: nothing changed, and the request can be sent
    /// again as it is. `detail` goes to the log.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The service is briefly unavailable; nothing was changed. Please retry shortly.",
        );
        e.retry_after = Some(OUTAGE_RETRY_SECONDS);
        e.retryable = true;
        e.internal = Some(detail.into());
        e
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound(m) => Self::not_found(m),
            DomainError::Invalid(m) => Self::bad_request(m),
            DomainError::Conflict(m) => Self::new(StatusCode::CONFLICT, m),
            DomainError::Forbidden(m) => Self::new(StatusCode::FORBIDDEN, m),
            DomainError::Internal(m) => Self::internal(m),
            DomainError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found("Not found"),
            StoreError::Unavailable(_) => Self::unavailable(e.to_string()),
            other => Self::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let correlation_id = Uuid::new_v4().simple().to_string();
        if let Some(detail) = &self.internal {
            tracing::error!(correlation_id = %correlation_id, error = %detail, "request failed");
        } else if self.status.is_server_error() {
            tracing::error!(correlation_id = %correlation_id, message = %self.message, "request failed");
        }
        let body = ErrorMessage {
            status_code: self.status.as_u16(),
            service: "PublicApi".into(),
            error: self.message,
            correlation_id,
            validation: self.validation,
            can_be_retried: if self.retryable { "Yes" } else { "Unknown" }.into(),
            detailed_error_code: 0,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert("retry-after", value);
            }
        }
        response
    }
}
