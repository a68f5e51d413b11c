//! The OFX requests the sandbox sends, built as plain values so their bytes can be checked
//! without a server.
//!
//! They follow what a Direct Connect client does: an anonymous sign-on for the profile, a
//! user/password sign-on for account discovery, the MFA challenge round trip, and statement
//! downloads that carry the ACCESSKEY obtained from the challenge.

use feedbridge_ofx::{
    AcctInfoRq, BankAcctFrom, CcAcctFrom, CcStmtRq, IncTran, MfaChallengeAnswer, MfaChallengeRq,
    ProfRq, Request, SignonRq, StmtRq, TrnRq,
};
use jiff::Timestamp;

/// What ofxtools sends as both user id and password when asking for the profile.
const ANONYMOUS: &str = "anonymous00000000000000000000000";

/// The sign-on material the accounting platform keeps for a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub userid: String,
    pub userpass: String,
    /// Returned by the institution once the confirmation code was answered.
    pub accesskey: Option<String>,
}

/// One account to download, with the range to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementAsk {
    pub trnuid: String,
    pub account: AccountRef,
    pub dtstart: Timestamp,
    pub dtend: Timestamp,
}

/// How an account is addressed in a statement request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRef {
    Bank(BankAcctFrom),
    Card(CcAcctFrom),
}

impl AccountRef {
    /// A stable identity for matching the same account across account lists.
    pub fn key(&self) -> String {
        match self {
            AccountRef::Bank(b) => format!("bank:{}:{}", b.bankid, b.acctid),
            AccountRef::Card(c) => format!("card:{}", c.acctid),
        }
    }

    /// The account number as the institution reports it.
    pub fn number(&self) -> &str {
        match self {
            AccountRef::Bank(b) => &b.acctid,
            AccountRef::Card(c) => &c.acctid,
        }
    }
}

/// A fresh transaction id; the server echoes it so answers can be matched to questions.
pub fn new_trnuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn signon(credentials: &Credentials, now: Timestamp) -> SignonRq {
    let mut rq = SignonRq::new(now, &credentials.userid, &credentials.userpass);
    rq.accesskey.clone_from(&credentials.accesskey);
    rq
}

/// PROFRQ with the anonymous sign-on, asking for the whole profile.
pub fn profile(now: Timestamp) -> Request {
    let mut rq = Request::new(SignonRq::new(now, ANONYMOUS, ANONYMOUS));
    rq.profile = Some(TrnRq::new(
        new_trnuid(),
        ProfRq {
            clientrouting: "NONE".into(),
            dtprofup: Timestamp::UNIX_EPOCH,
        },
    ));
    rq
}

/// Sign-on plus ACCTINFORQ for every account the user can link.
pub fn account_list(credentials: &Credentials, now: Timestamp) -> Request {
    let mut rq = Request::new(signon(credentials, now));
    rq.acctinfo = Some(TrnRq::new(
        new_trnuid(),
        AcctInfoRq {
            dtacctup: Timestamp::UNIX_EPOCH,
        },
    ));
    rq
}

/// Sign-on plus MFACHALLENGERQ, sent after the server answered 3000.
pub fn challenge(credentials: &Credentials, now: Timestamp) -> Request {
    let mut rq = Request::new(signon(credentials, now));
    rq.mfa_challenge = Some(TrnRq::new(new_trnuid(), MfaChallengeRq { dtclient: now }));
    rq
}

/// Sign-on carrying the answers to the challenge, plus ACCTINFORQ so the accounts come back in
/// the same round trip.
pub fn answer(
    credentials: &Credentials,
    answers: Vec<MfaChallengeAnswer>,
    now: Timestamp,
) -> Request {
    let mut rq = account_list(credentials, now);
    rq.signon.mfa_answers = answers;
    rq
}

