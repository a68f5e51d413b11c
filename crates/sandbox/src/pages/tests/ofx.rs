//! The pages over OFX: search and pick, the sandbox's own sign-in, account selection, and the
//! Banking page.

use axum::http::StatusCode;
use axum::Router;
use feedbridge_ofx::{AccountInfoKind, AcctInfo, AcctService, AcctType, BankAcctFrom, CcAcctFrom};

use super::{get, known, post, BANK};
use crate::error::FeedError;
use crate::feed::{Feed, Offered, Session};
use crate::ofx;
use crate::state::{Connection, LinkFlow, Pick, Sandbox};
use crate::test_support::ofx_client;
use crate::App;

fn app(state: Sandbox) -> (std::sync::Arc<App>, Router) {
    super::app(Feed::Ofx(ofx_client()), state)
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

/// A signed-on session offering [`accounts`], on a feed nobody runs.
fn signed_in() -> (Session, Vec<Offered>) {
    let credentials = ofx::Credentials {
        userid: "u".into(),
        userpass: "p".into(),
        accesskey: Some("k".into()),
    };
    let (session, offered) = ofx::Session::new(ofx_client(), credentials, &accounts());
    (Session::Ofx(session), offered)
}

/// Both accounts linked with their default types.
fn linked() -> Connection {
    let (session, offered) = signed_in();
    let mut connection = Connection::new(session);
    let picks = offered
        .into_iter()
        .map(|account| Pick {
            chart: account.chart,
            account,
        })
        .collect();
    connection.link(picks, jiff::Timestamp::now());
    connection
}

#[tokio::test]
async fn search_lists_the_feeds_institution_among_others_and_filters() {
    let (_, router) = app(known());
    let answer = get(&router, "/link").await;
    assert_eq!(answer.status, StatusCode::OK);
    let page = answer.body;
    assert!(page.contains(r#"<label for="search">Search</label>"#));
    for name in [BANK, "Northwind Credit Union", "Contoso Bank"] {
        assert!(
            page.contains(&format!(r#"value="{name}">{name}</button>"#)),
            "{name}"
        );
    }
    let page = get(&router, "/link?q=acme").await.body;
    assert!(page.contains(BANK));
    assert!(!page.contains("Contoso Bank"));
}

#[tokio::test]
async fn only_the_feeds_institution_can_be_picked() {
    let (app, router) = app(known());
    let answer = post(&router, "/link/institution", "institution=Contoso+Bank").await;
    assert_eq!(answer.location, None);
    assert!(
        answer
            .body
            .contains("Contoso Bank doesn&#39;t offer bank feeds"),
        "{}",
        answer.body
    );
    assert!(app.state.lock().await.link.is_none());
    let answer = post(&router, "/link/institution", "institution=Acme+Bank").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location.as_deref(), Some("/link/terms"));
    let page = get(&router, "/link/terms").await.body;
    assert!(page.contains(">I agree</button>"));
    assert!(page.contains("over its OFX feed"), "{page}");
    let answer = post(&router, "/link/terms", "").await;
    assert_eq!(answer.location.as_deref(), Some("/link/sign-in"));
}

#[tokio::test]
async fn sign_in_with_the_feed_down_says_so_and_stays_on_the_page() {
    let mut state = known();
    state.link = Some(LinkFlow {
        agreed: true,
        ..LinkFlow::default()
    });
    let (app, router) = app(state);
    let page = get(&router, "/link/sign-in").await.body;
    assert!(page.contains(r#"<label for="username">Username</label>"#));
    assert!(page.contains(r#"<label for="password">Password</label>"#));
    let answer = post(&router, "/link/sign-in", "username=FB-1&password=pw").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.body.contains("We couldn&#39;t connect to Acme Bank"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains(r#"value="FB-1""#));
    let state = app.state.lock().await;
    let flow = state.link.as_ref().unwrap();
    assert!(flow.session.is_none() && flow.challenge.is_none());
    assert_eq!(
        get(&router, "/fdx/callback?code=c&state=s")
            .await
            .location
            .as_deref(),
        Some("/link"),
        "the FDX redirect URI means nothing over OFX"
    );
}

#[tokio::test]
async fn account_selection_offers_names_types_and_a_start_date() {
    let mut state = known();
    let (session, accounts) = signed_in();
    state.link = Some(LinkFlow {
        agreed: true,
        session: Some(session),
        accounts,
        ..LinkFlow::default()
    });
    let (app, router) = app(state);
    let page = get(&router, "/link/accounts").await.body;
    assert!(page.contains(r#"<label class="inline" for="account_0">Business Checking</label>"#));
    assert!(page.contains(r#"<label class="inline" for="account_1">Account ending 2333</label>"#));
    assert!(page.contains(r#"<label for="type_0">Account type for Business Checking</label>"#));
    assert!(page.contains(r#"<option value="Credit Card" selected>"#));
    assert!(page.contains(r#"<label for="start_date">Start date</label>"#));
    assert!(page.contains("Dates older than seven days are ignored"));

    let answer = post(&router, "/link/connect", "start_date=2024-01-01").await;
    assert_eq!((answer.status, answer.location), (StatusCode::OK, None));
    assert!(answer.body.contains("Select at least one account"));
    let form = "account_0=on&type_0=Bogus&start_date=2024-01-01";
    let page = post(&router, "/link/connect", form).await.body;
    assert!(page.contains("Choose an account type for Business Checking"));
    let form = "account_0=on&type_0=Savings&start_date=9999-01-01";
    let page = post(&router, "/link/connect", form).await.body;
    assert!(page.contains("can&#39;t be in the future"), "{page}");
    let state = app.state.lock().await;
    assert!(state.connection.is_none());
    assert!(state.link.as_ref().is_some_and(|f| f.session.is_some()));
}

#[tokio::test]
async fn banking_shows_linked_accounts_and_disconnect_stops_them() {
    let mut state = known();
    state.connection = Some(linked());
    let (app, router) = app(state);
    let page = get(&router, "/banking").await.body;
    for text in [
        ">Link account</button>",
        ">Update</button>",
        ">For review<",
        "Business Checking",
        "••••1111",
    ] {
        assert!(page.contains(text), "{text}");
    }
    let answer = post(&router, "/update", "").await;
    assert_eq!(answer.location.as_deref(), Some("/banking"));
    let page = get(&router, "/banking").await.body;
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
    let asks = app.state.lock().await.connection.as_ref().unwrap().asks();
    assert_eq!(asks.len(), 1);
    assert_eq!(asks[0].1.key, "card:4111222333");
    post(&router, "/disconnect", "").await;
    let page = get(&router, "/banking").await.body;
    assert!(!page.contains(">Update</button>"));
    assert_eq!(page.matches("Disconnected").count(), 2);
}

#[tokio::test]
async fn after_refused_credentials_connected_accounts_need_attention() {
    let mut state = known();
    let mut connection = linked();
    connection.accounts[1].connected = false;
    connection.problem = Some(
        FeedError::Status {
            code: 15500,
            message: None,
        }
        .problem(BANK),
    );
    state.connection = Some(connection);
    let (_, router) = app(state);
    let page = get(&router, "/banking").await.body;
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
