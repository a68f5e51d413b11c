//! The only place the shared SQL meets a database driver: what a backend must provide.
//!
//! A backend runs a statement with its bound values, hands each result row over as
//! [`Columns`], runs a change inside its write transaction (SQLite: the group-committing writer;
//! PostgreSQL: a pooled transaction) and spells the few statements the two dialects disagree on.
//! Everything else (every aggregate's statements and logic) is written once against this trait.

use std::future::Future;

use futures::future::BoxFuture;

use feedbridge_store::StoreResult;

use crate::row::Row;
use crate::stmt::Stmt;

/// How a column is named in [`Columns`]: by its name, or by its position in the select list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col<'a> {
    Name(&'a str),
    At(usize),
}

impl<'a> From<&'a str> for Col<'a> {
    fn from(name: &'a str) -> Self {
        Self::Name(name)
    }
}

impl From<usize> for Col<'_> {
    fn from(position: usize) -> Self {
        Self::At(position)
    }
}

/// One result row as the driver holds it. Values are borrowed from the row: reading a column
/// copies nothing until the caller keeps it.
pub trait Columns {
    fn text(&self, col: Col<'_>) -> StoreResult<Option<&str>>;
    fn int(&self, col: Col<'_>) -> StoreResult<Option<i64>>;
    fn bytes(&self, col: Col<'_>) -> StoreResult<Option<&[u8]>>;
}

/// A database the shared store runs on.
///
/// The statement constants are the ones the dialects really disagree on. Each selects or writes
/// exactly what its documentation says, with the parameters in the order given, so the shared code
/// binds and reads them the same way on every backend.
pub trait Backend: Clone + Send + Sync + 'static {
    /// A connection inside the write transaction.
    type Conn: Send;

    /// Where writers share the database, locks the row of `$1` connection's account `$2` until
    /// the transaction ends, so writes that read the account (a push reads its ledger and feed
    /// mark) take turns; `None` where a single writer already runs one write at a time.
    const LOCK_ACCOUNT: Option<&'static str>;
    /// The stored transactions of `$1` connection and `$2` account whose ids are among the
    /// [`Arg::TextList`](crate::Arg::TextList) `$3`, selecting
    /// [`transaction_columns!`](crate::transaction_columns).
    const TRANSACTIONS_AMONG: &'static str;
    /// Inserts, in one statement and in the document's order, the transactions of the JSON array
    /// `$3` (one array of [`transaction_columns!`](crate::transaction_columns) texts per row) for
    /// `$1` connection and `$2` account, each made available at `$4`.
    const INSERT_TRANSACTIONS: &'static str;
    /// Leases until `$2` at most `$3` pending deliveries due at `$1` (earliest first) that no live
    /// lease holds, skipping rows another claim has locked; returns their `id`s.
    const CLAIM_DELIVERIES: &'static str;
    /// [`select_claimed!`](crate::select_claimed) for the deliveries whose ids are the
    /// [`Arg::TextList`](crate::Arg::TextList) `$1`, earliest attempt first.
    const CLAIMED_DELIVERIES: &'static str;

    /// Opens the database at `url` (creating it where the backend can) and applies pending
    /// migrations.
    fn open(url: &str) -> impl Future<Output = StoreResult<Self>> + Send;

    /// Reaches the database at `url` as it is, without touching its schema; `ready` then reports
    /// migrations that are missing.
    fn connect(url: &str) -> impl Future<Output = StoreResult<Self>> + Send;

    /// Runs `job` inside the backend's write transaction and returns its value once committed;
    /// when the job fails, nothing it wrote is kept.
    fn write<T, F>(&self, job: F) -> impl Future<Output = StoreResult<T>> + Send
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Self::Conn) -> BoxFuture<'c, StoreResult<T>> + Send + 'static;

    /// Runs `stmt` on the write connection; returns how many rows it changed.
    fn execute(conn: &mut Self::Conn, stmt: Stmt) -> impl Future<Output = StoreResult<u64>> + Send;

    /// Runs `stmt` on the write connection and maps every row it returns.
    fn fetch<T, F>(
        conn: &mut Self::Conn,
        stmt: Stmt,
        map: F,
    ) -> impl Future<Output = StoreResult<Vec<T>>> + Send
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send;

    /// Runs `stmt` outside any write (on a reading connection) and maps every row it returns.
    fn read<T, F>(&self, stmt: Stmt, map: F) -> impl Future<Output = StoreResult<Vec<T>>> + Send
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send;

    /// How many migrations this build embeds, all of which a ready database has applied.
    fn migrations(&self) -> usize;
}
