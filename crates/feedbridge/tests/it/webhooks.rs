//! Webhook delivery against an in-process receiver, with a manual clock driving the schedule.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use jiff::SignedDuration;

use feedbridge::app::Running;
use feedbridge::clock::ManualClock;
use feedbridge::domain::companies::CompanyInput;
use feedbridge::domain::webhooks::EndpointRequest;
use feedbridge::domain::Services;
use feedbridge::webhooks::worker::{MAX_ATTEMPTS, RETRY_AFTER_CAP, RETRY_DELAYS};
use feedbridge_store::{
    ClientId, Connection, ConnectionId, ConnectionStatus, Delivery, DeliveryStatus, Effects,
};

use crate::support::{config, eventually, server, t0};

/// A scripted answer: status and optional `Retry-After`.
type Reply = (u16, Option<&'static str>);

/// A receiver that answers with scripted replies, then 200.
#[derive(Clone, Default)]
struct Receiver {
    replies: Arc<Mutex<VecDeque<Reply>>>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Receiver {
    async fn start(replies: Vec<Reply>) -> (Self, String) {
        let receiver = Receiver {
            replies: Arc::new(Mutex::new(replies.into())),
            ..Receiver::default()
        };
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, url)
    }

    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap) -> (StatusCode, HeaderMap) {
    let id = headers["webhook-id"].to_str().unwrap().to_owned();
    r.seen.lock().unwrap().push(id);
    let (code, retry_after) = r.replies.lock().unwrap().pop_front().unwrap_or((200, None));
    let mut out = HeaderMap::new();
    if let Some(value) = retry_after {
        out.insert("retry-after", value.parse().unwrap());
    }
    (StatusCode::from_u16(code).unwrap(), out)
}

struct Setup {
    _dir: tempfile::TempDir,
    clock: ManualClock,
    running: Running,
    client: ClientId,
    receiver: Receiver,
}

/// A server with one client whose endpoint points at a receiver scripted with `replies`.
async fn setup(replies: Vec<Reply>) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let running = server(&config(dir.path()), &clock).await;
    let client = running
        .services
        .create_client("Hooks")
        .await
        .unwrap()
        .key
        .client_id;
    let (receiver, url) = Receiver::start(replies).await;
    let request = EndpointRequest {
        url,
        ..EndpointRequest::default()
    };
    running
        .services
        .add_endpoint(client, request)
        .await
        .unwrap();
    Setup {
        _dir: dir,
        clock,
        running,
        client,
        receiver,
    }
}

/// Creates a company and a connection, which emits `connection.created`.
async fn emit(services: &Services, client: ClientId) {
    let input = CompanyInput {
        name: Some("Hooks Co".into()),
        ..CompanyInput::default()
    };
    let company = services.create_company(client, input).await.unwrap();
    services
        .create_connection(client, company.id, Some("hcws"))
        .await
        .unwrap();
}

async fn only_delivery(services: &Services, client: ClientId) -> Delivery {
    let all = services.deliveries(client, None).await.unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter().next().unwrap()
}

/// Runs a delivery round and waits until the delivery has `attempts` attempts recorded.
async fn attempt(services: &Services, client: ClientId, attempts: u32) -> Delivery {
    services.deliver_due().await.unwrap();
    eventually("the attempt to be recorded", || async {
        only_delivery(services, client).await.attempts == attempts
    })
    .await;
    only_delivery(services, client).await
}

/// Runs a round and checks that nothing was sent.
async fn nothing_due(s: &Setup) {
    let before = s.receiver.count();
    s.running.services.deliver_due().await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(s.receiver.count(), before, "an attempt was made too early");
}

