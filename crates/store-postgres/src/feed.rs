//! The `FeedStore` contract: statement transactions, access keys and sign-on counters.
//!
//! Transaction dates are stored as ISO text, so a date range is a prefix range that the
//! `(connection_id, account_id, date)` index answers without a scan.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use feedbridge_store::{
    BankTransaction, ConnectionId, CredentialId, Effects, FeedStore, SignonCounters, SignonFailure,
    SourceAccountId, StatementRange, StoreResult,
};

use crate::effects;
use crate::rows::{backend, corrupt, expect_rows, get, get_opt_decimal, get_opt_ts, parse, ts};
use crate::PgStore;

const COLUMNS: &str =
    "id, date, description, amount, balance, transaction_type, counterparty, reference";

#[async_trait]
impl FeedStore for PgStore {
    async fn list_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        range: StatementRange,
    ) -> StoreResult<Vec<BankTransaction>> {
        let Some(after_end) = range.dated_to.tomorrow().ok() else {
            return Ok(Vec::new());
        };
        // Two index ranges, by date and by availability, rather than one OR that the planner
        // would answer by walking every transaction since the feed start.
        let sql = format!(
            "SELECT {COLUMNS} FROM ( \
             SELECT seq AS position, {COLUMNS} FROM bank_transactions \
             WHERE connection_id = $1 AND account_id = $2 AND date >= $5 AND date < $4 \
             UNION \
             SELECT seq AS position, {COLUMNS} FROM bank_transactions \
             WHERE connection_id = $1 AND account_id = $2 AND available_at >= $6 \
             ) AS listed WHERE date >= $3 AND date < $4 ORDER BY date, position"
        );
        let rows = sqlx::query(&sql)
            .bind(connection.to_string())
            .bind(account.as_str())
            .bind(range.floor.to_string())
            .bind(after_end.to_string())
            .bind(range.dated_from.to_string())
            .bind(range.available_from.map_or(i64::MAX, ts))
            .fetch_all(self.read())
            .await
            .map_err(backend)?;
        rows.iter().map(transaction).collect()
    }

    async fn latest_balance(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
    ) -> StoreResult<Option<BankTransaction>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bank_transactions WHERE connection_id = $1 AND account_id = $2 \
             AND balance IS NOT NULL ORDER BY date DESC, seq DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(connection.to_string())
            .bind(account.as_str())
            .fetch_optional(self.read())
            .await
            .map_err(backend)?;
        row.as_ref().map(transaction).transpose()
    }

    async fn insert_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        transactions: &[BankTransaction],
        effects: Effects,
    ) -> StoreResult<()> {
        let (account, rows) = (account.clone(), transactions.to_vec());
        self.write(move |c| {
            Box::pin(async move {
                store_transactions(c, connection, &account, &rows, None).await?;
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn list_stale_accounts(
        &self,
        before: Timestamp,
    ) -> StoreResult<Vec<(ConnectionId, SourceAccountId)>> {
        let rows = sqlx::query(
            "SELECT connection_id, id FROM source_accounts \
             WHERE status = 'connected' AND (last_pulled IS NULL OR last_pulled <= $1)",
        )
        .bind(ts(before))
        .fetch_all(self.read())
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                let id: String = get(r, "id")?;
                Ok((
                    parse(r, "connection_id")?,
                    SourceAccountId::parse(&id).map_err(corrupt)?,
                ))
            })
            .collect()
    }

    async fn pair_credential(
        &self,
        credential: CredentialId,
        at: Timestamp,
        access_key_hash: Option<&[u8]>,
        effects: Effects,
    ) -> StoreResult<()> {
        let hash = access_key_hash.map(<[u8]>::to_vec);
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE credentials SET paired = COALESCE(paired, $2) \
                         WHERE id = $1 AND revoked IS NULL",
                )
                .bind(credential.to_string())
                .bind(ts(at))
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                expect_rows(done)?;
                if let Some(hash) = &hash {
                    sqlx::query(
                        "INSERT INTO access_keys (hash, credential_id, created) \
                             VALUES ($1, $2, $3)",
                    )
                    .bind(hash)
                    .bind(credential.to_string())
                    .bind(ts(at))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)?;
                }
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn find_access_key(&self, hash: &[u8]) -> StoreResult<CredentialId> {
        let row = sqlx::query("SELECT credential_id FROM access_keys WHERE hash = $1")
            .bind(hash)
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        parse(&row, "credential_id")
    }

    async fn record_code_failure(&self, connection: ConnectionId) -> StoreResult<u32> {
        self.write(move |c| {
            Box::pin(async move {
                let failures: i64 = sqlx::query_scalar(
                    "UPDATE confirmation_codes SET failures = failures + 1 \
                         WHERE connection_id = $1 RETURNING failures",
                )
                .bind(connection.to_string())
                .fetch_one(&mut *c)
                .await
                .map_err(backend)?;
                Ok(u32::try_from(failures).unwrap_or(u32::MAX))
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
        let row = sqlx::query(
            "SELECT \
             (SELECT consecutive FROM signon_throttle WHERE username = $1) AS consecutive, \
             (SELECT blocked_until FROM signon_throttle WHERE username = $1) AS blocked_until, \
             (SELECT COUNT(*) FROM signon_failures WHERE username = $1 AND at >= $3) AS by_user, \
             (SELECT COUNT(*) FROM signon_failures WHERE address = $2 AND at >= $3) AS by_address",
        )
        .bind(username)
        .bind(address)
        .bind(ts(since))
        .fetch_one(self.read())
        .await
        .map_err(backend)?;
        let count = |col: &str| -> StoreResult<u32> {
            let n: Option<i64> = get(&row, col)?;
            Ok(u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX))
        };
        Ok(SignonCounters {
            consecutive: count("consecutive")?,
            blocked_until: get_opt_ts(&row, "blocked_until")?,
            username_recent: count("by_user")?,
            address_recent: count("by_address")?,
        })
    }

    async fn record_signon_failure(
        &self,
        failure: &SignonFailure,
        effects: Effects,
    ) -> StoreResult<()> {
        let f = failure.clone();
        self
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO signon_failures (username, address, at) VALUES ($1, $2, $3)",
                    )
                    .bind(&f.username)
                    .bind(&f.address)
                    .bind(ts(f.at))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)?;
                    sqlx::query(
                        "INSERT INTO signon_throttle (username, consecutive, blocked_until) \
                         VALUES ($1, $3, $2) ON CONFLICT (username) DO UPDATE SET \
                         consecutive = signon_throttle.consecutive + excluded.consecutive, \
                         blocked_until = COALESCE(excluded.blocked_until, signon_throttle.blocked_until)",
                    )
                    .bind(&f.username)
                    .bind(f.blocked_until.map(ts))
                    .bind(i64::from(f.extends))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)?;
                    effects::write(c, &effects).await
                })
            })
            .await
    }

    async fn clear_signon_failures(&self, username: &str) -> StoreResult<()> {
        let username = username.to_owned();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query("DELETE FROM signon_throttle WHERE username = $1")
                    .bind(&username)
                    .execute(&mut *c)
                    .await
                    .map_err(backend)
                    .map(|_| ())
            })
        })
        .await
    }

    async fn prune_signon_failures(&self, before: Timestamp) -> StoreResult<()> {
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query("DELETE FROM signon_failures WHERE at < $1")
                    .bind(ts(before))
                    .execute(&mut *c)
                    .await
                    .map_err(backend)
                    .map(|_| ())
            })
        })
        .await
    }
}

