//! Import jobs (导入) and the rows they refused. A job's progress is written in the
//! transaction of the batch it counts, and only by the instance holding the job's claim, so
//! a job picked up again after a crash starts exactly where the last committed batch ended.

use chrono::NaiveDateTime;
use sea_query::{Expr, ExprTrait, Order, Query};

use super::{Db, Exec, StoreResult, execute, fetch_as, fetch_optional_as, insert_returning, update_rows};

const JOB: &str = "crm_import";
const ERROR: &str = "crm_import_error";
/// A running job's uploaded file, apart from the job's often-updated row.
const FILE: &str = "crm_import_file";

/// Job states.
pub const RUNNING: i64 = 0;
pub const FINISHED: i64 = 1;
pub const FAILED: i64 = 2;
pub const CANCELLED: i64 = 3;

/// A job as reported (without the file).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct JobRow {
    pub import_id: i64,
    pub label: i64,
    pub create_user_id: i64,
    pub owner_user_id: Option<i64>,
    pub pool_id: Option<i64>,
    pub repeat_handling: i64,
    pub file_name: String,
    pub header: String,
    pub status: i64,
    pub message: String,
    pub total: Option<i64>,
    pub next_row: i64,
    pub done: i64,
    pub errors: i64,
    pub updated: i64,
    pub skipped: i64,
    pub worker: Option<String>,
    pub heartbeat: Option<NaiveDateTime>,
}

const JOB_COLUMNS: [&str; 18] = [
    "import_id",
    "label",
    "create_user_id",
    "owner_user_id",
    "pool_id",
    "repeat_handling",
    "file_name",
    "header",
    "status",
    "message",
    "total",
    "next_row",
    "done",
    "errors",
    "updated",
    "skipped",
    "worker",
    "heartbeat",
];

/// A job to create.
pub struct NewJob<'a> {
    pub label: i64,
    pub create_user_id: i64,
    pub owner_user_id: Option<i64>,
    pub pool_id: Option<i64>,
    pub repeat_handling: i64,
    pub file_name: &'a str,
    pub content: Vec<u8>,
    pub header: String,
    pub worker: &'a str,
    pub now: NaiveDateTime,
}

/// Creates a job with its file, in one transaction.
pub async fn insert(db: &Db, job: NewJob<'_>) -> StoreResult<i64> {
    let mut tx = db.begin().await?;
    let content = sea_query::Value::Bytes(Some(job.content));
    let row = [
        ("label", Expr::val(job.label)),
        ("create_user_id", Expr::val(job.create_user_id)),
        ("owner_user_id", Expr::val(job.owner_user_id)),
        ("pool_id", Expr::val(job.pool_id)),
        ("repeat_handling", Expr::val(job.repeat_handling)),
        ("file_name", Expr::val(job.file_name)),
        ("header", Expr::val(job.header)),
        ("worker", Expr::val(job.worker)),
        ("heartbeat", Expr::val(job.now)),
        ("create_time", Expr::val(job.now)),
    ];
    let id = insert_returning(&mut tx, JOB, row, "import_id").await?;
    let mut q = Query::insert();
    q.into_table(FILE)
        .columns(["import_id", "content"])
        .values_panic([Expr::val(id), Expr::val(content)]);
    execute(&mut tx, &q).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn by_id<'a>(exec: impl Into<Exec<'a>>, import_id: i64) -> StoreResult<Option<JobRow>> {
    let mut q = Query::select();
    q.columns(JOB_COLUMNS)
        .from(JOB)
        .and_where(Expr::col("import_id").eq(import_id));
    fetch_optional_as(exec, &q).await
}

/// The uploaded file of a job.
pub async fn content<'a>(exec: impl Into<Exec<'a>>, import_id: i64) -> StoreResult<Option<Vec<u8>>> {
    let mut q = Query::select();
    q.column("content")
        .from(FILE)
        .and_where(Expr::col("import_id").eq(import_id));
    Ok(fetch_optional_as::<(Vec<u8>,), _>(exec, &q).await?.map(|(c,)| c))
}

/// Running jobs whose worker has not been heard of since `stale` (or never claimed).
pub async fn abandoned<'a>(exec: impl Into<Exec<'a>>, stale: NaiveDateTime) -> StoreResult<Vec<i64>> {
    let mut q = Query::select();
    q.column("import_id")
        .from(JOB)
        .and_where(Expr::col("status").eq(RUNNING))
        .and_where(
            Expr::col("heartbeat")
                .is_null()
                .or(Expr::col("heartbeat").lt(stale)),
        )
        .order_by("import_id", Order::Asc);
    super::fetch_scalars(exec, &q).await
}

