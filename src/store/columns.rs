//! Each user's list columns: order and hidden ones (`crm_user_column`, one row per user,
//! list and column) and widths (`crm_user_column_width`).

use sea_query::{Expr, ExprTrait, Order, Query};

use super::{Exec, StoreResult, execute, fetch_as, update_rows};

const COLUMNS: &str = "crm_user_column";
const WIDTHS: &str = "crm_user_column_width";

/// One column of one user's list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ColumnRow {
    pub id: i64,
    pub field_name: String,
    pub name: String,
    pub sort: i64,
    pub is_hide: i64,
}

/// A user's columns of a list, in their order.
pub async fn of_user<'a>(exec: impl Into<Exec<'a>>, user_id: i64, label: i64) -> StoreResult<Vec<ColumnRow>> {
    let mut q = Query::select();
    q.columns(["id", "field_name", "name", "sort", "is_hide"])
        .from(COLUMNS)
        .and_where(Expr::col("user_id").eq(user_id))
        .and_where(Expr::col("label").eq(label))
        .order_by("sort", Order::Asc)
        .order_by("id", Order::Asc);
    fetch_as(exec, &q).await
}

/// Adds shown columns (`field_name`, `name`) to a user's list, numbered from `sort`.
pub async fn insert<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    label: i64,
    sort: i64,
    columns: &[(&str, &str)],
) -> StoreResult<()> {
    let mut q = Query::insert();
    q.into_table(COLUMNS)
        .columns(["user_id", "label", "field_name", "name", "sort", "is_hide"]);
    for (i, (field_name, name)) in columns.iter().enumerate() {
        q.values_panic([
            user_id.into(),
            label.into(),
            (*field_name).into(),
            (*name).into(),
            (sort + i as i64).into(),
            0i64.into(),
        ]);
    }
    execute(exec, &q).await?;
    Ok(())
}

/// Moves one of a user's columns to `sort`, shown or hidden.
pub async fn place<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    id: i64,
    sort: i64,
    hidden: bool,
) -> StoreResult<()> {
    update_rows(
        exec,
        COLUMNS,
        [("sort", sort.into()), ("is_hide", i64::from(hidden).into())],
        Expr::col("id").eq(id).and(Expr::col("user_id").eq(user_id)),
    )
    .await?;
    Ok(())
}

/// A user's column widths of a list: `(field_name, width)`.
pub async fn widths<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    label: i64,
) -> StoreResult<Vec<(String, i64)>> {
    let mut q = Query::select();
    q.columns(["field_name", "width"])
        .from(WIDTHS)
        .and_where(Expr::col("user_id").eq(user_id))
        .and_where(Expr::col("label").eq(label));
    fetch_as(exec, &q).await
}

/// Sets a user's width of one column (the caller serialises writers of the same column).
pub async fn set_width<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    label: i64,
    field_name: &str,
    width: i64,
) -> StoreResult<()> {
    let mut exec = exec.into();
    let same = Expr::col("user_id")
        .eq(user_id)
        .and(Expr::col("label").eq(label))
        .and(Expr::col("field_name").eq(field_name));
    if update_rows(exec.reborrow(), WIDTHS, [("width", width.into())], same).await? == 0 {
        let row = [
            ("user_id", user_id.into()),
            ("label", label.into()),
            ("field_name", field_name.into()),
            ("width", width.into()),
        ];
        execute(exec, &super::insert_row(WIDTHS, row)).await?;
    }
    Ok(())
}
