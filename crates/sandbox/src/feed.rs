//! What the pages and the state know of a feed, whichever protocol carries it.
//!
//! The two feeds differ in three things: how the user signs in (the sandbox's own pages and an
//! OFX sign-on, or the institution's hosted page and OpenID Connect), how the accounts are
//! listed, and how they are pulled. [`Feed`] is the institution the sandbox was started against;
//! [`Session`] is a signed-in link that pulls. Everything else (pages, state, chart, wording)
//! sees only the neutral values of this module.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use rust_decimal::Decimal;

use crate::error::FeedError;
use crate::{fdx, ofx};

/// How long one feed request may take before the page reports the institution unreachable.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The HTTP client both feeds use.
pub fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent(concat!("feedbridge-sandbox/", env!("CARGO_PKG_VERSION")))
        .build()?)
}

/// The institution, as the sandbox reaches it.
pub enum Feed {
    Ofx(ofx::Client),
    Fdx(Arc<fdx::Client>),
}

impl Feed {
    /// The institution's display name: OFX's profile `FINAME`, or FDX's discovery document.
    pub async fn institution_name(&self) -> Result<String, FeedError> {
        match self {
            Feed::Ofx(client) => client.institution_name().await,
            Feed::Fdx(client) => client.institution_name().await,
        }
    }
}

/// An account a sign-in offers for linking.
#[derive(Debug, Clone)]
pub struct Offered {
    /// How the session addresses the account; the same across sign-ins.
    pub key: String,
    pub name: String,
    /// The account number as the institution shows it (possibly masked already).
    pub number: String,
    /// The chart entry matching what the institution says the account is.
    pub chart: &'static str,
}

/// A signed-in link: what the sandbox keeps to pull again.
pub enum Session {
    /// Credentials with the access key the confirmation code earned.
    Ofx(ofx::Session),
    /// Tokens of an FDX consent.
    Fdx(fdx::Session),
}

impl Session {
    /// Pulls each asked account up to `now`, one result per ask in order. `Err` means the
    /// whole pull failed (credentials refused, institution unreachable) and nothing changed.
    pub async fn pull(
        &mut self,
        asks: &[Ask],
        now: Timestamp,
    ) -> Result<Vec<Result<Statement, FeedError>>, FeedError> {
        match self {
            Session::Ofx(session) => session.pull(asks, now).await,
            Session::Fdx(session) => session.pull(asks, now).await,
        }
    }
}

/// One account to pull, from where its previous pull ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub key: String,
    pub start: Timestamp,
}

/// What one pull brought for one account.
#[derive(Debug, Clone)]
pub struct Statement {
    pub currency: String,
    /// Signed as the books read it: a card's or credit line's debt is negative.
    pub balance: Decimal,
    pub available: Option<Decimal>,
    pub entries: Vec<Entry>,
    /// Where the next pull of this account starts so that it misses nothing.
    pub next_start: Timestamp,
}

/// One bank transaction, as the Banking page lists it "For review".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The institution's id (OFX `FITID`, FDX `transactionId`), which de-duplicates.
    pub id: String,
    pub date: Timestamp,
    /// Negative is money out.
    pub amount: Decimal,
    pub payee: String,
    pub memo: String,
}
