//! The feed mark (docs/architecture.md, "How the feed loses nothing"): every transaction is made
//! available after the highest mark a statement could have reported, even when its push was
//! decided before that statement was read and committed after it.

use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use feedbridge_store::{
    AccountStatus, CompanyId, Effects, Ledger, PushWrite, SourceAccount, StatementRange, Store,
};
use jiff::Timestamp;

use crate::feed::transaction;
use crate::fixtures::{at, client, stored_account, stored_company, stored_connection};
use crate::push::operation;

pub async fn run(store: &dyn Store) {
    marks_only_move_forward(store).await;
    statements_hold_what_was_dated_or_made_available(store).await;
}

/// An account connected through the feed and pulled last at `at(pulled)`, with its company.
async fn pulled_account(store: &dyn Store, pulled: i64) -> (CompanyId, SourceAccount) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let conn = stored_connection(store, company.id).await;
    let mut acc = stored_account(store, conn.id).await;
    acc.status = AccountStatus::Connected;
    acc.last_pulled = Some(at(pulled));
    store
        .update_source_accounts(std::slice::from_ref(&acc), None, Effects::none())
        .await
        .unwrap();
    let acc = store.get_source_account(conn.id, &acc.id).await.unwrap();
    (company.id, acc)
}

/// A push of `ids` dated `date` whose decision was taken at `at(decided)`.
fn push_write(company: CompanyId, ids: &[&str], date: &str, decided: i64) -> PushWrite {
    let mut op = operation(company, decided - 1);
    op.completed = Some(at(decided));
    PushWrite {
        operation: op,
        transactions: ids
            .iter()
            .map(|id| transaction(id, date, "-1.25", None))
            .collect(),
        balance: None,
        effects: Effects::none(),
    }
}

async fn push(store: &dyn Store, acc: &SourceAccount, write: PushWrite) {
    let ids = write.transactions.iter().map(|t| t.id.clone()).collect();
    store
        .push_transactions(
            acc.connection_id,
            &acc.id,
            ids,
            Box::new(move |_| write.clone()),
        )
        .await
        .unwrap();
}

async fn mark(store: &dyn Store, acc: &SourceAccount) -> Timestamp {
    let fresh = store
        .get_source_account(acc.connection_id, &acc.id)
        .await
        .unwrap();
    fresh.feed_mark
}

/// Only what was made available at or after `from`: a range whose dates cannot match.
fn available_from(from: Timestamp) -> StatementRange {
    StatementRange {
        floor: "2026-01-01".parse().unwrap(),
        dated_from: "2099-01-01".parse().unwrap(),
        dated_to: "2026-12-31".parse().unwrap(),
        available_from: Some(from),
    }
}

async fn ids(store: &dyn Store, acc: &SourceAccount, range: StatementRange) -> Vec<String> {
    let listed = store
        .list_transactions(acc.connection_id, &acc.id, range)
        .await
        .unwrap();
    listed.into_iter().map(|l| l.transaction.id).collect()
}

async fn marks_only_move_forward(store: &dyn Store) {
    let (company, mut acc) = pulled_account(store, 100).await;
    assert_eq!(
        acc.feed_mark,
        at(100),
        "a recorded pull moves the mark to its instant"
    );

    acc.last_pulled = Some(at(50));
    acc.feed_mark = at(0);
    store
        .update_source_accounts(std::slice::from_ref(&acc), None, Effects::none())
        .await
        .unwrap();
    assert_eq!(
        mark(store, &acc).await,
        at(100),
        "an update never lowers the mark"
    );

    push(
        store,
        &acc,
        push_write(company, &["early"], "2026-03-02T09:00", 40),
    )
    .await;
    assert_eq!(
        mark(store, &acc).await,
        at(101),
        "a push decided before the mark is made available just after it"
    );
    let listed = store
        .list_transactions(acc.connection_id, &acc.id, available_from(at(101)))
        .await
        .unwrap();
    assert_eq!(listed[0].transaction.id, "early");
    assert_eq!(
        listed[0].available_at,
        at(101),
        "a statement lists when it was made available"
    );

    push(
        store,
        &acc,
        push_write(company, &["later"], "2026-03-02T09:00", 900),
    )
    .await;
    assert_eq!(
        mark(store, &acc).await,
        at(900),
        "a later push is made available when decided"
    );
    assert_eq!(ids(store, &acc, available_from(at(102))).await, ["later"]);
}

async fn statements_hold_what_was_dated_or_made_available(store: &dyn Store) {
    let (company, acc) = pulled_account(store, 100).await;
    let dated = |id| push_write(company, &[id], "2026-03-05T09:00", 200);
    push(store, &acc, dated("in-window")).await;
    let backdated = push_write(company, &["backdated"], "2026-03-03T09:00", 300);
    push(store, &acc, backdated).await;
    let before_floor = push_write(company, &["before-floor"], "2026-02-27T09:00", 400);
    push(store, &acc, before_floor).await;

    let range = StatementRange {
        floor: "2026-03-01".parse().unwrap(),
        dated_from: "2026-03-04".parse().unwrap(),
        dated_to: "2026-03-06".parse().unwrap(),
        available_from: Some(at(250)),
    };
    assert_eq!(
        ids(store, &acc, range).await,
        ["backdated", "in-window"],
        "dated in the window or made available in it, never before the floor, oldest first"
    );
    let dated_only = StatementRange {
        available_from: None,
        ..range
    };
    assert_eq!(ids(store, &acc, dated_only).await, ["in-window"]);
}

/// A push decided before a statement reads the mark, and committed after, is made available
/// after that mark: the next statement, asked from it, holds the push. `pusher` and `reader` may
/// be two instances on one database.
pub async fn a_push_in_flight_lands_after_the_mark_a_reader_saw(
    pusher: Arc<dyn Store>,
    reader: Arc<dyn Store>,
) {
    let store = reader;
    let (company, acc) = pulled_account(&*store, 100).await;
    let (deciding_tx, deciding) = mpsc::channel();
    let (go, go_rx) = mpsc::channel::<()>();
    let write = push_write(company, &["in-flight"], "2026-03-02T09:00", 60);
    let decide = Box::new(move |_: &Ledger| {
        deciding_tx.send(()).unwrap();
        go_rx.recv_timeout(Duration::from_secs(10)).unwrap();
        write.clone()
    });
    let pushing = {
        let acc = acc.clone();
        tokio::spawn(async move {
            pusher
                .push_transactions(acc.connection_id, &acc.id, vec!["in-flight".into()], decide)
                .await
        })
    };
    tokio::task::spawn_blocking(move || deciding.recv_timeout(Duration::from_secs(10)))
        .await
        .unwrap()
        .unwrap();
    let seen = mark(&*store, &acc).await;
    assert_eq!(
        seen,
        at(100),
        "the reader sees the mark as it was before the push"
    );
    assert!(ids(&*store, &acc, available_from(seen)).await.is_empty());
    go.send(()).unwrap();
    pushing.await.unwrap().unwrap();
    assert_eq!(
        ids(&*store, &acc, available_from(seen)).await,
        ["in-flight"],
        "the next statement from the mark the reader saw holds the push"
    );
    assert!(mark(&*store, &acc).await > seen);
}
