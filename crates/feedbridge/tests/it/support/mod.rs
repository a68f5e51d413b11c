//! The one way a test starts Feedbridge: [`TestApp::spawn`], or [`TestApp::builder`] to move the
//! start instant or change the configuration first. Every app starts at [`T0`] with one client
//! ([`TestApp::client`]) and a storage of its own: SQLite in a temporary directory, or a fresh
//! PostgreSQL database when `FEEDBRIDGE_TEST_BACKEND=postgres` (see [`db`]).

mod answer;
mod db;
pub mod feed;
pub mod link;
pub mod oauth;
mod receiver;
pub mod services;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use jiff::Timestamp;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use feedbridge::app::{start, Running};
use feedbridge::clock::ManualClock;
use feedbridge::config::Config;
use feedbridge::domain::Services;
use feedbridge_store::{ApiKeyId, ClientId};

pub use answer::{Answer, Req};
pub use receiver::{Receiver, Reply};

use db::Db;

/// Whether this pass runs the apps on PostgreSQL (`FEEDBRIDGE_TEST_BACKEND=postgres`).
pub fn on_postgres() -> bool {
    db::on_postgres()
}

/// The instant every test starts at, so date rules are the same wherever and whenever it runs.
pub const T0: &str = "2026-03-02T15:00:00Z";

/// [`T0`] as a timestamp.
pub fn t0() -> Timestamp {
    T0.parse().unwrap()
}

/// The `Authorization` value of an API key.
pub fn basic(key: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(key);
    format!("Basic {encoded}")
}

/// A tenant of the client API: a client and one of its keys.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: ClientId,
    pub key_id: ApiKeyId,
    pub key: String,
}

/// A running server on 127.0.0.1:0, its manual clock and its first client.
pub struct TestApp {
    pub running: Running,
    pub clock: ManualClock,
    /// The tenant every request is made as unless it says otherwise.
    pub client: Tenant,
    http: reqwest::Client,
    config: Config,
    db: Db,
}

/// How a [`TestApp`] (or the services alone) will start.
pub struct Builder {
    now: Timestamp,
    config: Config,
    /// SQLite whatever the environment says, for what only the SQLite backend does.
    sqlite: bool,
}

impl TestApp {
    pub fn builder() -> Builder {
        Builder {
            now: t0(),
            config: Config::default(),
            sqlite: false,
        }
    }

    pub async fn spawn() -> Self {
        Self::builder().spawn().await
    }

    pub fn services(&self) -> &Services {
        &self.running.services
    }

    /// The server's own address with `path`: `public_url` may name a host nobody resolves.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.running.addr)
    }

    /// A request made as [`TestApp::client`]; see [`Req`] for making it otherwise.
    pub fn req(&self, method: Method, path: &str) -> Req {
        Req::new(self, method, path)
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.req(Method::GET, path).send().await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.req(Method::POST, path).json(&body).send().await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.req(Method::PATCH, path).json(&body).send().await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.req(Method::DELETE, path).send().await
    }

    /// Another client with its first key.
    pub async fn new_client(&self, name: &str) -> Tenant {
        new_client(self.services(), name).await
    }

    /// Creates a company and a QuickBooks connection through the API; returns their ids.
    pub async fn company_and_connection(&self) -> (String, String) {
        let company = self
            .post("/companies", json!({"name": "Bean Counters"}))
            .await
            .ok();
        let company = company["id"].as_str().unwrap().to_owned();
        let path = format!("/companies/{company}/connections");
        let conn = self.post(&path, json!({"platformKey": "hcws"})).await.ok();
        (company, conn["id"].as_str().unwrap().to_owned())
    }

    /// The data directory (the SQLite file's home).
    pub fn data_dir(&self) -> &std::path::Path {
        self.db.path()
    }

    /// Runs `statement` on the server's database behind its back, to break it on purpose.
    pub async fn sql(&self, statement: &str) {
        self.db.execute(statement).await;
    }

    /// Stops the server and starts it again on the same storage, clock and configuration.
    pub async fn restart(self) -> Self {
        self.running.stop().await;
        let running = serve(&self.config, &self.clock).await;
        Self { running, ..self }
    }

    /// Stops the server, letting requests in flight finish.
    pub async fn stop(self) {
        self.running.stop().await;
    }
}

impl Builder {
    /// Starts the clock at `now` instead of [`T0`], for a rule that depends on the time of day.
    pub fn at(mut self, now: &str) -> Self {
        self.now = now.parse().unwrap();
        self
    }

    /// Changes the configuration; storage settings are overwritten at start.
    pub fn config(mut self, change: impl FnOnce(&mut Config)) -> Self {
        change(&mut self.config);
        self
    }

    /// Runs on SQLite in every pass, for a test of what only the SQLite backend does.
    pub fn on_sqlite(mut self) -> Self {
        self.sqlite = true;
        self
    }

    pub async fn spawn(self) -> TestApp {
        let Self {
            now,
            mut config,
            sqlite,
        } = self;
        let db = if sqlite {
            Db::sqlite()
        } else {
            Db::create().await
        };
        db.configure(&mut config);
        let clock = ManualClock::new(now);
        let running = serve(&config, &clock).await;
        let client = new_client(&running.services, "Tests").await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            running,
            clock,
            client,
            http,
            config,
            db,
        }
    }
}

async fn serve(config: &Config, clock: &ManualClock) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    start(config, listener, Arc::new(clock.clone()))
        .await
        .unwrap()
}

async fn new_client(services: &Services, name: &str) -> Tenant {
    let issued = services.create_client(name).await.unwrap();
    Tenant {
        id: issued.key.client_id,
        key_id: issued.key.id,
        key: issued.plaintext,
    }
}

/// Retries `check` every 20 ms for up to ten seconds.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..500 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}
