//! The store: the only module that knows SQL.
//!
//! One code path serves SQLite and PostgreSQL, in one SQL style: statements are built with
//! sea-query, every value bound, and rendered per backend by the helpers at the end of this
//! file (`execute`, `write`, `fetch_as`, `fetch_scalars`, `fetch_cells`, …). Their
//! `on_exec!` macro expands a block once per backend so the same source is compiled against
//! SQLite and PostgreSQL executors (vaultwarden's `db_run!` idea) without the `Any` driver,
//! whose placeholders break on PostgreSQL; only this file uses it.
//!
//! Not `sqlx::query!`: its compile-time check needs a live database or `.sqlx` offline data
//! per backend, and one invocation is checked against one database only, so it cannot serve
//! SQLite and PostgreSQL from one source; sea-query renders one statement for both.
//!
//! SQL text remains only where no portable statement exists, each marked where it is:
//! the migrations, custom-field index DDL (`run_ddl`), `ANALYZE`, SQLite's `BEGIN IMMEDIATE`,
//! PostgreSQL's advisory locks.

pub mod bulk;
pub mod columns;
mod counts;
pub mod explicit_ids;
pub mod fields;
pub mod files;
pub mod imports;
mod model;
pub mod org;
pub mod records;
pub mod scenes;
pub mod sessions;
mod settings;
pub mod tables;
pub mod team;
pub mod users;
mod writer;
pub mod wukong;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::{Postgres, Transaction};

pub use model::{Cell, Filter, Kind, Op, Order, Target};

/// An error raised by the database layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A UNIQUE constraint refused the write; carries the constraint/column text.
    #[error("unique violation: {0}")]
    Unique(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    fn classify(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            return StoreError::Unique(db.message().to_owned());
        }
        StoreError::Sqlx(err)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A connection pool on one of the two supported backends.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database: a pool, and this instance's caches of list counts (see `counts`) and of
/// settings (see `settings`), with the settings version of the request it serves, if any.
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    counts: Arc<counts::CountCache>,
    settings: Arc<settings::SettingsCache>,
    stamp: Option<Arc<settings::Stamp>>,
    /// SQLite has one writer: this instance's write transactions take turns on a
    /// connection of their own, in arrival order, and commit in batches (`writer`), instead
    /// of polling the database lock (its busy handler sleeps up to 100 ms between tries).
    writer: Option<Arc<writer::Writer>>,
}

enum TxInner {
    Sqlite(writer::Member),
    Postgres(Transaction<'static, Postgres>),
}

/// A write transaction. Every multi-row write runs in one. Committing a transaction that
/// wrote CRM data moves the data version on, which retires cached counts everywhere.
pub struct Tx {
    inner: TxInner,
    db: Db,
    wrote_crm_data: bool,
}

/// Where a statement runs: straight on the pool, or inside a transaction.
pub enum Exec<'a> {
    Pool(&'a Db),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Db> for Exec<'a> {
    fn from(db: &'a Db) -> Self {
        Exec::Pool(db)
    }
}

impl<'a> From<&'a mut Tx> for Exec<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        Exec::Tx(tx)
    }
}

/// Expands `$body` once per backend with `$conn` bound to an executor and `$qb` to the
/// matching sea-query builder.
macro_rules! on_exec {
    ($exec:expr, |$conn:ident, $qb:ident| $body:expr) => {{
        use $crate::store::{Exec, Pool, TxInner};
        match $exec {
            Exec::Pool(db) => match db.pool() {
                Pool::Sqlite(pool) => {
                    let $conn = pool;
                    let $qb = sea_query::SqliteQueryBuilder;
                    $body
                }
                Pool::Postgres(pool) => {
                    let $conn = pool;
                    let $qb = sea_query::PostgresQueryBuilder;
                    $body
                }
            },
            Exec::Tx(tx) => match &mut tx.inner {
                TxInner::Sqlite(member) => {
                    let $conn = member.conn().await?;
                    let $qb = sea_query::SqliteQueryBuilder;
                    $body
                }
                TxInner::Postgres(tx) => {
                    let $conn = &mut **tx;
                    let $qb = sea_query::PostgresQueryBuilder;
                    $body
                }
            },
        }
    }};
}

/// Rows a SQLite connection may hand over before its caller takes them: a whole export
/// batch (`crm::excel::export`'s 1,000) or a list page (up to 100; the 10,000 of
/// `pageType=0` cross in turns). The caller collects every row anyway, so the buffer adds
/// no memory.
const ROW_BUFFER: usize = 1024;

