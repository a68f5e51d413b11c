//! Validator names and the per-transaction rules of a push (fields, amounts, types, signs).
//!
//! Names are part of the API: institutions match on them, so they never change once published.

use rust_decimal::Decimal;

use feedbridge_store::ValidationItem;

/// The name of every finding a push can carry (`validatorName`). Each text is its variant's
/// name; a name no variant has cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Validator {
    AccountIdMismatch,
    AccountNotFound,
    AccountNotConnected,
    NoTransactions,
    TooManyTransactions,
    RequiredField,
    InvalidField,
    InvalidAmount,
    DecimalPlaces,
    InvalidDate,
    TransactionType,
    DuplicateIdInRequest,
    FutureDate,
    DateTooOld,
    DateOrder,
    BeforeNewestStored,
    IdConflict,
    AmountSign,
    RunningBalance,
}

impl Validator {
    /// Every validator, in declaration order.
    pub const ALL: [Self; 19] = [
        Self::AccountIdMismatch,
        Self::AccountNotFound,
        Self::AccountNotConnected,
        Self::NoTransactions,
        Self::TooManyTransactions,
        Self::RequiredField,
        Self::InvalidField,
        Self::InvalidAmount,
        Self::DecimalPlaces,
        Self::InvalidDate,
        Self::TransactionType,
        Self::DuplicateIdInRequest,
        Self::FutureDate,
        Self::DateTooOld,
        Self::DateOrder,
        Self::BeforeNewestStored,
        Self::IdConflict,
        Self::AmountSign,
        Self::RunningBalance,
    ];

    /// The published name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccountIdMismatch => "AccountIdMismatch",
            Self::AccountNotFound => "AccountNotFound",
            Self::AccountNotConnected => "AccountNotConnected",
            Self::NoTransactions => "NoTransactions",
            Self::TooManyTransactions => "TooManyTransactions",
            Self::RequiredField => "RequiredField",
            Self::InvalidField => "InvalidField",
            Self::InvalidAmount => "InvalidAmount",
            Self::DecimalPlaces => "DecimalPlaces",
            Self::InvalidDate => "InvalidDate",
            Self::TransactionType => "TransactionType",
            Self::DuplicateIdInRequest => "DuplicateIdInRequest",
            Self::FutureDate => "FutureDate",
            Self::DateTooOld => "DateTooOld",
            Self::DateOrder => "DateOrder",
            Self::BeforeNewestStored => "BeforeNewestStored",
            Self::IdConflict => "IdConflict",
            Self::AmountSign => "AmountSign",
            Self::RunningBalance => "RunningBalance",
        }
    }
}

impl std::fmt::Display for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
pub fn item(
    item: Option<&str>,
    validator: Validator,
    message: impl Into<String>,
) -> ValidationItem {
    ValidationItem {
        item_id: item.map(str::to_owned),
        message: message.into(),
        validator_name: validator.as_str().to_owned(),
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
    fn validator_names_are_the_published_ones_and_unique() {
        let names: Vec<&str> = Validator::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(names.len(), 19);
        let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len());
        assert_eq!(Validator::AccountNotFound.as_str(), "AccountNotFound");
        assert_eq!(
            Validator::DuplicateIdInRequest.to_string(),
            "DuplicateIdInRequest"
        );
    }

    #[test]
    fn all_eighteen_codat_types_are_known() {
        assert_eq!(TRANSACTION_TYPES.len(), 18);
        assert!(transaction_type("Pos").is_none());
        assert!(transaction_type("credit").is_some());
    }
}
