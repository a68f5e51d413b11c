//! Rendering and form handling of the pages, with the feed unreachable (no OFX server runs
//! here: the end-to-end flow is exercised against the real feed in the browser tests).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use feedbridge_ofx::{AccountInfoKind, AcctInfo, AcctService, AcctType, BankAcctFrom, CcAcctFrom};
use tokio::sync::Mutex;
use tower::ServiceExt;

use crate::feed::Feed;
use crate::requests::{AccountRef, Credentials};
use crate::state::{Connection, LinkFlow, Pick, Sandbox};
use crate::App;

const BANK: &str = "Acme Bank";

/// A feed URL on which nothing listens.
async fn dead_feed() -> Feed {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    Feed::new(&format!("http://{addr}/ofx")).unwrap()
}

async fn app(state: Sandbox) -> (Arc<App>, Router) {
    let app = Arc::new(App {
        feed: dead_feed().await,
        others: vec!["Northwind Credit Union".into(), "Contoso Bank".into()],
        state: Mutex::new(state),
    });
    (app.clone(), super::router(app))
}

fn known() -> Sandbox {
    Sandbox {
        institution: Some(BANK.into()),
        ..Sandbox::default()
    }
}

async fn get(router: &Router, uri: &str) -> (StatusCode, String) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

async fn post(router: &Router, uri: &str, form: &str) -> (StatusCode, Option<String>, String) {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, location, String::from_utf8(body.to_vec()).unwrap())
}

fn accounts() -> Vec<AcctInfo> {
    let bank = BankAcctFrom {
        bankid: "123456789".into(),
        branchid: None,
        acctid: "0001111".into(),
        accttype: AcctType::Checking,
        acctkey: None,
    };
    let card = CcAcctFrom {
        acctid: "4111222333".into(),
        acctkey: None,
    };
    vec![
        AcctInfo {
            desc: Some("Business Checking".into()),
            phone: None,
            kind: AccountInfoKind::Bank(bank, AcctService::download_only()),
        },
        AcctInfo {
            desc: None,
            phone: None,
            kind: AccountInfoKind::CreditCard(card, AcctService::download_only()),
        },
    ]
}

fn credentials() -> Credentials {
    Credentials {
        userid: "u".into(),
        userpass: "p".into(),
        accesskey: Some("k".into()),
    }
}

