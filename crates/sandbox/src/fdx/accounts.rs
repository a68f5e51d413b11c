//! How an FDX account is offered for linking and how its balances are booked: the chart entry
//! its `accountType` suggests, and a line of credit's balance turned back into the books' sign.

use rust_decimal::Decimal;

use super::api::{Descriptor, Detailed};
use crate::chart::account_name;
use crate::feed::Offered;

/// The chart entry matching FDX's account type (or, failing that, its category).
fn default_type(account: &Descriptor) -> &'static str {
    match account.account_type.as_deref().unwrap_or_default() {
        "CHECKING" => "Checking",
        "SAVINGS" | "CD" => "Savings",
        "MONEYMARKET" => "Money Market",
        "CREDITCARD" => "Credit Card",
        "LINEOFCREDIT" | "LOAN" => "Line of Credit",
        _ => match account.account_category.as_str() {
            "LOC_ACCOUNT" => "Credit Card",
            "LOAN_ACCOUNT" => "Line of Credit",
            _ => "Checking",
        },
    }
}

/// The account as the selection page offers it; the key is FDX's `accountId`.
pub fn offered(account: &Descriptor) -> Offered {
    let number = account.account_number_display.clone().unwrap_or_default();
    Offered {
        key: account.account_id.clone(),
        name: account_name(account.product_name.as_deref(), &number),
        number,
        chart: default_type(account),
    }
}

/// The balance as the books read it. FDX gives a line of credit's `currentBalance` as what is
/// owed; the books (and the OFX feed) show a debt as negative.
pub fn balance(detailed: &Detailed) -> Decimal {
    if detailed.descriptor.account_category == "LOC_ACCOUNT" {
        -detailed.current_balance
    } else {
        detailed.current_balance
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn descriptor(category: &str, kind: Option<&str>, name: Option<&str>) -> Descriptor {
        Descriptor {
            account_id: "acc-1".into(),
            account_category: category.into(),
            account_type: kind.map(str::to_owned),
            account_number_display: Some("••••3871".into()),
            product_name: name.map(str::to_owned),
            currency: None,
        }
    }

    #[test]
    fn types_pick_the_chart_entry_and_names_fall_back_to_the_number() {
        let card = offered(&descriptor(
            "LOC_ACCOUNT",
            Some("CREDITCARD"),
            Some("Business Visa"),
        ));
        assert_eq!(
            (card.key.as_str(), card.name.as_str(), card.chart),
            ("acc-1", "Business Visa", "Credit Card")
        );
        let savings = offered(&descriptor("DEPOSIT_ACCOUNT", Some("SAVINGS"), None));
        assert_eq!(
            (savings.name.as_str(), savings.chart),
            ("Account ending 3871", "Savings")
        );
        let other = offered(&descriptor(
            "DEPOSIT_ACCOUNT",
            Some("OTHERDEPOSIT"),
            Some("Prepaid"),
        ));
        assert_eq!(other.chart, "Checking");
        assert_eq!(
            offered(&descriptor("LOAN_ACCOUNT", None, None)).chart,
            "Line of Credit"
        );
    }

    #[test]
    fn what_a_card_owes_is_a_negative_balance() {
        let detailed = |category: &str| Detailed {
            descriptor: descriptor(category, None, None),
            current_balance: "87.55".parse().unwrap(),
            available_balance: None,
        };
        assert_eq!(balance(&detailed("LOC_ACCOUNT")), "-87.55".parse().unwrap());
        assert_eq!(
            balance(&detailed("DEPOSIT_ACCOUNT")),
            "87.55".parse().unwrap()
        );
    }
}
