//! The statement path's storage layers timed on their own, through the server's store, one
//! call at a time: the statement query (the rows plus the latest balance) and the write every
//! download makes (the account's `last_pulled`), so the end-to-end figures can be split. The query
//! is asked as a download asks it, with the account's feed start (`feed_start`, the fixture's
//! first day) below the window.

use std::time::{Duration, Instant};

use feedbridge::domain::Services;
use feedbridge_store::{Effects, SourceAccountId, StatementRange};
use jiff::civil::Date;
use jiff::{SignedDuration, ToSpan};
use serde_json::{json, Value};

use crate::fixture::{Account, WINDOW_DAYS};
use crate::millis;
use crate::statement::at;

const QUERIES: usize = 1_000;
const WRITES: usize = 200;

pub async fn run(
    services: &Services,
    accounts: &[Account],
    feed_start: Date,
) -> anyhow::Result<Value> {
    let store = services.store_for_tests();
    let to = services.today();
    let from = to - WINDOW_DAYS.days();
    let range = StatementRange {
        floor: feed_start,
        dated_from: from,
        dated_to: to,
        available_from: Some(services.now() - SignedDuration::from_hours(24 * WINDOW_DAYS)),
    };
    let pick = |k: usize| accounts.get(k * 7919 % accounts.len().max(1));
    let mut queries = Vec::with_capacity(QUERIES);
    for k in 0..QUERIES {
        let Some(a) = pick(k) else { break };
        let id = SourceAccountId::parse(&a.id)?;
        let t = Instant::now();
        let rows = store.list_transactions(a.connection, &id, range).await?;
        store.latest_balance(a.connection, &id).await?;
        queries.push(t.elapsed());
        anyhow::ensure!(!rows.is_empty(), "empty statement for {}", a.id);
    }
    let mut writes: Vec<Duration> = Vec::with_capacity(WRITES);
    for k in 0..WRITES {
        let Some(a) = pick(k) else { break };
        let mut account = store
            .get_source_account(a.connection, &SourceAccountId::parse(&a.id)?)
            .await?;
        account.last_pulled = Some(services.now());
        let t = Instant::now();
        store
            .update_source_accounts(&[account], None, Effects::none())
            .await?;
        writes.push(t.elapsed());
    }
    Ok(json!({
        "query_p50_ms": millis(at(&mut queries, 0.50)),
        "query_p99_ms": millis(at(&mut queries, 0.99)),
        "pull_write_p50_ms": millis(at(&mut writes, 0.50)),
        "pull_write_p99_ms": millis(at(&mut writes, 0.99)),
    }))
}
