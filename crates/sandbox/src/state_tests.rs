//! Booking pulls, whichever feed brought them: de-duplication by transaction id, where the next
//! pull starts, per-account failures, disconnecting and linking again.

use rust_decimal::Decimal;

use super::*;
use crate::test_support::ofx_session;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn offered(key: &str, name: &str) -> Offered {
    Offered {
        key: key.into(),
        name: name.into(),
        number: "0001111".into(),
        chart: "Checking",
    }
}

fn connection() -> Connection {
    let mut c = Connection::new(ofx_session());
    let pick = |key, name, chart| Pick {
        account: offered(key, name),
        chart,
    };
    c.link(
        vec![
            pick("chk", "Business Checking", "Checking"),
            pick("card", "Company Card", "Credit Card"),
        ],
        ts("2024-01-01T00:00:00Z"),
    );
    c
}

fn entry(id: &str, date: &str, amount: &str) -> Entry {
    Entry {
        id: id.into(),
        date: ts(date),
        amount: amount.parse::<Decimal>().unwrap(),
        payee: format!("Payee {id}"),
        memo: String::new(),
    }
}

fn statement(next_start: &str, entries: Vec<Entry>) -> Result<Statement, FeedError> {
    Ok(Statement {
        currency: "USD".into(),
        balance: "100.25".parse().unwrap(),
        available: None,
        entries,
        next_start: ts(next_start),
    })
}

fn failed() -> Result<Statement, FeedError> {
    Err(FeedError::Fdx {
        status: 409,
        code: Some(705),
        message: Some("The institution disconnected the account.".into()),
    })
}

fn ids(account: &Linked) -> Vec<&str> {
    account.entries.iter().map(|e| e.id.as_str()).collect()
}

#[test]
fn repeated_pulls_book_each_id_once_and_continue_where_each_said() {
    let mut c = connection();
    let asks = c.asks();
    assert_eq!(
        asks.iter()
            .map(|(i, a)| (*i, a.key.as_str(), a.start))
            .collect::<Vec<_>>(),
        [
            (0, "chk", ts("2024-01-01T00:00:00Z")),
            (1, "card", ts("2024-01-01T00:00:00Z"))
        ]
    );
    let first = vec![
        entry("a", "2024-01-02T10:00:00Z", "-12.50"),
        entry("b", "2024-01-03T10:00:00Z", "40"),
    ];
    c.apply(
        &asks,
        vec![statement("2024-01-04T00:00:00Z", first), failed()],
    );
    let checking = &c.accounts[0];
    assert_eq!(checking.next_start, ts("2024-01-04T00:00:00Z"));
    assert_eq!(checking.balance, Some("100.25".parse().unwrap()));
    assert_eq!(ids(checking), ["b", "a"], "newest first");

    let asks = c.asks();
    assert_eq!(asks[0].1.start, ts("2024-01-04T00:00:00Z"));
    // A window that starts where the last ended brings some transactions again.
    let second = vec![
        entry("b", "2024-01-03T10:00:00Z", "40"),
        entry("c", "2024-01-05T10:00:00Z", "-1"),
        entry("late", "2024-01-02T09:00:00Z", "-7"),
    ];
    c.apply(
        &asks,
        vec![statement("2024-01-06T00:00:00Z", second), failed()],
    );
    assert_eq!(ids(&c.accounts[0]), ["c", "b", "a", "late"]);
}

#[test]
fn a_failed_account_keeps_its_start_and_shows_the_code() {
    let mut c = connection();
    let asks = c.asks();
    c.apply(
        &asks,
        vec![statement("2024-01-04T00:00:00Z", Vec::new()), failed()],
    );
    let card = &c.accounts[1];
    assert_eq!(card.next_start, ts("2024-01-01T00:00:00Z"));
    let error = card.error.as_deref().unwrap();
    assert!(error.contains("Error 705"), "{error}");
    assert!(c.accounts[0].error.is_none());
    assert!(c.problem.is_none());
}

#[test]
fn disconnected_accounts_are_not_pulled_and_relinking_keeps_history() {
    let mut c = connection();
    let asks = c.asks();
    let entries = vec![entry("a", "2024-01-02T10:00:00Z", "-12.50")];
    c.apply(
        &asks,
        vec![statement("2024-01-04T00:00:00Z", entries), failed()],
    );
    c.accounts[0].connected = false;
    let asks = c.asks();
    assert_eq!(asks.len(), 1);
    assert_eq!(asks[0].1.key, "card");

    let again = Pick {
        account: offered("chk", "Business Checking"),
        chart: "Savings",
    };
    c.link(vec![again], ts("2024-01-03T00:00:00Z"));
    assert_eq!(c.accounts.len(), 2);
    assert!(c.accounts[0].connected);
    assert_eq!(c.accounts[0].chart, "Savings");
    assert_eq!(c.accounts[0].next_start, ts("2024-01-03T00:00:00Z"));
    assert_eq!(ids(&c.accounts[0]), ["a"]);
}
