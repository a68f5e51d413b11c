//! Stored XSS (S11) in the company name on the Link UI. The client API cleans company names
//! (Codat's rule strips `<>"` and most punctuation), so each payload of the shared list is
//! written to the store behind the API's back, and the connect page must show it as text: no
//! markup character left unescaped, and the text decoding back to the payload exactly. Names
//! that reach the page through the API are walked in Chromium by
//! `tests/browser/stored_xss.test.mjs`.

use reqwest::StatusCode;

use crate::support::TestApp;

const PAYLOADS: &str = include_str!("../../../../tests/fixtures/xss_payloads.json");

#[tokio::test]
async fn raw_company_names_render_as_escaped_text() {
    let s = TestApp::spawn().await;
    let c = s.link_connection("Plain").await;
    let cookie = s.open_link(&s.link(&c).await).await;

    let mut payloads: Vec<String> = serde_json::from_str(PAYLOADS).expect("payload list");
    payloads.push(format!("{}<script>alert(1)</script>", "A".repeat(10_000)));
    let store = s.services().store_for_tests();
    let id = c.company.parse().expect("company id");
    for payload in payloads {
        let mut record = store.find_company(id).await.expect("company");
        record.name.clone_from(&payload);
        store.update_company(&record).await.expect("update");
        let (status, html) = s.page(&c.pages(), &cookie).await;
        assert_eq!(status, StatusCode::OK);
        let shown = between(&html, "data-testid=\"company\">", "</p>");
        assert!(
            !shown.contains(['<', '>']),
            "{payload:?} shown as {shown:?}"
        );
        assert_eq!(unescape(shown), payload);
    }
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).expect("start marker") + start.len();
    let len = html[from..].find(end).expect("end marker");
    &html[from..from + len]
}

/// Decodes the character references an HTML escaper may emit (named and numeric).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("terminated reference") + at;
        let name = &rest[at + 1..end];
        let decoded = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16),
                    None => name.strip_prefix('#').expect("numeric reference").parse(),
                };
                char::from_u32(code.expect("number")).expect("character")
            }
        };
        out.push(decoded);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}
