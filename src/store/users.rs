//! Users and departments.

use chrono::NaiveDateTime;

use super::{Exec, StoreError, StoreResult, on_exec};

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

const SELECT_USER: &str = "SELECT u.user_id, u.username, u.password, u.realname, u.mobile, u.email, \
     u.sex, u.img, u.num, u.post, u.dept_id, d.name AS dept_name, u.parent_id, \
     p.realname AS parent_name, u.status, u.is_admin, u.create_time, u.last_login_time, \
     u.last_login_ip \
     FROM admin_user u \
     LEFT JOIN admin_dept d ON d.dept_id = u.dept_id \
     LEFT JOIN admin_user p ON p.user_id = u.parent_id";

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
    let sql = format!("{SELECT_USER} WHERE u.username = $1");
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(sql))
            .bind(username)
            .fetch_optional(conn)
            .await?
    }))
}

pub async fn by_id<'a>(exec: impl Into<Exec<'a>>, user_id: i64) -> StoreResult<Option<UserRow>> {
    let sql = format!("{SELECT_USER} WHERE u.user_id = $1");
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_optional(conn)
            .await?
    }))
}

/// One page of users whose username or realname contains `search`, by id.
pub async fn page<'a>(
    exec: impl Into<Exec<'a>>,
    search: &str,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<UserRow>, i64)> {
    let pattern = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let cond = "(u.username LIKE $1 ESCAPE '\\' OR u.realname LIKE $1 ESCAPE '\\')";
    let list_sql = format!("{SELECT_USER} WHERE {cond} ORDER BY u.user_id LIMIT $2 OFFSET $3");
    let count_sql = format!("SELECT COUNT(*) FROM admin_user u WHERE {cond}");
    let mut exec = exec.into();
    let rows = on_exec!(&mut exec, |conn, _qb| {
        sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(list_sql))
            .bind(&pattern)
            .bind(limit)
            .bind(offset)
            .fetch_all(conn)
            .await?
    });
    let total = on_exec!(&mut exec, |conn, _qb| {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql))
            .bind(&pattern)
            .fetch_one(conn)
            .await?
    });
    Ok((rows, total))
}

/// How many administrators exist.
pub async fn count_admins<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<i64> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM admin_user WHERE is_admin = 1")
            .fetch_one(conn)
            .await?
    }))
}

pub async fn insert<'a>(exec: impl Into<Exec<'a>>, user: &NewUser<'_>) -> StoreResult<i64> {
    let result = on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO admin_user (username, password, realname, mobile, email, dept_id, \
             parent_id, post, is_admin, status, create_time) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) RETURNING user_id",
        )
        .bind(user.username)
        .bind(user.password_hash)
        .bind(user.realname)
        .bind(user.mobile)
        .bind(user.email)
        .bind(user.dept_id)
        .bind(user.parent_id)
        .bind(user.post)
        .bind(i64::from(user.is_admin))
        .bind(user.now)
        .fetch_one(conn)
        .await
    });
    result.map_err(StoreError::classify)
}

/// Sets the status of the given users; answers how many exist.
pub async fn set_status<'a>(exec: impl Into<Exec<'a>>, user_id: i64, status: i64) -> StoreResult<u64> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("UPDATE admin_user SET status = $1 WHERE user_id = $2")
            .bind(status)
            .bind(user_id)
            .execute(conn)
            .await?
            .rows_affected()
    }))
}

pub async fn set_password<'a>(exec: impl Into<Exec<'a>>, user_id: i64, hash: &str) -> StoreResult<u64> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("UPDATE admin_user SET password = $1 WHERE user_id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(conn)
            .await?
            .rows_affected()
    }))
}

pub async fn record_login<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    now: NaiveDateTime,
    ip: Option<&str>,
) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("UPDATE admin_user SET last_login_time = $1, last_login_ip = $2 WHERE user_id = $3")
            .bind(now)
            .bind(ip)
            .bind(user_id)
            .execute(conn)
            .await?;
    });
    Ok(())
}

pub async fn dept_exists<'a>(exec: impl Into<Exec<'a>>, dept_id: i64) -> StoreResult<bool> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM admin_dept WHERE dept_id = $1")
            .bind(dept_id)
            .fetch_one(conn)
            .await?
            > 0
    }))
}

/// The fields `setUser` may change.
pub struct UserChange<'a> {
    pub realname: &'a str,
    pub mobile: &'a str,
    pub post: Option<&'a str>,
    pub dept_id: Option<i64>,
    pub parent_id: Option<i64>,
}

pub async fn update<'a>(exec: impl Into<Exec<'a>>, user_id: i64, c: &UserChange<'_>) -> StoreResult<u64> {
    let result = on_exec!(exec.into(), |conn, _qb| {
        sqlx::query(
            "UPDATE admin_user SET realname = $1, mobile = $2, post = $3, dept_id = $4, parent_id = $5 \
             WHERE user_id = $6",
        )
        .bind(c.realname)
        .bind(c.mobile)
        .bind(c.post)
        .bind(c.dept_id)
        .bind(c.parent_id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    });
    result.map_err(StoreError::classify)
}
