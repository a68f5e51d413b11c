//! The hosted sign-in a recipient sends the SMB user to: `/oauth2/authorize` opens it, then one
//! page at a time — username and password, the confirmation code when the authentication prompt
//! is on, and consent — each a GET that shows where the sign-in stands and a POST per step.

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use crate::domain::oauth::authorize::{AuthorizeParams, Offer, Refusal, Step};
use crate::domain::oauth::scopes::DataCluster;
use crate::http::link::connect::AccountView;
use crate::http::link::csrf;
use crate::http::link::error::{Failure, PageError, PageResult};
use crate::http::link::headers::{FormMayReach, RequestLang};
use crate::http::link::i18n::Lang;
use crate::http::link::page::Chrome;
use crate::http::AppState;

use super::session::{clear_cookie, set_cookie, SignIn};
use super::texts::SignInTexts;

const PAGE: &str = "/oauth2/sign-in";

/// `GET /oauth2/authorize`: checks the request (or takes the pushed one it names) and opens the
/// sign-in; an untrusted recipient or redirect URI gets a page, any other error goes back to the
/// recipient.
pub async fn authorize(
    State(state): State<AppState>,
    Extension(RequestLang(lang)): Extension<RequestLang>,
    Query(params): Query<AuthorizeParams>,
) -> PageResult<Response> {
    let services = &state.services;
    let opened = match services
        .begin_authorization(params, lang.code())
        .await
        .map_err(|e| PageError::from(e).in_lang(lang))?
    {
        Ok(opened) => opened,
        Err(Refusal::Redirect(url)) => return Ok(Redirect::to(&url).into_response()),
        Err(Refusal::Page(why)) => {
            tracing::info!(reason = %why, "authorization request refused");
            return Err(PageError::new(Failure::SignInRefused).in_lang(lang));
        }
    };
    let max_age = opened
        .request
        .expires
        .duration_since(services.now())
        .as_secs()
        .max(1);
    let secure = services.settings.public_url.starts_with("https://");
    let cookie = set_cookie(&opened.cookie, max_age, secure)
        .ok_or_else(|| PageError::new(Failure::SignInRefused).in_lang(lang))?;
    let mut response = Redirect::to(PAGE).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "oauth/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    s: &'static SignInTexts,
    csrf: String,
    title: String,
    intro: String,
    hint: String,
    problem: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "oauth/confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    s: &'static SignInTexts,
    csrf: String,
    intro: String,
    problem: Option<String>,
}

/// An account the consent page offers.
struct Choice {
    id: String,
    name: String,
    masked: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "oauth/consent.html")]
struct ConsentPage {
    chrome: Chrome,
    s: &'static SignInTexts,
    csrf: String,
    title: String,
    intro: String,
    sees: Vec<&'static str>,
    until: String,
    no_accounts: String,
    accounts: Vec<Choice>,
    problem: Option<String>,
}

/// `GET /oauth2/sign-in`: the page for where the sign-in stands.
pub async fn show(State(state): State<AppState>, sign_in: SignIn) -> PageResult<Response> {
    render(&state, &sign_in, None).await
}

