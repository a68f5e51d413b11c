//! The authorization server's storage: recipients, signing keys and their rotation overlap,
//! authorization requests, consents granted atomically with the pair they consume, single-use
//! codes, rotating refresh tokens, and ending a consent.

use feedbridge_store::{
    AccountStatus, AuthorizationCode, AuthorizationRequest, ClientId, ConnectionStatus, Consent,
    ConsentId, ConsentRevocation, Credential, CredentialId, Effects, Recipient, RecipientId,
    Redeemed, RefreshToken, Rotation, SigningKey, SourceAccount, Store, StoreError,
};

use crate::fixtures::{at, client, effects, stored_account, stored_company, stored_connection};

pub async fn run(store: &dyn Store) {
    recipients_round_trip_and_cascade(store).await;
    signing_keys_overlap_after_rotation(store).await;
    requests_are_updated_and_taken_once(store).await;
    a_consent_consumes_its_pair_once(store).await;
    codes_are_single_use_and_bound_to_their_recipient(store).await;
    refresh_tokens_rotate_and_replays_are_seen(store).await;
    ending_a_consent_revokes_its_pair_and_stops_accounts(store).await;
}

fn recipient(name: &str, created: i64) -> Recipient {
    Recipient {
        id: RecipientId::new(),
        name: name.into(),
        secret_hash: vec![9, 8, 7],
        redirect_uris: vec![
            "https://aggregator.example/callback".into(),
            "http://127.0.0.1:9/cb?x=1".into(),
        ],
        created: at(created),
    }
}

async fn recipients_round_trip_and_cascade(store: &dyn Store) {
    let (a, b) = (recipient("Aggregator A", 10), recipient("Aggregator B", 20));
    store.insert_recipient(&b).await.unwrap();
    store.insert_recipient(&a).await.unwrap();
    assert_eq!(store.get_recipient(a.id).await.unwrap(), a);
    let listed = store.list_recipients().await.unwrap();
    let ours: Vec<_> = listed
        .iter()
        .filter(|r| r.id == a.id || r.id == b.id)
        .collect();
    assert_eq!(ours, [&a, &b], "oldest first");

    store.set_recipient_secret(a.id, &[1, 1]).await.unwrap();
    assert_eq!(store.get_recipient(a.id).await.unwrap().secret_hash, [1, 1]);
    let ghost = RecipientId::new();
    assert_eq!(
        store.set_recipient_secret(ghost, &[1]).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_recipient(ghost).await,
        Err(StoreError::NotFound)
    );
    let moved = vec![
        "https://b.example/one".to_owned(),
        "https://b.example/two".to_owned(),
    ];
    store
        .set_recipient_redirect_uris(a.id, &moved)
        .await
        .unwrap();
    let stored = store.get_recipient(a.id).await.unwrap();
    assert_eq!(
        (stored.redirect_uris, stored.secret_hash),
        (moved.clone(), vec![1, 1])
    );
    assert_eq!(
        store.set_recipient_redirect_uris(ghost, &moved).await,
        Err(StoreError::NotFound)
    );

    let granted = granted(store, &b).await;
    store.delete_recipient(b.id).await.unwrap();
    assert_eq!(store.get_recipient(b.id).await, Err(StoreError::NotFound));
    assert_eq!(
        store.get_consent(granted.consent.id).await,
        Err(StoreError::NotFound),
        "a recipient's consents go with it"
    );
}

fn key(kid: &str, created: i64) -> SigningKey {
    SigningKey {
        kid: kid.into(),
        x: format!("x-{kid}"),
        y: format!("y-{kid}"),
        sealed_private: vec![1, 2, 3],
        created: at(created),
        retire_after: None,
    }
}

async fn signing_keys_overlap_after_rotation(store: &dyn Store) {
    let first = key("k1", 100);
    store.insert_signing_key(&first, None).await.unwrap();
    let second = key("k2", 200);
    store
        .insert_signing_key(&second, Some(at(500)))
        .await
        .unwrap();
    let kids = |keys: Vec<SigningKey>| keys.into_iter().map(|k| k.kid).collect::<Vec<_>>();
    assert_eq!(
        kids(store.list_signing_keys(at(300)).await.unwrap()),
        ["k2", "k1"],
        "newest first, the old one still published in its overlap"
    );
    assert_eq!(
        kids(store.list_signing_keys(at(500)).await.unwrap()),
        ["k2"]
    );
    let listed = store.list_signing_keys(at(300)).await.unwrap();
    assert_eq!(listed[0], second);
    assert_eq!(listed[1].retire_after, Some(at(500)));
}

fn request(recipient: &Recipient, id: &[u8], expires: i64) -> AuthorizationRequest {
    AuthorizationRequest {
        id_hash: id.to_vec(),
        recipient: recipient.id,
        redirect_uri: recipient.redirect_uris[0].clone(),
        scope: "openid fdx:transactions:read".into(),
        state: Some("state-1".into()),
        nonce: Some("nonce-1".into()),
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
        created: at(1),
        expires: at(expires),
        language: "en".into(),
        credential: None,
        confirmed: false,
    }
}

