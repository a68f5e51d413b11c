//! The fast fixture loader: each account's transactions are generated inside the database by
//! one `INSERT … SELECT` over a row counter (a recursive CTE on SQLite, `generate_series` on
//! PostgreSQL), so nothing crosses the client boundary but the account keys. Dates rise with the
//! row number and accounts are loaded in key order, so index insertions are (nearly) appends.
//! Amounts and balances are decimal text built from integers, never from floats. Each row is made
//! available to the feed as it is dated, as if pushed the day it happened.

use std::str::FromStr;

use jiff::civil::Date;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, PgConnection};

use crate::fixture::{Account, Shape};

/// Accounts per statement (PostgreSQL) or per transaction (SQLite).
const CHUNK: usize = 25;

const SQLITE_INSERT: &str = "INSERT INTO bank_transactions (connection_id, account_id, id, date, \
    description, amount, balance, transaction_type, counterparty, available_at) \
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $3 - 1) \
    SELECT $1, $2, printf('t%07d', i), \
      date($4, '+' || (i * $5 / $3) || ' days') \
        || printf('T%02d:%02d:00', (i * 1440 * $5 / $3) % 1440 / 60, (i * 1440 * $5 / $3) % 60), \
      CASE i % 5 WHEN 0 THEN 'Card payment' WHEN 1 THEN 'Direct debit' WHEN 2 THEN 'Transfer' \
        WHEN 3 THEN 'ATM withdrawal' ELSE 'Deposit' END, \
      CASE WHEN i % 10 = 0 THEN printf('%d.%02d', 500 + (i * 31) % 2000, (i * 17) % 100) \
        ELSE printf('-%d.%02d', 1 + (i * 37) % 200, (i * 13) % 100) END, \
      printf('%d.%02d', 1000 + (i * 53) % 9000, (i * 7) % 100), \
      CASE WHEN i % 10 = 0 THEN 'Credit' ELSE 'Debit' END, \
      'Merchant ' || (i % 40), \
      $6 + i * $7 \
    FROM n";

const PG_INSERT: &str = "INSERT INTO bank_transactions (connection_id, account_id, id, date, \
    description, amount, balance, transaction_type, counterparty, available_at) \
    SELECT a.conn, a.acc, 't' || lpad(i::text, 7, '0'), \
      to_char($3::date + (i * $4 / $5)::int, 'YYYY-MM-DD') \
        || 'T' || lpad(((i * 1440 * $4 / $5) % 1440 / 60)::text, 2, '0') \
        || ':' || lpad(((i * 1440 * $4 / $5) % 60)::text, 2, '0') || ':00', \
      CASE i % 5 WHEN 0 THEN 'Card payment' WHEN 1 THEN 'Direct debit' WHEN 2 THEN 'Transfer' \
        WHEN 3 THEN 'ATM withdrawal' ELSE 'Deposit' END, \
      CASE WHEN i % 10 = 0 THEN (500 + (i * 31) % 2000) || '.' || lpad(((i * 17) % 100)::text, 2, '0') \
        ELSE '-' || (1 + (i * 37) % 200) || '.' || lpad(((i * 13) % 100)::text, 2, '0') END, \
      (1000 + (i * 53) % 9000) || '.' || lpad(((i * 7) % 100)::text, 2, '0'), \
      CASE WHEN i % 10 = 0 THEN 'Credit' ELSE 'Debit' END, \
      'Merchant ' || (i % 40), \
      $6 + i * $7 \
    FROM unnest($1::text[], $2::text[]) AS a(conn, acc) \
    CROSS JOIN generate_series(0::bigint, $5 - 1) AS i";

/// When the rows are made available: from the first day's start, evenly over the span, in
/// microseconds as the store keeps them.
struct Available {
    first: i64,
    step: i64,
}

impl Available {
    fn of(shape: Shape, first_day: Date) -> anyhow::Result<Self> {
        let first = first_day.to_zoned(jiff::tz::TimeZone::UTC)?.timestamp();
        let span = shape.span_days * 86_400_000_000;
        Ok(Self {
            first: first.as_microsecond(),
            step: span / (shape.per_account as i64).max(1),
        })
    }
}

/// Loads into the SQLite file at `url` beside the running server (which is idle meanwhile):
/// durability is off for the load only, as for any bulk import, then the WAL is folded back.
pub async fn sqlite(
    url: &str,
    accounts: &[Account],
    shape: Shape,
    first_day: Date,
) -> anyhow::Result<()> {
    let mut conn = SqliteConnectOptions::from_str(url)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Off)
        .busy_timeout(std::time::Duration::from_secs(30))
        .disable_statement_logging()
        .connect()
        .await?;
    let available = Available::of(shape, first_day)?;
    let first_day = first_day.to_string();
    for chunk in accounts.chunks(CHUNK) {
        let mut tx = conn.begin().await?;
        for a in chunk {
            sqlx::query(SQLITE_INSERT)
                .bind(a.connection.to_string())
                .bind(&a.id)
                .bind(shape.per_account as i64)
                .bind(&first_day)
                .bind(shape.span_days)
                .bind(available.first)
                .bind(available.step)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// Loads into the PostgreSQL database at `url` and refreshes its planner statistics, as
/// autovacuum would after a bulk load.
pub async fn postgres(
    url: &str,
    accounts: &[Account],
    shape: Shape,
    first_day: Date,
) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(url).await?;
    sqlx::query("SET synchronous_commit = off")
        .execute(&mut conn)
        .await?;
    let available = Available::of(shape, first_day)?;
    let first_day = first_day.to_string();
    for chunk in accounts.chunks(CHUNK) {
        let conns: Vec<String> = chunk.iter().map(|a| a.connection.to_string()).collect();
        let ids: Vec<String> = chunk.iter().map(|a| a.id.clone()).collect();
        sqlx::query(PG_INSERT)
            .bind(conns)
            .bind(ids)
            .bind(&first_day)
            .bind(shape.span_days)
            .bind(shape.per_account as i64)
            .bind(available.first)
            .bind(available.step)
            .execute(&mut conn)
            .await?;
    }
    sqlx::query("ANALYZE bank_transactions")
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// Bytes the database takes: the SQLite file and its WAL, or PostgreSQL's database size.
pub async fn size(url: &str) -> anyhow::Result<u64> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let len = |p: String| std::fs::metadata(p).map_or(0, |m| m.len());
        return Ok(len(path.to_owned()) + len(format!("{path}-wal")));
    }
    let mut conn = PgConnection::connect(url).await?;
    let bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(u64::try_from(bytes)?)
}
