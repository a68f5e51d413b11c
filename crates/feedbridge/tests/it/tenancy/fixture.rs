//! Clients seeded with the same shape of data, their ids by path-parameter name, and a snapshot of
//! everything a client owns, so a test can show that a request changed nothing.

use std::collections::BTreeMap;

use feedbridge::webhooks::worker::deliver_due;
use feedbridge_store::{ClientId, DeliveryStatus, SourceAccountId};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{eventually, Receiver, Tenant, TestApp};

/// A server whose webhook endpoints point at a loopback receiver that accepts everything.
pub struct World {
    pub app: TestApp,
    hook: Receiver,
}

/// One client and the id of each kind of object it owns, keyed like the path parameters.
pub struct Seeded {
    pub tenant: Tenant,
    pub ids: BTreeMap<String, String>,
}

impl Seeded {
    /// The seeded id for a path parameter; a parameter nobody seeds fails the test here.
    pub fn id(&self, param: &str) -> &str {
        self.ids
            .get(param)
            .unwrap_or_else(|| panic!("no seeded id for path parameter `{param}`: seed one"))
    }
}

impl World {
    pub async fn start() -> Self {
        let app = TestApp::builder()
            .config(|c| c.webhooks.allow_private_targets = true)
            .spawn()
            .await;
        let hook = Receiver::start(Vec::new()).await;
        Self { app, hook }
    }

    /// A request made as `tenant`, which must succeed; answers its body.
    async fn call(
        &self,
        method: Method,
        path: &str,
        tenant: &Tenant,
        body: Option<Value>,
    ) -> Value {
        let mut req = self.app.req(method, path).by(tenant);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.ok()
    }

    /// A new client owning one of everything; `tag` keeps its account id apart from others'.
    pub async fn seed(&self, tag: &str) -> Seeded {
        let tenant = self.app.new_client(tag).await;
        let post = |path: String, body: Value| {
            let tenant = &tenant;
            async move { self.call(Method::POST, &path, tenant, Some(body)).await }
        };
        let endpoint = post("/webhooks/endpoints".into(), json!({"url": self.hook.url})).await;
        let company = post("/companies".into(), json!({"name": format!("{tag} Co")})).await;
        let company = company["id"].as_str().unwrap().to_owned();
        let conn = post(
            format!("/companies/{company}/connections"),
            json!({"platformKey": "hcws"}),
        )
        .await;
        let conn = conn["id"].as_str().unwrap().to_owned();
        let base = format!("/companies/{company}/connections/{conn}");
        // Not hexadecimal, so no UUID listed anywhere can contain another client's account id.
        let account = format!("{tag}-account");
        post(
            format!("{base}/connectionInfo/bankFeedAccounts"),
            account_body(&account),
        )
        .await;
        let push = format!("{base}/push/bankAccounts/{account}/bankTransactions");
        let op = post(push, push_body(&account)).await;
        let credentials = format!("{base}/connectionInfo/bankFeedAccounts/credentials");
        self.call(Method::POST, &credentials, &tenant, None).await;
        let deliveries = self
            .call(Method::GET, "/webhooks/deliveries", &tenant, None)
            .await;
        let ids = [
            ("companyId", company),
            ("connectionId", conn),
            ("accountId", account),
            (
                "pushOperationKey",
                op["pushOperationKey"].as_str().unwrap().to_owned(),
            ),
            ("endpointId", endpoint["id"].as_str().unwrap().to_owned()),
            (
                "deliveryId",
                deliveries["results"][0]["id"].as_str().unwrap().to_owned(),
            ),
        ];
        Seeded {
            tenant,
            ids: ids.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }

    /// Everything `tenant` owns, read through the API, plus what the API never shows (credentials,
    /// confirmation codes, signing secrets, stored transaction counts), once deliveries settled.
    pub async fn snapshot(&self, seeded: &Seeded) -> Value {
        let tenant = &seeded.tenant;
        self.settle(tenant.id).await;
        let get = |path: String| async move { self.call(Method::GET, &path, tenant, None).await };
        let store = self.app.services().store_for_tests();
        let mut companies = Vec::new();
        for company in results(get("/companies?pageSize=5000".into()).await) {
            let c = format!("/companies/{}", company["id"].as_str().unwrap());
            let mut connections = Vec::new();
            for conn in results(get(format!("{c}/connections?pageSize=5000")).await) {
                let id = conn["id"].as_str().unwrap();
                let accounts = get(format!(
                    "{c}/connections/{id}/connectionInfo/bankFeedAccounts"
                ))
                .await;
                let conn_id = id.parse().unwrap();
                let mut stored = Vec::new();
                for account in accounts.as_array().unwrap() {
                    let account = SourceAccountId::parse(account["id"].as_str().unwrap()).unwrap();
                    stored.push(store.count_transactions(conn_id, &account).await.unwrap());
                }
                let credentials = store.list_credentials(conn_id).await.unwrap();
                let code = store.get_confirmation_code(conn_id).await.ok();
                connections.push(json!({"connection": conn, "accounts": accounts,
                    "transactions": stored, "credentials": format!("{credentials:?}"),
                    "code": format!("{code:?}")}));
            }
            let push = results(get(format!("{c}/push?pageSize=5000")).await);
            companies.push(json!({"company": company, "connections": connections, "push": push}));
        }
        let endpoints = store.list_endpoints(tenant.id).await.unwrap();
        json!({
            "companies": companies,
            "endpoints": get("/webhooks/endpoints".into()).await,
            "secrets": format!("{endpoints:?}"),
            "deliveries": results(get("/webhooks/deliveries?pageSize=5000".into()).await),
        })
    }

    /// Runs delivery rounds until none of `client`'s deliveries is pending, so a snapshot is stable.
    async fn settle(&self, client: ClientId) {
        let services = self.app.services();
        eventually("webhook deliveries to settle", || async {
            deliver_due(services).await.unwrap();
            let pending = services.deliveries(client, Some(DeliveryStatus::Pending));
            pending.await.unwrap().is_empty()
        })
        .await;
    }
}

fn results(page: Value) -> Vec<Value> {
    page["results"].as_array().unwrap().clone()
}

pub fn account_body(id: &str) -> Value {
    json!({"id": id, "accountName": "Operating", "accountType": "checking",
        "accountNumber": "12345678", "currency": "USD", "balance": 100.0})
}

pub fn push_body(account: &str) -> Value {
    json!({"accountId": account, "transactions": [{"id": "t1", "date": "2026-03-02T10:00:00",
        "description": "Coffee", "amount": -3.5, "transactionType": "Debit"}]})
}
