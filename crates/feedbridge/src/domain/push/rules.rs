//! Validator names and the per-transaction rules of a push (fields, amounts, types, signs).
//!
//! Names are part of the API: institutions match on them, so they never change once published.

use rust_decimal::Decimal;

use feedbridge_store::ValidationItem;

pub const ACCOUNT_ID_MISMATCH: &str = "AccountIdMismatch";
pub const ACCOUNT_NOT_FOUND: &str = "AccountNotFound";
pub const ACCOUNT_NOT_CONNECTED: &str = "AccountNotConnected";
pub const NO_TRANSACTIONS: &str = "NoTransactions";
pub const TOO_MANY_TRANSACTIONS: &str = "TooManyTransactions";
pub const REQUIRED_FIELD: &str = "RequiredField";
pub const INVALID_FIELD: &str = "InvalidField";
pub const INVALID_AMOUNT: &str = "InvalidAmount";
pub const DECIMAL_PLACES: &str = "DecimalPlaces";
pub const INVALID_DATE: &str = "InvalidDate";
pub const TRANSACTION_TYPE: &str = "TransactionType";
pub const DUPLICATE_ID_IN_REQUEST: &str = "DuplicateIdInRequest";
pub const FUTURE_DATE: &str = "FutureDate";
pub const DATE_TOO_OLD: &str = "DateTooOld";
pub const DATE_ORDER: &str = "DateOrder";
pub const BEFORE_NEWEST_STORED: &str = "BeforeNewestStored";
pub const ID_CONFLICT: &str = "IdConflict";
pub const AMOUNT_SIGN: &str = "AmountSign";
pub const RUNNING_BALANCE: &str = "RunningBalance";

/// Most transactions one push may carry.
pub const MAX_TRANSACTIONS: usize = 1000;
/// How far back a transaction may be dated, in days before today.
pub const HISTORY_DAYS: i64 = 7;

/// Codat's 18 `transactionType` values.
pub const TRANSACTION_TYPES: [&str; 18] = [
    "Unknown",
    "Credit",
    "Debit",
    "Int",
    "Div",
    "Fee",
    "SerChg",
    "Dep",
    "Atm",
    "Pos",
    "Xfer",
    "Check",
    "Payment",
    "Cash",
    "DirectDep",
    "DirectDebit",
    "RepeatPmt",
    "Other",
];

/// Types that always bring money in.
const MONEY_IN: [&str; 5] = ["Credit", "Int", "Div", "Dep", "DirectDep"];
/// Types that always take money out.
const MONEY_OUT: [&str; 10] = [
    "Debit",
    "Fee",
    "SerChg",
    "Atm",
    "Pos",
    "Check",
    "Payment",
    "Cash",
    "DirectDebit",
    "RepeatPmt",
];

/// A finding about one transaction (or the whole push when `item` is `None`).
pub fn item(item: Option<&str>, validator: &str, message: impl Into<String>) -> ValidationItem {
    ValidationItem {
        item_id: item.map(str::to_owned),
        message: message.into(),
        validator_name: validator.to_owned(),
    }
}

/// Why `value` (the `field` of a transaction) cannot be stored in cents, if it cannot.
pub fn decimal_places(field: &str, value: Decimal) -> Option<String> {
    (value.normalize().scale() > 2).then(|| {
        format!(
            "`{field}` {value} has more than 2 decimal places; send amounts in whole cents, \
             e.g. {}.",
            value.round_dp(2)
        )
    })
}

/// Why the type is refused, if it is.
pub fn transaction_type(kind: &str) -> Option<String> {
    (!TRANSACTION_TYPES.contains(&kind)).then(|| {
        format!(
            "`transactionType` {kind:?} is not one of {}.",
            TRANSACTION_TYPES.join(", ")
        )
    })
}

/// A warning when the amount's sign contradicts what the type means.
pub fn sign_mismatch(kind: &str, amount: Decimal) -> Option<String> {
    if amount.is_zero() {
        return None;
    }
    let negative = amount.is_sign_negative();
    if MONEY_IN.contains(&kind) && negative {
        Some(format!(
            "`amount` {amount} is negative but `transactionType` {kind} brings money in; \
             money in is positive."
        ))
    } else if MONEY_OUT.contains(&kind) && !negative {
        Some(format!(
            "`amount` {amount} is positive but `transactionType` {kind} takes money out; \
             money out is negative."
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn cents_pass_and_fractions_of_cents_fail() {
        assert_eq!(decimal_places("amount", d("4002.0")), None);
        assert_eq!(decimal_places("amount", d("-0.10")), None);
        assert_eq!(decimal_places("amount", d("1.500")), None);
        assert!(decimal_places("amount", d("0.001")).is_some());
        assert!(decimal_places("amount", d("0.30000000000000004")).is_some());
    }

    #[test]
    fn signs_are_checked_only_for_one_way_types() {
        assert!(sign_mismatch("Debit", d("5")).is_some());
        assert!(sign_mismatch("Credit", d("-5")).is_some());
        assert_eq!(sign_mismatch("Debit", d("-5")), None);
        assert_eq!(sign_mismatch("Xfer", d("-5")), None);
        assert_eq!(sign_mismatch("Unknown", d("5")), None);
        assert_eq!(sign_mismatch("Debit", d("0")), None);
    }

    #[test]
    fn all_eighteen_codat_types_are_known() {
        assert_eq!(TRANSACTION_TYPES.len(), 18);
        assert!(transaction_type("Pos").is_none());
        assert!(transaction_type("credit").is_some());
    }
}
