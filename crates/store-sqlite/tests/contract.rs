//! Holds the SQLite backend to the shared store contract, on a fresh database file.

use std::sync::Arc;

use feedbridge_store_sqlite::SqliteStore;

#[tokio::test]
async fn sqlite_store_meets_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("contract.db").display());
    let store = SqliteStore::open(&url).await.unwrap();
    feedbridge_store_contract::run_all(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store_makes_a_push_in_flight_available_after_the_mark_a_reader_saw() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("contract.db").display());
    let store: Arc<dyn feedbridge_store::Store> = Arc::new(SqliteStore::open(&url).await.unwrap());
    feedbridge_store_contract::feed_marks::a_push_in_flight_lands_after_the_mark_a_reader_saw(
        store.clone(),
        store,
    )
    .await;
}
