//! The ids in a Link UI address, parsed before a handler runs. A page cannot exist for an id that
//! cannot exist, so an unreadable one is the "not found" page in the visitor's language.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use feedbridge_store::{CompanyId, ConnectionId};

use super::error::PageError;
use super::headers::RequestLang;
use super::i18n::Lang;

/// `{companyId}`.
pub struct CompanyIds(pub CompanyId);

/// `{companyId}` and `{connectionId}`.
pub struct ConnectionIds {
    pub company: CompanyId,
    pub connection: ConnectionId,
}

/// The path's segments as sent, or the "not found" page.
async fn sent<T, S>(parts: &mut Parts, state: &S) -> Result<T, PageError>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    Path::<T>::from_request_parts(parts, state)
        .await
        .map(|Path(sent)| sent)
        .map_err(|_| not_found(parts))
}

fn not_found(parts: &Parts) -> PageError {
    let lang = parts
        .extensions
        .get::<RequestLang>()
        .map_or(Lang::En, |l| l.0);
    PageError::not_found().in_lang(lang)
}

impl<S: Send + Sync> FromRequestParts<S> for CompanyIds {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let company: String = sent(parts, state).await?;
        company.parse().map(Self).map_err(|_| not_found(parts))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ConnectionIds {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let (company, connection): (String, String) = sent(parts, state).await?;
        match (company.parse(), connection.parse()) {
            (Ok(company), Ok(connection)) => Ok(Self {
                company,
                connection,
            }),
            _ => Err(not_found(parts)),
        }
    }
}
