//! How an account of an OFX account list (`ACCTINFO`) is offered for linking: its name, its
//! number, the chart entry its OFX type suggests, and how statement requests address it.

use feedbridge_ofx::{AccountInfoKind, AcctInfo, AcctType};

use super::requests::AccountRef;
use crate::chart::account_name;
use crate::feed::Offered;

/// The chart entry that matches what the institution says the account is.
fn default_type(info: &AcctInfo) -> &'static str {
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

/// The account as the selection page offers it.
pub fn offered(info: &AcctInfo) -> Offered {
    let account = account_ref(info);
    Offered {
        key: account.key(),
        name: account_name(info.desc.as_deref(), account.number()),
        number: account.number().to_owned(),
        chart: default_type(info),
    }
}

#[cfg(test)]
mod tests {
    use feedbridge_ofx::{AcctService, BankAcctFrom, CcAcctFrom};

    use super::*;

    #[test]
    fn a_card_without_description_is_named_by_its_last_digits() {
        let card = AcctInfo {
            desc: None,
            phone: None,
            kind: AccountInfoKind::CreditCard(
                CcAcctFrom {
                    acctid: "4111222333".into(),
                    acctkey: None,
                },
                AcctService::download_only(),
            ),
        };
        let o = offered(&card);
        assert_eq!(
            (o.key.as_str(), o.name.as_str(), o.chart),
            ("card:4111222333", "Account ending 2333", "Credit Card")
        );
        let savings = AcctInfo {
            desc: Some(" Business Savings ".into()),
            phone: None,
            kind: AccountInfoKind::Bank(
                BankAcctFrom {
                    bankid: "123456789".into(),
                    branchid: None,
                    acctid: "0001111".into(),
                    accttype: AcctType::Savings,
                    acctkey: None,
                },
                AcctService::download_only(),
            ),
        };
        let o = offered(&savings);
        assert_eq!((o.name.as_str(), o.chart), ("Business Savings", "Savings"));
        assert_eq!(o.number, "0001111");
    }
}
