//! `Idempotency-Key` claims: first use, in flight, mismatch, replay, release, expiry, an abandoned
//! claim lapsing, running claims released at start, tenancy.

use feedbridge_store::{IdempotencyClaim, Store, StoredResponse};

use crate::fixtures::{at, client};

pub async fn run(store: &dyn Store) {
    let (owner, other) = (client(store).await, client(store).await);
    let claim = |client, hash: &'static [u8], now| async move {
        store
            .claim_idempotency_key(client, "key-1", hash, at(now), at(now + 10))
            .await
            .unwrap()
    };
    assert_eq!(claim(owner, b"req-a", 0).await, IdempotencyClaim::Claimed);
    assert_eq!(claim(owner, b"req-a", 1).await, IdempotencyClaim::InFlight);
    assert_eq!(claim(owner, b"req-b", 1).await, IdempotencyClaim::Mismatch);
    assert_eq!(
        claim(other, b"req-b", 1).await,
        IdempotencyClaim::Claimed,
        "keys are per client"
    );

    let answer = StoredResponse {
        status: 201,
        body: b"{\"id\":1}".to_vec(),
    };
    store
        .complete_idempotency_key(owner, "key-1", &answer, at(100))
        .await
        .unwrap();
    assert_eq!(
        claim(owner, b"req-a", 2).await,
        IdempotencyClaim::Done(answer)
    );
    assert_eq!(claim(owner, b"req-b", 2).await, IdempotencyClaim::Mismatch);

    // Kept until the time given on completion; at that instant it is gone.
    assert_eq!(claim(owner, b"req-b", 100).await, IdempotencyClaim::Claimed);
    assert_eq!(
        claim(owner, b"req-b", 101).await,
        IdempotencyClaim::InFlight
    );

    // Never completed: the claim lapses at its lease, so a retry can run.
    assert_eq!(
        claim(owner, b"req-b", 109).await,
        IdempotencyClaim::InFlight
    );
    assert_eq!(claim(owner, b"req-b", 110).await, IdempotencyClaim::Claimed);

    store.release_idempotency_key(other, "key-1").await.unwrap();
    assert_eq!(claim(other, b"req-c", 2).await, IdempotencyClaim::Claimed);

    // At the start of the only instance, running claims are forgotten and answers kept.
    assert!(store.release_running_idempotency_keys().await.unwrap() >= 2);
    assert_eq!(claim(other, b"req-c", 3).await, IdempotencyClaim::Claimed);
    assert_eq!(claim(owner, b"req-b", 111).await, IdempotencyClaim::Claimed);
}
