//! The sandbox's chart of accounts and how a discovered bank account is named and shown.
//!
//! QuickBooks asks which account in the books each bank account feeds; the sandbox offers a
//! small fixed chart and preselects the entry matching what the institution says the account is
//! (each feed maps its own account types in its module).

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

/// The account's name: the institution's description, else its last four digits.
pub fn account_name(description: Option<&str>, number: &str) -> String {
    match description.map(str::trim) {
        Some(desc) if !desc.is_empty() => desc.to_owned(),
        _ => format!("Account ending {}", last_four(number)),
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
        assert_eq!(
            masked("••••3871"),
            "••••3871",
            "an already masked number stays"
        );
    }

    #[test]
    fn chart_entries_are_exact() {
        assert_eq!(chart_entry("Credit Card"), Some("Credit Card"));
        assert_eq!(chart_entry("credit card"), None);
    }

    #[test]
    fn names_fall_back_to_the_last_digits() {
        assert_eq!(account_name(Some(" Payroll "), "123456"), "Payroll");
        assert_eq!(account_name(Some(""), "123456"), "Account ending 3456");
        assert_eq!(account_name(None, "xx-9876"), "Account ending 9876");
    }
}
