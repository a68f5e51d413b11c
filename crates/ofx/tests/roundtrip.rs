//! Property tests: any request or response we write parses back to the same typed value, in
//! SGML 1.0.2 (Windows-1252) and XML 2.2.

// Test helpers outside #[test] fns may unwrap too: a failure should be loud.
#![allow(clippy::unwrap_used)]

use feedbridge_ofx::*;
use jiff::Timestamp;
use proptest::option::of;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Non-empty, no surrounding whitespace (SGML trims leaf text), with characters that need
/// escaping and one that needs Windows-1252.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9&<>é]([A-Za-z0-9&<> .,'é-]{0,18}[A-Za-z0-9&<>é])?"
}

fn ts() -> impl Strategy<Value = Timestamp> {
    (0i64..4_000_000_000, 0i32..1000).prop_map(|(s, ms)| Timestamp::new(s, ms * 1_000_000).unwrap())
}

fn money() -> impl Strategy<Value = Decimal> {
    (-10_000_000_000i64..10_000_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s))
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

fn status() -> impl Strategy<Value = Status> {
    (0u32..20000, pick(Severity::ALL), of(text())).prop_map(|(code, severity, message)| Status {
        code,
        severity,
        message,
    })
}

fn bank_acct() -> impl Strategy<Value = BankAcctFrom> {
    (text(), of(text()), text(), pick(AcctType::ALL), of(text())).prop_map(
        |(bankid, branchid, acctid, accttype, acctkey)| BankAcctFrom {
            bankid,
            branchid,
            acctid,
            accttype,
            acctkey,
        },
    )
}

fn cc_acct() -> impl Strategy<Value = CcAcctFrom> {
    (text(), of(text())).prop_map(|(acctid, acctkey)| CcAcctFrom { acctid, acctkey })
}

fn inctran() -> impl Strategy<Value = IncTran> {
    (of(ts()), of(ts()), any::<bool>()).prop_map(|(dtstart, dtend, include)| IncTran {
        dtstart,
        dtend,
        include,
    })
}

fn stmt_trn() -> impl Strategy<Value = StmtTrn> {
    (
        (
            pick(TrnType::ALL),
            ts(),
            of(ts()),
            of(ts()),
            money(),
            text(),
        ),
        (of(text()), of(text()), of(text()), of(text()), of(text())),
    )
        .prop_map(
            |((trntype, dtposted, dtuser, dtavail, trnamt, fitid), (c, k, r, n, m))| StmtTrn {
                trntype,
                dtposted,
                dtuser,
                dtavail,
                trnamt,
                fitid,
                correctfitid: c,
                checknum: k,
                refnum: r,
                name: n,
                memo: m,
            },
        )
}

fn balance() -> impl Strategy<Value = Balance> {
    (money(), ts()).prop_map(|(amount, dtasof)| Balance { amount, dtasof })
}

fn tranlist() -> impl Strategy<Value = BankTranList> {
    (ts(), ts(), proptest::collection::vec(stmt_trn(), 0..4)).prop_map(
        |(dtstart, dtend, transactions)| BankTranList {
            dtstart,
            dtend,
            transactions,
        },
    )
}

fn trnrs<T: std::fmt::Debug>(rs: impl Strategy<Value = T>) -> impl Strategy<Value = TrnRs<T>> {
    (text(), status(), of(text()), of(rs)).prop_map(|(trnuid, status, cltcookie, rs)| TrnRs {
        trnuid,
        status,
        cltcookie,
        rs,
    })
}

fn trnrq<T: std::fmt::Debug>(rq: impl Strategy<Value = T>) -> impl Strategy<Value = TrnRq<T>> {
    (text(), of(text()), rq).prop_map(|(trnuid, cltcookie, rq)| TrnRq {
        trnuid,
        cltcookie,
        rq,
    })
}

