//! The client API's operations as the server's own `/openapi.json` lists them, so a new route is
//! covered without touching the tests, and a body for each operation that needs one.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value};

use super::fixture::{account_body, push_body};
use crate::support::{Answer, Tenant, TestApp};

pub type Ids = BTreeMap<String, String>;
type Recipe = fn(&Ids) -> Value;

/// A plausible body per operation with a request body, keyed `METHOD path`; an operation that
/// needs a body and has none here fails the test, so a new one cannot slip through untested.
const RECIPES: &[(&str, Recipe)] = &[
    ("PATCH /companies/{companyId}", |_| json!({"name": "Renamed Co"})),
    ("PUT /companies/{companyId}", |_| json!({"name": "Replaced Co"})),
    ("POST /companies/{companyId}/connections", |_| json!({"platformKey": "hcws"})),
    ("PATCH /companies/{companyId}/connections/{connectionId}", |_| json!({"status": "Unlinked"})),
    (
        "POST /companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts",
        |_| account_body("new-acc"),
    ),
    (
        "POST /companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/batch",
        |_| json!([account_body("batch-acc")]),
    ),
    (
        "PATCH /companies/{companyId}/connections/{connectionId}/connectionInfo/bankFeedAccounts/{accountId}",
        |_| json!({"accountName": "Renamed"}),
    ),
    (
        "POST /companies/{companyId}/connections/{connectionId}/push/bankAccounts/{accountId}/bankTransactions",
        |ids| push_body(&ids["accountId"]),
    ),
];

/// Path parameters answered in-band instead of with a 404. A push names its account within the
/// caller's own connection, and an account missing there is reported like any push to an account
/// that does not exist: a Failed push operation with an `AccountNotFound` finding.
const IN_BAND: &[(&str, &str)] = &[(
    "POST /companies/{companyId}/connections/{connectionId}/push/bankAccounts/{accountId}/bankTransactions",
    "accountId",
)];

/// One method on one path of the published document.
pub struct Operation {
    pub method: Method,
    pub path: String,
    /// The path's parameters, in order.
    pub params: Vec<String>,
    needs_body: bool,
}

impl Operation {
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Whether naming someone else's objects in the `swapped` parameters is answered in-band.
    pub fn in_band(&self, swapped: &[&str]) -> bool {
        let name = self.name();
        !swapped.is_empty()
            && swapped
                .iter()
                .all(|p| IN_BAND.iter().any(|(op, param)| *op == name && param == p))
    }

    /// The path with every parameter replaced by its value in `ids`.
    pub fn url(&self, ids: &Ids) -> String {
        self.params.iter().fold(self.path.clone(), |path, p| {
            path.replace(&format!("{{{p}}}"), &ids[p])
        })
    }

    pub fn body(&self, ids: &Ids) -> Option<Value> {
        let recipe = RECIPES.iter().find(|(name, _)| *name == self.name());
        match recipe {
            Some((_, make)) => Some(make(ids)),
            None if self.needs_body => panic!("{}: no body recipe in ops.rs", self.name()),
            None => None,
        }
    }

    /// Sends the operation as `tenant`, its path filled from `ids`, with its usual body.
    pub async fn send(&self, app: &TestApp, tenant: &Tenant, ids: &Ids) -> Answer {
        self.send_body(app, tenant, ids, self.body(ids)).await
    }

    pub async fn send_body(
        &self,
        app: &TestApp,
        tenant: &Tenant,
        ids: &Ids,
        body: Option<Value>,
    ) -> Answer {
        let mut req = app.req(self.method.clone(), &self.url(ids)).by(tenant);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await
    }
}

/// Every operation of `/openapi.json` that names an object by id in its path.
pub async fn operations(app: &TestApp) -> Vec<Operation> {
    let doc = app.req(Method::GET, "/openapi.json").anonymous().send();
    let doc = doc.await.ok();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let params = params(path);
            if params.is_empty() {
                continue;
            }
            let needs_body = op.get("requestBody").is_some();
            ops.push(Operation {
                method,
                path: path.clone(),
                params,
                needs_body,
            });
        }
    }
    for (name, _) in RECIPES {
        let used = ops.iter().any(|op| op.needs_body && op.name() == *name);
        assert!(
            used,
            "body recipe for {name}, which takes no body or is gone"
        );
    }
    ops
}

/// The `{name}` segments of a path template.
fn params(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(name, _)| name.to_owned())
        .collect()
}
