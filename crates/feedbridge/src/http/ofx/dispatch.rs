//! Answers one parsed OFX request: sign-on first, then each transaction it carries.

use feedbridge_ofx::{
    AcctInfoRs, CcStmtRs, MfaChallenge, MfaChallengeRs, Request, Response, SignonRs, Status, StmtRs,
};
use feedbridge_store::Credential;

use super::{profile, render};
use crate::domain::feed::pairing::{CODE_PHRASE_ID, CODE_PHRASE_LABEL};
use crate::domain::feed::signon::{Signon, SignonAttempt};
use crate::domain::feed::statements::{Statement, StatementRefusal};
use crate::domain::{DomainResult, Services};

const REFUSED: &str = "Invalid user ID or password.";

pub async fn answer(services: &Services, rq: &Request, address: &str) -> DomainResult<Response> {
    let now = services.now();
    if rq.signon.is_anonymous() {
        return Ok(anonymous(services, rq));
    }
    let s = &rq.signon;
    let attempt = SignonAttempt {
        username: s.userid.as_deref().unwrap_or_default(),
        password: s.userpass.as_deref().unwrap_or_default(),
        access_key: s.accesskey.as_deref(),
        code_answer: s.mfa_answers.first().map(|a| a.answer.as_str()),
        wants_challenge: rq.mfa_challenge.is_some(),
        address,
    };
    let refuse = |status: Status| Response::new(SignonRs::new(status, now));
    Ok(match services.sign_on(&attempt).await? {
        Signon::Accepted {
            credential,
            new_access_key,
        } => {
            let mut sonrs = SignonRs::new(Status::ok(), now);
            sonrs.accesskey = new_access_key;
            serve(services, rq, &credential, sonrs).await?
        }
        Signon::PromptRequired => refuse(Status::error(
            3000,
            "Enter the confirmation code shown next to your credentials.",
        )),
        Signon::WrongCode => refuse(Status::error(3001, "The confirmation code is not valid.")),
        Signon::Challenge => challenge(rq, now),
        Signon::Refused => refuse(Status::error(15500, REFUSED)),
        Signon::AddressBlocked => refuse(Status::error(
            15502,
            "Too many failed sign-ons; try again later.",
        )),
    })
}

/// ofxtools fetches the profile with an anonymous sign-on; nothing else is served that way.
fn anonymous(services: &Services, rq: &Request) -> Response {
    let now = services.now();
    let wants_data = rq.acctinfo.is_some() || !rq.stmt.is_empty() || !rq.ccstmt.is_empty();
    if wants_data {
        return Response::new(SignonRs::new(Status::error(15500, REFUSED), now));
    }
    let mut resp = Response::new(SignonRs::new(Status::ok(), now));
    resp.profile = rq.profile.as_ref().map(|p| profile::answer(services, p));
    resp
}

fn challenge(rq: &Request, now: jiff::Timestamp) -> Response {
    let mut resp = Response::new(SignonRs::new(Status::ok(), now));
    resp.mfa_challenge = rq.mfa_challenge.as_ref().map(|m| {
        m.respond(
            Status::ok(),
            Some(MfaChallengeRs {
                challenges: vec![MfaChallenge {
                    phrase_id: CODE_PHRASE_ID.into(),
                    label: Some(CODE_PHRASE_LABEL.into()),
                }],
            }),
        )
    });
    resp
}

async fn serve(
    services: &Services,
    rq: &Request,
    credential: &Credential,
    sonrs: SignonRs,
) -> DomainResult<Response> {
    let mut resp = Response::new(sonrs);
    resp.profile = rq.profile.as_ref().map(|p| profile::answer(services, p));
    if let Some(info) = &rq.acctinfo {
        let accounts = services.feed_accounts(credential).await?;
        resp.acctinfo = Some(
            info.respond(
                Status::ok(),
                Some(AcctInfoRs {
                    dtacctup: services.now(),
                    accounts: accounts
                        .iter()
                        .map(|(name, a)| render::acct_info(services, name, a))
                        .collect(),
                }),
            ),
        );
    }
    for trn in &rq.stmt {
        let (acctid, inc) = (&trn.rq.account.acctid, trn.rq.inctran.as_ref());
        let (status, statement) = statement(services, credential, acctid, inc).await;
        let rs = statement.map(|(s, with_list)| {
            let (tranlist, bal) = render::tail(services, &s, with_list);
            StmtRs {
                curdef: currency(&s),
                account: trn.rq.account.clone(),
                tranlist,
                ledgerbal: bal,
                availbal: Some(bal),
            }
        });
        resp.stmt.push(trn.respond(status, rs));
    }
    for trn in &rq.ccstmt {
        let (acctid, inc) = (&trn.rq.account.acctid, trn.rq.inctran.as_ref());
        let (status, statement) = statement(services, credential, acctid, inc).await;
        let rs = statement.map(|(s, with_list)| {
            let (tranlist, bal) = render::tail(services, &s, with_list);
            CcStmtRs {
                curdef: currency(&s),
                account: trn.rq.account.clone(),
                tranlist,
                ledgerbal: bal,
                availbal: Some(bal),
            }
        });
        resp.ccstmt.push(trn.respond(status, rs));
    }
    Ok(resp)
}

fn currency(s: &Statement) -> String {
    s.account.currency.clone().unwrap_or_else(|| "USD".into())
}

/// One statement transaction's status and content; a failure answers this transaction only.
async fn statement(
    services: &Services,
    credential: &Credential,
    acctid: &str,
    inctran: Option<&feedbridge_ofx::IncTran>,
) -> (Status, Option<(Statement, bool)>) {
    let (start, end) = inctran.map_or((None, None), |i| (i.dtstart, i.dtend));
    let with_list = inctran.is_some_and(|i| i.include);
    match services
        .feed_statement(credential, acctid, start, end)
        .await
    {
        Ok(Ok(s)) => (Status::ok(), Some((s, with_list))),
        Ok(Err(StatementRefusal::NoAccount)) => (Status::error(2003, "Account not found."), None),
        Ok(Err(StatementRefusal::InvalidRange)) => {
            (Status::error(2020, "DTSTART is after DTEND."), None)
        }
        Err(e) => {
            tracing::error!(error = %e, "statement failed");
            (Status::error(2000, "General error."), None)
        }
    }
}