fn fi() -> impl Strategy<Value = Fi> {
    (text(), of(text())).prop_map(|(org, fid)| Fi { org, fid })
}

fn svc() -> impl Strategy<Value = AcctService> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        pick(SvcStatus::ALL),
    )
        .prop_map(|(suptxdl, xfersrc, xferdest, svcstatus)| AcctService {
            suptxdl,
            xfersrc,
            xferdest,
            svcstatus,
        })
}

fn acctinfo() -> impl Strategy<Value = AcctInfo> {
    let kind = prop_oneof![
        (bank_acct(), svc()).prop_map(|(a, s)| AccountInfoKind::Bank(a, s)),
        (cc_acct(), svc()).prop_map(|(a, s)| AccountInfoKind::CreditCard(a, s)),
    ];
    (of(text()), of(text()), kind).prop_map(|(desc, phone, kind)| AcctInfo { desc, phone, kind })
}

fn profrs() -> impl Strategy<Value = ProfRs> {
    let core = (1u32..3, text(), text(), any::<bool>(), any::<bool>()).prop_map(
        |(ver, url, signonrealm, transpsec, respfileer)| MsgSetCore {
            ver,
            url,
            ofxsec: "NONE".into(),
            transpsec,
            signonrealm,
            language: "ENG".into(),
            syncmode: "LITE".into(),
            respfileer,
        },
    );
    let info = (
        text(),
        1u32..10,
        10u32..64,
        any::<[bool; 4]>(),
        of(any::<bool>()),
        of(any::<bool>()),
    )
        .prop_map(
            |(signonrealm, min, max, f, clientuidreq, mfachallengesupt)| SignonInfo {
                signonrealm,
                min,
                max,
                chartype: "ALPHAORNUMERIC".into(),
                casesen: f[0],
                special: f[1],
                spaces: f[2],
                pinch: f[3],
                chgpinfirst: None,
                clientuidreq,
                mfachallengesupt,
                mfachallengefirst: Some(false),
            },
        );
    (
        core,
        any::<[bool; 3]>(),
        info,
        ts(),
        (text(), text(), text(), text(), text(), text()),
        of(text()),
    )
        .prop_map(
            |(
                core,
                sets,
                signoninfo,
                dtprofup,
                (finame, addr1, city, state, postalcode, country),
                url,
            )| ProfRs {
                core,
                msgsets: MsgSets {
                    signup: sets[0],
                    bank: sets[1],
                    creditcard: sets[2],
                },
                signoninfo,
                dtprofup,
                finame,
                addr1,
                city,
                state,
                postalcode,
                country,
                csphone: None,
                url,
                email: None,
            },
        )
}

fn response() -> impl Strategy<Value = Response> {
    let sonrs = (status(), ts(), of(ts()), of(fi()), of(text()), of(text())).prop_map(
        |(status, dtserver, dtprofup, fi, accesskey, intu_bid)| SignonRs {
            dtprofup,
            fi,
            accesskey,
            intu_bid,
            ..SignonRs::new(status, dtserver)
        },
    );
    let mfa =
        (proptest::collection::vec((text(), of(text())), 1..3)).prop_map(|qs| MfaChallengeRs {
            challenges: qs
                .into_iter()
                .map(|(phrase_id, label)| MfaChallenge { phrase_id, label })
                .collect(),
        });
    let acct = (ts(), proptest::collection::vec(acctinfo(), 0..3))
        .prop_map(|(dtacctup, accounts)| AcctInfoRs { dtacctup, accounts });
    let stmt = (
        text(),
        bank_acct(),
        of(tranlist()),
        balance(),
        of(balance()),
    )
        .prop_map(|(curdef, account, tranlist, ledgerbal, availbal)| StmtRs {
            curdef,
            account,
            tranlist,
            ledgerbal,
            availbal,
        });
    let cc = (text(), cc_acct(), of(tranlist()), balance(), of(balance())).prop_map(
        |(curdef, account, tranlist, ledgerbal, availbal)| CcStmtRs {
            curdef,
            account,
            tranlist,
            ledgerbal,
            availbal,
        },
    );
    (
        sonrs,
        of(trnrs(mfa)),
        of(trnrs(acct)),
        proptest::collection::vec(trnrs(stmt), 0..3),
        proptest::collection::vec(trnrs(cc), 0..2),
        of(trnrs(profrs())),
    )
        .prop_map(
            |(signon, mfa_challenge, acctinfo, stmt, ccstmt, profile)| Response {
                signon,
                mfa_challenge,
                acctinfo,
                stmt,
                ccstmt,
                profile,
            },
        )
}

