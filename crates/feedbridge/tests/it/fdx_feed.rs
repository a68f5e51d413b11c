//! The feed rules of SPEC §6 over FDX (§15): reading an account's transactions is a download, so
//! it connects the account and keeps it from the idle sweep exactly as an OFX statement does.

use jiff::SignedDuration;
use reqwest::{Method, StatusCode};

use feedbridge_store::{AccountStatus, ConnectionStatus};

use crate::support::feed::{self, Linkable};
use crate::support::{oauth, TestApp};

async fn read_transactions(s: &TestApp, access: &str, account: &str) {
    s.req(
        Method::GET,
        &format!("/fdx/v6/accounts/{account}/transactions"),
    )
    .authorization(&format!("Bearer {access}"))
    .send()
    .await
    .expect(StatusCode::OK);
}

async fn status(s: &TestApp, l: &Linkable, account: &str) -> AccountStatus {
    s.source_account(l, account).await.status
}

#[tokio::test]
async fn fdx_reads_count_as_downloads_for_the_idle_sweep() {
    let s = feed::app(false).await;
    let l = s.linkable(&["chk-1", "sav-1"]).await;
    let services = s.services();
    let (recipient, issued) = oauth::granted(services, &l, &["chk-1", "sav-1"]).await;
    for account in ["chk-1", "sav-1"] {
        assert_eq!(status(&s, &l, account).await, AccountStatus::Pending);
        read_transactions(&s, &issued.access_token, account).await;
        assert_eq!(status(&s, &l, account).await, AccountStatus::Connected);
    }

    // Nearly ten days on, the recipient reads one account again (its access token has lapsed).
    s.clock.advance(SignedDuration::from_hours(24 * 9 + 23));
    let fresh = oauth::refreshed(
        services,
        &recipient,
        issued.refresh_token.as_deref().unwrap(),
    )
    .await;
    read_transactions(&s, &fresh.access_token, "chk-1").await;

    s.clock.advance(SignedDuration::from_hours(2));
    services.disconnect_idle_accounts().await.unwrap();
    assert_eq!(
        status(&s, &l, "chk-1").await,
        AccountStatus::Connected,
        "read two hours ago"
    );
    assert_eq!(
        status(&s, &l, "sav-1").await,
        AccountStatus::Disconnected,
        "idle ten days"
    );
    let store = services.store_for_tests();
    let conn = store.find_connection(l.conn.id).await.unwrap();
    assert_eq!(
        conn.status,
        ConnectionStatus::Linked,
        "one account is still read"
    );
}
