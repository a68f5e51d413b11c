//! The Link UI over real HTTP: link lifetime, session cookie, CSRF and origin checks, headers,
//! idle expiry, escaping and languages. The helpers here serve the other `link_*` modules too.

use jiff::SignedDuration;
use reqwest::header::{HeaderMap, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Method, Response, StatusCode};
use serde_json::json;

use crate::link_support::{server, server_with, Server};

pub(crate) struct Conn {
    pub company: String,
    id: String,
}

impl Conn {
    pub(crate) fn pages(&self) -> String {
        format!("/link/companies/{}/connections/{}", self.company, self.id)
    }
}

pub(crate) async fn connection(s: &Server, company_name: &str) -> Conn {
    let company = s
        .api(
            Method::POST,
            "/companies",
            Some(json!({"name": company_name})),
        )
        .await;
    let company = company["id"].as_str().expect("company id").to_owned();
    let conn = s
        .api(
            Method::POST,
            &format!("/companies/{company}/connections"),
            Some(json!({"platformKey": "hcws"})),
        )
        .await;
    let id = conn["id"].as_str().expect("connection id").to_owned();
    Conn { company, id }
}

async fn add_account(s: &Server, c: &Conn, id: &str, name: &str) {
    let body = json!({"id": id, "accountName": name, "accountType": "Debit",
        "accountNumber": "12345678", "sortCode": "12-34-56", "currency": "CAD", "balance": 10});
    let path = format!("{}/connectionInfo/bankFeedAccounts", api_path(c));
    s.api(Method::POST, &path, Some(body)).await;
}

fn api_path(c: &Conn) -> String {
    format!("/companies/{}/connections/{}", c.company, c.id)
}

/// A fresh link (minted at the clock's current time), as a path on the test server.
pub(crate) async fn link(s: &Server, c: &Conn) -> String {
    let conn = s.api(Method::GET, &api_path(c), None).await;
    let url = conn["linkUrl"].as_str().expect("linkUrl");
    let at = url.find("/link/").expect("link path");
    url[at..].to_owned()
}

pub(crate) fn token_of(link: &str) -> &str {
    link.split("otp=").nth(1).expect("token")
}

pub(crate) async fn get(s: &Server, path: &str, cookie: Option<&str>) -> Response {
    let mut req = s.http.get(s.url(path));
    if let Some(cookie) = cookie {
        req = req.header(COOKIE, cookie);
    }
    req.send().await.expect("get")
}

/// Opens a link and returns the session cookie (`name=value`).
pub(crate) async fn open(s: &Server, link: &str) -> String {
    let res = get(s, link, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    cookie_of(res.headers())
}

fn cookie_of(headers: &HeaderMap) -> String {
    let set = headers[SET_COOKIE].to_str().expect("ascii");
    set.split(';').next().expect("pair").to_owned()
}

pub(crate) async fn page(s: &Server, path: &str, cookie: &str) -> (StatusCode, String) {
    let res = get(s, path, Some(cookie)).await;
    (res.status(), res.text().await.expect("body"))
}

fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    html[at..].split('"').next().expect("value").to_owned()
}

async fn post(
    s: &Server,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
    origin: Option<&str>,
) -> Response {
    let mut req = s.http.post(s.url(path)).header(COOKIE, cookie).form(form);
    if let Some(origin) = origin {
        req = req.header("origin", origin);
    }
    req.send().await.expect("post")
}

async fn credential_count(s: &Server, c: &Conn) -> usize {
    let id = c.id.parse().expect("id");
    s.running
        .services
        .store
        .list_credentials(id)
        .await
        .expect("list")
        .len()
}

#[tokio::test]
async fn a_link_lives_exactly_one_hour() {
    let s = server().await;
    let c = connection(&s, "Boundary Ltd").await;
    let early = link(&s, &c).await;
    s.clock.advance(SignedDuration::from_secs(59 * 60 + 59));
    assert_eq!(get(&s, &early, None).await.status(), StatusCode::SEE_OTHER);
    let late = link(&s, &c).await;
    s.clock.advance(SignedDuration::from_secs(60 * 60 + 1));
    let res = get(&s, &late, None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers().get(SET_COOKIE).is_none());
    let html = res.text().await.expect("body");
    assert!(html.contains("This link has expired"), "{html}");
    assert!(html.contains("Go back to Maple Bank and open bank feeds again"));
}

