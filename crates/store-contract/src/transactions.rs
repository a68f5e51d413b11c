//! The atomic push: the decision sees what is stored (asked again when a pushed id turns out to be
//! stored), and a push that cannot be stored leaves no trace (no transactions, no balance, no
//! operation, no event).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use feedbridge_store::{Ledger, PushStatus, PushWrite, SourceAccount, Store, StoreError};

use crate::feed::transaction;
use crate::fixtures::{client, effects, stored_account, stored_company, stored_connection};
use crate::push::operation;

pub async fn run(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let conn = stored_connection(store, company.id).await;
    let acc = stored_account(store, conn.id).await;
    let events_before = store.outbox_events(None, u32::MAX).await.unwrap().len();

    let mut stored_op = operation(company.id, 30);
    stored_op.status = PushStatus::Success;
    let first = transaction("t1", "2026-03-02T09:00", "-2.50", Some("97.50"));
    let (op, txns, event) = (
        stored_op.clone(),
        vec![first.clone()],
        effects(owner, "pushed"),
    );
    let decisions = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&decisions);
    let seen = store
        .push_transactions(
            conn.id,
            &acc.id,
            vec!["t1".into()],
            Box::new(move |ledger: &Ledger| {
                counted.fetch_add(1, Ordering::SeqCst);
                assert_eq!((ledger.newest, ledger.stored.len()), (None, 0));
                assert_eq!(
                    ledger
                        .account
                        .as_ref()
                        .map(|a: &SourceAccount| a.id.to_string()),
                    Some("acc-1".into())
                );
                PushWrite {
                    operation: op.clone(),
                    transactions: txns.clone(),
                    balance: Some("97.50".parse().unwrap()),
                    effects: event.clone(),
                }
            }),
        )
        .await
        .unwrap();
    assert_eq!(
        decisions.load(Ordering::SeqCst),
        1,
        "nothing stored: decided once"
    );
    assert_eq!(seen, stored_op);
    assert_eq!(store.count_transactions(conn.id, &acc.id).await.unwrap(), 1);
    let balance = store
        .get_source_account(conn.id, &acc.id)
        .await
        .unwrap()
        .balance;
    assert_eq!(balance, Some("97.50".parse().unwrap()));
    assert_eq!(
        store
            .get_push_operation(company.id, stored_op.key)
            .await
            .unwrap(),
        stored_op
    );
    let events = store.outbox_events(None, u32::MAX).await.unwrap().len();
    assert_eq!(events, events_before + 1);

    // A push naming a stored id is decided first on the ledger as read, as if all were new; its
    // insert meets the stored one, so nothing of that decision may remain, and it is decided
    // again seeing the stored one. Here the second decision still writes it, and fails whole.
    let failed_op = operation(company.id, 40);
    let (op, again) = (failed_op.clone(), first.clone());
    let decisions = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&decisions);
    let repeated = store
        .push_transactions(
            conn.id,
            &acc.id,
            vec!["t1".into(), "t2".into()],
            Box::new(move |ledger: &Ledger| {
                let asked = counted.fetch_add(1, Ordering::SeqCst);
                assert_eq!(ledger.newest, Some(again.date));
                let fresh = transaction("t2", "2026-03-03T09:00", "1", None);
                let mut operation = op.clone();
                if asked == 0 {
                    assert_eq!(ledger.stored, Vec::new());
                    operation.status = PushStatus::Success;
                } else {
                    assert_eq!(ledger.stored, vec![again.clone()]);
                }
                PushWrite {
                    operation,
                    transactions: vec![fresh, again.clone()],
                    balance: Some("1".parse().unwrap()),
                    effects: effects(owner, "not-pushed"),
                }
            }),
        )
        .await;
    assert_eq!(
        decisions.load(Ordering::SeqCst),
        2,
        "decided again seeing t1"
    );
    assert!(
        matches!(repeated, Err(StoreError::Conflict(_))),
        "{repeated:?}"
    );
    assert_eq!(store.count_transactions(conn.id, &acc.id).await.unwrap(), 1);
    assert_eq!(
        store
            .get_source_account(conn.id, &acc.id)
            .await
            .unwrap()
            .balance,
        balance
    );
    assert_eq!(
        store.get_push_operation(company.id, failed_op.key).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.outbox_events(None, u32::MAX).await.unwrap().len(),
        events
    );
}
