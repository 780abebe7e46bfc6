//! SQLite's group commit.
//!
//! An SQLite file has one writer, so an instance's write transactions run one after another
//! on one connection of their own. Rather than each paying its own `BEGIN … COMMIT` — a
//! commit writes every page the transaction dirtied to the log, and the full-text index
//! flushes a new segment per transaction — transactions that arrive while another runs join
//! one database transaction, each inside a savepoint of its own, and the last of them
//! commits for all (measured in `docs/decisions.md`, "Group commit"). A member's failure
//! rolls back its savepoint only. A member's `commit` answers once the batch is committed,
//! so a request that wrote still reads its write on any connection afterwards; if the
//! batch's commit fails, every member of it fails. Full-text tables are written once per
//! batch, just before its commit, from a queue the triggers fill (migration 0024).
//!
//! Progress never depends on a request that went away: a queued or joined member that is
//! dropped (the client hung up, the service returned an error) leaves a task that ends the
//! batch if nobody else is left to, and the next holder of the connection first rolls back
//! whatever a dropped member left half done.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sea_query_sqlx::SqlxValues;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard, oneshot};

use super::{StoreError, StoreResult, counts};

/// Members a batch takes before it commits even though more are waiting: bounds how long
/// the first member of a busy stream waits for its answer.
const MAX_BATCH: usize = 64;

/// What a member's commit came to: its batch committed, or why not.
type Outcome = StoreResult<()>;

/// This instance's writer: a connection, opened at the first write, and the batch on it.
pub(super) struct Writer {
    options: SqliteConnectOptions,
    slot: Arc<Mutex<Option<Batch>>>,
    /// Members queued for the connection: while any are, a finishing member leaves the
    /// batch open for them.
    queued: AtomicUsize,
}

/// The writer's connection and the transaction open on it.
struct Batch {
    conn: SqliteConnection,
    /// `BEGIN IMMEDIATE` ran and neither `COMMIT` nor `ROLLBACK` since.
    open: bool,
    savepoint: Savepoint,
    /// A released member wrote CRM data: the data version moves on at the commit.
    wrote_crm_data: bool,
    /// Members whose savepoints were released, waiting for the batch's commit.
    released: Vec<oneshot::Sender<Outcome>>,
    /// A rollback failed: the connection is replaced before its next use.
    broken: bool,
}

/// The savepoint `wkcrm_tx`, which holds one member's work.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Savepoint {
    None,
    /// Open and empty, for the next member: a finishing member that sees others queued
    /// releases its own and opens this in the same round trip.
    Spare,
    /// A member's: when anyone but that member finds it so, the member went away without
    /// finishing and its work is rolled back.
    Taken,
}

type Held = OwnedMappedMutexGuard<Option<Batch>, Batch>;

/// One write transaction: holds the writer's connection inside its savepoint.
pub(super) struct Member {
    held: Held,
    turn: Turn,
    /// Writes whose answers nobody reads (history rows), sent with the member's next
    /// round trip: its next statement or its release. While a member holds the
    /// connection every other member waits, and a round trip to SQLite's thread and back
    /// costs more than the insert itself.
    deferred: Deferred,
}

/// Statements and their parameters (SQLite's unnumbered `?`, bound in order across the
/// statements of one script).
#[derive(Default)]
struct Deferred {
    sql: String,
    values: Vec<sea_query::Value>,
}

impl Deferred {
    /// The deferred statements followed by `then`, as one script.
    fn take_with(&mut self, then: &str) -> (String, SqlxValues) {
        let mut sql = std::mem::take(&mut self.sql);
        sql.push_str(then);
        (
            sql,
            SqlxValues(sea_query::Values(std::mem::take(&mut self.values))),
        )
    }
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("queued", &self.queued())
            .finish_non_exhaustive()
    }
}

impl Writer {
    pub(super) fn new(options: SqliteConnectOptions) -> Writer {
        Writer {
            options,
            slot: Arc::default(),
            queued: AtomicUsize::new(0),
        }
    }

