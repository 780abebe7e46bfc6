//! The field catalogue: the fixed (column) fields and the custom (JSON) fields of each module.

use chrono::NaiveDateTime;
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};

use super::settings::cached;
use super::{Exec, StoreResult, delete_rows, fetch_as, fetch_optional_as, insert_returning, update_rows};

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

const COLUMNS: [&str; 15] = [
    "field_id",
    "label",
    "field_name",
    "name",
    "form_type",
    "options",
    "is_null",
    "is_unique",
    "default_value",
    "input_tips",
    "max_length",
    "precisions",
    "sorting",
    "is_hidden",
    "field_type",
];

/// `SELECT <FieldRow> FROM crm_field` without conditions.
fn select_fields() -> SelectStatement {
    let mut q = Query::select();
    q.columns(COLUMNS).from("crm_field");
    q
}

/// The fields of a module in form order; hidden ones only when asked.
pub async fn of_label<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    with_hidden: bool,
) -> StoreResult<Vec<FieldRow>> {
    let mut q = select_fields();
    q.and_where(Expr::col("label").eq(label))
        .and_where_option((!with_hidden).then(|| Expr::col("is_hidden").eq(0i64)))
        .order_by("sorting", Order::Asc)
        .order_by("field_id", Order::Asc);
    let key = if with_hidden { "fields" } else { "shown_fields" };
    cached(exec.into(), (key, label), |exec| fetch_as(exec, &q)).await
}

/// One field by id, hidden or not.
pub async fn by_id<'a>(exec: impl Into<Exec<'a>>, field_id: i64) -> StoreResult<Option<FieldRow>> {
    let mut q = select_fields();
    q.and_where(Expr::col("field_id").eq(field_id));
    fetch_optional_as(exec, &q).await
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

/// The `column, value` pairs of `f`, as written by insert and update.
fn field_values(f: &FieldFields<'_>) -> [(&'static str, Expr); 9] {
    [
        ("name", f.name.into()),
        ("form_type", f.form_type.into()),
        ("options", f.options.into()),
        ("is_null", i64::from(f.is_null).into()),
        ("is_unique", i64::from(f.is_unique).into()),
        ("default_value", f.default_value.into()),
        ("input_tips", f.input_tips.into()),
        ("max_length", f.max_length.into()),
        ("precisions", f.precisions.into()),
    ]
}

pub async fn insert<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    field_name: &str,
    sorting: i64,
    f: &FieldFields<'_>,
) -> StoreResult<i64> {
    let row = [("label", label.into()), ("field_name", field_name.into())]
        .into_iter()
        .chain(field_values(f))
        .chain([("sorting", sorting.into()), ("field_type", 0i64.into())]);
    insert_returning(exec, "crm_field", row, "field_id").await
}

pub async fn update<'a>(exec: impl Into<Exec<'a>>, field_id: i64, f: &FieldFields<'_>) -> StoreResult<u64> {
    update_rows(
        exec,
        "crm_field",
        field_values(f),
        Expr::col("field_id").eq(field_id),
    )
    .await
}

pub async fn delete<'a>(exec: impl Into<Exec<'a>>, field_id: i64) -> StoreResult<u64> {
    delete_rows(exec, "crm_field", Expr::col("field_id").eq(field_id)).await
}

pub async fn set_sorting<'a>(exec: impl Into<Exec<'a>>, field_id: i64, sorting: i64) -> StoreResult<()> {
    update_rows(
        exec,
        "crm_field",
        [("sorting", sorting.into())],
        Expr::col("field_id").eq(field_id),
    )
    .await?;
    Ok(())
}

pub async fn set_hidden<'a>(exec: impl Into<Exec<'a>>, field_id: i64, hidden: bool) -> StoreResult<()> {
    update_rows(
        exec,
        "crm_field",
        [("is_hidden", i64::from(hidden).into())],
        Expr::col("field_id").eq(field_id),
    )
    .await?;
    Ok(())
}

/// When each module's fields last changed (`crm_field`'s triggers keep it), by label.
pub async fn last_changes<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<(i64, Option<NaiveDateTime>)>> {
    let mut q = Query::select();
    q.column("label")
        .expr(Expr::col("update_time").max())
        .from("crm_field")
        .group_by_col("label");
    fetch_as(exec, &q).await
}
