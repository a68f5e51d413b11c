//! Assembling a running instance: storage, keys, services, the HTTP app, background work.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use feedbridge_store::Store;
use feedbridge_store_postgres::PgStore;
use feedbridge_store_sqlite::SqliteStore;

use crate::clock::Clock;
use crate::config::{Config, DatabaseUrl};
use crate::domain::{Services, Settings};
use crate::http::rate_limit::RateLimiter;
use crate::http::{app, AppState};
use crate::keys::Keys;

/// Opens the configured database (SQLite or PostgreSQL by URL scheme), applying pending
/// migrations: `migrate` and `serve` both come through here, so an instance never runs on an
/// older schema than its code expects.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = config.database();
    let opening = || format!("opening {}", url.redacted());
    match &url {
        DatabaseUrl::Sqlite(text) => {
            if config.database_url.is_none() {
                create_private_dir(&config.data_dir)?;
            }
            let store = SqliteStore::open(text).await.with_context(opening)?;
            Ok(Arc::new(store))
        }
        DatabaseUrl::Postgres(text) => {
            let store = PgStore::open(text).await.with_context(opening)?;
            Ok(Arc::new(store))
        }
    }
}

fn create_private_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("creating data directory {}", dir.display()))?;
    }
    Ok(())
}

/// The services of an instance whose public address is `public_url`.
pub async fn services(
    config: &Config,
    clock: Arc<dyn Clock>,
    public_url: String,
) -> anyhow::Result<Services> {
    anyhow::ensure!(
        config.secret_key.is_some() || config.database().is_sqlite(),
        "secret_key must be set when the database is PostgreSQL: every instance sharing it \
         needs the same master secret"
    );
    let store = open_store(config).await?;
    create_private_dir(&config.data_dir)?;
    let keys = Keys::load(config.secret_key.as_ref(), &config.data_dir)?;
    let settings = Settings {
        public_url: public_url.trim_end_matches('/').to_owned(),
        link_ttl_seconds: i64::try_from(config.link_ttl)?,
        time_zone: config.time_zone.clone(),
        institution: config.institution.clone(),
        feed: config.feed.clone(),
        webhooks: config.webhooks.clone(),
    };
    Ok(Services::new(store, keys, clock, settings))
}

/// A server started by [`start`].
pub struct Running {
    pub addr: SocketAddr,
    pub base_url: String,
    pub services: Services,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
    worker: JoinHandle<()>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and waits for the server to end.
    pub async fn stop(self) {
        self.worker.abort();
        let _ = self.stop.send(());
        let _ = self.task.await;
    }

    /// Waits until the server ends (it ends on its own only if its task fails).
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

/// Starts serving on `listener` (which may be bound to port 0).
pub async fn start(
    config: &Config,
    listener: TcpListener,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Running> {
    let addr = listener.local_addr()?;
    let base_url = if config.public_url.is_empty() {
        format!("http://{addr}")
    } else {
        config.public_url.trim_end_matches('/').to_owned()
    };
    let services = services(config, clock, base_url.clone()).await?;
    services
        .ensure_signing_key()
        .await
        .context("creating the first token signing key")?;
    if config.database().is_sqlite() {
        // This process is the database's only server: a claim still running was cut off when the
        // previous one stopped, and its retry must not wait for the claim's lease to lapse.
        services.release_running_idempotency_keys().await?;
    }
    let router = app(AppState {
        services: services.clone(),
        rate_limit: RateLimiter::new(config.limits.requests_per_minute),
    });
    tokio::spawn(services.clone().run_sweeps());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(crate::server::serve(listener, router, async {
        let _ = stopped.await;
    }));
    let worker = crate::webhooks::worker::spawn(services.clone());
    Ok(Running {
        addr,
        base_url,
        services,
        stop,
        task,
        worker,
    })
}
