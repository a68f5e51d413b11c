//! A push as the institution sent it, before any rule ran: every field optional, amounts already
//! exact decimals, and any field that could not be read recorded as a problem to report.

use jiff::civil::DateTime;
use rust_decimal::Decimal;

use super::rules::Validator;

/// The body of a create-bank-transactions request.
#[derive(Debug, Clone, Default)]
pub struct PushInput {
    /// `accountId` of the body; it must repeat the path's account id.
    pub account_id: Option<String>,
    pub transactions: Vec<TransactionInput>,
}

/// One transaction as sent.
#[derive(Debug, Clone, Default)]
pub struct TransactionInput {
    pub id: Option<String>,
    pub date: Option<String>,
    pub description: Option<String>,
    pub amount: Option<Decimal>,
    pub balance: Option<Decimal>,
    pub transaction_type: Option<String>,
    pub counterparty: Option<String>,
    pub reference: Option<String>,
    /// Fields that were present but unusable.
    pub problems: Vec<FieldProblem>,
}

/// A field that was sent but could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub validator: Validator,
    pub message: String,
}

/// Reads a transaction `date` as a local date-time: `2023-08-22`, `2023-08-22T10:21:00`, with
/// optional fractions; a `Z` or `±hh:mm` suffix is dropped, since only the local part counts.
pub fn local_date_time(text: &str) -> Option<DateTime> {
    let text = text.trim();
    let local = match text.find('T').or_else(|| text.find(' ')) {
        Some(t) => {
            let (date, time) = text.split_at(t);
            let end = time[1..]
                .find(['Z', 'z', '+', '-'])
                .map_or(time.len(), |i| i + 1);
            format!("{date}T{}", &time[1..end])
        }
        None => text.to_owned(),
    };
    local.parse::<DateTime>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_ignored_and_dates_alone_are_midnight() {
        let expect: DateTime = "2023-08-22T10:21:00".parse().unwrap();
        for text in [
            "2023-08-22T10:21:00",
            "2023-08-22T10:21:00Z",
            "2023-08-22T10:21:00+05:30",
            "2023-08-22T10:21:00-08:00",
        ] {
            assert_eq!(local_date_time(text), Some(expect), "{text}");
        }
        let fraction = local_date_time("2022-09-01T10:21:57.0807447Z").unwrap();
        assert_eq!(fraction.second(), 57);
        let midnight = local_date_time("2023-08-22").unwrap();
        assert_eq!(midnight, "2023-08-22T00:00:00".parse().unwrap());
        for bad in [
            "",
            "yesterday",
            "2023-13-01",
            "2023-02-30T00:00:00",
            "2023-08-22T25:00:00",
        ] {
            assert_eq!(local_date_time(bad), None, "{bad}");
        }
    }
}
