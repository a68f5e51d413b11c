//! The OFX feed end to end over HTTP with a manual clock: linking and the feed start clamp,
//! idle disconnection, revocation, the authentication prompt and sign-on throttling.

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp, ToSpan};
use rust_decimal::Decimal;

use feedbridge::domain::accounts::AccountInput;
use feedbridge::domain::companies::CompanyInput;
use feedbridge_ofx::{
    parse_response, write_request, AcctType, BankAcctFrom, Header, IncTran, MfaChallengeAnswer,
    MfaChallengeRq, Request, Response, SignonRq, StmtRq, TrnRq,
};
use feedbridge_store::{
    AccountShape, AccountStatus, BankTransaction, Company, Connection, ConnectionStatus, Effects,
    SourceAccountId,
};

use crate::support::{server_at, TestServer};

const START: &str = "2026-03-15T12:00:00Z";

pub(crate) struct Linkable {
    pub company: Company,
    pub conn: Connection,
    pub username: String,
    pub password: String,
    code: String,
}

pub(crate) async fn server(prompt: bool) -> TestServer {
    server_at(START.parse().unwrap(), |c| {
        c.feed.authentication_prompt = prompt;
    })
    .await
}

pub(crate) async fn linkable(s: &TestServer, accounts: &[&str]) -> Linkable {
    let services = &s.running.services;
    let company = services
        .create_company(
            s.client,
            CompanyInput {
                name: Some("Bakery".into()),
                description: None,
                tags: None,
            },
        )
        .await
        .unwrap();
    let (company, conn) = services
        .create_connection(s.client, company.id, Some("hcws"))
        .await
        .unwrap();
    for id in accounts {
        services
            .create_source_account(
                s.client,
                company.id,
                conn.id,
                AccountInput {
                    shape: AccountShape::V2,
                    id: Some((*id).into()),
                    account_name: Some(format!("Account {id}")),
                    account_type: Some("checking".into()),
                    account_number: Some("12345678".into()),
                    sort_code: None,
                    currency: Some("USD".into()),
                    balance: Some(Decimal::new(10_000, 2)),
                    routing_info: None,
                    account_info: None,
                    modified_date: None,
                },
            )
            .await
            .unwrap();
    }
    let issued = services
        .generate_credentials(&company, &conn)
        .await
        .unwrap();
    Linkable {
        company,
        conn,
        username: issued.username,
        password: issued.password,
        code: issued.code.code,
    }
}

pub(crate) fn signon(s: &TestServer, user: &str, pass: &str) -> SignonRq {
    SignonRq::new(s.running.services.now(), user, pass)
}

fn stmt(account: &str, start: Option<Timestamp>) -> TrnRq<StmtRq> {
    TrnRq::new(
        "trn-1",
        StmtRq {
            account: BankAcctFrom {
                bankid: "000000000".into(),
                branchid: None,
                acctid: account.into(),
                accttype: AcctType::Checking,
                acctkey: None,
            },
            inctran: Some(IncTran {
                dtstart: start,
                dtend: None,
                include: true,
            }),
            includepending: None,
        },
    )
}

/// The raw answer of `/ofx` to one request.
pub(crate) async fn post_raw(s: &TestServer, request: &Request) -> Vec<u8> {
    let body = write_request(&Header::xml_220(), request);
    let reply = s
        .http
        .post(format!("{}/ofx", s.running.base_url))
        .header("content-type", "application/x-ofx")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    reply.bytes().await.unwrap().to_vec()
}

async fn post(s: &TestServer, request: &Request) -> Response {
    parse_response(&post_raw(s, request).await).unwrap().message
}

pub(crate) async fn statement(
    s: &TestServer,
    l: &Linkable,
    account: &str,
    start: Option<Timestamp>,
) -> Response {
    let mut rq = Request::new(signon(s, &l.username, &l.password));
    rq.stmt.push(stmt(account, start));
    post(s, &rq).await
}

