//! Sign-on (SONRQ/SONRS) and the MFA challenge aggregates.
//!
//! Every OFX request starts with a sign-on; Feedbridge's one-time credentials arrive as
//! USERID/USERPASS, the "authentication prompt" is the MFA challenge (STATUS 3000, then
//! MFACHALLENGERQ, then MFACHALLENGEA answers), and ACCESSKEY lets later requests skip it.

use jiff::Timestamp;

use super::{
    opt_agg, opt_bool, opt_datetime, opt_string, req_agg, req_datetime, req_string, Aggregate,
    Status, Wrapped,
};
use crate::element::Element;
use crate::error::OfxError;
use crate::writer::Writer;

/// `FI`: the institution's `ORG` and optional `FID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fi {
    pub org: String,
    pub fid: Option<String>,
}

impl Aggregate for Fi {
    const TAG: &'static str = "FI";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf("ORG", &self.org);
        w.opt_leaf("FID", self.fid.as_deref());
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(Fi {
            org: req_string(e, "ORG")?,
            fid: opt_string(e, "FID"),
        })
    }
}

/// `MFACHALLENGEA`: the client's answer to one challenge question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaChallengeAnswer {
    pub phrase_id: String,
    pub answer: String,
}

impl Aggregate for MfaChallengeAnswer {
    const TAG: &'static str = "MFACHALLENGEA";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf("MFAPHRASEID", &self.phrase_id);
        w.leaf("MFAPHRASEA", &self.answer);
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(MfaChallengeAnswer {
            phrase_id: req_string(e, "MFAPHRASEID")?,
            answer: req_string(e, "MFAPHRASEA")?,
        })
    }
}

/// `SONRQ`, fields in OFX order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignonRq {
    pub dtclient: Timestamp,
    pub userid: Option<String>,
    pub userpass: Option<String>,
    pub userkey: Option<String>,
    pub genuserkey: Option<bool>,
    pub language: String,
    pub fi: Option<Fi>,
    pub sesscookie: Option<String>,
    pub appid: String,
    pub appver: String,
    pub clientuid: Option<String>,
    pub usercred1: Option<String>,
    pub usercred2: Option<String>,
    pub authtoken: Option<String>,
    pub accesskey: Option<String>,
    pub mfa_answers: Vec<MfaChallengeAnswer>,
}

impl SignonRq {
    /// A user/password sign-on with the usual defaults (`ENG`, `QWIN` 2700 like ofxtools).
    pub fn new(dtclient: Timestamp, userid: &str, userpass: &str) -> Self {
        SignonRq {
            dtclient,
            userid: Some(userid.to_owned()),
            userpass: Some(userpass.to_owned()),
            userkey: None,
            genuserkey: None,
            language: "ENG".into(),
            fi: None,
            sesscookie: None,
            appid: "QWIN".into(),
            appver: "2700".into(),
            clientuid: None,
            usercred1: None,
            usercred2: None,
            authtoken: None,
            accesskey: None,
            mfa_answers: Vec::new(),
        }
    }

    /// ofxtools' anonymous profile sign-on uses `anonymous` followed by zeros for both fields.
    pub fn is_anonymous(&self) -> bool {
        let anon = |v: &Option<String>| {
            v.as_deref().is_some_and(|s| {
                s.strip_prefix("anonymous")
                    .is_some_and(|rest| rest.bytes().all(|b| b == b'0'))
            })
        };
        anon(&self.userid) && anon(&self.userpass)
    }
}

