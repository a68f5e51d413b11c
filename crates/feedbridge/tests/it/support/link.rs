//! The Link UI as a browser uses it: a connection made through the API, a fresh link, the
//! session cookie it sets, pages read with that cookie and forms posted with it.

use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Answer, TestApp};

/// A connection the Link UI can be opened for.
pub struct Conn {
    pub company: String,
    pub id: String,
}

impl Conn {
    /// The Link UI's pages of this connection.
    pub fn pages(&self) -> String {
        format!("/link/companies/{}/connections/{}", self.company, self.id)
    }

    /// The client API's path of this connection.
    pub fn api(&self) -> String {
        format!("/companies/{}/connections/{}", self.company, self.id)
    }
}

/// The token of a link.
pub fn token_of(link: &str) -> &str {
    link.split("otp=").nth(1).unwrap()
}

/// The session cookie (`name=value`) an answer sets.
pub fn cookie_of(headers: &HeaderMap) -> String {
    let set = headers[SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// The CSRF token of a page's forms.
pub fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

impl TestApp {
    /// A company named `company_name` with a QuickBooks connection, made through the API.
    pub async fn link_connection(&self, company_name: &str) -> Conn {
        let company = self.post("/companies", json!({"name": company_name})).await;
        let company = company.ok()["id"].as_str().unwrap().to_owned();
        let path = format!("/companies/{company}/connections");
        let conn = self.post(&path, json!({"platformKey": "hcws"})).await.ok();
        let id = conn["id"].as_str().unwrap().to_owned();
        Conn { company, id }
    }

    /// A fresh `linkUrl` of a connection (minted at the clock's current time), as the API
    /// answers it.
    pub async fn link_url(&self, company: &str, conn: &str) -> String {
        let path = format!("/companies/{company}/connections/{conn}");
        let conn = self.get(&path).await.ok();
        conn["linkUrl"].as_str().unwrap().to_owned()
    }

    /// A fresh link, as a path on this server.
    pub async fn link(&self, c: &Conn) -> String {
        let url = self.link_url(&c.company, &c.id).await;
        let at = url.find("/link/").unwrap();
        url[at..].to_owned()
    }

    /// Gets `path` as a browser would, with the session `cookie` if any.
    pub async fn visit(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut req = self.req(Method::GET, path).anonymous();
        if let Some(cookie) = cookie {
            req = req.header(COOKIE.as_str(), cookie);
        }
        req.send().await
    }

    /// Opens a link and returns the session cookie (`name=value`).
    pub async fn open_link(&self, link: &str) -> String {
        let res = self.visit(link, None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{res}");
        cookie_of(&res.headers)
    }

    /// A page's status and HTML.
    pub async fn page(&self, path: &str, cookie: &str) -> (StatusCode, String) {
        let res = self.visit(path, Some(cookie)).await;
        (res.status, res.text)
    }

    /// Posts a form with the session `cookie`, from `origin` if given.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: &str,
        form: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Answer {
        let mut req = self
            .req(Method::POST, path)
            .anonymous()
            .header(COOKIE.as_str(), cookie)
            .form(form);
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        req.send().await
    }
}
