//! Data recipients as the institution registers them (`feedbridge recipient …`): a name shown
//! on the consent page, exact redirect URIs, and a client secret shown once and kept only as a
//! keyed hash.

use feedbridge_store::{Recipient, RecipientId, StoreError};

use crate::domain::{secrets, DomainError, DomainResult, Services};

/// A recipient just registered, with its secret (shown once).
#[derive(Debug)]
pub struct Registered {
    pub recipient: Recipient,
    pub secret: String,
}

const NAME_MAX: usize = 100;

impl Services {
    pub async fn add_recipient(
        &self,
        name: &str,
        redirect_uris: &[String],
    ) -> DomainResult<Registered> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > NAME_MAX {
            return Err(DomainError::Invalid(format!(
                "the recipient's name must be 1 to {NAME_MAX} characters"
            )));
        }
        check_redirect_uris(redirect_uris)?;
        let secret = secrets::client_secret();
        let recipient = Recipient {
            id: RecipientId::new(),
            name: name.to_owned(),
            secret_hash: self.recipient_secret_hash(&secret),
            redirect_uris: redirect_uris.to_vec(),
            created: self.now(),
        };
        self.store.insert_recipient(&recipient).await?;
        Ok(Registered { recipient, secret })
    }

    pub async fn list_recipients(&self) -> DomainResult<Vec<Recipient>> {
        Ok(self.store.list_recipients().await?)
    }

    /// Removes a recipient; its consents end with it.
    pub async fn remove_recipient(&self, id: &str) -> DomainResult<()> {
        let id = recipient_id(id)?;
        self.store
            .delete_recipient(id)
            .await
            .map_err(|e| unknown(e, id))
    }

    /// A new client secret; the old one stops working at once.
    pub async fn rotate_recipient_secret(&self, id: &str) -> DomainResult<String> {
        let id = recipient_id(id)?;
        let secret = secrets::client_secret();
        self.store
            .set_recipient_secret(id, &self.recipient_secret_hash(&secret))
            .await
            .map_err(|e| unknown(e, id))?;
        Ok(secret)
    }

    /// Replaces a recipient's redirect URIs, as when its callback moves. Sign-ins that started
    /// earlier return to the URI they were checked against then.
    pub async fn set_recipient_redirect_uris(
        &self,
        id: &str,
        redirect_uris: &[String],
    ) -> DomainResult<()> {
        let id = recipient_id(id)?;
        check_redirect_uris(redirect_uris)?;
        self.store
            .set_recipient_redirect_uris(id, redirect_uris)
            .await
            .map_err(|e| unknown(e, id))
    }

    pub(crate) fn recipient_secret_hash(&self, secret: &str) -> Vec<u8> {
        self.keys
            .oauth
            .mac(&[b"recipient secret", secret.as_bytes()])
            .to_vec()
    }
}

fn recipient_id(raw: &str) -> DomainResult<RecipientId> {
    raw.trim()
        .parse()
        .map_err(|_| DomainError::NotFound(format!("no recipient has the client_id {raw:?}")))
}

fn unknown(e: StoreError, id: RecipientId) -> DomainError {
    match e {
        StoreError::NotFound => {
            DomainError::NotFound(format!("no recipient has the client_id {id}"))
        }
        other => other.into(),
    }
}

fn check_redirect_uris(redirect_uris: &[String]) -> DomainResult<()> {
    if redirect_uris.is_empty() {
        return Err(DomainError::Invalid(
            "give at least one --redirect-uri".into(),
        ));
    }
    redirect_uris
        .iter()
        .try_for_each(|uri| check_redirect_uri(uri))
}

/// A redirect URI must be absolute, without a fragment (RFC 6749 §3.1.2), and use https unless
/// it points at this machine (a recipient's local test set-up).
fn check_redirect_uri(uri: &str) -> DomainResult<()> {
    let invalid = |why: &str| DomainError::Invalid(format!("redirect URI {uri:?} {why}"));
    let parsed = url::Url::parse(uri).map_err(|_| invalid("is not an absolute URL"))?;
    if parsed.fragment().is_some() {
        return Err(invalid("must not have a fragment"));
    }
    let local = match parsed.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if local => Ok(()),
        _ => Err(invalid("must use https (http only for localhost)")),
    }
}

#[cfg(test)]
mod tests {
    use super::check_redirect_uri;

    #[test]
    fn redirect_uris_are_https_or_local_and_have_no_fragment() {
        for ok in [
            "https://app.example.com/callback",
            "http://127.0.0.1:8765/cb",
            "http://localhost/cb?x=1",
            "http://[::1]:9/cb",
        ] {
            assert!(check_redirect_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/cb",
            "https://app.example.com/cb#frag",
            "/relative",
            "javascript:alert(1)",
            "http://10.0.0.1/cb",
        ] {
            assert!(check_redirect_uri(bad).is_err(), "{bad}");
        }
    }
}