/// What a pool is opened for: its SQLite page cache differs.
#[derive(Clone, Copy)]
enum Use {
    Serving,
    BulkLoad,
}

/// Which backend a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Opens an SQLite pool. Switching a new file to WAL needs a moment of exclusive access,
/// which the busy timeout does not cover: when another process is doing the same, retry.
async fn connect_sqlite(options: SqliteConnectOptions, connections: u32) -> StoreResult<SqlitePool> {
    let mut attempt = 0;
    loop {
        match SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options.clone())
            .await
        {
            Ok(pool) => return Ok(pool),
            Err(sqlx::Error::Database(e)) if attempt < 10 && e.message().contains("locked") => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

impl Db {
    /// Opens a pool for `url` (`sqlite:path` or `postgres://…`) to serve requests. SQLite
    /// files are created when missing and run in WAL mode with a busy timeout so readers
    /// never block writers.
    pub async fn connect(url: &str) -> StoreResult<Db> {
        Db::connect_for(url, Use::Serving).await
    }

    /// Opens a pool for a command that writes rows by the million (generated data, a
    /// migration): on SQLite each connection keeps 256 MiB of pages instead of 8, since a
    /// bulk load touches every index's pages in turn (BENCHMARKS.md, "The generator").
    pub async fn connect_for_bulk_load(url: &str) -> StoreResult<Db> {
        Db::connect_for(url, Use::BulkLoad).await
    }

    async fn connect_for(url: &str, purpose: Use) -> StoreResult<Db> {
        let (pool, writer) = match Backend::of_url(url) {
            Some(Backend::Sqlite) => {
                // A bulk load writes through one connection at a time: two keep its memory
                // to about 2 × 256 MiB.
                // The writer's connection keeps more: a write touches pages of every index.
                let (cache, writer_cache, connections) = match purpose {
                    Use::Serving => ("-8192", "-65536", 8),
                    Use::BulkLoad => ("-65536", "-262144", 2),
                };
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(30))
                    .pragma("synchronous", "NORMAL")
                    // No memory map: each connection maps the file on its own, and every
                    // mapped page it touched counts in the RSS once per connection (8 × 64
                    // MiB of a 1M-row file under a scan). Pages are read into each
                    // connection's own cache instead, which bounds the server's memory
                    // (BENCHMARKS.md, "Memory").
                    .pragma("mmap_size", "0")
                    .pragma("cache_size", cache)
                    // A result's rows cross from the connection's thread to the caller's
                    // through a channel: with sqlx's 50 the thread stops every 50 rows of an
                    // export batch or a page until the caller, busy with the rows before,
                    // takes them, and each hand-off is a wake-up of the other thread.
                    .row_buffer_size(ROW_BUFFER)
                    .foreign_keys(false);
                let writer = writer::Writer::new(options.clone().pragma("cache_size", writer_cache));
                (
                    Pool::Sqlite(connect_sqlite(options, connections).await?),
                    Some(Arc::new(writer)),
                )
            }
            Some(Backend::Postgres) => (
                Pool::Postgres(
                    PgPoolOptions::new()
                        .max_connections(16)
                        .acquire_timeout(Duration::from_secs(30))
                        .connect(url)
                        .await?,
                ),
                None,
            ),
            None => {
                let msg = format!("unsupported database URL {url:?}: use sqlite:PATH or postgres://…");
                return Err(StoreError::Sqlx(sqlx::Error::Configuration(msg.into())));
            }
        };
        Ok(Db {
            pool,
            counts: Arc::default(),
            settings: Arc::default(),
            stamp: None,
            writer,
        })
    }

    /// This database for one request that read settings `version`: its settings reads are
    /// served from this instance's cache until it commits a write.
    pub fn stamped(&self, version: i64) -> Db {
        Db {
            stamp: Some(settings::Stamp::new(version)),
            ..self.clone()
        }
    }

    /// Settings may have changed from here on: read them from the database.
    fn spend_stamp(&self) {
        if let Some(stamp) = &self.stamp {
            stamp.spend();
        }
    }

    /// The pool itself, for code that needs the driver (tests, tools).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs the embedded migrations of this backend. On PostgreSQL sqlx holds an advisory
    /// lock meanwhile, so instances starting together migrate once.
    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.pool {
            // SQLite's migrator takes no lock: when two processes start on one new file,
            // the loser fails on a half-applied migration and succeeds once the winner is done.
            Pool::Sqlite(pool) => {
                let migrator = sqlx::migrate!("./migrations/sqlite");
                let mut attempt = 0;
                while let Err(e) = migrator.run(pool).await {
                    attempt += 1;
                    if attempt == 5 {
                        return Err(e.into());
                    }
                    tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
                }
            }
            Pool::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        // Indexes a bulk load put aside and did not live to make again.
        let restored = bulk::restore_indexes(self).await?;
        if restored > 0 {
            tracing::warn!(
                restored,
                "made again the indexes an interrupted bulk load had put aside"
            );
        }
        Ok(())
    }

    /// Starts a write transaction. On SQLite it joins this instance's writer (`writer`):
    /// after the instance's earlier writers, with the write lock taken up front, so writers
    /// never fail on lock upgrade; other processes' writers queue on the busy timeout.
    pub async fn begin(&self) -> StoreResult<Tx> {
        let inner = match (&self.pool, &self.writer) {
            (Pool::Sqlite(_), Some(writer)) => TxInner::Sqlite(writer.join().await?),
            (Pool::Postgres(pool), _) => TxInner::Postgres(pool.begin().await?),
            (Pool::Sqlite(_), None) => {
                return Err(StoreError::Sqlx(sqlx::Error::Protocol(
                    "an SQLite pool without its writer".into(),
                )));
            }
        };
        Ok(Tx {
            inner,
            db: self.clone(),
            wrote_crm_data: false,
        })
    }

    /// Refreshes planner statistics (and, on PostgreSQL, the visibility map that index-only
    /// counts need) after a bulk load.
    pub async fn optimize(&self) -> StoreResult<()> {
        // Maintenance statements differ per backend and sea-query builds neither: text.
        let sql = match self.backend() {
            // The checkpoint empties the write-ahead log, so the next start does not
            // replay a bulk load's worth of it. The value samples (`sqlite_stat4`, which
            // the bundled SQLite collects) go: with them the planner chose by the bound
            // value, and for a one-month range near today took a plan that read 900,000
            // leads (0.33 s against 0.02 s with the per-index statistics alone, SQLite's
            // default); the reload makes every connection plan without them.
            Backend::Sqlite => {
                "ANALYZE; DELETE FROM sqlite_stat4; ANALYZE sqlite_schema; PRAGMA wal_checkpoint(TRUNCATE)"
            }
            Backend::Postgres => "VACUUM ANALYZE",
        };
        on_exec!(Exec::Pool(self), |conn, _qb| {
            sqlx::query(sql).execute(conn).await?;
        });
        Ok(())
    }

    /// Moves the CRM data version on after a write made outside the API (tests, tools).
    pub async fn note_external_write(&self) -> StoreResult<()> {
        counts::bump(self).await
    }

    pub async fn ping(&self) -> StoreResult<()> {
        fetch_scalar::<i64, _>(self, sea_query::Query::select().expr(sea_query::Expr::val(1i64))).await?;
        Ok(())
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
    }
}

impl Tx {
    /// Commits. The data version moves on with the commit: on SQLite in the transaction
    /// that ends the write batch (`writer`), on PostgreSQL just after the commit, so that
    /// concurrent writers never queue on the version row's lock.
    pub async fn commit(self) -> StoreResult<()> {
        match self.inner {
            TxInner::Sqlite(member) => member.commit(self.wrote_crm_data).await?,
            TxInner::Postgres(tx) => {
                tx.commit().await?;
                if self.wrote_crm_data {
                    counts::bump_on(Exec::Pool(&self.db)).await?;
                }
            }
        }
        self.db.spend_stamp();
        Ok(())
    }
}

/// Savepoints: one row of a batch undone without the rest (an import's failed row).
/// The statements are the same text on both backends; sea-query builds none of them.
impl Tx {
    async fn run_text(&mut self, sql: &'static str) -> StoreResult<()> {
        on_exec!(Exec::Tx(self), |conn, _qb| {
            sqlx::query(sql).execute(conn).await?;
        });
        Ok(())
    }

    pub async fn savepoint(&mut self) -> StoreResult<()> {
        self.run_text("SAVEPOINT wkcrm_row").await
    }

    pub async fn release_savepoint(&mut self) -> StoreResult<()> {
        self.run_text("RELEASE SAVEPOINT wkcrm_row").await
    }

    pub async fn rollback_to_savepoint(&mut self) -> StoreResult<()> {
        self.run_text("ROLLBACK TO SAVEPOINT wkcrm_row").await?;
        self.release_savepoint().await
    }
}

impl Exec<'_> {
    /// The same executor for one more statement.
    pub fn reborrow(&mut self) -> Exec<'_> {
        match self {
            Exec::Pool(db) => Exec::Pool(db),
            Exec::Tx(tx) => Exec::Tx(tx),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Exec::Pool(db) => db.backend(),
            Exec::Tx(tx) => tx.db.backend(),
        }
    }

    /// Records that this statement wrote CRM data: in a transaction the version moves on
    /// at commit; on the pool (auto-commit) right after the write.
    async fn wrote_crm_data(self) -> StoreResult<()> {
        match self {
            Exec::Tx(tx) => {
                tx.wrote_crm_data = true;
                Ok(())
            }
            Exec::Pool(db) => counts::bump(db).await,
        }
    }
}

