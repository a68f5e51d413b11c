//! The Link UI over real HTTP: link lifetime, session cookie, CSRF and origin checks, headers,
//! idle expiry, escaping and languages.

use jiff::SignedDuration;
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::link::{cookie_of, csrf_in, token_of, Conn};
use crate::support::TestApp;

async fn add_account(s: &TestApp, c: &Conn, id: &str, name: &str) {
    let body = json!({"id": id, "accountName": name, "accountType": "Debit",
        "accountNumber": "12345678", "sortCode": "12-34-56", "currency": "CAD", "balance": 10});
    let path = format!("{}/connectionInfo/bankFeedAccounts", c.api());
    s.post(&path, body).await.ok();
}

async fn credential_count(s: &TestApp, c: &Conn) -> usize {
    let id = c.id.parse().unwrap();
    let store = s.services().store_for_tests();
    store.list_credentials(id).await.unwrap().len()
}

#[tokio::test]
async fn a_link_opens_the_link_ui_for_exactly_one_hour() {
    let s = TestApp::builder()
        .config(|c| c.institution.name = "Maple Bank".into())
        .spawn()
        .await;
    let c = s.link_connection("Boundary Ltd").await;
    let early = s.link(&c).await;
    s.clock.advance(SignedDuration::from_secs(59 * 60 + 59));
    assert_eq!(s.visit(&early, None).await.status, StatusCode::SEE_OTHER);
    let late = s.link(&c).await;
    s.clock.advance(SignedDuration::from_secs(60 * 60 + 1));
    let res = s.visit(&late, None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.headers.get(SET_COOKIE).is_none());
    let html = res.text;
    assert!(html.contains("This link has expired"), "{html}");
    assert!(html.contains("Go back to Maple Bank and open bank feeds again"));
}

