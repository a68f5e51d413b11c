//! The single writer: every change goes through one connection that groups whatever requests are
//! waiting into one transaction (group commit).
//!
//! SQLite allows one writer at a time. Rather than let many connections fight over the write lock
//! (busy waits, `SQLITE_BUSY`), one task, on a thread of its own, owns the write connection: every
//! write in the process waits for it, so it never queues behind request handlers for a runtime
//! thread. Each request runs inside its
//! own savepoint, so a failing request rolls back alone, and every request of a group is answered
//! only after the group's `COMMIT` returned: an acknowledged write is on disk. When the group's
//! transaction cannot begin (another process holds the write lock past the busy timeout), no
//! request of the group runs and each is told why.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use futures::future::BoxFuture;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use feedbridge_store::{StoreError, StoreResult};

use crate::error::backend;

/// How many waiting requests one transaction may take; bounds the latency of the first one.
const MAX_GROUP: usize = 512;

/// Called after the group's commit with its outcome.
type Finish = Box<dyn FnOnce(StoreResult<()>) + Send>;

/// What a job reports after running inside its savepoint.
struct Ran {
    ok: bool,
    finish: Finish,
}

/// A request: run on the connection inside the group's transaction, or refused with the reason
/// the transaction could not begin.
type Job = Box<
    dyn for<'c> FnOnce(Result<&'c mut SqliteConnection, StoreError>) -> BoxFuture<'c, Ran> + Send,
>;

/// A handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer on `conn`, which it owns from now on, on a thread of its own: every
    /// write waits for it, so it must never queue behind request handlers for a runtime thread.
    /// The thread ends once every handle is dropped and the queue is drained.
    pub fn start(conn: SqliteConnection) -> StoreResult<Self> {
        let (jobs, rx) = mpsc::channel(4096);
        let commits = Arc::new(AtomicU64::new(0));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot start the writer: {e}")))?;
        let task = run(conn, rx, commits.clone());
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || runtime.block_on(task))
            .map_err(|e| StoreError::Backend(format!("cannot start the writer: {e}")))?;
        Ok(Self { jobs, commits })
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
                let result = match conn {
                    Ok(conn) => f(conn).await,
                    Err(refused) => Err(refused),
                };
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
        if let Err(e) = exec(&mut conn, "BEGIN IMMEDIATE").await {
            tracing::error!(error = %e, "could not begin a write transaction");
            for job in group {
                (job(Err(e.clone())).await.finish)(Err(e.clone()));
            }
            continue;
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

/// Runs each job of a group in its own savepoint of the open transaction.
async fn run_group(conn: &mut SqliteConnection, group: Vec<Job>) -> Vec<Finish> {
    let mut finishes = Vec::with_capacity(group.len());
    for job in group {
        let savepoint = exec(conn, "SAVEPOINT job").await;
        let ran = job(Ok(&mut *conn)).await;
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
        .map_err(backend)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::ConnectOptions;

    use super::*;

    async fn connect(path: &std::path::Path) -> SqliteConnection {
        SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .busy_timeout(Duration::from_millis(200))
            .connect()
            .await
            .unwrap()
    }

    async fn count(conn: &mut SqliteConnection) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(conn)
            .await
            .unwrap()
    }

    /// Another connection holds the write lock past the busy timeout: the group's jobs never
    /// run (they would each commit on their own outside the failed transaction), every caller
    /// hears the database is unavailable, and the next group works.
    #[tokio::test]
    async fn a_group_that_cannot_begin_runs_none_of_its_jobs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let mut other = connect(&path).await;
        exec(&mut other, "CREATE TABLE t (x INTEGER)")
            .await
            .unwrap();
        let writer = Writer::start(connect(&path).await).unwrap();
        exec(&mut other, "BEGIN IMMEDIATE").await.unwrap();

        let ran = Arc::new(AtomicBool::new(false));
        let insert = |ran: Arc<AtomicBool>| {
            let writer = writer.clone();
            async move {
                writer
                    .write(move |c| {
                        Box::pin(async move {
                            ran.store(true, Ordering::SeqCst);
                            exec(c, "INSERT INTO t VALUES (1)").await
                        })
                    })
                    .await
            }
        };
        let (a, b) = tokio::join!(insert(ran.clone()), insert(ran.clone()));
        for outcome in [a, b] {
            assert!(
                matches!(outcome, Err(StoreError::Unavailable(_))),
                "{outcome:?}"
            );
        }
        assert!(
            !ran.load(Ordering::SeqCst),
            "a job ran outside the group's transaction"
        );

        exec(&mut other, "ROLLBACK").await.unwrap();
        assert_eq!(count(&mut other).await, 0);
        insert(Arc::new(AtomicBool::new(false))).await.unwrap();
        assert_eq!(count(&mut other).await, 1);
        assert_eq!(writer.commits(), 1);
    }
}
