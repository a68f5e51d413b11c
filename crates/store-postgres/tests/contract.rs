//! Holds the PostgreSQL backend to the shared store contract, on a database created for this run
//! and dropped after it, on the server named by `FEEDBRIDGE_TEST_PG`.
// Test code: a failed setup step is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::Arc;

use sqlx::{Connection, PgConnection};

use feedbridge_store::{HealthStore, Store};
use feedbridge_store_postgres::PgStore;

/// A database that exists for one test; dropped by `drop_now`.
struct Scratch {
    admin_url: String,
    name: String,
    url: String,
}

impl Scratch {
    /// `None` (after saying so) when no server is configured outside CI; panics in CI.
    async fn create() -> Option<Self> {
        let admin_url = match std::env::var("FEEDBRIDGE_TEST_PG") {
            Ok(url) if !url.is_empty() => url,
            _ => {
                let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
                assert!(!ci, "FEEDBRIDGE_TEST_PG must be set when CI=true");
                // Written to the stream itself: the test harness swallows `eprintln!` output.
                let _ = writeln!(
                    std::io::stderr(),
                    "skipping PostgreSQL contract tests: FEEDBRIDGE_TEST_PG unset"
                );
                return None;
            }
        };
        let name = format!("feedbridge_contract_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        Some(Self {
            admin_url,
            name,
            url,
        })
    }

    async fn drop_now(self) {
        let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .await
        .unwrap();
    }
}

/// Runs `check` on a fresh database and drops the database afterwards, even when `check` fails.
async fn with_database<F, Fut>(check: F)
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(db) = Scratch::create().await else {
        return;
    };
    let outcome = tokio::spawn(check(db.url.clone())).await;
    db.drop_now().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

#[tokio::test]
async fn postgres_store_meets_the_contract() {
    with_database(|url| async move {
        let store = PgStore::open(&url).await.unwrap();
        feedbridge_store_contract::run_all(Arc::new(store)).await;
    })
    .await;
}

#[tokio::test]
async fn two_instances_share_one_database() {
    with_database(|url| async move {
        let a: Arc<dyn Store> = Arc::new(PgStore::open(&url).await.unwrap());
        let b: Arc<dyn Store> = Arc::new(PgStore::open(&url).await.unwrap());
        feedbridge_store_contract::shared::run_shared(a, b).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_in_flight_on_one_instance_lands_after_the_mark_another_read() {
    with_database(|url| async move {
        let a: Arc<dyn Store> = Arc::new(PgStore::open(&url).await.unwrap());
        let b: Arc<dyn Store> = Arc::new(PgStore::open(&url).await.unwrap());
        feedbridge_store_contract::feed_marks::a_push_in_flight_lands_after_the_mark_a_reader_saw(
            a, b,
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn an_unmigrated_database_is_not_ready() {
    with_database(|url| async move {
        let bare = PgStore::connect(&url).await.unwrap();
        assert!(bare.ready().await.is_err());
        let migrated = PgStore::open(&url).await.unwrap();
        migrated.ready().await.unwrap();
    })
    .await;
}