/// Serialises schema changes across instances for the rest of the transaction (PostgreSQL
/// advisory lock; SQLite's `BEGIN IMMEDIATE` already holds the only write lock).
pub async fn schema_lock(tx: &mut Tx) -> StoreResult<()> {
    if let TxInner::Postgres(conn) = &mut tx.inner {
        // A PostgreSQL function with no portable form: text.
        sqlx::query("SELECT pg_advisory_xact_lock(7274827)")
            .execute(&mut **conn)
            .await?;
    }
    Ok(())
}

/// Serialises the rest of the transaction against every other transaction that names one
/// of the same `keys`, on every instance. For check-then-write rules about rows that may not
/// exist yet (a unique value, a login attempt, a user's first scenes), where no row lock can
/// help under READ COMMITTED. PostgreSQL takes one transaction-scoped advisory lock per key,
/// in sorted order so that two holders of overlapping sets cannot deadlock (a hash collision
/// only makes two unrelated writers queue); SQLite's `BEGIN IMMEDIATE` already holds the
/// only write lock.
pub async fn serialize_on(tx: &mut Tx, keys: &[String]) -> StoreResult<()> {
    let TxInner::Postgres(conn) = &mut tx.inner else {
        return Ok(());
    };
    let mut keys: Vec<&String> = keys.iter().collect();
    keys.sort();
    keys.dedup();
    match keys.as_slice() {
        [] => {}
        [key] => {
            // PostgreSQL functions with no portable form: text, the key bound.
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(*key)
                .execute(&mut **conn)
                .await?;
        }
        _ => {
            // Many keys (an import's batch) in one round trip, still taken in sorted order:
            // the array's, which the ordinality keeps.
            let keys: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
            sqlx::query(
                "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) \
                 FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
            )
            .bind(keys)
            .execute(&mut **conn)
            .await?;
        }
    }
    Ok(())
}

