//! The organisation: departments, roles, the rights tree, and who holds which role.

use super::{Exec, StoreError, StoreResult, on_exec};

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

macro_rules! fetch_all {
    ($exec:expr, $row:ty, $sql:expr $(, $bind:expr)*) => {
        Ok(on_exec!($exec.into(), |conn, _qb| {
            sqlx::query_as::<_, $row>($sql)$(.bind($bind))*.fetch_all(conn).await?
        }))
    };
}

macro_rules! execute {
    ($exec:expr, $sql:expr $(, $bind:expr)*) => {
        on_exec!($exec.into(), |conn, _qb| {
            sqlx::query($sql)$(.bind($bind))*.execute(conn).await.map_err(StoreError::classify)?.rows_affected()
        })
    };
}

macro_rules! fetch_id {
    ($exec:expr, $sql:expr $(, $bind:expr)*) => {
        on_exec!($exec.into(), |conn, _qb| {
            sqlx::query_scalar::<_, i64>($sql)$(.bind($bind))*.fetch_one(conn).await.map_err(StoreError::classify)?
        })
    };
}

pub async fn depts<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<DeptRow>> {
    fetch_all!(
        exec,
        DeptRow,
        "SELECT dept_id, pid, name, num, remark, owner_user_id FROM admin_dept ORDER BY num, dept_id"
    )
}

pub async fn insert_dept<'a>(exec: impl Into<Exec<'a>>, d: &DeptFields<'_>) -> StoreResult<i64> {
    Ok(fetch_id!(
        exec,
        "INSERT INTO admin_dept (pid, name, num, remark, owner_user_id) VALUES ($1, $2, $3, $4, $5) RETURNING dept_id",
        d.pid,
        d.name,
        d.num,
        d.remark,
        d.owner_user_id
    ))
}

pub async fn update_dept<'a>(exec: impl Into<Exec<'a>>, id: i64, d: &DeptFields<'_>) -> StoreResult<u64> {
    Ok(execute!(
        exec,
        "UPDATE admin_dept SET pid = $1, name = $2, num = $3, remark = $4, owner_user_id = $5 WHERE dept_id = $6",
        d.pid,
        d.name,
        d.num,
        d.remark,
        d.owner_user_id,
        id
    ))
}

pub async fn delete_dept<'a>(exec: impl Into<Exec<'a>>, id: i64) -> StoreResult<u64> {
    Ok(execute!(exec, "DELETE FROM admin_dept WHERE dept_id = $1", id))
}

pub async fn users_in_dept<'a>(exec: impl Into<Exec<'a>>, id: i64) -> StoreResult<i64> {
    Ok(fetch_id!(
        exec,
        "SELECT COUNT(*) FROM admin_user WHERE dept_id = $1",
        id
    ))
}

pub async fn roles<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<RoleRow>> {
    fetch_all!(
        exec,
        RoleRow,
        "SELECT role_id, role_name, role_type, data_type, remark, status FROM admin_role ORDER BY role_id"
    )
}

pub async fn insert_role<'a>(exec: impl Into<Exec<'a>>, r: &RoleFields<'_>) -> StoreResult<i64> {
    Ok(fetch_id!(
        exec,
        "INSERT INTO admin_role (role_name, role_type, data_type, remark) VALUES ($1, $2, $3, $4) RETURNING role_id",
        r.role_name,
        r.role_type,
        r.data_type,
        r.remark
    ))
}

pub async fn update_role<'a>(exec: impl Into<Exec<'a>>, id: i64, r: &RoleFields<'_>) -> StoreResult<u64> {
    Ok(execute!(
        exec,
        "UPDATE admin_role SET role_name = $1, role_type = $2, data_type = $3, remark = $4 WHERE role_id = $5",
        r.role_name,
        r.role_type,
        r.data_type,
        r.remark,
        id
    ))
}

