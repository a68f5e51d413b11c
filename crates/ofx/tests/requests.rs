//! Parsing of real client requests, captured from `ofxget --dryrun` (ofxtools 1.1.1) and from
//! ofxtools' models (the MFA answer), in both SGML and XML.

// Test helpers outside #[test] fns may unwrap too: a failure should be loud.
#![allow(clippy::unwrap_used)]

use feedbridge_ofx::{parse_request, AcctType, Syntax};

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

#[test]
fn anonymous_profile_request_sgml_and_xml() {
    for (bytes, syntax, version) in [
        (&include_bytes!("data/prof102.ofx")[..], Syntax::Sgml, 102),
        (&include_bytes!("data/prof220.ofx")[..], Syntax::Xml, 220),
    ] {
        let p = parse_request(bytes).unwrap();
        assert_eq!((p.header.syntax, p.header.version), (syntax, version));
        let rq = p.message;
        assert!(rq.signon.is_anonymous());
        assert_eq!(rq.signon.fi.as_ref().unwrap().org, "TESTFI");
        assert_eq!(rq.signon.fi.as_ref().unwrap().fid.as_deref(), Some("9999"));
        assert_eq!(
            (rq.signon.appid.as_str(), rq.signon.appver.as_str()),
            ("QWIN", "2700")
        );
        let prof = rq.profile.unwrap();
        assert!(!prof.trnuid.is_empty());
        assert_eq!(prof.rq.clientrouting, "NONE");
        assert_eq!(prof.rq.dtprofup, ts("1990-01-01T00:00:00Z"));
        assert!(rq.stmt.is_empty() && rq.acctinfo.is_none());
    }
}

#[test]
fn acctinfo_request_xml() {
    let rq = parse_request(include_bytes!("data/acct220.ofx"))
        .unwrap()
        .message;
    assert_eq!(rq.signon.userid.as_deref(), Some("USER"));
    assert!(!rq.signon.is_anonymous());
    let a = rq.acctinfo.unwrap();
    assert_eq!(a.trnuid, "914C3F0B-900E-4DB3-8C55-4A1BF21B8489");
    assert_eq!(a.rq.dtacctup, ts("1990-01-01T00:00:00Z"));
}

#[test]
fn statement_requests_sgml_and_xml() {
    for bytes in [
        &include_bytes!("data/stmt102.ofx")[..],
        &include_bytes!("data/stmt220.ofx")[..],
    ] {
        let rq = parse_request(bytes).unwrap().message;
        assert_eq!(rq.stmt.len(), 1);
        let s = &rq.stmt[0].rq;
        assert_eq!(s.account.bankid, "123456789");
        assert_eq!(s.account.acctid, "0001111");
        assert_eq!(s.account.accttype, AcctType::Checking);
        let inc = s.inctran.as_ref().unwrap();
        assert_eq!(inc.dtstart, Some(ts("2024-01-01T00:00:00Z")));
        assert_eq!(inc.dtend, Some(ts("2024-01-07T00:00:00Z")));
        assert!(inc.include);
        assert_eq!(rq.ccstmt.len(), 1);
        assert_eq!(rq.ccstmt[0].rq.account.acctid, "4111222");
        assert!(rq.ccstmt[0].rq.inctran.as_ref().unwrap().include);
    }
}

#[test]
fn mfa_challenge_answer_sgml() {
    let rq = parse_request(include_bytes!("data/mfa102.ofx"))
        .unwrap()
        .message;
    assert_eq!(rq.signon.userid.as_deref(), Some("ONE-TIME-USER"));
    assert_eq!(rq.signon.userpass.as_deref(), Some("ONE-TIME-PASS"));
    assert_eq!(
        rq.signon.clientuid.as_deref(),
        Some("0B1A2C3D-0000-4000-8000-000000000001")
    );
    assert_eq!(rq.signon.mfa_answers.len(), 1);
    assert_eq!(rq.signon.mfa_answers[0].phrase_id, "MFA13");
    assert_eq!(rq.signon.mfa_answers[0].answer, "123456");
    let m = rq.mfa_challenge.unwrap();
    assert_eq!(m.trnuid, "m-1");
    assert_eq!(m.rq.dtclient, ts("2024-01-02T12:00:00Z"));
}

#[test]
fn sgml_entities_zones_and_1252_bytes() {
    let mut doc = b"OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n\
CHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n<OFX><SIGNONMSGSRQV1><SONRQ>\
<DTCLIENT>20240102070000.000[-5:EST]<USERID>Caf"
        .to_vec();
    doc.push(0xE9); // 'é' in Windows-1252
    doc.extend_from_slice(b" &amp; Co<USERPASS>a&lt;b<LANGUAGE>ENG<APPID>QBW<APPVER>2800</SONRQ></SIGNONMSGSRQV1></OFX>");
    let rq = parse_request(&doc).unwrap().message;
    assert_eq!(rq.signon.userid.as_deref(), Some("Café & Co"));
    assert_eq!(rq.signon.userpass.as_deref(), Some("a<b"));
    assert_eq!(rq.signon.dtclient, ts("2024-01-02T12:00:00Z"));
}
