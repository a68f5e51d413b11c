//! Starting a real server for a test and talking to it.

use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use feedbridge::app::{start, Running};
use feedbridge::clock::ManualClock;
use feedbridge::config::Config;
use feedbridge_store::ClientId;
use jiff::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// A running server, its clock, and an API key of one client.
pub struct TestApp {
    pub running: Running,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    pub key: String,
    pub _dir: tempfile::TempDir,
}

/// The instant every test starts at, so date rules are deterministic.
pub fn start_instant() -> Timestamp {
    "2026-03-02T15:00:00Z".parse().unwrap()
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    adjust(&mut config);
    let clock = ManualClock::new(start_instant());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let running = start(&config, listener, Arc::new(clock.clone()))
        .await
        .unwrap();
    let key = running
        .services
        .create_client("Tests")
        .await
        .unwrap()
        .plaintext;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        running,
        clock,
        http,
        key,
        _dir: dir,
    }
}

/// The `Authorization` value for a key.
pub fn basic(key: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.base_url)
    }

    /// A second tenant's key.
    pub async fn other_key(&self) -> String {
        self.running
            .services
            .create_client("Other")
            .await
            .unwrap()
            .plaintext
    }

    /// Sends a request with `key` and returns the status and JSON body (Null when empty).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("authorization", basic(key));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, &self.key, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, &self.key, Some(body)).await
    }

    /// Creates a company and a QuickBooks connection; returns their ids.
    pub async fn company_and_connection(&self) -> (String, String) {
        let (status, company) = self
            .post("/companies", json!({"name": "Bean Counters"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{company}");
        let company = company["id"].as_str().unwrap().to_owned();
        let (status, conn) = self
            .post(
                &format!("/companies/{company}/connections"),
                json!({"platformKey": "hcws"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{conn}");
        (company, conn["id"].as_str().unwrap().to_owned())
    }
}

/// Noon UTC on a fixed day, so "today" is the same wherever the tests run.
pub const START: &str = "2026-03-10T12:00:00Z";

pub struct Server {
    pub running: Running,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    pub auth: String,
    _dir: tempfile::TempDir,
}

impl Server {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            data_dir: dir.path().join("data"),
            ..Config::default()
        };
        let clock = ManualClock::new(START.parse::<Timestamp>().unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let running = start(&config, listener, Arc::new(clock.clone()))
            .await
            .unwrap();
        let key = running.services.create_client("Tests").await.unwrap();
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(key.plaintext)
        );
        Self {
            running,
            clock,
            http: reqwest::Client::new(),
            auth,
            _dir: dir,
        }
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<&str>) -> (StatusCode, Value) {
        let url = format!("{}{path}", self.running.base_url);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self
            .http
            .request(method, url)
            .header("authorization", &self.auth);
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send("POST", path, Some(&body.to_string())).await
    }

    pub async fn get(&self, path: &str) -> Value {
        let (status, body) = self.send("GET", path, None).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// A fresh company with a QBO Bank Feeds connection: `(companyId, connectionId)`.
    pub async fn connection(&self) -> (String, String) {
        let (_, company) = self.post("/companies", &json!({"name": "Maple Co"})).await;
        let company = company["id"].as_str().unwrap().to_owned();
        let path = format!("/companies/{company}/connections");
        let (_, conn) = self.post(&path, &json!({"platformKey": "hcws"})).await;
        (company, conn["id"].as_str().unwrap().to_owned())
    }
}

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
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    };
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
