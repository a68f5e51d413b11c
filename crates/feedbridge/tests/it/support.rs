//! Starts a real server on 127.0.0.1:0 with a manual clock, for integration tests.

use std::sync::Arc;

use feedbridge::app::{start, Running};
use feedbridge::clock::ManualClock;
use feedbridge::config::Config;
use feedbridge_store::ClientId;

pub struct TestServer {
    pub running: Running,
    pub clock: ManualClock,
    pub client: ClientId,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A server whose configuration `tune` may adjust, its clock at `now`.
pub async fn server_at(now: jiff::Timestamp, tune: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.data_dir = dir.path().to_path_buf();
    config.listen = "127.0.0.1:0".parse().unwrap();
    tune(&mut config);
    let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
    let clock = ManualClock::new(now);
    let running = start(&config, listener, Arc::new(clock.clone()))
        .await
        .unwrap();
    let issued = running.services.create_client("Tests").await.unwrap();
    TestServer {
        client: issued.key.client_id,
        running,
        clock,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}
