//! The OFX feed end to end over HTTP with a manual clock: linking and the feed start clamp,
//! idle disconnection, revocation, the authentication prompt and sign-on throttling.

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp, ToSpan};
use rust_decimal::Decimal;

use feedbridge_ofx::{MfaChallengeAnswer, MfaChallengeRq, Request, TrnRq};
use feedbridge_store::{
    AccountStatus, BankTransaction, ConnectionStatus, Effects, SourceAccountId,
};

use crate::support::feed::{self, stmt, Linkable};
use crate::support::TestApp;

fn days_ago(s: &TestApp, days: i64) -> Timestamp {
    s.services().now() - SignedDuration::from_hours(24 * days)
}

async fn conn_status(s: &TestApp, l: &Linkable) -> ConnectionStatus {
    let store = s.services().store_for_tests();
    store.find_connection(l.conn.id).await.unwrap().status
}

fn tx(id: &str, date: Date, amount: i64, kind: &str) -> BankTransaction {
    BankTransaction {
        id: id.into(),
        date: DateTime::from_parts(date, jiff::civil::time(9, 30, 0, 0)),
        description: format!("Payment {id}"),
        amount: Decimal::new(amount, 2),
        balance: Some(Decimal::new(50_000 + amount, 2)),
        transaction_type: kind.into(),
        counterparty: None,
        reference: None,
    }
}

#[tokio::test]
async fn first_download_links_with_the_start_clamped_to_seven_days() {
    let s = feed::app(false).await;
    let l = s.linkable(&["chk-1", "chk-2"]).await;
    let today = s.services().today();
    let rows = [
        tx("old", today - 9.days(), -1_000, "Debit"),
        tx("mid", today - 3.days(), 2_550, "Unknown"),
        tx("new", today, -700, "SerChg"),
    ];
    let chk1 = SourceAccountId::parse("chk-1").unwrap();
    s.running
        .services
        .store_for_tests()
        .insert_transactions(l.conn.id, &chk1, &rows, Effects::none())
        .await
        .unwrap();
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::PendingAuth);

    let resp = s.statement(&l, "chk-1", Some(days_ago(&s, 10))).await;
    assert_eq!(resp.signon.status.code, 0);
    let trn = &resp.stmt[0];
    assert_eq!(trn.trnuid, "trn-1");
    let rs = trn.rs.as_ref().unwrap();
    let list = rs.tranlist.as_ref().unwrap();
    let got: Vec<_> = list
        .transactions
        .iter()
        .map(|t| (t.fitid.as_str(), t.trnamt, t.trntype.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("mid", Decimal::new(2_550, 2), "CREDIT"),
            ("new", Decimal::new(-700, 2), "SRVCHG")
        ]
    );
    assert_eq!(rs.ledgerbal.amount, Decimal::new(49_300, 2));
    let account = s.source_account(&l, "chk-1").await;
    assert_eq!(account.status, AccountStatus::Connected);
    assert_eq!(account.feed_start_date, Some(today - 7.days()));
    assert!(account.linked_credential.is_some());
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::Linked);

    let future = s.services().now() + SignedDuration::from_hours(72);
    let resp = s.statement(&l, "chk-2", Some(future)).await;
    assert_eq!(resp.stmt[0].status.code, 0);
    assert_eq!(
        s.source_account(&l, "chk-2").await.feed_start_date,
        Some(today)
    );

    let resp = s.statement(&l, "nope", None).await;
    assert_eq!(resp.stmt[0].status.code, 2003);
}

#[tokio::test]
async fn ten_idle_days_disconnect_and_unlink() {
    let s = feed::app(false).await;
    let l = s.linkable(&["chk-1"]).await;
    assert_eq!(s.statement(&l, "chk-1", None).await.stmt[0].status.code, 0);
    let services = &s.services();

    s.clock.advance(SignedDuration::from_hours(24 * 9 + 23));
    services.disconnect_idle_accounts().await.unwrap();
    assert_eq!(
        s.source_account(&l, "chk-1").await.status,
        AccountStatus::Connected
    );
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::Linked);

    s.clock.advance(SignedDuration::from_hours(1));
    services.disconnect_idle_accounts().await.unwrap();
    assert_eq!(
        s.source_account(&l, "chk-1").await.status,
        AccountStatus::Disconnected
    );
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::Unlinked);
}

#[tokio::test]
async fn revoking_fails_the_next_signon_and_new_credentials_link_again() {
    let s = feed::app(false).await;
    let l = s.linkable(&["chk-1"]).await;
    assert_eq!(s.statement(&l, "chk-1", None).await.stmt[0].status.code, 0);
    let services = &s.services();
    let conn = services
        .store_for_tests()
        .find_connection(l.conn.id)
        .await
        .unwrap();
    services
        .revoke_credentials(&l.company, &conn, "test")
        .await
        .unwrap();
    let resp = s.statement(&l, "chk-1", None).await;
    assert_eq!(resp.signon.status.code, 15500);
    assert!(resp.stmt.is_empty());
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::Unlinked);

    let fresh = services
        .generate_credentials(&l.company, &conn)
        .await
        .unwrap();
    let again = Linkable {
        username: fresh.username,
        password: fresh.password,
        ..l
    };
    assert_eq!(
        s.statement(&again, "chk-1", None).await.stmt[0].status.code,
        0
    );
    assert_eq!(
        s.source_account(&again, "chk-1").await.status,
        AccountStatus::Connected
    );
    assert_eq!(conn_status(&s, &again).await, ConnectionStatus::Linked);
}

