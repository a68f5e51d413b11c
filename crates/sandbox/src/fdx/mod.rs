//! The FDX feed: the sandbox as an OpenID Connect client of the institution (a registered data
//! recipient) and a reader of its FDX 6 API, as QuickBooks Online's current bank-feed channel is.
//!
//! Everything starts from the issuer's discovery document: the endpoints, and the
//! institution's display name in its `institution_name` field (the FDX side has no OFX profile).
//! The FDX API is at `ISSUER/fdx/v6`, where Feedbridge serves it.

mod accounts;
mod api;
mod authorize;
mod id_token;
mod session;
mod tokens;

use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::sync::OnceCell;

use crate::error::FeedError;

pub use authorize::{Authorization, Callback, Rejected};
pub use session::Session;

/// Who the sandbox is to the institution, as `feedbridge recipient add` registered it.
#[derive(Clone)]
pub struct Recipient {
    /// The institution's public URL, e.g. `http://127.0.0.1:8080`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

/// The parts of the discovery document the sandbox uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    /// Feedbridge's own field: the name its pages and its OFX profile show.
    pub institution_name: Option<String>,
}

/// The institution's authorization server and FDX API, and the sandbox's registration there.
pub struct Client {
    http: reqwest::Client,
    recipient: Recipient,
    redirect_uri: String,
    discovery: OnceCell<Discovery>,
}

impl Client {
    /// A client whose sign-ins come back to `redirect_uri` (registered with the recipient).
    pub fn new(recipient: Recipient, redirect_uri: String) -> anyhow::Result<Self> {
        let issuer = recipient.issuer.trim_end_matches('/').to_owned();
        Url::parse(&issuer)
            .map_err(|e| anyhow::anyhow!("the issuer {issuer:?} is not a URL: {e}"))?;
        Ok(Client {
            http: crate::feed::http_client()?,
            recipient: Recipient {
                issuer,
                ..recipient
            },
            redirect_uri,
            discovery: OnceCell::new(),
        })
    }

    /// The same client with its discovery document already read.
    #[cfg(test)]
    pub fn with_discovery(mut self, discovery: Discovery) -> Self {
        self.discovery = OnceCell::new_with(Some(discovery));
        self
    }

    pub fn issuer(&self) -> &str {
        &self.recipient.issuer
    }

    /// The discovery document, read once it can be. Its `issuer` must be the one configured
    /// (OpenID Connect Discovery §4.3), or tokens could come from anyone.
    async fn discovery(&self) -> Result<&Discovery, FeedError> {
        self.discovery
            .get_or_try_init(|| async {
                let url = format!("{}/.well-known/openid-configuration", self.issuer());
                let found: Discovery = self.read(self.http.get(url)).await?;
                if found.issuer.trim_end_matches('/') != self.issuer() {
                    return Err(FeedError::Invalid(format!(
                        "the discovery document names the issuer {}",
                        found.issuer
                    )));
                }
                Ok(found)
            })
            .await
    }

    /// The institution's display name, from the discovery document.
    pub async fn institution_name(&self) -> Result<String, FeedError> {
        self.discovery()
            .await?
            .institution_name
            .clone()
            .filter(|name| !name.trim().is_empty())
            .ok_or_else(|| {
                FeedError::Invalid("the discovery document has no institution_name".into())
            })
    }

    /// Where "I agree" sends the browser: the hosted sign-in for `authorization`.
    pub async fn authorize_url(&self, authorization: &Authorization) -> Result<String, FeedError> {
        let endpoint = &self.discovery().await?.authorization_endpoint;
        authorization.url(endpoint, &self.recipient.client_id, &self.redirect_uri)
    }

    /// Sends a request and reads a JSON answer; a non-2xx answer becomes the error `refused`
    /// makes of its status and body.
    async fn read<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, FeedError> {
        let answer = request
            .send()
            .await
            .map_err(|e| FeedError::Unreachable(e.without_url().to_string()))?;
        let status = answer.status();
        let bytes = answer
            .bytes()
            .await
            .map_err(|e| FeedError::Unreachable(e.without_url().to_string()))?;
        if !status.is_success() {
            return Err(refused(status.as_u16(), &bytes));
        }
        serde_json::from_slice(&bytes).map_err(|e| FeedError::Invalid(e.to_string()))
    }
}

/// An error answer: OAuth's `{error, error_description}` or FDX's `{code, message}`.
fn refused(status: u16, body: &[u8]) -> FeedError {
    #[derive(Deserialize)]
    struct Body {
        error: Option<String>,
        error_description: Option<String>,
        code: Option<serde_json::Value>,
        message: Option<String>,
    }
    let Ok(body) = serde_json::from_slice::<Body>(body) else {
        return FeedError::Fdx {
            status,
            code: None,
            message: None,
        };
    };
    if let Some(error) = body.error {
        return FeedError::OAuth {
            error,
            description: body.error_description,
        };
    }
    // FDX 5 typed the code as a string; Feedbridge, Plaid and Akoya send an integer.
    let code = body.code.and_then(|c| match c {
        serde_json::Value::String(s) => s.parse().ok(),
        other => other.to_string().parse().ok(),
    });
    FeedError::Fdx {
        status,
        code,
        message: body.message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_both_kinds_are_read() {
        let e = refused(
            401,
            br#"{"code": 602, "message": "The consent has ended."}"#,
        );
        assert!(matches!(
            e,
            FeedError::Fdx {
                status: 401,
                code: Some(602),
                ..
            }
        ));
        let e = refused(400, br#"{"code": "703", "message": "Bad window"}"#);
        assert!(matches!(
            e,
            FeedError::Fdx {
                code: Some(703),
                ..
            }
        ));
        let e = refused(
            400,
            br#"{"error": "invalid_grant", "error_description": "ended"}"#,
        );
        assert!(e.credentials_refused());
        let e = refused(502, b"<html>Bad gateway</html>");
        assert!(matches!(
            e,
            FeedError::Fdx {
                status: 502,
                code: None,
                ..
            }
        ));
    }
}
