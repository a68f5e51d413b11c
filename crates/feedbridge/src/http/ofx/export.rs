//! Web Connect: a statement as a file QuickBooks imports by hand (`.qbo`, with Intuit's
//! `INTU.BID`) or any OFX importer reads (`.ofx`), both OFX 1.0.2 SGML.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use feedbridge_ofx::{
    write_response, CcStmtRs, Fi, Header, Response as OfxResponse, SignonRs, Status, StmtRs, TrnRs,
};

use super::render::{self, Kind};
use crate::domain::feed::statements::Statement;
use crate::domain::Services;
use crate::http::auth::Tenant;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::paths::AccountPath;
use crate::http::AppState;
use crate::wire::errors::ErrorMessage;

/// Client API routes (Tenant auth), part of the API router and its OpenAPI document.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(qbo))
        .routes(routes!(ofx))
}

/// The statement period, as ISO dates.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Period {
    /// First day (default: 90 days before `to`).
    #[param(format = Date)]
    from: Option<String>,
    /// Last day (default: today where the institution is).
    #[param(format = Date)]
    to: Option<String>,
}

/// Download a statement as a QuickBooks Web Connect file.
#[utoipa::path(get, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/{accountId}/statement.qbo", tag = "Statements",
    params(("companyId" = String, Path), ("connectionId" = String, Path), ("accountId" = String, Path), Period),
    responses((status = 200, content_type = "application/vnd.intu.qbo", body = String), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn qbo(
    state: State<AppState>,
    tenant: Tenant,
    path: AccountPath,
    period: Query<Period>,
) -> ApiResult<Response> {
    export(state, tenant, path, period, true).await
}

/// Download a statement as an OFX 1.0.2 file.
#[utoipa::path(get, path = "/companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/{accountId}/statement.ofx", tag = "Statements",
    params(("companyId" = String, Path), ("connectionId" = String, Path), ("accountId" = String, Path), Period),
    responses((status = 200, content_type = "application/x-ofx", body = String), (status = 400, body = ErrorMessage), (status = 401, body = ErrorMessage), (status = 404, body = ErrorMessage)))]
pub async fn ofx(
    state: State<AppState>,
    tenant: Tenant,
    path: AccountPath,
    period: Query<Period>,
) -> ApiResult<Response> {
    export(state, tenant, path, period, false).await
}

async fn export(
    State(state): State<AppState>,
    Tenant(client): Tenant,
    AccountPath {
        company,
        connection,
        account,
    }: AccountPath,
    Query(period): Query<Period>,
    qbo: bool,
) -> ApiResult<Response> {
    let (from, to) = (date("from", &period.from)?, date("to", &period.to)?);
    let services = &state.services;
    let statement = services
        .export_statement(client, company, connection, &account, from, to)
        .await?;
    let body = write_response(&Header::sgml_102(), &file(services, &statement, qbo));
    let (content_type, ext) = if qbo {
        ("application/vnd.intu.qbo", "qbo")
    } else {
        ("application/x-ofx", "ofx")
    };
    let disposition = format!("attachment; filename=\"statement.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// An empty value means the default, as for every other optional parameter.
fn date(name: &str, raw: &Option<String>) -> ApiResult<Option<Date>> {
    raw.as_deref()
        .filter(|text| !text.trim().is_empty())
        .map(|text| {
            text.parse::<Date>().map_err(|_| {
                ApiError::bad_request(format!("`{name}` must be a date such as 2024-01-31."))
            })
        })
        .transpose()
}

fn file(services: &Services, s: &Statement, qbo: bool) -> OfxResponse {
    let mut sonrs = SignonRs::new(Status::ok(), s.as_of);
    let institution = &services.settings.institution;
    sonrs.fi = Some(Fi {
        org: institution.name.chars().take(32).collect(),
        fid: Some(institution.intu_bid.clone()),
    });
    sonrs.intu_bid = qbo.then(|| institution.intu_bid.clone());
    let mut resp = OfxResponse::new(sonrs);
    let (tranlist, bal) = render::tail(services, s, true);
    let curdef = s.account.currency.clone().unwrap_or_else(|| "USD".into());
    let trn = |rs| TrnRs {
        trnuid: "0".into(),
        status: Status::ok(),
        cltcookie: None,
        rs: Some(rs),
    };
    match render::kind(&s.account) {
        Kind::Bank(t) => resp.stmt.push(trn(StmtRs {
            curdef,
            account: render::bank_from(services, &s.feed_name, t),
            tranlist,
            ledgerbal: bal,
            availbal: Some(bal),
        })),
        Kind::Card => resp.ccstmt.push(TrnRs {
            trnuid: "0".into(),
            status: Status::ok(),
            cltcookie: None,
            rs: Some(CcStmtRs {
                curdef,
                account: render::card_from(&s.feed_name),
                tranlist,
                ledgerbal: bal,
                availbal: Some(bal),
            }),
        }),
    }
    resp
}
