//! How amounts and dates read on the pages.
//!
//! Amounts keep their exact decimal value (never a float) and are grouped by thousands with
//! the currency's symbol where one is common; dates are shown as ISO days in UTC.

use jiff::Timestamp;
use rust_decimal::Decimal;

/// `1234.5` in `USD` → `$1,234.50`; negative amounts get a leading minus.
pub fn money(amount: Decimal, currency: &str) -> String {
    let rounded = amount.round_dp(2);
    let text = format!("{:.2}", rounded.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    match symbol(currency) {
        Some(s) => format!("{sign}{s}{grouped}.{cents}"),
        None => format!("{sign}{grouped}.{cents} {currency}"),
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "USD" | "CAD" | "AUD" | "NZD" | "" => Some("$"),
        "GBP" => Some("£"),
        "EUR" => Some("€"),
        _ => None,
    }
}

/// The UTC day of a timestamp, `YYYY-MM-DD`.
pub fn day(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d").to_string()
}

/// Date and time in UTC, for "last updated".
pub fn moment(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_keeps_cents_exact() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(money(d("1234.5"), "USD"), "$1,234.50");
        assert_eq!(money(d("-1000000.01"), "USD"), "-$1,000,000.01");
        assert_eq!(money(d("12"), "GBP"), "£12.00");
        assert_eq!(money(d("999.999"), "CHF"), "1,000.00 CHF");
        assert_eq!(money(d("0.10"), "EUR"), "€0.10");
    }
}
