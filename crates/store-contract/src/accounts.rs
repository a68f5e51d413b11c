//! Source accounts, credential pairs and confirmation codes of a connection.

use feedbridge_store::{
    AccountStatus, ConfirmationCode, ConnectionStatus, Credential, CredentialId, Effects,
    SourceAccountId, Store, StoreError,
};

use crate::fixtures::{account, at, client, stored_company, stored_connection};

pub async fn run(store: &dyn Store) {
    accounts_conflict_one_by_one_and_keep_order(store).await;
    account_updates_are_all_or_nothing(store).await;
    credentials_are_unique_and_revoked_together(store).await;
    confirmation_codes_are_replaced(store).await;
    deleting_a_connection_removes_what_hangs_off_it(store).await;
}

async fn accounts_conflict_one_by_one_and_keep_order(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let conn = stored_connection(store, company.id).await;
    let batch = [
        account(conn.id, "zz-1", at(4)),
        account(conn.id, "aa-2", at(4)),
        account(conn.id, "zz-1", at(4)),
        account(conn.id, "mm-3", at(4)),
    ];
    let results = store.insert_source_accounts(&batch).await.unwrap();
    assert_eq!(results.len(), 4);
    assert!(
        results[0].is_ok() && results[1].is_ok() && results[3].is_ok(),
        "{results:?}"
    );
    assert!(
        matches!(results[2], Err(StoreError::Conflict(_))),
        "{results:?}"
    );

    let listed = store.list_source_accounts(conn.id).await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["zz-1", "aa-2", "mm-3"],
        "creation order, not id order"
    );
    assert_eq!(listed[0], batch[0], "every column round-trips");
    assert_eq!(
        listed[0].balance.unwrap().to_string(),
        "4002.0",
        "money keeps its digits"
    );
    let info = listed[0].account_info.as_ref().unwrap().to_string();
    assert!(
        info.contains("4002.10"),
        "JSON numbers keep their text: {info}"
    );

    let missing = SourceAccountId::parse("nope").unwrap();
    assert_eq!(
        store.get_source_account(conn.id, &missing).await,
        Err(StoreError::NotFound)
    );
    let other = stored_connection(store, company.id).await;
    assert_eq!(
        store.get_source_account(other.id, &batch[0].id).await,
        Err(StoreError::NotFound)
    );
    store
        .delete_source_account(conn.id, &batch[1].id)
        .await
        .unwrap();
    assert_eq!(
        store.delete_source_account(conn.id, &batch[1].id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.list_source_accounts(conn.id).await.unwrap().len(), 2);
}

async fn account_updates_are_all_or_nothing(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let mut conn = stored_connection(store, company.id).await;
    let mut real = account(conn.id, "acc-1", at(4));
    store
        .insert_source_accounts(std::slice::from_ref(&real))
        .await
        .unwrap();

    real.status = AccountStatus::Connected;
    real.balance = Some("-12.50".parse().unwrap());
    real.last_pulled = Some(at(30));
    real.linked_credential = Some(CredentialId::new());
    conn.status = ConnectionStatus::Linked;
    let ghost = account(conn.id, "ghost", at(4));
    let before = crate::outbox::count(store).await;
    let failed = store
        .update_source_accounts(&[real.clone(), ghost], Some(&conn), effects(owner))
        .await;
    assert_eq!(failed, Err(StoreError::NotFound));
    let kept = store.get_source_account(conn.id, &real.id).await.unwrap();
    assert_eq!(
        kept.status,
        AccountStatus::Pending,
        "a failed change leaves nothing behind"
    );
    assert_eq!(
        store.find_connection(conn.id).await.unwrap().status,
        ConnectionStatus::PendingAuth
    );
    assert_eq!(crate::outbox::count(store).await, before, "nor any event");

    store
        .update_source_accounts(std::slice::from_ref(&real), Some(&conn), effects(owner))
        .await
        .unwrap();
    real.feed_mark = at(30);
    assert_eq!(
        store.get_source_account(conn.id, &real.id).await.unwrap(),
        real,
        "every field kept, and the recorded pull moved the feed mark"
    );
    assert_eq!(store.find_connection(conn.id).await.unwrap(), conn);
    assert_eq!(crate::outbox::count(store).await, before + 1);
}