impl Aggregate for SignonRq {
    const TAG: &'static str = "SONRQ";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf_datetime("DTCLIENT", self.dtclient);
        w.opt_leaf("USERID", self.userid.as_deref());
        w.opt_leaf("USERPASS", self.userpass.as_deref());
        w.opt_leaf("USERKEY", self.userkey.as_deref());
        w.opt_bool("GENUSERKEY", self.genuserkey);
        w.leaf("LANGUAGE", &self.language);
        if let Some(fi) = &self.fi {
            fi.write(w);
        }
        w.opt_leaf("SESSCOOKIE", self.sesscookie.as_deref());
        w.leaf("APPID", &self.appid);
        w.leaf("APPVER", &self.appver);
        w.opt_leaf("CLIENTUID", self.clientuid.as_deref());
        w.opt_leaf("USERCRED1", self.usercred1.as_deref());
        w.opt_leaf("USERCRED2", self.usercred2.as_deref());
        w.opt_leaf("AUTHTOKEN", self.authtoken.as_deref());
        w.opt_leaf("ACCESSKEY", self.accesskey.as_deref());
        for a in &self.mfa_answers {
            a.write(w);
        }
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(SignonRq {
            dtclient: req_datetime(e, "DTCLIENT")?,
            userid: opt_string(e, "USERID"),
            userpass: opt_string(e, "USERPASS"),
            userkey: opt_string(e, "USERKEY"),
            genuserkey: opt_bool(e, "GENUSERKEY")?,
            language: req_string(e, "LANGUAGE")?,
            fi: opt_agg(e)?,
            sesscookie: opt_string(e, "SESSCOOKIE"),
            appid: req_string(e, "APPID")?,
            appver: req_string(e, "APPVER")?,
            clientuid: opt_string(e, "CLIENTUID"),
            usercred1: opt_string(e, "USERCRED1"),
            usercred2: opt_string(e, "USERCRED2"),
            authtoken: opt_string(e, "AUTHTOKEN"),
            accesskey: opt_string(e, "ACCESSKEY"),
            mfa_answers: e
                .children_named(MfaChallengeAnswer::TAG)
                .map(MfaChallengeAnswer::read)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// `SONRS`, fields in OFX order; `intu_bid` is Intuit's `INTU.BID` extension (Web Connect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignonRs {
    pub status: Status,
    pub dtserver: Timestamp,
    pub language: String,
    pub dtprofup: Option<Timestamp>,
    pub dtacctup: Option<Timestamp>,
    pub fi: Option<Fi>,
    pub sesscookie: Option<String>,
    pub accesskey: Option<String>,
    pub intu_bid: Option<String>,
}

impl SignonRs {
    pub fn new(status: Status, dtserver: Timestamp) -> Self {
        SignonRs {
            status,
            dtserver,
            language: "ENG".into(),
            dtprofup: None,
            dtacctup: None,
            fi: None,
            sesscookie: None,
            accesskey: None,
            intu_bid: None,
        }
    }
}

impl Aggregate for SignonRs {
    const TAG: &'static str = "SONRS";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        self.status.write(w);
        w.leaf_datetime("DTSERVER", self.dtserver);
        w.leaf("LANGUAGE", &self.language);
        w.opt_datetime("DTPROFUP", self.dtprofup);
        w.opt_datetime("DTACCTUP", self.dtacctup);
        if let Some(fi) = &self.fi {
            fi.write(w);
        }
        w.opt_leaf("SESSCOOKIE", self.sesscookie.as_deref());
        w.opt_leaf("ACCESSKEY", self.accesskey.as_deref());
        // Proprietary tags go last; ofxtools and ofxparse skip them.
        w.opt_leaf("INTU.BID", self.intu_bid.as_deref());
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(SignonRs {
            status: req_agg(e)?,
            dtserver: req_datetime(e, "DTSERVER")?,
            language: req_string(e, "LANGUAGE")?,
            dtprofup: opt_datetime(e, "DTPROFUP")?,
            dtacctup: opt_datetime(e, "DTACCTUP")?,
            fi: opt_agg(e)?,
            sesscookie: opt_string(e, "SESSCOOKIE"),
            accesskey: opt_string(e, "ACCESSKEY"),
            intu_bid: opt_string(e, "INTU.BID"),
        })
    }
}

/// `MFACHALLENGERQ`: "which questions must I answer?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaChallengeRq {
    pub dtclient: Timestamp,
}

impl Aggregate for MfaChallengeRq {
    const TAG: &'static str = "MFACHALLENGERQ";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf_datetime("DTCLIENT", self.dtclient);
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(MfaChallengeRq {
            dtclient: req_datetime(e, "DTCLIENT")?,
        })
    }
}

impl Wrapped for MfaChallengeRq {
    const WRAPPER: &'static str = "MFACHALLENGETRNRQ";
}

/// One `MFACHALLENGE` question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaChallenge {
    pub phrase_id: String,
    pub label: Option<String>,
}

/// `MFACHALLENGERS`: the questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaChallengeRs {
    pub challenges: Vec<MfaChallenge>,
}

impl Aggregate for MfaChallengeRs {
    const TAG: &'static str = "MFACHALLENGERS";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        for c in &self.challenges {
            w.start("MFACHALLENGE");
            w.leaf("MFAPHRASEID", &c.phrase_id);
            w.opt_leaf("MFAPHRASELABEL", c.label.as_deref());
            w.end("MFACHALLENGE");
        }
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        let challenges = e
            .children_named("MFACHALLENGE")
            .map(|c| {
                Ok(MfaChallenge {
                    phrase_id: req_string(c, "MFAPHRASEID")?,
                    label: opt_string(c, "MFAPHRASELABEL"),
                })
            })
            .collect::<Result<_, OfxError>>()?;
        Ok(MfaChallengeRs { challenges })
    }
}

impl Wrapped for MfaChallengeRs {
    const WRAPPER: &'static str = "MFACHALLENGETRNRS";
}