    /// Waits for the connection (after this instance's earlier writers, in order) and
    /// takes a savepoint on it, in the batch already open or a new one (`BEGIN IMMEDIATE`:
    /// the file lock up front, so a member never fails on a lock upgrade).
    pub(super) async fn join(self: &Arc<Self>) -> StoreResult<Member> {
        let mut turn = Turn::queue(self.clone());
        let slot = self.slot.clone().lock_owned().await;
        turn.admit();
        // `Batch` records what ran on the connection. A caller going away between SQLite
        // running a statement and that record (a `BEGIN` waiting on another process's lock)
        // would leave them disagreeing — a transaction open on a batch marked not open, on
        // which every later `BEGIN` fails — so the statements run in a task of their own.
        let writer = self.clone();
        let held = tokio::spawn(async move { writer.take_savepoint(slot).await })
            .await
            .map_err(|e| {
                StoreError::Sqlx(sqlx::Error::Protocol(format!("the SQLite writer stopped: {e}")))
            })??;
        Ok(Member {
            held,
            turn,
            deferred: Deferred::default(),
        })
    }

    /// Opens the batch behind `slot` if it is not, and a savepoint in it for one member.
    async fn take_savepoint(&self, slot: OwnedMutexGuard<Option<Batch>>) -> StoreResult<Held> {
        let mut held = self.ready(slot).await?;
        if let Err(e) = tidy(&mut held).await {
            fail_batch(&mut held, &e.to_string()).await;
            return Err(e);
        }
        if !held.open {
            run(&mut held.conn, "BEGIN IMMEDIATE").await?;
            held.open = true;
        }
        if held.savepoint == Savepoint::None {
            run(&mut held.conn, "SAVEPOINT wkcrm_tx").await?;
        }
        held.savepoint = Savepoint::Taken;
        Ok(held)
    }

    /// The batch behind `slot`, on a connection opened now if there is none or the one
    /// there broke (its batch already failed and told its members).
    async fn ready(&self, mut slot: OwnedMutexGuard<Option<Batch>>) -> StoreResult<Held> {
        if slot.as_ref().is_none_or(|batch| batch.broken) {
            *slot = Some(Batch::new(self.options.connect().await?));
        }
        OwnedMutexGuard::try_map(slot, Option::as_mut).map_err(|_| {
            StoreError::Sqlx(sqlx::Error::Protocol(
                "the SQLite writer has no connection".into(),
            ))
        })
    }

    fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    /// Closes the connection once the batch on it, if any, has ended.
    pub(super) async fn close(&self) {
        let mut slot = self.slot.lock().await;
        if let Some(batch) = slot.take() {
            let _ = batch.conn.close().await;
        }
    }
}

impl Batch {
    fn new(conn: SqliteConnection) -> Batch {
        Batch {
            conn,
            open: false,
            savepoint: Savepoint::None,
            wrote_crm_data: false,
            released: Vec::new(),
            broken: false,
        }
    }

    /// More members are queued to join, and there is room for them.
    fn stays_open_for(&self, writer: &Writer) -> bool {
        writer.queued() > 0 && self.released.len() < MAX_BATCH
    }
}

impl Member {
    /// The connection, once the deferred writes have run.
    pub(super) async fn conn(&mut self) -> StoreResult<&mut SqliteConnection> {
        if !self.deferred.sql.is_empty() {
            let (sql, values) = self.deferred.take_with("");
            run_with(&mut self.held.conn, sql, values).await?;
        }
        Ok(&mut self.held.conn)
    }

    /// Runs `sql` (one statement, built for SQLite) with the member's next round trip.
    pub(super) fn defer(&mut self, sql: String, values: SqlxValues) {
        self.deferred.sql.push_str(&sql);
        self.deferred.sql.push_str("; ");
        self.deferred.values.extend(values.0.0);
    }

    /// Runs the deferred writes, releases the savepoint and answers once the batch holding
    /// it has committed. The rest runs in a task of its own, so that a caller going away
    /// midway cannot leave the batch without an end.
    pub(super) async fn commit(self, wrote_crm_data: bool) -> StoreResult<()> {
        let Member {
            mut held,
            mut turn,
            mut deferred,
        } = self;
        let writer = turn.finish();
        let (answer, outcome) = oneshot::channel();
        tokio::spawn(async move {
            let spare = held.stays_open_for(&writer);
            let release = if spare {
                "RELEASE wkcrm_tx; SAVEPOINT wkcrm_tx"
            } else {
                "RELEASE wkcrm_tx"
            };
            let (sql, values) = deferred.take_with(release);
            if let Err(e) = run_with(&mut held.conn, sql, values).await {
                // The script stops at the statement that failed. A deferred write's
                // failure leaves the savepoint, which undoes this member alone; without
                // it, whether the release went is unknown and the whole batch goes.
                if run(&mut held.conn, "ROLLBACK TO wkcrm_tx").await.is_ok() {
                    held.savepoint = Savepoint::Spare;
                    let _ = answer.send(Err(e));
                    return end_if_last(held, &writer).await;
                }
                let message = e.to_string();
                let _ = answer.send(Err(e));
                return fail_batch(&mut held, &message).await;
            }
            held.savepoint = if spare { Savepoint::Spare } else { Savepoint::None };
            held.wrote_crm_data |= wrote_crm_data;
            held.released.push(answer);
            end_if_last(held, &writer).await;
        });
        outcome
            .await
            .unwrap_or_else(|_| Err(batch_failed("the writer stopped before committing")))
    }
}

