//! The `/fdx/v6` operations. Each is declared once, by its `#[utoipa::path]`, so the document
//! at `/fdx/v6/openapi.json` lists exactly what is served.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::fdx::transactions::{Bound, Page, Window, PAGE_LIMIT};
use crate::domain::fdx::FdxError;
use crate::http::AppState;

use super::auth::{Checked, ConsentAsker, Consented};
use super::error::{FdxAnswer, FdxErrorBody};
use super::shapes::{
    AccountDescriptor, AccountWithDetails, Accounts, ConsentGrant, Customer, PageMetadata,
    Revocation, Revocations, Transaction, Transactions,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(accounts))
        .routes(routes!(account))
        .routes(routes!(transactions))
        .routes(routes!(customer))
        .routes(routes!(consent))
        .routes(routes!(revocations, revoke))
}

/// Paging of a list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Where the page starts (deprecated in favour of `pageKey`; the same opaque value).
    offset: Option<String>,
    /// Where the page starts, as `page.nextPageKey` of the previous page said.
    page_key: Option<String>,
    /// At most this many items (default and maximum 100; more is lowered to 100).
    #[param(value_type = Option<u32>, minimum = 1)]
    limit: Option<String>,
}

impl Paging {
    fn page(&self) -> Result<Page, FdxError> {
        let number = |name: &str, text: &str| {
            text.parse::<usize>()
                .map_err(|_| FdxError::invalid_input(format!("`{name}` must be a whole number")))
        };
        let offset = match (self.page_key.as_deref(), self.offset.as_deref()) {
            (Some(key), _) => number("pageKey", key)?,
            (None, Some(offset)) => number("offset", offset)?,
            (None, None) => 0,
        };
        let limit = match self.limit.as_deref() {
            Some(text) => number("limit", text)?,
            None => PAGE_LIMIT,
        };
        if limit == 0 {
            return Err(FdxError::invalid_input("`limit` must be at least 1"));
        }
        Ok(Page {
            offset,
            limit: limit.min(PAGE_LIMIT),
        })
    }
}

/// The accounts of the consent.
#[utoipa::path(get, path = "/fdx/v6/accounts", tag = "Accounts", params(Paging),
    responses((status = 200, body = Accounts), (status = 400, body = FdxErrorBody), (status = 401, body = FdxErrorBody)),
    security(("bearer" = [])))]
pub async fn accounts(
    State(state): State<AppState>,
    Consented(bearer): Consented,
    Checked(Query(paging)): Checked<Query<Paging>>,
) -> FdxAnswer<Json<Accounts>> {
    let page = paging.page()?;
    let all = state.services.fdx_accounts(&bearer).await?;
    let total = all.len();
    let accounts: Vec<_> = all
        .iter()
        .skip(page.offset)
        .take(page.limit)
        .map(AccountDescriptor::of)
        .collect();
    let next = page.offset + accounts.len();
    Ok(Json(Accounts {
        page: PageMetadata::new((next < total).then_some(next), total),
        accounts,
    }))
}

/// One account with its balances.
#[utoipa::path(get, path = "/fdx/v6/accounts/{accountId}", tag = "Accounts",
    params(("accountId" = String, Path, description = "The source account's id")),
    responses((status = 200, body = AccountWithDetails), (status = 401, body = FdxErrorBody), (status = 403, body = FdxErrorBody), (status = 404, body = FdxErrorBody), (status = 409, body = FdxErrorBody)),
    security(("bearer" = [])))]
pub async fn account(
    State(state): State<AppState>,
    Consented(bearer): Consented,
    Checked(Path(id)): Checked<Path<String>>,
) -> FdxAnswer<Json<AccountWithDetails>> {
    let detailed = state.services.fdx_account(&bearer, &id).await??;
    Ok(Json(AccountWithDetails::of(&detailed)))
}

/// The window of a transactions request: dates (`YYYY-MM-DD`) or, for the `*Time` pair, also
/// RFC 3339 instants. Both ends or neither; neither means today and the six days before.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct Dates {
    /// The first day (`YYYY-MM-DD`) or instant (RFC 3339) of the window.
    start_time: Option<String>,
    /// The last day or instant of the window.
    end_time: Option<String>,
    /// The first day of the window (`YYYY-MM-DD`).
    #[param(format = Date)]
    start_date: Option<String>,
    /// The last day of the window.
    #[param(format = Date)]
    end_date: Option<String>,
}

impl Dates {
    fn window(&self, default: Window) -> Result<Window, FdxError> {
        let start = self.start_time.as_deref().or(self.start_date.as_deref());
        let end = self.end_time.as_deref().or(self.end_date.as_deref());
        match (start, end) {
            (None, None) => Ok(default),
            (Some(s), Some(e)) => Ok(Window {
                start: bound(s)?,
                end: bound(e)?,
            }),
            _ => Err(FdxError::invalid_range(
                "Give both ends of the window or neither.",
            )),
        }
    }
}

