//! What the sandbox remembers for its one user: the link in progress and the linked accounts.
//!
//! Kept in memory because the sandbox is a test tool; what matters is that it keeps what a
//! real accounting platform keeps (the session that pulls, where each account's last pull
//! ended, the transaction ids already booked) and nothing it could only learn from Feedbridge's
//! database. Whichever feed carries it, the bookkeeping is the same.

use std::collections::HashSet;

use jiff::Timestamp;
use rust_decimal::Decimal;

use crate::error::{FeedError, Problem};
use crate::feed::{Ask, Entry, Offered, Session, Statement};
use crate::{fdx, ofx};

/// All state, behind one lock.
#[derive(Default)]
pub struct Sandbox {
    /// The institution's name, once the feed has told it.
    pub institution: Option<String>,
    pub link: Option<LinkFlow>,
    pub connection: Option<Connection>,
}

/// A "Link account" flow in progress; each step fills in the next field.
#[derive(Default)]
pub struct LinkFlow {
    pub agreed: bool,
    /// OFX: a sign-in waiting for its confirmation code.
    pub challenge: Option<ofx::Challenge>,
    /// FDX: the request the institution's hosted sign-in will answer.
    pub authorization: Option<fdx::Authorization>,
    /// Signed in: the session that will pull, with the accounts it offers.
    pub session: Option<Session>,
    pub accounts: Vec<Offered>,
}

/// The linked institution.
pub struct Connection {
    pub session: Session,
    pub accounts: Vec<Linked>,
    /// The last update's failure, shown until an update succeeds.
    pub problem: Option<Problem>,
    pub last_update: Option<Timestamp>,
}

/// An account chosen on the account selection page, with the chart entry chosen for it.
#[derive(Debug, Clone)]
pub struct Pick {
    pub account: Offered,
    pub chart: &'static str,
}

/// One linked bank account and what has been pulled for it.
#[derive(Debug)]
pub struct Linked {
    pub key: String,
    pub name: String,
    pub number: String,
    pub chart: &'static str,
    pub connected: bool,
    /// Where the next pull starts: the start date, then where the last pull said.
    pub next_start: Timestamp,
    pub currency: String,
    pub balance: Option<Decimal>,
    pub available: Option<Decimal>,
    /// Newest first.
    pub entries: Vec<Entry>,
    ids: HashSet<String>,
    /// The last pull's failure for this account only.
    pub error: Option<String>,
}

impl Connection {
    pub fn new(session: Session) -> Self {
        Connection {
            session,
            accounts: Vec::new(),
            problem: None,
            last_update: None,
        }
    }

    /// Adds the picked accounts, or reconnects them if they were linked before (their booked
    /// transactions stay, so nothing is booked twice).
    pub fn link(&mut self, picks: Vec<Pick>, start: Timestamp) {
        for pick in picks {
            match self.accounts.iter_mut().find(|a| a.key == pick.account.key) {
                Some(existing) => {
                    existing.connected = true;
                    existing.chart = pick.chart;
                    existing.name = pick.account.name;
                    existing.next_start = start;
                    existing.error = None;
                }
                None => self.accounts.push(Linked::new(pick, start)),
            }
        }
    }

    /// What to pull: every connected account from where it left off, with its index.
    pub fn asks(&self) -> Vec<(usize, Ask)> {
        self.accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.connected)
            .map(|(i, a)| {
                let ask = Ask {
                    key: a.key.clone(),
                    start: a.next_start,
                };
                (i, ask)
            })
            .collect()
    }

    /// Books a pull answering `asks`, one result per ask.
    pub fn apply(&mut self, asks: &[(usize, Ask)], results: Vec<Result<Statement, FeedError>>) {
        for ((index, _), result) in asks.iter().zip(results) {
            let Some(account) = self.accounts.get_mut(*index) else {
                continue;
            };
            match result {
                Ok(statement) => account.absorb(statement),
                Err(e) => account.error = Some(e.account_problem()),
            }
        }
        self.problem = None;
    }

    /// Whether any account is still pulled.
    pub fn any_connected(&self) -> bool {
        self.accounts.iter().any(|a| a.connected)
    }
}

impl Linked {
    fn new(pick: Pick, start: Timestamp) -> Self {
        Linked {
            key: pick.account.key,
            name: pick.account.name,
            number: pick.account.number,
            chart: pick.chart,
            connected: true,
            next_start: start,
            currency: String::new(),
            balance: None,
            available: None,
            entries: Vec::new(),
            ids: HashSet::new(),
            error: None,
        }
    }

    /// Takes the balances, books the transactions not seen before (by id) and moves the next
    /// start to where the pull said.
    fn absorb(&mut self, statement: Statement) {
        self.currency = statement.currency;
        self.balance = Some(statement.balance);
        self.available = statement.available;
        self.error = None;
        self.next_start = statement.next_start;
        for entry in statement.entries {
            if self.ids.insert(entry.id.clone()) {
                self.entries.push(entry);
            }
        }
        self.entries
            .sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
