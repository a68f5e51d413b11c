//! Checking the ID token of a sign-in: signed (ES256) by a key of the issuer's JWKS, issued by
//! the issuer for this client, not expired, and carrying the nonce of the request it answers.
//! Without these checks a code could be replayed into another user's link.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::error::FeedError;

/// What an ID token must match.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
}

#[derive(Deserialize)]
struct Claims {
    nonce: Option<String>,
}

/// Verifies `token` against `keys`.
pub fn verify(token: &str, keys: &JwkSet, expected: &Expected<'_>) -> Result<(), FeedError> {
    let invalid = |why: String| FeedError::Invalid(format!("the ID token {why}"));
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| invalid(format!("is unreadable: {e}")))?;
    let kid = header
        .kid
        .ok_or_else(|| invalid("names no signing key".into()))?;
    let jwk = keys
        .find(&kid)
        .ok_or_else(|| invalid(format!("is signed by {kid}, a key not in the JWKS")))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| invalid(format!("key is unusable: {e}")))?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[expected.issuer]);
    validation.set_audience(&[expected.client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let data = jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .map_err(|e| invalid(format!("was refused: {e}")))?;
    if data.claims.nonce.as_deref() != Some(expected.nonce) {
        return Err(invalid("carries another nonce".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{EncodingKey, Header};
    use p256::pkcs8::EncodePrivateKey;
    use rand::rngs::OsRng;
    use serde_json::json;

    use super::*;

    const ISSUER: &str = "http://127.0.0.1:8080";

    /// A P-256 key: its encoding half and a JWKS publishing its public half as `kid`.
    fn key(kid: &str) -> (EncodingKey, JwkSet) {
        let secret = p256::SecretKey::random(&mut OsRng);
        let der = secret.to_pkcs8_der().unwrap();
        let mut jwk: serde_json::Value =
            serde_json::from_str(&secret.public_key().to_jwk_string()).unwrap();
        jwk["kid"] = json!(kid);
        jwk["alg"] = json!("ES256");
        let set = serde_json::from_value(json!({ "keys": [jwk] })).unwrap();
        (EncodingKey::from_ec_der(der.as_bytes()), set)
    }

    fn token(signing: &EncodingKey, kid: &str, claims: serde_json::Value) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.into());
        jsonwebtoken::encode(&header, &claims, signing).unwrap()
    }

    fn claims(aud: &str, nonce: &str) -> serde_json::Value {
        let now = jiff::Timestamp::now().as_second();
        json!({"iss": ISSUER, "sub": "user-123456", "aud": aud, "iat": now, "exp": now + 900, "nonce": nonce})
    }

    const EXPECTED: Expected<'static> = Expected {
        issuer: ISSUER,
        client_id: "client-1",
        nonce: "n-1",
    };

    #[test]
    fn a_token_of_the_issuer_for_us_with_our_nonce_passes() {
        let (signing, keys) = key("k1");
        let good = token(&signing, "k1", claims("client-1", "n-1"));
        verify(&good, &keys, &EXPECTED).unwrap();
    }

    #[test]
    fn another_nonce_audience_key_or_issuer_is_refused() {
        let (signing, keys) = key("k1");
        let refused = |t: String| verify(&t, &keys, &EXPECTED).unwrap_err().to_string();
        let nonce = refused(token(&signing, "k1", claims("client-1", "n-2")));
        assert!(nonce.contains("another nonce"), "{nonce}");
        assert!(refused(token(&signing, "k1", claims("client-2", "n-1"))).contains("refused"));
        let (stranger, _) = key("k1");
        assert!(refused(token(&stranger, "k1", claims("client-1", "n-1"))).contains("refused"));
        assert!(
            refused(token(&signing, "k9", claims("client-1", "n-1"))).contains("not in the JWKS")
        );
        let mut elsewhere = claims("client-1", "n-1");
        elsewhere["iss"] = json!("http://evil.example");
        assert!(refused(token(&signing, "k1", elsewhere)).contains("refused"));
        let mut expired = claims("client-1", "n-1");
        expired["exp"] = json!(jiff::Timestamp::now().as_second() - 3600);
        assert!(refused(token(&signing, "k1", expired)).contains("refused"));
    }
}
