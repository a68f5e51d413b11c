//! Feed failures and the words a user sees for them.
//!
//! QuickBooks does not show raw OFX codes as the headline: credential problems read as "your
//! bank credentials have changed or access was revoked" with a way to reconnect, anything else
//! as a generic connection problem that still names the code so support can act on it.

use thiserror::Error;

/// Why a conversation with the feed failed.
#[derive(Debug, Error)]
pub enum FeedError {
    /// No usable HTTP answer (connection refused, timeout, non-2xx).
    #[error("the feed could not be reached: {0}")]
    Unreachable(String),
    /// An answer that is not the OFX we asked for.
    #[error("the feed answered with something that is not valid OFX: {0}")]
    Invalid(String),
    /// An OFX STATUS other than success.
    #[error("the feed answered OFX status {code}")]
    Status { code: u32, message: Option<String> },
}

/// Sign-on codes that mean the stored credentials or access key no longer work.
const CREDENTIAL_CODES: [u32; 7] = [3000, 15500, 15501, 15502, 15510, 15512, 15513];

/// A failure as shown on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub text: String,
    /// Whether linking again is the way out (offer "Reconnect").
    pub reconnect: bool,
}

impl FeedError {
    /// What to tell the user, naming the institution `bank`.
    pub fn problem(&self, bank: &str) -> Problem {
        match self {
            FeedError::Status { code, .. } if CREDENTIAL_CODES.contains(code) => Problem {
                text: format!(
                    "We couldn't connect to {bank}. Your bank credentials have changed or \
                     access was revoked. (Error {code})"
                ),
                reconnect: true,
            },
            FeedError::Status { code: 3001, .. } => Problem {
                text: format!(
                    "{bank} didn't accept that confirmation code. Check the code and try again. \
                     (Error 3001)"
                ),
                reconnect: false,
            },
            FeedError::Status { code, message } => Problem {
                text: format!(
                    "We couldn't connect to {bank}. Try again later. (Error {code}{})",
                    message
                        .as_deref()
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ),
                reconnect: false,
            },
            FeedError::Unreachable(_) | FeedError::Invalid(_) => Problem {
                text: format!("We couldn't connect to {bank}. Try again later. ({self})"),
                reconnect: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_access_offers_reconnect() {
        let p = FeedError::Status {
            code: 15500,
            message: Some("Invalid user ID or password".into()),
        }
        .problem("Acme Bank");
        assert!(p.reconnect);
        assert!(p.text.starts_with("We couldn't connect to Acme Bank."));
        assert!(p.text.contains("access was revoked"));
    }

    #[test]
    fn other_codes_are_named() {
        let p = FeedError::Status {
            code: 2000,
            message: Some("General error".into()),
        }
        .problem("Acme Bank");
        assert!(!p.reconnect);
        assert!(p.text.contains("(Error 2000: General error)"), "{}", p.text);
    }
}
