//! SPEC §6 and §15, "nothing pushed is ever missed by the feed": an accounting platform that
//! asks each time from where its previous answer ended (OFX: the `DTEND` of its previous
//! statement; FDX: the `endTime` date of its previous window) receives every transaction the
//! institution pushed, whatever date the push rules allowed it to carry and however pushes and
//! downloads interleave.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp, ToSpan};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;

use feedbridge::domain::oauth::recipients::Registered;
use feedbridge::domain::push::input::{PushInput, TransactionInput};
use feedbridge::domain::push::PushOptions;
use feedbridge_ofx::Request;
use feedbridge_store::PushStatus;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::support::feed::{self, stmt, Linkable};
use crate::support::{oauth, TestApp};

const ACCOUNTS: [&str; 3] = ["chk-1", "chk-2", "sav-1"];

/// One step of an interleaving.
#[derive(Debug, Clone)]
enum Step {
    /// Pushes `count` transactions to an account, dated `days_back` days before today (moved
    /// forward as far as the push rules require).
    Push {
        account: usize,
        days_back: i64,
        count: usize,
    },
    /// The accounting platform downloads a statement from its previous answer's `DTEND`.
    Download { account: usize },
    /// Pushes and downloads sent at once.
    Together {
        pushes: Vec<(usize, i64)>,
        downloads: Vec<usize>,
    },
    /// Time passes.
    Wait { minutes: i64 },
}

fn step() -> impl Strategy<Value = Step> {
    let account = 0..ACCOUNTS.len();
    prop_oneof![
        3 => (account.clone(), 0..=7i64, 1..=3usize)
            .prop_map(|(account, days_back, count)| Step::Push { account, days_back, count }),
        3 => account.clone().prop_map(|account| Step::Download { account }),
        2 => (
            proptest::collection::vec((account.clone(), 0..=7i64), 1..4),
            proptest::collection::vec(account, 1..4)
        )
            .prop_map(|(pushes, downloads)| Step::Together { pushes, downloads }),
        2 => prop_oneof![0..=2i64, 0..=600i64, 0..=2880i64]
            .prop_map(|minutes| Step::Wait { minutes }),
    ]
}

/// The platform's side: how it downloads, over OFX or with an FDX token.
#[derive(Clone, Copy)]
struct Feed<'a> {
    s: &'a TestApp,
    l: &'a Linkable,
    /// The tokens of an FDX consent; OFX when there are none.
    token: Option<&'a Mutex<Tokens>>,
}

/// What an FDX recipient holds: its client, and the tokens it refreshes as access tokens lapse.
struct Tokens {
    recipient: Registered,
    access: String,
    refresh: String,
}

impl Feed<'_> {
    /// One download from `start` (where the previous answer ended): where this one ends, and
    /// the transaction ids it held.
    async fn download(self, account: usize, start: Option<Timestamp>) -> (Timestamp, Vec<String>) {
        match self.token {
            None => self.statement(account, start).await,
            Some(tokens) => self.fdx_window(tokens, account, start).await,
        }
    }

    async fn statement(self, account: usize, start: Option<Timestamp>) -> (Timestamp, Vec<String>) {
        let (s, l) = (self.s, self.l);
        let mut rq = Request::new(s.signon(&l.username, &l.password));
        rq.stmt.push(stmt(ACCOUNTS[account], start));
        let response = s.ofx(&rq).await;
        let trn = &response.stmt[0];
        assert_eq!(trn.status.code, 0, "{:?}", trn.status);
        let list = trn.rs.as_ref().unwrap().tranlist.as_ref().unwrap();
        let ids = list.transactions.iter().map(|t| t.fitid.clone()).collect();
        (list.dtend, ids)
    }

    /// Every page of the window from `start`'s date through today; it ends where today began.
    async fn fdx_window(
        self,
        tokens: &Mutex<Tokens>,
        account: usize,
        start: Option<Timestamp>,
    ) -> (Timestamp, Vec<String>) {
        let services = self.s.services();
        let today = services.today();
        let from = start.map_or(today, |t| services.local_date(t));
        let mut ids = Vec::new();
        let mut key: Option<String> = None;
        loop {
            let mut path = format!(
                "/fdx/v6/accounts/{}/transactions?startDate={from}&endDate={today}&limit=7",
                ACCOUNTS[account]
            );
            if let Some(key) = &key {
                path.push_str(&format!("&pageKey={key}"));
            }
            let body = self.fdx_get(tokens, &path).await;
            let listed = body["transactions"].as_array().unwrap();
            ids.extend(
                listed
                    .iter()
                    .map(|t| t["transactionId"].as_str().unwrap().to_owned()),
            );
            match body["page"]["nextPageKey"].as_str() {
                Some(next) => key = Some(next.to_owned()),
                None => return (services.start_of(today), ids),
            }
        }
    }
}

