//! The OFX feed's storage: statement transactions by date range and the sign-on throttle.

use feedbridge_store::{
    BankTransaction, Effects, SignonFailure, StatementRange, Store, StoreError,
};

use crate::fixtures::{at, client, stored_account, stored_company, stored_connection};

pub async fn run(store: &dyn Store) {
    transactions_by_date_range(store).await;
    signon_counters(store).await;
}

/// A transaction dated `date` (`YYYY-MM-DDTHH:MM`), with a balance when one is given.
pub fn transaction(id: &str, date: &str, amount: &str, balance: Option<&str>) -> BankTransaction {
    BankTransaction {
        id: id.into(),
        date: format!("{date}:00").parse().unwrap(),
        description: format!("Payment {id}"),
        amount: amount.parse().unwrap(),
        balance: balance.map(|b| b.parse().unwrap()),
        transaction_type: "Debit".into(),
        counterparty: Some("Supplier".into()),
        reference: Some(format!("ref-{id}")),
    }
}

async fn transactions_by_date_range(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let conn = stored_connection(store, company.id).await;
    let acc = stored_account(store, conn.id).await;
    let batch = [
        transaction("late", "2026-03-05T10:00", "-1.10", Some("10.00")),
        transaction("b", "2026-03-02T09:00", "-2.50", Some("11.10")),
        transaction("a", "2026-03-02T09:00", "4002.0", None),
        transaction("first", "2026-03-01T00:00", "12.50", Some("13.60")),
    ];
    store
        .insert_transactions(conn.id, &acc.id, &batch, Effects::none())
        .await
        .unwrap();
    let range = StatementRange {
        floor: "2026-03-01".parse().unwrap(),
        dated_from: "2026-03-01".parse().unwrap(),
        dated_to: "2026-03-02".parse().unwrap(),
        available_from: None,
    };
    let listed: Vec<_> = store
        .list_transactions(conn.id, &acc.id, range)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.transaction)
        .collect();
    assert_eq!(
        listed,
        vec![batch[3].clone(), batch[1].clone(), batch[2].clone()],
        "oldest first, same-time ties as inserted, the end date included"
    );
    let latest = store.latest_balance(conn.id, &acc.id).await.unwrap();
    assert_eq!(latest, Some(batch[0].clone()));

    let again = [
        transaction("new", "2026-03-06T10:00", "1", None),
        batch[1].clone(),
    ];
    let repeated = store
        .insert_transactions(conn.id, &acc.id, &again, Effects::none())
        .await;
    assert!(
        matches!(repeated, Err(StoreError::Conflict(_))),
        "{repeated:?}"
    );
    assert_eq!(store.count_transactions(conn.id, &acc.id).await.unwrap(), 4);
}

async fn signon_counters(store: &dyn Store) {
    let failure = |address: &str, t: i64, extends: bool, blocked: Option<i64>| SignonFailure {
        username: "bakery-user".into(),
        address: address.into(),
        at: at(t),
        blocked_until: blocked.map(at),
        extends,
    };
    let fresh = store
        .signon_counters("bakery-user", "10.0.0.1", at(0))
        .await
        .unwrap();
    assert_eq!(fresh, Default::default());
    for f in [
        failure("10.0.0.1", 10, true, None),
        failure("10.0.0.1", 20, true, Some(500)),
        failure("10.0.0.2", 30, false, None),
    ] {
        store
            .record_signon_failure(&f, Effects::none())
            .await
            .unwrap();
    }
    let counters = store
        .signon_counters("bakery-user", "10.0.0.1", at(15))
        .await
        .unwrap();
    assert_eq!(counters.consecutive, 2);
    assert_eq!(
        counters.blocked_until,
        Some(at(500)),
        "a later failure keeps the block"
    );
    assert_eq!((counters.username_recent, counters.address_recent), (2, 1));

    store.clear_signon_failures("bakery-user").await.unwrap();
    store.prune_signon_failures(at(25)).await.unwrap();
    let after = store
        .signon_counters("bakery-user", "10.0.0.2", at(0))
        .await
        .unwrap();
    assert_eq!((after.consecutive, after.blocked_until), (0, None));
    assert_eq!((after.username_recent, after.address_recent), (1, 1));
}
