//! Reading statement answers: matching by TRNUID, where the next download starts, and
//! per-account failures.

use feedbridge_ofx::{
    AcctType, BankAcctFrom, CcAcctFrom, CcStmtRs, SignonRs, Status, StmtRs, TrnRs, TrnType,
};
use rust_decimal::Decimal;

use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn bank() -> BankAcctFrom {
    BankAcctFrom {
        bankid: "123456789".into(),
        branchid: None,
        acctid: "0001111".into(),
        accttype: AcctType::Checking,
        acctkey: None,
    }
}

fn trn(fitid: &str, posted: &str, amount: &str) -> StmtTrn {
    let trnamt: Decimal = amount.parse().unwrap();
    StmtTrn {
        trntype: TrnType::by_sign(trnamt),
        dtposted: ts(posted),
        dtuser: None,
        dtavail: None,
        trnamt,
        fitid: fitid.into(),
        correctfitid: None,
        checknum: None,
        refnum: None,
        name: Some(format!("Payee {fitid}")),
        memo: None,
    }
}

/// A checking and a card account asked from 2024-01-01 to 2024-01-05, and an account the
/// sign-in no longer listed.
fn questions() -> Vec<Option<StatementAsk>> {
    let ask = |trnuid: &str, account| StatementAsk {
        trnuid: trnuid.into(),
        account,
        dtstart: ts("2024-01-01T00:00:00Z"),
        dtend: ts("2024-01-05T00:00:00Z"),
    };
    let card = CcAcctFrom {
        acctid: "4111222".into(),
        acctkey: None,
    };
    vec![
        Some(ask("t-bank", AccountRef::Bank(bank()))),
        Some(ask("t-card", AccountRef::Card(card))),
        None,
    ]
}

fn response(tranlist: Option<BankTranList>) -> Response {
    let mut response = Response::new(SignonRs::new(Status::ok(), ts("2024-01-05T00:00:00Z")));
    response.ccstmt.push(TrnRs::<CcStmtRs> {
        trnuid: "t-card".into(),
        status: Status::error(2003, "Account not found"),
        cltcookie: None,
        rs: None,
    });
    response.stmt.push(TrnRs {
        trnuid: "t-bank".into(),
        status: Status::ok(),
        cltcookie: None,
        rs: Some(StmtRs {
            curdef: "USD".into(),
            account: bank(),
            tranlist,
            ledgerbal: Balance {
                amount: "100.25".parse().unwrap(),
                dtasof: ts("2024-01-04T12:00:00Z"),
            },
            availbal: None,
        }),
    });
    response
}

#[test]
fn each_answer_is_matched_by_trnuid_and_continues_from_dtend() {
    let list = BankTranList {
        dtstart: ts("2024-01-01T00:00:00Z"),
        dtend: ts("2024-01-04T12:00:00Z"),
        transactions: vec![trn("a", "2024-01-02T10:00:00Z", "-12.50")],
    };
    let results = answers(&questions(), response(Some(list)));
    assert_eq!(results.len(), 3);
    let checking = results[0].as_ref().unwrap();
    assert_eq!(checking.next_start, ts("2024-01-04T12:00:00Z"));
    assert_eq!(checking.balance, "100.25".parse().unwrap());
    assert_eq!(checking.currency, "USD");
    assert_eq!(
        checking.entries,
        [Entry {
            id: "a".into(),
            date: ts("2024-01-02T10:00:00Z"),
            amount: "-12.50".parse().unwrap(),
            payee: "Payee a".into(),
            memo: String::new(),
        }]
    );
    let card = results[1].as_ref().unwrap_err();
    assert!(card.account_problem().contains("Error 2003"), "{card}");
    assert!(
        results[2].is_err(),
        "an account no longer listed fails on its own"
    );
}

#[test]
fn a_statement_without_a_list_continues_from_the_requested_end() {
    let results = answers(&questions(), response(None));
    let checking = results[0].as_ref().unwrap();
    assert_eq!(checking.next_start, ts("2024-01-05T00:00:00Z"));
    assert!(checking.entries.is_empty());
}