/// Rolls back what a member that went away left in its savepoint, which stays open, empty.
async fn tidy(held: &mut Held) -> StoreResult<()> {
    if held.savepoint == Savepoint::Taken {
        run(&mut held.conn, "ROLLBACK TO wkcrm_tx").await?;
        held.savepoint = Savepoint::Spare;
    }
    Ok(())
}

/// Commits the batch unless more members are queued to join it (and it is not full): the
/// data version moved on if a member wrote CRM data, the full-text queue applied, and the
/// commit, in one round trip.
async fn end_if_last(mut held: Held, writer: &Writer) {
    if let Err(e) = tidy(&mut held).await {
        return fail_batch(&mut held, &e.to_string()).await;
    }
    if !held.open || held.stays_open_for(writer) {
        return;
    }
    let mut script = String::new();
    if held.wrote_crm_data {
        script.push_str(&counts::bump_sql());
        script.push_str("; ");
    }
    script.push_str(APPLY_SEARCH_QUEUE);
    script.push_str("; COMMIT");
    match run_script(&mut held.conn, script).await {
        Ok(()) => {
            held.open = false;
            held.savepoint = Savepoint::None;
            held.wrote_crm_data = false;
            tracing::debug!(members = held.released.len(), "committed an SQLite write batch");
            for member in held.released.drain(..) {
                let _ = member.send(Ok(()));
            }
        }
        Err(e) => fail_batch(&mut held, &e.to_string()).await,
    }
}

/// Writes what the batch queued for the full-text tables into them (migration 0024): once
/// per batch, outside every member's savepoint, since FTS5 writes its pending terms out at
/// each savepoint and release. The view's triggers send each row to its table, in order.
const APPLY_SEARCH_QUEUE: &str = "INSERT INTO crm_search_apply \
    SELECT search_table, command, rid, c1, c2, c3 FROM crm_search_queue ORDER BY seq; \
    DELETE FROM crm_search_queue";

/// Rolls the whole batch back and tells its members why.
async fn fail_batch(held: &mut Held, error: &str) {
    tracing::error!(%error, members = held.released.len(), "an SQLite write batch failed");
    if held.open && run(&mut held.conn, "ROLLBACK").await.is_err() {
        held.broken = true;
    }
    held.open = false;
    held.savepoint = Savepoint::None;
    held.wrote_crm_data = false;
    for member in held.released.drain(..) {
        let _ = member.send(Err(batch_failed(error)));
    }
}

/// Ends the batch if a member went away and nobody else is left to.
async fn settle(writer: Arc<Writer>) {
    let slot = writer.slot.clone().lock_owned().await;
    if let Ok(held) = OwnedMutexGuard::try_map(slot, Option::as_mut) {
        end_if_last(held, &writer).await;
    }
}

fn batch_failed(message: &str) -> StoreError {
    StoreError::Sqlx(sqlx::Error::Protocol(format!(
        "the write batch was not committed: {message}"
    )))
}

/// SQLite's transaction statements, which sea-query does not build: text.
async fn run(conn: &mut SqliteConnection, sql: &'static str) -> StoreResult<()> {
    sqlx::query(sql).execute(conn).await?;
    Ok(())
}

/// Several statements with parameters in one round trip; stops at the first that fails.
async fn run_with(conn: &mut SqliteConnection, sql: String, values: SqlxValues) -> StoreResult<()> {
    let result = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
        .execute(conn)
        .await;
    result.map(|_| ()).map_err(StoreError::classify)
}

/// Several statements without parameters in one round trip; stops at the first that fails.
async fn run_script(conn: &mut SqliteConnection, sql: String) -> StoreResult<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(conn).await?;
    Ok(())
}

