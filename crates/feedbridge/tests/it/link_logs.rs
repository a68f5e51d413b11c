//! The link token never reaches a log line or a `Location` header, whatever the level: the
//! whole process's log is captured while a link is opened and then used after it expired.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use jiff::SignedDuration;
use reqwest::header::LOCATION;
use reqwest::StatusCode;

use crate::support::link::token_of;
use crate::support::TestApp;

/// Collects everything the server logs, at every level, into memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The process-wide log capture. It must be the global subscriber: a thread-local one misses
/// events whose call sites other tests' threads registered first.
fn capture() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let sink = captured.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_writer(move || sink.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
            captured
        })
        .clone()
}

#[tokio::test]
async fn the_token_never_reaches_the_log_or_a_location() {
    let captured = capture();
    let s = TestApp::spawn().await;
    let c = s.link_connection("Logs Ltd").await;
    let l = s.link(&c).await;
    let res = s.visit(&l, None).await;
    assert!(!res.header(LOCATION.as_str()).contains(token_of(&l)));
    s.clock.advance(SignedDuration::from_secs(2 * 60 * 60));
    assert_eq!(s.visit(&l, None).await.status, StatusCode::UNAUTHORIZED);
    let log = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf8");
    assert!(
        log.contains("/link/companies/{companyId}/connections/{connectionId}/start"),
        "the capture works: {log}"
    );
    assert!(!log.contains(token_of(&l)), "token in log: {log}");
    assert!(!log.contains("otp="));
}