fn effects(owner: feedbridge_store::ClientId) -> Effects {
    crate::fixtures::effects(owner, "bankFeedBankAccount.updated")
}

async fn credentials_are_unique_and_revoked_together(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let mut conn = stored_connection(store, company.id).await;
    let first = credential(conn.id, "fb-user-1", 10);
    let second = credential(conn.id, "fb-user-2", 10);
    store
        .insert_credential(&first, Effects::none())
        .await
        .unwrap();
    store
        .insert_credential(&second, Effects::none())
        .await
        .unwrap();
    let clash = store
        .insert_credential(&credential(conn.id, "fb-user-1", 11), Effects::none())
        .await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");

    let listed = store.list_credentials(conn.id).await.unwrap();
    assert_eq!(listed, vec![first.clone(), second.clone()]);
    assert_eq!(store.find_credential("fb-user-2").await.unwrap(), second);
    assert_eq!(
        store.find_credential("nobody").await,
        Err(StoreError::NotFound)
    );

    let mut acc = account(conn.id, "acc-r", at(4));
    store
        .insert_source_accounts(std::slice::from_ref(&acc))
        .await
        .unwrap();
    acc.status = AccountStatus::Disconnected;
    conn.status = ConnectionStatus::Unlinked;
    conn.link_generation += 1;
    let revoked = store
        .revoke_credentials(
            conn.id,
            at(40),
            std::slice::from_ref(&acc),
            Some(&conn),
            Effects::none(),
        )
        .await
        .unwrap();
    assert_eq!(revoked, 2);
    for cred in store.list_credentials(conn.id).await.unwrap() {
        assert_eq!(cred.revoked, Some(at(40)));
    }
    assert_eq!(
        store.find_credential("fb-user-1").await.unwrap().revoked,
        Some(at(40))
    );
    assert_eq!(
        store.get_source_account(conn.id, &acc.id).await.unwrap(),
        acc
    );
    assert_eq!(store.find_connection(conn.id).await.unwrap(), conn);
    let again = store
        .revoke_credentials(conn.id, at(41), &[], None, Effects::none())
        .await;
    assert_eq!(
        again,
        Ok(0),
        "revoked pairs stay revoked at their first time"
    );
}

async fn confirmation_codes_are_replaced(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let conn = stored_connection(store, company.id).await;
    assert_eq!(
        store.get_confirmation_code(conn.id).await,
        Err(StoreError::NotFound)
    );
    let mut code = ConfirmationCode {
        connection_id: conn.id,
        code: "123456".into(),
        expires: at(600),
        failures: 0,
    };
    store.put_confirmation_code(&code).await.unwrap();
    code.failures = 2;
    code.code = "654321".into();
    store.put_confirmation_code(&code).await.unwrap();
    assert_eq!(store.get_confirmation_code(conn.id).await.unwrap(), code);
}

async fn deleting_a_connection_removes_what_hangs_off_it(store: &dyn Store) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let conn = stored_connection(store, company.id).await;
    store
        .insert_source_accounts(&[account(conn.id, "a", at(4))])
        .await
        .unwrap();
    store
        .insert_credential(&credential(conn.id, "fb-cascade", 10), Effects::none())
        .await
        .unwrap();
    let code = ConfirmationCode {
        connection_id: conn.id,
        code: "111111".into(),
        expires: at(600),
        failures: 0,
    };
    store.put_confirmation_code(&code).await.unwrap();
    store
        .delete_company(owner, company.id, Effects::none())
        .await
        .unwrap();
    assert!(store
        .list_source_accounts(conn.id)
        .await
        .unwrap()
        .is_empty());
    assert!(store.list_credentials(conn.id).await.unwrap().is_empty());
    assert_eq!(
        store.find_credential("fb-cascade").await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.get_confirmation_code(conn.id).await,
        Err(StoreError::NotFound)
    );
}

fn credential(
    connection: feedbridge_store::ConnectionId,
    username: &str,
    created: i64,
) -> Credential {
    Credential {
        id: CredentialId::new(),
        connection_id: connection,
        username: username.into(),
        password_mac: vec![0, 1, 2, 255],
        created: at(created),
        paired: Some(at(created + 1)),
        revoked: None,
        consumed: None,
    }
}
