//! A signed-on OFX link: the credentials with their access key, the accounts the sign-in
//! listed, and statement downloads that answer the neutral [`Ask`]s.
//!
//! One request carries a STMTRQ or CCSTMTRQ per account; each answer is matched to its
//! question by TRNUID, and a failed one stays that account's failure.

use std::collections::HashMap;

use feedbridge_ofx::{AcctInfo, Balance, BankTranList, Response, StmtTrn};
use jiff::Timestamp;

use super::accounts::{account_ref, offered};
use super::requests::{new_trnuid, AccountRef, Credentials, StatementAsk};
use super::{check, Client};
use crate::error::FeedError;
use crate::feed::{Ask, Entry, Offered, Statement};

/// What an accounting platform keeps of an OFX link.
pub struct Session {
    client: Client,
    credentials: Credentials,
    /// How each offered account (by key) is addressed.
    accounts: HashMap<String, AccountRef>,
}

impl Session {
    /// The session of a sign-on that listed `accounts`, and those accounts as offered.
    pub fn new(
        client: Client,
        credentials: Credentials,
        accounts: &[AcctInfo],
    ) -> (Self, Vec<Offered>) {
        let offered: Vec<Offered> = accounts.iter().map(offered).collect();
        let accounts = accounts
            .iter()
            .map(|info| {
                let account = account_ref(info);
                (account.key(), account)
            })
            .collect();
        let session = Session {
            client,
            credentials,
            accounts,
        };
        (session, offered)
    }

    /// One statement request for every ask, up to `now`.
    pub async fn pull(
        &mut self,
        asks: &[Ask],
        now: Timestamp,
    ) -> Result<Vec<Result<Statement, FeedError>>, FeedError> {
        let questions: Vec<Option<StatementAsk>> = asks
            .iter()
            .map(|ask| {
                self.accounts.get(&ask.key).map(|account| StatementAsk {
                    trnuid: new_trnuid(),
                    account: account.clone(),
                    dtstart: ask.start,
                    dtend: now,
                })
            })
            .collect();
        let sent: Vec<StatementAsk> = questions.iter().flatten().cloned().collect();
        let response = self
            .client
            .statements(&self.credentials, &sent, now)
            .await?;
        Ok(answers(&questions, response))
    }
}

/// Each question's statement, by TRNUID, in the order asked.
fn answers(
    questions: &[Option<StatementAsk>],
    response: Response,
) -> Vec<Result<Statement, FeedError>> {
    let mut statements: Vec<(String, Result<Parts, FeedError>)> = Vec::new();
    for trn in response.stmt {
        let rs = check(&trn.status).map(|()| trn.rs.map(Parts::from_bank));
        statements.push((trn.trnuid, rs.and_then(present)));
    }
    for trn in response.ccstmt {
        let rs = check(&trn.status).map(|()| trn.rs.map(Parts::from_card));
        statements.push((trn.trnuid, rs.and_then(present)));
    }
    questions
        .iter()
        .map(|question| {
            let Some(question) = question else {
                return Err(FeedError::Invalid(
                    "the account is no longer on the bank's list".into(),
                ));
            };
            match statements.iter().position(|(id, _)| *id == question.trnuid) {
                Some(at) => statements
                    .swap_remove(at)
                    .1
                    .map(|parts| parts.statement(question.dtend)),
                None => Err(FeedError::Invalid("no statement for this account".into())),
            }
        })
        .collect()
}

/// The parts of STMTRS and CCSTMTRS the sandbox books.
struct Parts {
    curdef: String,
    tranlist: Option<BankTranList>,
    ledger: Balance,
    available: Option<Balance>,
}

fn present(rs: Option<Parts>) -> Result<Parts, FeedError> {
    rs.ok_or_else(|| FeedError::Invalid("a statement answer without STMTRS".into()))
}

impl Parts {
    fn from_bank(rs: feedbridge_ofx::StmtRs) -> Self {
        Parts {
            curdef: rs.curdef,
            tranlist: rs.tranlist,
            ledger: rs.ledgerbal,
            available: rs.availbal,
        }
    }

    fn from_card(rs: feedbridge_ofx::CcStmtRs) -> Self {
        Parts {
            curdef: rs.curdef,
            tranlist: rs.tranlist,
            ledger: rs.ledgerbal,
            available: rs.availbal,
        }
    }

    /// The next download starts at the statement's DTEND (or the requested end when it sent
    /// no list): the institution's mark from which nothing is missed.
    fn statement(self, asked_end: Timestamp) -> Statement {
        let (next_start, entries) = match self.tranlist {
            Some(list) => (
                list.dtend,
                list.transactions.into_iter().map(entry).collect(),
            ),
            None => (asked_end, Vec::new()),
        };
        Statement {
            currency: self.curdef,
            balance: self.ledger.amount,
            available: self.available.map(|b| b.amount),
            entries,
            next_start,
        }
    }
}

fn entry(t: StmtTrn) -> Entry {
    Entry {
        id: t.fitid,
        date: t.dtposted,
        amount: t.trnamt,
        payee: t.name.unwrap_or_default(),
        memo: t.memo.unwrap_or_default(),
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
