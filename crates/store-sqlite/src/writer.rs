//! The single writer: every change goes through one connection that groups whatever requests are
//! waiting into one transaction (group commit).
//!
//! SQLite allows one writer at a time. Rather than let many connections fight over the write lock
//! (busy waits, `SQLITE_BUSY`), one task owns the write connection. Each request runs inside its
//! own savepoint, so a failing request rolls back alone, and every request of a group is answered
//! only after the group's `COMMIT` returned: an acknowledged write is on disk.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use futures::future::BoxFuture;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use feedbridge_store::{StoreError, StoreResult};

/// How many waiting requests one transaction may take; bounds the latency of the first one.
const MAX_GROUP: usize = 512;

/// Called after the group's commit with its outcome.
type Finish = Box<dyn FnOnce(StoreResult<()>) + Send>;

/// What a job reports after running inside its savepoint.
struct Ran {
    ok: bool,
    finish: Finish,
}

type Job = Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Ran> + Send>;

/// A handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer task on `conn`, which it owns from now on.
    pub fn start(conn: SqliteConnection) -> Self {
        let (jobs, rx) = mpsc::channel(4096);
        let commits = Arc::new(AtomicU64::new(0));
        tokio::spawn(run(conn, rx, commits.clone()));
        Self { jobs, commits }
    }

    /// How many group transactions have committed: fewer than the writes when grouping works.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Runs `f` inside the next group transaction and returns its result once committed.
    pub async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, StoreResult<T>>
            + Send
            + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let result = f(conn).await;
                let ok = result.is_ok();
                let finish: Finish = Box::new(move |commit| {
                    let _ = tx.send(commit.and(result));
                });
                Ran { ok, finish }
            })
        });
        self.jobs.send(job).await.map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the writer task has stopped".into())
}

async fn run(mut conn: SqliteConnection, mut rx: mpsc::Receiver<Job>, commits: Arc<AtomicU64>) {
    while let Some(first) = rx.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let finishes = run_group(&mut conn, group).await;
        let commit = commit(&mut conn).await;
        if commit.is_ok() {
            commits.fetch_add(1, Ordering::Relaxed);
        }
        for finish in finishes {
            finish(commit.clone());
        }
    }
    let _ = conn.close().await;
}

async fn run_group(conn: &mut SqliteConnection, group: Vec<Job>) -> Vec<Finish> {
    let mut finishes = Vec::with_capacity(group.len());
    if let Err(e) = exec(conn, "BEGIN IMMEDIATE").await {
        tracing::error!(error = %e, "could not begin a write transaction");
    }
    for job in group {
        let savepoint = exec(conn, "SAVEPOINT job").await;
        let ran = job(conn).await;
        let end = if ran.ok {
            "RELEASE job"
        } else {
            "ROLLBACK TO job"
        };
        let outcome = savepoint.and(exec(conn, end).await);
        if !ran.ok {
            // ROLLBACK TO leaves the savepoint open; release it so the next job nests cleanly.
            let _ = exec(conn, "RELEASE job").await;
        }
        match outcome {
            Ok(()) => finishes.push(ran.finish),
            Err(e) => {
                let finish = ran.finish;
                finishes.push(Box::new(move |_| finish(Err(e))));
            }
        }
    }
    finishes
}

async fn commit(conn: &mut SqliteConnection) -> StoreResult<()> {
    match exec(conn, "COMMIT").await {
        Ok(()) => Ok(()),
        Err(e) => {
            tracing::error!(error = %e, "group commit failed; rolling back");
            let _ = exec(conn, "ROLLBACK").await;
            Err(e)
        }
    }
}

async fn exec(conn: &mut SqliteConnection, sql: &str) -> StoreResult<()> {
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| StoreError::Backend(e.to_string()))
}
