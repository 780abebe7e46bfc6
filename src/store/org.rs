//! The organisation: departments, roles, the rights tree, and who holds which role.

use sea_query::{Cond, Expr, ExprTrait, OnConflict, Order, Query, SelectStatement, TableRef};

use super::settings::cached;
use super::{
    Exec, StoreResult, delete_rows, execute, fetch_as, fetch_scalar, insert_returning, insert_row,
    update_rows,
};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeptRow {
    pub dept_id: i64,
    pub pid: i64,
    pub name: String,
    pub num: i64,
    pub remark: String,
    pub owner_user_id: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RoleRow {
    pub role_id: i64,
    pub role_name: String,
    pub role_type: i64,
    pub data_type: i64,
    pub remark: String,
    pub status: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MenuRow {
    pub menu_id: i64,
    pub parent_id: i64,
    pub menu_name: String,
    pub realm: String,
    pub menu_type: i64,
    pub sort: i64,
}

/// One right a user holds through a role: module realm, operation realm, the role's scope.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct GrantRow {
    pub module: String,
    pub op: String,
    pub data_type: i64,
    pub role_id: i64,
}

/// What the data scopes need to know of every user.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct UserLink {
    pub user_id: i64,
    pub parent_id: Option<i64>,
    pub dept_id: Option<i64>,
}

/// Fields of a department or role being written.
pub struct DeptFields<'a> {
    pub pid: i64,
    pub name: &'a str,
    pub num: i64,
    pub remark: &'a str,
    pub owner_user_id: Option<i64>,
}

pub struct RoleFields<'a> {
    pub role_name: &'a str,
    pub role_type: i64,
    pub data_type: i64,
    pub remark: &'a str,
}

/// `SELECT columns FROM table ORDER BY order…`: a whole small table (no `ORDER BY` when
/// `order` is empty, as `user_links` reads it).
fn select_all(table: &'static str, columns: &[&'static str], order: &[&'static str]) -> SelectStatement {
    let mut q = Query::select();
    q.columns(columns.iter().copied()).from(table);
    for column in order {
        q.order_by(*column, Order::Asc);
    }
    q
}

fn dept_values(d: &DeptFields<'_>) -> [(&'static str, Expr); 5] {
    [
        ("pid", d.pid.into()),
        ("name", d.name.into()),
        ("num", d.num.into()),
        ("remark", d.remark.into()),
        ("owner_user_id", d.owner_user_id.into()),
    ]
}

fn role_values(r: &RoleFields<'_>) -> [(&'static str, Expr); 4] {
    [
        ("role_name", r.role_name.into()),
        ("role_type", r.role_type.into()),
        ("data_type", r.data_type.into()),
        ("remark", r.remark.into()),
    ]
}

pub async fn depts<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<DeptRow>> {
    let columns = ["dept_id", "pid", "name", "num", "remark", "owner_user_id"];
    let q = select_all("admin_dept", &columns, &["num", "dept_id"]);
    cached(exec.into(), ("depts", 0), |exec| fetch_as(exec, &q)).await
}

pub async fn insert_dept<'a>(exec: impl Into<Exec<'a>>, d: &DeptFields<'_>) -> StoreResult<i64> {
    insert_returning(exec, "admin_dept", dept_values(d), "dept_id").await
}

pub async fn update_dept<'a>(exec: impl Into<Exec<'a>>, id: i64, d: &DeptFields<'_>) -> StoreResult<u64> {
    update_rows(exec, "admin_dept", dept_values(d), Expr::col("dept_id").eq(id)).await
}

pub async fn delete_dept<'a>(exec: impl Into<Exec<'a>>, id: i64) -> StoreResult<u64> {
    delete_rows(exec, "admin_dept", Expr::col("dept_id").eq(id)).await
}

pub async fn users_in_dept<'a>(exec: impl Into<Exec<'a>>, id: i64) -> StoreResult<i64> {
    let mut q = Query::select();
    q.expr(Expr::cust("COUNT(*)"))
        .from("admin_user")
        .and_where(Expr::col("dept_id").eq(id));
    fetch_scalar(exec, &q).await
}

pub async fn roles<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<RoleRow>> {
    let columns = [
        "role_id",
        "role_name",
        "role_type",
        "data_type",
        "remark",
        "status",
    ];
    fetch_as(exec, &select_all("admin_role", &columns, &["role_id"])).await
}

pub async fn insert_role<'a>(exec: impl Into<Exec<'a>>, r: &RoleFields<'_>) -> StoreResult<i64> {
    insert_returning(exec, "admin_role", role_values(r), "role_id").await
}

pub async fn update_role<'a>(exec: impl Into<Exec<'a>>, id: i64, r: &RoleFields<'_>) -> StoreResult<u64> {
    update_rows(exec, "admin_role", role_values(r), Expr::col("role_id").eq(id)).await
}

