//! One authorization request of the code flow: the values that bind the institution's answer to
//! the request that asked for it, and reading that answer at the redirect URI.
//!
//! `state` ties the callback to this browser's link flow, `nonce` ties the ID token to it, and
//! the PKCE verifier (S256) proves at the token endpoint that whoever redeems the code started
//! the request. Each is fresh for every "I agree" and used once.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use reqwest::Url;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::FeedError;

/// What the sandbox asks for: sign-in, a refresh token, and the three FDX data clusters.
pub const SCOPE: &str =
    "openid offline_access fdx:accountbasic:read fdx:accountdetailed:read fdx:transactions:read";

/// An authorization request in flight.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub state: String,
    pub nonce: String,
    verifier: String,
}

/// What the institution's redirect carries (RFC 6749 §4.1.2, RFC 9207).
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Why a callback brought no code.
#[derive(Debug)]
pub enum Rejected {
    /// It answers no request of this flow: its `state` is not ours.
    Unrelated,
    /// The user chose "Deny".
    Denied,
    /// The institution reported another error, or the answer is unusable.
    Failed(FeedError),
}

/// 32 random bytes, base64url: as much entropy as PKCE's verifier wants (RFC 7636 §4.1).
fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Authorization {
    /// A request with fresh `state`, `nonce` and verifier.
    pub fn fresh() -> Self {
        Authorization {
            state: random(),
            nonce: random(),
            verifier: random(),
        }
    }

    pub fn verifier(&self) -> &str {
        &self.verifier
    }

    /// The S256 code challenge: base64url(SHA-256(verifier)).
    fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.verifier.as_bytes()))
    }

    /// The authorization URL at `endpoint`, code flow with PKCE.
    pub fn url(
        &self,
        endpoint: &str,
        client_id: &str,
        redirect_uri: &str,
    ) -> Result<String, FeedError> {
        let mut url = Url::parse(endpoint)
            .map_err(|e| FeedError::Invalid(format!("authorization_endpoint: {e}")))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", SCOPE)
            .append_pair("state", &self.state)
            .append_pair("nonce", &self.nonce)
            .append_pair("code_challenge", &self.challenge())
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    /// Whether `callback` answers this request.
    pub fn answers(&self, callback: &Callback) -> bool {
        callback.state.as_deref() == Some(self.state.as_str())
    }

    /// The code of a callback answering this request from `issuer`.
    pub fn code(&self, callback: Callback, issuer: &str) -> Result<String, Rejected> {
        if !self.answers(&callback) {
            return Err(Rejected::Unrelated);
        }
        // RFC 9207: an answer naming another issuer is a mix-up, whatever it carries.
        if callback
            .iss
            .as_deref()
            .is_some_and(|iss| iss.trim_end_matches('/') != issuer)
        {
            return Err(Rejected::Failed(FeedError::Invalid(
                "the sign-in answered for another issuer".into(),
            )));
        }
        match (callback.error, callback.code) {
            (Some(error), _) if error == "access_denied" => Err(Rejected::Denied),
            (Some(error), _) => Err(Rejected::Failed(FeedError::OAuth {
                error,
                description: callback.error_description,
            })),
            (None, Some(code)) if !code.is_empty() => Ok(code),
            (None, _) => Err(Rejected::Failed(FeedError::Invalid(
                "the sign-in came back without a code".into(),
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const ISSUER: &str = "http://127.0.0.1:8080";

    fn answer(auth: &Authorization, pairs: &[(&str, &str)]) -> Callback {
        let mut callback = Callback {
            state: Some(auth.state.clone()),
            ..Callback::default()
        };
        for (name, value) in pairs {
            let value = Some((*value).to_owned());
            match *name {
                "code" => callback.code = value,
                "iss" => callback.iss = value,
                "error" => callback.error = value,
                "state" => callback.state = value,
                _ => unreachable!("{name}"),
            }
        }
        callback
    }

    #[test]
    fn the_url_asks_for_the_code_flow_with_s256_and_fresh_values() {
        let auth = Authorization::fresh();
        let url = auth
            .url(
                &format!("{ISSUER}/oauth2/authorize"),
                "client-1",
                "http://127.0.0.1:9/cb",
            )
            .unwrap();
        let url = Url::parse(&url).unwrap();
        assert_eq!(url.path(), "/oauth2/authorize");
        let q: HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "client-1");
        assert_eq!(q["redirect_uri"], "http://127.0.0.1:9/cb");
        assert_eq!(q["scope"], SCOPE);
        assert_eq!(q["code_challenge_method"], "S256");
        let digest = Sha256::digest(auth.verifier().as_bytes());
        assert_eq!(q["code_challenge"], URL_SAFE_NO_PAD.encode(digest));
        assert_eq!((&q["state"], &q["nonce"]), (&auth.state, &auth.nonce));
        assert_eq!(auth.verifier().len(), 43, "RFC 7636: 43 to 128 characters");

        let other = Authorization::fresh();
        assert_ne!(other.state, auth.state);
        assert_ne!(other.nonce, auth.nonce);
        assert_ne!(other.verifier(), auth.verifier());
    }

    #[test]
    fn only_an_answer_with_our_state_and_issuer_yields_the_code() {
        let auth = Authorization::fresh();
        let ok = answer(&auth, &[("code", "abc"), ("iss", ISSUER)]);
        assert_eq!(auth.code(ok, ISSUER).unwrap(), "abc");
        let forged = answer(&auth, &[("code", "abc"), ("state", "guess")]);
        assert!(matches!(
            auth.code(forged, ISSUER),
            Err(Rejected::Unrelated)
        ));
        let no_state = Callback {
            code: Some("abc".into()),
            ..Callback::default()
        };
        assert!(matches!(
            auth.code(no_state, ISSUER),
            Err(Rejected::Unrelated)
        ));
        let mixed_up = answer(&auth, &[("code", "abc"), ("iss", "http://evil.example")]);
        assert!(matches!(
            auth.code(mixed_up, ISSUER),
            Err(Rejected::Failed(_))
        ));
    }

    #[test]
    fn deny_and_other_errors_are_told_apart() {
        let auth = Authorization::fresh();
        let denied = answer(&auth, &[("error", "access_denied")]);
        assert!(matches!(auth.code(denied, ISSUER), Err(Rejected::Denied)));
        let failed = answer(&auth, &[("error", "server_error")]);
        match auth.code(failed, ISSUER) {
            Err(Rejected::Failed(e)) => assert_eq!(e.detail().unwrap(), "Error server_error"),
            other => panic!("{other:?}"),
        }
        let empty = answer(&auth, &[]);
        assert!(matches!(auth.code(empty, ISSUER), Err(Rejected::Failed(_))));
    }
}
