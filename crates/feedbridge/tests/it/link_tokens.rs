//! The tokens of `linkUrl`, checked through the services: their shape, a fresh token on every
//! read, and what makes a token stop working. `link.rs` checks the same lifetime through the
//! Link UI's pages.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::TestApp;

fn token(link: &str) -> String {
    link.split_once("?otp=").unwrap().1.to_owned()
}

async fn verify(app: &TestApp, company: &str, conn: &str, token: &str) -> bool {
    app.services()
        .verify_link(company.parse().unwrap(), conn.parse().unwrap(), token)
        .await
        .is_ok()
}

/// The token of a fresh read of the connection.
async fn fresh_token(app: &TestApp, company: &str, conn: &str) -> String {
    token(&app.link_url(company, conn).await)
}

#[tokio::test]
async fn links_have_codat_shape_and_are_fresh_on_every_read() {
    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let link = app.link_url(&company, &conn).await;
    let prefix = format!(
        "{}/link/companies/{company}/connections/{conn}/start?otp=",
        app.running.base_url
    );
    assert!(link.starts_with(&prefix), "{link}");
    assert!(
        token(&link).len() >= 43,
        "the token must carry at least 128 bits"
    );

    app.clock.advance(SignedDuration::from_secs(1));
    let second = fresh_token(&app, &company, &conn).await;
    app.clock.advance(SignedDuration::from_secs(1));
    let listed = app
        .get(&format!("/companies/{company}/connections"))
        .await
        .ok();
    let third = token(listed["results"][0]["linkUrl"].as_str().unwrap());
    assert_ne!(token(&link), second);
    assert_ne!(second, third);
    for t in [token(&link), second, third] {
        assert!(
            verify(&app, &company, &conn, &t).await,
            "older unexpired links keep working"
        );
    }
}

#[tokio::test]
async fn a_link_token_verifies_for_exactly_one_hour() {
    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let t = fresh_token(&app, &company, &conn).await;
    app.clock.advance(SignedDuration::from_secs(59 * 60 + 59));
    assert!(verify(&app, &company, &conn, &t).await, "valid at 59:59");
    app.clock.advance(SignedDuration::from_secs(2));
    assert!(!verify(&app, &company, &conn, &t).await, "expired at 60:01");
}

#[tokio::test]
async fn link_ttl_shortens_the_life_of_links() {
    let app = TestApp::builder()
        .config(|c| c.link_ttl = 600)
        .spawn()
        .await;
    let (company, conn) = app.company_and_connection().await;
    let t = fresh_token(&app, &company, &conn).await;
    app.clock.advance(SignedDuration::from_secs(601));
    assert!(!verify(&app, &company, &conn, &t).await);
}

#[tokio::test]
async fn tampered_moved_unlinked_and_deleted_links_fail() {
    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let other_conn = app
        .post(
            &format!("/companies/{company}/connections"),
            json!({"platformKey": "hcws"}),
        )
        .await
        .ok();
    let other_conn = other_conn["id"].as_str().unwrap().to_owned();
    let t = fresh_token(&app, &company, &conn).await;

    let mut tampered = t.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    assert!(!verify(&app, &company, &conn, &String::from_utf8(tampered).unwrap()).await);
    assert!(
        !verify(&app, &company, &other_conn, &t).await,
        "a token is bound to its connection"
    );
    assert!(!verify(&app, &company, &conn, "").await);

    app.patch(
        &format!("/companies/{company}/connections/{conn}"),
        json!({"status": "Unlinked"}),
    )
    .await
    .expect(StatusCode::OK);
    assert!(
        !verify(&app, &company, &conn, &t).await,
        "unlinking invalidates outstanding links"
    );
    let fresh = fresh_token(&app, &company, &conn).await;
    assert!(verify(&app, &company, &conn, &fresh).await);

    let other_token = fresh_token(&app, &company, &other_conn).await;
    let body = app
        .delete(&format!("/companies/{company}/connections/{other_conn}"))
        .await
        .expect(StatusCode::OK);
    assert!(
        body.is_null(),
        "delete connection answers with an empty body"
    );
    assert!(!verify(&app, &company, &other_conn, &other_token).await);
}

/// Playbook S3: every one-bit change of a valid token, and thousands of random tokens of the same
/// length, are refused.
#[tokio::test]
async fn every_bit_flip_and_random_tokens_are_refused() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use rand::RngCore;

    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let valid = URL_SAFE_NO_PAD
        .decode(fresh_token(&app, &company, &conn).await)
        .unwrap();
    assert!(verify(&app, &company, &conn, &URL_SAFE_NO_PAD.encode(&valid)).await);
    for bit in 0..valid.len() * 8 {
        let mut flipped = valid.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        let forged = URL_SAFE_NO_PAD.encode(&flipped);
        assert!(!verify(&app, &company, &conn, &forged).await, "bit {bit}");
    }
    let mut random = vec![0u8; valid.len()];
    for _ in 0..10_000 {
        rand::thread_rng().fill_bytes(&mut random);
        let forged = URL_SAFE_NO_PAD.encode(&random);
        assert!(!verify(&app, &company, &conn, &forged).await, "{forged}");
    }
}