fn days_ago(s: &TestServer, days: i64) -> Timestamp {
    s.running.services.now() - SignedDuration::from_hours(24 * days)
}

pub(crate) async fn account_status(
    s: &TestServer,
    l: &Linkable,
    id: &str,
) -> feedbridge_store::SourceAccount {
    let id = SourceAccountId::parse(id).unwrap();
    s.running
        .services
        .store
        .get_source_account(l.conn.id, &id)
        .await
        .unwrap()
}

async fn conn_status(s: &TestServer, l: &Linkable) -> ConnectionStatus {
    s.running
        .services
        .store
        .find_connection(l.conn.id)
        .await
        .unwrap()
        .status
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
    let s = server(false).await;
    let l = linkable(&s, &["chk-1", "chk-2"]).await;
    let today = s.running.services.today();
    let rows = [
        tx("old", today - 9.days(), -1_000, "Debit"),
        tx("mid", today - 3.days(), 2_550, "Unknown"),
        tx("new", today, -700, "SerChg"),
    ];
    let chk1 = SourceAccountId::parse("chk-1").unwrap();
    s.running
        .services
        .store
        .insert_transactions(l.conn.id, &chk1, &rows, Effects::none())
        .await
        .unwrap();
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::PendingAuth);

    let resp = statement(&s, &l, "chk-1", Some(days_ago(&s, 10))).await;
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
    let account = account_status(&s, &l, "chk-1").await;
    assert_eq!(account.status, AccountStatus::Connected);
    assert_eq!(account.feed_start_date, Some(today - 7.days()));
    assert!(account.linked_credential.is_some());
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::Linked);

    let future = s.running.services.now() + SignedDuration::from_hours(72);
    let resp = statement(&s, &l, "chk-2", Some(future)).await;
    assert_eq!(resp.stmt[0].status.code, 0);
    assert_eq!(
        account_status(&s, &l, "chk-2").await.feed_start_date,
        Some(today)
    );

    let resp = statement(&s, &l, "nope", None).await;
    assert_eq!(resp.stmt[0].status.code, 2003);
}

#[tokio::test]
async fn ten_idle_days_disconnect_and_unlink() {
    let s = server(false).await;
    let l = linkable(&s, &["chk-1"]).await;
    assert_eq!(
        statement(&s, &l, "chk-1", None).await.stmt[0].status.code,
        0
    );
    let services = &s.running.services;

    s.clock.advance(SignedDuration::from_hours(24 * 9 + 23));
    services.disconnect_idle_accounts().await.unwrap();
    assert_eq!(
        account_status(&s, &l, "chk-1").await.status,
        AccountStatus::Connected
    );
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::Linked);

    s.clock.advance(SignedDuration::from_hours(1));
    services.disconnect_idle_accounts().await.unwrap();
    assert_eq!(
        account_status(&s, &l, "chk-1").await.status,
        AccountStatus::Disconnected
    );
    assert_eq!(conn_status(&s, &l).await, ConnectionStatus::Unlinked);
}

#[tokio::test]
async fn revoking_fails_the_next_signon_and_new_credentials_link_again() {
    let s = server(false).await;
    let l = linkable(&s, &["chk-1"]).await;
    assert_eq!(
        statement(&s, &l, "chk-1", None).await.stmt[0].status.code,
        0
    );
    let services = &s.running.services;
    let conn = services.store.find_connection(l.conn.id).await.unwrap();
    services
        .revoke_credentials(&l.company, &conn, "test")
        .await
        .unwrap();
    let resp = statement(&s, &l, "chk-1", None).await;
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
        statement(&s, &again, "chk-1", None).await.stmt[0]
            .status
            .code,
        0
    );
    assert_eq!(
        account_status(&s, &again, "chk-1").await.status,
        AccountStatus::Connected
    );
    assert_eq!(conn_status(&s, &again).await, ConnectionStatus::Linked);
}

fn answer(s: &TestServer, l: &Linkable, code: &str) -> Request {
    let mut son = signon(s, &l.username, &l.password);
    son.mfa_answers.push(MfaChallengeAnswer {
        phrase_id: "FBCODE".into(),
        answer: code.into(),
    });
    Request::new(son)
}

