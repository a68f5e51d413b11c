//! The OFX feed: talking to the institution's OFX Direct Connect endpoint over HTTP, the only
//! thing the sandbox knows of it in this mode.
//!
//! Requests go out as OFX 1.0.2 SGML, the version QuickBooks speaks; every answer's sign-on
//! STATUS is checked first, then the STATUS of the transaction that carries the data.

mod accounts;
mod requests;
mod session;

use feedbridge_ofx::{
    parse_response, write_request, Header, MfaChallenge, MfaChallengeAnswer, Request, Response,
    TrnRs,
};
use jiff::Timestamp;
use reqwest::header::{ACCEPT, CONTENT_TYPE};

use crate::error::FeedError;
use crate::feed::Offered;
use requests::StatementAsk;

pub use requests::Credentials;
pub use session::Session;

/// The institution's feed endpoint.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    url: String,
}

/// A sign-in waiting for its confirmation code: the typed credentials and what the institution
/// asked.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub credentials: Credentials,
    pub challenges: Vec<MfaChallenge>,
}

/// What a sign-in led to.
pub enum SignIn {
    /// Signed in without a prompt: the session and the accounts that can be linked.
    Done(Session, Vec<Offered>),
    /// The institution asks for a confirmation code first.
    Challenge(Challenge),
}

impl Client {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        Ok(Client {
            http: crate::feed::http_client()?,
            url: url.to_owned(),
        })
    }

    /// Sends one request and returns the answer if its sign-on succeeded.
    async fn exchange(&self, request: &Request) -> Result<Response, FeedError> {
        let body = write_request(&Header::sgml_102(), request);
        let answer = self
            .http
            .post(&self.url)
            .header(CONTENT_TYPE, "application/x-ofx")
            .header(ACCEPT, "application/x-ofx")
            .body(body)
            .send()
            .await
            .map_err(|e| FeedError::Unreachable(e.without_url().to_string()))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(FeedError::Unreachable(format!("HTTP {status}")));
        }
        let bytes = answer
            .bytes()
            .await
            .map_err(|e| FeedError::Unreachable(e.without_url().to_string()))?;
        let response = parse_response(&bytes)
            .map_err(|e| FeedError::Invalid(e.to_string()))?
            .message;
        check(&response.signon.status)?;
        Ok(response)
    }

    /// The institution's name from its OFX profile (`FINAME`).
    pub async fn institution_name(&self) -> Result<String, FeedError> {
        let response = self.exchange(&requests::profile(Timestamp::now())).await?;
        Ok(data(response.profile, "PROFRS")?.finame)
    }

    /// Signs on and lists the accounts, or fetches the challenge when the institution wants
    /// its confirmation code first (STATUS 3000).
    pub async fn sign_in(&self, credentials: Credentials) -> Result<SignIn, FeedError> {
        let now = Timestamp::now();
        match self
            .exchange(&requests::account_list(&credentials, now))
            .await
        {
            Ok(response) => {
                let accounts = data(response.acctinfo, "ACCTINFORS")?.accounts;
                let (session, offered) = Session::new(self.clone(), credentials, &accounts);
                Ok(SignIn::Done(session, offered))
            }
            Err(FeedError::Status { code: 3000, .. }) => {
                let response = self
                    .exchange(&requests::challenge(&credentials, now))
                    .await?;
                let challenges = data(response.mfa_challenge, "MFACHALLENGERS")?.challenges;
                Ok(SignIn::Challenge(Challenge {
                    credentials,
                    challenges,
                }))
            }
            Err(e) => Err(e),
        }
    }

    /// Answers the challenge; the session keeps the credentials completed with the ACCESSKEY.
    pub async fn answer(
        &self,
        challenge: &Challenge,
        answers: Vec<MfaChallengeAnswer>,
    ) -> Result<(Session, Vec<Offered>), FeedError> {
        let now = Timestamp::now();
        let credentials = &challenge.credentials;
        let response = self
            .exchange(&requests::answer(credentials, answers, now))
            .await?;
        let completed = Credentials {
            accesskey: response.signon.accesskey.or(credentials.accesskey.clone()),
            ..credentials.clone()
        };
        // A server may verify the answer without serving the rest of that request.
        let acctinfo = match response.acctinfo {
            Some(a) => a,
            None => self
                .exchange(&requests::account_list(&completed, now))
                .await?
                .acctinfo
                .ok_or_else(|| FeedError::Invalid("no ACCTINFORS in the answer".into()))?,
        };
        let accounts = data(Some(acctinfo), "ACCTINFORS")?.accounts;
        Ok(Session::new(self.clone(), completed, &accounts))
    }

    /// Downloads the statements; per-account failures stay in each `*TRNRS` STATUS.
    async fn statements(
        &self,
        credentials: &Credentials,
        asks: &[StatementAsk],
        now: Timestamp,
    ) -> Result<Response, FeedError> {
        self.exchange(&requests::statements(credentials, asks, now))
            .await
    }
}

/// Turns a non-success STATUS into an error. Code 1 ("up to date") is informational.
pub fn check(status: &feedbridge_ofx::Status) -> Result<(), FeedError> {
    match status.code {
        0 | 1 => Ok(()),
        code => Err(FeedError::Status {
            code,
            message: status.message.clone(),
        }),
    }
}

/// The payload of a transaction response, or why there is none.
fn data<T>(trn: Option<TrnRs<T>>, what: &str) -> Result<T, FeedError> {
    let trn = trn.ok_or_else(|| FeedError::Invalid(format!("no {what} in the answer")))?;
    check(&trn.status)?;
    trn.rs
        .ok_or_else(|| FeedError::Invalid(format!("no {what} in the answer")))
}
