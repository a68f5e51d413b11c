//! The sandbox's chart of accounts and how a discovered bank account is named and typed.
//!
//! QuickBooks asks which account in the books each bank account feeds; the sandbox offers a
//! small fixed chart and preselects the entry matching the OFX account type.

use feedbridge_ofx::{AccountInfoKind, AcctInfo, AcctType};

use crate::requests::AccountRef;

/// The account types a linked bank account can be booked as.
pub const CHART: [&str; 5] = [
    "Checking",
    "Savings",
    "Credit Card",
    "Money Market",
    "Line of Credit",
];

/// The chart entry for a chosen name, if it is one.
pub fn chart_entry(name: &str) -> Option<&'static str> {
    CHART.iter().copied().find(|c| *c == name)
}

/// The chart entry that matches what the institution says the account is.
pub fn default_type(info: &AcctInfo) -> &'static str {
    match &info.kind {
        AccountInfoKind::CreditCard(..) => "Credit Card",
        AccountInfoKind::Bank(from, _) => match from.accttype {
            AcctType::Checking => "Checking",
            AcctType::Savings | AcctType::Cd => "Savings",
            AcctType::MoneyMrkt => "Money Market",
            AcctType::CreditLine => "Line of Credit",
        },
    }
}

/// How the account is addressed in statement requests.
pub fn account_ref(info: &AcctInfo) -> AccountRef {
    match &info.kind {
        AccountInfoKind::Bank(from, _) => AccountRef::Bank(from.clone()),
        AccountInfoKind::CreditCard(from, _) => AccountRef::Card(from.clone()),
    }
}

/// The account's name: the institution's description, else its last four digits.
pub fn display_name(info: &AcctInfo) -> String {
    match info.desc.as_deref().map(str::trim) {
        Some(desc) if !desc.is_empty() => desc.to_owned(),
        _ => format!("Account ending {}", last_four(account_ref(info).number())),
    }
}

/// The account number with all but its last four characters hidden.
pub fn masked(number: &str) -> String {
    format!("••••{}", last_four(number))
}

fn last_four(number: &str) -> &str {
    let start = number.char_indices().rev().nth(3).map_or(0, |(i, _)| i);
    &number[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_last_four() {
        assert_eq!(masked("0001111222"), "••••1222");
        assert_eq!(masked("12"), "••••12");
    }

    #[test]
    fn chart_entries_are_exact() {
        assert_eq!(chart_entry("Credit Card"), Some("Credit Card"));
        assert_eq!(chart_entry("credit card"), None);
    }
}
