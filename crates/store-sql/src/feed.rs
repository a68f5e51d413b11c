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
use crate::bank_transactions::{feed_mark, transaction, NewRows};
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};
use crate::transaction_columns;

/// Two index ranges, by date and by availability, rather than one OR that the planner would
/// answer by walking every transaction since the feed start. The second keeps only what the first
/// cannot hold (dated before the window), so they never overlap and `UNION ALL` spares both
/// engines comparing whole rows to drop duplicates. Its date bounds are written as expressions
/// (`date || ''`) so that neither engine answers it from the date index, walking every
/// transaction since the feed start (`$3`), as both did when the bounds were plain comparisons.
/// `$5` is never before `$3`.
const LIST_TRANSACTIONS: &str = concat!(
    "SELECT ",
    transaction_columns!(),
    ", available_at FROM (SELECT rowid AS position, available_at, ",
    transaction_columns!(),
    " FROM bank_transactions WHERE connection_id = $1 AND account_id = $2 \
     AND date >= $5 AND date < $4 \
     UNION ALL SELECT rowid AS position, available_at, ",
    transaction_columns!(),
    " FROM bank_transactions WHERE connection_id = $1 AND account_id = $2 \
     AND available_at >= $6 AND date || '' >= $3 AND date || '' < $5 AND date || '' < $4) \
     AS listed ORDER BY date, position"
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
            .text(range.dated_from.max(range.floor))
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
        let (account, rows) = (account.clone(), transactions.to_vec());
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    let mut change = Change::new();
                    if !rows.is_empty() {
                        let mark = feed_mark::<B>(c, connection, &account).await?;
                        let new = NewRows {
                            connection,
                            account: &account,
                            rows: &rows,
                            balance: None,
                        };
                        change = new.add_to::<B>(change, mark, None)?;
                    }
                    change.effects(effects).write_on::<B>(c).await?;
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
