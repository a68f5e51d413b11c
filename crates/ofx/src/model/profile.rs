//! The FI profile: PROFRQ/PROFRS.
//!
//! ofxtools sends PROFRQ (with an anonymous sign-on) before every command and takes the
//! statement URL from `MSGSETLIST`, so we serve a minimal but complete profile: sign-on,
//! signup, bank, credit-card and profile message sets sharing one `MSGSETCORE`, and one
//! `SIGNONINFO` realm. Element order follows ofxtools' models (OFX 2.2 §7).

use jiff::Timestamp;

use super::{
    opt_bool, opt_string, req_bool, req_datetime, req_string, req_u32, Aggregate, Wrapped,
};
use crate::element::Element;
use crate::error::OfxError;
use crate::writer::Writer;

/// `PROFRQ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfRq {
    /// `CLIENTROUTING`: NONE, SERVICE or MSGSET.
    pub clientrouting: String,
    /// The `DTPROFUP` of the profile the client has cached (1990 when it has none).
    pub dtprofup: Timestamp,
}

impl Aggregate for ProfRq {
    const TAG: &'static str = "PROFRQ";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf("CLIENTROUTING", &self.clientrouting);
        w.leaf_datetime("DTPROFUP", self.dtprofup);
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(ProfRq {
            clientrouting: req_string(e, "CLIENTROUTING")?,
            dtprofup: req_datetime(e, "DTPROFUP")?,
        })
    }
}

impl Wrapped for ProfRq {
    const WRAPPER: &'static str = "PROFTRNRQ";
}

/// `MSGSETCORE`, shared by every message set we advertise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgSetCore {
    pub ver: u32,
    /// Where clients post requests for this message set (our `/ofx` URL).
    pub url: String,
    pub ofxsec: String,
    /// `Y` when `url` is HTTPS.
    pub transpsec: bool,
    pub signonrealm: String,
    pub language: String,
    pub syncmode: String,
    pub respfileer: bool,
}

impl MsgSetCore {
    fn write(&self, w: &mut Writer) {
        w.start("MSGSETCORE");
        w.leaf_u32("VER", self.ver);
        w.leaf("URL", &self.url);
        w.leaf("OFXSEC", &self.ofxsec);
        w.leaf_bool("TRANSPSEC", self.transpsec);
        w.leaf("SIGNONREALM", &self.signonrealm);
        w.leaf("LANGUAGE", &self.language);
        w.leaf("SYNCMODE", &self.syncmode);
        w.leaf_bool("RESPFILEER", self.respfileer);
        w.end("MSGSETCORE");
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(MsgSetCore {
            ver: req_u32(e, "VER")?,
            url: req_string(e, "URL")?,
            ofxsec: req_string(e, "OFXSEC")?,
            transpsec: req_bool(e, "TRANSPSEC")?,
            signonrealm: req_string(e, "SIGNONREALM")?,
            language: req_string(e, "LANGUAGE")?,
            syncmode: req_string(e, "SYNCMODE")?,
            respfileer: req_bool(e, "RESPFILEER")?,
        })
    }
}

/// Which optional message sets the profile advertises (sign-on and profile always are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MsgSets {
    pub signup: bool,
    pub bank: bool,
    pub creditcard: bool,
}

/// `SIGNONINFO`: password rules and MFA flags for the realm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignonInfo {
    pub signonrealm: String,
    pub min: u32,
    pub max: u32,
    /// ALPHAONLY, NUMERICONLY, ALPHAORNUMERIC or ALPHAANDNUMERIC.
    pub chartype: String,
    pub casesen: bool,
    pub special: bool,
    pub spaces: bool,
    pub pinch: bool,
    pub chgpinfirst: Option<bool>,
    pub clientuidreq: Option<bool>,
    pub mfachallengesupt: Option<bool>,
    pub mfachallengefirst: Option<bool>,
}

impl SignonInfo {
    fn write(&self, w: &mut Writer) {
        w.start("SIGNONINFO");
        w.leaf("SIGNONREALM", &self.signonrealm);
        w.leaf_u32("MIN", self.min);
        w.leaf_u32("MAX", self.max);
        w.leaf("CHARTYPE", &self.chartype);
        w.leaf_bool("CASESEN", self.casesen);
        w.leaf_bool("SPECIAL", self.special);
        w.leaf_bool("SPACES", self.spaces);
        w.leaf_bool("PINCH", self.pinch);
        w.opt_bool("CHGPINFIRST", self.chgpinfirst);
        w.opt_bool("CLIENTUIDREQ", self.clientuidreq);
        w.opt_bool("MFACHALLENGESUPT", self.mfachallengesupt);
        w.opt_bool("MFACHALLENGEFIRST", self.mfachallengefirst);
        w.end("SIGNONINFO");
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(SignonInfo {
            signonrealm: req_string(e, "SIGNONREALM")?,
            min: req_u32(e, "MIN")?,
            max: req_u32(e, "MAX")?,
            chartype: req_string(e, "CHARTYPE")?,
            casesen: req_bool(e, "CASESEN")?,
            special: req_bool(e, "SPECIAL")?,
            spaces: req_bool(e, "SPACES")?,
            pinch: req_bool(e, "PINCH")?,
            chgpinfirst: opt_bool(e, "CHGPINFIRST")?,
            clientuidreq: opt_bool(e, "CLIENTUIDREQ")?,
            mfachallengesupt: opt_bool(e, "MFACHALLENGESUPT")?,
            mfachallengefirst: opt_bool(e, "MFACHALLENGEFIRST")?,
        })
    }
}

