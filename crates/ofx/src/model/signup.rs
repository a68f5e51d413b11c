//! Account discovery: ACCTINFORQ/ACCTINFORS (OFX signup message set).
//!
//! `ofxget acctinfo` and `stmt --all`, QuickBooks' "add account" step and ofxclient's
//! `accounts()` all start here: the server lists the connection's accounts as BANKACCTINFO or
//! CCACCTINFO with SVCSTATUS (ofxget keeps only ACTIVE ones).

use jiff::Timestamp;

use super::{ofx_enum, opt_string, req_agg, req_bool, req_datetime, Aggregate, Wrapped};
use super::{BankAcctFrom, CcAcctFrom};
use crate::element::Element;
use crate::error::OfxError;
use crate::writer::Writer;

ofx_enum!(
    /// `SVCSTATUS`: available, pending, active.
    SvcStatus { Avail = "AVAIL", Pend = "PEND", Active = "ACTIVE" }
);

/// The service flags common to BANKACCTINFO and CCACCTINFO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcctService {
    pub suptxdl: bool,
    pub xfersrc: bool,
    pub xferdest: bool,
    pub svcstatus: SvcStatus,
}

impl AcctService {
    /// Statement download supported, no transfers, ACTIVE: what a read-only feed offers.
    pub fn download_only() -> Self {
        AcctService {
            suptxdl: true,
            xfersrc: false,
            xferdest: false,
            svcstatus: SvcStatus::Active,
        }
    }

    fn write(&self, w: &mut Writer) {
        w.leaf_bool("SUPTXDL", self.suptxdl);
        w.leaf_bool("XFERSRC", self.xfersrc);
        w.leaf_bool("XFERDEST", self.xferdest);
        w.leaf("SVCSTATUS", self.svcstatus.as_str());
    }

    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(AcctService {
            suptxdl: req_bool(e, "SUPTXDL")?,
            xfersrc: req_bool(e, "XFERSRC")?,
            xferdest: req_bool(e, "XFERDEST")?,
            svcstatus: SvcStatus::parse("SVCSTATUS", e.req_text("SVCSTATUS")?)?,
        })
    }
}

/// Which kind of account an ACCTINFO describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountInfoKind {
    /// `BANKACCTINFO`.
    Bank(BankAcctFrom, AcctService),
    /// `CCACCTINFO`.
    CreditCard(CcAcctFrom, AcctService),
}

/// `ACCTINFO`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcctInfo {
    pub desc: Option<String>,
    pub phone: Option<String>,
    pub kind: AccountInfoKind,
}

impl Aggregate for AcctInfo {
    const TAG: &'static str = "ACCTINFO";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.opt_leaf("DESC", self.desc.as_deref());
        w.opt_leaf("PHONE", self.phone.as_deref());
        match &self.kind {
            AccountInfoKind::Bank(from, svc) => {
                w.start("BANKACCTINFO");
                from.write(w);
                svc.write(w);
                w.end("BANKACCTINFO");
            }
            AccountInfoKind::CreditCard(from, svc) => {
                w.start("CCACCTINFO");
                from.write(w);
                svc.write(w);
                w.end("CCACCTINFO");
            }
        }
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        let kind = if let Some(b) = e.child("BANKACCTINFO") {
            AccountInfoKind::Bank(req_agg(b)?, AcctService::read(b)?)
        } else if let Some(c) = e.child("CCACCTINFO") {
            AccountInfoKind::CreditCard(req_agg(c)?, AcctService::read(c)?)
        } else {
            return Err(OfxError::Missing {
                parent: Self::TAG.into(),
                name: "BANKACCTINFO or CCACCTINFO",
            });
        };
        Ok(AcctInfo {
            desc: opt_string(e, "DESC"),
            phone: opt_string(e, "PHONE"),
            kind,
        })
    }
}

/// `ACCTINFORQ`: "accounts changed since `dtacctup`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcctInfoRq {
    pub dtacctup: Timestamp,
}

impl Aggregate for AcctInfoRq {
    const TAG: &'static str = "ACCTINFORQ";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf_datetime("DTACCTUP", self.dtacctup);
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(AcctInfoRq {
            dtacctup: req_datetime(e, "DTACCTUP")?,
        })
    }
}

impl Wrapped for AcctInfoRq {
    const WRAPPER: &'static str = "ACCTINFOTRNRQ";
}

/// `ACCTINFORS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcctInfoRs {
    pub dtacctup: Timestamp,
    pub accounts: Vec<AcctInfo>,
}

impl Aggregate for AcctInfoRs {
    const TAG: &'static str = "ACCTINFORS";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf_datetime("DTACCTUP", self.dtacctup);
        for a in &self.accounts {
            a.write(w);
        }
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(AcctInfoRs {
            dtacctup: req_datetime(e, "DTACCTUP")?,
            accounts: e
                .children_named(AcctInfo::TAG)
                .map(AcctInfo::read)
                .collect::<Result<_, _>>()?,
        })
    }
}

impl Wrapped for AcctInfoRs {
    const WRAPPER: &'static str = "ACCTINFOTRNRS";
}
