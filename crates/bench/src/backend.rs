//! Where a measured server keeps its data: a SQLite file in a temporary directory (the default
//! deployment) or a PostgreSQL database, so every measurement runs unchanged on either.

use std::path::Path;
use std::sync::Arc;

use feedbridge::app::Running;
use feedbridge::clock::SystemClock;
use feedbridge::config::Config;

/// A fixed master secret for PostgreSQL runs, which refuse a generated one; only ever used on
/// databases the benchmark creates and drops.
pub const PG_SECRET: &str = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";

/// The database a measured server runs on.
#[derive(Debug, Clone, Default)]
pub struct Backend {
    /// `None`: SQLite in the server's data directory.
    pub database_url: Option<String>,
}

impl Backend {
    pub fn postgres(url: &str) -> Self {
        Self {
            database_url: Some(url.to_owned()),
        }
    }

    /// Starts a server on 127.0.0.1 port 0 with `dir` as its data directory.
    pub async fn start(&self, dir: &Path) -> anyhow::Result<Running> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        feedbridge::app::start(&self.config(dir), listener, Arc::new(SystemClock)).await
    }

    /// The database URL a server started on `dir` uses.
    pub fn url(&self, dir: &Path) -> String {
        self.config(dir).database().as_str().to_owned()
    }

    /// The authentication prompt is off: feed clients sign on with paired credentials only. A
    /// URL that is not PostgreSQL's stays unset, so the server uses SQLite in `dir`.
    fn config(&self, dir: &Path) -> Config {
        let mut config = Config {
            data_dir: dir.to_path_buf(),
            ..Config::default()
        };
        if let Some(url) = &self.database_url {
            config.database_url = url.parse().ok();
            config.secret_key = PG_SECRET.parse().ok();
        }
        config.feed.authentication_prompt = false;
        config
    }
}
