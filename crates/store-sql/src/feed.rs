//! The `FeedStore` contract: statement transactions, access keys and sign-on counters.
//!
//! Transaction dates are stored as ISO text, so a date range is a prefix range that the
//! `(connection_id, account_id, date)` index answers without a scan.

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{
    BankTransaction, ConnectionId, CredentialId, Effects, FeedStore, ListedTransaction,
    SignonCounters, SignonFailure, SourceAccountId, StatementRange, StoreError, StoreResult,
};

use crate::backend::Backend;
use crate::row::{json, Row};
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};
use crate::transaction_columns;

/// Two index ranges, by date and by availability, rather than one OR that the planner would
/// answer by walking every transaction since the feed start.
const LIST_TRANSACTIONS: &str = concat!(
    "SELECT ",
    transaction_columns!(),
    ", available_at FROM (SELECT rowid AS position, available_at, ",
    transaction_columns!(),
    " FROM bank_transactions \
     WHERE connection_id = $1 AND account_id = $2 AND date >= $5 AND date < $4 \
     UNION SELECT rowid AS position, available_at, ",
    transaction_columns!(),
    " FROM bank_transactions \
     WHERE connection_id = $1 AND account_id = $2 AND available_at >= $6) AS listed \
     WHERE date >= $3 AND date < $4 ORDER BY date, position"
);

const LATEST_BALANCE: &str = concat!(
    "SELECT ",
    transaction_columns!(),
    " FROM bank_transactions WHERE connection_id = $1 AND account_id = $2 \
     AND balance IS NOT NULL ORDER BY date DESC, rowid DESC LIMIT 1"
);

#[async_trait]
impl<B: Backend> FeedStore for SqlStore<B> {
    async fn list_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        range: StatementRange,
    ) -> StoreResult<Vec<ListedTransaction>> {
        let Some(after_end) = range.dated_to.tomorrow().ok() else {
            return Ok(Vec::new());
        };
        let select = Stmt::new(LIST_TRANSACTIONS)
            .text(connection)
            .text(account)
            .text(range.floor)
            .text(after_end)
            .text(range.dated_from)
            .int(
                range
                    .available_from
                    .map_or(i64::MAX, |t| t.as_microsecond()),
            );
        self.read_all(select, |row| {
            Ok(ListedTransaction {
                transaction: transaction(row)?,
                available_at: row.ts(8)?,
            })
        })
        .await
    }

    async fn latest_balance(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
    ) -> StoreResult<Option<BankTransaction>> {
        let select = Stmt::new(LATEST_BALANCE).text(connection).text(account);
        self.read_optional(select, transaction).await
    }

    async fn insert_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        transactions: &[BankTransaction],
        effects: Effects,
    ) -> StoreResult<()> {
        let stored = StoreTransactions::new::<B>(connection, account, transactions, None)?;
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    if let Some(stored) = stored {
                        stored.write_on::<B>(c).await?;
                    }
                    Change::new().effects(effects).write_on::<B>(c).await?;
                    Ok(())
                })
            })
            .await
    }

    async fn list_stale_accounts(
        &self,
        before: Timestamp,
    ) -> StoreResult<Vec<(ConnectionId, SourceAccountId)>> {
        let select = Stmt::new(
            "SELECT connection_id, id FROM source_accounts \
             WHERE status = 'connected' AND (last_pulled IS NULL OR last_pulled <= $1)",
        )
        .ts(before);
        self.read_all(select, |row| {
            Ok((row.parse("connection_id")?, row.account_id("id")?))
        })
        .await
    }

    async fn pair_credential(
        &self,
        credential: CredentialId,
        at: Timestamp,
        access_key_hash: Option<&[u8]>,
        effects: Effects,
    ) -> StoreResult<()> {
        let pair = Stmt::new(
            "UPDATE credentials SET paired = COALESCE(paired, $2) \
             WHERE id = $1 AND revoked IS NULL",
        )
        .text(credential)
        .ts(at);
        let keys = access_key_hash.map(|hash| {
            Stmt::new("INSERT INTO access_keys (hash, credential_id, created) VALUES ($1, $2, $3)")
                .bytes(hash)
                .text(credential)
                .ts(at)
        });
        let change = keys
            .into_iter()
            .fold(Change::new().changing(pair), Change::then);
        self.write(change.effects(effects)).await
    }

    async fn find_access_key(&self, hash: &[u8]) -> StoreResult<CredentialId> {
        let select = Stmt::new("SELECT credential_id FROM access_keys WHERE hash = $1").bytes(hash);
        self.read_one(select, |row| row.parse("credential_id"))
            .await
    }

    async fn record_code_failure(&self, connection: ConnectionId) -> StoreResult<u32> {
        let update = Stmt::new(
            "UPDATE confirmation_codes SET failures = failures + 1 \
             WHERE connection_id = $1 RETURNING failures",
        )
        .text(connection);
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    let failures = B::fetch(c, update, |row| row.int("failures")).await?;
                    let failures = failures.first().ok_or(StoreError::NotFound)?;
                    Ok(u32::try_from(*failures).unwrap_or(u32::MAX))
                })
            })
            .await
    }

    async fn signon_counters(
        &self,
        username: &str,
        address: &str,
        since: Timestamp,
    ) -> StoreResult<SignonCounters> {
        let select = Stmt::new(
            "SELECT \
             (SELECT consecutive FROM signon_throttle WHERE username = $1) AS consecutive, \
             (SELECT blocked_until FROM signon_throttle WHERE username = $1) AS blocked_until, \
             (SELECT COUNT(*) FROM signon_failures WHERE username = $1 AND at >= $3) AS by_user, \
             (SELECT COUNT(*) FROM signon_failures WHERE address = $2 AND at >= $3) AS by_address",
        )
        .text(username)
        .text(address)
        .ts(since);
        self.read_one(select, |row| {
            let count = |col: &str| -> StoreResult<u32> {
                let n = row.opt_int(col)?.unwrap_or(0);
                Ok(u32::try_from(n).unwrap_or(u32::MAX))
            };
            Ok(SignonCounters {
                consecutive: count("consecutive")?,
                blocked_until: row.opt_ts("blocked_until")?,
                username_recent: count("by_user")?,
                address_recent: count("by_address")?,
            })
        })
        .await
    }

    async fn record_signon_failure(
        &self,
        failure: &SignonFailure,
        effects: Effects,
    ) -> StoreResult<()> {
        let insert =
            Stmt::new("INSERT INTO signon_failures (username, address, at) VALUES ($1, $2, $3)")
                .text(&failure.username)
                .text(&failure.address)
                .ts(failure.at);
        let count = Stmt::new(
            "INSERT INTO signon_throttle (username, consecutive, blocked_until) \
             VALUES ($1, $3, $2) ON CONFLICT (username) DO UPDATE SET \
             consecutive = signon_throttle.consecutive + excluded.consecutive, \
             blocked_until = COALESCE(excluded.blocked_until, signon_throttle.blocked_until)",
        )
        .text(&failure.username)
        .opt_ts(failure.blocked_until)
        .int(i64::from(failure.extends));
        let change = Change::new().then(insert).then(count).effects(effects);
        self.write(change).await
    }

    async fn clear_signon_failures(&self, username: &str) -> StoreResult<()> {
        let delete = Stmt::new("DELETE FROM signon_throttle WHERE username = $1").text(username);
        self.write(Change::new().then(delete)).await
    }

    async fn prune_signon_failures(&self, before: Timestamp) -> StoreResult<()> {
        let delete = Stmt::new("DELETE FROM signon_failures WHERE at < $1").ts(before);
        self.write(Change::new().then(delete)).await
    }
}

