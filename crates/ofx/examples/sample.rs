//! Prints sample responses, for checking them with third-party parsers (ofxtools, ofxparse):
//! `cargo run -p feedbridge-ofx --example sample -- <prof|acct|stmt|error|mfa> <102|220>`.

use std::io::Write as _;

use feedbridge_ofx::*;
use rust_decimal::Decimal;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let kind = args.get(1).map_or("stmt", String::as_str);
    let header = if args.get(2).is_some_and(|v| v == "102") {
        Header::sgml_102()
    } else {
        Header::xml_220()
    };
    let now: jiff::Timestamp = "2024-01-07T12:00:00Z".parse().unwrap_or_default();
    let day = |d: i8| {
        jiff::civil::date(2024, 1, d)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(now)
    };
    let fi = Fi {
        org: "TESTFI".into(),
        fid: Some("9999".into()),
    };
    let mut signon = SignonRs::new(Status::ok(), now);
    signon.fi = Some(fi);
    let mut resp = Response::new(signon);
    let bank = BankAcctFrom {
        bankid: "123456789".into(),
        branchid: None,
        acctid: "0001111".into(),
        accttype: AcctType::Checking,
        acctkey: None,
    };
    let card = CcAcctFrom {
        acctid: "4111222".into(),
        acctkey: None,
    };
    match kind {
        "error" => resp.signon.status = Status::error(15500, "Invalid user ID or password"),
        "mfa" => {
            resp.mfa_challenge = Some(TrnRs {
                trnuid: "m-1".into(),
                status: Status::ok(),
                cltcookie: None,
                rs: Some(MfaChallengeRs {
                    challenges: vec![MfaChallenge {
                        phrase_id: "MFA107".into(),
                        label: Some("Code shown in Feedbridge".into()),
                    }],
                }),
            })
        }
        "acct" => {
            resp.acctinfo = Some(TrnRs {
                trnuid: "a-1".into(),
                status: Status::ok(),
                cltcookie: None,
                rs: Some(AcctInfoRs {
                    dtacctup: now,
                    accounts: vec![
                        AcctInfo {
                            desc: Some("Checking".into()),
                            phone: None,
                            kind: AccountInfoKind::Bank(bank, AcctService::download_only()),
                        },
                        AcctInfo {
                            desc: Some("Card".into()),
                            phone: None,
                            kind: AccountInfoKind::CreditCard(card, AcctService::download_only()),
                        },
                    ],
                }),
            })
        }
        "prof" => {
            resp.profile = Some(TrnRs {
                trnuid: "p-1".into(),
                status: Status::ok(),
                cltcookie: None,
                rs: Some(ProfRs {
                    core: MsgSetCore {
                        ver: 1,
                        url: "http://127.0.0.1:8765/ofx".into(),
                        ofxsec: "NONE".into(),
                        transpsec: false,
                        signonrealm: "feedbridge".into(),
                        language: "ENG".into(),
                        syncmode: "LITE".into(),
                        respfileer: false,
                    },
                    msgsets: MsgSets {
                        signup: true,
                        bank: true,
                        creditcard: true,
                    },
                    signoninfo: SignonInfo {
                        signonrealm: "feedbridge".into(),
                        min: 1,
                        max: 64,
                        chartype: "ALPHAORNUMERIC".into(),
                        casesen: true,
                        special: true,
                        spaces: false,
                        pinch: false,
                        chgpinfirst: Some(false),
                        clientuidreq: Some(false),
                        mfachallengesupt: Some(true),
                        mfachallengefirst: Some(false),
                    },
                    dtprofup: now,
                    finame: "Feedbridge".into(),
                    addr1: "1 Main St".into(),
                    city: "Springfield".into(),
                    state: "CA".into(),
                    postalcode: "94000".into(),
                    country: "USA".into(),
                    csphone: None,
                    url: None,
                    email: None,
                }),
            })
        }
        _ => {
            let trn = |fitid: &str, amt: Decimal, name: &str| StmtTrn {
                trntype: TrnType::by_sign(amt),
                dtposted: day(3),
                dtuser: None,
                dtavail: None,
                trnamt: amt,
                fitid: fitid.into(),
                correctfitid: None,
                checknum: None,
                refnum: None,
                name: Some(name.into()),
                memo: Some("Memo & <notes>".into()),
            };
            let list = BankTranList {
                dtstart: day(1),
                dtend: day(7),
                transactions: vec![
                    trn("t-1", Decimal::new(-1234, 2), "Café Bob & Co"),
                    trn("t-2", Decimal::new(100000, 2), "Payroll"),
                ],
            };
            let bal = Balance {
                amount: Decimal::new(98766, 2),
                dtasof: now,
            };
            resp.signon.intu_bid = Some("3000".into());
            resp.stmt.push(TrnRs {
                trnuid: "s-1".into(),
                status: Status::ok(),
                cltcookie: None,
                rs: Some(StmtRs {
                    curdef: "USD".into(),
                    account: bank,
                    tranlist: Some(list.clone()),
                    ledgerbal: bal,
                    availbal: Some(bal),
                }),
            });
            resp.ccstmt.push(TrnRs {
                trnuid: "c-1".into(),
                status: Status::ok(),
                cltcookie: None,
                rs: Some(CcStmtRs {
                    curdef: "USD".into(),
                    account: card,
                    tranlist: Some(list),
                    ledgerbal: bal,
                    availbal: None,
                }),
            });
        }
    }
    std::io::stdout().write_all(&write_response(&header, &resp))
}
