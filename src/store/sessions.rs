//! Login tokens and the login-failure counter, kept in the database so every instance
//! sees the same state.

use chrono::NaiveDateTime;

use sea_query::{Cond, Expr, ExprTrait, Order, Query, TableRef};

use super::users::{UserRow, select_user_row};
use super::{
    Exec, StoreResult, delete_rows, execute, fetch_optional_as, fetch_scalars, insert_returning, insert_row,
    update_rows,
};

/// A live session and its user.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub last_seen: NaiveDateTime,
    /// The settings version at the time of the lookup (see `Db::stamped`).
    pub settings_version: i64,
    #[sqlx(flatten)]
    pub user: UserRow,
}

pub async fn insert<'a>(
    exec: impl Into<Exec<'a>>,
    token_hash: &str,
    user_id: i64,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    let row = [
        ("token_hash", token_hash.into()),
        ("user_id", user_id.into()),
        ("create_time", now.into()),
        ("last_seen", now.into()),
        ("expires_at", expires_at.into()),
    ];
    execute(exec, &insert_row("admin_session", row)).await?;
    Ok(())
}

/// The unexpired session of an enabled user for this token hash.
pub async fn lookup<'a>(
    exec: impl Into<Exec<'a>>,
    token_hash: &str,
    now: NaiveDateTime,
) -> StoreResult<Option<SessionRow>> {
    let mut q = live_session(token_hash, now);
    q.column(("s", "last_seen"))
        .expr_as(super::settings::version_expr(), "settings_version");
    select_user_row(&mut q);
    fetch_optional_as(exec, &q).await
}

/// `FROM` the unexpired session `s` of an enabled user `u` for this token hash.
fn live_session(token_hash: &str, now: NaiveDateTime) -> sea_query::SelectStatement {
    let mut q = Query::select();
    q.from_as("admin_session", "s")
        .inner_join(
            TableRef::from("admin_user").alias("u"),
            Expr::col(("u", "user_id")).equals(("s", "user_id")),
        )
        .and_where(Expr::col(("s", "token_hash")).eq(token_hash))
        .and_where(Expr::col(("s", "expires_at")).gt(now))
        .and_where(Expr::col(("u", "status")).eq(1i64));
    q
}

/// A session this instance saw live, to be checked again inside the statement that serves
/// the next request with it (`live_version`), which saves a round trip of its own.
#[derive(Clone, Debug)]
pub struct SessionCheck {
    pub token_hash: String,
    pub user_id: i64,
    pub now: NaiveDateTime,
}

/// The settings version while the session of `check` is live and still its user's, the
/// user enabled — as `lookup` would find it; NULL otherwise.
pub(super) fn live_version(check: &SessionCheck) -> Expr {
    let mut q = live_session(&check.token_hash, check.now);
    q.expr(super::settings::version_expr())
        .and_where(Expr::col(("s", "user_id")).eq(check.user_id));
    Expr::from(q)
}

/// Slides the idle expiry of a session forward.
pub async fn touch<'a>(
    exec: impl Into<Exec<'a>>,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    let values = [("last_seen", now.into()), ("expires_at", expires_at.into())];
    update_rows(
        exec,
        "admin_session",
        values,
        Expr::col("token_hash").eq(token_hash),
    )
    .await?;
    Ok(())
}

pub async fn delete<'a>(exec: impl Into<Exec<'a>>, token_hash: &str) -> StoreResult<()> {
    delete_rows(exec, "admin_session", Expr::col("token_hash").eq(token_hash)).await?;
    Ok(())
}

/// Ends every session of a user (disabled, or password reset).
pub async fn delete_for_user<'a>(exec: impl Into<Exec<'a>>, user_id: i64) -> StoreResult<()> {
    delete_rows(exec, "admin_session", Expr::col("user_id").eq(user_id)).await?;
    Ok(())
}

/// Drops sessions that have expired, so the table does not grow without bound.
pub async fn delete_expired<'a>(exec: impl Into<Exec<'a>>, now: NaiveDateTime) -> StoreResult<u64> {
    delete_rows(exec, "admin_session", Expr::col("expires_at").lte(now)).await
}

/// Records a failed (or not yet checked) login; answers its id.
pub async fn add_failure<'a>(
    exec: impl Into<Exec<'a>>,
    username: &str,
    ip: Option<&str>,
    now: NaiveDateTime,
) -> StoreResult<i64> {
    let row = [
        ("username", username.into()),
        ("ip", ip.into()),
        ("failed_at", now.into()),
    ];
    insert_returning(exec, "admin_login_failure", row, "id").await
}

/// Forgets one recorded attempt.
pub async fn delete_failure<'a>(exec: impl Into<Exec<'a>>, id: i64) -> StoreResult<()> {
    delete_rows(exec, "admin_login_failure", Expr::col("id").eq(id)).await?;
    Ok(())
}

/// Whose failed logins to count.
#[derive(Clone, Copy, Debug)]
pub enum FailuresOf<'a> {
    Username(&'a str),
    Address(&'a str),
}

/// The times of the failed logins of a username or from a client address since `since`,
/// oldest first.
pub async fn failures_since<'a>(
    exec: impl Into<Exec<'a>>,
    of: FailuresOf<'_>,
    since: NaiveDateTime,
) -> StoreResult<Vec<NaiveDateTime>> {
    let of = match of {
        FailuresOf::Username(name) => Expr::col("username").eq(name),
        FailuresOf::Address(ip) => Expr::col("ip").eq(ip),
    };
    let mut q = Query::select();
    q.column("failed_at")
        .from("admin_login_failure")
        .and_where(of)
        .and_where(Expr::col("failed_at").gt(since))
        .order_by("failed_at", Order::Asc);
    fetch_scalars(exec, &q).await
}

/// Forgets a username's failures (after a successful login), and everyone's stale ones.
pub async fn clear_failures<'a>(
    exec: impl Into<Exec<'a>>,
    username: &str,
    before: NaiveDateTime,
) -> StoreResult<()> {
    let cond = Cond::any()
        .add(Expr::col("username").eq(username))
        .add(Expr::col("failed_at").lt(before));
    delete_rows(exec, "admin_login_failure", cond).await?;
    Ok(())
}