/// `PROFRS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfRs {
    pub core: MsgSetCore,
    pub msgsets: MsgSets,
    pub signoninfo: SignonInfo,
    pub dtprofup: Timestamp,
    pub finame: String,
    pub addr1: String,
    pub city: String,
    pub state: String,
    pub postalcode: String,
    /// ISO 3166 alpha-3, e.g. `USA`.
    pub country: String,
    pub csphone: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
}

impl Aggregate for ProfRs {
    const TAG: &'static str = "PROFRS";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.start("MSGSETLIST");
        let set = |w: &mut Writer, outer: &str, inner: &str, extra: &dyn Fn(&mut Writer)| {
            w.start(outer);
            w.start(inner);
            self.core.write(w);
            extra(w);
            w.end(inner);
            w.end(outer);
        };
        set(w, "SIGNONMSGSET", "SIGNONMSGSETV1", &|_| {});
        if self.msgsets.signup {
            set(w, "SIGNUPMSGSET", "SIGNUPMSGSETV1", &|w| {
                w.start("CLIENTENROLL");
                w.leaf_bool("ACCTREQUIRED", false);
                w.end("CLIENTENROLL");
                w.leaf_bool("CHGUSERINFO", false);
                w.leaf_bool("AVAILACCTS", true);
                w.leaf_bool("CLIENTACTREQ", false);
            });
        }
        if self.msgsets.bank {
            set(w, "BANKMSGSET", "BANKMSGSETV1", &|w| {
                w.leaf_bool("CLOSINGAVAIL", false);
                w.start("EMAILPROF");
                w.leaf_bool("CANEMAIL", false);
                w.leaf_bool("CANNOTIFY", false);
                w.end("EMAILPROF");
            });
        }
        if self.msgsets.creditcard {
            set(w, "CREDITCARDMSGSET", "CREDITCARDMSGSETV1", &|w| {
                w.leaf_bool("CLOSINGAVAIL", false);
            });
        }
        set(w, "PROFMSGSET", "PROFMSGSETV1", &|_| {});
        w.end("MSGSETLIST");
        w.start("SIGNONINFOLIST");
        self.signoninfo.write(w);
        w.end("SIGNONINFOLIST");
        w.leaf_datetime("DTPROFUP", self.dtprofup);
        w.leaf("FINAME", &self.finame);
        w.leaf("ADDR1", &self.addr1);
        w.leaf("CITY", &self.city);
        w.leaf("STATE", &self.state);
        w.leaf("POSTALCODE", &self.postalcode);
        w.leaf("COUNTRY", &self.country);
        w.opt_leaf("CSPHONE", self.csphone.as_deref());
        w.opt_leaf("URL", self.url.as_deref());
        w.opt_leaf("EMAIL", self.email.as_deref());
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        let list = e.req("MSGSETLIST")?;
        // Every message set carries a MSGSETCORE; take the first one's.
        let core = list
            .children
            .iter()
            .filter_map(|set| set.children.first())
            .find_map(|v1| v1.child("MSGSETCORE"))
            .ok_or(OfxError::Missing {
                parent: "MSGSETLIST".into(),
                name: "MSGSETCORE",
            })?;
        Ok(ProfRs {
            core: MsgSetCore::read(core)?,
            msgsets: MsgSets {
                signup: list.child("SIGNUPMSGSET").is_some(),
                bank: list.child("BANKMSGSET").is_some(),
                creditcard: list.child("CREDITCARDMSGSET").is_some(),
            },
            signoninfo: SignonInfo::read(e.req("SIGNONINFOLIST")?.req("SIGNONINFO")?)?,
            dtprofup: req_datetime(e, "DTPROFUP")?,
            finame: req_string(e, "FINAME")?,
            addr1: req_string(e, "ADDR1")?,
            city: req_string(e, "CITY")?,
            state: req_string(e, "STATE")?,
            postalcode: req_string(e, "POSTALCODE")?,
            country: req_string(e, "COUNTRY")?,
            csphone: opt_string(e, "CSPHONE"),
            url: opt_string(e, "URL"),
            email: opt_string(e, "EMAIL"),
        })
    }
}

impl Wrapped for ProfRs {
    const WRAPPER: &'static str = "PROFTRNRS";
}