#[tokio::test]
async fn tampered_and_foreign_tokens_are_refused_alike() {
    let s = server().await;
    let a = connection(&s, "A Ltd").await;
    let b = connection(&s, "B Ltd").await;
    let good = link(&s, &a).await;
    let mut bytes = good.into_bytes();
    let last = bytes.len() - 1;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).expect("utf8");
    let foreign = format!("{}/start?otp={}", a.pages(), token_of(&link(&s, &b).await));
    let missing = format!("{}/start", a.pages());
    for bad in [tampered, foreign, missing] {
        let res = get(&s, &bad, None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{bad}");
        assert!(res
            .text()
            .await
            .expect("body")
            .contains("This link has expired"));
    }
}

#[tokio::test]
async fn unlinking_or_deleting_ends_links_and_sessions() {
    let s = server().await;
    let c = connection(&s, "Gone Ltd").await;
    let before = link(&s, &c).await;
    let cookie = open(&s, &link(&s, &c).await).await;
    let path = api_path(&c);
    s.api(Method::PATCH, &path, Some(json!({"status": "Unlinked"})))
        .await;
    assert_eq!(
        get(&s, &before, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        page(&s, &c.pages(), &cookie).await.0,
        StatusCode::UNAUTHORIZED
    );
    let after_unlink = link(&s, &c).await;
    s.api(Method::DELETE, &path, None).await;
    assert_eq!(
        get(&s, &after_unlink, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_valid_link_sets_the_cookie_and_drops_the_token() {
    let s = server().await;
    let c = connection(&s, "Cookie Ltd").await;
    let l = link(&s, &c).await;
    let res = get(&s, &l, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()[LOCATION].to_str().expect("ascii");
    assert_eq!(location, c.pages());
    assert!(!location.contains(token_of(&l)) && !location.contains("otp"));
    let set = res.headers()[SET_COOKIE].to_str().expect("ascii");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/link", "Max-Age=3600"] {
        assert!(set.contains(part), "{set} lacks {part}");
    }
    assert!(
        !set.contains("Secure"),
        "plain http must not mark the cookie Secure"
    );
    let cookie = cookie_of(res.headers());
    let (status, html) = page(&s, &c.pages(), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Connect to QuickBooks Online Bank Feeds"));
}

#[tokio::test]
async fn https_public_url_makes_the_cookie_secure_and_sends_hsts() {
    let s = server_with(|c| c.public_url = "https://feeds.example".into()).await;
    let c = connection(&s, "Secure Ltd").await;
    let res = get(&s, &link(&s, &c).await, None).await;
    assert!(res.headers()[SET_COOKIE]
        .to_str()
        .expect("ascii")
        .contains("; Secure"));
    let cookie = cookie_of(res.headers());
    let res = get(&s, &c.pages(), Some(&cookie)).await;
    assert!(res.headers()["strict-transport-security"]
        .to_str()
        .expect("ascii")
        .contains("max-age="));
}

#[tokio::test]
async fn state_changes_need_the_csrf_token_and_our_origin() {
    let s = server().await;
    let c = connection(&s, "Csrf Ltd").await;
    let cookie = open(&s, &link(&s, &c).await).await;
    let (_, html) = page(&s, &format!("{}/setup", c.pages()), &cookie).await;
    let csrf = csrf_in(&html);
    let action = format!("{}/credentials", c.pages());
    let origin = format!("http://{}", s.running.addr);
    for (form, from) in [
        (vec![], Some(origin.as_str())),
        (vec![("csrf", "forged")], Some(origin.as_str())),
        (vec![("csrf", csrf.as_str())], Some("https://evil.example")),
        (vec![("csrf", csrf.as_str())], Some("null")),
    ] {
        let res = post(&s, &action, &cookie, &form, from).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.text().await.expect("body").contains("Request refused"));
    }
    let res = s
        .http
        .post(s.url(&action))
        .header(COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    for mutation in [action.clone(), format!("{}/language", c.pages())] {
        let (status, _) = page(&s, &mutation, &cookie).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "GET {mutation}");
    }
    assert_eq!(
        credential_count(&s, &c).await,
        0,
        "a refused request changed nothing"
    );
    let res = post(&s, &action, &cookie, &[("csrf", &csrf)], Some(&origin)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(credential_count(&s, &c).await, 1);
}

#[tokio::test]
async fn credentials_are_shown_once_with_no_store_and_the_api_code() {
    let s = server().await;
    let c = connection(&s, "Creds Ltd").await;
    let cookie = open(&s, &link(&s, &c).await).await;
    let (_, html) = page(&s, &format!("{}/setup", c.pages()), &cookie).await;
    assert!(!html.contains("id=\"revoke\""), "nothing to revoke yet");
    let res = post(
        &s,
        &format!("{}/credentials", c.pages()),
        &cookie,
        &[("csrf", &csrf_in(&html))],
        None,
    )
    .await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.expect("body");
    let value = |id: &str| {
        let at = html.find(&format!("id=\"{id}\"")).expect(id);
        html[at..]
            .split('>')
            .nth(1)
            .expect("text")
            .split('<')
            .next()
            .expect("value")
            .to_owned()
    };
    let username = value("username");
    assert_eq!(username.len(), 14);
    assert!(username.split('-').all(|g| g.len() == 4
        && g.chars()
            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit())));
    assert!(value("password").len() >= 20);
    let otp = s
        .api(
            Method::POST,
            &format!("{}/bankFeeds/otp", api_path(&c)),
            None,
        )
        .await;
    assert_eq!(otp["otp"].as_str(), Some(value("code").as_str()));
    let id = c.id.parse().expect("id");
    let stored = s
        .running
        .services
        .store
        .list_credentials(id)
        .await
        .expect("list");
    assert_eq!(stored[0].username, username);
    assert!(s
        .running
        .services
        .password_matches(&stored[0], &value("password")));
    let (_, setup) = page(&s, &format!("{}/setup", c.pages()), &cookie).await;
    assert!(setup.contains("id=\"revoke\"") && !setup.contains(&value("password")));
}

#[tokio::test]
async fn every_page_sends_the_security_headers() {
    let s = server().await;
    let c = connection(&s, "Headers Ltd").await;
    let cookie = open(&s, &link(&s, &c).await).await;
    let paths = [
        c.pages(),
        format!("{}/setup", c.pages()),
        format!("{}/revoke", c.pages()),
        format!("/link/companies/{}", c.company),
        format!("{}/start?otp=nope", c.pages()),
        "/link/nowhere".to_owned(),
    ];
    for path in paths {
        let res = get(&s, &path, Some(&cookie)).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().expect("ascii");
        for part in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "script-src 'nonce-",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS on plain http"
        );
        assert!(
            h["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("text/html"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_session_ends_after_fifteen_idle_minutes() {
    let s = server().await;
    let c = connection(&s, "Idle Ltd").await;
    let cookie = open(&s, &link(&s, &c).await).await;
    s.clock.advance(SignedDuration::from_secs(14 * 60 + 59));
    assert_eq!(page(&s, &c.pages(), &cookie).await.0, StatusCode::OK);
    s.clock.advance(SignedDuration::from_secs(14 * 60 + 59));
    assert_eq!(
        page(&s, &c.pages(), &cookie).await.0,
        StatusCode::OK,
        "activity renews"
    );
    s.clock.advance(SignedDuration::from_secs(15 * 60 + 1));
    let (status, html) = page(&s, &c.pages(), &cookie).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("This link has expired"));
}

#[tokio::test]
async fn pushed_names_are_escaped_and_french_is_kept_across_pages() {
    let s = server().await;
    let c = connection(&s, "\"><script>alert(1)</script>").await;
    add_account(&s, &c, "acc-1", "<img src=x onerror=alert(1)>").await;
    // The client API cleans company names, so the raw name is written behind its back.
    let store = &s.running.services.store;
    let mut company = store
        .find_company(c.company.parse().expect("id"))
        .await
        .expect("company");
    company.name = "\"><script>alert(1)</script>".into();
    store.update_company(&company).await.expect("update");
    let res = s
        .http
        .get(s.url(&link(&s, &c).await))
        .header("accept-language", "fr-CA,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("get");
    let cookie = cookie_of(res.headers());
    let (_, html) = page(&s, &c.pages(), &cookie).await;
    assert!(!html.contains("<script>alert") && !html.contains("<img src=x"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("&#60;script&#62;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;") || html.contains("&#60;img"),
        "{html}"
    );
    assert!(html.contains("Se connecter aux flux bancaires de QuickBooks en ligne"));
    assert!(html.contains("••••5678") && !html.contains("12345678"));
    let switch = post(
        &s,
        &format!("{}/language", c.pages()),
        &cookie,
        &[("csrf", &csrf_in(&html)), ("lang", "en"), ("back", "setup")],
        None,
    )
    .await;
    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        switch.headers()[LOCATION],
        format!("{}/setup", c.pages()).as_str()
    );
    let (_, html) = page(&s, &format!("{}/setup", c.pages()), &cookie).await;
    assert!(html.contains("Set up QuickBooks") && html.contains("lang=\"en-CA\""));
}

#[tokio::test]
async fn pages_without_a_session_explain_where_to_start() {
    let s = server().await;
    let c = connection(&s, "Start Ltd").await;
    let (status, html) = page(&s, &format!("/link/companies/{}", c.company), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("open bank feeds"));
    let (status, html) = page(&s, &c.pages(), "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("This link has expired"));
    let res = get(
        &s,
        "/link/companies/00000000-0000-0000-0000-000000000000?lang=fr",
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.expect("body").contains("Page introuvable"));
}
