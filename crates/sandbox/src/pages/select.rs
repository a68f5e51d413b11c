//! Account selection: which accounts to link, the chart-of-accounts type of each, and the
//! start date; "Connect" links them and downloads their first statements.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::{bank_name, restart, Shared};
use crate::chart::{account_ref, chart_entry, default_type, display_name, masked, CHART};
use crate::state::{Connection, Pick, Sandbox};

/// How far back QuickBooks lets a feed start.
const HISTORY_DAYS: i64 = 7;

#[derive(Template, WebTemplate)]
#[template(path = "accounts.html")]
struct AccountsPage {
    bank: String,
    rows: Vec<Row>,
    chart: [&'static str; 5],
    start_date: String,
    today: String,
    problem: Option<String>,
}

struct Row {
    index: usize,
    name: String,
    number: String,
    chosen: bool,
    chart: &'static str,
}

fn today() -> Date {
    Timestamp::now().to_zoned(TimeZone::UTC).date()
}

fn view(
    state: &Sandbox,
    form: Option<&HashMap<String, String>>,
    problem: Option<String>,
) -> Response {
    let Some(flow) = state.link.as_ref().filter(|f| f.credentials.is_some()) else {
        return restart().into_response();
    };
    let field = |name: String| form.and_then(|f| f.get(&name)).cloned();
    let rows = flow
        .accounts
        .iter()
        .enumerate()
        .map(|(index, info)| Row {
            index,
            name: display_name(info),
            number: masked(account_ref(info).number()),
            chosen: field(format!("account_{index}")).is_some(),
            chart: field(format!("type_{index}"))
                .and_then(|t| chart_entry(&t))
                .unwrap_or_else(|| default_type(info)),
        })
        .collect();
    let default_start = today().saturating_sub(HISTORY_DAYS.days());
    AccountsPage {
        bank: bank_name(state),
        rows,
        chart: CHART,
        start_date: field("start_date".into()).unwrap_or_else(|| default_start.to_string()),
        today: today().to_string(),
        problem,
    }
    .into_response()
}

pub async fn page(State(app): State<Shared>) -> Response {
    let state = app.state.lock().await;
    view(&state, None, None)
}

pub async fn connect(
    State(app): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut state = app.state.lock().await;
    let Some(flow) = state.link.as_ref() else {
        return restart().into_response();
    };
    let Some(credentials) = flow.credentials.clone() else {
        return restart().into_response();
    };
    let (picks, start) = match read_choices(&flow.accounts, &form) {
        Ok(choices) => choices,
        Err(problem) => return view(&state, Some(&form), Some(problem)),
    };
    let mut connection = match state.connection.take() {
        Some(mut existing) => {
            existing.credentials = credentials;
            existing
        }
        None => Connection::new(credentials),
    };
    connection.link(picks, start);
    let bank = bank_name(&state);
    super::banking::download(&app.feed, &mut connection, &bank).await;
    state.connection = Some(connection);
    state.link = None;
    Redirect::to("/banking").into_response()
}

/// The checked accounts with their types, and the start date as the first instant of that day.
fn read_choices(
    accounts: &[feedbridge_ofx::AcctInfo],
    form: &HashMap<String, String>,
) -> Result<(Vec<Pick>, Timestamp), String> {
    let mut picks = Vec::new();
    for (index, info) in accounts.iter().enumerate() {
        if !form.contains_key(&format!("account_{index}")) {
            continue;
        }
        let name = display_name(info);
        let chosen = form.get(&format!("type_{index}")).map(String::as_str);
        let chart = match chosen {
            None => default_type(info),
            Some(t) => {
                chart_entry(t).ok_or_else(|| format!("Choose an account type for {name}."))?
            }
        };
        picks.push(Pick {
            account: account_ref(info),
            name,
            chart,
        });
    }
    if picks.is_empty() {
        return Err("Select at least one account to connect.".into());
    }
    let raw = form.get("start_date").map_or("", |s| s.trim());
    let date: Date = raw
        .parse()
        .map_err(|_| "Enter the start date as YYYY-MM-DD.".to_owned())?;
    if date > today() {
        return Err("The start date can't be in the future.".into());
    }
    let start = date
        .to_zoned(TimeZone::UTC)
        .map_err(|_| "Enter a valid start date.".to_owned())?
        .timestamp();
    Ok((picks, start))
}
