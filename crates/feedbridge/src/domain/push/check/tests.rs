//! The push rules on their own: each finding at and just past its boundary, on a ledger built
//! by hand, so a rule can be read next to the case that pins it.

use jiff::civil::{date, Date};

use feedbridge_store::SourceAccount;

use super::super::input::FieldProblem;
use super::*;
use crate::domain::fixtures::source_account;

/// The day every case runs on.
const TODAY: Date = date(2026, 3, 2);

fn account(status: AccountStatus, feed_start: Option<Date>) -> SourceAccount {
    SourceAccount {
        status,
        feed_start_date: feed_start,
        ..source_account("acc-1")
    }
}

/// A connected account whose feed started long ago, with nothing stored.
fn ledger() -> Ledger {
    Ledger {
        account: Some(account(AccountStatus::Connected, Some(date(2026, 1, 1)))),
        newest: None,
        stored: Vec::new(),
    }
}

fn tx(id: &str, day: Date, amount: &str) -> TransactionInput {
    TransactionInput {
        id: Some(id.into()),
        date: Some(format!("{day}T10:00:00")),
        description: Some("Coffee".into()),
        amount: Some(amount.parse().unwrap()),
        ..TransactionInput::default()
    }
}

/// Takes one field away from a transaction.
type Removal = fn(&mut TransactionInput);

fn push(transactions: Vec<TransactionInput>) -> PushInput {
    PushInput {
        account_id: Some("acc-1".into()),
        transactions,
    }
}

fn run(input: &PushInput, ledger: &Ledger) -> Checked {
    check(
        input,
        &SourceAccountId::parse("acc-1").unwrap(),
        ledger,
        TODAY,
    )
}

/// The validator and item of every error.
fn errors(checked: &Checked) -> Vec<(String, Option<String>)> {
    let findings = checked.errors.iter();
    findings
        .map(|e| (e.validator_name.clone(), e.item_id.clone()))
        .collect()
}

fn only_error(checked: &Checked, validator: Validator, item: Option<&str>) {
    let expected = vec![(validator.as_str().to_owned(), item.map(str::to_owned))];
    assert_eq!(errors(checked), expected, "{checked:?}");
    assert!(checked.new.is_empty() && checked.balance.is_none());
}

#[test]
fn a_valid_push_stores_cents_and_takes_the_last_balance() {
    let mut second = tx("t2", TODAY, "-0.1");
    second.balance = Some("99.9".parse().unwrap());
    let checked = run(&push(vec![tx("t1", TODAY, "100"), second]), &ledger());
    assert_eq!(errors(&checked), []);
    let amounts: Vec<String> = checked.new.iter().map(|t| t.amount.to_string()).collect();
    assert_eq!(amounts, ["100.00", "-0.10"]);
    assert_eq!(checked.new[0].transaction_type, "Unknown");
    assert_eq!(
        checked.balance.map(|b| b.to_string()).as_deref(),
        Some("99.90")
    );
}

#[test]
fn the_account_must_be_named_exist_and_be_connected() {
    let mut unnamed = push(vec![tx("t1", TODAY, "1")]);
    unnamed.account_id = None;
    only_error(&run(&unnamed, &ledger()), Validator::RequiredField, None);
    let mut other = push(vec![tx("t1", TODAY, "1")]);
    other.account_id = Some("acc-2".into());
    only_error(
        &run(&other, &ledger()),
        Validator::AccountIdMismatch,
        Some("acc-2"),
    );
    let missing = Ledger {
        account: None,
        ..ledger()
    };
    let input = push(vec![tx("t1", TODAY, "1")]);
    only_error(
        &run(&input, &missing),
        Validator::AccountNotFound,
        Some("acc-1"),
    );
    for status in [AccountStatus::Pending, AccountStatus::Disconnected] {
        let waiting = Ledger {
            account: Some(account(status, None)),
            ..ledger()
        };
        only_error(
            &run(&input, &waiting),
            Validator::AccountNotConnected,
            Some("acc-1"),
        );
    }
}

#[test]
fn a_push_carries_one_to_a_thousand_transactions() {
    only_error(
        &run(&push(vec![]), &ledger()),
        Validator::NoTransactions,
        None,
    );
    let batch = |n: usize| (0..n).map(|i| tx(&format!("t{i}"), TODAY, "1")).collect();
    let full = run(&push(batch(MAX_TRANSACTIONS)), &ledger());
    assert_eq!(full.new.len(), MAX_TRANSACTIONS);
    let over = run(&push(batch(MAX_TRANSACTIONS + 1)), &ledger());
    only_error(&over, Validator::TooManyTransactions, None);
}

#[test]
fn each_required_field_is_reported_once_under_the_transaction_label() {
    let cases: [(&str, Removal); 4] = [
        ("id", |t| t.id = None),
        ("date", |t| t.date = None),
        ("description", |t| t.description = Some("  ".into())),
        ("amount", |t| t.amount = None),
    ];
    for (field, remove) in cases {
        let mut t = tx("t1", TODAY, "1");
        remove(&mut t);
        let label = if field == "id" {
            "transactions[0]"
        } else {
            "t1"
        };
        let checked = run(&push(vec![t]), &ledger());
        only_error(&checked, Validator::RequiredField, Some(label));
        assert!(checked.errors[0].message.contains(field), "{checked:?}");
    }
    // A field that was sent but unreadable is reported as its problem, not as missing.
    let mut unreadable = tx("t1", TODAY, "1");
    unreadable.amount = None;
    unreadable.problems.push(FieldProblem {
        field: "amount",
        validator: Validator::InvalidAmount,
        message: "`amount` is not a number.".into(),
    });
    only_error(
        &run(&push(vec![unreadable]), &ledger()),
        Validator::InvalidAmount,
        Some("t1"),
    );
}

