//! The OFX feed as the accounting platform uses it: a connection with source accounts and issued
//! credentials, sign-ons and statement requests posted to `/ofx`, and the records they change.

use jiff::Timestamp;
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;

use feedbridge::domain::accounts::AccountInput;
use feedbridge::domain::companies::CompanyInput;
use feedbridge_ofx::{
    parse_response, write_request, AcctType, BankAcctFrom, Header, IncTran, Request, Response,
    SignonRq, StmtRq, TrnRq,
};
use feedbridge_store::{AccountShape, Company, Connection, SourceAccount, SourceAccountId};

use super::TestApp;

/// An app whose feed asks for the confirmation code at a first sign-on only when `prompt` is set.
pub async fn app(prompt: bool) -> TestApp {
    TestApp::builder()
        .config(|c| c.feed.authentication_prompt = prompt)
        .spawn()
        .await
}

/// A connection whose credentials were issued but not used yet.
pub struct Linkable {
    pub company: Company,
    pub conn: Connection,
    pub username: String,
    pub password: String,
    pub code: String,
}

/// A request for the statement of `account` from `start` on, as transaction `trn-1`.
pub fn stmt(account: &str, start: Option<Timestamp>) -> TrnRq<StmtRq> {
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

impl TestApp {
    /// A company of the app's client with a connection, the source `accounts` (in US dollars,
    /// 100.00 each) and freshly issued credentials.
    pub async fn linkable(&self, accounts: &[&str]) -> Linkable {
        let services = self.services();
        let client = self.client.id;
        let company = CompanyInput {
            name: Some("Bakery".into()),
            description: None,
            tags: None,
        };
        let company = services.create_company(client, company).await.unwrap();
        let (company, conn) = services
            .create_connection(client, company.id, Some("hcws"))
            .await
            .unwrap();
        for id in accounts {
            let input = AccountInput {
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
            };
            services
                .create_source_account(client, company.id, conn.id, input)
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

    /// A sign-on with `user` and `pass`, dated now.
    pub fn signon(&self, user: &str, pass: &str) -> SignonRq {
        SignonRq::new(self.services().now(), user, pass)
    }

    /// The raw answer of `/ofx` to one request, which must be a 200.
    pub async fn ofx_raw(&self, request: &Request) -> Vec<u8> {
        let body = write_request(&Header::xml_220(), request);
        let reply = self
            .req(Method::POST, "/ofx")
            .anonymous()
            .body("application/x-ofx", body)
            .send()
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        reply.text.into_bytes()
    }

    /// The parsed answer of `/ofx` to one request.
    pub async fn ofx(&self, request: &Request) -> Response {
        parse_response(&self.ofx_raw(request).await)
            .unwrap()
            .message
    }

    /// Signs on with `l`'s credentials and asks for `account`'s statement from `start` on.
    pub async fn statement(
        &self,
        l: &Linkable,
        account: &str,
        start: Option<Timestamp>,
    ) -> Response {
        let mut rq = Request::new(self.signon(&l.username, &l.password));
        rq.stmt.push(stmt(account, start));
        self.ofx(&rq).await
    }

    /// The stored source account `id` of `l`'s connection.
    pub async fn source_account(&self, l: &Linkable, id: &str) -> SourceAccount {
        let id = SourceAccountId::parse(id).unwrap();
        let store = self.services().store_for_tests();
        store.get_source_account(l.conn.id, &id).await.unwrap()
    }
}
