//! Checks for several instances on one database: each store sees the other's writes, and an
//! `Idempotency-Key` is claimed by exactly one of them however the requests interleave, and the
//! races of [`crate::races`] come out the same way.

use std::sync::Arc;

use feedbridge_store::{Effects, IdempotencyClaim, Store};

use crate::fixtures::{at, client, company};

/// `a` and `b` must be two separately opened stores on the same database.
pub async fn run_shared(a: Arc<dyn Store>, b: Arc<dyn Store>) {
    writes_are_visible_to_the_other_instance(&*a, &*b).await;
    for round in 0..20 {
        idempotency_claim_is_exclusive(a.clone(), b.clone(), round).await;
        crate::races::pushes_to_one_account_serialise(a.clone(), b.clone()).await;
    }
    crate::races::claims_split_due_deliveries(a, b).await;
}

async fn writes_are_visible_to_the_other_instance(a: &dyn Store, b: &dyn Store) {
    let owner = client(a).await;
    let made = company(owner, "Shared", at(1));
    a.insert_company(&made, Effects::none()).await.unwrap();
    assert_eq!(b.get_company(owner, made.id).await.unwrap(), made);
    b.delete_company(owner, made.id, Effects::none())
        .await
        .unwrap();
    assert!(a.list_companies(owner).await.unwrap().is_empty());
}

async fn idempotency_claim_is_exclusive(a: Arc<dyn Store>, b: Arc<dyn Store>, round: u32) {
    let owner = client(&*a).await;
    let key = format!("race-{round}");
    let claim = |store: Arc<dyn Store>, key: String| {
        tokio::spawn(async move {
            store
                .claim_idempotency_key(owner, &key, b"same", at(0), at(1_000))
                .await
                .unwrap()
        })
    };
    let (first, second) = (claim(a, key.clone()), claim(b, key));
    let outcomes = [first.await.unwrap(), second.await.unwrap()];
    let claimed = outcomes
        .iter()
        .filter(|o| **o == IdempotencyClaim::Claimed)
        .count();
    assert_eq!(
        claimed, 1,
        "exactly one instance claims the key: {outcomes:?}"
    );
    assert!(
        outcomes.contains(&IdempotencyClaim::InFlight),
        "{outcomes:?}"
    );
}
