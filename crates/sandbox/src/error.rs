//! Feed failures and the words a user sees for them.
//!
//! QuickBooks does not show raw codes as the headline: credential problems read as "your bank
//! credentials have changed or access was revoked" with a way to reconnect, anything else as a
//! generic connection problem that still names the code so support can act on it. The same
//! wording serves both feeds; only which codes mean "credentials refused" differs (OFX sign-on
//! codes, FDX's HTTP 401 with code 602, or a refresh grant the institution no longer honours).

use thiserror::Error;

/// Why a conversation with the feed failed.
#[derive(Debug, Error)]
pub enum FeedError {
    /// No usable HTTP answer (connection refused, timeout, an unexpected status).
    #[error("the feed could not be reached: {0}")]
    Unreachable(String),
    /// An answer that is not what was asked for.
    #[error("the feed's answer could not be read: {0}")]
    Invalid(String),
    /// An OFX STATUS other than success.
    #[error("the feed answered OFX status {code}")]
    Status { code: u32, message: Option<String> },
    /// An FDX error answer (`{code, message}`) of the resource API.
    #[error("the FDX API answered HTTP {status}")]
    Fdx {
        status: u16,
        code: Option<u32>,
        message: Option<String>,
    },
    /// An OAuth error (RFC 6749 §4.1.2.1, §5.2) of the sign-in or the token endpoint.
    #[error("the authorization server answered {error}")]
    OAuth {
        error: String,
        description: Option<String>,
    },
}

/// OFX sign-on codes that mean the stored credentials or access key no longer work.
const CREDENTIAL_CODES: [u32; 7] = [3000, 15500, 15501, 15502, 15510, 15512, 15513];

/// FDX's code for a token that is missing, expired or whose consent ended.
const NOT_AUTHORIZED: u32 = 602;

/// A failure as shown on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub text: String,
    /// Whether linking again is the way out (offer "Reconnect").
    pub reconnect: bool,
}

impl Problem {
    /// A message that needs no code, e.g. a field left empty.
    pub fn plain(text: impl Into<String>) -> Self {
        Problem {
            text: text.into(),
            reconnect: false,
        }
    }
}

impl FeedError {
    /// Whether the institution refused the stored credentials or tokens: only linking again
    /// helps.
    pub fn credentials_refused(&self) -> bool {
        match self {
            FeedError::Status { code, .. } => CREDENTIAL_CODES.contains(code),
            FeedError::Fdx { status, code, .. } => *status == 401 || *code == Some(NOT_AUTHORIZED),
            FeedError::OAuth { error, .. } => error == "invalid_grant",
            FeedError::Unreachable(_) | FeedError::Invalid(_) => false,
        }
    }

    /// Whether the failure concerns the whole link rather than one account: the pull stops.
    pub fn whole_link(&self) -> bool {
        self.credentials_refused() || matches!(self, FeedError::Unreachable(_))
    }

    /// The code support needs: OFX's STATUS, FDX's code (else the HTTP status), OAuth's error.
    fn code(&self) -> Option<String> {
        match self {
            FeedError::Status { code, .. } => Some(code.to_string()),
            FeedError::Fdx { status, code, .. } => {
                Some(code.unwrap_or(u32::from(*status)).to_string())
            }
            FeedError::OAuth { error, .. } => Some(error.clone()),
            FeedError::Unreachable(_) | FeedError::Invalid(_) => None,
        }
    }

    /// "Error 2000: General error": the code and the institution's words for it, if any.
    pub fn detail(&self) -> Option<String> {
        let message = match self {
            FeedError::Status { message, .. } | FeedError::Fdx { message, .. } => message,
            FeedError::OAuth { description, .. } => description,
            FeedError::Unreachable(_) | FeedError::Invalid(_) => &None,
        };
        let code = self.code()?;
        Some(match message.as_deref() {
            Some(m) if !m.is_empty() => format!("Error {code}: {m}"),
            _ => format!("Error {code}"),
        })
    }

    /// What to tell the user, naming the institution `bank`.
    pub fn problem(&self, bank: &str) -> Problem {
        if self.credentials_refused() {
            return Problem {
                text: format!(
                    "We couldn't connect to {bank}. Your bank credentials have changed or \
                     access was revoked. (Error {})",
                    self.code().unwrap_or_default()
                ),
                reconnect: true,
            };
        }
        let text = match (self, self.detail()) {
            (FeedError::Status { code: 3001, .. }, _) => format!(
                "{bank} didn't accept that confirmation code. Check the code and try again. \
                 (Error 3001)"
            ),
            (_, Some(detail)) => {
                format!("We couldn't connect to {bank}. Try again later. ({detail})")
            }
            (_, None) => format!("We couldn't connect to {bank}. Try again later. ({self})"),
        };
        Problem::plain(text)
    }

    /// The line shown on one account when only its pull failed.
    pub fn account_problem(&self) -> String {
        match self.detail() {
            Some(detail) => {
                format!("The bank couldn't send this account's transactions ({detail}).")
            }
            None => format!("The bank's answer for this account was unusable ({self})."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fdx(status: u16, code: u32, message: &str) -> FeedError {
        FeedError::Fdx {
            status,
            code: Some(code),
            message: Some(message.into()),
        }
    }

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
        assert!(p.text.ends_with("(Error 15500)"), "{}", p.text);
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

    #[test]
    fn an_ended_fdx_consent_is_the_credential_error() {
        let p = fdx(401, 602, "The consent has ended.").problem("Acme Bank");
        assert!(p.reconnect);
        assert!(p.text.contains("access was revoked"), "{}", p.text);
        assert!(p.text.ends_with("(Error 602)"), "{}", p.text);
        let refused = FeedError::OAuth {
            error: "invalid_grant".into(),
            description: Some("the grant has ended".into()),
        }
        .problem("Acme Bank");
        assert!(refused.reconnect);
        assert!(
            refused.text.ends_with("(Error invalid_grant)"),
            "{}",
            refused.text
        );
    }

    #[test]
    fn other_fdx_failures_say_try_again_with_the_fdx_code() {
        let p = fdx(503, 503, "Briefly unavailable; retry shortly.").problem("Acme Bank");
        assert!(!p.reconnect);
        assert_eq!(
            p.text,
            "We couldn't connect to Acme Bank. Try again later. \
             (Error 503: Briefly unavailable; retry shortly.)"
        );
        let bare = FeedError::Fdx {
            status: 502,
            code: None,
            message: None,
        };
        assert!(bare.problem("Acme Bank").text.ends_with("(Error 502)"));
        let client = FeedError::OAuth {
            error: "invalid_client".into(),
            description: None,
        };
        assert!(!client.credentials_refused());
    }

    #[test]
    fn an_account_of_its_own_names_its_code() {
        let line = fdx(409, 705, "The institution disconnected the account.").account_problem();
        assert_eq!(
            line,
            "The bank couldn't send this account's transactions \
             (Error 705: The institution disconnected the account.)."
        );
    }
}
