//! Saved list filters (场景).

use chrono::NaiveDateTime;

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query, SelectStatement};

use super::{
    Exec, StoreResult, delete_rows, execute, fetch_as, fetch_optional_as, insert_returning, insert_row,
    update_rows,
};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SceneRow {
    pub scene_id: i64,
    pub r#type: i64,
    pub user_id: i64,
    pub name: String,
    pub sort: i64,
    pub data: String,
    pub is_hide: i64,
    pub is_system: i64,
    pub bydata: Option<String>,
}

/// A scene being created.
pub struct NewScene<'a> {
    pub r#type: i64,
    pub user_id: i64,
    pub name: &'a str,
    pub sort: i64,
    pub data: &'a str,
    pub is_system: bool,
    pub bydata: Option<&'a str>,
    pub now: NaiveDateTime,
}

const COLUMNS: [&str; 9] = [
    "scene_id",
    "type",
    "user_id",
    "name",
    "sort",
    "data",
    "is_hide",
    "is_system",
    "bydata",
];

/// `SELECT <SceneRow> FROM crm_scene` without conditions.
fn select_scenes() -> SelectStatement {
    let mut q = Query::select();
    q.columns(COLUMNS).from("crm_scene");
    q
}

/// A user's scenes of one type, hidden ones included, in display order.
pub async fn of_user<'a>(exec: impl Into<Exec<'a>>, user_id: i64, r#type: i64) -> StoreResult<Vec<SceneRow>> {
    let mut q = select_scenes();
    q.and_where(Expr::col("user_id").eq(user_id))
        .and_where(Expr::col("type").eq(r#type))
        .order_by("sort", Order::Asc)
        .order_by("scene_id", Order::Asc);
    fetch_as(exec, &q).await
}

pub async fn by_id<'a>(exec: impl Into<Exec<'a>>, scene_id: i64) -> StoreResult<Option<SceneRow>> {
    let mut q = select_scenes();
    q.and_where(Expr::col("scene_id").eq(scene_id));
    fetch_optional_as(exec, &q).await
}

pub async fn insert<'a>(exec: impl Into<Exec<'a>>, s: &NewScene<'_>) -> StoreResult<i64> {
    let row = [
        ("type", s.r#type.into()),
        ("user_id", s.user_id.into()),
        ("name", s.name.into()),
        ("sort", s.sort.into()),
        ("data", s.data.into()),
        ("is_system", i64::from(s.is_system).into()),
        ("bydata", s.bydata.into()),
        ("create_time", s.now.into()),
    ];
    insert_returning(exec, "crm_scene", row, "scene_id").await
}

pub async fn update<'a>(exec: impl Into<Exec<'a>>, scene_id: i64, name: &str, data: &str) -> StoreResult<()> {
    update_rows(
        exec,
        "crm_scene",
        [("name", name.into()), ("data", data.into())],
        Expr::col("scene_id").eq(scene_id),
    )
    .await?;
    Ok(())
}

pub async fn set_hidden<'a>(exec: impl Into<Exec<'a>>, scene_id: i64, hidden: bool) -> StoreResult<()> {
    update_rows(
        exec,
        "crm_scene",
        [("is_hide", i64::from(hidden).into())],
        Expr::col("scene_id").eq(scene_id),
    )
    .await?;
    Ok(())
}

pub async fn delete<'a>(exec: impl Into<Exec<'a>>, scene_id: i64) -> StoreResult<()> {
    let mut exec = exec.into();
    for table in ["crm_scene_default", "crm_scene"] {
        delete_rows(exec.reborrow(), table, Expr::col("scene_id").eq(scene_id)).await?;
    }
    Ok(())
}

/// The user's default scene of a type.
pub async fn default_of<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    r#type: i64,
) -> StoreResult<Option<i64>> {
    let mut q = Query::select();
    q.column("scene_id")
        .from("crm_scene_default")
        .and_where(Expr::col("user_id").eq(user_id))
        .and_where(Expr::col("type").eq(r#type));
    Ok(fetch_optional_as::<(i64,), _>(exec, &q).await?.map(|(id,)| id))
}

pub async fn set_default<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    r#type: i64,
    scene_id: i64,
) -> StoreResult<()> {
    let row = [
        ("type", r#type.into()),
        ("user_id", user_id.into()),
        ("scene_id", scene_id.into()),
    ];
    let mut q = insert_row("crm_scene_default", row);
    q.on_conflict(
        OnConflict::columns(["type", "user_id"])
            .update_column("scene_id")
            .to_owned(),
    );
    execute(exec, &q).await?;
    Ok(())
}
