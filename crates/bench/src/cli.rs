//! The command line: one subcommand per run (`all`, `ingest`, `crash`, and the hidden server
//! process the crash test starts), parsed by clap so every flag has its help, default and check
//! in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::crash;
use crate::ingest::Load;

#[derive(Debug, Parser)]
#[command(
    name = "feedbridge-bench",
    about = "Measures Feedbridge against its performance targets; reports, never asserts times."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest against the engine limit, sign-ons and statement downloads, on SQLite then
    /// PostgreSQL.
    All(AllArgs),
    /// Ingest against the engine limit on SQLite only.
    Ingest(IngestArgs),
    /// Pushes while the server process is killed and restarted; checks nothing acknowledged is
    /// lost or doubled.
    Crash(crash::Options),
    /// The server process the crash test starts: serves `DATA_DIR` until standard input closes.
    #[command(name = crash::SERVER_COMMAND, hide = true)]
    CrashServer { data_dir: PathBuf },
}

/// Sustained ingest, repeated `--runs` times.
#[derive(Debug, Clone, Copy, Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub load: Load,
    /// Ingest runs, each with its own engine limit; the medians are reported.
    #[arg(long, default_value_t = 1, value_parser = positive)]
    pub runs: usize,
}

#[derive(Debug, Clone, Args)]
pub struct AllArgs {
    #[command(flatten)]
    pub ingest: IngestArgs,
    /// Concurrent OFX sign-on clients.
    #[arg(long, default_value_t = 4, value_parser = positive)]
    pub signon_clients: usize,
    /// OFX sign-ons in total.
    #[arg(long, default_value_t = 5000)]
    pub signons: usize,
    /// Stored transactions for the statement measurement.
    #[arg(long, default_value_t = 10_000_000)]
    pub transactions: usize,
    /// Statement downloads measured under load.
    #[arg(long, default_value_t = 5000)]
    pub statements: usize,
    /// Concurrent statement clients.
    #[arg(long, default_value_t = 32, value_parser = positive)]
    pub pullers: usize,
    /// The PostgreSQL server to repeat the run on (`none` skips it); default
    /// `FEEDBRIDGE_TEST_PG`, else a local server.
    #[arg(long)]
    pub postgres: Option<String>,
}

/// A count of at least one.
pub fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{text:?} is not a whole number of at least 1")),
    }
}
