//! Transport limits: a request head that never ends is cut off, a body past 1 MiB is refused with
//! a 413 `ErrorMessage` (declared up front, or streamed and refused while still arriving), and
//! hostile JSON (deep nesting, numbers too large for money) is a clean 400 that changes nothing.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{basic, Answer, TestApp};

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.running.addr).await.unwrap()
}

/// Posts `body` as JSON text, exactly as given.
async fn post_text(app: &TestApp, path: &str, body: String) -> Answer {
    let req = app.req(Method::POST, path);
    req.body("application/json", body).send().await
}

async fn total_companies(app: &TestApp) -> serde_json::Value {
    app.get("/companies").await.expect(StatusCode::OK)["totalResults"].clone()
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_closed_within_eleven_seconds() {
    let app = TestApp::spawn().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /companies HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(11), stream.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the connection was still open after 11 s");
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "closed before the client had a fair chance to finish"
    );
    let text = String::from_utf8_lossy(&rest);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "unexpected answer {text:?}"
    );
}

/// Streams two MiB in 64 KiB chunks, never the closing chunk, and returns the start of the answer:
/// an answer can only come from the server giving up on the body, not from it having read it all.
async fn stream_two_mebibytes(app: &TestApp, extra_header: &str) -> String {
    let (mut reader, mut writer) = connect(app).await.into_split();
    let head = format!(
        "POST /companies HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\n{extra_header}\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        basic(&app.client.key)
    );
    let sender = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..32 {
            writer.write_all(b"10000\r\n").await?;
            writer.write_all(&chunk).await?;
            writer.write_all(b"\r\n").await?;
        }
        std::future::pending::<std::io::Result<()>>().await
    });
    let mut answer = vec![0; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), reader.read(&mut answer))
        .await
        .expect("no answer while the body was still arriving")
        .unwrap();
    sender.abort();
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

#[tokio::test]
async fn a_chunked_body_past_one_mebibyte_is_refused_while_still_arriving() {
    let app = TestApp::spawn().await;
    for extra_header in ["", "Idempotency-Key: big-1\r\n"] {
        let answer = stream_two_mebibytes(&app, extra_header).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("larger than 1 MiB"), "{answer}");
    }
    assert_eq!(total_companies(&app).await, 0);
}

#[tokio::test]
async fn a_declared_length_past_one_mebibyte_is_an_error_message() {
    let app = TestApp::spawn().await;
    let body = vec![b' '; 1024 * 1024 + 1];
    for key in [None, Some("big-2")] {
        let mut req = app.req(Method::POST, "/companies");
        if let Some(key) = key {
            req = req.header("idempotency-key", key);
        }
        let answer = req.body("application/json", body.clone()).send().await;
        assert_eq!(answer.header("content-type"), "application/json", "{key:?}");
        let error = answer.expect(StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error["statusCode"], 413);
        assert_eq!(error["error"], "The request body is larger than 1 MiB.");
        assert_eq!(error["service"], "PublicApi");
    }
    assert_eq!(total_companies(&app).await, 0);
}

#[tokio::test]
async fn json_nested_ten_thousand_deep_is_a_400() {
    let app = TestApp::spawn().await;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for body in [deep.clone(), format!(r#"{{"name":{deep}}}"#)] {
        let answer = post_text(&app, "/companies", body).await;
        assert_eq!(answer.expect(StatusCode::BAD_REQUEST)["statusCode"], 400);
    }
    assert_eq!(total_companies(&app).await, 0);
}

#[tokio::test]
async fn numbers_too_large_for_money_are_refused_cleanly() {
    let app = TestApp::spawn().await;
    let (company, connection) = app.company_and_connection().await;
    let path =
        format!("/companies/{company}/connections/{connection}/connectionInfo/bankFeedAccounts");
    let huge = format!("1{}", "0".repeat(399));
    for number in ["1e400", huge.as_str(), "-1e400"] {
        let body = format!(
            r#"{{"id":"acc-1","accountName":"Checking","accountType":"checking",
                "accountNumber":"12345678","currency":"USD","balance":{number}}}"#
        );
        let answer = post_text(&app, &path, body).await;
        let answer = answer.expect(StatusCode::BAD_REQUEST);
        assert_eq!(answer["statusCode"], 400, "{number}");
        let message = answer["error"].as_str().unwrap();
        assert!(!message.contains(&huge), "the number is echoed back");
    }
    let accounts = app.get(&path).await.expect(StatusCode::OK);
    assert_eq!(accounts.as_array().map(Vec::len), Some(0), "{accounts}");
}
