//! Effects: an outbox event and audit row exist exactly when their change was committed.

use feedbridge_store::{Store, StoreError};

use crate::fixtures::{at, client, company, effects};

/// How many events the outbox holds.
pub async fn count(store: &dyn Store) -> usize {
    store.outbox_events(None, u32::MAX).await.unwrap().len()
}

pub async fn run(store: &dyn Store) {
    let owner = client(store).await;
    let start = store.outbox_events(None, u32::MAX).await.unwrap();
    let after = start.last().map(|e| e.seq);

    let first = company(owner, "Outbox", at(1));
    let created = effects(owner, "company.created");
    store.insert_company(&first, created.clone()).await.unwrap();
    let failed = store
        .insert_company(&first, effects(owner, "company.duplicate"))
        .await;
    assert!(matches!(failed, Err(StoreError::Conflict(_))), "{failed:?}");
    let deleted = effects(owner, "company.deleted");
    store
        .delete_company(owner, first.id, deleted.clone())
        .await
        .unwrap();
    let missing = store
        .delete_company(owner, first.id, effects(owner, "twice"))
        .await;
    assert_eq!(missing, Err(StoreError::NotFound));

    let events = store.outbox_events(after, 100).await.unwrap();
    let got: Vec<_> = events.iter().map(|e| e.event.clone()).collect();
    assert_eq!(
        got,
        vec![created.events[0].clone(), deleted.events[0].clone()]
    );
    assert!(events[0].seq < events[1].seq);

    let paged = store.outbox_events(after, 1).await.unwrap();
    assert_eq!(paged.len(), 1);
    let rest = store.outbox_events(Some(paged[0].seq), 10).await.unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].event.id, deleted.events[0].id);
}
