//! Account selection: which accounts to link, the chart-of-accounts type of each, and the
//! start date; "Connect" links them and pulls their first transactions.

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
use crate::chart::{chart_entry, masked, CHART};
use crate::feed::Offered;
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
    let Some(flow) = state.link.as_ref().filter(|f| f.session.is_some()) else {
        return restart().into_response();
    };
    let field = |name: String| form.and_then(|f| f.get(&name)).cloned();
    let rows = flow
        .accounts
        .iter()
        .enumerate()
        .map(|(index, account)| Row {
            index,
            name: account.name.clone(),
            number: masked(&account.number),
            chosen: field(format!("account_{index}")).is_some(),
            chart: field(format!("type_{index}"))
                .and_then(|t| chart_entry(&t))
                .unwrap_or(account.chart),
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
    let Some(flow) = state.link.as_ref().filter(|f| f.session.is_some()) else {
        return restart().into_response();
    };
    let (picks, start) = match read_choices(&flow.accounts, &form) {
        Ok(choices) => choices,
        Err(problem) => return view(&state, Some(&form), Some(problem)),
    };
    let Some(session) = state.link.take().and_then(|f| f.session) else {
        return restart().into_response();
    };
    let mut connection = match state.connection.take() {
        Some(mut existing) => {
            existing.session = session;
            existing
        }
        None => Connection::new(session),
    };
    connection.link(picks, start);
    let bank = bank_name(&state);
    super::banking::download(&mut connection, &bank).await;
    state.connection = Some(connection);
    Redirect::to("/banking").into_response()
}

/// The checked accounts with their types, and the start date as the first instant of that day.
fn read_choices(
    accounts: &[Offered],
    form: &HashMap<String, String>,
) -> Result<(Vec<Pick>, Timestamp), String> {
    let mut picks = Vec::new();
    for (index, account) in accounts.iter().enumerate() {
        if !form.contains_key(&format!("account_{index}")) {
            continue;
        }
        let chosen = form.get(&format!("type_{index}")).map(String::as_str);
        let chart = match chosen {
            None => account.chart,
            Some(t) => chart_entry(t)
                .ok_or_else(|| format!("Choose an account type for {}.", account.name))?,
        };
        picks.push(Pick {
            account: account.clone(),
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
