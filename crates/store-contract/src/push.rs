//! Push operations: round trip, company scoping, order and cascade.

use feedbridge_store::{
    CompanyId, ConnectionId, Effects, PushOperation, PushOperationKey, PushStatus, SourceAccountId,
    Store, StoreError, ValidationItem,
};

use crate::fixtures::{at, client, stored_company};

pub async fn run(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let other = stored_company(store, owner).await;
    let late = operation(company.id, 20);
    let early = operation(company.id, 10);
    let tied = operation(company.id, 20);
    for op in [&late, &early, &tied] {
        store
            .insert_push_operation(op, Effects::none())
            .await
            .unwrap();
    }
    let duplicate = store.insert_push_operation(&late, Effects::none()).await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );

    let listed = store.list_push_operations(company.id).await.unwrap();
    assert_eq!(
        listed,
        vec![early.clone(), late.clone(), tied],
        "request order, ties as inserted"
    );
    assert_eq!(
        store
            .get_push_operation(company.id, late.key)
            .await
            .unwrap(),
        late
    );
    assert_eq!(
        store.get_push_operation(other.id, late.key).await,
        Err(StoreError::NotFound)
    );
    assert!(store
        .list_push_operations(other.id)
        .await
        .unwrap()
        .is_empty());

    store
        .delete_company(owner, company.id, Effects::none())
        .await
        .unwrap();
    assert_eq!(
        store.get_push_operation(company.id, early.key).await,
        Err(StoreError::NotFound)
    );
}

pub fn operation(company: CompanyId, requested: i64) -> PushOperation {
    let item = |message: &str| ValidationItem {
        item_id: Some("txn-1".into()),
        message: message.into(),
        validator_name: "contract".into(),
    };
    PushOperation {
        key: PushOperationKey::new(),
        company_id: company,
        connection_id: ConnectionId::new(),
        account_id: SourceAccountId::parse("acc-1").unwrap(),
        requested: at(requested),
        completed: Some(at(requested + 1)),
        status: PushStatus::Failed,
        status_code: 400,
        error_message: Some("rejected".into()),
        errors: vec![item("bad date")],
        warnings: vec![item("old")],
        timeout_in_minutes: Some(30),
        changes: vec!["txn-1".into(), "txn-2".into()],
    }
}
