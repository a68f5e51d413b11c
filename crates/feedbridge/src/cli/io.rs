//! What every command shares: the storage flags, the start-up sequence (configuration, logging,
//! services), the lines printed for scripts, and the wait for a stop signal.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use tokio::net::TcpListener;

use crate::app::Running;
use crate::clock::SystemClock;
use crate::config::{Config, Overrides};
use crate::domain::Services;

/// Where the data lives; shared by every command that opens the database.
#[derive(Debug, Clone, Args)]
pub struct Storage {
    /// TOML configuration file.
    #[arg(long, env = "FEEDBRIDGE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory for the SQLite database and the secret key.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// `sqlite://PATH` or `postgres://…`.
    #[arg(long)]
    pub database_url: Option<String>,
}

impl Storage {
    /// These flags over `extra`: a flag given wins, one not given leaves `extra`'s value (the
    /// demo's temporary storage stays temporary).
    fn over(&self, extra: Overrides) -> Overrides {
        Overrides {
            data_dir: self.data_dir.clone().or(extra.data_dir),
            database_url: self.database_url.clone().or(extra.database_url),
            ..extra
        }
    }

    /// Loads the configuration with these flags over `extra`, and starts logging as it says.
    pub fn configure(&self, extra: Overrides) -> anyhow::Result<Config> {
        let config = Config::load(self.config.as_deref(), &self.over(extra))?;
        crate::telemetry::init(config.log_format);
        Ok(config)
    }

    /// The configuration, logging and the services, for a command that works on the data without
    /// serving it.
    pub async fn services(&self) -> anyhow::Result<Services> {
        let config = self.configure(Overrides::default())?;
        crate::app::services(&config, Arc::new(SystemClock), config.public_url.clone()).await
    }
}

/// Binds the configured address and starts serving on it.
pub async fn start_server(config: &Config) -> anyhow::Result<Running> {
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    crate::app::start(config, listener, Arc::new(SystemClock)).await
}

/// Writes one line to standard output and flushes it, so a reading script sees it at once.
pub fn out(line: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")?;
    stdout.flush()?;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_given_win_and_flags_not_given_keep_the_commands_own_values() {
        let temporary = Overrides {
            data_dir: Some(PathBuf::from("/tmp/demo")),
            database_url: Some(String::new()),
            ..Overrides::default()
        };
        let none = Storage {
            config: None,
            data_dir: None,
            database_url: None,
        };
        let kept = none.over(temporary.clone());
        assert_eq!(kept.data_dir, Some(PathBuf::from("/tmp/demo")));
        assert_eq!(kept.database_url.as_deref(), Some(""));
        let given = Storage {
            config: None,
            data_dir: Some(PathBuf::from("/srv/feeds")),
            database_url: Some("sqlite:///srv/feeds/db".into()),
        };
        let won = given.over(temporary);
        assert_eq!(won.data_dir, Some(PathBuf::from("/srv/feeds")));
        assert_eq!(won.database_url.as_deref(), Some("sqlite:///srv/feeds/db"));
    }
}
