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
