//! The authorization server's rules about time, on the services with a manual clock: codes live a
//! minute, access tokens fifteen, consents as long as configured, a hosted sign-in fifteen
//! minutes, a pushed request ninety seconds, and a rotated signing key stays published for its
//! overlap. (The flows themselves are driven by authlib in `tests/python/test_oidc.py`.)

use jiff::SignedDuration;

use feedbridge::domain::accounts::AccountInput;
use feedbridge::domain::companies::CompanyInput;
use feedbridge::domain::oauth::authorize::{AuthorizeParams, Refusal};
use feedbridge::domain::oauth::recipients::Registered;
use feedbridge::domain::oauth::tokens::{Grant, Issued};
use feedbridge::domain::oauth::OAuthError;
use feedbridge_store::{AccountShape, Company, Connection};

use crate::support::oauth::{self, client, params};
use crate::support::services::Domain;
use crate::support::TestApp;

struct World {
    d: Domain,
    recipient: Registered,
    company: Company,
    conn: Connection,
}

impl World {
    async fn new(consent_days: u32) -> Self {
        let d = TestApp::builder()
            .config(|c| c.feed.consent_days = consent_days)
            .services_only()
            .await;
        let s = &d.services;
        let recipient = oauth::recipient(s).await;
        let company = CompanyInput {
            name: Some("Bakery".into()),
            ..CompanyInput::default()
        };
        let company = s.create_company(d.client.id, company).await.unwrap();
        let (company, conn) = s
            .create_connection(d.client.id, company.id, Some("hcws"))
            .await
            .unwrap();
        let account = AccountInput {
            shape: AccountShape::V1,
            id: Some("chk-1".into()),
            account_name: Some("Chequing".into()),
            account_type: None,
            account_number: None,
            sort_code: None,
            currency: Some("USD".into()),
            balance: None,
            routing_info: None,
            account_info: None,
            modified_date: None,
        };
        s.create_source_account(d.client.id, company.id, conn.id, account)
            .await
            .unwrap();
        Self {
            d,
            recipient,
            company,
            conn,
        }
    }

    fn params(&self) -> AuthorizeParams {
        params(&self.recipient)
    }

    fn advance(&self, by: SignedDuration) {
        self.d.clock.advance(by);
    }

    /// A sign-in of `params` with a new credential pair (a consent consumes its pair), up to
    /// consent: its browser cookie.
    async fn signed_in(&self, params: AuthorizeParams) -> String {
        let s = &self.d.services;
        let issued = s
            .generate_credentials(&self.company, &self.conn)
            .await
            .unwrap();
        oauth::signed_in(
            s,
            params,
            &issued.username,
            &issued.password,
            &issued.code.code,
        )
        .await
    }

    /// Allows the recipient on the connection's account: the code it receives.
    async fn code(&self) -> String {
        let cookie = self.signed_in(self.params()).await;
        oauth::allow(&self.d.services, &cookie, &["chk-1"]).await
    }

    async fn redeem(&self, code: String) -> Result<Issued, OAuthError> {
        oauth::redeem(&self.d.services, &self.recipient, code).await
    }

    async fn refresh(&self, token: &str) -> Result<Issued, OAuthError> {
        let grant = Grant::RefreshToken {
            refresh_token: token.into(),
        };
        let s = &self.d.services;
        s.exchange(&client(&self.recipient), grant).await.unwrap()
    }

    async fn accepted(&self, access_token: &str) -> bool {
        self.d
            .services
            .bearer(access_token)
            .await
            .unwrap()
            .is_some()
    }
}

fn invalid_grant(outcome: Result<Issued, OAuthError>) -> String {
    match outcome {
        Err(OAuthError::InvalidGrant(why)) => why,
        other => panic!("expected invalid_grant, got {other:?}"),
    }
}

#[tokio::test]
async fn a_code_lives_one_minute() {
    let w = World::new(365).await;
    let late = w.code().await;
    w.advance(SignedDuration::from_secs(61));
    assert!(invalid_grant(w.redeem(late).await).contains("expired"));
    let prompt = w.code().await;
    w.advance(SignedDuration::from_secs(59));
    assert!(w.redeem(prompt).await.is_ok());
}