#[tokio::test]
async fn search_lists_the_feeds_institution_among_others_and_filters() {
    let (_, router) = app(known()).await;
    let (status, page) = get(&router, "/link").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<label for="search">Search</label>"#));
    for name in [BANK, "Northwind Credit Union", "Contoso Bank"] {
        assert!(
            page.contains(&format!(r#"value="{name}">{name}</button>"#)),
            "{name}"
        );
    }
    let (_, page) = get(&router, "/link?q=acme").await;
    assert!(page.contains(BANK));
    assert!(!page.contains("Contoso Bank"));
}

#[tokio::test]
async fn only_the_feeds_institution_can_be_picked() {
    let (app, router) = app(known()).await;
    let (_, location, page) = post(&router, "/link/institution", "institution=Contoso+Bank").await;
    assert_eq!(location, None);
    assert!(
        page.contains("Contoso Bank doesn&#39;t offer bank feeds"),
        "{page}"
    );
    assert!(app.state.lock().await.link.is_none());
    let (status, location, _) = post(&router, "/link/institution", "institution=Acme+Bank").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/link/terms"));
    let (_, page) = get(&router, "/link/terms").await;
    assert!(page.contains(">I agree</button>"));
}

#[tokio::test]
async fn sign_in_with_the_feed_down_says_so_and_stays_on_the_page() {
    let mut state = known();
    state.link = Some(LinkFlow {
        agreed: true,
        ..LinkFlow::default()
    });
    let (app, router) = app(state).await;
    let (_, page) = get(&router, "/link/sign-in").await;
    assert!(page.contains(r#"<label for="username">Username</label>"#));
    assert!(page.contains(r#"<label for="password">Password</label>"#));
    let (status, _, page) = post(&router, "/link/sign-in", "username=FB-1&password=pw").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("We couldn&#39;t connect to Acme Bank"),
        "{page}"
    );
    assert!(page.contains(r#"value="FB-1""#));
    assert!(app
        .state
        .lock()
        .await
        .link
        .as_ref()
        .unwrap()
        .credentials
        .is_none());
}

#[tokio::test]
async fn account_selection_offers_names_types_and_a_start_date() {
    let mut state = known();
    state.link = Some(LinkFlow {
        agreed: true,
        credentials: Some(credentials()),
        challenges: Vec::new(),
        accounts: accounts(),
    });
    let (app, router) = app(state).await;
    let (_, page) = get(&router, "/link/accounts").await;
    assert!(page.contains(r#"<label class="inline" for="account_0">Business Checking</label>"#));
    assert!(page.contains(r#"<label class="inline" for="account_1">Account ending 2333</label>"#));
    assert!(page.contains(r#"<label for="type_0">Account type for Business Checking</label>"#));
    assert!(page.contains(r#"<option value="Credit Card" selected>"#));
    assert!(page.contains(r#"<label for="start_date">Start date</label>"#));
    assert!(page.contains("Dates older than seven days are ignored"));

    let (status, location, page) = post(&router, "/link/connect", "start_date=2024-01-01").await;
    assert_eq!((status, location), (StatusCode::OK, None));
    assert!(page.contains("Select at least one account"));
    let form = "account_0=on&type_0=Bogus&start_date=2024-01-01";
    let (_, _, page) = post(&router, "/link/connect", form).await;
    assert!(page.contains("Choose an account type for Business Checking"));
    let form = "account_0=on&type_0=Savings&start_date=9999-01-01";
    let (_, _, page) = post(&router, "/link/connect", form).await;
    assert!(page.contains("can&#39;t be in the future"), "{page}");
    let state = app.state.lock().await;
    assert!(state.connection.is_none());
    assert!(state.link.is_some());
}

#[tokio::test]
async fn banking_shows_linked_accounts_and_disconnect_stops_them() {
    let mut state = known();
    let mut connection = Connection::new(credentials());
    let picks = accounts()
        .iter()
        .map(|info| Pick {
            account: crate::chart::account_ref(info),
            name: crate::chart::display_name(info),
            chart: crate::chart::default_type(info),
        })
        .collect();
    connection.link(picks, jiff::Timestamp::now());
    state.connection = Some(connection);
    let (app, router) = app(state).await;
    let (_, page) = get(&router, "/banking").await;
    for text in [
        ">Link account</button>",
        ">Update</button>",
        ">For review<",
        "Business Checking",
        "••••1111",
    ] {
        assert!(page.contains(text), "{text}");
    }
    let (_, location, _) = post(&router, "/update", "").await;
    assert_eq!(location.as_deref(), Some("/banking"));
    let (_, page) = get(&router, "/banking").await;
    assert!(
        page.contains("We couldn&#39;t connect to Acme Bank. Try again later."),
        "{page}"
    );
    assert!(
        !page.contains(">Reconnect</button>"),
        "an unreachable feed is not a credential problem"
    );
    assert_eq!(page.matches("Connected to Acme Bank").count(), 2);

    post(&router, "/accounts/0/disconnect", "").await;
    let asks = app
        .state
        .lock()
        .await
        .connection
        .as_ref()
        .unwrap()
        .asks(jiff::Timestamp::now());
    assert_eq!(asks.len(), 1);
    assert!(matches!(asks[0].1.account, AccountRef::Card(_)));
    post(&router, "/disconnect", "").await;
    let (_, page) = get(&router, "/banking").await;
    assert!(!page.contains(">Update</button>"));
    assert_eq!(page.matches("Disconnected").count(), 2);
}

#[tokio::test]
async fn after_refused_credentials_connected_accounts_need_attention() {
    let mut state = known();
    let mut connection = Connection::new(credentials());
    let picks = accounts()
        .iter()
        .map(|info| Pick {
            account: crate::chart::account_ref(info),
            name: crate::chart::display_name(info),
            chart: crate::chart::default_type(info),
        })
        .collect();
    connection.link(picks, jiff::Timestamp::now());
    connection.accounts[1].connected = false;
    connection.problem = Some(
        crate::error::FeedError::Status {
            code: 15500,
            message: None,
        }
        .problem(BANK),
    );
    state.connection = Some(connection);
    let (_, router) = app(state).await;
    let (_, page) = get(&router, "/banking").await;
    assert!(page.contains("access was revoked"), "{page}");
    assert!(page.contains(">Reconnect</button>"));
    assert_eq!(
        page.matches("Needs attention: reconnect to Acme Bank")
            .count(),
        1,
        "{page}"
    );
    assert!(!page.contains("Connected to Acme Bank"));
    assert_eq!(page.matches("Disconnected").count(), 1);
}
