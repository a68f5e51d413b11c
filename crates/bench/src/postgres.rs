//! The same measurements on PostgreSQL, on a database created for the run and dropped after
//! it, when a server answers at the given URL; otherwise the run says it skipped them.

use std::time::Duration;

use feedbridge_testkit::{Scratch, PG_ENV};
use serde_json::{json, Value};

use crate::backend::Backend;
use crate::ingest::{self, Load};
use crate::{signon, statement};

/// Where to look when neither `--postgres` nor `FEEDBRIDGE_TEST_PG` says.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// `--postgres URL`, else `FEEDBRIDGE_TEST_PG`, else [`DEFAULT_URL`]; `--postgres none` skips.
pub fn url(flag: Option<String>) -> String {
    if let Some(url) = flag {
        return url;
    }
    match std::env::var(PG_ENV) {
        Ok(url) if !url.is_empty() => url,
        _ => DEFAULT_URL.into(),
    }
}

/// The sizes of the SQLite run, reused here.
pub struct Sizes {
    pub load: Load,
    pub signon_clients: usize,
    pub signons: usize,
    pub statement: statement::Plan,
}

/// Runs everything on a scratch database, or answers why it did not.
pub async fn run(admin_url: &str, sizes: &Sizes) -> anyhow::Result<Value> {
    if admin_url == "none" {
        return Ok(json!({"skipped": "--postgres none"}));
    }
    let create = Scratch::create(admin_url, "feedbridge_bench");
    let scratch = match tokio::time::timeout(Duration::from_secs(3), create).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Ok(json!({"skipped": format!("not reachable: {e}")})),
        Err(_) => return Ok(json!({"skipped": "not reachable: no answer within 3 s"})),
    };
    let outcome = measure(&Backend::postgres(scratch.url()), sizes).await;
    scratch.remove().await?;
    outcome
}

/// Each measurement starts its own server on the one database; tables only grow, and every
/// run uses fresh companies, so they do not see each other's rows.
async fn measure(backend: &Backend, s: &Sizes) -> anyhow::Result<Value> {
    let ingest = ingest::run(backend, s.load).await?;
    let (signons, signon_rss) =
        signon::run(backend, s.signon_clients, s.signons / s.signon_clients).await?;
    let statements = statement::run(backend, s.statement).await?;
    Ok(json!({
        "ingest": {
            "clients": s.load.clients,
            "accounts": s.load.clients * s.load.accounts,
            "pushes": s.load.clients * s.load.pushes,
            "transactions": s.load.transactions(),
            "transactions_per_second": ingest.per_second.round(),
            "push_p50_ms": crate::millis(ingest.p50),
            "push_p99_ms": crate::millis(ingest.p99),
            "rss_mib": ingest.rss_mib,
        },
        "signons_per_second": signons.round(),
        "signon_rss_mib": signon_rss,
        "statements": statements,
    }))
}
