//! Attachments (附件): files of a batch, their bytes kept in the database.

use chrono::NaiveDateTime;
use sea_query::{Expr, ExprTrait, Query, TableRef};

use super::tables::{FILE, USER};
use super::{Exec, StoreResult, execute, fetch_as, fetch_scalars};

/// A file as listed: everything but its bytes, with the uploader's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FileRow {
    pub file_id: i64,
    pub batch_id: String,
    pub name: String,
    pub size: i64,
    pub file_type: String,
    pub mime_type: String,
    pub create_user_id: i64,
    pub create_user_name: Option<String>,
    pub create_time: NaiveDateTime,
}

/// A file to store.
#[derive(Clone, Debug)]
pub struct NewFile<'a> {
    pub batch_id: &'a str,
    pub name: &'a str,
    pub file_type: &'a str,
    pub mime_type: &'a str,
    pub content: Vec<u8>,
    pub create_user_id: i64,
    pub create_time: NaiveDateTime,
}

/// Stores a file; answers its id.
pub async fn insert<'a>(exec: impl Into<Exec<'a>>, file: NewFile<'_>) -> StoreResult<i64> {
    let mut q = Query::insert();
    q.into_table(FILE.name)
        .columns([
            "batch_id",
            "name",
            "size",
            "file_type",
            "mime_type",
            "content",
            "create_user_id",
            "create_time",
        ])
        .values_panic([
            file.batch_id.into(),
            file.name.into(),
            (file.content.len() as i64).into(),
            file.file_type.into(),
            file.mime_type.into(),
            sea_query::Value::Bytes(Some(file.content)).into(),
            file.create_user_id.into(),
            file.create_time.into(),
        ])
        .returning_col(FILE.id);
    Ok(fetch_scalars::<i64, _>(exec, &q)
        .await?
        .first()
        .copied()
        .unwrap_or_default())
}

/// `SELECT <file columns>, uploader's realname FROM admin_file LEFT JOIN admin_user`.
fn select_files() -> sea_query::SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "file_id",
            "batch_id",
            "name",
            "size",
            "file_type",
            "mime_type",
            "create_user_id",
            "create_time",
        ]
        .map(|c| (FILE.name, c)),
    )
    .expr_as(Expr::col(("u", "realname")), "create_user_name")
    .from(FILE.name)
    .left_join(
        TableRef::from(USER.name).alias("u"),
        Expr::col(("u", USER.id)).equals((FILE.name, "create_user_id")),
    );
    q
}

async fn fetch_files<'a>(
    exec: impl Into<Exec<'a>>,
    q: &sea_query::SelectStatement,
) -> StoreResult<Vec<FileRow>> {
    fetch_as(exec, q).await
}

/// The files of a batch, oldest first.
pub async fn by_batch<'a>(exec: impl Into<Exec<'a>>, batch_id: &str) -> StoreResult<Vec<FileRow>> {
    let mut q = select_files();
    q.and_where(Expr::col((FILE.name, "batch_id")).eq(batch_id))
        .order_by((FILE.name, FILE.id), sea_query::Order::Asc);
    fetch_files(exec, &q).await
}

/// The files of several batches, oldest first.
pub async fn by_batches<'a>(exec: impl Into<Exec<'a>>, batch_ids: &[String]) -> StoreResult<Vec<FileRow>> {
    let mut q = select_files();
    q.and_where(Expr::col((FILE.name, "batch_id")).is_in(batch_ids.iter().cloned()))
        .order_by((FILE.name, FILE.id), sea_query::Order::Asc);
    fetch_files(exec, &q).await
}

/// One file, without its bytes.
pub async fn by_id<'a>(exec: impl Into<Exec<'a>>, file_id: i64) -> StoreResult<Option<FileRow>> {
    let mut q = select_files();
    q.and_where(Expr::col((FILE.name, FILE.id)).eq(file_id));
    Ok(fetch_files(exec, &q).await?.into_iter().next())
}

/// The bytes of one file.
pub async fn content<'a>(exec: impl Into<Exec<'a>>, file_id: i64) -> StoreResult<Option<Vec<u8>>> {
    let mut q = Query::select();
    q.column("content")
        .from(FILE.name)
        .and_where(Expr::col(FILE.id).eq(file_id));
    Ok(fetch_scalars::<Vec<u8>, _>(exec, &q).await?.into_iter().next())
}

/// The distinct users who uploaded files into a batch.
pub async fn uploaders<'a>(exec: impl Into<Exec<'a>>, batch_id: &str) -> StoreResult<Vec<i64>> {
    let mut q = Query::select();
    q.distinct()
        .column("create_user_id")
        .from(FILE.name)
        .and_where(Expr::col("batch_id").eq(batch_id));
    fetch_scalars(exec, &q).await
}

/// Renames one file; answers whether it existed.
pub async fn rename<'a>(exec: impl Into<Exec<'a>>, file_id: i64, name: &str) -> StoreResult<bool> {
    let mut q = Query::update();
    q.table(FILE.name)
        .value("name", name)
        .and_where(Expr::col(FILE.id).eq(file_id));
    Ok(execute(exec, &q).await? > 0)
}

/// Deletes one file; answers whether it existed.
pub async fn delete<'a>(exec: impl Into<Exec<'a>>, file_id: i64) -> StoreResult<bool> {
    let mut q = Query::delete();
    q.from_table(FILE.name).and_where(Expr::col(FILE.id).eq(file_id));
    Ok(execute(exec, &q).await? > 0)
}

/// Deletes every file of the given batches; answers how many went.
pub async fn delete_batches<'a>(exec: impl Into<Exec<'a>>, batch_ids: &[String]) -> StoreResult<u64> {
    if batch_ids.is_empty() {
        return Ok(0);
    }
    let mut q = Query::delete();
    q.from_table(FILE.name)
        .and_where(Expr::col("batch_id").is_in(batch_ids.iter().cloned()));
    execute(exec, &q).await
}
