//! Link UI sessions: round trip, touch, unknown ids and the purge of ended sessions.

use feedbridge_store::{LinkSession, Store, StoreError};

use crate::fixtures::{at, client, stored_company, stored_connection};

pub async fn run(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let conn = stored_connection(store, company.id).await;
    let session = |hash: &[u8], expires: i64| LinkSession {
        id_hash: hash.to_vec(),
        company_id: company.id,
        connection_id: conn.id,
        link_generation: 3,
        created: at(10),
        last_seen: at(10),
        expires: at(expires),
        language: "en".into(),
    };
    let (short, long) = (session(b"short", 100), session(b"long", 1_000));
    store.insert_link_session(&short).await.unwrap();
    store.insert_link_session(&long).await.unwrap();
    assert!(matches!(
        store.insert_link_session(&short).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.get_link_session(b"short").await.unwrap(), short);

    store
        .touch_link_session(b"long", at(50), "fr")
        .await
        .unwrap();
    let touched = store.get_link_session(b"long").await.unwrap();
    assert_eq!(
        (touched.last_seen, touched.language.as_str()),
        (at(50), "fr")
    );
    assert_eq!(
        store.touch_link_session(b"missing", at(50), "fr").await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.get_link_session(b"missing").await,
        Err(StoreError::NotFound)
    );

    assert_eq!(store.purge_link_sessions(at(500)).await.unwrap(), 1);
    assert_eq!(
        store.get_link_session(b"short").await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.get_link_session(b"long").await.unwrap(), touched);
    assert_eq!(store.purge_link_sessions(at(500)).await.unwrap(), 0);
}
