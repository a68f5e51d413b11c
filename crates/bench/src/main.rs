//! `feedbridge-bench`: starts real servers in temporary directories and measures sustained ingest
//! through the HTTP API against the engine's own speed on the same rows (the physical limit),
//! OFX sign-ons and statement downloads over a large fixture, then the same on PostgreSQL when
//! one is reachable, so the figures in docs/performance.md can be reproduced by anyone. It
//! reports; it never asserts times. `crash` runs the crash-safety test against a server process
//! it kills and restarts.

mod backend;
mod cli;
mod connect;
mod crash;
mod engine;
mod fixture;
mod ingest;
mod layers;
mod load;
mod postgres;
mod report;
mod rss;
mod signon;
mod statement;
mod sustained;

use std::io::Write;
use std::time::Duration;

use clap::Parser;
use serde_json::json;

use cli::{AllArgs, Cli, Command};

/// Transactions per push, as the target is stated.
pub const BATCH: usize = 1000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::All(args) => all(args).await,
        Command::Ingest(args) => {
            let (ingest, _) = sustained::run(args).await?;
            print(&sustained::text(&ingest), &json!({ "ingest": ingest }))
        }
        Command::Crash(options) => crash::run(&options).await,
        Command::CrashServer { data_dir } => crash::serve(&data_dir).await,
    }
}

/// Ingest against the engine limit, sign-ons and statement downloads, on SQLite then PostgreSQL.
async fn all(args: AllArgs) -> anyhow::Result<()> {
    let plan = statement::Plan {
        transactions: args.transactions,
        statements: args.statements,
        pullers: args.pullers,
    };
    let (ingest, ingest_rss) = sustained::run(args.ingest).await?;
    let sqlite = backend::Backend::default();
    let (signons, signon_rss) = signon::run(
        &sqlite,
        args.signon_clients,
        args.signons / args.signon_clients,
    )
    .await?;
    let statements = statement::run(&sqlite, plan).await?;
    let sizes = postgres::Sizes {
        load: args.ingest.load,
        signon_clients: args.signon_clients,
        signons: args.signons,
        statement: plan,
    };
    let pg = postgres::run(&postgres::url(args.postgres), &sizes).await?;
    let phases = [ingest_rss, signon_rss, statements["rss_mib"].as_u64()];
    let report = json!({
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "ingest": ingest,
        "signons_per_second": signons.round(),
        "statements": statements,
        "rss_mib": {"ingest": phases[0], "signons": phases[1], "statements": phases[2]},
        "peak_rss_mib": phases.iter().flatten().max(),
        "postgres": pg,
    });
    let text = format!(
        "cores: {}\n{}\nOFX sign-ons: {}/s\n{}",
        report["cores"],
        sustained::text(&report["ingest"]),
        report["signons_per_second"],
        report::text(&report),
    );
    print(&text, &report)
}

/// The figures as text, then as one JSON line.
fn print(text: &str, report: &serde_json::Value) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    writeln!(out, "{report}")?;
    Ok(())
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}