fn request() -> impl Strategy<Value = Request> {
    let answers = proptest::collection::vec(
        (text(), text()).prop_map(|(phrase_id, answer)| MfaChallengeAnswer { phrase_id, answer }),
        0..3,
    );
    let sonrq = (
        (ts(), of(text()), of(text()), of(fi()), text(), text()),
        (of(text()), of(text()), answers),
    )
        .prop_map(
            |(
                (dtclient, userid, userpass, fi, appid, appver),
                (clientuid, accesskey, mfa_answers),
            )| {
                let mut s = SignonRq::new(dtclient, "", "");
                s.userid = userid;
                s.userpass = userpass;
                s.fi = fi;
                s.appid = appid;
                s.appver = appver;
                s.clientuid = clientuid;
                s.accesskey = accesskey;
                s.mfa_answers = mfa_answers;
                s
            },
        );
    let stmt = (bank_acct(), of(inctran()), of(any::<bool>())).prop_map(
        |(account, inctran, includepending)| StmtRq {
            account,
            inctran,
            includepending,
        },
    );
    let cc = (cc_acct(), of(inctran()), of(any::<bool>())).prop_map(
        |(account, inctran, includepending)| CcStmtRq {
            account,
            inctran,
            includepending,
        },
    );
    let prof = ts().prop_map(|dtprofup| ProfRq {
        clientrouting: "NONE".into(),
        dtprofup,
    });
    (
        sonrq,
        of(trnrq(ts().prop_map(|dtclient| MfaChallengeRq { dtclient }))),
        of(trnrq(ts().prop_map(|dtacctup| AcctInfoRq { dtacctup }))),
        proptest::collection::vec(trnrq(stmt), 0..3),
        proptest::collection::vec(trnrq(cc), 0..2),
        of(trnrq(prof)),
    )
        .prop_map(
            |(signon, mfa_challenge, acctinfo, stmt, ccstmt, profile)| Request {
                signon,
                mfa_challenge,
                acctinfo,
                stmt,
                ccstmt,
                profile,
            },
        )
}

fn headers() -> [Header; 2] {
    [Header::sgml_102(), Header::xml_220()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn responses_round_trip(resp in response()) {
        for h in headers() {
            let bytes = write_response(&h, &resp);
            let back = parse_response(&bytes)
                .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&bytes)));
            prop_assert_eq!(&back.header.syntax, &h.syntax);
            prop_assert_eq!(&back.message, &resp);
        }
    }

    #[test]
    fn requests_round_trip(req in request()) {
        for h in headers() {
            let bytes = write_request(&h, &req);
            let back = parse_request(&bytes)
                .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&bytes)));
            prop_assert_eq!(&back.header.version, &h.version);
            prop_assert_eq!(&back.message, &req);
        }
    }
}

#[test]
fn response_header_follows_request_version() {
    let sgml = parse_request(include_bytes!("data/stmt102.ofx")).unwrap();
    let h = Header::response_to(&sgml.header);
    assert_eq!((h.syntax, h.version), (Syntax::Sgml, 102));
    let xml = parse_request(include_bytes!("data/stmt220.ofx")).unwrap();
    assert_eq!(Header::response_to(&xml.header).syntax, Syntax::Xml);
}
