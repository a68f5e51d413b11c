//! Bank transaction rows, shared by the push and the feed: storing a batch with one statement,
//! stamped after the account's feed mark, and reading a row back by position.

use std::fmt::Display;

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeTuple, Serializer};

use feedbridge_store::{BankTransaction, ConnectionId, SourceAccountId, StoreError, StoreResult};

use crate::backend::Backend;
use crate::row::{corrupt, Row};
use crate::stmt::Stmt;
use crate::store::Change;

/// The feed mark of `$1` connection's account `$2`.
const FEED_MARK: &str =
    "SELECT feed_mark FROM source_accounts WHERE connection_id = $1 AND id = $2";

/// Locks the account row until the write ends where writers share the database (see
/// [`Backend::LOCK_ACCOUNT`]); what the write then reads of the account cannot change under it.
pub(crate) async fn lock_account<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    account: &SourceAccountId,
) -> StoreResult<()> {
    if let Some(lock) = B::LOCK_ACCOUNT {
        B::execute(c, Stmt::new(lock).text(connection).text(account)).await?;
    }
    Ok(())
}

/// Locks the account and reads its feed mark, for a write that stores transactions without
/// reading anything else of the account first.
pub(crate) async fn feed_mark<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    account: &SourceAccountId,
) -> StoreResult<Timestamp> {
    lock_account::<B>(c, connection, account).await?;
    let select = Stmt::new(FEED_MARK).text(connection).text(account);
    let marks = B::fetch(c, select, |row| row.ts("feed_mark")).await?;
    marks.into_iter().next().ok_or(StoreError::NotFound)
}

/// Transactions a write stores for one account, and the balance they leave it with.
pub(crate) struct NewRows<'a> {
    pub connection: ConnectionId,
    pub account: &'a SourceAccountId,
    pub rows: &'a [BankTransaction],
    pub balance: Option<Decimal>,
}

impl NewRows<'_> {
    /// Adds to `change` what stores the rows in one statement, made available at `at` or, when
    /// the account's feed mark (`mark`, read after [`lock_account`] in the same write) is already
    /// there, just after it. The mark moves to that instant, so an end a statement has already
    /// reported is never reused; it stays put when there are no rows.
    pub fn add_to<B: Backend>(
        &self,
        change: Change,
        mark: Timestamp,
        at: Option<Timestamp>,
    ) -> StoreResult<Change> {
        if self.rows.is_empty() && self.balance.is_none() {
            return Ok(change);
        }
        let available = if self.rows.is_empty() {
            mark
        } else {
            available_at(mark, at)?
        };
        let update = Stmt::new(
            "UPDATE source_accounts SET feed_mark = $3, balance = COALESCE($4, balance) \
             WHERE connection_id = $1 AND id = $2",
        )
        .text(self.connection)
        .text(self.account)
        .ts(available)
        .opt_text(self.balance);
        let change = change.changing(update);
        if self.rows.is_empty() {
            return Ok(change);
        }
        let insert = Stmt::new(B::INSERT_TRANSACTIONS)
            .text(self.connection)
            .text(self.account)
            .text(rows_json(self.rows)?)
            .ts(available);
        Ok(change.then(insert))
    }
}

/// `at`, or the instant just after `mark` when that is later (a microsecond is the stored grain).
fn available_at(mark: Timestamp, at: Option<Timestamp>) -> StoreResult<Timestamp> {
    let after_mark = mark.as_microsecond().saturating_add(1);
    let at = at.map_or(i64::MIN, |t| t.as_microsecond());
    Timestamp::from_microsecond(after_mark.max(at)).map_err(corrupt)
}

/// The rows as the set-based insert reads them: one JSON array of texts per transaction, in
/// [`transaction_columns!`](crate::transaction_columns) order (amounts keep their exact digits
/// as text), written straight into one buffer.
fn rows_json(rows: &[BankTransaction]) -> StoreResult<String> {
    let mut out = Vec::with_capacity(rows.len() * 128);
    serde_json::to_writer(&mut out, &Document(rows)).map_err(corrupt)?;
    String::from_utf8(out).map_err(corrupt)
}

struct Document<'a>(&'a [BankTransaction]);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Cells))
    }
}

/// One transaction as an array of texts.
struct Cells<'a>(&'a BankTransaction);

impl Serialize for Cells<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut row = s.serialize_tuple(8)?;
        row.serialize_element(&t.id)?;
        row.serialize_element(&Text(&t.date))?;
        row.serialize_element(&t.description)?;
        row.serialize_element(&Text(&t.amount))?;
        row.serialize_element(&t.balance.as_ref().map(Text))?;
        row.serialize_element(&t.transaction_type)?;
        row.serialize_element(&t.counterparty)?;
        row.serialize_element(&t.reference)?;
        row.end()
    }
}

/// A value written as its `Display` text, without an intermediate string.
struct Text<'a, T>(&'a T);

impl<T: Display> Serialize for Text<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// Reads a row selected with [`transaction_columns!`](crate::transaction_columns) first, by
/// position: statement downloads read hundreds of them.
pub(crate) fn transaction(row: Row<'_>) -> StoreResult<BankTransaction> {
    Ok(BankTransaction {
        id: row.string(0)?,
        date: row.parse(1)?,
        description: row.string(2)?,
        amount: row.parse(3)?,
        balance: row.opt_parse(4)?,
        transaction_type: row.string(5)?,
        counterparty: row.opt_string(6)?,
        reference: row.opt_string(7)?,
    })
}
