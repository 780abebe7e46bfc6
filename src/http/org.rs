//! `/api/system/{menu,role,dept}/*` and `setUser`: organisation administration, for the
//! administrator.

use axum::Router;
use axum::extract::State;
use axum::response::Response;

use super::auth::CurrentUser;
use super::params::Params;
use super::{AppState, envelope, get_post};
use crate::crm::Error;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/system/menu/getAllMenuList", get_post(menu_list))
        .route("/api/system/role/add", get_post(add_role))
        .route("/api/system/role/update", get_post(update_role))
        .route("/api/system/role/delete", get_post(delete_role))
        .route("/api/system/role/getAllRoleList", get_post(role_list))
        .route("/api/system/role/updateRoleMenu", get_post(update_role_menu))
        .route("/api/system/role/relatedUser", get_post(related_user))
        .route("/api/system/role/unbindingUser", get_post(unbinding_user))
        .route("/api/system/dept/addDept", get_post(add_dept))
        .route("/api/system/dept/setDept", get_post(set_dept))
        .route("/api/system/dept/deleteDept", get_post(delete_dept))
        .route("/api/system/dept/queryDeptTree", get_post(dept_tree))
        .route("/api/system/user/setUser", get_post(set_user))
}

/// The organisation routes and their summaries, for the OpenAPI document.
pub const SUMMARIES: [(&str, &str); 13] = [
    (
        "/api/system/menu/getAllMenuList",
        "权限菜单树（menuId, realm, childMenu）",
    ),
    (
        "/api/system/role/add",
        "新增角色：roleName, roleType, dataType, remark",
    ),
    (
        "/api/system/role/update",
        "修改角色：roleId, roleName, dataType, remark",
    ),
    ("/api/system/role/delete", "删除角色：roleId"),
    (
        "/api/system/role/getAllRoleList",
        "角色列表（含 menuIds, userIds）",
    ),
    (
        "/api/system/role/updateRoleMenu",
        "设置角色权限：roleId, dataType, menuIds（或 id, type, rules）",
    ),
    ("/api/system/role/relatedUser", "关联员工与角色：userIds, roleIds"),
    ("/api/system/role/unbindingUser", "解除员工角色：userIds, roleIds"),
    (
        "/api/system/dept/addDept",
        "新增部门：name, pid, ownerUserId, num, remark",
    ),
    (
        "/api/system/dept/setDept",
        "修改部门：deptId, name, pid, ownerUserId",
    ),
    (
        "/api/system/dept/deleteDept",
        "删除部门：deptId（有员工或下级部门时拒绝）",
    ),
    ("/api/system/dept/queryDeptTree", "部门树"),
    (
        "/api/system/user/setUser",
        "修改员工：userId, realname, mobile, deptId, parentId, post, roleIds",
    ),
];

async fn menu_list(
    State(s): State<AppState>,
    CurrentUser(_): CurrentUser,
    _: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.menu_tree().await?))
}

async fn dept_tree(
    State(s): State<AppState>,
    CurrentUser(_): CurrentUser,
    _: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.dept_tree().await?))
}

async fn role_list(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    _: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    Ok(envelope::data(s.crm.role_list().await?))
}

async fn add_role(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    Ok(envelope::data(s.crm.add_role(p.input()).await?))
}

async fn update_role(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.update_role(p.input()).await?;
    Ok(envelope::ok())
}

async fn delete_role(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.delete_role(p.input()).await?;
    Ok(envelope::ok())
}

async fn update_role_menu(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.update_role_menu(p.input()).await?;
    Ok(envelope::ok())
}

async fn related_user(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.relate_users(p.input()).await?;
    Ok(envelope::ok())
}

async fn unbinding_user(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.unbind_users(&u, p.input()).await?;
    Ok(envelope::ok())
}

async fn add_dept(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    Ok(envelope::data(s.crm.add_dept(p.input()).await?))
}

async fn set_dept(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.set_dept(p.input()).await?;
    Ok(envelope::ok())
}

async fn delete_dept(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.delete_dept(p.input()).await?;
    Ok(envelope::ok())
}

async fn set_user(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.set_user(p.input()).await?;
    Ok(envelope::ok())
}
