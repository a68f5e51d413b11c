//! `feedbridge-bench`: starts a real server on SQLite in a temporary directory and measures ingest
//! through the HTTP API against the raw insert rate of the same table, OFX sign-ons and statement
//! downloads over a large fixture, then the same on PostgreSQL when one is reachable, so the
//! figures in docs/performance.md can be reproduced by anyone. It reports; it never asserts times.
//! `crash` runs the crash-safety test against a server process it kills and restarts.

mod backend;
mod crash;
mod fixture;
mod ingest;
mod layers;
mod load;
mod postgres;
mod raw;
mod report;
mod rss;
mod signon;
mod statement;

use std::io::Write;
use std::time::Duration;

use serde_json::json;

/// Transactions per push, as the target is stated.
pub const BATCH: usize = 1000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("all") => all(&args).await,
        Some("crash") => crash::run(&args).await,
        Some(crash::SERVER_COMMAND) => {
            let dir = args
                .get(1)
                .ok_or_else(|| anyhow::anyhow!("data dir missing"))?;
            crash::serve(std::path::Path::new(dir)).await
        }
        _ => anyhow::bail!(
            "usage: feedbridge-bench all [--clients N] [--pushes N] [--signons N] \
             [--transactions N] [--statements N] [--pullers N] [--postgres URL]\n       \
             feedbridge-bench crash [--transactions N] [--kills K] [--clients C] \
             [--accounts A] [--max-batch B] [--seed S] [--backend sqlite|postgres]"
        ),
    }
}

/// Ingest against raw insert, sign-ons and statement downloads, on SQLite then PostgreSQL.
async fn all(args: &[String]) -> anyhow::Result<()> {
    let clients = flag(args, "--clients", 4)?;
    let pushes = flag(args, "--pushes", 10)?;
    let signon_total = flag(args, "--signons", 5000)?;
    let plan = statement::Plan {
        transactions: flag(args, "--transactions", 10_000_000)?,
        statements: flag(args, "--statements", 5000)?,
        pullers: flag(args, "--pullers", 32)?,
    };
    let sqlite = backend::Backend::default();
    let ingest = ingest::run(&sqlite, clients, pushes).await?;
    let raw = raw::run(clients * pushes * BATCH).await?;
    let ratio = ingest.per_second / raw;
    let (signons, signon_rss) =
        signon::run(&sqlite, clients, signon_total / clients.max(1)).await?;
    let statements = statement::run(&sqlite, plan).await?;
    let sizes = postgres::Sizes {
        clients,
        pushes,
        signons: signon_total,
        statement: plan,
    };
    let pg = postgres::run(&postgres::url(args), &sizes).await?;
    let phases = [ingest.rss_mib, signon_rss, statements["rss_mib"].as_u64()];
    let report = json!({
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "ingest": {
            "clients": clients,
            "pushes": clients * pushes,
            "transactions_per_second": ingest.per_second.round(),
            "push_p50_ms": millis(ingest.p50),
            "push_p99_ms": millis(ingest.p99),
        },
        "raw_insert_per_second": raw.round(),
        "signons_per_second": signons.round(),
        "ingest_to_raw_ratio": (ratio * 1000.0).round() / 1000.0,
        "statements": statements,
        "rss_mib": {"ingest": phases[0], "signons": phases[1], "statements": phases[2]},
        "peak_rss_mib": phases.iter().flatten().max(),
        "postgres": pg,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", text(&report))?;
    writeln!(out, "{report}")?;
    Ok(())
}

fn flag(args: &[String], name: &str, default: usize) -> anyhow::Result<usize> {
    match args.iter().position(|a| a == name) {
        Some(i) => Ok(args
            .get(i + 1)
            .ok_or_else(|| anyhow::anyhow!("{name} needs a number"))?
            .parse()?),
        None => Ok(default),
    }
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

fn text(r: &serde_json::Value) -> String {
    let i = &r["ingest"];
    format!(
        "cores: {}\ningest: {} tx/s over {} pushes by {} clients (p50 {} ms, p99 {} ms per push)\n\
         raw insert: {} tx/s\nratio: {}\nOFX sign-ons: {}/s\n{}",
        r["cores"],
        i["transactions_per_second"],
        i["pushes"],
        i["clients"],
        i["push_p50_ms"],
        i["push_p99_ms"],
        r["raw_insert_per_second"],
        r["ingest_to_raw_ratio"],
        r["signons_per_second"],
        report::text(r),
    )
}
