//! Sign-on answers do not tell usernames apart (playbook S6): a wrong password for a real username
//! and any password for a username that does not exist get byte-identical OFX answers, and take
//! the same time to come back.

use std::time::{Duration, Instant};

use feedbridge_ofx::Request;

use crate::support::{feed, TestApp};

/// Attempts per known username: below the five failures that start the back-off.
const TRIES: usize = 4;
const USERNAMES: usize = 40;

/// The raw answer to one sign-on and how long it took.
async fn attempt(s: &TestApp, user: &str) -> (Vec<u8>, Duration) {
    let request = Request::new(s.signon(user, "not-the-password"));
    let started = Instant::now();
    let bytes = s.ofx_raw(&request).await;
    (bytes, started.elapsed())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::test]
async fn unknown_usernames_and_wrong_passwords_look_alike() {
    let s = feed::app(false).await;
    let mut known = Vec::new();
    for _ in 0..USERNAMES {
        known.push(s.linkable(&[]).await.username);
    }
    let (mut known_times, mut unknown_times) = (Vec::new(), Vec::new());
    for round in 0..TRIES {
        for (i, user) in known.iter().enumerate() {
            // Each stranger is tried as often as each real username, so both count the same
            // failures; which goes first alternates, so neither side always follows a write.
            let stranger = format!("ZZZZ-Z{i:03}-ZZZZ");
            let known_first = (round + i) % 2 == 0;
            let (first, second) = if known_first {
                (user.as_str(), stranger.as_str())
            } else {
                (stranger.as_str(), user.as_str())
            };
            let (a, t_a) = attempt(&s, first).await;
            let (b, t_b) = attempt(&s, second).await;
            assert_eq!(
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b),
                "a wrong password and an unknown username are answered differently"
            );
            let (t_wrong, t_unknown) = if known_first { (t_a, t_b) } else { (t_b, t_a) };
            known_times.push(t_wrong);
            unknown_times.push(t_unknown);
        }
    }
    let (k, u) = (median(known_times), median(unknown_times));
    let gap = k.abs_diff(u);
    assert!(
        gap < Duration::from_millis(1),
        "median sign-on time differs by {gap:?} (known {k:?}, unknown {u:?})"
    );
}
