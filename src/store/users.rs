//! Users and departments.

use chrono::NaiveDateTime;

use sea_query::{Cond, Expr, ExprTrait, LikeExpr, Order, Query, SelectStatement, TableRef};

use super::like_pattern;
use super::{Exec, StoreResult, fetch_as, fetch_optional_as, fetch_scalar, insert_returning, update_rows};

/// A user as stored, with the names of its department and superior.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub user_id: i64,
    pub username: String,
    pub password: String,
    pub realname: String,
    pub mobile: String,
    pub email: Option<String>,
    pub sex: Option<i64>,
    pub img: Option<String>,
    pub num: Option<String>,
    pub post: Option<String>,
    pub dept_id: Option<i64>,
    pub dept_name: Option<String>,
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
    pub status: i64,
    pub is_admin: i64,
    pub create_time: NaiveDateTime,
    pub last_login_time: Option<NaiveDateTime>,
    pub last_login_ip: Option<String>,
}

/// The columns of `admin_user` that `UserRow` reads, besides the two looked-up names.
const USER_COLUMNS: [&str; 17] = [
    "user_id",
    "username",
    "password",
    "realname",
    "mobile",
    "email",
    "sex",
    "img",
    "num",
    "post",
    "dept_id",
    "parent_id",
    "status",
    "is_admin",
    "create_time",
    "last_login_time",
    "last_login_ip",
];

/// Adds the columns of `UserRow` to a select that reads `admin_user` as `u`, with the
/// LEFT JOINs that look up its department's name (`d`) and its superior's (`p`).
pub(super) fn select_user_row(q: &mut SelectStatement) -> &mut SelectStatement {
    q.columns(USER_COLUMNS.map(|c| ("u", c)))
        .expr_as(Expr::col(("d", "name")), "dept_name")
        .expr_as(Expr::col(("p", "realname")), "parent_name")
        .left_join(
            TableRef::from("admin_dept").alias("d"),
            Expr::col(("d", "dept_id")).equals(("u", "dept_id")),
        )
        .left_join(
            TableRef::from("admin_user").alias("p"),
            Expr::col(("p", "user_id")).equals(("u", "parent_id")),
        )
}

/// `SELECT <UserRow> FROM admin_user u LEFT JOIN …` without conditions.
fn select_users() -> SelectStatement {
    let mut q = Query::select();
    q.from_as("admin_user", "u");
    select_user_row(&mut q);
    q
}

/// The users of one department, by id.
pub async fn in_dept<'a>(exec: impl Into<Exec<'a>>, dept_id: i64) -> StoreResult<Vec<UserRow>> {
    let mut q = select_users();
    q.and_where(Expr::col(("u", "dept_id")).eq(dept_id))
        .order_by(("u", "user_id"), Order::Asc);
    fetch_as(exec, &q).await
}

/// The fields of a new user.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub realname: &'a str,
    pub mobile: &'a str,
    pub email: Option<&'a str>,
    pub dept_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub post: Option<&'a str>,
    pub is_admin: bool,
    pub now: NaiveDateTime,
}

pub async fn by_username<'a>(exec: impl Into<Exec<'a>>, username: &str) -> StoreResult<Option<UserRow>> {
    let mut q = select_users();
    q.and_where(Expr::col(("u", "username")).eq(username));
    fetch_optional_as(exec, &q).await
}

pub async fn by_id<'a>(exec: impl Into<Exec<'a>>, user_id: i64) -> StoreResult<Option<UserRow>> {
    let mut q = select_users();
    q.and_where(Expr::col(("u", "user_id")).eq(user_id));
    fetch_optional_as(exec, &q).await
}

/// One page of users whose username or realname contains `search`, by id.
pub async fn page<'a>(
    exec: impl Into<Exec<'a>>,
    search: &str,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<UserRow>, i64)> {
    let pattern = || LikeExpr::new(like_pattern(search, true, true)).escape('\\');
    let matches = Cond::any()
        .add(Expr::col(("u", "username")).like(pattern()))
        .add(Expr::col(("u", "realname")).like(pattern()));
    let mut list = select_users();
    // The service passes a page and a size that are never negative.
    list.cond_where(matches.clone())
        .order_by(("u", "user_id"), Order::Asc)
        .limit(u64::try_from(limit).unwrap_or_default())
        .offset(u64::try_from(offset).unwrap_or_default());
    let mut count = Query::select();
    count
        .expr(Expr::cust("COUNT(*)"))
        .from_as("admin_user", "u")
        .cond_where(matches);
    let mut exec = exec.into();
    let rows = fetch_as(exec.reborrow(), &list).await?;
    let total = fetch_scalar(exec, &count).await?;
    Ok((rows, total))
}

