//! The crash test's verdict: what the clients were told (`Expected`) against what the database
//! holds after the drain (`Stored`). Pure, so it can be shown to fail on a doctored store.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;

/// An account as the oracle names it: `(connection id, source account id)`.
pub type AccountKey = (String, String);

/// What the clients were told and what they sent.
#[derive(Debug, Default)]
pub struct Expected {
    /// Every transaction of a batch acknowledged with `Success`, by account: id → amount.
    pub transactions: HashMap<AccountKey, HashMap<String, Decimal>>,
    /// The balance each account must show: its last acknowledged running balance.
    pub balances: HashMap<AccountKey, Decimal>,
    /// Every `pushOperationKey` a client was given with `Success`.
    pub acknowledged_operations: HashSet<String>,
}

/// A push operation as stored.
#[derive(Debug, Clone)]
pub struct StoredOperation {
    pub key: String,
    pub status: String,
    /// The ids the operation reported as stored.
    pub changes: Vec<String>,
}

/// A `bankTransactions.write.*` outbox event: its type and the push operation it reports.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub event_type: String,
    pub operation: String,
}

/// What the database holds after the drain.
#[derive(Debug, Default)]
pub struct Stored {
    /// `(account, transaction id, amount text)`, one per row.
    pub transactions: Vec<(AccountKey, String, String)>,
    /// Each account's stored balance (`None` when unset).
    pub balances: HashMap<AccountKey, Option<String>>,
    pub operations: Vec<StoredOperation>,
    pub events: Vec<StoredEvent>,
}

/// Every way the stored state departs from what the clients were promised; empty means it holds.
pub fn check(expected: &Expected, stored: &Stored) -> Vec<String> {
    let mut violations = Vec::new();
    let total = check_transactions(expected, stored, &mut violations);
    check_balances(expected, stored, &mut violations);
    check_operations(expected, stored, total, &mut violations);
    check_events(stored, &mut violations);
    violations
}

/// Each stored row known, once, with its amount; each acknowledged transaction present. Answers
/// the number of distinct stored transactions.
fn check_transactions(expected: &Expected, stored: &Stored, out: &mut Vec<String>) -> usize {
    let mut seen: HashSet<(&AccountKey, &str)> = HashSet::new();
    let mut sums: HashMap<&AccountKey, Decimal> = HashMap::new();
    for (account, id, amount) in &stored.transactions {
        if !seen.insert((account, id)) {
            out.push(format!(
                "transaction {id} on {account:?} is stored more than once"
            ));
        }
        let Some(wanted) = expected.transactions.get(account).and_then(|t| t.get(id)) else {
            out.push(format!(
                "transaction {id} on {account:?} is stored but no client acknowledged it"
            ));
            continue;
        };
        match amount.parse::<Decimal>() {
            Ok(a) if a == *wanted => *sums.entry(account).or_default() += a,
            _ => out.push(format!(
                "transaction {id} on {account:?} has amount {amount}, expected {wanted}"
            )),
        }
    }
    let mut wanted_total = 0;
    for (account, transactions) in &expected.transactions {
        wanted_total += transactions.len();
        let missing: Vec<&String> = transactions
            .keys()
            .filter(|id| !seen.contains(&(account, id.as_str())))
            .collect();
        if !missing.is_empty() {
            out.push(format!(
                "{} acknowledged transactions on {account:?} are missing, e.g. {}",
                missing.len(),
                missing[0]
            ));
        }
        let sum: Decimal = transactions.values().sum();
        let got = sums.get(account).copied().unwrap_or_default();
        if got != sum {
            out.push(format!(
                "amounts on {account:?} sum to {got}, expected {sum}"
            ));
        }
    }
    if seen.len() != wanted_total {
        out.push(format!(
            "{} distinct transactions are stored, {wanted_total} were acknowledged",
            seen.len()
        ));
    }
    seen.len()
}

fn check_balances(expected: &Expected, stored: &Stored, out: &mut Vec<String>) {
    for (account, wanted) in &expected.balances {
        let got = stored.balances.get(account).cloned().flatten();
        if got.as_deref().and_then(|b| b.parse::<Decimal>().ok()) != Some(*wanted) {
            out.push(format!(
                "balance of {account:?} is {got:?}, expected {wanted}"
            ));
        }
    }
}

/// Every acknowledged operation stored as `Success`; the operations' changes name each stored
/// transaction exactly once (the report of what a push stored matches what it stored).
fn check_operations(expected: &Expected, stored: &Stored, total: usize, out: &mut Vec<String>) {
    let by_key: HashMap<&str, &StoredOperation> = stored
        .operations
        .iter()
        .map(|op| (op.key.as_str(), op))
        .collect();
    let mut sorted: Vec<&String> = expected.acknowledged_operations.iter().collect();
    sorted.sort();
    for key in sorted {
        match by_key.get(key.as_str()) {
            Some(op) if op.status == "Success" => {}
            Some(op) => out.push(format!(
                "push operation {key} was acknowledged as Success but is stored as {}",
                op.status
            )),
            None => out.push(format!(
                "push operation {key} was acknowledged but is not stored"
            )),
        }
    }
    let changes: usize = stored.operations.iter().map(|op| op.changes.len()).sum();
    if changes != total {
        out.push(format!(
            "push operations report {changes} stored transactions, {total} are stored"
        ));
    }
}

