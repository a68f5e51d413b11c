//! Clients and API keys: round trips, unique key hashes, revocation.

use feedbridge_store::{ApiKey, ApiKeyId, ClientId, Store, StoreError};

use crate::fixtures::{at, client};

pub async fn run(store: &dyn Store) {
    clients_round_trip(store).await;
    api_keys_are_found_by_hash_until_revoked(store).await;
}

async fn clients_round_trip(store: &dyn Store) {
    let id = client(store).await;
    let got = store.get_client(id).await.unwrap();
    assert_eq!(
        (got.id, got.name.as_str(), got.created),
        (id, "Institution", at(0))
    );
    assert_eq!(
        store.get_client(ClientId::new()).await,
        Err(StoreError::NotFound)
    );
    let duplicate = store.insert_client(&got).await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );
}

async fn api_keys_are_found_by_hash_until_revoked(store: &dyn Store) {
    let owner = client(store).await;
    let first = key(owner, "first", 10);
    let second = key(owner, "second", 11);
    store.insert_api_key(&second, b"hash-2").await.unwrap();
    store.insert_api_key(&first, b"hash-1").await.unwrap();

    assert_eq!(store.find_api_key(b"hash-1").await.unwrap(), first);
    let clash = store
        .insert_api_key(&key(owner, "third", 12), b"hash-1")
        .await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");

    let listed: Vec<ApiKeyId> = ours(store, owner).await;
    assert_eq!(
        listed,
        vec![first.id, second.id],
        "keys list in creation order"
    );

    store.revoke_api_key(first.id, at(20)).await.unwrap();
    assert_eq!(
        store.find_api_key(b"hash-1").await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.revoke_api_key(first.id, at(21)).await,
        Err(StoreError::NotFound)
    );
    let all = store.list_api_keys().await.unwrap();
    let revoked = all.iter().find(|k| k.id == first.id).unwrap();
    assert_eq!(revoked.revoked, Some(at(20)));
    assert_eq!(store.find_api_key(b"hash-2").await.unwrap(), second);
}

async fn ours(store: &dyn Store, owner: ClientId) -> Vec<ApiKeyId> {
    let all = store.list_api_keys().await.unwrap();
    all.into_iter()
        .filter(|k| k.client_id == owner)
        .map(|k| k.id)
        .collect()
}

fn key(client: ClientId, name: &str, created: i64) -> ApiKey {
    ApiKey {
        id: ApiKeyId::new(),
        client_id: client,
        name: name.into(),
        created: at(created),
        revoked: None,
    }
}
