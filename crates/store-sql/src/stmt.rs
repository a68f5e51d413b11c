//! Statements with their bound values, built the same way for every backend.

use jiff::Timestamp;

/// One value bound to a statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Bytes(Option<Vec<u8>>),
    /// A list of texts, bound however the dialect's id-list statements expect it (a JSON array
    /// for SQLite's `json_each`, an array for PostgreSQL's `= ANY`).
    TextList(Vec<String>),
}

/// A statement and its parameters, `$1`, `$2`, … in order. The text is `'static`: a statement is
/// written into the source, never assembled from values, which are always bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub sql: &'static str,
    pub args: Vec<Arg>,
}

impl Stmt {
    pub fn new(sql: &'static str) -> Self {
        Self {
            sql,
            args: Vec::new(),
        }
    }

    fn arg(mut self, arg: Arg) -> Self {
        self.args.push(arg);
        self
    }

    /// Binds text: ids and enums by their stored spelling (`Display`), strings as they are.
    pub fn text(self, value: impl ToString) -> Self {
        self.arg(Arg::Text(Some(value.to_string())))
    }

    pub fn opt_text(self, value: Option<impl ToString>) -> Self {
        self.arg(Arg::Text(value.map(|v| v.to_string())))
    }

    pub fn int(self, value: i64) -> Self {
        self.arg(Arg::Int(Some(value)))
    }

    pub fn opt_int(self, value: Option<i64>) -> Self {
        self.arg(Arg::Int(value))
    }

    /// Binds a timestamp in its stored form, microseconds since the Unix epoch.
    pub fn ts(self, value: Timestamp) -> Self {
        self.int(value.as_microsecond())
    }

    pub fn opt_ts(self, value: Option<Timestamp>) -> Self {
        self.opt_int(value.map(|t| t.as_microsecond()))
    }

    pub fn bytes(self, value: impl Into<Vec<u8>>) -> Self {
        self.arg(Arg::Bytes(Some(value.into())))
    }

    pub fn opt_bytes(self, value: Option<impl Into<Vec<u8>>>) -> Self {
        self.arg(Arg::Bytes(value.map(Into::into)))
    }

    pub fn list(self, values: Vec<String>) -> Self {
        self.arg(Arg::TextList(values))
    }
}