/// Stores transactions of one account, made available at `at` or, when the account's feed
/// mark is already there, just after the mark; the mark moves to that instant. The account row
/// is updated first, so on PostgreSQL concurrent writers of one account take turns and each
/// stamps after the last (shared with the push feature).
pub(crate) async fn store_transactions(
    c: &mut PgConnection,
    connection: ConnectionId,
    account: &SourceAccountId,
    rows: &[BankTransaction],
    at: Option<Timestamp>,
) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let available: i64 = sqlx::query_scalar(
        "UPDATE source_accounts \
         SET feed_mark = CASE WHEN feed_mark >= $3 THEN feed_mark + 1 ELSE $3 END \
         WHERE connection_id = $1 AND id = $2 RETURNING feed_mark",
    )
    .bind(connection.to_string())
    .bind(account.as_str())
    .bind(at.map_or(i64::MIN, ts))
    .fetch_one(&mut *c)
    .await
    .map_err(backend)?;
    for t in rows {
        sqlx::query(
            "INSERT INTO bank_transactions (connection_id, account_id, id, date, description, \
             amount, balance, transaction_type, counterparty, reference, available_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(connection.to_string())
        .bind(account.as_str())
        .bind(&t.id)
        .bind(t.date.to_string())
        .bind(&t.description)
        .bind(t.amount.to_string())
        .bind(t.balance.map(|b| b.to_string()))
        .bind(&t.transaction_type)
        .bind(&t.counterparty)
        .bind(&t.reference)
        .bind(available)
        .execute(&mut *c)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

pub(crate) fn transaction(row: &PgRow) -> StoreResult<BankTransaction> {
    let amount: String = get(row, "amount")?;
    Ok(BankTransaction {
        id: get(row, "id")?,
        date: parse(row, "date")?,
        description: get(row, "description")?,
        amount: amount.parse().map_err(corrupt)?,
        balance: get_opt_decimal(row, "balance")?,
        transaction_type: get(row, "transaction_type")?,
        counterparty: get(row, "counterparty")?,
        reference: get(row, "reference")?,
    })
}
