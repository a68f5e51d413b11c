//! The tenant matrix: every operation with an id in its path, each id in turn replaced by another
//! client's id, an unknown id and a malformed one, then all ids of the other client at once.

use reqwest::StatusCode;
use serde_json::Value;

use super::expect::{lace, malformed, refused, unknown, with};
use super::fixture::{Seeded, World};
use super::ops::{operations, Operation};

/// Runs the refused cases of `op` for `a` against `b`'s ids; returns how many requests were
/// sent and the keys of the push operations recorded by in-band answers.
async fn cases(world: &World, op: &Operation, a: &Seeded, b: &Seeded) -> (usize, Vec<Value>) {
    let (app, name) = (&world.app, op.name());
    let mut recorded = Vec::new();
    for param in &op.params {
        let what = |case: &str| format!("{name} with {case} {param}");
        let in_band = op.in_band(&[param]);
        let (other, unknown) = (b.id(param), unknown(a.id(param)));
        let got = op.send(app, &a.tenant, &with(&a.ids, param, other)).await;
        recorded.extend(in_band.then(|| got.json()["pushOperationKey"].clone()));
        let other_answer = refused(&what("another client's"), in_band, got, other);
        let got = op
            .send(app, &a.tenant, &with(&a.ids, param, &unknown))
            .await;
        recorded.extend(in_band.then(|| got.json()["pushOperationKey"].clone()));
        let unknown_answer = refused(&what("an unknown"), in_band, got, &unknown);
        assert_eq!(
            other_answer, unknown_answer,
            "{name}: another client's {param} is told apart"
        );
        let malformed = malformed(a.id(param));
        let got = op
            .send(app, &a.tenant, &with(&a.ids, param, &malformed))
            .await;
        refused(&what("a malformed"), false, got, &malformed);
    }
    let got = op.send(app, &a.tenant, &b.ids).await;
    refused(
        &format!("{name} with all of another client's ids"),
        false,
        got,
        "",
    );
    (3 * op.params.len() + 1, recorded)
}

/// The caller's own ids succeed. A body laced with the other client's ids in ownership fields is
/// either refused with a 400 or succeeds on the caller's own objects, never on the other's.
async fn own(world: &World, op: &Operation, a: &Seeded, b: &Seeded) -> usize {
    let name = op.name();
    if let Some(body) = op.body(&a.ids) {
        let laced = Some(lace(body, b));
        let answer = op.send_body(&world.app, &a.tenant, &a.ids, laced).await;
        if answer.status.is_success() {
            return 1;
        }
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{name} with a laced body: {answer}"
        );
    }
    let answer = op.send(&world.app, &a.tenant, &a.ids).await;
    assert!(
        answer.status.is_success(),
        "{name} with the caller's own ids: {answer}"
    );
    2
}

/// `after` without what in-band answers left behind: the push operations `recorded` and the
/// `bankTransactions.write.unsuccessful` event each of them announced.
fn without(mut after: Value, before: &Value, recorded: &[Value]) -> Value {
    for company in after["companies"].as_array_mut().unwrap() {
        let push = company["push"].as_array_mut().unwrap();
        push.retain(|op| !recorded.contains(&op["pushOperationKey"]));
    }
    let known = before["deliveries"].as_array().unwrap();
    let mut left = recorded.len();
    after["deliveries"].as_array_mut().unwrap().retain(|d| {
        let announced = !known.contains(d)
            && left > 0
            && d["eventType"] == "bankTransactions.write.unsuccessful";
        left -= usize::from(announced);
        !announced
    });
    after
}

#[tokio::test]
async fn every_id_of_another_client_answers_like_an_unknown_one_and_changes_nothing() {
    let world = World::start().await;
    let b = world.seed("b").await;
    let b_before = world.snapshot(&b).await;
    let ops = operations(&world.app).await;
    assert!(
        ops.len() >= 25,
        "only {} operations with ids in /openapi.json",
        ops.len()
    );
    let mut sent = 0;
    for (n, op) in ops.iter().enumerate() {
        let a = world.seed(&format!("a{n}")).await;
        let a_before = world.snapshot(&a).await;
        let listed = a_before.to_string();
        let leaked: Vec<_> = b
            .ids
            .values()
            .filter(|id| listed.contains(id.as_str()))
            .collect();
        assert!(
            leaked.is_empty(),
            "another client's {leaked:?} listed to the caller"
        );
        let (count, recorded) = cases(&world, op, &a, &b).await;
        let name = op.name();
        let a_after = without(world.snapshot(&a).await, &a_before, &recorded);
        assert_eq!(a_after, a_before, "{name} changed the caller's data");
        sent += count + own(&world, op, &a, &b).await;
        assert_eq!(
            world.snapshot(&b).await,
            b_before,
            "{name} changed another client's data"
        );
    }
    assert!(sent > 100, "{sent} requests");
}