pub async fn set_data_type<'a>(exec: impl Into<Exec<'a>>, id: i64, data_type: i64) -> StoreResult<u64> {
    let values = [("data_type", data_type.into())];
    update_rows(exec, "admin_role", values, Expr::col("role_id").eq(id)).await
}

/// Deletes a role with its rights and its holders' bindings.
pub async fn delete_role<'a>(exec: impl Into<Exec<'a>>, id: i64) -> StoreResult<u64> {
    let mut exec = exec.into();
    let of_role = || Expr::col("role_id").eq(id);
    delete_rows(exec.reborrow(), "admin_role_menu", of_role()).await?;
    delete_rows(exec.reborrow(), "admin_user_role", of_role()).await?;
    delete_rows(exec, "admin_role", of_role()).await
}

/// `(role_id, menu_id)` of every right of every role.
pub async fn role_menus<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<(i64, i64)>> {
    let columns = ["role_id", "menu_id"];
    fetch_as(exec, &select_all("admin_role_menu", &columns, &columns)).await
}

/// Replaces a role's rights.
pub async fn set_role_menus<'a>(
    exec: impl Into<Exec<'a>>,
    role_id: i64,
    menu_ids: &[i64],
) -> StoreResult<()> {
    let mut exec = exec.into();
    delete_rows(
        exec.reborrow(),
        "admin_role_menu",
        Expr::col("role_id").eq(role_id),
    )
    .await?;
    for menu_id in menu_ids {
        let row = [("role_id", role_id.into()), ("menu_id", (*menu_id).into())];
        execute(exec.reborrow(), &insert_row("admin_role_menu", row)).await?;
    }
    Ok(())
}

pub async fn menus<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<MenuRow>> {
    let columns = ["menu_id", "parent_id", "menu_name", "realm", "menu_type", "sort"];
    fetch_as(exec, &select_all("admin_menu", &columns, &["sort", "menu_id"])).await
}

pub async fn bind_role<'a>(exec: impl Into<Exec<'a>>, user_id: i64, role_id: i64) -> StoreResult<()> {
    let mut q = insert_row(
        "admin_user_role",
        [("user_id", user_id.into()), ("role_id", role_id.into())],
    );
    q.on_conflict(OnConflict::new().do_nothing().to_owned());
    execute(exec, &q).await?;
    Ok(())
}

pub async fn unbind_role<'a>(exec: impl Into<Exec<'a>>, user_id: i64, role_id: i64) -> StoreResult<()> {
    let binding = Cond::all()
        .add(Expr::col("user_id").eq(user_id))
        .add(Expr::col("role_id").eq(role_id));
    delete_rows(exec, "admin_user_role", binding).await?;
    Ok(())
}

pub async fn clear_roles<'a>(exec: impl Into<Exec<'a>>, user_id: i64) -> StoreResult<()> {
    delete_rows(exec, "admin_user_role", Expr::col("user_id").eq(user_id)).await?;
    Ok(())
}

/// `(user_id, role_id)` of every binding.
pub async fn user_roles<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<(i64, i64)>> {
    let columns = ["user_id", "role_id"];
    fetch_as(exec, &select_all("admin_user_role", &columns, &columns)).await
}

/// Every right a user holds through its enabled roles.
pub async fn grants<'a>(exec: impl Into<Exec<'a>>, user_id: i64) -> StoreResult<Vec<GrantRow>> {
    let mut q = Query::select();
    q.expr_as(Expr::col(("parent", "realm")), "module")
        .expr_as(Expr::col(("op", "realm")), "op")
        .columns([("r", "data_type"), ("r", "role_id")])
        .from_as("admin_user_role", "ur")
        .inner_join(
            TableRef::from("admin_role").alias("r"),
            Expr::col(("r", "role_id"))
                .equals(("ur", "role_id"))
                .and(Expr::col(("r", "status")).eq(1i64)),
        )
        .inner_join(
            TableRef::from("admin_role_menu").alias("rm"),
            Expr::col(("rm", "role_id")).equals(("r", "role_id")),
        )
        .inner_join(
            TableRef::from("admin_menu").alias("op"),
            Expr::col(("op", "menu_id"))
                .equals(("rm", "menu_id"))
                .and(Expr::col(("op", "menu_type")).eq(3i64)),
        )
        .inner_join(
            TableRef::from("admin_menu").alias("parent"),
            Expr::col(("parent", "menu_id")).equals(("op", "parent_id")),
        )
        .and_where(Expr::col(("ur", "user_id")).eq(user_id));
    cached(exec.into(), ("grants", user_id), |exec| fetch_as(exec, &q)).await
}

/// Superior and department of every user, for the data scopes.
pub async fn user_links<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<UserLink>> {
    let columns = ["user_id", "parent_id", "dept_id"];
    let q = select_all("admin_user", &columns, &[]);
    cached(exec.into(), ("user_links", 0), |exec| fetch_as(exec, &q)).await
}