pub async fn set_data_type<'a>(exec: impl Into<Exec<'a>>, id: i64, data_type: i64) -> StoreResult<u64> {
    Ok(execute!(
        exec,
        "UPDATE admin_role SET data_type = $1 WHERE role_id = $2",
        data_type,
        id
    ))
}

/// Deletes a role with its rights and its holders' bindings.
pub async fn delete_role<'a>(exec: impl Into<Exec<'a>>, id: i64) -> StoreResult<u64> {
    let mut exec = exec.into();
    execute!(
        exec.reborrow(),
        "DELETE FROM admin_role_menu WHERE role_id = $1",
        id
    );
    execute!(
        exec.reborrow(),
        "DELETE FROM admin_user_role WHERE role_id = $1",
        id
    );
    Ok(execute!(exec, "DELETE FROM admin_role WHERE role_id = $1", id))
}

/// `(role_id, menu_id)` of every right of every role.
pub async fn role_menus<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<(i64, i64)>> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT role_id, menu_id FROM admin_role_menu ORDER BY role_id, menu_id",
        )
        .fetch_all(conn)
        .await?
    }))
}

/// Replaces a role's rights.
pub async fn set_role_menus<'a>(
    exec: impl Into<Exec<'a>>,
    role_id: i64,
    menu_ids: &[i64],
) -> StoreResult<()> {
    let mut exec = exec.into();
    execute!(
        exec.reborrow(),
        "DELETE FROM admin_role_menu WHERE role_id = $1",
        role_id
    );
    for menu_id in menu_ids {
        execute!(
            exec.reborrow(),
            "INSERT INTO admin_role_menu (role_id, menu_id) VALUES ($1, $2)",
            role_id,
            *menu_id
        );
    }
    Ok(())
}

pub async fn menus<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<MenuRow>> {
    fetch_all!(
        exec,
        MenuRow,
        "SELECT menu_id, parent_id, menu_name, realm, menu_type, sort FROM admin_menu ORDER BY sort, menu_id"
    )
}

pub async fn bind_role<'a>(exec: impl Into<Exec<'a>>, user_id: i64, role_id: i64) -> StoreResult<()> {
    execute!(
        exec,
        "INSERT INTO admin_user_role (user_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        user_id,
        role_id
    );
    Ok(())
}

pub async fn unbind_role<'a>(exec: impl Into<Exec<'a>>, user_id: i64, role_id: i64) -> StoreResult<()> {
    execute!(
        exec,
        "DELETE FROM admin_user_role WHERE user_id = $1 AND role_id = $2",
        user_id,
        role_id
    );
    Ok(())
}

pub async fn clear_roles<'a>(exec: impl Into<Exec<'a>>, user_id: i64) -> StoreResult<()> {
    execute!(exec, "DELETE FROM admin_user_role WHERE user_id = $1", user_id);
    Ok(())
}

/// `(user_id, role_id)` of every binding.
pub async fn user_roles<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<(i64, i64)>> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT user_id, role_id FROM admin_user_role ORDER BY user_id, role_id",
        )
        .fetch_all(conn)
        .await?
    }))
}

/// Every right a user holds through its enabled roles.
pub async fn grants<'a>(exec: impl Into<Exec<'a>>, user_id: i64) -> StoreResult<Vec<GrantRow>> {
    fetch_all!(
        exec,
        GrantRow,
        "SELECT parent.realm AS module, op.realm AS op, r.data_type, r.role_id \
         FROM admin_user_role ur \
         JOIN admin_role r ON r.role_id = ur.role_id AND r.status = 1 \
         JOIN admin_role_menu rm ON rm.role_id = r.role_id \
         JOIN admin_menu op ON op.menu_id = rm.menu_id AND op.menu_type = 3 \
         JOIN admin_menu parent ON parent.menu_id = op.parent_id \
         WHERE ur.user_id = $1",
        user_id
    )
}

/// Superior and department of every user, for the data scopes.
pub async fn user_links<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<UserLink>> {
    fetch_all!(
        exec,
        UserLink,
        "SELECT user_id, parent_id, dept_id FROM admin_user"
    )
}
