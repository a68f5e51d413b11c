//! What the sandbox remembers for its one user: the link in progress and the linked accounts.
//!
//! Kept in memory because the sandbox is a test tool; what matters is that it keeps what a
//! real accounting platform keeps (credentials, access key, where the last statement ended, the
//! FITIDs already booked) and nothing it could only learn from Feedbridge's database.

use std::collections::HashSet;

use feedbridge_ofx::{AcctInfo, Balance, BankTranList, MfaChallenge, Response, StmtTrn};
use jiff::Timestamp;

use crate::error::{FeedError, Problem};
use crate::feed::check;
use crate::requests::{new_trnuid, AccountRef, Credentials, StatementAsk};

/// All state, behind one lock.
#[derive(Debug, Default)]
pub struct Sandbox {
    /// The institution's `FINAME`, once the profile has been read.
    pub institution: Option<String>,
    pub link: Option<LinkFlow>,
    pub connection: Option<Connection>,
}

/// A "Link account" flow in progress; each step fills in the next field.
#[derive(Debug, Default)]
pub struct LinkFlow {
    pub agreed: bool,
    pub credentials: Option<Credentials>,
    pub challenges: Vec<MfaChallenge>,
    pub accounts: Vec<AcctInfo>,
}

/// The linked institution.
#[derive(Debug)]
pub struct Connection {
    pub credentials: Credentials,
    pub accounts: Vec<Linked>,
    /// The last update's failure, shown until an update succeeds.
    pub problem: Option<Problem>,
    pub last_update: Option<Timestamp>,
}

/// An account chosen on the account selection page.
#[derive(Debug, Clone)]
pub struct Pick {
    pub account: AccountRef,
    pub name: String,
    pub chart: &'static str,
}

/// One linked bank account and what has been downloaded for it.
#[derive(Debug)]
pub struct Linked {
    pub account: AccountRef,
    pub name: String,
    pub chart: &'static str,
    pub connected: bool,
    /// DTSTART of the next download: the start date, then the last statement's DTEND.
    pub next_start: Timestamp,
    pub currency: String,
    pub ledger: Option<Balance>,
    pub available: Option<Balance>,
    /// Newest first.
    pub transactions: Vec<StmtTrn>,
    fitids: HashSet<String>,
    /// The last download's failure for this account only.
    pub error: Option<String>,
}

/// The parts of STMTRS and CCSTMTRS the sandbox books.
struct Statement {
    curdef: String,
    tranlist: Option<BankTranList>,
    ledger: Balance,
    available: Option<Balance>,
}

impl Connection {
    pub fn new(credentials: Credentials) -> Self {
        Connection {
            credentials,
            accounts: Vec::new(),
            problem: None,
            last_update: None,
        }
    }

    /// Adds the picked accounts, or reconnects them if they were linked before (their booked
    /// transactions stay, so nothing is booked twice).
    pub fn link(&mut self, picks: Vec<Pick>, start: Timestamp) {
        for pick in picks {
            let key = pick.account.key();
            match self.accounts.iter_mut().find(|a| a.account.key() == key) {
                Some(existing) => {
                    existing.connected = true;
                    existing.chart = pick.chart;
                    existing.name = pick.name;
                    existing.next_start = start;
                    existing.error = None;
                }
                None => self.accounts.push(Linked::new(pick, start)),
            }
        }
    }

    /// One statement request per connected account, up to `dtend`.
    pub fn asks(&self, dtend: Timestamp) -> Vec<(usize, StatementAsk)> {
        self.accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.connected)
            .map(|(i, a)| {
                let ask = StatementAsk {
                    trnuid: new_trnuid(),
                    account: a.account.clone(),
                    dtstart: a.next_start,
                    dtend,
                };
                (i, ask)
            })
            .collect()
    }

    /// Books a statement download answering `asks`.
    pub fn apply(&mut self, asks: &[(usize, StatementAsk)], response: Response) {
        let mut statements: Vec<(String, Result<Statement, FeedError>)> = Vec::new();
        for trn in response.stmt {
            let rs = check(&trn.status).map(|()| trn.rs.map(Statement::from_bank));
            statements.push((trn.trnuid, rs.and_then(present)));
        }
        for trn in response.ccstmt {
            let rs = check(&trn.status).map(|()| trn.rs.map(Statement::from_card));
            statements.push((trn.trnuid, rs.and_then(present)));
        }
        for (index, ask) in asks {
            let Some(account) = self.accounts.get_mut(*index) else {
                continue;
            };
            match statements.iter().position(|(id, _)| *id == ask.trnuid) {
                Some(at) => match statements.swap_remove(at).1 {
                    Ok(statement) => account.absorb(statement, ask.dtend),
                    Err(e) => account.error = Some(account_error(&e)),
                },
                None => account.error = Some("The bank sent no statement for this account.".into()),
            }
        }
        self.problem = None;
    }

    /// Whether any account is still pulled.
    pub fn any_connected(&self) -> bool {
        self.accounts.iter().any(|a| a.connected)
    }
}

fn present(rs: Option<Statement>) -> Result<Statement, FeedError> {
    rs.ok_or_else(|| FeedError::Invalid("a statement answer without STMTRS".into()))
}

fn account_error(e: &FeedError) -> String {
    match e {
        FeedError::Status { code, message } => format!(
            "The bank couldn't send this account's transactions (Error {code}{}).",
            message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        ),
        other => format!("The bank's answer for this account was unusable ({other})."),
    }
}

impl Statement {
    fn from_bank(rs: feedbridge_ofx::StmtRs) -> Self {
        Statement {
            curdef: rs.curdef,
            tranlist: rs.tranlist,
            ledger: rs.ledgerbal,
            available: rs.availbal,
        }
    }

    fn from_card(rs: feedbridge_ofx::CcStmtRs) -> Self {
        Statement {
            curdef: rs.curdef,
            tranlist: rs.tranlist,
            ledger: rs.ledgerbal,
            available: rs.availbal,
        }
    }
}

impl Linked {
    fn new(pick: Pick, start: Timestamp) -> Self {
        Linked {
            account: pick.account,
            name: pick.name,
            chart: pick.chart,
            connected: true,
            next_start: start,
            currency: String::new(),
            ledger: None,
            available: None,
            transactions: Vec::new(),
            fitids: HashSet::new(),
            error: None,
        }
    }

    /// Takes the balances, books transactions not seen before (by FITID) and moves the next
    /// start to the statement's DTEND (or the requested end when it sent no list).
    fn absorb(&mut self, statement: Statement, asked_end: Timestamp) {
        self.currency = statement.curdef;
        self.ledger = Some(statement.ledger);
        self.available = statement.available;
        self.error = None;
        self.next_start = asked_end;
        if let Some(list) = statement.tranlist {
            self.next_start = list.dtend;
            for trn in list.transactions {
                if self.fitids.insert(trn.fitid.clone()) {
                    self.transactions.push(trn);
                }
            }
            self.transactions
                .sort_by(|a, b| b.dtposted.cmp(&a.dtposted).then(b.fitid.cmp(&a.fitid)));
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
