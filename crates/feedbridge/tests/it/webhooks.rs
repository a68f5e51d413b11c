//! Webhook delivery against an in-process receiver, with a manual clock driving the schedule.

use std::time::Duration;

use jiff::SignedDuration;

use feedbridge::domain::companies::CompanyInput;
use feedbridge::domain::events::EventType;
use feedbridge::domain::webhooks::EndpointRequest;
use feedbridge::domain::Services;
use feedbridge::webhooks::worker::{deliver_due, MAX_ATTEMPTS, RETRY_AFTER_CAP, RETRY_DELAYS};
use feedbridge_store::{
    ClientId, Connection, ConnectionId, ConnectionStatus, Delivery, DeliveryStatus, Effects,
};

use crate::support::{eventually, Receiver, Reply, TestApp};

/// A server allowed to deliver to loopback, whose client has one endpoint: a receiver scripted
/// with `replies`.
async fn setup(replies: Vec<Reply>) -> (TestApp, Receiver) {
    let app = TestApp::builder()
        .config(|c| c.webhooks.allow_private_targets = true)
        .spawn()
        .await;
    let receiver = add_receiver(app.services(), app.client.id, replies).await;
    (app, receiver)
}

async fn add_receiver(services: &Services, client: ClientId, replies: Vec<Reply>) -> Receiver {
    let receiver = Receiver::start(replies).await;
    let request = EndpointRequest {
        url: receiver.url.clone(),
        ..EndpointRequest::default()
    };
    services.add_endpoint(client, request).await.unwrap();
    receiver
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
    deliver_due(services).await.unwrap();
    eventually("the attempt to be recorded", || async {
        only_delivery(services, client).await.attempts == attempts
    })
    .await;
    only_delivery(services, client).await
}

/// Runs a round and checks that nothing was sent.
async fn nothing_due(services: &Services, receiver: &Receiver) {
    let before = receiver.count();
    deliver_due(services).await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(receiver.count(), before, "an attempt was made too early");
}

#[tokio::test]
async fn retries_follow_the_schedule_then_fail_visibly() {
    let (app, receiver) = setup(vec![(500, None); 9]).await;
    let (services, client) = (app.services(), app.client.id);
    emit(services, client).await;
    let mut d = attempt(services, client, 1).await;
    for (n, delay) in RETRY_DELAYS.iter().enumerate() {
        assert_eq!(d.status, DeliveryStatus::Pending);
        assert_eq!(d.next_attempt, Some(d.last_attempt.unwrap() + *delay));
        app.clock.advance(*delay - SignedDuration::from_secs(1));
        nothing_due(services, &receiver).await;
        app.clock.advance(SignedDuration::from_secs(1));
        d = attempt(services, client, n as u32 + 2).await;
    }
    assert_eq!(d.attempts, MAX_ATTEMPTS);
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.last_status_code, Some(500));
    let failed = services
        .deliveries(client, Some(DeliveryStatus::Failed))
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    app.clock.advance(SignedDuration::from_hours(100));
    nothing_due(services, &receiver).await;
    assert_eq!(receiver.count(), MAX_ATTEMPTS as usize);

    // A manual redelivery makes one more attempt; the receiver now answers 200.
    receiver.accept_all();
    services.redeliver(client, d.id).await.unwrap();
    let d = attempt(services, client, MAX_ATTEMPTS + 1).await;
    assert_eq!(d.status, DeliveryStatus::Delivered);
    app.stop().await;
}

#[tokio::test]
async fn retry_after_is_honoured_but_capped() {
    let (app, receiver) = setup(vec![(429, Some("120")), (503, Some("999999"))]).await;
    let (services, client) = (app.services(), app.client.id);
    emit(services, client).await;
    let d = attempt(services, client, 1).await;
    assert_eq!(
        d.next_attempt,
        Some(d.last_attempt.unwrap() + SignedDuration::from_secs(120))
    );
    app.clock.advance(SignedDuration::from_secs(119));
    nothing_due(services, &receiver).await;
    app.clock.advance(SignedDuration::from_secs(1));
    let d = attempt(services, client, 2).await;
    assert_eq!(d.last_status_code, Some(503));
    assert_eq!(
        d.next_attempt,
        Some(d.last_attempt.unwrap() + RETRY_AFTER_CAP)
    );
    app.clock.advance(RETRY_AFTER_CAP);
    let d = attempt(services, client, 3).await;
    assert_eq!(d.status, DeliveryStatus::Delivered);
    app.stop().await;
}

#[tokio::test]
async fn a_restart_loses_nothing_and_resends_nothing_delivered() {
    let (app, receiver) = setup(vec![(500, None)]).await;
    let client = app.client.id;
    emit(app.services(), client).await;
    attempt(app.services(), client, 1).await;

    let app = app.restart().await;
    app.clock.advance(RETRY_DELAYS[0]);
    let d = attempt(app.services(), client, 2).await;
    assert_eq!(d.status, DeliveryStatus::Delivered);
    assert_eq!(receiver.count(), 2);

    let app = app.restart().await;
    app.clock.advance(SignedDuration::from_hours(48));
    deliver_due(app.services()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(receiver.count(), 2, "a delivered event was sent again");
    let seen = receiver.seen();
    assert_eq!(seen[0], seen[1], "a retry must carry the same webhook-id");
    app.stop().await;
}

#[tokio::test]
async fn a_change_that_rolls_back_emits_nothing() {
    let domain = TestApp::builder()
        .config(|c| c.webhooks.allow_private_targets = true)
        .services_only()
        .await;
    let (services, client) = (&domain.services, domain.client.id);
    let receiver = add_receiver(services, client, vec![]).await;
    let input = CompanyInput {
        name: Some("Rollback Co".into()),
        ..CompanyInput::default()
    };
    let company = services.create_company(client, input).await.unwrap();
    let conn = Connection {
        id: ConnectionId::new(),
        company_id: company.id,
        status: ConnectionStatus::PendingAuth,
        created: services.now(),
        last_sync: None,
        link_generation: 0,
    };
    let event = services.connection_event(&company, &conn, EventType::ConnectionCreated);
    services
        .store_for_tests()
        .insert_connection(&conn, Effects::none())
        .await
        .unwrap();
    // The same id again violates the primary key: the write fails and takes its event with it.
    let failed = services
        .store_for_tests()
        .insert_connection(&conn, Effects::none().event(event))
        .await;
    assert!(failed.is_err());
    assert!(services.deliveries(client, None).await.unwrap().is_empty());
    nothing_due(services, &receiver).await;
    assert_eq!(receiver.count(), 0);
}

#[tokio::test]
async fn gone_ends_the_retries_at_once() {
    let (app, receiver) = setup(vec![(410, None)]).await;
    let (services, client) = (app.services(), app.client.id);
    emit(services, client).await;
    let d = attempt(services, client, 1).await;
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.next_attempt, None);
    app.clock.advance(SignedDuration::from_hours(30));
    nothing_due(services, &receiver).await;
    app.stop().await;
}