/// How many administrators exist.
pub async fn count_admins<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<i64> {
    let mut q = Query::select();
    q.expr(Expr::cust("COUNT(*)"))
        .from("admin_user")
        .and_where(Expr::col("is_admin").eq(1i64));
    fetch_scalar(exec, &q).await
}

pub async fn insert<'a>(exec: impl Into<Exec<'a>>, user: &NewUser<'_>) -> StoreResult<i64> {
    let row = [
        ("username", user.username.into()),
        ("password", user.password_hash.into()),
        ("realname", user.realname.into()),
        ("mobile", user.mobile.into()),
        ("email", user.email.into()),
        ("dept_id", user.dept_id.into()),
        ("parent_id", user.parent_id.into()),
        ("post", user.post.into()),
        ("is_admin", i64::from(user.is_admin).into()),
        ("status", 1i64.into()),
        ("create_time", user.now.into()),
    ];
    insert_returning(exec, "admin_user", row, "user_id").await
}

/// Sets the status of the given users; answers how many exist.
pub async fn set_status<'a>(exec: impl Into<Exec<'a>>, user_id: i64, status: i64) -> StoreResult<u64> {
    update_rows(
        exec,
        "admin_user",
        [("status", status.into())],
        Expr::col("user_id").eq(user_id),
    )
    .await
}

/// Sets one text column of a user; answers how many rows changed (0: no such user).
async fn set_text<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    column: &'static str,
    value: &str,
) -> StoreResult<u64> {
    update_rows(
        exec,
        "admin_user",
        [(column, value.into())],
        Expr::col("user_id").eq(user_id),
    )
    .await
}

pub async fn set_username<'a>(exec: impl Into<Exec<'a>>, user_id: i64, username: &str) -> StoreResult<u64> {
    set_text(exec, user_id, "username", username).await
}

pub async fn set_password<'a>(exec: impl Into<Exec<'a>>, user_id: i64, hash: &str) -> StoreResult<u64> {
    set_text(exec, user_id, "password", hash).await
}

pub async fn record_login<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    now: NaiveDateTime,
    ip: Option<&str>,
) -> StoreResult<()> {
    let values = [("last_login_time", now.into()), ("last_login_ip", ip.into())];
    update_rows(exec, "admin_user", values, Expr::col("user_id").eq(user_id)).await?;
    Ok(())
}

pub async fn dept_exists<'a>(exec: impl Into<Exec<'a>>, dept_id: i64) -> StoreResult<bool> {
    let mut q = Query::select();
    q.expr(Expr::cust("COUNT(*)"))
        .from("admin_dept")
        .and_where(Expr::col("dept_id").eq(dept_id));
    Ok(fetch_scalar::<i64, _>(exec, &q).await? > 0)
}

/// The fields `setUser` may change.
pub struct UserChange<'a> {
    pub realname: &'a str,
    pub mobile: &'a str,
    pub post: Option<&'a str>,
    pub dept_id: Option<i64>,
    pub parent_id: Option<i64>,
}

/// What a user changes of its own profile.
pub struct ProfileChange<'a> {
    pub realname: &'a str,
    pub mobile: &'a str,
    pub email: Option<&'a str>,
    pub sex: Option<i64>,
    pub post: Option<&'a str>,
    pub img: Option<&'a str>,
}

pub async fn update_profile<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    c: &ProfileChange<'_>,
) -> StoreResult<u64> {
    let values = [
        ("realname", c.realname.into()),
        ("mobile", c.mobile.into()),
        ("email", c.email.into()),
        ("sex", c.sex.into()),
        ("post", c.post.into()),
        ("img", c.img.into()),
    ];
    update_rows(exec, "admin_user", values, Expr::col("user_id").eq(user_id)).await
}

pub async fn update<'a>(exec: impl Into<Exec<'a>>, user_id: i64, c: &UserChange<'_>) -> StoreResult<u64> {
    let values = [
        ("realname", c.realname.into()),
        ("mobile", c.mobile.into()),
        ("post", c.post.into()),
        ("dept_id", c.dept_id.into()),
        ("parent_id", c.parent_id.into()),
    ];
    update_rows(exec, "admin_user", values, Expr::col("user_id").eq(user_id)).await
}