fn answer(s: &TestApp, l: &Linkable, code: &str) -> Request {
    let mut son = s.signon(&l.username, &l.password);
    son.mfa_answers.push(MfaChallengeAnswer {
        phrase_id: "FBCODE".into(),
        answer: code.into(),
    });
    Request::new(son)
}

#[tokio::test]
async fn the_prompt_pairs_with_the_code_and_issues_an_access_key() {
    let s = feed::app(true).await;
    let l = s.linkable(&["chk-1"]).await;
    assert_eq!(
        s.statement(&l, "chk-1", None).await.signon.status.code,
        3000
    );

    let mut ask = Request::new(s.signon(&l.username, &l.password));
    ask.mfa_challenge = Some(TrnRq::new(
        "mfa-1",
        MfaChallengeRq {
            dtclient: s.services().now(),
        },
    ));
    let questions = s.ofx(&ask).await;
    let challenge = questions.mfa_challenge.unwrap().rs.unwrap();
    assert_eq!(challenge.challenges[0].phrase_id, "FBCODE");

    let wrong = if l.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(s.ofx(&answer(&s, &l, wrong)).await.signon.status.code, 3001);
    let ok = s.ofx(&answer(&s, &l, &l.code)).await;
    assert_eq!(ok.signon.status.code, 0);
    let key = ok.signon.accesskey.unwrap();

    let mut rq = Request::new(s.signon(&l.username, &l.password));
    rq.signon.accesskey = Some(key.clone());
    rq.stmt.push(stmt("chk-1", None));
    let resp = s.ofx(&rq).await;
    assert_eq!(resp.signon.status.code, 0);
    assert_eq!(resp.stmt[0].status.code, 0);

    rq.signon.accesskey = Some(format!("{key}x"));
    assert_eq!(s.ofx(&rq).await.signon.status.code, 15500);
    s.running
        .services
        .revoke_credentials(&l.company, &l.conn, "test")
        .await
        .unwrap();
    rq.signon.accesskey = Some(key);
    assert_eq!(s.ofx(&rq).await.signon.status.code, 15500);
}

#[tokio::test]
async fn five_wrong_codes_burn_the_code() {
    let s = feed::app(true).await;
    let l = s.linkable(&["chk-1"]).await;
    let wrong = if l.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        assert_eq!(s.ofx(&answer(&s, &l, wrong)).await.signon.status.code, 3001);
    }
    assert_eq!(
        s.ofx(&answer(&s, &l, &l.code)).await.signon.status.code,
        3001
    );
}

async fn plain_signon(s: &TestApp, user: &str, pass: &str) -> u32 {
    s.ofx(&Request::new(s.signon(user, pass)))
        .await
        .signon
        .status
        .code
}

#[tokio::test]
async fn wrong_passwords_back_off_then_lock_without_touching_other_usernames() {
    let s = feed::app(false).await;
    let l = s.linkable(&["chk-1"]).await;
    let other = s.linkable(&["chk-9"]).await;
    for _ in 0..5 {
        assert_eq!(plain_signon(&s, &l.username, "wrong").await, 15500);
    }
    // Back-off: even the right password fails at once.
    assert_eq!(plain_signon(&s, &l.username, &l.password).await, 15500);
    s.clock.advance(SignedDuration::from_secs(2));
    assert_eq!(plain_signon(&s, &l.username, &l.password).await, 0);

    for _ in 0..100 {
        assert_eq!(plain_signon(&s, &l.username, "wrong").await, 15500);
    }
    s.clock.advance(SignedDuration::from_secs(16 * 60));
    assert_eq!(plain_signon(&s, &l.username, &l.password).await, 15500);
    assert_eq!(plain_signon(&s, &other.username, &other.password).await, 0);
    assert_eq!(plain_signon(&s, "NOPE-NOPE-NOPE", "x").await, 15500);

    s.clock.advance(SignedDuration::from_secs(45 * 60));
    assert_eq!(plain_signon(&s, &l.username, &l.password).await, 0);
}

#[tokio::test]
async fn a_credential_never_reaches_another_connections_accounts() {
    let s = feed::app(false).await;
    let ours = s.linkable(&["ours-1"]).await;
    let theirs = s.linkable(&["theirs-1", "theirs-2"]).await;
    let today = s.services().today();
    let id = SourceAccountId::parse("theirs-1").unwrap();
    let rows = [tx("secret", today, -1_000, "Debit")];
    let store = s.services().store_for_tests();
    store
        .insert_transactions(theirs.conn.id, &id, &rows, Effects::none())
        .await
        .unwrap();
    for account in ["theirs-1", "theirs-2"] {
        let resp = s.statement(&ours, account, Some(days_ago(&s, 10))).await;
        assert_eq!(resp.signon.status.code, 0);
        assert_eq!(resp.stmt[0].status.code, 2003, "{account}");
        assert!(resp.stmt[0].rs.is_none(), "{account}");
        let untouched = s.source_account(&theirs, account).await;
        assert_eq!(untouched.status, AccountStatus::Pending, "{account}");
        assert!(untouched.linked_credential.is_none(), "{account}");
    }
    assert_eq!(
        conn_status(&s, &theirs).await,
        ConnectionStatus::PendingAuth
    );
}
