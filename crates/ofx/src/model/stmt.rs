//! Bank and credit-card statements: STMTRQ/STMTRS, CCSTMTRQ/CCSTMTRS and their parts.
//!
//! This is what a statement download carries and the hot path of the feed: writing goes
//! field by field into the shared buffer, in the order ofxtools validates (OFX 2.2 §11.4).

use jiff::Timestamp;
use rust_decimal::Decimal;

use super::{
    ofx_enum, opt_agg, opt_bool, opt_datetime, opt_string, req_agg, req_bool, req_datetime,
    req_decimal, req_string, Aggregate, Wrapped,
};
use crate::element::Element;
use crate::error::OfxError;
use crate::writer::Writer;

ofx_enum!(
    /// `ACCTTYPE` of a bank account.
    AcctType { Checking = "CHECKING", Savings = "SAVINGS", MoneyMrkt = "MONEYMRKT", CreditLine = "CREDITLINE", Cd = "CD" }
);

ofx_enum!(
    /// `TRNTYPE` of a statement transaction.
    TrnType {
        Credit = "CREDIT", Debit = "DEBIT", Int = "INT", Div = "DIV", Fee = "FEE",
        SrvChg = "SRVCHG", Dep = "DEP", Atm = "ATM", Pos = "POS", Xfer = "XFER",
        Check = "CHECK", Payment = "PAYMENT", Cash = "CASH", DirectDep = "DIRECTDEP",
        DirectDebit = "DIRECTDEBIT", RepeatPmt = "REPEATPMT", Hold = "HOLD", Other = "OTHER",
    }
);

impl TrnType {
    /// CREDIT for money in, DEBIT for money out: the fallback when the type is unknown.
    pub fn by_sign(amount: Decimal) -> Self {
        if amount.is_sign_negative() {
            TrnType::Debit
        } else {
            TrnType::Credit
        }
    }
}

/// `BANKACCTFROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAcctFrom {
    pub bankid: String,
    pub branchid: Option<String>,
    pub acctid: String,
    pub accttype: AcctType,
    pub acctkey: Option<String>,
}

impl Aggregate for BankAcctFrom {
    const TAG: &'static str = "BANKACCTFROM";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf("BANKID", &self.bankid);
        w.opt_leaf("BRANCHID", self.branchid.as_deref());
        w.leaf("ACCTID", &self.acctid);
        w.leaf("ACCTTYPE", self.accttype.as_str());
        w.opt_leaf("ACCTKEY", self.acctkey.as_deref());
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(BankAcctFrom {
            bankid: req_string(e, "BANKID")?,
            branchid: opt_string(e, "BRANCHID"),
            acctid: req_string(e, "ACCTID")?,
            accttype: AcctType::parse("ACCTTYPE", e.req_text("ACCTTYPE")?)?,
            acctkey: opt_string(e, "ACCTKEY"),
        })
    }
}

/// `CCACCTFROM` (cards have no bank id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CcAcctFrom {
    pub acctid: String,
    pub acctkey: Option<String>,
}

impl Aggregate for CcAcctFrom {
    const TAG: &'static str = "CCACCTFROM";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf("ACCTID", &self.acctid);
        w.opt_leaf("ACCTKEY", self.acctkey.as_deref());
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(CcAcctFrom {
            acctid: req_string(e, "ACCTID")?,
            acctkey: opt_string(e, "ACCTKEY"),
        })
    }
}

/// `INCTRAN`: the requested date range and whether to include transactions at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncTran {
    pub dtstart: Option<Timestamp>,
    pub dtend: Option<Timestamp>,
    pub include: bool,
}

impl Aggregate for IncTran {
    const TAG: &'static str = "INCTRAN";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.opt_datetime("DTSTART", self.dtstart);
        w.opt_datetime("DTEND", self.dtend);
        w.leaf_bool("INCLUDE", self.include);
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(IncTran {
            dtstart: opt_datetime(e, "DTSTART")?,
            dtend: opt_datetime(e, "DTEND")?,
            include: req_bool(e, "INCLUDE")?,
        })
    }
}

/// `STMTRQ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StmtRq {
    pub account: BankAcctFrom,
    pub inctran: Option<IncTran>,
    pub includepending: Option<bool>,
}

impl Aggregate for StmtRq {
    const TAG: &'static str = "STMTRQ";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        self.account.write(w);
        if let Some(i) = &self.inctran {
            i.write(w);
        }
        w.opt_bool("INCLUDEPENDING", self.includepending);
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(StmtRq {
            account: req_agg(e)?,
            inctran: opt_agg(e)?,
            includepending: opt_bool(e, "INCLUDEPENDING")?,
        })
    }
}

impl Wrapped for StmtRq {
    const WRAPPER: &'static str = "STMTTRNRQ";
}

/// `CCSTMTRQ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CcStmtRq {
    pub account: CcAcctFrom,
    pub inctran: Option<IncTran>,
    pub includepending: Option<bool>,
}

impl Aggregate for CcStmtRq {
    const TAG: &'static str = "CCSTMTRQ";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        self.account.write(w);
        if let Some(i) = &self.inctran {
            i.write(w);
        }
        w.opt_bool("INCLUDEPENDING", self.includepending);
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(CcStmtRq {
            account: req_agg(e)?,
            inctran: opt_agg(e)?,
            includepending: opt_bool(e, "INCLUDEPENDING")?,
        })
    }
}

impl Wrapped for CcStmtRq {
    const WRAPPER: &'static str = "CCSTMTTRNRQ";
}

