//! Source accounts whose ids are the fixed path segments beside `{accountId}` (`batch`,
//! `credentials`) are still updated and deleted like any other account: the router sends those
//! requests to routes of their own, which are not in the OpenAPI document.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn accounts_named_like_fixed_path_segments_are_updated_and_deleted() {
    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let accounts =
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts");
    for id in ["batch", "credentials"] {
        let body = json!({"id": id, "accountName": "Fixed"});
        app.post(&accounts, body).await.expect(StatusCode::OK);
        let renamed = json!({"accountName": format!("Renamed {id}")});
        let answer = app.patch(&format!("{accounts}/{id}"), renamed).await;
        let account = answer.expect(StatusCode::OK);
        assert_eq!(account["id"], id, "{account}");
        assert_eq!(account["accountName"], format!("Renamed {id}"), "{account}");
    }
    app.delete(&format!("{accounts}/batch"))
        .await
        .expect(StatusCode::NO_CONTENT);
    let left = app.get(&accounts).await.expect(StatusCode::OK);
    let ids: Vec<_> = left.as_array().unwrap().iter().map(|a| &a["id"]).collect();
    assert_eq!(ids, ["credentials"], "{left}");
}