#[tokio::test]
async fn the_prompt_pairs_with_the_code_and_issues_an_access_key() {
    let s = server(true).await;
    let l = linkable(&s, &["chk-1"]).await;
    assert_eq!(
        statement(&s, &l, "chk-1", None).await.signon.status.code,
        3000
    );

    let mut ask = Request::new(signon(&s, &l.username, &l.password));
    ask.mfa_challenge = Some(TrnRq::new(
        "mfa-1",
        MfaChallengeRq {
            dtclient: s.running.services.now(),
        },
    ));
    let questions = post(&s, &ask).await;
    let challenge = questions.mfa_challenge.unwrap().rs.unwrap();
    assert_eq!(challenge.challenges[0].phrase_id, "FBCODE");

    let wrong = if l.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(
        post(&s, &answer(&s, &l, wrong)).await.signon.status.code,
        3001
    );
    let ok = post(&s, &answer(&s, &l, &l.code)).await;
    assert_eq!(ok.signon.status.code, 0);
    let key = ok.signon.accesskey.unwrap();

    let mut rq = Request::new(signon(&s, &l.username, &l.password));
    rq.signon.accesskey = Some(key.clone());
    rq.stmt.push(stmt("chk-1", None));
    let resp = post(&s, &rq).await;
    assert_eq!(resp.signon.status.code, 0);
    assert_eq!(resp.stmt[0].status.code, 0);

    rq.signon.accesskey = Some(format!("{key}x"));
    assert_eq!(post(&s, &rq).await.signon.status.code, 15500);
    s.running
        .services
        .revoke_credentials(&l.company, &l.conn, "test")
        .await
        .unwrap();
    rq.signon.accesskey = Some(key);
    assert_eq!(post(&s, &rq).await.signon.status.code, 15500);
}

#[tokio::test]
async fn five_wrong_codes_burn_the_code() {
    let s = server(true).await;
    let l = linkable(&s, &["chk-1"]).await;
    let wrong = if l.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        assert_eq!(
            post(&s, &answer(&s, &l, wrong)).await.signon.status.code,
            3001
        );
    }
    assert_eq!(
        post(&s, &answer(&s, &l, &l.code)).await.signon.status.code,
        3001
    );
}

async fn plain_signon(s: &TestServer, user: &str, pass: &str) -> u32 {
    post(s, &Request::new(signon(s, user, pass)))
        .await
        .signon
        .status
        .code
}

#[tokio::test]
async fn wrong_passwords_back_off_then_lock_without_touching_other_usernames() {
    let s = server(false).await;
    let l = linkable(&s, &["chk-1"]).await;
    let other = linkable(&s, &["chk-9"]).await;
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
    let s = server(false).await;
    let ours = linkable(&s, &["ours-1"]).await;
    let theirs = linkable(&s, &["theirs-1", "theirs-2"]).await;
    let today = s.running.services.today();
    let id = SourceAccountId::parse("theirs-1").unwrap();
    let rows = [tx("secret", today, -1_000, "Debit")];
    let store = &s.running.services.store;
    store
        .insert_transactions(theirs.conn.id, &id, &rows, Effects::none())
        .await
        .unwrap();
    for account in ["theirs-1", "theirs-2"] {
        let resp = statement(&s, &ours, account, Some(days_ago(&s, 10))).await;
        assert_eq!(resp.signon.status.code, 0);
        assert_eq!(resp.stmt[0].status.code, 2003, "{account}");
        assert!(resp.stmt[0].rs.is_none(), "{account}");
        let untouched = account_status(&s, &theirs, account).await;
        assert_eq!(untouched.status, AccountStatus::Pending, "{account}");
        assert!(untouched.linked_credential.is_none(), "{account}");
    }
    assert_eq!(
        conn_status(&s, &theirs).await,
        ConnectionStatus::PendingAuth
    );
}