/// Sign-on plus one STMTRQ or CCSTMTRQ per account.
pub fn statements(credentials: &Credentials, asks: &[StatementAsk], now: Timestamp) -> Request {
    let mut rq = Request::new(signon(credentials, now));
    for ask in asks {
        let inctran = Some(IncTran {
            dtstart: Some(ask.dtstart),
            dtend: Some(ask.dtend),
            include: true,
        });
        match &ask.account {
            AccountRef::Bank(account) => rq.stmt.push(TrnRq::new(
                ask.trnuid.clone(),
                StmtRq {
                    account: account.clone(),
                    inctran,
                    includepending: None,
                },
            )),
            AccountRef::Card(account) => rq.ccstmt.push(TrnRq::new(
                ask.trnuid.clone(),
                CcStmtRq {
                    account: account.clone(),
                    inctran,
                    includepending: None,
                },
            )),
        }
    }
    rq
}

#[cfg(test)]
mod tests {
    use feedbridge_ofx::{parse_request, write_request, Header};

    use super::*;

    fn creds(accesskey: Option<&str>) -> Credentials {
        Credentials {
            userid: "FB-USER".into(),
            userpass: "secret pass".into(),
            accesskey: accesskey.map(str::to_owned),
        }
    }

    /// Writes the request as the sandbox sends it and reads it back as a server would.
    fn round_trip(rq: &Request) -> Request {
        let bytes = write_request(&Header::sgml_102(), rq);
        assert!(bytes.starts_with(b"OFXHEADER:100"));
        parse_request(&bytes).unwrap().message
    }

    #[test]
    fn profile_request_signs_on_anonymously() {
        let rq = round_trip(&profile(Timestamp::now()));
        assert!(rq.signon.is_anonymous());
        assert_eq!(rq.profile.unwrap().rq.clientrouting, "NONE");
    }

    #[test]
    fn answer_carries_the_code_and_asks_for_accounts() {
        let answers = vec![MfaChallengeAnswer {
            phrase_id: "MFA107".into(),
            answer: "123456".into(),
        }];
        let rq = round_trip(&answer(&creds(None), answers.clone(), Timestamp::now()));
        assert_eq!(rq.signon.userid.as_deref(), Some("FB-USER"));
        assert_eq!(rq.signon.userpass.as_deref(), Some("secret pass"));
        assert_eq!(rq.signon.mfa_answers, answers);
        assert!(rq.acctinfo.is_some());
        assert!(rq.mfa_challenge.is_none());
    }

    #[test]
    fn challenge_request_has_the_challenge_transaction() {
        let rq = round_trip(&challenge(&creds(None), Timestamp::now()));
        assert!(rq.mfa_challenge.is_some());
        assert!(rq.signon.accesskey.is_none());
    }

    #[test]
    fn statements_use_the_access_key_and_each_accounts_range() {
        let start: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let end: Timestamp = "2024-01-07T12:30:00Z".parse().unwrap();
        let bank = BankAcctFrom {
            bankid: "123456789".into(),
            branchid: None,
            acctid: "0001111".into(),
            accttype: feedbridge_ofx::AcctType::Savings,
            acctkey: None,
        };
        let card = CcAcctFrom {
            acctid: "4111222".into(),
            acctkey: None,
        };
        let asks = [
            StatementAsk {
                trnuid: "t-bank".into(),
                account: AccountRef::Bank(bank.clone()),
                dtstart: start,
                dtend: end,
            },
            StatementAsk {
                trnuid: "t-card".into(),
                account: AccountRef::Card(card.clone()),
                dtstart: end,
                dtend: end,
            },
        ];
        let rq = round_trip(&statements(&creds(Some("KEY-1")), &asks, end));
        assert_eq!(rq.signon.accesskey.as_deref(), Some("KEY-1"));
        assert_eq!(rq.stmt.len(), 1);
        assert_eq!(rq.stmt[0].trnuid, "t-bank");
        assert_eq!(rq.stmt[0].rq.account, bank);
        let inctran = rq.stmt[0].rq.inctran.clone().unwrap();
        assert_eq!((inctran.dtstart, inctran.dtend), (Some(start), Some(end)));
        assert!(inctran.include);
        assert_eq!(rq.ccstmt.len(), 1);
        assert_eq!(rq.ccstmt[0].trnuid, "t-card");
        assert_eq!(rq.ccstmt[0].rq.account, card);
    }
}
