//! Statement downloads record when the account was last pulled, for the idle sweep, but downloads
//! in quick succession share one write so the busiest feed path does not commit every time.

use jiff::SignedDuration;

use feedbridge::domain::feed::linking::PULL_RECORD_INTERVAL;

use crate::support::feed;

#[tokio::test]
async fn downloads_within_a_minute_share_one_recorded_pull() {
    let s = feed::app(false).await;
    let l = s.linkable(&["chk-1"]).await;
    let first = s.statement(&l, "chk-1", None).await;
    assert_eq!(first.stmt[0].status.code, 0);
    let recorded = s.source_account(&l, "chk-1").await.last_pulled.unwrap();
    assert_eq!(recorded, s.services().now());

    s.clock
        .advance(PULL_RECORD_INTERVAL - SignedDuration::from_secs(1));
    assert_eq!(s.statement(&l, "chk-1", None).await.stmt[0].status.code, 0);
    let after = s.source_account(&l, "chk-1").await.last_pulled.unwrap();
    assert_eq!(
        after, recorded,
        "a download within the interval wrote again"
    );

    s.clock.advance(SignedDuration::from_secs(1));
    assert_eq!(s.statement(&l, "chk-1", None).await.stmt[0].status.code, 0);
    let later = s.source_account(&l, "chk-1").await.last_pulled.unwrap();
    assert_eq!(later, s.services().now(), "the pull was not recorded");
}