#[tokio::test]
async fn tampered_and_foreign_tokens_are_refused_alike() {
    let s = TestApp::spawn().await;
    let a = s.link_connection("A Ltd").await;
    let b = s.link_connection("B Ltd").await;
    let good = s.link(&a).await;
    let mut bytes = good.into_bytes();
    let last = bytes.len() - 1;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    let foreign = format!("{}/start?otp={}", a.pages(), token_of(&s.link(&b).await));
    let missing = format!("{}/start", a.pages());
    for bad in [tampered, foreign, missing] {
        let res = s.visit(&bad, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{bad}");
        assert!(res.text.contains("This link has expired"));
    }
}

#[tokio::test]
async fn unlinking_or_deleting_ends_links_and_sessions() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Gone Ltd").await;
    let before = s.link(&c).await;
    let cookie = s.open_link(&s.link(&c).await).await;
    let path = c.api();
    s.patch(&path, json!({"status": "Unlinked"})).await.ok();
    assert_eq!(
        s.visit(&before, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.page(&c.pages(), &cookie).await.0,
        StatusCode::UNAUTHORIZED
    );
    let after_unlink = s.link(&c).await;
    s.delete(&path).await.ok();
    assert_eq!(
        s.visit(&after_unlink, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_valid_link_sets_the_cookie_and_drops_the_token() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Cookie Ltd").await;
    let l = s.link(&c).await;
    let res = s.visit(&l, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let location = res.headers[LOCATION].to_str().unwrap();
    assert_eq!(location, c.pages());
    assert!(!location.contains(token_of(&l)) && !location.contains("otp"));
    let set = res.headers[SET_COOKIE].to_str().unwrap();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/link", "Max-Age=3600"] {
        assert!(set.contains(part), "{set} lacks {part}");
    }
    assert!(
        !set.contains("Secure"),
        "plain http must not mark the cookie Secure"
    );
    let cookie = cookie_of(&res.headers);
    let (status, html) = s.page(&c.pages(), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Connect to QuickBooks Online Bank Feeds"));
}

#[tokio::test]
async fn https_public_url_makes_the_cookie_secure_and_sends_hsts() {
    let s = TestApp::builder()
        .config(|c| c.public_url = "https://feeds.example".into())
        .spawn()
        .await;
    let c = s.link_connection("Secure Ltd").await;
    let res = s.visit(&s.link(&c).await, None).await;
    assert!(res.headers[SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("; Secure"));
    let cookie = cookie_of(&res.headers);
    let res = s.visit(&c.pages(), Some(&cookie)).await;
    assert!(res.headers["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
}

#[tokio::test]
async fn state_changes_need_the_csrf_token_and_our_origin() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Csrf Ltd").await;
    let cookie = s.open_link(&s.link(&c).await).await;
    let (_, html) = s.page(&format!("{}/setup", c.pages()), &cookie).await;
    let csrf = csrf_in(&html);
    let action = format!("{}/credentials", c.pages());
    let origin = format!("http://{}", s.running.addr);
    for (form, from) in [
        (vec![], Some(origin.as_str())),
        (vec![("csrf", "forged")], Some(origin.as_str())),
        (vec![("csrf", csrf.as_str())], Some("https://evil.example")),
        (vec![("csrf", csrf.as_str())], Some("null")),
    ] {
        let res = s.post_form(&action, &cookie, &form, from).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(res.text.contains("Request refused"));
    }
    let res = s
        .req(Method::POST, &action)
        .anonymous()
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    for mutation in [action.clone(), format!("{}/language", c.pages())] {
        let (status, _) = s.page(&mutation, &cookie).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "GET {mutation}");
    }
    assert_eq!(
        credential_count(&s, &c).await,
        0,
        "a refused request changed nothing"
    );
    let res = s
        .post_form(&action, &cookie, &[("csrf", &csrf)], Some(&origin))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(credential_count(&s, &c).await, 1);
}

#[tokio::test]
async fn credentials_are_shown_once_with_no_store_and_the_api_code() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Creds Ltd").await;
    let cookie = s.open_link(&s.link(&c).await).await;
    let (_, html) = s.page(&format!("{}/setup", c.pages()), &cookie).await;
    assert!(!html.contains("id=\"revoke\""), "nothing to revoke yet");
    let res = s
        .post_form(
            &format!("{}/credentials", c.pages()),
            &cookie,
            &[("csrf", &csrf_in(&html))],
            None,
        )
        .await;
    assert_eq!(res.headers["cache-control"], "no-store");
    let html = res.text;
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
        .req(Method::POST, &format!("{}/bankFeeds/otp", c.api()))
        .send()
        .await
        .ok();
    assert_eq!(otp["otp"].as_str(), Some(value("code").as_str()));
    let id = c.id.parse().unwrap();
    let stored = s
        .services()
        .store_for_tests()
        .list_credentials(id)
        .await
        .unwrap();
    assert_eq!(stored[0].username, username);
    assert!(s
        .services()
        .password_matches(&stored[0], &value("password")));
    let (_, setup) = s.page(&format!("{}/setup", c.pages()), &cookie).await;
    assert!(setup.contains("id=\"revoke\"") && !setup.contains(&value("password")));
}

#[tokio::test]
async fn every_page_sends_the_security_headers() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Headers Ltd").await;
    let cookie = s.open_link(&s.link(&c).await).await;
    let paths = [
        c.pages(),
        format!("{}/setup", c.pages()),
        format!("{}/revoke", c.pages()),
        format!("/link/companies/{}", c.company),
        format!("{}/start?otp=nope", c.pages()),
        "/link/nowhere".to_owned(),
    ];
    for path in paths {
        let res = s.visit(&path, Some(&cookie)).await;
        let h = &res.headers;
        let csp = h["content-security-policy"].to_str().unwrap();
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
            h["content-type"].to_str().unwrap().starts_with("text/html"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_session_ends_after_fifteen_idle_minutes() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Idle Ltd").await;
    let cookie = s.open_link(&s.link(&c).await).await;
    s.clock.advance(SignedDuration::from_secs(14 * 60 + 59));
    assert_eq!(s.page(&c.pages(), &cookie).await.0, StatusCode::OK);
    s.clock.advance(SignedDuration::from_secs(14 * 60 + 59));
    assert_eq!(
        s.page(&c.pages(), &cookie).await.0,
        StatusCode::OK,
        "activity renews"
    );
    s.clock.advance(SignedDuration::from_secs(15 * 60 + 1));
    let (status, html) = s.page(&c.pages(), &cookie).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("This link has expired"));
}

#[tokio::test]
async fn pushed_names_are_escaped_and_french_is_kept_across_pages() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("\"><script>alert(1)</script>").await;
    add_account(&s, &c, "acc-1", "<img src=x onerror=alert(1)>").await;
    // The client API cleans company names, so the raw name is written behind its back.
    let store = s.services().store_for_tests();
    let mut company = store
        .find_company(c.company.parse().unwrap())
        .await
        .unwrap();
    company.name = "\"><script>alert(1)</script>".into();
    store.update_company(&company).await.unwrap();
    let res = s
        .req(Method::GET, &s.link(&c).await)
        .anonymous()
        .header("accept-language", "fr-CA,fr;q=0.9,en;q=0.5")
        .send()
        .await;
    let cookie = cookie_of(&res.headers);
    let (_, html) = s.page(&c.pages(), &cookie).await;
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
    let switch = s
        .post_form(
            &format!("{}/language", c.pages()),
            &cookie,
            &[("csrf", &csrf_in(&html)), ("lang", "en"), ("back", "setup")],
            None,
        )
        .await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(
        switch.headers[LOCATION],
        format!("{}/setup", c.pages()).as_str()
    );
    let (_, html) = s.page(&format!("{}/setup", c.pages()), &cookie).await;
    assert!(html.contains("Set up QuickBooks") && html.contains("lang=\"en-CA\""));
}

#[tokio::test]
async fn pages_without_a_session_explain_where_to_start() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Start Ltd").await;
    let (status, html) = s.page(&format!("/link/companies/{}", c.company), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("open bank feeds"));
    let (status, html) = s.page(&c.pages(), "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("This link has expired"));
    let res = s
        .visit(
            "/link/companies/00000000-0000-0000-0000-000000000000?lang=fr",
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.text.contains("Page introuvable"));
}

#[tokio::test]
async fn unreadable_ids_are_pages_that_do_not_exist_in_the_visitors_language() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Ids Ltd").await;
    for path in [
        "/link/companies/not-a-uuid?lang=fr".to_string(),
        format!(
            "/link/companies/{}/connections/not-a-uuid?lang=fr",
            c.company
        ),
        "/link/companies/not-a-uuid/connections/not-a-uuid/setup?lang=fr".to_string(),
    ] {
        let res = s.visit(&path, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(res.text.contains("Page introuvable"), "{path}");
    }
    let res = s
        .visit(
            &format!("/link/companies/{}/connections/x/start?otp=abc", c.company),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.text.contains("This link has expired"));
}
