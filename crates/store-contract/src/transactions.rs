//! The atomic push: the decision sees what is stored, and a push that cannot be stored leaves no
//! trace (no transactions, no balance, no operation, no event).

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
    let seen = store
        .push_transactions(
            conn.id,
            &acc.id,
            vec!["t1".into()],
            Box::new(move |ledger: Ledger| {
                assert_eq!((ledger.newest, ledger.stored.len()), (None, 0));
                assert_eq!(
                    ledger.account.map(|a: SourceAccount| a.id.to_string()),
                    Some("acc-1".into())
                );
                PushWrite {
                    operation: op,
                    transactions: txns,
                    balance: Some("97.50".parse().unwrap()),
                    effects: event,
                }
            }),
        )
        .await
        .unwrap();
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

    let failed_op = operation(company.id, 40);
    let (op, again) = (failed_op.clone(), first.clone());
    let repeated = store
        .push_transactions(
            conn.id,
            &acc.id,
            vec!["t1".into(), "t2".into()],
            Box::new(move |ledger: Ledger| {
                assert_eq!(ledger.stored, vec![again.clone()]);
                assert_eq!(ledger.newest, Some(again.date));
                let fresh = transaction("t2", "2026-03-03T09:00", "1", None);
                PushWrite {
                    operation: op,
                    transactions: vec![fresh, again],
                    balance: Some("1".parse().unwrap()),
                    effects: effects(owner, "not-pushed"),
                }
            }),
        )
        .await;
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
