//! Booking statement answers: FITID de-duplication, where the next download starts, and
//! per-account failures.

use feedbridge_ofx::{
    AcctType, Balance, BankAcctFrom, BankTranList, CcAcctFrom, CcStmtRs, Response, SignonRs,
    Status, StmtRs, StmtTrn, TrnRs, TrnType,
};
use jiff::Timestamp;
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

fn card() -> CcAcctFrom {
    CcAcctFrom {
        acctid: "4111222".into(),
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

fn connection() -> Connection {
    let mut c = Connection::new(Credentials {
        userid: "u".into(),
        userpass: "p".into(),
        accesskey: Some("k".into()),
    });
    let pick = |account, name: &str, chart| Pick {
        account,
        name: name.into(),
        chart,
    };
    c.link(
        vec![
            pick(AccountRef::Bank(bank()), "Business Checking", "Checking"),
            pick(AccountRef::Card(card()), "Company Card", "Credit Card"),
        ],
        ts("2024-01-01T00:00:00Z"),
    );
    c
}

fn answer(asks: &[(usize, StatementAsk)], dtend: &str, trns: Vec<StmtTrn>) -> Response {
    let balance = Balance {
        amount: "100.25".parse().unwrap(),
        dtasof: ts(dtend),
    };
    let mut response = Response::new(SignonRs::new(Status::ok(), ts(dtend)));
    response.stmt.push(TrnRs {
        trnuid: asks[0].1.trnuid.clone(),
        status: Status::ok(),
        cltcookie: None,
        rs: Some(StmtRs {
            curdef: "USD".into(),
            account: bank(),
            tranlist: Some(BankTranList {
                dtstart: asks[0].1.dtstart,
                dtend: ts(dtend),
                transactions: trns,
            }),
            ledgerbal: balance,
            availbal: None,
        }),
    });
    response.ccstmt.push(TrnRs::<CcStmtRs> {
        trnuid: asks[1].1.trnuid.clone(),
        status: Status::error(2003, "Account not found"),
        cltcookie: None,
        rs: None,
    });
    response
}

#[test]
fn repeated_downloads_book_each_fitid_once_and_continue_from_dtend() {
    let mut c = connection();
    let asks = c.asks(ts("2024-01-05T00:00:00Z"));
    assert_eq!(asks.len(), 2);
    assert_eq!(asks[0].1.dtstart, ts("2024-01-01T00:00:00Z"));
    let first = vec![
        trn("a", "2024-01-02T10:00:00Z", "-12.50"),
        trn("b", "2024-01-03T10:00:00Z", "40"),
    ];
    c.apply(&asks, answer(&asks, "2024-01-04T12:00:00Z", first));
    let checking = &c.accounts[0];
    assert_eq!(checking.next_start, ts("2024-01-04T12:00:00Z"));
    assert_eq!(checking.ledger.unwrap().amount, "100.25".parse().unwrap());
    let fitids: Vec<_> = checking
        .transactions
        .iter()
        .map(|t| t.fitid.as_str())
        .collect();
    assert_eq!(fitids, ["b", "a"], "newest first");

    let asks = c.asks(ts("2024-01-06T00:00:00Z"));
    assert_eq!(asks[0].1.dtstart, ts("2024-01-04T12:00:00Z"));
    let second = vec![
        trn("b", "2024-01-03T10:00:00Z", "40"),
        trn("c", "2024-01-05T10:00:00Z", "-1"),
    ];
    c.apply(&asks, answer(&asks, "2024-01-05T23:00:00Z", second));
    let fitids: Vec<_> = c.accounts[0]
        .transactions
        .iter()
        .map(|t| t.fitid.as_str())
        .collect();
    assert_eq!(fitids, ["c", "b", "a"]);
}

#[test]
fn a_failed_account_keeps_its_start_and_shows_the_code() {
    let mut c = connection();
    let asks = c.asks(ts("2024-01-05T00:00:00Z"));
    c.apply(&asks, answer(&asks, "2024-01-04T12:00:00Z", Vec::new()));
    let card = &c.accounts[1];
    assert_eq!(card.next_start, ts("2024-01-01T00:00:00Z"));
    let error = card.error.as_deref().unwrap();
    assert!(error.contains("Error 2003"), "{error}");
    assert!(c.accounts[0].error.is_none());
}

#[test]
fn disconnected_accounts_are_not_pulled_and_relinking_keeps_history() {
    let mut c = connection();
    let asks = c.asks(ts("2024-01-05T00:00:00Z"));
    let trns = vec![trn("a", "2024-01-02T10:00:00Z", "-12.50")];
    c.apply(&asks, answer(&asks, "2024-01-04T12:00:00Z", trns));
    c.accounts[0].connected = false;
    let asks = c.asks(ts("2024-01-06T00:00:00Z"));
    assert_eq!(asks.len(), 1);
    assert!(matches!(asks[0].1.account, AccountRef::Card(_)));

    let again = Pick {
        account: AccountRef::Bank(bank()),
        name: "Business Checking".into(),
        chart: "Savings",
    };
    c.link(vec![again], ts("2024-01-03T00:00:00Z"));
    assert_eq!(c.accounts.len(), 2);
    assert!(c.accounts[0].connected);
    assert_eq!(c.accounts[0].chart, "Savings");
    assert_eq!(c.accounts[0].transactions.len(), 1);
}
