//! What a PATCH of a source account may change: its name, `status` only to `disconnected`, the
//! balance only while it is not connected, and nothing else but with the value it already has.

use feedbridge_store::{AccountStatus, SourceAccount};

use super::{check_patch, AccountPatch};
use crate::domain::fixtures::source_account;

fn account(status: AccountStatus) -> SourceAccount {
    SourceAccount {
        account_name: Some("Checking".into()),
        account_type: Some("checking".into()),
        account_number: Some("12345678".into()),
        status,
        ..source_account("acc-1")
    }
}

fn refusal(account: &SourceAccount, patch: &AccountPatch) -> String {
    match check_patch(account, patch) {
        Err(e) => e.to_string(),
        Ok(()) => panic!("{patch:?} was accepted"),
    }
}

#[test]
fn the_name_and_a_matching_id_may_always_change() {
    let connected = account(AccountStatus::Connected);
    let rename = AccountPatch {
        id: Some("acc-1".into()),
        account_name: Some("Renamed".into()),
        ..AccountPatch::default()
    };
    assert!(check_patch(&connected, &rename).is_ok());
    let moved = AccountPatch {
        id: Some("acc-2".into()),
        ..AccountPatch::default()
    };
    assert!(refusal(&connected, &moved).contains("`id`"));
}

#[test]
fn status_can_only_become_disconnected() {
    let connected = account(AccountStatus::Connected);
    let disconnect = AccountPatch {
        status: Some("disconnected".into()),
        ..AccountPatch::default()
    };
    assert!(check_patch(&connected, &disconnect).is_ok());
    for status in ["connected", "pending", "Disconnected"] {
        let other = AccountPatch {
            status: Some(status.into()),
            ..AccountPatch::default()
        };
        assert!(refusal(&connected, &other).contains("`status`"), "{status}");
    }
}

#[test]
fn the_balance_changes_only_while_the_account_is_not_connected() {
    let balance = AccountPatch {
        balance: Some("12.50".parse().unwrap()),
        ..AccountPatch::default()
    };
    for status in [AccountStatus::Pending, AccountStatus::Disconnected] {
        assert!(check_patch(&account(status), &balance).is_ok(), "{status}");
    }
    let refused = refusal(&account(AccountStatus::Connected), &balance);
    assert!(refused.contains("`balance`"), "{refused}");
}

#[test]
fn other_fields_may_only_repeat_their_current_value() {
    let pending = account(AccountStatus::Pending);
    let same = AccountPatch {
        other_fields: vec![
            ("accountType".into(), "checking".into()),
            ("accountNumber".into(), "12345678".into()),
            ("currency".into(), "USD".into()),
        ],
        ..AccountPatch::default()
    };
    assert!(check_patch(&pending, &same).is_ok());
    for (field, value) in [
        ("accountType", "savings"),
        ("accountNumber", "87654321"),
        ("sortCode", "12-34-56"),
        ("currency", "CAD"),
    ] {
        let changed = AccountPatch {
            other_fields: vec![(field.into(), value.into())],
            ..AccountPatch::default()
        };
        assert!(refusal(&pending, &changed).contains(field), "{field}");
    }
}
