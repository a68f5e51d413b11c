//! A data recipient and a consent granted through the services, below the hosted pages (which
//! authlib and Chromium drive): for the authorization server's rules about time and for reading
//! FDX with a real token.

use feedbridge::domain::oauth::authorize::{AuthorizeParams, Step};
use feedbridge::domain::oauth::clients::ClientCredentials;
use feedbridge::domain::oauth::recipients::Registered;
use feedbridge::domain::oauth::tokens::{Grant, Issued};
use feedbridge::domain::oauth::OAuthError;
use feedbridge::domain::Services;

/// The recipient's one redirect URI.
pub const REDIRECT: &str = "https://aggregator.example/callback";
/// RFC 7636's example verifier and its S256 challenge.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A recipient registered with [`REDIRECT`].
pub async fn recipient(services: &Services) -> Registered {
    services.ensure_signing_key().await.unwrap();
    services
        .add_recipient("Ledgerly", &[REDIRECT.to_owned()])
        .await
        .unwrap()
}

/// An authorization request of `recipient` for every FDX scope, with PKCE.
pub fn params(recipient: &Registered) -> AuthorizeParams {
    AuthorizeParams {
        response_type: Some("code".into()),
        client_id: Some(recipient.recipient.id.to_string()),
        redirect_uri: Some(REDIRECT.into()),
        scope: Some(
            "openid offline_access fdx:accountbasic:read fdx:accountdetailed:read \
             fdx:transactions:read"
                .into(),
        ),
        state: Some("st".into()),
        nonce: Some("nn".into()),
        code_challenge: Some(CHALLENGE.into()),
        code_challenge_method: Some("S256".into()),
        request_uri: None,
    }
}

pub fn client(recipient: &Registered) -> ClientCredentials {
    ClientCredentials {
        id: recipient.recipient.id.to_string(),
        secret: recipient.secret.clone(),
    }
}

/// The sign-in a user with these credentials (and confirmation `code`, when the prompt is on)
/// walks for `params`, up to consent: its browser cookie.
pub async fn signed_in(
    services: &Services,
    params: AuthorizeParams,
    username: &str,
    password: &str,
    code: &str,
) -> String {
    let opened = services
        .begin_authorization(params, "en")
        .await
        .unwrap()
        .unwrap();
    let step = services
        .sign_in(opened.request, username, password, "10.0.0.1")
        .await
        .unwrap();
    if step == Step::Confirm {
        let request = services
            .sign_in_request(&opened.cookie)
            .await
            .unwrap()
            .unwrap();
        let step = services.confirm_sign_in(request, code).await.unwrap();
        assert_eq!(step, Step::Consent);
    } else {
        assert_eq!(step, Step::Consent);
    }
    opened.cookie
}

/// Allows `accounts` on the sign-in of `cookie`: the code the recipient receives.
pub async fn allow(services: &Services, cookie: &str, accounts: &[&str]) -> String {
    let request = services.sign_in_request(cookie).await.unwrap().unwrap();
    let chosen: Vec<String> = accounts.iter().map(|a| (*a).to_owned()).collect();
    let url = services.allow(&request, &chosen).await.unwrap().unwrap();
    let url = url::Url::parse(&url).unwrap();
    let code = url.query_pairs().find(|(k, _)| k == "code").unwrap().1;
    code.into_owned()
}

/// The recipient exchanges `code` (with the right verifier).
pub async fn redeem(
    services: &Services,
    recipient: &Registered,
    code: String,
) -> Result<Issued, OAuthError> {
    let grant = Grant::AuthorizationCode {
        code,
        redirect_uri: Some(REDIRECT.into()),
        code_verifier: Some(VERIFIER.into()),
    };
    services.exchange(&client(recipient), grant).await.unwrap()
}

/// A recipient and the tokens it received after the user of `l` allowed `accounts`.
pub async fn granted(
    services: &Services,
    l: &super::feed::Linkable,
    accounts: &[&str],
) -> (Registered, Issued) {
    let recipient = recipient(services).await;
    let cookie = signed_in(
        services,
        params(&recipient),
        &l.username,
        &l.password,
        &l.code,
    )
    .await;
    let code = allow(services, &cookie, accounts).await;
    let issued = redeem(services, &recipient, code).await.unwrap();
    (recipient, issued)
}

/// Fresh tokens for `refresh_token`, as a recipient asks once its access token has lapsed.
pub async fn refreshed(services: &Services, recipient: &Registered, refresh_token: &str) -> Issued {
    let grant = Grant::RefreshToken {
        refresh_token: refresh_token.to_owned(),
    };
    services
        .exchange(&client(recipient), grant)
        .await
        .unwrap()
        .unwrap()
}
