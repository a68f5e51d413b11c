//! A running server with a manual clock, a client key and an HTTP client for it.

use std::sync::Arc;

use base64::Engine;
use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use feedbridge::app::{start, Running};
use feedbridge::clock::ManualClock;
use feedbridge::config::Config;

/// Noon UTC on a fixed day, so "today" is the same wherever the tests run.
pub const START: &str = "2026-03-10T12:00:00Z";

pub struct Server {
    pub running: Running,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    auth: String,
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
