//! JSON request bodies that fail with an `ErrorMessage` instead of axum's plain-text rejection.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A JSON body of type `T`.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(unreadable)?;
        parse(&bytes).map(Body)
    }
}

/// Reads a whole body; one past the body limit is a 413, as Codat's clients expect.
pub async fn read(body: axum::body::Body) -> Result<Bytes, ApiError> {
    Bytes::from_request(Request::new(body), &())
        .await
        .map_err(unreadable)
}

fn unreadable(rejection: axum::extract::rejection::BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::payload_too_large()
    } else {
        ApiError::bad_request("The request body could not be read.")
    }
}

/// The body limit refuses a declared `Content-Length` past the limit before any handler runs,
/// with a plain-text answer of its own; every error of the API is an `ErrorMessage`.
pub async fn too_large_as_error_message(response: Response) -> Response {
    let plain = !response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && plain {
        ApiError::payload_too_large().into_response()
    } else {
        response
    }
}

/// Parses bytes as JSON, naming the problem (without echoing the body back).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let message = match e.classify() {
            serde_json::error::Category::Data => {
                format!("The request body is not what this operation expects: {e}.")
            }
            _ => format!(
                "The request body is not valid JSON (line {}, column {}).",
                e.line(),
                e.column()
            ),
        };
        ApiError::bad_request(message)
    })
}
