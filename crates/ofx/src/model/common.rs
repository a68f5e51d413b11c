//! STATUS and the transaction wrappers every OFX request/response travels in.
//!
//! Clients match responses to requests by `TRNUID`, so the server must echo it; the `STATUS`
//! inside the wrapper is how errors such as 2003 (account not found) are reported per request.

use super::{ofx_enum, opt_string, req_string, req_u32, Aggregate, Wrapped};
use crate::element::Element;
use crate::error::OfxError;
use crate::writer::Writer;

ofx_enum!(
    /// `SEVERITY` of a STATUS.
    Severity { Info = "INFO", Warn = "WARN", Error = "ERROR" }
);

/// `STATUS`: `CODE`, `SEVERITY`, optional `MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub code: u32,
    pub severity: Severity,
    pub message: Option<String>,
}

impl Status {
    /// CODE 0, INFO.
    pub fn ok() -> Self {
        Status {
            code: 0,
            severity: Severity::Info,
            message: None,
        }
    }

    /// An ERROR status with a message (2000, 2003, 15500, ...).
    pub fn error(code: u32, message: impl Into<String>) -> Self {
        Status {
            code,
            severity: Severity::Error,
            message: Some(message.into()),
        }
    }

    /// An INFO status with a message (e.g. 1 = profile up to date).
    pub fn info(code: u32, message: impl Into<String>) -> Self {
        Status {
            code,
            severity: Severity::Info,
            message: Some(message.into()),
        }
    }
}

impl Aggregate for Status {
    const TAG: &'static str = "STATUS";

    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf_u32("CODE", self.code);
        w.leaf("SEVERITY", self.severity.as_str());
        w.opt_leaf("MESSAGE", self.message.as_deref());
        w.end(Self::TAG);
    }

    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(Status {
            code: req_u32(e, "CODE")?,
            severity: Severity::parse("SEVERITY", e.req_text("SEVERITY")?)?,
            message: opt_string(e, "MESSAGE"),
        })
    }
}

/// A `*TRNRQ` wrapper: `TRNUID`, optional `CLTCOOKIE`, then the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrnRq<T> {
    pub trnuid: String,
    pub cltcookie: Option<String>,
    pub rq: T,
}

impl<T: Wrapped> TrnRq<T> {
    pub fn new(trnuid: impl Into<String>, rq: T) -> Self {
        TrnRq {
            trnuid: trnuid.into(),
            cltcookie: None,
            rq,
        }
    }

    pub fn write(&self, w: &mut Writer) {
        w.start(T::WRAPPER);
        w.leaf("TRNUID", &self.trnuid);
        w.opt_leaf("CLTCOOKIE", self.cltcookie.as_deref());
        self.rq.write(w);
        w.end(T::WRAPPER);
    }

    pub fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(TrnRq {
            trnuid: req_string(e, "TRNUID")?,
            cltcookie: opt_string(e, "CLTCOOKIE"),
            rq: super::req_agg(e)?,
        })
    }

    /// A response wrapper answering this request: same `TRNUID` and `CLTCOOKIE`.
    pub fn respond<R>(&self, status: Status, rs: Option<R>) -> TrnRs<R> {
        TrnRs {
            trnuid: self.trnuid.clone(),
            status,
            cltcookie: self.cltcookie.clone(),
            rs,
        }
    }
}

/// A `*TRNRS` wrapper: echoed `TRNUID`, `STATUS`, optional `CLTCOOKIE`, then the response,
/// which is absent when the status is an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrnRs<T> {
    pub trnuid: String,
    pub status: Status,
    pub cltcookie: Option<String>,
    pub rs: Option<T>,
}

impl<T: Wrapped> TrnRs<T> {
    pub fn write(&self, w: &mut Writer) {
        w.start(T::WRAPPER);
        w.leaf("TRNUID", &self.trnuid);
        self.status.write(w);
        w.opt_leaf("CLTCOOKIE", self.cltcookie.as_deref());
        if let Some(rs) = &self.rs {
            rs.write(w);
        }
        w.end(T::WRAPPER);
    }

    pub fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(TrnRs {
            trnuid: req_string(e, "TRNUID")?,
            status: super::req_agg(e)?,
            cltcookie: opt_string(e, "CLTCOOKIE"),
            rs: super::opt_agg(e)?,
        })
    }
}

/// A transaction wrapper of either direction, so the envelope can find and read it generically.
pub(crate) trait Trn: Sized {
    const WRAPPER: &'static str;
    fn read_trn(e: &Element) -> Result<Self, OfxError>;
}

impl<T: Wrapped> Trn for TrnRq<T> {
    const WRAPPER: &'static str = T::WRAPPER;
    fn read_trn(e: &Element) -> Result<Self, OfxError> {
        TrnRq::read(e)
    }
}

impl<T: Wrapped> Trn for TrnRs<T> {
    const WRAPPER: &'static str = T::WRAPPER;
    fn read_trn(e: &Element) -> Result<Self, OfxError> {
        TrnRs::read(e)
    }
}
