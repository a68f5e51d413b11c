//! The server under test as a separate process, so it can die by SIGKILL: this binary runs itself
//! with the hidden `crash-server` command, which starts Feedbridge on a port-0 listener, prints its
//! base URL and stops cleanly when its standard input closes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

use feedbridge::clock::SystemClock;
use feedbridge::config::Config;

/// The hidden command's name.
pub const COMMAND: &str = "crash-server";

/// Where the server keeps its state, the same across restarts.
#[derive(Clone, Debug)]
pub struct Target {
    pub data_dir: PathBuf,
    /// Empty for SQLite in `data_dir`.
    pub database_url: String,
    /// Empty for SQLite (the key file in `data_dir`).
    pub secret_key: String,
}

impl Target {
    pub fn config(&self) -> Config {
        // Empty texts parse to nothing: SQLite and the key file in `data_dir`.
        let mut config = Config {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.parse().ok(),
            secret_key: self.secret_key.parse().ok(),
            ..Config::default()
        };
        // Every client pushes as fast as it can: the rate limit is not under test here.
        config.limits.requests_per_minute = 1_000_000;
        config
    }
}

/// A running server process.
pub struct Process {
    child: Child,
    pub base_url: String,
}

impl Process {
    /// Starts the server on `target` and waits for its base URL.
    pub async fn start(target: &Target) -> anyhow::Result<Self> {
        let mut command = Command::new(std::env::current_exe()?);
        command
            .arg(COMMAND)
            .arg(&target.data_dir)
            .env("FEEDBRIDGE_CRASH_DATABASE_URL", &target.database_url)
            .env("FEEDBRIDGE_CRASH_SECRET_KEY", &target.secret_key)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().context("starting the server process")?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).await?;
        anyhow::ensure!(
            line.starts_with("http://"),
            "the server process did not print its URL (got {line:?})"
        );
        Ok(Self {
            child,
            base_url: line.trim().to_owned(),
        })
    }

    /// SIGKILL: the process gets no chance to finish anything.
    pub async fn kill(mut self) -> anyhow::Result<()> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }

    /// Closes its standard input, which asks for a clean stop, and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        drop(self.child.stdin.take());
        let status = self.child.wait().await?;
        anyhow::ensure!(status.success(), "the server stopped with {status}");
        Ok(())
    }
}

/// The hidden command: serve `data_dir` until standard input closes.
pub async fn serve(data_dir: &Path) -> anyhow::Result<()> {
    let target = Target {
        data_dir: data_dir.to_path_buf(),
        database_url: std::env::var("FEEDBRIDGE_CRASH_DATABASE_URL").unwrap_or_default(),
        secret_key: std::env::var("FEEDBRIDGE_CRASH_SECRET_KEY").unwrap_or_default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let running = feedbridge::app::start(&target.config(), listener, Arc::new(SystemClock)).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", running.base_url)?;
        out.flush()?;
    }
    let mut sink = Vec::new();
    tokio::io::stdin().read_to_end(&mut sink).await?;
    running.stop().await;
    Ok(())
}