async fn render(state: &AppState, sign_in: &SignIn, problem: Option<&str>) -> PageResult<Response> {
    let services = &state.services;
    let s = SignInTexts::of(sign_in.lang);
    let chrome = sign_in.chrome(state);
    let recipient = services
        .sign_in_recipient(&sign_in.request)
        .await
        .map_err(|e| sign_in.error(e))?;
    let fill = |text: &str| chrome.fill(text).replace("{recipient}", &recipient.name);
    let problem = problem.map(fill);
    if sign_in.request.credential.is_none() {
        return Ok(SignInPage {
            title: fill(s.sign_in_title),
            intro: fill(s.sign_in_intro),
            hint: fill(s.sign_in_where),
            csrf: sign_in.csrf.clone(),
            s,
            problem,
            chrome,
        }
        .into_response());
    }
    if !sign_in.request.confirmed {
        return Ok(ConfirmPage {
            intro: fill(s.confirm_intro),
            csrf: sign_in.csrf.clone(),
            s,
            problem,
            chrome,
        }
        .into_response());
    }
    let offer = services
        .consent_offer(&sign_in.request)
        .await
        .map_err(|e| sign_in.error(e))?
        .ok_or_else(|| sign_in.error(PageError::new(Failure::SignInEnded)))?;
    let page = ConsentPage {
        title: fill(s.consent_title),
        intro: fill(s.consent_intro),
        sees: sees(s, &offer),
        until: fill(s.consent_until).replace("{date}", &day(&offer, sign_in.lang)),
        no_accounts: fill(s.no_accounts),
        accounts: offer.accounts.iter().map(choice).collect(),
        csrf: sign_in.csrf.clone(),
        s,
        problem,
        chrome,
    };
    let mut response = page.into_response();
    let reach = url::Url::parse(&sign_in.request.redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    response.extensions_mut().insert(FormMayReach(reach));
    Ok(response)
}

fn sees(s: &'static SignInTexts, offer: &Offer) -> Vec<&'static str> {
    offer
        .clusters
        .iter()
        .map(|c| match c {
            DataCluster::AccountBasic => s.account_basic,
            DataCluster::AccountDetailed => s.account_detailed,
            DataCluster::Transactions => s.transactions,
        })
        .collect()
}

fn day(offer: &Offer, lang: Lang) -> String {
    let date = offer.until.to_zoned(jiff::tz::TimeZone::UTC).date();
    match lang {
        Lang::En => date.strftime("%B %-d, %Y").to_string(),
        Lang::Fr => date.to_string(),
    }
}

fn choice(account: &feedbridge_store::SourceAccount) -> Choice {
    let view = AccountView::of(account);
    Choice {
        id: account.id.to_string(),
        name: view.name,
        masked: view.masked,
    }
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// `POST /oauth2/sign-in`: the one-time username and password.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    sign_in: SignIn,
    form: Result<Form<SignInForm>, FormRejection>,
) -> PageResult<Response> {
    let form = form.map(|Form(f)| f).ok();
    let token = form.as_ref().map_or("", |f| f.csrf.as_str());
    checked(&state, &headers, &sign_in, token)?;
    let Some(form) = form else {
        return Err(sign_in.error(PageError::forbidden()));
    };
    let address = peer
        .map(|Extension(ConnectInfo(a))| a.ip().to_string())
        .unwrap_or_default();
    let step = state
        .services
        .sign_in(
            sign_in.request.clone(),
            &form.username,
            &form.password,
            &address,
        )
        .await
        .map_err(|e| sign_in.error(e))?;
    after(&state, &sign_in, step).await
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// `POST /oauth2/confirm`: the authentication prompt's confirmation code.
pub async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    sign_in: SignIn,
    form: Result<Form<ConfirmForm>, FormRejection>,
) -> PageResult<Response> {
    let form = form.map(|Form(f)| f).ok();
    let token = form.as_ref().map_or("", |f| f.csrf.as_str());
    checked(&state, &headers, &sign_in, token)?;
    let code = form.map(|f| f.code).unwrap_or_default();
    let step = state
        .services
        .confirm_sign_in(sign_in.request.clone(), &code)
        .await
        .map_err(|e| sign_in.error(e))?;
    after(&state, &sign_in, step).await
}

/// After a step: on to the next page, or the same page with what went wrong.
async fn after(state: &AppState, sign_in: &SignIn, step: Step) -> PageResult<Response> {
    let s = SignInTexts::of(sign_in.lang);
    let problem = match step {
        Step::Confirm | Step::Consent => return Ok(Redirect::to(PAGE).into_response()),
        Step::Refused => s.refused,
        Step::AddressBlocked => s.blocked,
        Step::WrongCode => s.wrong_code,
    };
    let mut response = render(state, sign_in, Some(problem)).await?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /oauth2/consent`: Allow (with the chosen accounts) or Deny. The form repeats
/// `account`, so it is read as pairs.
pub async fn consent(
    State(state): State<AppState>,
    headers: HeaderMap,
    sign_in: SignIn,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> PageResult<Response> {
    let pairs = form.map(|Form(f)| f).unwrap_or_default();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    checked(&state, &headers, &sign_in, value("csrf"))?;
    let services = &state.services;
    let url = match value("decision") {
        "allow" => {
            let chosen: Vec<String> = pairs
                .iter()
                .filter(|(k, _)| k == "account")
                .map(|(_, v)| v.clone())
                .collect();
            match services
                .allow(&sign_in.request, &chosen)
                .await
                .map_err(|e| sign_in.error(e))?
            {
                Some(url) => url,
                None => {
                    let s = SignInTexts::of(sign_in.lang);
                    let mut response = render(&state, &sign_in, Some(s.choose_one)).await?;
                    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                    return Ok(response);
                }
            }
        }
        "deny" => services
            .deny(&sign_in.request)
            .await
            .map_err(|e| sign_in.error(e))?,
        _ => return Err(sign_in.error(PageError::forbidden())),
    };
    let mut response = Redirect::to(&url).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie());
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
}

/// `POST /oauth2/language`: the language switch, which keeps the sign-in.
pub async fn language(
    State(state): State<AppState>,
    headers: HeaderMap,
    sign_in: SignIn,
    form: Result<Form<LanguageForm>, FormRejection>,
) -> PageResult<Redirect> {
    let form = form.map(|Form(f)| f).ok();
    let token = form.as_ref().map_or("", |f| f.csrf.as_str());
    checked(&state, &headers, &sign_in, token)?;
    let lang = form
        .and_then(|f| Lang::parse(&f.lang))
        .unwrap_or(sign_in.lang);
    state
        .services
        .set_sign_in_language(sign_in.request.clone(), lang.code())
        .await
        .map_err(|e| sign_in.error(e))?;
    Ok(Redirect::to(PAGE))
}

fn checked(state: &AppState, headers: &HeaderMap, sign_in: &SignIn, token: &str) -> PageResult<()> {
    let token_ok = state.services.sign_in_csrf_matches(&sign_in.request, token);
    csrf::check_origin_and(state, headers, sign_in.lang, token_ok)
}