fn bound(text: &str) -> Result<Bound, FdxError> {
    if let Ok(day) = text.parse::<jiff::civil::Date>() {
        return Ok(Bound::Day(day));
    }
    text.parse::<jiff::Timestamp>()
        .map(Bound::Instant)
        .map_err(|_| {
            FdxError::invalid_date(format!(
                "{text:?} is neither a date (YYYY-MM-DD) nor an RFC 3339 time"
            ))
        })
}

/// Posted transactions of one account.
#[utoipa::path(get, path = "/fdx/v6/accounts/{accountId}/transactions", tag = "Transactions",
    params(("accountId" = String, Path, description = "The source account's id"), Dates, Paging),
    responses((status = 200, body = Transactions), (status = 400, body = FdxErrorBody), (status = 401, body = FdxErrorBody), (status = 403, body = FdxErrorBody), (status = 404, body = FdxErrorBody), (status = 409, body = FdxErrorBody)),
    security(("bearer" = [])))]
pub async fn transactions(
    State(state): State<AppState>,
    Consented(bearer): Consented,
    Checked(Path(id)): Checked<Path<String>>,
    Checked(Query(dates)): Checked<Query<Dates>>,
    Checked(Query(paging)): Checked<Query<Paging>>,
) -> FdxAnswer<Json<Transactions>> {
    let services = &state.services;
    let page = paging.page()?;
    let window = dates.window(services.fdx_default_window())?;
    let listed = services
        .fdx_transactions(&bearer, &id, window, page)
        .await??;
    let tz = &services.settings.time_zone;
    Ok(Json(Transactions {
        page: PageMetadata::new(listed.next_offset, listed.total),
        transactions: listed
            .transactions
            .iter()
            .map(|t| Transaction::of(&listed.account, t, tz))
            .collect(),
    }))
}

/// The customer the token speaks for.
#[utoipa::path(get, path = "/fdx/v6/customers/current", tag = "Customers",
    responses((status = 200, body = Customer), (status = 401, body = FdxErrorBody)),
    security(("bearer" = [])))]
pub async fn customer(Consented(bearer): Consented) -> Json<Customer> {
    Json(Customer {
        customer_id: bearer.claims.sub,
    })
}

/// One consent of the caller.
#[utoipa::path(get, path = "/fdx/v6/consents/{consentId}", tag = "Consents",
    params(("consentId" = String, Path)),
    responses((status = 200, body = ConsentGrant), (status = 401, body = FdxErrorBody), (status = 404, body = FdxErrorBody)),
    security(("bearer" = []), ("client" = [])))]
pub async fn consent(
    State(state): State<AppState>,
    ConsentAsker(asker): ConsentAsker,
    Checked(Path(id)): Checked<Path<String>>,
) -> FdxAnswer<Json<ConsentGrant>> {
    let services = &state.services;
    let view = services.fdx_consent(&asker, &id).await??;
    Ok(Json(ConsentGrant::of(
        &view,
        &services.settings.institution.name,
    )))
}

/// How a consent was revoked, if it was.
#[utoipa::path(get, path = "/fdx/v6/consents/{consentId}/revocation", tag = "Consents",
    params(("consentId" = String, Path)),
    responses((status = 200, body = Revocations), (status = 401, body = FdxErrorBody), (status = 404, body = FdxErrorBody)),
    security(("bearer" = []), ("client" = [])))]
pub async fn revocations(
    State(state): State<AppState>,
    ConsentAsker(asker): ConsentAsker,
    Checked(Path(id)): Checked<Path<String>>,
) -> FdxAnswer<Json<Revocations>> {
    let list = state.services.fdx_revocations(&asker, &id).await??;
    Ok(Json(Revocations {
        revocations: list.iter().map(Revocation::of).collect(),
    }))
}

/// The body of a revocation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RevocationRequest {
    /// `BUSINESS_RULE` or `USER_ACTION`.
    reason: String,
    /// Who asked, as an FDX party type, e.g. `DATA_RECIPIENT`.
    initiator: String,
}

/// Revokes a consent: its tokens are refused at once and the accounts it connected stop.
#[utoipa::path(put, path = "/fdx/v6/consents/{consentId}/revocation", tag = "Consents",
    params(("consentId" = String, Path)), request_body = RevocationRequest,
    responses((status = 204), (status = 400, body = FdxErrorBody), (status = 401, body = FdxErrorBody), (status = 404, body = FdxErrorBody)),
    security(("bearer" = []), ("client" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    ConsentAsker(asker): ConsentAsker,
    Checked(Path(id)): Checked<Path<String>>,
    body: Result<Json<RevocationRequest>, axum::extract::rejection::JsonRejection>,
) -> FdxAnswer<StatusCode> {
    let Json(body) = body.map_err(|e| FdxError::invalid_input(e.body_text()))?;
    state
        .services
        .fdx_revoke(&asker, &id, &body.reason, &body.initiator)
        .await??;
    Ok(StatusCode::NO_CONTENT)
}