/// Claims a running job for `worker` unless another worker was heard of since `stale`;
/// answers whether the claim was taken.
pub async fn claim<'a>(
    exec: impl Into<Exec<'a>>,
    import_id: i64,
    worker: &str,
    now: NaiveDateTime,
    stale: NaiveDateTime,
) -> StoreResult<bool> {
    let free = Expr::col("worker")
        .eq(worker)
        .or(Expr::col("heartbeat").is_null())
        .or(Expr::col("heartbeat").lt(stale));
    let n = update_rows(
        exec,
        JOB,
        [("worker", Expr::val(worker)), ("heartbeat", Expr::val(now))],
        Expr::col("import_id")
            .eq(import_id)
            .and(Expr::col("status").eq(RUNNING))
            .and(free),
    )
    .await?;
    Ok(n == 1)
}

/// Counts of one batch, added to the job's.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    /// Data rows read (the job resumes after them).
    pub rows: i64,
    pub done: i64,
    pub errors: i64,
    pub updated: i64,
    pub skipped: i64,
}

/// Adds a batch's counts, inside the batch's transaction, if `worker` still holds the job;
/// answers whether it did (else the caller must roll the batch back).
pub async fn advance<'a>(
    exec: impl Into<Exec<'a>>,
    import_id: i64,
    worker: &str,
    p: Progress,
    now: NaiveDateTime,
) -> StoreResult<bool> {
    let add = |column: &'static str, n: i64| (column, Expr::col(column).add(n));
    let n = update_rows(
        exec,
        JOB,
        [
            add("next_row", p.rows),
            add("done", p.done),
            add("errors", p.errors),
            add("updated", p.updated),
            add("skipped", p.skipped),
            ("heartbeat", Expr::val(now)),
        ],
        Expr::col("import_id")
            .eq(import_id)
            .and(Expr::col("worker").eq(worker))
            .and(Expr::col("status").eq(RUNNING)),
    )
    .await?;
    Ok(n == 1)
}

/// Ends a running job: finished (with its total), failed or cancelled; the file goes.
pub async fn finish(
    db: &Db,
    import_id: i64,
    status: i64,
    message: &str,
    total: Option<i64>,
) -> StoreResult<u64> {
    let mut values = vec![("status", Expr::val(status)), ("message", Expr::val(message))];
    if let Some(total) = total {
        values.push(("total", Expr::val(total)));
    }
    let mut tx = db.begin().await?;
    let running = Expr::col("import_id")
        .eq(import_id)
        .and(Expr::col("status").eq(RUNNING));
    let ended = update_rows(&mut tx, JOB, values, running).await?;
    if ended == 1 {
        let mut q = Query::delete();
        q.from_table(FILE).and_where(Expr::col("import_id").eq(import_id));
        execute(&mut tx, &q).await?;
    }
    tx.commit().await?;
    Ok(ended)
}

/// Sets the header a job's rows are read under.
pub async fn set_header<'a>(exec: impl Into<Exec<'a>>, import_id: i64, header: &str) -> StoreResult<u64> {
    update_rows(
        exec,
        JOB,
        [("header", Expr::val(header))],
        Expr::col("import_id").eq(import_id),
    )
    .await
}

/// One refused row.
pub struct ErrorRow {
    pub row_no: i64,
    pub reason: String,
    /// The row's cells as uploaded, a JSON array of text.
    pub cells: String,
}

pub async fn insert_errors<'a>(
    exec: impl Into<Exec<'a>>,
    import_id: i64,
    rows: &[ErrorRow],
) -> StoreResult<()> {
    let mut exec = exec.into();
    // Few columns per row: a few hundred rows per statement stay far under the bind limits.
    for chunk in rows.chunks(500) {
        let mut q = Query::insert();
        q.into_table(ERROR)
            .columns(["import_id", "row_no", "reason", "cells"]);
        for r in chunk {
            q.values_panic([
                Expr::val(import_id),
                Expr::val(r.row_no),
                Expr::val(r.reason.as_str()),
                Expr::val(r.cells.as_str()),
            ]);
        }
        execute(exec.reborrow(), &q).await?;
    }
    Ok(())
}

/// A page of a job's refused rows after `after_row` (row number order): (row, reason, cells).
pub async fn errors<'a>(
    exec: impl Into<Exec<'a>>,
    import_id: i64,
    after_row: i64,
    limit: u64,
) -> StoreResult<Vec<(i64, String, String)>> {
    let mut q = Query::select();
    q.columns(["row_no", "reason", "cells"])
        .from(ERROR)
        .and_where(Expr::col("import_id").eq(import_id))
        .and_where(Expr::col("row_no").gt(after_row))
        .order_by("row_no", Order::Asc)
        .limit(limit);
    fetch_as(exec, &q).await
}
