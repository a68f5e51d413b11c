//! The whole-push rules: the account, the batch size, each transaction, date order, the history
//! window and what is already stored. All findings are collected, so one answer lists every fix.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use jiff::ToSpan;
use rust_decimal::Decimal;

use feedbridge_store::{AccountStatus, BankTransaction, Ledger, SourceAccountId, ValidationItem};

use super::input::{local_date_time, PushInput, TransactionInput};
use super::rules::*;

/// What the rules concluded.
#[derive(Debug, Default)]
pub struct Checked {
    pub errors: Vec<ValidationItem>,
    pub warnings: Vec<ValidationItem>,
    /// Transactions to store: valid and not stored before.
    pub new: Vec<BankTransaction>,
    /// The account's new balance (the last transaction's), when something new is stored.
    pub balance: Option<Decimal>,
}

/// Applies every rule of a push to `account` against what is stored (`ledger`) on `today`.
pub fn check(
    input: &PushInput,
    account: &SourceAccountId,
    ledger: &Ledger,
    today: Date,
) -> Checked {
    let mut out = Checked::default();
    check_account(input, account, ledger, &mut out);
    let count = input.transactions.len();
    if count == 0 {
        out.errors.push(item(
            None,
            Validator::NoTransactions,
            "`transactions` is empty: send at least one transaction.",
        ));
    } else if count > MAX_TRANSACTIONS {
        out.errors.push(item(
            None,
            Validator::TooManyTransactions,
            format!("{count} transactions were sent; at most {MAX_TRANSACTIONS} are accepted per request: split the batch."),
        ));
    }
    let parsed = parse_all(&input.transactions, &mut out);
    check_order(&parsed, &mut out);
    check_warnings(&parsed, &mut out);
    let earliest = earliest_date(ledger, today);
    let stored: HashMap<&str, &BankTransaction> =
        ledger.stored.iter().map(|t| (t.id.as_str(), t)).collect();
    let newest = ledger.newest.map(|d| d.date());
    for t in &parsed {
        match stored.get(t.id.as_str()) {
            Some(old) if *old == t => {}
            Some(_) => out.errors.push(item(
                Some(&t.id),
                Validator::IdConflict,
                format!("A different transaction with id {:?} is already stored for this account: stored transactions cannot change; give a new transaction a new id.", t.id),
            )),
            None => {
                check_dates(t, today, earliest, newest, &mut out);
                out.new.push(t.clone());
            }
        }
    }
    if out.errors.is_empty() && !out.new.is_empty() {
        out.balance = parsed.last().and_then(|t| t.balance);
    } else {
        out.new.clear();
    }
    out
}

fn check_account(input: &PushInput, account: &SourceAccountId, ledger: &Ledger, out: &mut Checked) {
    match input.account_id.as_deref() {
        None => out.errors.push(item(None, Validator::RequiredField, "`accountId` is missing: repeat the account id of the path in the body.")),
        Some(id) if id != account.as_str() => out.errors.push(item(
            Some(id),
            Validator::AccountIdMismatch,
            format!("The body's `accountId` {id:?} differs from the path's account id {:?}: push to one account per request.", account.as_str()),
        )),
        Some(_) => {}
    }
    match &ledger.account {
        None => out.errors.push(item(
            Some(account.as_str()),
            Validator::AccountNotFound,
            format!("No source account {:?} exists on this connection: create it first.", account.as_str()),
        )),
        Some(a) if a.status != AccountStatus::Connected => out.errors.push(item(
            Some(account.as_str()),
            Validator::AccountNotConnected,
            format!("Source account {:?} is {}, not connected: transactions are accepted once the SMB user has connected it in the accounting platform.", account.as_str(), a.status),
        )),
        Some(_) => {}
    }
}

