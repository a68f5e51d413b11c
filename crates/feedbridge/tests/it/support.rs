//! Starting a real server for a test: a manual clock, a fresh data directory, 127.0.0.1:0.

use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;
use tokio::net::TcpListener;

use feedbridge::app::{start, Running};
use feedbridge::clock::ManualClock;
use feedbridge::config::Config;

/// The instant every test clock starts at.
pub fn t0() -> Timestamp {
    "2026-03-02T09:00:00Z".parse().unwrap()
}

/// Configuration for a test server in `dir`, allowed to send webhooks to loopback receivers.
pub fn config(dir: &Path) -> Config {
    let mut config = Config {
        data_dir: dir.to_path_buf(),
        ..Config::default()
    };
    config.webhooks.allow_private_targets = true;
    config
}

/// Starts a server on 127.0.0.1:0 with `config` and `clock`.
pub async fn server(config: &Config, clock: &ManualClock) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    start(config, listener, Arc::new(clock.clone()))
        .await
        .unwrap()
}

/// Retries `check` every 20 ms for up to ten seconds.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..500 {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}