#[tokio::test]
async fn retries_follow_the_schedule_then_fail_visibly() {
    let s = setup(vec![(500, None); 9]).await;
    let services = &s.running.services;
    emit(services, s.client).await;
    let mut d = attempt(services, s.client, 1).await;
    for (n, delay) in RETRY_DELAYS.iter().enumerate() {
        assert_eq!(d.status, DeliveryStatus::Pending);
        assert_eq!(d.next_attempt, Some(d.last_attempt.unwrap() + *delay));
        s.clock.advance(*delay - SignedDuration::from_secs(1));
        nothing_due(&s).await;
        s.clock.advance(SignedDuration::from_secs(1));
        d = attempt(services, s.client, n as u32 + 2).await;
    }
    assert_eq!(d.attempts, MAX_ATTEMPTS);
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.last_status_code, Some(500));
    let failed = services
        .deliveries(s.client, Some(DeliveryStatus::Failed))
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    s.clock.advance(SignedDuration::from_hours(100));
    nothing_due(&s).await;
    assert_eq!(s.receiver.count(), MAX_ATTEMPTS as usize);

    // A manual redelivery makes one more attempt; the receiver now answers 200.
    s.receiver.replies.lock().unwrap().clear();
    services.redeliver(s.client, d.id).await.unwrap();
    let d = attempt(services, s.client, MAX_ATTEMPTS + 1).await;
    assert_eq!(d.status, DeliveryStatus::Delivered);
    s.running.stop().await;
}

#[tokio::test]
async fn retry_after_is_honoured_but_capped() {
    let s = setup(vec![(429, Some("120")), (503, Some("999999"))]).await;
    let services = &s.running.services;
    emit(services, s.client).await;
    let d = attempt(services, s.client, 1).await;
    assert_eq!(
        d.next_attempt,
        Some(d.last_attempt.unwrap() + SignedDuration::from_secs(120))
    );
    s.clock.advance(SignedDuration::from_secs(119));
    nothing_due(&s).await;
    s.clock.advance(SignedDuration::from_secs(1));
    let d = attempt(services, s.client, 2).await;
    assert_eq!(d.last_status_code, Some(503));
    assert_eq!(
        d.next_attempt,
        Some(d.last_attempt.unwrap() + RETRY_AFTER_CAP)
    );
    s.clock.advance(RETRY_AFTER_CAP);
    let d = attempt(services, s.client, 3).await;
    assert_eq!(d.status, DeliveryStatus::Delivered);
    s.running.stop().await;
}

#[tokio::test]
async fn a_restart_loses_nothing_and_resends_nothing_delivered() {
    let s = setup(vec![(500, None)]).await;
    emit(&s.running.services, s.client).await;
    attempt(&s.running.services, s.client, 1).await;
    let config = config(s._dir.path());
    s.running.stop().await;

    let running = server(&config, &s.clock).await;
    let services = &running.services;
    s.clock.advance(RETRY_DELAYS[0]);
    let d = attempt(services, s.client, 2).await;
    assert_eq!(d.status, DeliveryStatus::Delivered);
    assert_eq!(s.receiver.count(), 2);
    running.stop().await;

    let running = server(&config, &s.clock).await;
    s.clock.advance(SignedDuration::from_hours(48));
    running.services.deliver_due().await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(s.receiver.count(), 2, "a delivered event was sent again");
    let seen = s.receiver.seen.lock().unwrap().clone();
    assert_eq!(seen[0], seen[1], "a retry must carry the same webhook-id");
    running.stop().await;
}

#[tokio::test]
async fn a_change_that_rolls_back_emits_nothing() {
    let s = setup(vec![]).await;
    let services = &s.running.services;
    let input = CompanyInput {
        name: Some("Rollback Co".into()),
        ..CompanyInput::default()
    };
    let company = services.create_company(s.client, input).await.unwrap();
    let conn = Connection {
        id: ConnectionId::new(),
        company_id: company.id,
        status: ConnectionStatus::PendingAuth,
        created: services.now(),
        last_sync: None,
        link_generation: 0,
    };
    let event = services.connection_event(&company, &conn, "connection.created");
    services
        .store
        .insert_connection(&conn, Effects::none())
        .await
        .unwrap();
    // The same id again violates the primary key: the write fails and takes its event with it.
    let failed = services
        .store
        .insert_connection(&conn, Effects::none().event(event))
        .await;
    assert!(failed.is_err());
    assert!(services
        .deliveries(s.client, None)
        .await
        .unwrap()
        .is_empty());
    nothing_due(&s).await;
    assert_eq!(s.receiver.count(), 0);
    s.running.stop().await;
}

#[tokio::test]
async fn gone_ends_the_retries_at_once() {
    let s = setup(vec![(410, None)]).await;
    let services = &s.running.services;
    emit(services, s.client).await;
    let d = attempt(services, s.client, 1).await;
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.next_attempt, None);
    s.clock.advance(SignedDuration::from_hours(30));
    nothing_due(&s).await;
    s.running.stop().await;
}
