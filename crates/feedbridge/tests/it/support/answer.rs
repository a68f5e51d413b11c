//! Requests to a [`TestApp`] and what they answer. A request is made as the app's client unless
//! it names another tenant, another key or none; every answer is read whole into an [`Answer`],
//! whose `ok` and `expect` assert the status (svix style) and show the body when it is wrong.

use reqwest::header::{HeaderMap, AUTHORIZATION};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;

use super::{basic, Tenant, TestApp};

/// A request being built; [`Req::send`] sends it.
pub struct Req {
    what: String,
    inner: RequestBuilder,
    auth: Option<String>,
}

impl Req {
    pub(super) fn new(app: &TestApp, method: Method, path: &str) -> Self {
        Self {
            what: format!("{method} {path}"),
            inner: app.http.request(method, app.url(path)),
            auth: Some(basic(&app.client.key)),
        }
    }

    /// Made as `tenant` instead of the app's client.
    pub fn by(self, tenant: &Tenant) -> Self {
        self.key(&tenant.key)
    }

    /// Made with `key`, which need not be a key at all.
    pub fn key(self, key: &str) -> Self {
        self.authorization(&basic(key))
    }

    /// Made with this `Authorization` value.
    pub fn authorization(mut self, value: &str) -> Self {
        self.auth = Some(value.to_owned());
        self
    }

    /// Made without an `Authorization` header, as a browser or an OFX client makes it.
    pub fn anonymous(mut self) -> Self {
        self.auth = None;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.inner = self.inner.header(name, value);
        self
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.inner = self.inner.json(body);
        self
    }

    /// A body sent as it is, with its content type.
    pub fn body(mut self, content_type: &str, body: impl Into<reqwest::Body>) -> Self {
        self.inner = self
            .inner
            .header("content-type", content_type)
            .body(body.into());
        self
    }

    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        self.inner = self.inner.form(fields);
        self
    }

    pub async fn send(self) -> Answer {
        let mut req = self.inner;
        if let Some(auth) = self.auth {
            req = req.header(AUTHORIZATION, auth);
        }
        let res = req.send().await.unwrap();
        Answer {
            what: self.what,
            status: res.status(),
            headers: res.headers().clone(),
            text: res.text().await.unwrap(),
        }
    }
}

/// A whole answer: status, headers and body text.
#[derive(Debug)]
pub struct Answer {
    /// The request, for failure messages.
    pub what: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    /// The body as JSON: `Null` when empty, a JSON string of the text when it is not JSON.
    pub fn json(&self) -> Value {
        if self.text.is_empty() {
            return Value::Null;
        }
        serde_json::from_str(&self.text).unwrap_or_else(|_| Value::String(self.text.clone()))
    }

    /// The body, after asserting a 2xx status.
    pub fn ok(self) -> Value {
        assert!(self.status.is_success(), "{self}");
        self.json()
    }

    /// The body, after asserting `status`.
    pub fn expect(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{self}");
        self.json()
    }

    /// A header's value as text; panics when it is absent.
    pub fn header(&self, name: &str) -> &str {
        let value = self.headers.get(name);
        let value = value.unwrap_or_else(|| panic!("no {name} header: {self}"));
        value.to_str().unwrap()
    }
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} answered {}: {}", self.what, self.status, self.text)
    }
}
