//! The Banking page: linked accounts with their balances and transactions "For review",
//! "Update" to pull again, "Disconnect" to stop.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;

use super::{bank_name, Shared};
use crate::chart::masked;
use crate::error::Problem;
use crate::format::{day, moment, money};
use crate::state::{Connection, Linked, Sandbox};

#[derive(Template, WebTemplate)]
#[template(path = "banking.html")]
struct BankingPage {
    bank: String,
    problem: Option<Problem>,
    accounts: Vec<AccountView>,
    any_connected: bool,
    last_update: Option<String>,
}

struct AccountView {
    index: usize,
    name: String,
    number: String,
    chart: &'static str,
    connected: bool,
    /// "Connected to …", "Needs attention …" after a credential error, or "Disconnected".
    status: String,
    balance: Option<String>,
    available: Option<String>,
    error: Option<String>,
    rows: Vec<TransactionView>,
}

struct TransactionView {
    date: String,
    payee: String,
    memo: String,
    spent: String,
    received: String,
}

/// Where the account stands, as QuickBooks labels it: once the bank refused the stored
/// credentials, a connected account needs the user before it can update again.
fn status(a: &Linked, bank: &str, credentials_refused: bool) -> String {
    match (a.connected, credentials_refused) {
        (false, _) => "Disconnected".into(),
        (true, true) => format!("Needs attention: reconnect to {bank} to resume updates"),
        (true, false) => format!("Connected to {bank}"),
    }
}

fn account_view(index: usize, a: &Linked, status: String) -> AccountView {
    let amount = |b: Option<rust_decimal::Decimal>| b.map(|b| money(b, &a.currency));
    let rows = a
        .entries
        .iter()
        .map(|t| {
            let text = money(t.amount.abs(), &a.currency);
            let (spent, received) = if t.amount.is_sign_negative() {
                (text, String::new())
            } else {
                (String::new(), text)
            };
            TransactionView {
                date: day(t.date),
                payee: t.payee.clone(),
                memo: t.memo.clone(),
                spent,
                received,
            }
        })
        .collect();
    AccountView {
        index,
        name: a.name.clone(),
        number: masked(&a.number),
        chart: a.chart,
        connected: a.connected,
        status,
        balance: amount(a.balance),
        available: amount(a.available),
        error: a.error.clone(),
        rows,
    }
}

fn view(state: &Sandbox) -> BankingPage {
    let connection = state.connection.as_ref();
    let bank = bank_name(state);
    let problem = connection.and_then(|c| c.problem.clone());
    let refused = problem.as_ref().is_some_and(|p| p.reconnect);
    BankingPage {
        accounts: connection
            .map(|c| {
                c.accounts
                    .iter()
                    .enumerate()
                    .map(|(i, a)| account_view(i, a, status(a, &bank, refused)))
                    .collect()
            })
            .unwrap_or_default(),
        bank,
        problem,
        any_connected: connection.is_some_and(Connection::any_connected),
        last_update: connection.and_then(|c| c.last_update).map(moment),
    }
}

pub async fn page(State(app): State<Shared>) -> Response {
    view(&*app.state.lock().await).into_response()
}

/// Pulls every connected account from where each left off.
pub async fn download(connection: &mut Connection, bank: &str) {
    let now = Timestamp::now();
    let asks = connection.asks();
    if asks.is_empty() {
        return;
    }
    let plain: Vec<_> = asks.iter().map(|(_, ask)| ask.clone()).collect();
    match connection.session.pull(&plain, now).await {
        Ok(results) => {
            connection.apply(&asks, results);
            connection.last_update = Some(now);
        }
        Err(e) => connection.problem = Some(e.problem(bank)),
    }
}

pub async fn update(State(app): State<Shared>) -> Redirect {
    let mut state = app.state.lock().await;
    let bank = bank_name(&state);
    if let Some(connection) = state.connection.as_mut() {
        download(connection, &bank).await;
    }
    Redirect::to("/banking")
}

pub async fn disconnect(State(app): State<Shared>, Path(index): Path<usize>) -> Redirect {
    let mut state = app.state.lock().await;
    if let Some(account) = state
        .connection
        .as_mut()
        .and_then(|c| c.accounts.get_mut(index))
    {
        account.connected = false;
    }
    Redirect::to("/banking")
}

pub async fn disconnect_all(State(app): State<Shared>) -> Redirect {
    let mut state = app.state.lock().await;
    if let Some(connection) = state.connection.as_mut() {
        for account in &mut connection.accounts {
            account.connected = false;
        }
        connection.problem = None;
    }
    Redirect::to("/banking")
}
