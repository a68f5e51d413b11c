//! Page 1, "Connect to QuickBooks Online Bank Feeds": what the connection shares, what it can
//! never do, and which accounts it offers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use feedbridge_store::SourceAccount;

use crate::http::AppState;

use super::error::PageResult;
use super::page::Chrome;
use super::session::Session;

/// A source account as the page shows it: never its full number.
pub struct AccountView {
    pub name: String,
    pub masked: Option<String>,
}

impl AccountView {
    pub fn of(account: &SourceAccount) -> Self {
        let digits: Vec<char> = account
            .account_number
            .as_deref()
            .unwrap_or("")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let tail: String = digits[digits.len().saturating_sub(4)..].iter().collect();
        Self {
            name: account
                .account_name
                .clone()
                .unwrap_or_else(|| account.id.to_string()),
            masked: (!tail.is_empty()).then(|| format!("••••{tail}")),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "link/connect.html")]
pub struct ConnectPage {
    chrome: Chrome,
    company: String,
    accounts: Vec<AccountView>,
    next: String,
}

pub async fn page(State(state): State<AppState>, session: Session) -> PageResult<ConnectPage> {
    let accounts = state
        .services
        .session_accounts(&session.active)
        .await
        .map_err(|e| session.error(e))?;
    Ok(ConnectPage {
        chrome: session.chrome(&state, "connect"),
        company: session.active.company.name.clone(),
        accounts: accounts.iter().map(AccountView::of).collect(),
        next: format!("{}/setup", session.path()),
    })
}
