//! Bank transactions pushed by the institution, and the one atomic step that stores a push.
//!
//! A push is validated against what is already stored for its account (the newest date, the ids
//! already present), so two pushes to one account must not both validate against the same state.
//! The store therefore reads those facts and applies the decision inside one write: the rules stay
//! in the domain (the `decide` callback) and the backend only guarantees the atomicity.

use async_trait::async_trait;
use jiff::civil::DateTime;
use rust_decimal::Decimal;

use crate::error::StoreResult;
use crate::ids::{ConnectionId, SourceAccountId};
use crate::model::{BankTransaction, Effects, PushOperation, SourceAccount};

/// What is stored for one account, as far as a push needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// The account, or `None` when the connection has no account with that id.
    pub account: Option<SourceAccount>,
    /// The latest `date` among the account's stored transactions.
    pub newest: Option<DateTime>,
    /// The stored transactions whose ids the push names.
    pub stored: Vec<BankTransaction>,
}

/// The outcome of a push, to be written as one change.
///
/// The inserted transactions are made available to the feed at the operation's completion, or
/// just after the account's feed mark when that is later, and the mark moves to that instant:
/// an instant the feed has already reported as the end of a statement is never reused.
#[derive(Debug, Clone, PartialEq)]
pub struct PushWrite {
    pub operation: PushOperation,
    /// Transactions to insert (none when the operation failed or only repeated stored ones).
    pub transactions: Vec<BankTransaction>,
    /// The account's new balance, if it changes.
    pub balance: Option<Decimal>,
    pub effects: Effects,
}

/// Turns the stored facts into the write; runs inside the write, so the facts cannot change.
///
/// It may be asked twice within one write: a push is first decided as if none of its ids were
/// stored (the common case, which spares a lookup per transaction), and decided again with the
/// stored ones only when its insert finds one of them already there.
pub type Decide = Box<dyn Fn(&Ledger) -> PushWrite + Send>;

/// Bank transactions of source accounts.
#[async_trait]
pub trait TransactionStore: Send + Sync {
    /// Reads the [`Ledger`] of `account` (with the stored transactions among `ids`), asks
    /// `decide` what to write, and writes it, all in one transaction. Returns the operation.
    async fn push_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        ids: Vec<String>,
        decide: Decide,
    ) -> StoreResult<PushOperation>;

    /// How many transactions are stored for the account.
    async fn count_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
    ) -> StoreResult<u64>;
}
