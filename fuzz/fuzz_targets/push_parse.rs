//! Fuzzes the push body path as the server runs it: bytes → exact-number JSON → the field-by-field
//! reader → every push rule against a connected account. Nothing may panic, and a push the rules
//! accept must be one the store can hold: unique ids, at most 1000 of them, amounts in cents.
#![no_main]

use feedbridge::domain::push::check::check;
use feedbridge::http::api::transactions::body::parse_push;
use feedbridge_store::{
    AccountShape, AccountStatus, ConnectionId, Ledger, SourceAccount, SourceAccountId,
};
use jiff::civil::date;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fn connected(id: &SourceAccountId) -> SourceAccount {
    SourceAccount {
        connection_id: ConnectionId::new(),
        id: id.clone(),
        shape: AccountShape::V2,
        account_name: None,
        account_type: Some("checking".into()),
        account_number: None,
        sort_code: None,
        currency: Some("USD".into()),
        balance: None,
        routing_info: None,
        account_info: None,
        modified_date: None,
        status: AccountStatus::Connected,
        feed_start_date: Some(date(2026, 2, 20)),
        last_pulled: None,
        linked_credential: None,
        created: jiff::Timestamp::UNIX_EPOCH,
        feed_mark: jiff::Timestamp::UNIX_EPOCH,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(input) = parse_push(&body) else {
        return;
    };
    let Ok(account) = SourceAccountId::parse("acc-1") else {
        return;
    };
    let ledger = Ledger {
        account: Some(connected(&account)),
        newest: None,
        stored: Vec::new(),
    };
    let checked = check(&input, &account, &ledger, date(2026, 3, 2));
    if checked.errors.is_empty() {
        assert!((1..=1000).contains(&input.transactions.len()));
        let ids: HashSet<&str> = checked.new.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids.len(), checked.new.len(), "accepted push with duplicate ids");
        for t in &checked.new {
            assert!(t.amount.scale() <= 2, "accepted amount {}", t.amount);
        }
    }
});