/// Exactly one write event per stored operation, of the matching kind, and none for anything else.
fn check_events(stored: &Stored, out: &mut Vec<String>) {
    let mut events: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &stored.events {
        events
            .entry(e.operation.as_str())
            .or_default()
            .push(e.event_type.as_str());
    }
    for op in &stored.operations {
        let kind = if op.status == "Success" {
            "bankTransactions.write.successful"
        } else {
            "bankTransactions.write.unsuccessful"
        };
        match events.remove(op.key.as_str()).as_deref() {
            Some([one]) if *one == kind => {}
            Some(found) => out.push(format!(
                "push operation {} has outbox events {found:?}, expected one {kind}",
                op.key
            )),
            None => out.push(format!("push operation {} has no outbox event", op.key)),
        }
    }
    for (operation, kinds) in events {
        out.push(format!(
            "outbox events {kinds:?} report push operation {operation}, which is not stored"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountKey {
        ("conn".into(), "acc-0".into())
    }

    /// Two transactions pushed by one acknowledged operation, stored faithfully.
    fn faithful() -> (Expected, Stored) {
        let mut expected = Expected::default();
        let amounts = HashMap::from([
            ("t1".to_owned(), Decimal::new(-150, 2)),
            ("t2".to_owned(), Decimal::new(1000, 2)),
        ]);
        expected.transactions.insert(account(), amounts);
        expected.balances.insert(account(), Decimal::new(850, 2));
        expected.acknowledged_operations.insert("op-1".into());
        let stored = Stored {
            transactions: vec![
                (account(), "t1".into(), "-1.50".into()),
                (account(), "t2".into(), "10.00".into()),
            ],
            balances: HashMap::from([(account(), Some("8.50".into()))]),
            operations: vec![StoredOperation {
                key: "op-1".into(),
                status: "Success".into(),
                changes: vec!["t1".into(), "t2".into()],
            }],
            events: vec![StoredEvent {
                event_type: "bankTransactions.write.successful".into(),
                operation: "op-1".into(),
            }],
        };
        (expected, stored)
    }

    #[test]
    fn a_faithful_store_passes() {
        let (expected, stored) = faithful();
        assert_eq!(check(&expected, &stored), Vec::<String>::new());
    }

    #[test]
    fn a_duplicate_transaction_is_reported() {
        let (expected, mut stored) = faithful();
        stored
            .transactions
            .push((account(), "t1".into(), "-1.50".into()));
        let found = check(&expected, &stored);
        assert!(
            found.iter().any(|v| v.contains("more than once")),
            "{found:?}"
        );
    }

    #[test]
    fn a_missing_transaction_is_reported() {
        let (expected, mut stored) = faithful();
        stored.transactions.pop();
        let found = check(&expected, &stored);
        assert!(found.iter().any(|v| v.contains("missing")), "{found:?}");
        assert!(found.iter().any(|v| v.contains("sum to")), "{found:?}");
    }

    #[test]
    fn an_unacknowledged_transaction_is_reported() {
        let (expected, mut stored) = faithful();
        stored
            .transactions
            .push((account(), "t9".into(), "1.00".into()));
        let found = check(&expected, &stored);
        assert!(
            found.iter().any(|v| v.contains("no client acknowledged")),
            "{found:?}"
        );
    }

    #[test]
    fn a_wrong_amount_or_balance_is_reported() {
        let (expected, mut stored) = faithful();
        stored.transactions[0].2 = "-1.05".into();
        stored.balances.insert(account(), Some("8.05".into()));
        let found = check(&expected, &stored);
        assert!(found.iter().any(|v| v.contains("has amount")), "{found:?}");
        assert!(found.iter().any(|v| v.contains("balance of")), "{found:?}");
    }

    #[test]
    fn a_missing_or_doubled_outbox_event_is_reported() {
        let (expected, mut stored) = faithful();
        let event = stored.events.remove(0);
        assert!(check(&expected, &stored)
            .iter()
            .any(|v| v.contains("no outbox event")));
        stored.events = vec![event.clone(), event];
        assert!(check(&expected, &stored)
            .iter()
            .any(|v| v.contains("expected one")));
    }

    #[test]
    fn a_lost_acknowledged_operation_is_reported() {
        let (mut expected, stored) = faithful();
        expected.acknowledged_operations.insert("op-2".into());
        let found = check(&expected, &stored);
        assert!(found.iter().any(|v| v.contains("not stored")), "{found:?}");
    }
}