/// Runs one schema statement built from catalogue names (custom-field indexes). DDL on a
/// backend-specific expression (`json_extract` / `->>`), so text; see `create_custom_index`.
pub(crate) async fn run_ddl(exec: Exec<'_>, sql: String) -> StoreResult<()> {
    on_exec!(exec, |conn, _qb| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(conn)
            .await
            .map(|_| ())?
    });
    Ok(())
}

/// Runs a built statement that returns no rows; answers the number of rows it touched.
/// On SQLite a write straight on the pool joins the writer as a transaction of one
/// statement: on a connection of its own it would wait for the file lock, which the
/// writer's batch may hold (`writer`), on the busy handler's sleeps.
pub(crate) async fn execute<'a, S>(exec: impl Into<Exec<'a>>, stmt: &S) -> StoreResult<u64>
where
    S: sea_query_sqlx::SqlxBinder,
{
    match exec.into() {
        Exec::Pool(db) if db.backend() == Backend::Sqlite => {
            let mut tx = db.begin().await?;
            let rows = execute_on(Exec::Tx(&mut tx), stmt).await?;
            tx.commit().await?;
            Ok(rows)
        }
        exec => execute_on(exec, stmt).await,
    }
}

async fn execute_on<S>(exec: Exec<'_>, stmt: &S) -> StoreResult<u64>
where
    S: sea_query_sqlx::SqlxBinder,
{
    if let Exec::Pool(db) = &exec {
        db.spend_stamp();
    }
    let result = on_exec!(exec, |conn, qb| {
        let (sql, values) = stmt.build_sqlx(qb);
        sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
    });
    result.map_err(StoreError::classify)
}

/// Runs a statement that writes CRM data (records, teams), so cached counts retire.
pub(crate) async fn write<'a, S>(exec: impl Into<Exec<'a>>, stmt: &S) -> StoreResult<u64>
where
    S: sea_query_sqlx::SqlxBinder,
{
    let mut exec = exec.into();
    let rows = execute(exec.reborrow(), stmt).await?;
    exec.wrote_crm_data().await?;
    Ok(rows)
}