async fn requests_are_updated_and_taken_once(store: &dyn Store) {
    let r = recipient("Requests", 1);
    store.insert_recipient(&r).await.unwrap();
    let (_, credential) = connection_with_pair(store).await;
    let mut req = request(&r, b"req-1", 1_000);
    store.insert_authorization_request(&req).await.unwrap();
    assert_eq!(
        store.get_authorization_request(b"req-1").await.unwrap(),
        req
    );

    req.credential = Some(credential.id);
    req.confirmed = true;
    req.language = "fr".into();
    store.update_authorization_request(&req).await.unwrap();
    assert_eq!(
        store.get_authorization_request(b"req-1").await.unwrap(),
        req
    );

    assert_eq!(
        store.take_authorization_request(b"req-1").await.unwrap(),
        req
    );
    assert_eq!(
        store.take_authorization_request(b"req-1").await,
        Err(StoreError::NotFound),
        "taken once"
    );

    store
        .insert_authorization_request(&request(&r, b"old", 10))
        .await
        .unwrap();
    store
        .insert_authorization_request(&request(&r, b"new", 100))
        .await
        .unwrap();
    assert!(store.purge_authorization_requests(at(50)).await.unwrap() >= 1);
    assert_eq!(
        store.get_authorization_request(b"old").await,
        Err(StoreError::NotFound)
    );
    assert!(store.get_authorization_request(b"new").await.is_ok());
}

/// A connection with one account and an unpaired credential pair.
async fn connection_with_pair(store: &dyn Store) -> (SourceAccount, Credential) {
    let owner = client(store).await;
    let company = stored_company(store, owner).await;
    let conn = stored_connection(store, company.id).await;
    let account = stored_account(store, conn.id).await;
    let credential = Credential {
        id: CredentialId::new(),
        connection_id: conn.id,
        username: format!("FDX-{}", CredentialId::new()),
        password_mac: vec![4, 5, 6],
        created: at(2),
        paired: None,
        revoked: None,
        consumed: None,
    };
    store
        .insert_credential(&credential, Effects::none())
        .await
        .unwrap();
    (account, credential)
}

/// What granting one consent stored.
struct Granted {
    consent: Consent,
    code: AuthorizationCode,
    credential: Credential,
    account: SourceAccount,
}

fn consent(r: &Recipient, account: &SourceAccount, c: &Credential) -> Consent {
    Consent {
        id: ConsentId::new(),
        recipient: r.id,
        connection_id: account.connection_id,
        credential_id: c.id,
        accounts: vec![account.id.clone()],
        data_clusters: vec!["ACCOUNT_BASIC".into(), "TRANSACTIONS".into()],
        scope: "openid offline_access fdx:accountbasic:read fdx:transactions:read".into(),
        created: at(30),
        expires: at(9_000),
        revocation: None,
    }
}

fn code(consent: &Consent, hash: &[u8]) -> AuthorizationCode {
    AuthorizationCode {
        hash: hash.to_vec(),
        consent: consent.id,
        recipient: consent.recipient,
        redirect_uri: "https://aggregator.example/callback".into(),
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
        nonce: Some("n".into()),
        expires: at(90),
    }
}

async fn granted(store: &dyn Store, r: &Recipient) -> Granted {
    let (account, credential) = connection_with_pair(store).await;
    let consent = consent(r, &account, &credential);
    let hash = format!("code-{}", consent.id).into_bytes();
    let code = code(&consent, &hash);
    store
        .insert_authorization_request(&request(r, &hash, 1_000))
        .await
        .unwrap();
    store
        .grant_consent(&consent, &code, &hash, Effects::none())
        .await
        .unwrap();
    Granted {
        consent,
        code,
        credential,
        account,
    }
}