/// Checks each transaction's own fields and returns the complete ones.
fn parse_all(items: &[TransactionInput], out: &mut Checked) -> Vec<BankTransaction> {
    let mut seen = HashSet::new();
    let mut parsed = Vec::with_capacity(items.len());
    for (index, input) in items.iter().enumerate() {
        let label = input
            .id
            .clone()
            .unwrap_or_else(|| format!("transactions[{index}]"));
        let before = out.errors.len();
        for problem in &input.problems {
            out.errors.push(item(
                Some(&label),
                problem.validator,
                problem.message.clone(),
            ));
        }
        for (field, present) in [
            (
                "id",
                input.id.as_deref().is_some_and(|s| !s.trim().is_empty()),
            ),
            ("date", input.date.is_some()),
            (
                "description",
                input
                    .description
                    .as_deref()
                    .is_some_and(|s| !s.trim().is_empty()),
            ),
            ("amount", input.amount.is_some()),
        ] {
            if !present && !input.problems.iter().any(|p| p.field == field) {
                out.errors.push(item(
                    Some(&label),
                    Validator::RequiredField,
                    format!("`{field}` is required on every transaction."),
                ));
            }
        }
        if let Some(id) = &input.id {
            if !seen.insert(id.clone()) {
                out.errors.push(item(Some(id), Validator::DuplicateIdInRequest, format!("Transaction id {id:?} appears more than once in this request: each transaction needs its own id.")));
            }
        }
        let date = input.date.as_deref().and_then(|text| {
            let parsed = local_date_time(text);
            if parsed.is_none() {
                out.errors.push(item(Some(&label), Validator::InvalidDate, format!("`date` {text:?} is not a date-time: send the local cleared-on time, e.g. 2023-08-22T10:21:00.")));
            }
            parsed
        });
        for (field, value) in [("amount", input.amount), ("balance", input.balance)] {
            if let Some(message) = value.and_then(|v| decimal_places(field, v)) {
                out.errors
                    .push(item(Some(&label), Validator::DecimalPlaces, message));
            }
        }
        let kind = input
            .transaction_type
            .clone()
            .unwrap_or_else(|| "Unknown".into());
        if let Some(message) = transaction_type(&kind) {
            out.errors
                .push(item(Some(&label), Validator::TransactionType, message));
        }
        if out.errors.len() > before {
            continue;
        }
        if let (Some(id), Some(date), Some(description), Some(amount)) =
            (&input.id, date, &input.description, input.amount)
        {
            parsed.push(BankTransaction {
                id: id.clone(),
                date,
                description: description.clone(),
                amount: cents(amount),
                balance: input.balance.map(cents),
                transaction_type: kind,
                counterparty: input.counterparty.clone(),
                reference: input.reference.clone(),
            });
        }
    }
    parsed
}

/// The value with exactly two decimal places (it has at most two significant ones here).
fn cents(mut value: Decimal) -> Decimal {
    value.rescale(2);
    value
}

fn check_order(parsed: &[BankTransaction], out: &mut Checked) {
    for pair in parsed.windows(2) {
        if pair[1].date.date() < pair[0].date.date() {
            out.errors.push(item(
                Some(&pair[1].id),
                Validator::DateOrder,
                format!("Transaction {:?} ({}) comes after {:?} ({}) but is dated earlier: send transactions in date order, earliest first.", pair[1].id, pair[1].date.date(), pair[0].id, pair[0].date.date()),
            ));
        }
    }
}

fn check_warnings(parsed: &[BankTransaction], out: &mut Checked) {
    for t in parsed {
        if let Some(message) = sign_mismatch(&t.transaction_type, t.amount) {
            out.warnings
                .push(item(Some(&t.id), Validator::AmountSign, message));
        }
    }
    for pair in parsed.windows(2) {
        if let (Some(before), Some(after)) = (pair[0].balance, pair[1].balance) {
            let expected = before + pair[1].amount;
            if after != expected {
                out.warnings.push(item(
                    Some(&pair[1].id),
                    Validator::RunningBalance,
                    format!("`balance` {after} of {:?} should be {expected} (the previous balance {before} plus the amount {}).", pair[1].id, pair[1].amount),
                ));
            }
        }
    }
}

/// The first date a new transaction may have: the feed start date, but at most 7 days back.
fn earliest_date(ledger: &Ledger, today: Date) -> Date {
    let window = today.checked_sub(HISTORY_DAYS.days()).unwrap_or(today);
    let start = ledger.account.as_ref().and_then(|a| a.feed_start_date);
    start.map_or(window, |s| s.max(window))
}

fn check_dates(
    t: &BankTransaction,
    today: Date,
    earliest: Date,
    newest: Option<Date>,
    out: &mut Checked,
) {
    let day = t.date.date();
    if day > today {
        out.errors.push(item(Some(&t.id), Validator::FutureDate, format!("Transaction {:?} is dated {day}, after today ({today}): only cleared transactions can be pushed.", t.id)));
    } else if day < earliest {
        out.errors.push(item(Some(&t.id), Validator::DateTooOld, format!("Transaction {:?} is dated {day}, before {earliest}: transactions may go back to the feed start date and at most {HISTORY_DAYS} days.", t.id)));
    }
    if let Some(newest) = newest.filter(|n| day < *n) {
        out.errors.push(item(Some(&t.id), Validator::BeforeNewestStored, format!("Transaction {:?} is dated {day}, before {newest}, the date of the newest transaction already stored for this account: push only transactions from {newest} on.", t.id)));
    }
}

#[cfg(test)]
mod tests;
