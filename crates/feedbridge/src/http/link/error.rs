//! `PageError`: the one error type of the Link UI.
//!
//! A handler only says what went wrong; the page layer ([`super::headers`]) renders the error page
//! in the user's language with the same headers as every other page. Server failures are logged
//! with a correlation id and shown as an opaque page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use feedbridge_store::StoreError;

use crate::domain::DomainError;

use super::i18n::Lang;

/// The kinds of error page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The link or session is expired, tampered, foreign or revoked (401).
    Expired,
    /// A state change failed its CSRF or origin check (403).
    Forbidden,
    NotFound,
    Internal,
    /// The database is unreachable, busy or full; nothing changed (503, with `Retry-After`).
    Unavailable,
    /// A hosted sign-in that ended, expired or never existed (401).
    SignInEnded,
    /// An authorization request that cannot be trusted enough to redirect back (400).
    SignInRefused,
}

impl Failure {
    pub fn status(self) -> StatusCode {
        match self {
            Failure::Expired => StatusCode::UNAUTHORIZED,
            Failure::Forbidden => StatusCode::FORBIDDEN,
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Failure::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Failure::SignInEnded => StatusCode::UNAUTHORIZED,
            Failure::SignInRefused => StatusCode::BAD_REQUEST,
        }
    }
}

/// Carried in the response extensions for the page layer to render.
#[derive(Debug, Clone, Copy)]
pub struct FailurePage {
    pub failure: Failure,
    /// The session's language when one is known; otherwise the request decides.
    pub lang: Option<Lang>,
}

#[derive(Debug)]
pub struct PageError {
    failure: Failure,
    lang: Option<Lang>,
    /// What went wrong inside, for the log only.
    detail: Option<String>,
}

pub type PageResult<T> = Result<T, PageError>;

impl PageError {
    pub fn new(failure: Failure) -> Self {
        Self {
            failure,
            lang: None,
            detail: None,
        }
    }

    pub fn expired() -> Self {
        Self::new(Failure::Expired)
    }

    pub fn forbidden() -> Self {
        Self::new(Failure::Forbidden)
    }

    pub fn not_found() -> Self {
        Self::new(Failure::NotFound)
    }

    pub fn in_lang(mut self, lang: Lang) -> Self {
        self.lang = Some(lang);
        self
    }
}

impl From<DomainError> for PageError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Forbidden(_) => Self::expired(),
            DomainError::NotFound(_) | DomainError::Store(StoreError::NotFound) => {
                Self::not_found()
            }
            DomainError::Store(e @ StoreError::Unavailable(_)) => Self {
                detail: Some(e.to_string()),
                ..Self::new(Failure::Unavailable)
            },
            other => Self {
                detail: Some(other.to_string()),
                ..Self::new(Failure::Internal)
            },
        }
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        DomainError::from(e).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let Some(detail) = &self.detail {
            let correlation_id = Uuid::new_v4().simple().to_string();
            tracing::error!(correlation_id = %correlation_id, error = %detail, "link page failed");
        }
        let mut response = self.failure.status().into_response();
        response.extensions_mut().insert(FailurePage {
            failure: self.failure,
            lang: self.lang,
        });
        response
    }
}
