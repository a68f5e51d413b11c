//! Companies and connections: tenancy scoping, creation order, updates and cascades.

use feedbridge_store::{
    ClientId, CompanyId, ConnectionId, ConnectionStatus, Effects, Store, StoreError,
};

use crate::fixtures::{at, client, company, connection, stored_company};

pub async fn run(store: &dyn Store) {
    companies_are_scoped_to_their_client(store).await;
    companies_list_in_creation_order(store).await;
    connections_round_trip_and_scope(store).await;
    deleting_a_company_removes_its_connections(store).await;
}

async fn companies_are_scoped_to_their_client(store: &dyn Store) {
    let (mine, theirs) = (client(store).await, client(store).await);
    let mut bakery = stored_company(store, mine).await;
    assert_eq!(store.get_company(mine, bakery.id).await.unwrap(), bakery);
    assert_eq!(
        store.get_company(theirs, bakery.id).await,
        Err(StoreError::NotFound)
    );
    assert!(store.list_companies(theirs).await.unwrap().is_empty());

    let duplicate = store.insert_company(&bakery, Effects::none()).await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );

    let mut stolen = bakery.clone();
    stolen.client_id = theirs;
    stolen.name = "Stolen".into();
    assert_eq!(
        store.update_company(&stolen).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store
            .delete_company(theirs, bakery.id, Effects::none())
            .await,
        Err(StoreError::NotFound)
    );

    bakery.name = "Bakery & Sons".into();
    bakery.description = None;
    bakery.tags.insert("size".into(), "small".into());
    store.update_company(&bakery).await.unwrap();
    assert_eq!(store.get_company(mine, bakery.id).await.unwrap(), bakery);
    let missing = company(mine, "Ghost", at(1));
    assert_eq!(
        store.update_company(&missing).await,
        Err(StoreError::NotFound)
    );
}

async fn companies_list_in_creation_order(store: &dyn Store) {
    let owner = client(store).await;
    // Same timestamp for all three: ties keep the order of insertion.
    let names = ["Zeta", "Alpha", "Mid"];
    let mut ids = Vec::new();
    for name in names {
        let c = company(owner, name, at(7));
        store.insert_company(&c, Effects::none()).await.unwrap();
        ids.push(c.id);
    }
    let earlier = company(owner, "Earliest", at(6));
    store
        .insert_company(&earlier, Effects::none())
        .await
        .unwrap();
    ids.insert(0, earlier.id);
    let listed: Vec<CompanyId> = store
        .list_companies(owner)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(listed, ids);
}

async fn connections_round_trip_and_scope(store: &dyn Store) {
    let owner = client(store).await;
    let home = stored_company(store, owner).await;
    let other = stored_company(store, owner).await;
    let first = connection(home.id, at(3));
    let second = connection(home.id, at(3));
    store
        .insert_connection(&first, Effects::none())
        .await
        .unwrap();
    store
        .insert_connection(&second, Effects::none())
        .await
        .unwrap();

    let listed: Vec<ConnectionId> = store
        .list_connections(home.id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(listed, vec![first.id, second.id]);
    assert_eq!(
        store.get_connection(other.id, first.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.find_connection(first.id).await.unwrap(), first);
    assert_eq!(
        store.find_connection(ConnectionId::new()).await,
        Err(StoreError::NotFound)
    );
    let duplicate = store.insert_connection(&first, Effects::none()).await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );

    let mut linked = first.clone();
    linked.status = ConnectionStatus::Linked;
    linked.last_sync = Some(at(9));
    linked.link_generation = 3;
    store
        .update_connection(&linked, Effects::none())
        .await
        .unwrap();
    assert_eq!(
        store.get_connection(home.id, first.id).await.unwrap(),
        linked
    );
    let ghost = connection(home.id, at(3));
    assert_eq!(
        store.update_connection(&ghost, Effects::none()).await,
        Err(StoreError::NotFound)
    );

    assert_eq!(
        store
            .delete_connection(other.id, first.id, Effects::none())
            .await,
        Err(StoreError::NotFound)
    );
    store
        .delete_connection(home.id, first.id, Effects::none())
        .await
        .unwrap();
    assert_eq!(
        store.find_connection(first.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.list_connections(home.id).await.unwrap().len(), 1);
}

async fn deleting_a_company_removes_its_connections(store: &dyn Store) {
    let owner: ClientId = client(store).await;
    let doomed = stored_company(store, owner).await;
    let conn = connection(doomed.id, at(3));
    store
        .insert_connection(&conn, Effects::none())
        .await
        .unwrap();
    store
        .delete_company(owner, doomed.id, Effects::none())
        .await
        .unwrap();
    assert_eq!(
        store.get_company(owner, doomed.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.find_connection(conn.id).await,
        Err(StoreError::NotFound)
    );
    assert!(store.list_connections(doomed.id).await.unwrap().is_empty());
}
