//! The swap property: random sequences of one client's requests, with random ids swapped for
//! another client's, never reach the other client's data and always answer 404 when swapped.

use proptest::collection::vec;
use proptest::prelude::any;
use proptest::test_runner::{Config, TestRunner};
use reqwest::{Method, StatusCode};

use super::expect::refused;
use super::fixture::{Seeded, World};
use super::ops::{operations, Operation};

/// One request: which operation, and a bit per path parameter saying whether to swap it.
type Step = (usize, u8);

/// Seeds two clients alike, runs `steps` as the first with the second's ids swapped in, and
/// checks the second's data afterwards.
async fn run(world: &World, ops: &[Operation], steps: &[Step]) {
    let (a, b) = (world.seed("a").await, world.seed("b").await);
    let b_before = world.snapshot(&b).await;
    for (index, mask) in steps {
        let op = &ops[*index];
        let mut ids = a.ids.clone();
        let mut swapped = Vec::new();
        for (bit, param) in op.params.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                ids.insert(param.clone(), b.id(param).to_owned());
                swapped.push(param.as_str());
            }
        }
        let answer = op.send(&world.app, &a.tenant, &ids).await;
        let what = format!("{} with {swapped:?} swapped", op.name());
        assert!(!answer.status.is_server_error(), "{what}: {answer}");
        if !swapped.is_empty() {
            let in_band = op.in_band(&swapped) && own_connection_exists(world, &a).await;
            refused(&what, in_band, answer, "");
        }
    }
    assert_eq!(
        world.snapshot(&b).await,
        b_before,
        "{steps:?} changed another client's data"
    );
}

/// An in-band answer names an account of the caller's own connection; once an earlier step of
/// the sequence deleted that connection or its company, the request is a plain 404.
async fn own_connection_exists(world: &World, a: &Seeded) -> bool {
    let path = format!(
        "/companies/{}/connections/{}",
        a.id("companyId"),
        a.id("connectionId")
    );
    let answer = world.app.req(Method::GET, &path).by(&a.tenant);
    answer.send().await.status == StatusCode::OK
}

#[test]
fn swapped_ids_answer_404_and_never_touch_the_other_client() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (world, ops) = rt.block_on(async {
        let world = World::start().await;
        let ops = operations(&world.app).await;
        (world, ops)
    });
    let steps = vec((0..ops.len(), any::<u8>()), 1..12);
    let mut runner = TestRunner::new(Config {
        cases: 32,
        failure_persistence: None,
        ..Config::default()
    });
    // A panic inside a case is caught by the runner, reported as that case's failure and shrunk.
    let outcome = runner.run(&steps, |steps| {
        rt.block_on(run(&world, &ops, &steps));
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
