//! [`SqlStore`], and the few ways every aggregate reads and writes through its backend.

use std::ops::Deref;

use feedbridge_store::{Effects, StoreError, StoreResult};

use crate::backend::Backend;
use crate::effects;
use crate::row::{expect_rows, Row};
use crate::stmt::Stmt;

/// The `Store` contract on a backend `B`. It dereferences to the backend, so what only one backend
/// offers (SQLite's commit count) stays reachable.
#[derive(Clone)]
pub struct SqlStore<B>(B);

impl<B: Backend> SqlStore<B> {
    /// Opens the database at `url` and applies pending migrations (see [`Backend::open`]).
    pub async fn open(url: &str) -> StoreResult<Self> {
        B::open(url).await.map(Self)
    }

    /// Reaches the database at `url` without touching its schema (see [`Backend::connect`]).
    pub async fn connect(url: &str) -> StoreResult<Self> {
        B::connect(url).await.map(Self)
    }

    pub(crate) fn backend(&self) -> &B {
        &self.0
    }

    /// Every row of a read, mapped.
    pub(crate) async fn read_all<T, F>(&self, stmt: Stmt, map: F) -> StoreResult<Vec<T>>
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send,
    {
        self.0.read(stmt, map).await
    }

    /// The first row of a read, if any.
    pub(crate) async fn read_optional<T, F>(&self, stmt: Stmt, map: F) -> StoreResult<Option<T>>
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send,
    {
        Ok(self.read_all(stmt, map).await?.into_iter().next())
    }

    /// The row of a read that must find one; `NotFound` otherwise.
    pub(crate) async fn read_one<T, F>(&self, stmt: Stmt, map: F) -> StoreResult<T>
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send,
    {
        self.read_optional(stmt, map)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Writes `change` as one transaction.
    pub(crate) async fn write(&self, change: Change) -> StoreResult<()> {
        self.write_counting(change).await.map(|_| ())
    }

    /// Writes `change` as one transaction; answers how many rows its first statement changed.
    pub(crate) async fn write_counting(&self, change: Change) -> StoreResult<u64> {
        self.0
            .write(move |c| Box::pin(async move { change.write_on::<B>(c).await }))
            .await
    }
}

impl<B> Deref for SqlStore<B> {
    type Target = B;

    fn deref(&self) -> &B {
        &self.0
    }
}

/// Statements written together, in order, with the outbox events and audit rows of the change.
pub(crate) struct Change {
    steps: Vec<(Stmt, bool)>,
    effects: Effects,
}

impl Change {
    pub fn new() -> Self {
        Self {
            steps: Vec::new(),
            effects: Effects::none(),
        }
    }

    /// A statement that may change any number of rows.
    pub fn then(mut self, stmt: Stmt) -> Self {
        self.steps.push((stmt, false));
        self
    }

    /// A statement that must change a row: the change fails with `NotFound` when it changes none.
    pub fn changing(mut self, stmt: Stmt) -> Self {
        self.steps.push((stmt, true));
        self
    }

    pub fn effects(mut self, effects: Effects) -> Self {
        self.effects = effects;
        self
    }

    /// Runs the change on the write connection; answers how many rows the first statement changed.
    pub async fn write_on<B: Backend>(self, c: &mut B::Conn) -> StoreResult<u64> {
        let mut first = None;
        for (stmt, must_touch) in self.steps {
            let changed = B::execute(c, stmt).await?;
            if must_touch {
                expect_rows(changed)?;
            }
            first.get_or_insert(changed);
        }
        effects::write::<B>(c, &self.effects).await?;
        Ok(first.unwrap_or(0))
    }
}
