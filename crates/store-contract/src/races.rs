//! Races between two instances on one database: concurrent pushes to one account decide one after
//! the other, and concurrent delivery claims never hand out the same delivery twice.

use std::sync::Arc;

use feedbridge_store::{
    Effects, EndpointId, Ledger, PushOperation, PushStatus, PushWrite, Store, WebhookEndpoint,
};

use crate::feed::transaction;
use crate::fixtures::{at, client, company, stored_account, stored_company, stored_connection};
use crate::push::operation;

/// Both instances push the same transaction id; the one deciding second must see it stored.
pub async fn pushes_to_one_account_serialise(a: Arc<dyn Store>, b: Arc<dyn Store>) {
    let owner = client(&*a).await;
    let made = stored_company(&*a, owner).await;
    let conn = stored_connection(&*a, made.id).await;
    let acc = stored_account(&*a, conn.id).await;
    let push = |store: Arc<dyn Store>, requested: i64| {
        let (account, op) = (acc.id.clone(), operation(made.id, requested));
        tokio::spawn(async move {
            // Success, so the second to decide first tries as if nothing were stored and must
            // find the other's row through its insert.
            let decide = Box::new(move |ledger: &Ledger| PushWrite {
                transactions: if ledger.stored.is_empty() {
                    vec![transaction("same", "2026-03-02T09:00", "1", None)]
                } else {
                    Vec::new()
                },
                operation: PushOperation {
                    status: PushStatus::Success,
                    ..op.clone()
                },
                balance: None,
                effects: Effects::none(),
            });
            store
                .push_transactions(conn.id, &account, vec!["same".into()], decide)
                .await
        })
    };
    let (first, second) = (push(a.clone(), 1), push(b, 2));
    first.await.unwrap().unwrap();
    second.await.unwrap().unwrap();
    assert_eq!(a.count_transactions(conn.id, &acc.id).await.unwrap(), 1);
}

/// Both instances claim at once; every due delivery is handed out exactly once.
pub async fn claims_split_due_deliveries(a: Arc<dyn Store>, b: Arc<dyn Store>) {
    let owner = client(&*a).await;
    let hook = WebhookEndpoint {
        id: EndpointId::new(),
        client_id: owner,
        url: "https://hooks.example.test/race".into(),
        event_types: Vec::new(),
        description: None,
        secret: "whsec_race".into(),
        previous_secret: None,
        previous_until: None,
        created: at(0),
    };
    a.insert_endpoint(&hook).await.unwrap();
    for n in 0..20 {
        let made = company(owner, &format!("Racer {n}"), at(1));
        let effects = crate::fixtures::effects(owner, "bankFeeds.race");
        a.insert_company(&made, effects).await.unwrap();
    }
    let claim = |store: Arc<dyn Store>| {
        tokio::spawn(async move {
            let mut ids = Vec::new();
            loop {
                let got = store
                    .claim_due_deliveries(at(10), at(1_000), 3)
                    .await
                    .unwrap();
                if got.is_empty() {
                    return ids;
                }
                ids.extend(got.into_iter().map(|c| c.delivery.id));
            }
        })
    };
    let (first, second) = (claim(a.clone()), claim(b.clone()));
    let mut all = first.await.unwrap();
    all.extend(second.await.unwrap());
    let count = all.len();
    all.sort_by_key(|id| id.to_string());
    all.dedup();
    assert_eq!(
        (count, all.len()),
        (20, 20),
        "each of 20 deliveries claimed once"
    );
}