/// `STMTTRN`: one transaction. `trnamt` is signed (negative = money out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StmtTrn {
    pub trntype: TrnType,
    pub dtposted: Timestamp,
    pub dtuser: Option<Timestamp>,
    pub dtavail: Option<Timestamp>,
    pub trnamt: Decimal,
    pub fitid: String,
    pub correctfitid: Option<String>,
    pub checknum: Option<String>,
    pub refnum: Option<String>,
    pub name: Option<String>,
    pub memo: Option<String>,
}

impl Aggregate for StmtTrn {
    const TAG: &'static str = "STMTTRN";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf("TRNTYPE", self.trntype.as_str());
        w.leaf_datetime("DTPOSTED", self.dtposted);
        w.opt_datetime("DTUSER", self.dtuser);
        w.opt_datetime("DTAVAIL", self.dtavail);
        w.leaf_decimal("TRNAMT", self.trnamt);
        w.leaf("FITID", &self.fitid);
        w.opt_leaf("CORRECTFITID", self.correctfitid.as_deref());
        w.opt_leaf("CHECKNUM", self.checknum.as_deref());
        w.opt_leaf("REFNUM", self.refnum.as_deref());
        w.opt_leaf("NAME", self.name.as_deref());
        w.opt_leaf("MEMO", self.memo.as_deref());
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(StmtTrn {
            trntype: TrnType::parse("TRNTYPE", e.req_text("TRNTYPE")?)?,
            dtposted: req_datetime(e, "DTPOSTED")?,
            dtuser: opt_datetime(e, "DTUSER")?,
            dtavail: opt_datetime(e, "DTAVAIL")?,
            trnamt: req_decimal(e, "TRNAMT")?,
            fitid: req_string(e, "FITID")?,
            correctfitid: opt_string(e, "CORRECTFITID"),
            checknum: opt_string(e, "CHECKNUM"),
            refnum: opt_string(e, "REFNUM"),
            name: opt_string(e, "NAME"),
            memo: opt_string(e, "MEMO"),
        })
    }
}

/// `BANKTRANLIST`: `dtend` is what the client should send as its next `DTSTART`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankTranList {
    pub dtstart: Timestamp,
    pub dtend: Timestamp,
    pub transactions: Vec<StmtTrn>,
}

impl Aggregate for BankTranList {
    const TAG: &'static str = "BANKTRANLIST";
    fn write(&self, w: &mut Writer) {
        w.start(Self::TAG);
        w.leaf_datetime("DTSTART", self.dtstart);
        w.leaf_datetime("DTEND", self.dtend);
        for t in &self.transactions {
            t.write(w);
        }
        w.end(Self::TAG);
    }
    fn read(e: &Element) -> Result<Self, OfxError> {
        Ok(BankTranList {
            dtstart: req_datetime(e, "DTSTART")?,
            dtend: req_datetime(e, "DTEND")?,
            transactions: e
                .children_named(StmtTrn::TAG)
                .map(StmtTrn::read)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// `LEDGERBAL` / `AVAILBAL` content: amount and as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub amount: Decimal,
    pub dtasof: Timestamp,
}

impl Balance {
    fn write_as(&self, w: &mut Writer, tag: &str) {
        w.start(tag);
        w.leaf_decimal("BALAMT", self.amount);
        w.leaf_datetime("DTASOF", self.dtasof);
        w.end(tag);
    }
    fn read_from(e: &Element) -> Result<Self, OfxError> {
        Ok(Balance {
            amount: req_decimal(e, "BALAMT")?,
            dtasof: req_datetime(e, "DTASOF")?,
        })
    }
}

/// The shared tail of STMTRS and CCSTMTRS after the account aggregate.
fn write_tail(
    w: &mut Writer,
    list: Option<&BankTranList>,
    ledger: &Balance,
    avail: Option<&Balance>,
) {
    if let Some(l) = list {
        l.write(w);
    }
    ledger.write_as(w, "LEDGERBAL");
    if let Some(a) = avail {
        a.write_as(w, "AVAILBAL");
    }
}

type Tail = (Option<BankTranList>, Balance, Option<Balance>);

fn read_tail(e: &Element) -> Result<Tail, OfxError> {
    Ok((
        opt_agg(e)?,
        Balance::read_from(e.req("LEDGERBAL")?)?,
        e.child("AVAILBAL").map(Balance::read_from).transpose()?,
    ))
}

macro_rules! statement_rs {
    ($(#[$m:meta])* $name:ident, $tag:literal, $wrapper:literal, $acct:ty) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            /// ISO 4217 currency, e.g. `USD`.
            pub curdef: String,
            pub account: $acct,
            pub tranlist: Option<BankTranList>,
            pub ledgerbal: Balance,
            pub availbal: Option<Balance>,
        }

        impl Aggregate for $name {
            const TAG: &'static str = $tag;
            fn write(&self, w: &mut Writer) {
                w.start(Self::TAG);
                w.leaf("CURDEF", &self.curdef);
                self.account.write(w);
                write_tail(w, self.tranlist.as_ref(), &self.ledgerbal, self.availbal.as_ref());
                w.end(Self::TAG);
            }
            fn read(e: &Element) -> Result<Self, OfxError> {
                let (tranlist, ledgerbal, availbal) = read_tail(e)?;
                Ok($name {
                    curdef: req_string(e, "CURDEF")?,
                    account: req_agg(e)?,
                    tranlist,
                    ledgerbal,
                    availbal,
                })
            }
        }

        impl Wrapped for $name {
            const WRAPPER: &'static str = $wrapper;
        }
    };
}

statement_rs!(
    /// `STMTRS`: a bank statement.
    StmtRs, "STMTRS", "STMTTRNRS", BankAcctFrom
);
statement_rs!(
    /// `CCSTMTRS`: a credit-card statement.
    CcStmtRs, "CCSTMTRS", "CCSTMTTRNRS", CcAcctFrom
);