#[tokio::test]
async fn an_access_token_lives_fifteen_minutes_and_a_refresh_brings_a_new_one() {
    let w = World::new(365).await;
    let issued = w.redeem(w.code().await).await.unwrap();
    assert!(w.accepted(&issued.access_token).await);
    w.advance(SignedDuration::from_secs(14 * 60 + 59));
    assert!(w.accepted(&issued.access_token).await);
    w.advance(SignedDuration::from_secs(1));
    assert!(!w.accepted(&issued.access_token).await);
    let refresh = issued.refresh_token.unwrap();
    let renewed = w.refresh(&refresh).await.unwrap();
    assert!(w.accepted(&renewed.access_token).await);
}

#[tokio::test]
async fn a_consent_ends_when_its_duration_does() {
    let w = World::new(1).await;
    let issued = w.redeem(w.code().await).await.unwrap();
    let refresh = issued.refresh_token.unwrap();
    w.advance(SignedDuration::from_hours(23));
    let renewed = w.refresh(&refresh).await.unwrap();
    w.advance(SignedDuration::from_hours(1));
    assert!(!w.accepted(&renewed.access_token).await);
    invalid_grant(w.refresh(renewed.refresh_token.as_deref().unwrap()).await);
}

#[tokio::test]
async fn a_sign_in_lasts_fifteen_minutes() {
    let w = World::new(365).await;
    let s = &w.d.services;
    let opened = s
        .begin_authorization(w.params(), "fr")
        .await
        .unwrap()
        .unwrap();
    w.advance(SignedDuration::from_secs(14 * 60));
    let request = s.sign_in_request(&opened.cookie).await.unwrap().unwrap();
    assert_eq!(request.language, "fr");
    w.advance(SignedDuration::from_secs(60));
    assert!(s.sign_in_request(&opened.cookie).await.unwrap().is_none());
}

#[tokio::test]
async fn a_pushed_request_waits_ninety_seconds_and_is_used_once() {
    let w = World::new(365).await;
    let s = &w.d.services;
    let push = || async {
        let (uri, ttl) = s
            .push_authorization(&client(&w.recipient), w.params())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ttl, SignedDuration::from_secs(90));
        AuthorizeParams {
            client_id: Some(w.recipient.recipient.id.to_string()),
            request_uri: Some(uri),
            ..AuthorizeParams::default()
        }
    };
    let used = push().await;
    w.advance(SignedDuration::from_secs(89));
    assert!(s
        .begin_authorization(used.clone(), "en")
        .await
        .unwrap()
        .is_ok());
    let again = s.begin_authorization(used, "en").await.unwrap();
    assert!(matches!(again, Err(Refusal::Page(_))), "{again:?}");
    let stale = push().await;
    w.advance(SignedDuration::from_secs(90));
    let late = s.begin_authorization(stale, "en").await.unwrap();
    assert!(matches!(late, Err(Refusal::Page(_))), "{late:?}");
}

#[tokio::test]
async fn a_rotated_key_stays_published_for_a_day_and_signs_no_more() {
    let w = World::new(365).await;
    let s = &w.d.services;
    let kids = || async {
        let jwks = s.jwks().await.unwrap();
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let first = kids().await;
    assert_eq!(first.len(), 1);
    let before = w.redeem(w.code().await).await.unwrap();
    let new_kid = s.rotate_signing_key().await.unwrap();
    assert_eq!(kids().await, [new_kid.clone(), first[0].clone()]);
    assert!(w.accepted(&before.access_token).await, "old tokens verify");
    let after = w
        .refresh(before.refresh_token.as_deref().unwrap())
        .await
        .unwrap();
    let header = jsonwebtoken::decode_header(&after.access_token).unwrap();
    assert_eq!(header.kid.as_deref(), Some(new_kid.as_str()));
    w.advance(SignedDuration::from_hours(24));
    assert_eq!(kids().await, [new_kid]);
}