/// A member's place: counted as queued until admitted; dropped before it finished (its
/// request went away, or failed), it leaves a task that ends the batch if nobody else will.
struct Turn {
    writer: Arc<Writer>,
    stage: Stage,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Queued,
    Admitted,
    Finished,
}

impl Turn {
    fn queue(writer: Arc<Writer>) -> Turn {
        writer.queued.fetch_add(1, Ordering::SeqCst);
        Turn {
            writer,
            stage: Stage::Queued,
        }
    }

    fn admit(&mut self) {
        if self.stage == Stage::Queued {
            self.writer.queued.fetch_sub(1, Ordering::SeqCst);
            self.stage = Stage::Admitted;
        }
    }

    /// The member commits: nothing is left for a drop to do.
    fn finish(&mut self) -> Arc<Writer> {
        self.admit();
        self.stage = Stage::Finished;
        self.writer.clone()
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.admit();
        if self.stage != Stage::Finished
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(settle(self.writer.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_query::{Expr, ExprTrait, Query};

    use super::super::{Db, StoreError, fetch_scalar, insert_row, run_ddl, write_deferred};

    async fn scratch_db() -> (Db, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("writer.db");
        let db = Db::connect(&format!("sqlite:{}", file.display())).await.unwrap();
        db.migrate().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        run_ddl(
            (&mut tx).into(),
            "CREATE TABLE deferred_t (id INTEGER PRIMARY KEY)".into(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        (db, dir)
    }

    fn row(id: i64) -> sea_query::InsertStatement {
        insert_row("deferred_t", [("id", Expr::val(id))])
    }

    async fn count(exec: impl Into<super::super::Exec<'_>>, below: i64) -> i64 {
        let mut q = Query::select();
        q.expr(Expr::col("id").count())
            .from("deferred_t")
            .and_where(Expr::col("id").lt(below));
        fetch_scalar::<i64, _>(exec, &q).await.unwrap()
    }

    #[tokio::test]
    async fn a_deferred_write_is_seen_by_the_next_statement_and_its_failure_undoes_only_its_member() {
        let (db, _dir) = scratch_db().await;
        // Seen by the member's own next statement.
        let mut tx = db.begin().await.unwrap();
        write_deferred(&mut tx, &row(1)).await.unwrap();
        assert_eq!(count(&mut tx, 100).await, 1);
        tx.commit().await.unwrap();
        // Parallel members: those whose deferred row collides with id 1 fail at commit and
        // leave nothing; the rest commit, in the same batches.
        let members = (0..12i64).map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin().await?;
                super::super::execute(&mut tx, &row(1000 + i)).await?;
                let deferred = if i % 3 == 0 { 1 } else { 10 + i };
                write_deferred(&mut tx, &row(deferred)).await?;
                tx.commit().await
            })
        });
        let mut failed = 0;
        for member in members.collect::<Vec<_>>() {
            match member.await.unwrap() {
                Ok(()) => {}
                Err(StoreError::Unique(_)) => failed += 1,
                Err(e) => panic!("unexpected {e}"),
            }
        }
        assert_eq!(failed, 4);
        assert_eq!(
            count(&db, 100).await,
            1 + 8,
            "the deferred rows of the committed members"
        );
        assert_eq!(
            count(&db, 2000).await - count(&db, 1000).await,
            8,
            "no failed member's first row"
        );
        db.close().await;
    }

    #[tokio::test]
    async fn a_write_that_goes_away_while_its_transaction_begins_leaves_the_writer_working() {
        use sqlx::{ConnectOptions, Connection};
        let (db, dir) = scratch_db().await;
        // Another process holds the file's write lock, so the writer's `BEGIN IMMEDIATE`
        // waits on the busy timeout; the request goes away meanwhile.
        let url = format!("sqlite:{}", dir.path().join("writer.db").display());
        let mut other = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.unwrap();
        let gone = tokio::time::timeout(std::time::Duration::from_millis(200), db.begin()).await;
        assert!(gone.is_err(), "the write began under another's lock");
        sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
        other.close().await.unwrap();
        // The abandoned `BEGIN` ran once the lock was free; later writes still go through.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        for id in [1, 2] {
            let mut tx = db.begin().await.unwrap();
            super::super::execute(&mut tx, &row(id)).await.unwrap();
            tx.commit().await.unwrap();
        }
        assert_eq!(count(&db, 100).await, 2);
        db.close().await;
    }
}
