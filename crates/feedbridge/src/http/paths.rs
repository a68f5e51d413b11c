//! Typed path extractors: the ids in a client API path, parsed before the handler runs. An id that
//! cannot exist gets the same 404 as one that does not, naming what was sent.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Deserialize;

use feedbridge_store::{CompanyId, ConnectionId, DeliveryId, EndpointId, PushOperationKey};

use super::error::ApiError;
use super::extract::Path;
use crate::domain::companies::no_company;
use crate::domain::connections::no_connection;
use crate::domain::push::operations::no_push_operation;
use crate::domain::webhooks::no_endpoint;

/// `{companyId}`.
pub struct CompanyPath(pub CompanyId);

/// `{companyId}` and `{connectionId}`.
pub struct ConnectionPath {
    pub company: CompanyId,
    pub connection: ConnectionId,
}

/// `{companyId}`, `{connectionId}` and `{accountId}`. The account id stays text: the domain reads
/// it, because what an unreadable one answers depends on the operation (a push answers in band).
pub struct AccountPath {
    pub company: CompanyId,
    pub connection: ConnectionId,
    pub account: String,
}

/// `{companyId}` and `{pushOperationKey}`.
pub struct PushOperationPath {
    pub company: CompanyId,
    pub key: PushOperationKey,
}

/// `{endpointId}`.
pub struct EndpointPath(pub EndpointId);

/// `{deliveryId}`.
pub struct DeliveryPath(pub DeliveryId);

/// Every id a client API path may carry, as sent.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sent {
    company_id: Option<String>,
    connection_id: Option<String>,
    account_id: Option<String>,
    push_operation_key: Option<String>,
    endpoint_id: Option<String>,
    delivery_id: Option<String>,
}

impl Sent {
    async fn of<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(sent) = Path::<Self>::from_request_parts(parts, state).await?;
        Ok(sent)
    }

    fn company(&self) -> Result<CompanyId, ApiError> {
        let raw = required(&self.company_id, "companyId")?;
        raw.parse()
            .map_err(|_| ApiError::not_found(no_company(shown(raw))))
    }

    fn connection(&self) -> Result<ConnectionId, ApiError> {
        let raw = required(&self.connection_id, "connectionId")?;
        raw.parse()
            .map_err(|_| ApiError::not_found(no_connection(shown(raw))))
    }

    fn push_operation(&self) -> Result<PushOperationKey, ApiError> {
        let raw = required(&self.push_operation_key, "pushOperationKey")?;
        raw.parse()
            .map_err(|_| ApiError::not_found(no_push_operation(shown(raw))))
    }

    fn endpoint(&self) -> Result<EndpointId, ApiError> {
        let raw = required(&self.endpoint_id, "endpointId")?;
        raw.parse()
            .map_err(|_| ApiError::not_found(no_endpoint(shown(raw))))
    }

    fn delivery(&self) -> Result<DeliveryId, ApiError> {
        let raw = required(&self.delivery_id, "deliveryId")?;
        raw.parse()
            .map_err(|_| ApiError::not_found("No webhook delivery was found with that ID"))
    }
}

/// A route without the parameter its extractor reads is a bug of the router, not of the request.
fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, ApiError> {
    value
        .as_deref()
        .ok_or_else(|| ApiError::internal(format!("the route has no {{{name}}}")))
}

/// Echoes at most a short, printable prefix of what the caller sent.
fn shown(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(64).collect()
}

/// Implements the extractor of a path type, built from the ids the path carries.
macro_rules! from_path {
    ($type:ident, |$sent:ident| $build:expr) => {
        impl<S: Send + Sync> FromRequestParts<S> for $type {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
                let $sent = Sent::of(parts, state).await?;
                Ok($build)
            }
        }
    };
}

from_path!(CompanyPath, |sent| Self(sent.company()?));
from_path!(EndpointPath, |sent| Self(sent.endpoint()?));
from_path!(DeliveryPath, |sent| Self(sent.delivery()?));
from_path!(ConnectionPath, |sent| Self {
    company: sent.company()?,
    connection: sent.connection()?,
});
from_path!(AccountPath, |sent| Self {
    company: sent.company()?,
    connection: sent.connection()?,
    account: required(&sent.account_id, "accountId")?.to_owned(),
});
from_path!(PushOperationPath, |sent| Self {
    company: sent.company()?,
    key: sent.push_operation()?,
});