impl Feed<'_> {
    /// A GET with the access token, refreshed first when it has lapsed (as a recipient does).
    async fn fdx_get(self, tokens: &Mutex<Tokens>, path: &str) -> Value {
        let access = tokens.lock().await.access.clone();
        let answer = self.get_with(&access, path).await;
        if answer.status != StatusCode::UNAUTHORIZED {
            return answer.expect(StatusCode::OK);
        }
        let mut held = tokens.lock().await;
        if held.access == access {
            let issued = oauth::refreshed(self.s.services(), &held.recipient, &held.refresh).await;
            held.access = issued.access_token;
            held.refresh = issued.refresh_token.unwrap();
        }
        let access = held.access.clone();
        drop(held);
        self.get_with(&access, path).await.expect(StatusCode::OK)
    }

    async fn get_with(self, access: &str, path: &str) -> crate::support::Answer {
        self.s
            .req(Method::GET, path)
            .authorization(&format!("Bearer {access}"))
            .send()
            .await
    }
}

/// What the platform and the institution know while a sequence runs.
struct Run<'a> {
    feed: Feed<'a>,
    /// The `DTEND` of each account's previous statement.
    next_start: BTreeMap<usize, Timestamp>,
    /// The newest date pushed to each account (the push rules keep dates in order).
    newest: BTreeMap<usize, DateTime>,
    pushed: BTreeMap<usize, BTreeSet<String>>,
    downloaded: BTreeMap<usize, BTreeSet<String>>,
    serial: usize,
}

impl Run<'_> {
    /// A date the push rules accept: not before the account's newest, its feed start or a week
    /// ago, and not after now.
    fn date_for(&self, account: usize, days_back: i64) -> DateTime {
        let now = self
            .feed
            .s
            .services()
            .now()
            .to_zoned(jiff::tz::TimeZone::UTC);
        let wanted = (now.date() - days_back.days()).at(8, 0, 0, 0);
        let floor = (now.date() - 6.days()).at(0, 0, 0, 0);
        let at = wanted
            .max(floor)
            .max(self.newest.get(&account).copied().unwrap_or(floor));
        at.min(now.datetime())
    }

    fn transactions(&mut self, account: usize, days_back: i64, count: usize) -> PushInput {
        let date = self.date_for(account, days_back);
        self.newest.insert(account, date);
        let transactions = (0..count)
            .map(|_| {
                self.serial += 1;
                TransactionInput {
                    id: Some(format!("t{}", self.serial)),
                    date: Some(date.to_string()),
                    description: Some("Card payment".into()),
                    amount: Some(Decimal::new(-125, 2)),
                    ..TransactionInput::default()
                }
            })
            .collect();
        PushInput {
            account_id: Some(ACCOUNTS[account].into()),
            transactions,
        }
    }

    async fn push(feed: Feed<'_>, account: usize, input: PushInput) -> Vec<String> {
        let (s, l) = (feed.s, feed.l);
        let ids = input
            .transactions
            .iter()
            .filter_map(|t| t.id.clone())
            .collect();
        let op = s
            .services()
            .push_transactions(
                s.client.id,
                l.company.id,
                l.conn.id,
                ACCOUNTS[account],
                input,
                PushOptions::default(),
            )
            .await
            .unwrap();
        assert_eq!(op.status, PushStatus::Success, "{op:?}");
        ids
    }

    fn record_download(&mut self, account: usize, answer: (Timestamp, Vec<String>)) {
        self.next_start.insert(account, answer.0);
        self.downloaded.entry(account).or_default().extend(answer.1);
    }

    async fn apply(&mut self, step: &Step) {
        let feed = self.feed;
        match step {
            Step::Push {
                account,
                days_back,
                count,
            } => {
                let input = self.transactions(*account, *days_back, *count);
                let ids = Self::push(feed, *account, input).await;
                self.pushed.entry(*account).or_default().extend(ids);
            }
            Step::Download { account } => {
                let start = self.next_start.get(account).copied();
                let answer = feed.download(*account, start).await;
                self.record_download(*account, answer);
            }
            Step::Together { pushes, downloads } => {
                // Pushes to one account sent at once may be stored in either order, and the
                // push rules refuse dates older than the newest stored: one push per account.
                let mut accounts = BTreeSet::new();
                let inputs: Vec<_> = pushes
                    .iter()
                    .filter(|(a, _)| accounts.insert(*a))
                    .map(|(a, days)| (*a, self.transactions(*a, *days, 2)))
                    .collect();
                let starts: Vec<_> = downloads
                    .iter()
                    .map(|a| (*a, self.next_start.get(a).copied()))
                    .collect();
                let pushing = futures::future::join_all(
                    inputs
                        .into_iter()
                        .map(|(a, input)| async move { (a, Self::push(feed, a, input).await) }),
                );
                let reading = futures::future::join_all(
                    starts
                        .into_iter()
                        .map(|(a, start)| async move { (a, feed.download(a, start).await) }),
                );
                let (pushed, read) = tokio::join!(pushing, reading);
                for (a, ids) in pushed {
                    self.pushed.entry(a).or_default().extend(ids);
                }
                for (a, answer) in read {
                    // Of two answers for one account, the platform keeps the later DTEND.
                    let keep = self.next_start.get(&a).is_none_or(|t| *t <= answer.0);
                    self.downloaded.entry(a).or_default().extend(answer.1);
                    if keep {
                        self.next_start.insert(a, answer.0);
                    }
                }
            }
            Step::Wait { minutes } => {
                feed.s.clock.advance(SignedDuration::from_mins(*minutes));
            }
        }
    }
}

