//! Small builders for the records the checks store, with every optional field filled so a
//! round trip proves each column is kept.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rust_decimal::Decimal;

use feedbridge_store::{
    AccountShape, AccountStatus, AuditEntry, Client, ClientId, Company, CompanyId, Connection,
    ConnectionId, ConnectionStatus, Effects, EventId, NewEvent, SourceAccount, SourceAccountId,
    Store,
};

/// A timestamp `micros` microseconds after a fixed instant, so checks control ordering exactly.
pub fn at(micros: i64) -> Timestamp {
    Timestamp::from_microsecond(1_780_000_000_000_000 + micros).unwrap()
}

pub async fn client(store: &dyn Store) -> ClientId {
    let client = Client {
        id: ClientId::new(),
        name: "Institution".into(),
        created: at(0),
    };
    store.insert_client(&client).await.unwrap();
    client.id
}

pub fn company(client: ClientId, name: &str, created: Timestamp) -> Company {
    Company {
        id: CompanyId::new(),
        client_id: client,
        name: name.into(),
        description: Some(format!("{name} description")),
        tags: BTreeMap::from([("region".into(), "north".into())]),
        created,
    }
}

pub async fn stored_company(store: &dyn Store, client: ClientId) -> Company {
    let company = company(client, "Bakery", at(1));
    store
        .insert_company(&company, Effects::none())
        .await
        .unwrap();
    company
}

pub fn connection(company: CompanyId, created: Timestamp) -> Connection {
    Connection {
        id: ConnectionId::new(),
        company_id: company,
        status: ConnectionStatus::PendingAuth,
        created,
        last_sync: None,
        link_generation: 0,
    }
}

pub async fn stored_connection(store: &dyn Store, company: CompanyId) -> Connection {
    let conn = connection(company, at(2));
    store
        .insert_connection(&conn, Effects::none())
        .await
        .unwrap();
    conn
}

pub fn account(connection: ConnectionId, id: &str, created: Timestamp) -> SourceAccount {
    SourceAccount {
        connection_id: connection,
        id: SourceAccountId::parse(id).unwrap(),
        shape: AccountShape::V2,
        account_name: Some(format!("Account {id}")),
        account_type: Some("checking".into()),
        account_number: Some("12345678".into()),
        sort_code: Some("040004".into()),
        currency: Some("USD".into()),
        balance: Some("4002.0".parse::<Decimal>().unwrap()),
        routing_info: Some(serde_json::json!({"bankCode": "021000021", "type": "bankcode"})),
        account_info: Some(serde_json::from_str(r#"{"nickname":"Ops","limit":4002.10}"#).unwrap()),
        modified_date: Some("2026-01-02T03:04:05Z".into()),
        status: AccountStatus::Pending,
        feed_start_date: Some("2026-01-01".parse().unwrap()),
        last_pulled: None,
        linked_credential: None,
        created,
        feed_mark: created,
    }
}

/// An event and an audit row, so a check can see whether both were written.
pub fn effects(client: ClientId, event_type: &str) -> Effects {
    Effects::none()
        .event(NewEvent {
            id: EventId::new(),
            client_id: client,
            event_type: event_type.into(),
            generated: at(5),
            body: serde_json::json!({"eventType": event_type, "amount": 12.50}),
        })
        .audit(AuditEntry {
            at: at(5),
            connection_id: None,
            action: event_type.into(),
            detail: "contract".into(),
        })
}

pub async fn stored_account(store: &dyn Store, connection: ConnectionId) -> SourceAccount {
    let acc = account(connection, "acc-1", at(3));
    store
        .insert_source_accounts(std::slice::from_ref(&acc))
        .await
        .unwrap();
    acc
}
