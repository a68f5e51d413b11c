//! OFX date-times: `YYYYMMDD[HHMM[SS[.XXX]]][[+|-]H[.MM][:TZNAME]]`.
//!
//! Clients send anything from a bare date (`20240101`) to a full stamp with a zone
//! (`20240102120000.000[-5:EST]`); we normalise to a `jiff::Timestamp` and always write UTC as
//! `YYYYMMDDHHMMSS.XXX[0:GMT]`, which every client we know reads. A missing zone means GMT
//! (OFX spec §3.2.8.2).

use std::fmt::Write as _;

use jiff::civil::DateTime;
use jiff::tz::Offset;
use jiff::Timestamp;

use crate::error::OfxError;

/// Parses an OFX date-time. `element` only names the field in the error.
pub fn parse_datetime(element: &str, raw: &str) -> Result<Timestamp, OfxError> {
    let bad = |reason| OfxError::invalid(element, raw, reason);
    let s = raw.trim();
    let (stamp, zone) = match s.find('[') {
        Some(i) => {
            let zone = s[i + 1..]
                .strip_suffix(']')
                .ok_or_else(|| bad("time zone is not closed by ']'"))?;
            (&s[..i], Some(zone))
        }
        None => (s, None),
    };
    let (digits, fraction) = stamp.split_once('.').unwrap_or((stamp, ""));
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 8 | 12 | 14) {
        return Err(bad("expected YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS"));
    }
    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("fractional seconds must be 1 to 9 digits"));
    }
    if stamp.contains('.') && (fraction.is_empty() || digits.len() != 14) {
        return Err(bad("fractional seconds need HHMMSS before them"));
    }
    // All slices below are ASCII digits of known length, so the parses cannot fail; `num`
    // still returns Result to keep the code panic-free.
    let num = |range: std::ops::Range<usize>| -> Result<i32, OfxError> {
        digits
            .get(range)
            .map_or(Ok(0), |d| d.parse::<i32>().map_err(|_| bad("not a number")))
    };
    let nanos = if fraction.is_empty() {
        0
    } else {
        let padded = format!("{fraction:0<9}");
        padded.parse::<i32>().map_err(|_| bad("not a number"))?
    };
    let to_i8 = |v: i32| i8::try_from(v).map_err(|_| bad("field out of range"));
    let year = i16::try_from(num(0..4)?).map_err(|_| bad("year out of range"))?;
    let civil = DateTime::new(
        year,
        to_i8(num(4..6)?)?,
        to_i8(num(6..8)?)?,
        to_i8(num(8..10)?)?,
        to_i8(num(10..12)?)?,
        to_i8(num(12..14)?)?,
        nanos,
    )
    .map_err(|_| bad("no such date or time"))?;
    let offset = match zone {
        Some(z) => parse_offset(z).ok_or_else(|| bad("time zone offset must look like -5:EST"))?,
        None => Offset::UTC,
    };
    let ts = offset
        .to_timestamp(civil)
        .map_err(|_| bad("date-time out of range"))?;
    // Keep to what we can write back as four-digit years (year 0 is no real date anyway).
    if !(1..=9999).contains(&Offset::UTC.to_datetime(ts).year()) {
        return Err(bad("year out of range"));
    }
    Ok(ts)
}

/// `[+|-]H[.MM][:NAME]` → offset. The name is informational only; the number is authoritative.
fn parse_offset(zone: &str) -> Option<Offset> {
    let number = zone.split_once(':').map_or(zone, |(n, _)| n).trim();
    let (negative, unsigned) = match number.as_bytes().first()? {
        b'-' => (true, &number[1..]),
        b'+' => (false, &number[1..]),
        _ => (false, number),
    };
    let (hours, minutes) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    if hours.is_empty() || hours.len() > 2 || minutes.len() > 2 {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    let secs = (hours * 60 + minutes) * 60;
    Offset::from_seconds(if negative { -secs } else { secs }).ok()
}

/// Appends `ts` as `YYYYMMDDHHMMSS.XXX[0:GMT]` (UTC, millisecond precision, sub-millisecond
/// digits truncated). Writes straight into the output buffer: this runs once per transaction.
pub fn write_datetime(out: &mut String, ts: Timestamp) {
    let dt = Offset::UTC.to_datetime(ts);
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "{:04}{:02}{:02}{:02}{:02}{:02}.{:03}[0:GMT]",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1_000_000
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse_datetime("DT", s).unwrap().to_string()
    }

    #[test]
    fn date_only_and_partial_times_are_gmt() {
        assert_eq!(p("20240101"), "2024-01-01T00:00:00Z");
        assert_eq!(p("202401021230"), "2024-01-02T12:30:00Z");
        assert_eq!(p("20240102123045"), "2024-01-02T12:30:45Z");
        assert_eq!(p("20240102123045.5"), "2024-01-02T12:30:45.5Z");
    }

    #[test]
    fn zones_shift_to_utc() {
        assert_eq!(p("20240102120000.000[+0:UTC]"), "2024-01-02T12:00:00Z");
        assert_eq!(p("20240102120000.000[-5:EST]"), "2024-01-02T17:00:00Z");
        assert_eq!(p("20240102120000[+5.30:IST]"), "2024-01-02T06:30:00Z");
        assert_eq!(p("20240102120000[-8]"), "2024-01-02T20:00:00Z");
        assert_eq!(p("20240102[+1:CET]"), "2024-01-01T23:00:00Z");
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "2024",
            "2024010",
            "20241301",
            "20240230",
            "20240101250000",
            "2024010112000.5",
            "20240101120000.",
            "20240101[",
            "20240101[abc]",
            "20240101[+99:X]",
            "20240101x",
            "00010101[+1]",
            "２０２４０１０１",
        ] {
            assert!(parse_datetime("DT", s).is_err(), "{s:?} should fail");
        }
    }

    #[test]
    fn writes_utc_millis() {
        let ts = parse_datetime("DT", "20240102120000.123456[-5:EST]").unwrap();
        let mut out = String::new();
        write_datetime(&mut out, ts);
        assert_eq!(out, "20240102170000.123[0:GMT]");
    }
}
