//! Holds the PostgreSQL backend to the shared store contract, on a database created for this run
//! and dropped after it, on the server named by `FEEDBRIDGE_TEST_PG`.
// Test code: a failed setup step is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use feedbridge_store::{HealthStore, Store};
use feedbridge_store_postgres::PgStore;
use feedbridge_testkit::{admin_url, Scratch};

/// Runs `check` on a fresh database and drops the database afterwards, even when `check` fails.
async fn with_database<F, Fut>(check: F)
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(admin) = admin_url("PostgreSQL contract tests") else {
        return;
    };
    let db = Scratch::create(&admin, "feedbridge_contract")
        .await
        .unwrap();
    let outcome = tokio::spawn(check(db.url().to_owned())).await;
    db.remove().await.unwrap();
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