#[test]
fn ids_dates_places_and_types_are_checked_per_transaction() {
    let twice = push(vec![tx("t1", TODAY, "1"), tx("t1", TODAY, "1")]);
    only_error(
        &run(&twice, &ledger()),
        Validator::DuplicateIdInRequest,
        Some("t1"),
    );
    let mut undated = tx("t1", TODAY, "1");
    undated.date = Some("next tuesday".into());
    only_error(
        &run(&push(vec![undated]), &ledger()),
        Validator::InvalidDate,
        Some("t1"),
    );
    let fraction = push(vec![tx("t1", TODAY, "0.105")]);
    only_error(
        &run(&fraction, &ledger()),
        Validator::DecimalPlaces,
        Some("t1"),
    );
    let mut balance = tx("t1", TODAY, "1");
    balance.balance = Some("1.001".parse().unwrap());
    only_error(
        &run(&push(vec![balance]), &ledger()),
        Validator::DecimalPlaces,
        Some("t1"),
    );
    let mut refund = tx("t1", TODAY, "1");
    refund.transaction_type = Some("Refund".into());
    only_error(
        &run(&push(vec![refund]), &ledger()),
        Validator::TransactionType,
        Some("t1"),
    );
}

#[test]
fn transactions_come_in_date_order() {
    let same_day = push(vec![tx("a", TODAY, "1"), tx("b", TODAY, "1")]);
    assert_eq!(errors(&run(&same_day, &ledger())), []);
    let earlier = TODAY.yesterday().unwrap();
    let backwards = push(vec![tx("a", TODAY, "1"), tx("b", earlier, "1")]);
    only_error(&run(&backwards, &ledger()), Validator::DateOrder, Some("b"));
}

#[test]
fn dates_run_from_the_history_window_or_feed_start_to_today() {
    let tomorrow = TODAY.tomorrow().unwrap();
    only_error(
        &run(&push(vec![tx("t", tomorrow, "1")]), &ledger()),
        Validator::FutureDate,
        Some("t"),
    );
    let window = TODAY
        .checked_sub(jiff::Span::new().days(HISTORY_DAYS))
        .unwrap();
    assert_eq!(
        errors(&run(&push(vec![tx("t", window, "1")]), &ledger())),
        []
    );
    let before = window.yesterday().unwrap();
    only_error(
        &run(&push(vec![tx("t", before, "1")]), &ledger()),
        Validator::DateTooOld,
        Some("t"),
    );
    // A feed that started three days ago narrows the window to those three days.
    let start = date(2026, 2, 27);
    let recent = Ledger {
        account: Some(account(AccountStatus::Connected, Some(start))),
        ..ledger()
    };
    assert_eq!(errors(&run(&push(vec![tx("t", start, "1")]), &recent)), []);
    let early = push(vec![tx("t", start.yesterday().unwrap(), "1")]);
    only_error(&run(&early, &recent), Validator::DateTooOld, Some("t"));
}

#[test]
fn nothing_new_is_dated_before_the_newest_stored_transaction() {
    let yesterday = TODAY.yesterday().unwrap();
    let stored = Ledger {
        newest: Some(yesterday.at(18, 0, 0, 0)),
        ..ledger()
    };
    let same_day = push(vec![tx("t", yesterday, "1")]);
    assert_eq!(errors(&run(&same_day, &stored)), []);
    let earlier = push(vec![tx("t", yesterday.yesterday().unwrap(), "1")]);
    only_error(
        &run(&earlier, &stored),
        Validator::BeforeNewestStored,
        Some("t"),
    );
}

#[test]
fn stored_transactions_are_skipped_when_identical_and_refused_when_changed() {
    let first = run(&push(vec![tx("t1", TODAY, "-5")]), &ledger());
    let stored = Ledger {
        stored: first.new.clone(),
        newest: Some(first.new[0].date),
        ..ledger()
    };
    let again = run(&push(vec![tx("t1", TODAY, "-5.00")]), &stored);
    assert_eq!(errors(&again), []);
    assert!(again.new.is_empty() && again.balance.is_none(), "{again:?}");
    let more = run(
        &push(vec![tx("t1", TODAY, "-5"), tx("t2", TODAY, "-1")]),
        &stored,
    );
    let ids: Vec<&str> = more.new.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["t2"]);
    let changed = push(vec![tx("t1", TODAY, "-5.01")]);
    only_error(&run(&changed, &stored), Validator::IdConflict, Some("t1"));
}

#[test]
fn one_error_keeps_every_transaction_out() {
    let input = push(vec![tx("good", TODAY, "1"), tx("bad", TODAY, "0.001")]);
    only_error(
        &run(&input, &ledger()),
        Validator::DecimalPlaces,
        Some("bad"),
    );
}

#[test]
fn sign_and_running_balance_problems_warn_without_refusing() {
    let mut credit = tx("t1", TODAY, "100");
    credit.transaction_type = Some("Credit".into());
    credit.balance = Some("100".parse().unwrap());
    let mut debit = tx("t2", TODAY, "60");
    debit.transaction_type = Some("Debit".into());
    debit.balance = Some("40".parse().unwrap());
    let checked = run(&push(vec![credit, debit]), &ledger());
    assert_eq!(errors(&checked), []);
    let warnings: Vec<_> = checked
        .warnings
        .iter()
        .map(|w| w.validator_name.as_str())
        .collect();
    let expected = [Validator::AmountSign, Validator::RunningBalance].map(Validator::as_str);
    assert_eq!(warnings, expected);
    assert_eq!(checked.new.len(), 2);
}
