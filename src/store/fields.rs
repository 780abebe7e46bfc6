//! The field catalogue: the fixed (column) fields and the custom (JSON) fields of each module.

use super::{Exec, StoreError, StoreResult, on_exec};

/// One field of a module. Custom values live in the record's `custom` JSON under
/// `field_name`, which never changes; `name` is what users see and may be renamed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FieldRow {
    pub field_id: i64,
    pub label: i64,
    pub field_name: String,
    pub name: String,
    pub form_type: String,
    pub options: String,
    pub is_null: i64,
    pub is_unique: i64,
    pub default_value: String,
    pub input_tips: Option<String>,
    pub max_length: Option<i64>,
    pub precisions: Option<i64>,
    pub sorting: i64,
    pub is_hidden: i64,
    /// 1: a column of the record table; 0 and 2: stored in the JSON column.
    pub field_type: i64,
}

impl FieldRow {
    pub fn is_column(&self) -> bool {
        self.field_type == 1
    }
}

const COLUMNS: &str = "field_id, label, field_name, name, form_type, options, is_null, is_unique, \
     default_value, input_tips, max_length, precisions, sorting, is_hidden, field_type";

/// The fields of a module in form order; hidden ones only when asked.
pub async fn of_label<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    with_hidden: bool,
) -> StoreResult<Vec<FieldRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM crm_field WHERE label = $1 AND (is_hidden = 0 OR $2) ORDER BY sorting, field_id"
    );
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, FieldRow>(sqlx::AssertSqlSafe(sql))
            .bind(label)
            .bind(with_hidden)
            .fetch_all(conn)
            .await?
    }))
}

/// One field by id, hidden or not.
pub async fn by_id<'a>(exec: impl Into<Exec<'a>>, field_id: i64) -> StoreResult<Option<FieldRow>> {
    let sql = format!("SELECT {COLUMNS} FROM crm_field WHERE field_id = $1");
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, FieldRow>(sqlx::AssertSqlSafe(sql))
            .bind(field_id)
            .fetch_optional(conn)
            .await?
    }))
}

/// The values of a new or changed custom field.
pub struct FieldFields<'a> {
    pub name: &'a str,
    pub form_type: &'a str,
    pub options: &'a str,
    pub is_null: bool,
    pub is_unique: bool,
    pub default_value: &'a str,
    pub input_tips: Option<&'a str>,
    pub max_length: Option<i64>,
    pub precisions: Option<i64>,
}

pub async fn insert<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    field_name: &str,
    sorting: i64,
    f: &FieldFields<'_>,
) -> StoreResult<i64> {
    let result = on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO crm_field (label, field_name, name, form_type, options, is_null, is_unique, \
             default_value, input_tips, max_length, precisions, sorting, field_type) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0) RETURNING field_id",
        )
        .bind(label)
        .bind(field_name)
        .bind(f.name)
        .bind(f.form_type)
        .bind(f.options)
        .bind(i64::from(f.is_null))
        .bind(i64::from(f.is_unique))
        .bind(f.default_value)
        .bind(f.input_tips)
        .bind(f.max_length)
        .bind(f.precisions)
        .bind(sorting)
        .fetch_one(conn)
        .await
    });
    result.map_err(StoreError::classify)
}

pub async fn update<'a>(exec: impl Into<Exec<'a>>, field_id: i64, f: &FieldFields<'_>) -> StoreResult<u64> {
    let result = on_exec!(exec.into(), |conn, _qb| {
        sqlx::query(
            "UPDATE crm_field SET name = $1, form_type = $2, options = $3, is_null = $4, is_unique = $5, \
             default_value = $6, input_tips = $7, max_length = $8, precisions = $9 WHERE field_id = $10",
        )
        .bind(f.name)
        .bind(f.form_type)
        .bind(f.options)
        .bind(i64::from(f.is_null))
        .bind(i64::from(f.is_unique))
        .bind(f.default_value)
        .bind(f.input_tips)
        .bind(f.max_length)
        .bind(f.precisions)
        .bind(field_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    });
    result.map_err(StoreError::classify)
}

pub async fn delete<'a>(exec: impl Into<Exec<'a>>, field_id: i64) -> StoreResult<u64> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("DELETE FROM crm_field WHERE field_id = $1")
            .bind(field_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())?
    }))
}

pub async fn set_sorting<'a>(exec: impl Into<Exec<'a>>, field_id: i64, sorting: i64) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("UPDATE crm_field SET sorting = $1 WHERE field_id = $2")
            .bind(sorting)
            .bind(field_id)
            .execute(conn)
            .await
            .map(|_| ())?
    });
    Ok(())
}

pub async fn set_hidden<'a>(exec: impl Into<Exec<'a>>, field_id: i64, hidden: bool) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("UPDATE crm_field SET is_hidden = $1 WHERE field_id = $2")
            .bind(i64::from(hidden))
            .bind(field_id)
            .execute(conn)
            .await
            .map(|_| ())?
    });
    Ok(())
}