/// Like `write`, for a write whose answer nobody reads (a history row): it travels with
/// the transaction's next round trip. On SQLite that is the member's next statement or its
/// release (see `writer::Member`): a connection every other writer waits for is held one
/// round trip less. On PostgreSQL it runs now.
pub(crate) async fn write_deferred<S>(tx: &mut Tx, stmt: &S) -> StoreResult<()>
where
    S: sea_query_sqlx::SqlxBinder,
{
    tx.wrote_crm_data = true;
    if let TxInner::Sqlite(member) = &mut tx.inner {
        let (sql, values) = stmt.build_sqlx(sea_query::SqliteQueryBuilder);
        member.defer(sql, values);
        return Ok(());
    }
    execute_on(Exec::Tx(tx), stmt).await.map(|_| ())
}

/// Like `write`, for an insert answering its new id with `RETURNING`.
pub(crate) async fn write_returning<'a, S>(exec: impl Into<Exec<'a>>, stmt: &S) -> StoreResult<i64>
where
    S: sea_query_sqlx::SqlxBinder,
{
    let mut exec = exec.into();
    let id = returned_ids(exec.reborrow(), stmt).await?.unwrap_or_default();
    exec.wrote_crm_data().await?;
    Ok(id)
}

/// The first id a writing statement answers with `RETURNING`, joining the writer like
/// `execute` when on SQLite's pool.
async fn returned_ids<S>(exec: Exec<'_>, stmt: &S) -> StoreResult<Option<i64>>
where
    S: sea_query_sqlx::SqlxBinder,
{
    let ids = match exec {
        Exec::Pool(db) if db.backend() == Backend::Sqlite => {
            let mut tx = db.begin().await?;
            let ids = fetch_scalars::<i64, S>(&mut tx, stmt).await?;
            tx.commit().await?;
            ids
        }
        exec => fetch_scalars::<i64, S>(exec, stmt).await?,
    };
    Ok(ids.first().copied())
}

/// `INSERT INTO table (…) VALUES (…)` from `column, value` pairs, so that a column and its
/// value are written side by side.
pub(crate) fn insert_row(
    table: &'static str,
    row: impl IntoIterator<Item = (&'static str, sea_query::Expr)>,
) -> sea_query::InsertStatement {
    let (columns, values): (Vec<_>, Vec<_>) = row.into_iter().unzip();
    let mut q = sea_query::Query::insert();
    q.into_table(table).columns(columns).values_panic(values);
    q
}

/// Inserts a row and answers its new id, the value of `id_column` (`RETURNING`). Unlike
/// `write_returning`, for tables that are not CRM data (cached counts stay valid).
pub(crate) async fn insert_returning<'a>(
    exec: impl Into<Exec<'a>>,
    table: &'static str,
    row: impl IntoIterator<Item = (&'static str, sea_query::Expr)>,
    id_column: &'static str,
) -> StoreResult<i64> {
    let mut q = insert_row(table, row);
    q.returning_col(id_column);
    returned_ids(exec.into(), &q)
        .await?
        .ok_or(StoreError::Sqlx(sqlx::Error::RowNotFound))
}

/// `UPDATE table SET … WHERE cond`; answers how many rows it touched.
pub(crate) async fn update_rows<'a>(
    exec: impl Into<Exec<'a>>,
    table: &'static str,
    values: impl IntoIterator<Item = (&'static str, sea_query::Expr)>,
    cond: impl sea_query::IntoCondition,
) -> StoreResult<u64> {
    let mut q = sea_query::Query::update();
    q.table(table).values(values).cond_where(cond);
    execute(exec, &q).await
}

/// `DELETE FROM table WHERE cond`; answers how many rows went.
pub(crate) async fn delete_rows<'a>(
    exec: impl Into<Exec<'a>>,
    table: &'static str,
    cond: impl sea_query::IntoCondition,
) -> StoreResult<u64> {
    let mut q = sea_query::Query::delete();
    q.from_table(table).cond_where(cond);
    execute(exec, &q).await
}

/// Runs a built statement and decodes each row into `T`: a `#[derive(sqlx::FromRow)]`
/// struct (by column name) or a tuple (by position).
pub(crate) async fn fetch_as<'a, T, S>(exec: impl Into<Exec<'a>>, stmt: &S) -> StoreResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    S: sea_query_sqlx::SqlxBinder,
{
    let exec = exec.into();
    if let Exec::Pool(db) = &exec {
        db.spend_stamp();
    }
    let result = on_exec!(exec, |conn, qb| {
        let (sql, values) = stmt.build_sqlx(qb);
        sqlx::query_as_with::<_, T, _>(sqlx::AssertSqlSafe(sql), values)
            .fetch_all(conn)
            .await
    });
    result.map_err(StoreError::classify)
}

