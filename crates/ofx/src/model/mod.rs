//! Typed OFX messages and their conversion to and from the wire.
//!
//! Each aggregate we serve or send is a plain struct implementing [`Aggregate`]: `write` emits
//! it through the streaming [`Writer`] in OFX spec element order (ofxtools rejects any other
//! order), `read` builds it from a parsed [`Element`]. Message sets we do not implement are
//! ignored when reading.

mod common;
mod ofx;
mod profile;
mod signon;
mod signup;
mod stmt;

pub use common::{Severity, Status, TrnRq, TrnRs};
pub use ofx::{Request, Response};
pub use profile::{MsgSetCore, MsgSets, ProfRq, ProfRs, SignonInfo};
pub use signon::{
    Fi, MfaChallenge, MfaChallengeAnswer, MfaChallengeRq, MfaChallengeRs, SignonRq, SignonRs,
};
pub use signup::{AccountInfoKind, AcctInfo, AcctInfoRq, AcctInfoRs, AcctService, SvcStatus};
pub use stmt::{
    AcctType, Balance, BankAcctFrom, BankTranList, CcAcctFrom, CcStmtRq, CcStmtRs, IncTran, StmtRq,
    StmtRs, StmtTrn, TrnType,
};

use crate::element::Element;
use crate::error::OfxError;
use crate::writer::Writer;

/// An OFX aggregate with a fixed tag.
pub trait Aggregate: Sized {
    /// The element name, e.g. `STMTRS`.
    const TAG: &'static str;
    /// Writes `<TAG>…</TAG>`.
    fn write(&self, w: &mut Writer);
    /// Reads from the element named `TAG`.
    fn read(e: &Element) -> Result<Self, OfxError>;
}

/// A request or response aggregate carried in a `*TRNRQ` / `*TRNRS` wrapper.
pub trait Wrapped: Aggregate {
    /// The request-side or response-side wrapper tag, e.g. `STMTTRNRQ`.
    const WRAPPER: &'static str;
}

// Small readers shared by the model modules; they keep each `read` a flat list of fields.

pub(crate) fn opt_string(e: &Element, name: &str) -> Option<String> {
    e.text_of(name).map(str::to_owned)
}

pub(crate) fn req_string(e: &Element, name: &'static str) -> Result<String, OfxError> {
    e.req_text(name).map(str::to_owned)
}

pub(crate) fn req_datetime(e: &Element, name: &'static str) -> Result<jiff::Timestamp, OfxError> {
    crate::datetime::parse_datetime(name, e.req_text(name)?)
}

pub(crate) fn opt_datetime(e: &Element, name: &str) -> Result<Option<jiff::Timestamp>, OfxError> {
    e.text_of(name)
        .map(|t| crate::datetime::parse_datetime(name, t))
        .transpose()
}

pub(crate) fn req_decimal(
    e: &Element,
    name: &'static str,
) -> Result<rust_decimal::Decimal, OfxError> {
    let raw = e.req_text(name)?;
    // Some European FIs write a decimal comma; the OFX spec allows it (§3.2.9.1).
    let normalized = raw.replace(',', ".");
    normalized
        .parse()
        .map_err(|_| OfxError::invalid(name, raw, "not a decimal amount"))
}

pub(crate) fn req_u32(e: &Element, name: &'static str) -> Result<u32, OfxError> {
    let raw = e.req_text(name)?;
    raw.parse()
        .map_err(|_| OfxError::invalid(name, raw, "not a non-negative integer"))
}

pub(crate) fn parse_bool(name: &str, raw: &str) -> Result<bool, OfxError> {
    match raw {
        "Y" => Ok(true),
        "N" => Ok(false),
        _ => Err(OfxError::invalid(name, raw, "expected Y or N")),
    }
}

pub(crate) fn req_bool(e: &Element, name: &'static str) -> Result<bool, OfxError> {
    parse_bool(name, e.req_text(name)?)
}

pub(crate) fn opt_bool(e: &Element, name: &str) -> Result<Option<bool>, OfxError> {
    e.text_of(name).map(|t| parse_bool(name, t)).transpose()
}

/// Reads an optional sub-aggregate.
pub(crate) fn opt_agg<T: Aggregate>(e: &Element) -> Result<Option<T>, OfxError> {
    e.child(T::TAG).map(T::read).transpose()
}

/// Reads a required sub-aggregate.
pub(crate) fn req_agg<T: Aggregate>(e: &Element) -> Result<T, OfxError> {
    T::read(e.req(T::TAG)?)
}

/// Declares a fieldless enum with its OFX spellings and `as_str`/`parse`.
macro_rules! ofx_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every variant, in declaration order (handy for property tests).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(element: &str, raw: &str) -> Result<Self, crate::error::OfxError> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::error::OfxError::invalid(element, raw, concat!("not a known ", stringify!($name)))),
                }
            }
        }
    };
}
pub(crate) use ofx_enum;
