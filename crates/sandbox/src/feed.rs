//! Talking to the institution's OFX feed over HTTP, the only thing the sandbox knows of it.
//!
//! Requests go out as OFX 1.0.2 SGML, the version QuickBooks speaks; every answer's sign-on
//! STATUS is checked first, then the STATUS of the transaction that carries the data.

use std::time::Duration;

use feedbridge_ofx::{
    parse_response, write_request, AcctInfo, Header, MfaChallenge, MfaChallengeAnswer, Request,
    Response, TrnRs,
};
use jiff::Timestamp;
use reqwest::header::{ACCEPT, CONTENT_TYPE};

use crate::error::FeedError;
use crate::requests::{self, Credentials, StatementAsk};

/// How long one feed request may take before the page reports the institution unreachable.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The institution's feed endpoint.
#[derive(Debug, Clone)]
pub struct Feed {
    http: reqwest::Client,
    url: String,
}

/// What a sign-in led to.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// Signed in without a prompt: the accounts that can be linked.
    Accounts(Vec<AcctInfo>),
    /// The institution asks for a confirmation code first.
    Challenge(Vec<MfaChallenge>),
}

impl Feed {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!("feedbridge-sandbox/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Feed {
            http,
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
    pub async fn sign_in(&self, credentials: &Credentials) -> Result<SignIn, FeedError> {
        let now = Timestamp::now();
        match self
            .exchange(&requests::account_list(credentials, now))
            .await
        {
            Ok(response) => Ok(SignIn::Accounts(
                data(response.acctinfo, "ACCTINFORS")?.accounts,
            )),
            Err(FeedError::Status { code: 3000, .. }) => {
                let response = self
                    .exchange(&requests::challenge(credentials, now))
                    .await?;
                let challenges = data(response.mfa_challenge, "MFACHALLENGERS")?.challenges;
                Ok(SignIn::Challenge(challenges))
            }
            Err(e) => Err(e),
        }
    }

    /// Answers the challenge; returns the credentials completed with the ACCESSKEY and the
    /// accounts that can be linked.
    pub async fn answer(
        &self,
        credentials: &Credentials,
        answers: Vec<MfaChallengeAnswer>,
    ) -> Result<(Credentials, Vec<AcctInfo>), FeedError> {
        let now = Timestamp::now();
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
        Ok((completed, accounts))
    }

    /// Downloads the statements; per-account failures stay in each `*TRNRS` STATUS.
    pub async fn statements(
        &self,
        credentials: &Credentials,
        asks: &[StatementAsk],
    ) -> Result<Response, FeedError> {
        self.exchange(&requests::statements(credentials, asks, Timestamp::now()))
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
