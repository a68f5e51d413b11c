//! A real server on 127.0.0.1:0 with a manual clock, a client key and an HTTP client.

use std::sync::Arc;

use feedbridge::app::{start, Running};
use feedbridge::clock::ManualClock;
use feedbridge::config::Config;
use jiff::Timestamp;
use reqwest::header::AUTHORIZATION;
use serde_json::Value;

pub struct Server {
    pub running: Running,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    pub auth: String,
    _dir: tempfile::TempDir,
}

pub async fn server() -> Server {
    server_with(|_| {}).await
}

pub async fn server_with(tune: impl FnOnce(&mut Config)) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    config.institution.name = "Maple Bank".into();
    tune(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let clock = ManualClock::new(Timestamp::from_second(1_780_000_000).expect("time"));
    let running = start(&config, listener, Arc::new(clock.clone()))
        .await
        .expect("start");
    let issued = running
        .services
        .create_client("Tests")
        .await
        .expect("client");
    let auth = format!("Basic {}", base64_of(&issued.plaintext));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Server {
        running,
        clock,
        http,
        auth,
        _dir: dir,
    }
}

fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

impl Server {
    /// The address the server is reached at (not `public_url`, which may be a name).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.running.addr)
    }

    pub async fn api(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, self.url(path))
            .header(AUTHORIZATION, &self.auth);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("api request");
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.unwrap_or(Value::Null)
    }
}