async fn a_consent_consumes_its_pair_once(store: &dyn Store) {
    let r = recipient("Consents", 1);
    store.insert_recipient(&r).await.unwrap();
    let g = granted(store, &r).await;
    assert_eq!(store.get_consent(g.consent.id).await.unwrap(), g.consent);
    let paired = store.get_credential(g.credential.id).await.unwrap();
    assert!(paired.paired.is_some(), "the consent paired the pair");
    assert_eq!(paired.consumed, Some(g.consent.created), "and consumed it");
    assert_eq!(
        store.list_consents(g.consent.connection_id).await.unwrap(),
        std::slice::from_ref(&g.consent)
    );

    let again = consent(&r, &g.account, &g.credential);
    let before = crate::outbox::count(store).await;
    let refused = store
        .grant_consent(
            &again,
            &code(&again, b"second"),
            b"none",
            effects(ClientId::new(), "granted"),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert_eq!(store.get_consent(again.id).await, Err(StoreError::NotFound));
    assert_eq!(crate::outbox::count(store).await, before, "nothing written");
    assert_eq!(
        store.redeem_code(b"second", r.id, at(40)).await,
        Err(StoreError::NotFound)
    );
}

async fn codes_are_single_use_and_bound_to_their_recipient(store: &dyn Store) {
    let (r, other) = (recipient("Codes", 1), recipient("Other", 2));
    store.insert_recipient(&r).await.unwrap();
    store.insert_recipient(&other).await.unwrap();
    let g = granted(store, &r).await;
    assert_eq!(
        store.redeem_code(&g.code.hash, other.id, at(40)).await,
        Err(StoreError::NotFound),
        "another recipient's code is unknown to it"
    );
    assert_eq!(
        store.redeem_code(&g.code.hash, r.id, at(40)).await.unwrap(),
        Redeemed::Fresh(g.code.clone()),
        "the other recipient's attempt did not spend it"
    );
    assert_eq!(
        store.redeem_code(&g.code.hash, r.id, at(41)).await.unwrap(),
        Redeemed::Replayed(g.code.clone())
    );
}

async fn refresh_tokens_rotate_and_replays_are_seen(store: &dyn Store) {
    let (r, other) = (recipient("Refresh", 1), recipient("Thief", 2));
    store.insert_recipient(&r).await.unwrap();
    store.insert_recipient(&other).await.unwrap();
    let g = granted(store, &r).await;
    let first = RefreshToken {
        hash: b"rt-1".to_vec(),
        consent: g.consent.id,
        created: at(50),
    };
    store.insert_refresh_token(&first).await.unwrap();
    assert_eq!(
        store.find_refresh_token(b"rt-1", r.id).await.unwrap(),
        g.consent.id
    );
    assert_eq!(
        store
            .rotate_refresh_token(b"rt-1", b"rt-x", other.id, at(55))
            .await,
        Err(StoreError::NotFound),
        "another recipient cannot use or spend it"
    );
    assert_eq!(
        store
            .rotate_refresh_token(b"rt-1", b"rt-2", r.id, at(60))
            .await
            .unwrap(),
        Rotation::Rotated(g.consent.id)
    );
    assert_eq!(
        store
            .rotate_refresh_token(b"rt-2", b"rt-3", r.id, at(61))
            .await
            .unwrap(),
        Rotation::Rotated(g.consent.id),
        "the successor works"
    );
    assert_eq!(
        store
            .rotate_refresh_token(b"rt-1", b"rt-4", r.id, at(62))
            .await
            .unwrap(),
        Rotation::Replayed(g.consent.id)
    );
    assert_eq!(
        store
            .rotate_refresh_token(b"rt-4", b"rt-5", r.id, at(63))
            .await,
        Err(StoreError::NotFound),
        "a replay stores no successor"
    );
    assert_eq!(
        store
            .rotate_refresh_token(b"nope", b"rt-6", r.id, at(64))
            .await,
        Err(StoreError::NotFound)
    );
}

async fn ending_a_consent_revokes_its_pair_and_stops_accounts(store: &dyn Store) {
    let r = recipient("Ending", 1);
    store.insert_recipient(&r).await.unwrap();
    let g = granted(store, &r).await;
    let mut account = g.account.clone();
    account.status = AccountStatus::Disconnected;
    let mut conn = store
        .find_connection(g.consent.connection_id)
        .await
        .unwrap();
    conn.status = ConnectionStatus::Unlinked;
    let revocation = ConsentRevocation {
        at: at(70),
        reason: "USER_ACTION".into(),
        initiator: "DATA_RECIPIENT".into(),
    };
    let owner = store.find_company(conn.company_id).await.unwrap().client_id;
    let before = crate::outbox::count(store).await;
    store
        .end_consent(
            g.consent.id,
            &revocation,
            std::slice::from_ref(&account),
            Some(&conn),
            effects(owner, "consent.revoked"),
        )
        .await
        .unwrap();
    let ended = store.get_consent(g.consent.id).await.unwrap();
    assert_eq!(ended.revocation, Some(revocation));
    assert_eq!(
        store.get_credential(g.credential.id).await.unwrap().revoked,
        Some(at(70))
    );
    let stored = store
        .get_source_account(account.connection_id, &account.id)
        .await
        .unwrap();
    assert_eq!(stored.status, AccountStatus::Disconnected);
    assert_eq!(
        store.find_connection(conn.id).await.unwrap().status,
        ConnectionStatus::Unlinked
    );
    assert_eq!(crate::outbox::count(store).await, before + 1);

    let ghost = ConsentId::new();
    let missing = store
        .end_consent(
            ghost,
            &ended.revocation.clone().unwrap(),
            &[],
            None,
            Effects::none(),
        )
        .await;
    assert_eq!(missing, Err(StoreError::NotFound));
}