/// Like `fetch_as`, for the first row only, if any.
pub(crate) async fn fetch_optional_as<'a, T, S>(exec: impl Into<Exec<'a>>, stmt: &S) -> StoreResult<Option<T>>
where
    T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    S: sea_query_sqlx::SqlxBinder,
{
    let exec = exec.into();
    if let Exec::Pool(db) = &exec {
        db.spend_stamp();
    }
    let result = on_exec!(exec, |conn, qb| {
        let (sql, values) = stmt.build_sqlx(qb);
        sqlx::query_as_with::<_, T, _>(sqlx::AssertSqlSafe(sql), values)
            .fetch_optional(conn)
            .await
    });
    result.map_err(StoreError::classify)
}

/// Runs a built statement whose single column decodes as `T` (`RETURNING id`, a list of
/// ids or dates).
pub(crate) async fn fetch_scalars<'a, T, S>(exec: impl Into<Exec<'a>>, stmt: &S) -> StoreResult<Vec<T>>
where
    (T,): for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    S: sea_query_sqlx::SqlxBinder,
{
    let rows = fetch_as::<(T,), S>(exec, stmt).await?;
    Ok(rows.into_iter().map(|(value,)| value).collect())
}

/// Like `fetch_scalars`, for a statement that answers exactly one row (`COUNT(*)`,
/// `INSERT … RETURNING`); no row is `RowNotFound`.
pub(crate) async fn fetch_scalar<'a, T, S>(exec: impl Into<Exec<'a>>, stmt: &S) -> StoreResult<T>
where
    (T,): for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    S: sea_query_sqlx::SqlxBinder,
{
    match fetch_optional_as::<(T,), S>(exec, stmt).await? {
        Some((value,)) => Ok(value),
        None => Err(StoreError::Sqlx(sqlx::Error::RowNotFound)),
    }
}

/// Runs a built statement and decodes each row with `kinds`, one per selected column.
pub(crate) async fn fetch_cells<'a, S>(
    exec: impl Into<Exec<'a>>,
    stmt: &S,
    kinds: &[Kind],
) -> StoreResult<Vec<Vec<Cell>>>
where
    S: sea_query_sqlx::SqlxBinder,
{
    let rows = on_exec!(exec.into(), |conn, qb| {
        let (sql, values) = stmt.build_sqlx(qb);
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
            .fetch_all(conn)
            .await
            .map_err(StoreError::classify)?;
        rows.iter()
            .map(|row| model::decode_row(row, kinds))
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    Ok(rows)
}

/// Escapes `%`, `_` and `\` so the needle matches literally under `ESCAPE '\'`.
fn like_pattern(needle: &str, before: bool, after: bool) -> String {
    let mut out = String::with_capacity(needle.len() + 2);
    if before {
        out.push('%');
    }
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    if after {
        out.push('%');
    }
    out
}

#[cfg(test)]
mod tests {
    use sea_query::{Expr, Query};

    use super::{Db, fetch_scalar};

    /// `.cargo/config.toml` builds the bundled SQLite with the planner stability guarantee:
    /// without it a statement binding LIMIT/OFFSET is parsed and planned again at every
    /// execution (docs/decisions.md, "plans do not depend on bound values").
    #[tokio::test]
    async fn sqlite_plans_do_not_depend_on_bound_values() {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        let mut q = Query::select();
        q.expr(Expr::cust("sqlite_compileoption_used('ENABLE_QPSG')"));
        assert_eq!(fetch_scalar::<i64, _>(&db, &q).await.unwrap(), 1);
        db.close().await;
    }
}