/// Transactions of one account to store in one statement, made available at `at` or, when the
/// account's feed mark is already there, just after the mark; the mark moves to that instant.
/// The account row is updated first, so where writers share the database, concurrent writers of
/// one account take turns and each stamps after the last (shared with the push).
pub(crate) struct StoreTransactions {
    mark: Stmt,
    insert: Stmt,
}

impl StoreTransactions {
    /// `None` when there is nothing to store (the mark then stays where it is).
    pub fn new<B: Backend>(
        connection: ConnectionId,
        account: &SourceAccountId,
        rows: &[BankTransaction],
        at: Option<Timestamp>,
    ) -> StoreResult<Option<Self>> {
        if rows.is_empty() {
            return Ok(None);
        }
        let mark = Stmt::new(
            "UPDATE source_accounts \
             SET feed_mark = CASE WHEN feed_mark >= $3 THEN feed_mark + 1 ELSE $3 END \
             WHERE connection_id = $1 AND id = $2 RETURNING feed_mark",
        )
        .text(connection)
        .text(account)
        .int(at.map_or(i64::MIN, |t| t.as_microsecond()));
        let insert = Stmt::new(B::INSERT_TRANSACTIONS)
            .text(connection)
            .text(account)
            .text(rows_json(rows)?);
        Ok(Some(Self { mark, insert }))
    }

    /// Moves the mark, then inserts every row stamped with it.
    pub async fn write_on<B: Backend>(self, c: &mut B::Conn) -> StoreResult<()> {
        let marks = B::fetch(c, self.mark, |row| row.int("feed_mark")).await?;
        let available = *marks.first().ok_or(StoreError::NotFound)?;
        B::execute(c, self.insert.int(available)).await?;
        Ok(())
    }
}

/// The rows as the set-based insert reads them: one JSON array of texts per transaction, in
/// [`transaction_columns!`] order (amounts keep their exact digits as text).
fn rows_json(rows: &[BankTransaction]) -> StoreResult<String> {
    let rows: Vec<_> = rows
        .iter()
        .map(|t| {
            (
                &t.id,
                t.date.to_string(),
                &t.description,
                t.amount.to_string(),
                t.balance.map(|b| b.to_string()),
                &t.transaction_type,
                &t.counterparty,
                &t.reference,
            )
        })
        .collect();
    json(&rows)
}

/// Reads a row selected with [`transaction_columns!`] first, by position: statement downloads
/// read hundreds of them.
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