/// Links every account through the feed with a start a week back, runs `steps`, downloads once
/// more, and compares what the platform received with what the institution pushed.
async fn check(steps: &[Step], fdx: bool) {
    let s = feed::app(false).await;
    let l = s.linkable(&ACCOUNTS).await;
    let token = if fdx {
        Some(consent(&s, &l).await)
    } else {
        None
    };
    let feed = Feed {
        s: &s,
        l: &l,
        token: token.as_ref(),
    };
    let mut run = Run {
        feed,
        next_start: BTreeMap::new(),
        newest: BTreeMap::new(),
        pushed: BTreeMap::new(),
        downloaded: BTreeMap::new(),
        serial: 0,
    };
    let week_ago = s.services().now() - SignedDuration::from_hours(24 * 7);
    for account in 0..ACCOUNTS.len() {
        let answer = feed.download(account, Some(week_ago)).await;
        run.record_download(account, answer);
    }
    for step in steps {
        run.apply(step).await;
    }
    for account in 0..ACCOUNTS.len() {
        run.apply(&Step::Download { account }).await;
    }
    for (account, name) in ACCOUNTS.iter().enumerate() {
        let pushed = run.pushed.remove(&account).unwrap_or_default();
        let got = run.downloaded.remove(&account).unwrap_or_default();
        let missed: Vec<_> = pushed.difference(&got).collect();
        assert!(
            missed.is_empty(),
            "{name}: the feed never delivered {missed:?}"
        );
        assert!(got.is_subset(&pushed), "{name}: {got:?} ⊄ {pushed:?}");
    }
}

/// An FDX consent of every account of `l`, as the recipient holds it.
async fn consent(s: &TestApp, l: &Linkable) -> Mutex<Tokens> {
    let (recipient, issued) = oauth::granted(s.services(), l, &ACCOUNTS).await;
    Mutex::new(Tokens {
        recipient,
        access: issued.access_token,
        refresh: issued.refresh_token.unwrap(),
    })
}

/// Random sequences of steps, each checked on a fresh server, `cases` times.
fn property(fdx: bool, cases: u32) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(step(), 1..60), |steps| {
            rt.block_on(check(&steps, fdx));
            Ok(())
        })
        .unwrap();
}

#[test]
fn ofx_downloads_from_the_previous_dtend_receive_every_pushed_transaction() {
    property(false, 64);
}

#[test]
fn fdx_windows_from_the_previous_end_date_receive_every_pushed_transaction() {
    property(true, 32);
}

/// The case of the defect as a user met it: a download, then transactions dated three days and
/// one day back, then the next download from the first one's `DTEND`.
#[tokio::test]
async fn backdated_pushes_after_a_download_reach_the_next_download() {
    let s = feed::app(false).await;
    let l = s.linkable(&ACCOUNTS[..1]).await;
    let feed = Feed {
        s: &s,
        l: &l,
        token: None,
    };
    let week_ago = s.services().now() - SignedDuration::from_hours(24 * 7);
    let (dtend, first) = feed.download(0, Some(week_ago)).await;
    assert!(first.is_empty());
    s.clock.advance(SignedDuration::from_mins(5));
    let today: Date = s.services().today();
    let input = PushInput {
        account_id: Some(ACCOUNTS[0].into()),
        transactions: [(3, "late-1"), (1, "late-2")]
            .iter()
            .map(|(back, id)| TransactionInput {
                id: Some((*id).into()),
                date: Some((today - back.days()).at(10, 0, 0, 0).to_string()),
                description: Some("Deposit".into()),
                amount: Some(Decimal::new(4_200, 2)),
                ..TransactionInput::default()
            })
            .collect(),
    };
    Run::push(feed, 0, input).await;
    let (_, second) = feed.download(0, Some(dtend)).await;
    assert_eq!(second, ["late-1", "late-2"]);
}
