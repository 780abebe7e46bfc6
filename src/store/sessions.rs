//! Login tokens and the login-failure counter, kept in the database so every instance
//! sees the same state.

use chrono::NaiveDateTime;

use super::users::UserRow;
use super::{Exec, StoreResult, on_exec};

/// A live session and its user.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub last_seen: NaiveDateTime,
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
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query(
            "INSERT INTO admin_session (token_hash, user_id, create_time, last_seen, expires_at) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// The unexpired session of an enabled user for this token hash.
pub async fn lookup<'a>(
    exec: impl Into<Exec<'a>>,
    token_hash: &str,
    now: NaiveDateTime,
) -> StoreResult<Option<SessionRow>> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, SessionRow>(
            "SELECT s.last_seen, u.user_id, u.username, u.password, u.realname, u.mobile, \
             u.email, u.sex, u.img, u.num, u.post, u.dept_id, d.name AS dept_name, u.parent_id, \
             p.realname AS parent_name, u.status, u.is_admin, u.create_time, u.last_login_time, \
             u.last_login_ip \
             FROM admin_session s \
             JOIN admin_user u ON u.user_id = s.user_id \
             LEFT JOIN admin_dept d ON d.dept_id = u.dept_id \
             LEFT JOIN admin_user p ON p.user_id = u.parent_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.status = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(conn)
        .await?
    }))
}

/// Slides the idle expiry of a session forward.
pub async fn touch<'a>(
    exec: impl Into<Exec<'a>>,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("UPDATE admin_session SET last_seen = $1, expires_at = $2 WHERE token_hash = $3")
            .bind(now)
            .bind(expires_at)
            .bind(token_hash)
            .execute(conn)
            .await?;
    });
    Ok(())
}

pub async fn delete<'a>(exec: impl Into<Exec<'a>>, token_hash: &str) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("DELETE FROM admin_session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(conn)
            .await?;
    });
    Ok(())
}

/// Ends every session of a user (disabled, or password reset).
pub async fn delete_for_user<'a>(exec: impl Into<Exec<'a>>, user_id: i64) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("DELETE FROM admin_session WHERE user_id = $1")
            .bind(user_id)
            .execute(conn)
            .await?;
    });
    Ok(())
}

/// Drops sessions that have expired, so the table does not grow without bound.
pub async fn delete_expired<'a>(exec: impl Into<Exec<'a>>, now: NaiveDateTime) -> StoreResult<u64> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("DELETE FROM admin_session WHERE expires_at <= $1")
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected()
    }))
}

/// Records a failed (or not yet checked) login; answers its id.
pub async fn add_failure<'a>(
    exec: impl Into<Exec<'a>>,
    username: &str,
    ip: Option<&str>,
    now: NaiveDateTime,
) -> StoreResult<i64> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO admin_login_failure (username, ip, failed_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(username)
        .bind(ip)
        .bind(now)
        .fetch_one(conn)
        .await?
    }))
}

/// Forgets one recorded attempt.
pub async fn delete_failure<'a>(exec: impl Into<Exec<'a>>, id: i64) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("DELETE FROM admin_login_failure WHERE id = $1")
            .bind(id)
            .execute(conn)
            .await?;
    });
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
    let (sql, key) = match of {
        FailuresOf::Username(name) => (
            "SELECT failed_at FROM admin_login_failure WHERE username = $1 AND failed_at > $2 \
             ORDER BY failed_at",
            name,
        ),
        FailuresOf::Address(ip) => (
            "SELECT failed_at FROM admin_login_failure WHERE ip = $1 AND failed_at > $2 \
             ORDER BY failed_at",
            ip,
        ),
    };
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_scalar::<_, NaiveDateTime>(sql)
            .bind(key)
            .bind(since)
            .fetch_all(conn)
            .await?
    }))
}

/// Forgets a username's failures (after a successful login), and everyone's stale ones.
pub async fn clear_failures<'a>(
    exec: impl Into<Exec<'a>>,
    username: &str,
    before: NaiveDateTime,
) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("DELETE FROM admin_login_failure WHERE username = $1 OR failed_at < $2")
            .bind(username)
            .bind(before)
            .execute(conn)
            .await?;
    });
    Ok(())
}
