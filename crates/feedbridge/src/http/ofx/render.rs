//! Domain values as OFX aggregates: account information, statement bodies and transactions.
//! Shared by the Direct Connect endpoint and the Web Connect export.

use jiff::tz::TimeZone;
use jiff::Timestamp;

use feedbridge_ofx::{
    AccountInfoKind, AcctInfo, AcctService, AcctType, Balance, BankAcctFrom, BankTranList,
    CcAcctFrom, StmtTrn, TrnType,
};
use feedbridge_store::{BankTransaction, SourceAccount};

use crate::domain::feed::statements::Statement;
use crate::domain::Services;

/// How an account appears in OFX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bank(AcctType),
    Card,
}

/// Maps Codat's account types (v2 names and v1's Credit/Debit) onto OFX account kinds: cards
/// (credit and prepaid) are card accounts, loans are credit lines, the rest checking/savings.
pub fn kind(account: &SourceAccount) -> Kind {
    match account.account_type.as_deref().unwrap_or_default() {
        "creditCard" | "prepaidCard" | "Credit" | "credit" => Kind::Card,
        "savings" | "Savings" => Kind::Bank(AcctType::Savings),
        "loan" | "Loan" => Kind::Bank(AcctType::CreditLine),
        _ => Kind::Bank(AcctType::Checking),
    }
}

/// The account as OFX addresses a bank account: the configured BANKID and the feed name.
pub fn bank_from(services: &Services, feed_name: &str, accttype: AcctType) -> BankAcctFrom {
    BankAcctFrom {
        bankid: services.settings.institution.bank_id.clone(),
        branchid: None,
        acctid: feed_name.to_owned(),
        accttype,
        acctkey: None,
    }
}

pub fn card_from(feed_name: &str) -> CcAcctFrom {
    CcAcctFrom {
        acctid: feed_name.to_owned(),
        acctkey: None,
    }
}

pub fn acct_info(services: &Services, feed_name: &str, account: &SourceAccount) -> AcctInfo {
    let svc = AcctService::download_only();
    let kind = match kind(account) {
        Kind::Bank(t) => AccountInfoKind::Bank(bank_from(services, feed_name, t), svc),
        Kind::Card => AccountInfoKind::CreditCard(card_from(feed_name), svc),
    };
    AcctInfo {
        desc: account.account_name.as_deref().map(|n| truncate(n, 80)),
        phone: None,
        kind,
    }
}

/// Codat's `transactionType` as an OFX `TRNTYPE`; `Unknown` goes by the sign of the amount.
pub fn trn_type(transaction_type: &str, amount: rust_decimal::Decimal) -> TrnType {
    match transaction_type {
        "Credit" => TrnType::Credit,
        "Debit" => TrnType::Debit,
        "Int" => TrnType::Int,
        "Div" => TrnType::Div,
        "Fee" => TrnType::Fee,
        "SerChg" => TrnType::SrvChg,
        "Dep" => TrnType::Dep,
        "Atm" => TrnType::Atm,
        "Pos" => TrnType::Pos,
        "Xfer" => TrnType::Xfer,
        "Check" => TrnType::Check,
        "Payment" => TrnType::Payment,
        "Cash" => TrnType::Cash,
        "DirectDep" => TrnType::DirectDep,
        "DirectDebit" => TrnType::DirectDebit,
        "RepeatPmt" => TrnType::RepeatPmt,
        "Other" => TrnType::Other,
        _ => TrnType::by_sign(amount),
    }
}

fn stmt_trn(tz: &TimeZone, t: &BankTransaction) -> StmtTrn {
    let posted = t
        .date
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let name = t.counterparty.as_deref().unwrap_or(&t.description);
    StmtTrn {
        trntype: trn_type(&t.transaction_type, t.amount),
        dtposted: posted,
        dtuser: None,
        dtavail: None,
        trnamt: t.amount,
        fitid: t.id.clone(),
        correctfitid: None,
        checknum: None,
        refnum: t.reference.as_deref().map(|r| truncate(r, 32)),
        name: Some(truncate(name, 32)).filter(|n| !n.is_empty()),
        memo: Some(truncate(&t.description, 255)).filter(|m| !m.is_empty()),
    }
}

/// The transaction list and balances of a statement. `DTEND` is the statement's end, the point
/// from which the next download misses nothing; `DTSTART` never comes after it.
pub fn tail(
    services: &Services,
    s: &Statement,
    with_list: bool,
) -> (Option<BankTranList>, Balance) {
    let tz = &services.settings.time_zone;
    let list = with_list.then(|| BankTranList {
        dtstart: services.start_of(s.start).min(s.through),
        dtend: s.through,
        transactions: s
            .transactions
            .iter()
            .map(|t| stmt_trn(tz, &t.transaction))
            .collect(),
    });
    let balance = Balance {
        amount: s.balance,
        dtasof: s.as_of,
    };
    (list, balance)
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn unknown_types_go_by_sign_and_known_ones_map_directly() {
        let minus = Decimal::new(-500, 2);
        assert_eq!(trn_type("Unknown", minus), TrnType::Debit);
        assert_eq!(trn_type("Unknown", Decimal::new(500, 2)), TrnType::Credit);
        assert_eq!(trn_type("SerChg", minus), TrnType::SrvChg);
        assert_eq!(trn_type("DirectDep", minus), TrnType::DirectDep);
        assert_eq!(trn_type("Credit", minus), TrnType::Credit);
    }
}
