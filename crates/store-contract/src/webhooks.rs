//! Webhook endpoints, the fan-out of events into deliveries, and the lease-based claim.

use feedbridge_store::{
    AttemptOutcome, ClientId, DeliveryStatus, EndpointId, Store, StoreError, WebhookEndpoint,
};

use crate::fixtures::{at, client, company, effects};

pub async fn run(store: &dyn Store) {
    let owner = client(store).await;
    let stranger = client(store).await;
    let wanted = endpoint(owner, vec!["bankFeeds.created".into()], 1);
    let other_type = endpoint(owner, vec!["bankFeeds.removed".into()], 2);
    for e in [&wanted, &other_type] {
        store.insert_endpoint(e).await.unwrap();
    }
    assert_eq!(
        store.list_endpoints(owner).await.unwrap(),
        vec![wanted.clone(), other_type.clone()],
        "creation order"
    );
    assert_eq!(
        store.get_endpoint(stranger, wanted.id).await,
        Err(StoreError::NotFound)
    );

    let made = company(owner, "Hooked", at(1));
    store
        .insert_company(&made, effects(owner, "bankFeeds.created"))
        .await
        .unwrap();
    assert!(
        store
            .claim_due_deliveries(at(4), at(100), 10)
            .await
            .unwrap()
            .is_empty(),
        "not yet due"
    );
    let claimed = store
        .claim_due_deliveries(at(5), at(100), 10)
        .await
        .unwrap();
    assert_eq!(
        claimed.len(),
        1,
        "one delivery, to the endpoint wanting the type"
    );
    assert_eq!(claimed[0].endpoint, wanted);
    assert_eq!(claimed[0].delivery.event_type, "bankFeeds.created");
    assert!(
        claimed[0]
            .body
            .contains("\"eventType\":\"bankFeeds.created\""),
        "{}",
        claimed[0].body
    );
    assert!(
        store
            .claim_due_deliveries(at(6), at(100), 10)
            .await
            .unwrap()
            .is_empty(),
        "a leased delivery is claimed once"
    );

    assert_eq!(
        store.pending_deliveries().await.unwrap(),
        1,
        "a leased delivery still counts in the backlog"
    );

    let id = claimed[0].delivery.id;
    let outcome = AttemptOutcome {
        at: at(7),
        status: DeliveryStatus::Delivered,
        next_attempt: None,
        status_code: Some(204),
        error: None,
    };
    store.record_attempt(id, &outcome).await.unwrap();
    assert_eq!(store.pending_deliveries().await.unwrap(), 0);
    assert!(store
        .claim_due_deliveries(at(200), at(300), 10)
        .await
        .unwrap()
        .is_empty());
    let listed = store
        .list_deliveries(owner, Some(DeliveryStatus::Delivered))
        .await
        .unwrap();
    assert_eq!(
        (listed.len(), listed[0].attempts, listed[0].last_status_code),
        (1, 1, Some(204))
    );
    assert!(store
        .list_deliveries(stranger, None)
        .await
        .unwrap()
        .is_empty());

    store.redeliver(owner, id, at(300)).await.unwrap();
    assert_eq!(
        store.redeliver(stranger, id, at(300)).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store
            .claim_due_deliveries(at(300), at(400), 10)
            .await
            .unwrap()
            .len(),
        1
    );

    store.delete_endpoint(owner, wanted.id).await.unwrap();
    assert_eq!(store.list_endpoints(owner).await.unwrap(), vec![other_type]);
    assert!(
        store.list_deliveries(owner, None).await.unwrap().is_empty(),
        "deliveries go with it"
    );
    assert_eq!(
        store.delete_endpoint(owner, wanted.id).await,
        Err(StoreError::NotFound)
    );
}

fn endpoint(client: ClientId, event_types: Vec<String>, created: i64) -> WebhookEndpoint {
    WebhookEndpoint {
        id: EndpointId::new(),
        client_id: client,
        url: "https://hooks.example.test/feedbridge".into(),
        event_types,
        description: Some("accounting".into()),
        secret: "whsec_contract".into(),
        previous_secret: None,
        previous_until: None,
        created: at(created),
    }
}
