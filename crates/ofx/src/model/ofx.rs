//! The `<OFX>` envelope: which message sets a request or response carries.
//!
//! A request is one sign-on plus at most a handful of transactions; the server answers each
//! with a matching `*TRNRS`. Message sets appear in the order ofxtools' `OFX` model expects
//! (signon, signup, bank, credit card, profile).

use super::common::Trn;
use super::{
    req_agg, AcctInfoRq, AcctInfoRs, Aggregate, CcStmtRq, CcStmtRs, MfaChallengeRq, MfaChallengeRs,
    ProfRq, ProfRs, SignonRq, SignonRs, StmtRq, StmtRs, TrnRq, TrnRs,
};
use crate::element::Element;
use crate::error::OfxError;
use crate::writer::Writer;

/// A client's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub signon: SignonRq,
    pub mfa_challenge: Option<TrnRq<MfaChallengeRq>>,
    pub acctinfo: Option<TrnRq<AcctInfoRq>>,
    pub stmt: Vec<TrnRq<StmtRq>>,
    pub ccstmt: Vec<TrnRq<CcStmtRq>>,
    pub profile: Option<TrnRq<ProfRq>>,
}

/// A server's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub signon: SignonRs,
    pub mfa_challenge: Option<TrnRs<MfaChallengeRs>>,
    pub acctinfo: Option<TrnRs<AcctInfoRs>>,
    pub stmt: Vec<TrnRs<StmtRs>>,
    pub ccstmt: Vec<TrnRs<CcStmtRs>>,
    pub profile: Option<TrnRs<ProfRs>>,
}

impl Request {
    /// A sign-on-only request; add transactions by setting the other fields.
    pub fn new(signon: SignonRq) -> Self {
        Request {
            signon,
            mfa_challenge: None,
            acctinfo: None,
            stmt: Vec::new(),
            ccstmt: Vec::new(),
            profile: None,
        }
    }

    /// Writes `<OFX>…</OFX>`.
    pub fn write(&self, w: &mut Writer) {
        w.start("OFX");
        w.start("SIGNONMSGSRQV1");
        self.signon.write(w);
        if let Some(m) = &self.mfa_challenge {
            m.write(w);
        }
        w.end("SIGNONMSGSRQV1");
        msgset(w, "SIGNUPMSGSRQV1", self.acctinfo.as_slice(), TrnRq::write);
        msgset(w, "BANKMSGSRQV1", &self.stmt, TrnRq::write);
        msgset(w, "CREDITCARDMSGSRQV1", &self.ccstmt, TrnRq::write);
        msgset(w, "PROFMSGSRQV1", self.profile.as_slice(), TrnRq::write);
        w.end("OFX");
    }

    /// Reads from the `OFX` root element. Message sets we do not serve are ignored.
    pub fn read(ofx: &Element) -> Result<Self, OfxError> {
        expect_root(ofx)?;
        let signon = ofx
            .child("SIGNONMSGSRQV1")
            .ok_or_else(|| OfxError::Unexpected("no SIGNONMSGSRQV1: not an OFX request".into()))?;
        Ok(Request {
            signon: req_agg(signon)?,
            mfa_challenge: opt_trn(signon)?,
            acctinfo: first_in(ofx, "SIGNUPMSGSRQV1")?,
            stmt: all_in(ofx, "BANKMSGSRQV1")?,
            ccstmt: all_in(ofx, "CREDITCARDMSGSRQV1")?,
            profile: first_in(ofx, "PROFMSGSRQV1")?,
        })
    }
}

impl Response {
    /// A response with only a sign-on; add transactions by setting the other fields.
    pub fn new(signon: SignonRs) -> Self {
        Response {
            signon,
            mfa_challenge: None,
            acctinfo: None,
            stmt: Vec::new(),
            ccstmt: Vec::new(),
            profile: None,
        }
    }

    /// Number of statement transactions, for sizing the output buffer.
    pub fn transaction_count(&self) -> usize {
        let n = |l: Option<&super::BankTranList>| l.map_or(0, |l| l.transactions.len());
        self.stmt
            .iter()
            .filter_map(|t| t.rs.as_ref())
            .map(|s| n(s.tranlist.as_ref()))
            .chain(
                self.ccstmt
                    .iter()
                    .filter_map(|t| t.rs.as_ref())
                    .map(|s| n(s.tranlist.as_ref())),
            )
            .sum()
    }

    /// Writes `<OFX>…</OFX>`.
    pub fn write(&self, w: &mut Writer) {
        w.start("OFX");
        w.start("SIGNONMSGSRSV1");
        self.signon.write(w);
        if let Some(m) = &self.mfa_challenge {
            m.write(w);
        }
        w.end("SIGNONMSGSRSV1");
        msgset(w, "SIGNUPMSGSRSV1", self.acctinfo.as_slice(), TrnRs::write);
        msgset(w, "BANKMSGSRSV1", &self.stmt, TrnRs::write);
        msgset(w, "CREDITCARDMSGSRSV1", &self.ccstmt, TrnRs::write);
        msgset(w, "PROFMSGSRSV1", self.profile.as_slice(), TrnRs::write);
        w.end("OFX");
    }

    /// Reads from the `OFX` root element. Message sets we do not serve are ignored.
    pub fn read(ofx: &Element) -> Result<Self, OfxError> {
        expect_root(ofx)?;
        let signon = ofx
            .child("SIGNONMSGSRSV1")
            .ok_or_else(|| OfxError::Unexpected("no SIGNONMSGSRSV1: not an OFX response".into()))?;
        Ok(Response {
            signon: req_agg(signon)?,
            mfa_challenge: opt_trn(signon)?,
            acctinfo: first_in(ofx, "SIGNUPMSGSRSV1")?,
            stmt: all_in(ofx, "BANKMSGSRSV1")?,
            ccstmt: all_in(ofx, "CREDITCARDMSGSRSV1")?,
            profile: first_in(ofx, "PROFMSGSRSV1")?,
        })
    }
}

fn expect_root(ofx: &Element) -> Result<(), OfxError> {
    if ofx.name == "OFX" {
        Ok(())
    } else {
        Err(OfxError::Unexpected(format!(
            "root element is <{}>, not <OFX>",
            ofx.name
        )))
    }
}

/// Writes a message-set wrapper only when it has content (an empty one is invalid OFX).
fn msgset<T>(w: &mut Writer, tag: &str, items: &[T], write: fn(&T, &mut Writer)) {
    if items.is_empty() {
        return;
    }
    w.start(tag);
    for item in items {
        write(item, w);
    }
    w.end(tag);
}

/// Reads the `W::WRAPPER` transaction directly inside `parent`, if any.
fn opt_trn<W: Trn>(parent: &Element) -> Result<Option<W>, OfxError> {
    parent.child(W::WRAPPER).map(W::read_trn).transpose()
}

/// Reads the first `W::WRAPPER` transaction of message set `set`.
fn first_in<W: Trn>(ofx: &Element, set: &str) -> Result<Option<W>, OfxError> {
    ofx.child(set)
        .and_then(|s| s.child(W::WRAPPER))
        .map(W::read_trn)
        .transpose()
}

/// Reads every `W::WRAPPER` transaction of message set `set`.
fn all_in<W: Trn>(ofx: &Element, set: &str) -> Result<Vec<W>, OfxError> {
    ofx.child(set)
        .map(|s| s.children_named(W::WRAPPER).map(W::read_trn).collect())
        .unwrap_or_else(|| Ok(Vec::new()))
}
