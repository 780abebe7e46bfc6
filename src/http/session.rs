//! The session routes of the WukongCRM 9 web client: its reload path (`system/role/auth`),
//! the logged-in user, role types, and the system's name and logo.

use axum::extract::State;
use axum::response::Response;

use super::routes::{Route, data, done, handler};
use super::{AppState, Params, get_post};
use crate::crm::session::{ModuleSwitch, SysConfig};
use crate::crm::{Error, Parse};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/system/role/auth",
            "当前登录人的权限（与登录返回的 auth 相同）",
            handler!(|crm, actor, input| data(crm.auth_tree(actor).await?)),
        ),
        Route::new(
            "/api/system/user/queryLoginUser",
            "当前登录人的信息",
            handler!(|crm, actor, input| data(crm.login_user(actor).await?)),
        ),
        Route::new(
            "/api/system/role/getRoleTypeList",
            "角色类型列表",
            handler!(|crm, actor, input| data(crm.role_types())),
        ),
        Route::new(
            "/api/sysConfig/querySysConfig",
            "系统名称与logo（无需登录）",
            get_post(sys_config),
        ),
        Route::new(
            "/api/sysConfig/setSysConfig",
            "设置系统名称与logo（管理员）：name, logo",
            handler!(|crm, actor, input| done(crm.set_sys_config(actor, SysConfig::parse(input)?).await?)),
        ),
        Route::new(
            "/api/sysConfig/queryModuleSetting",
            "应用模块的启用状态（管理员；只有客户管理启用）",
            handler!(|crm, actor, input| data(crm.module_settings(actor)?)),
        ),
        Route::new(
            "/api/sysConfig/setModuleSetting",
            "启用/停用应用模块（管理员）：settingId, status；客户管理不能停用，其他模块不能启用",
            handler!(|crm, actor, input| done(crm.switch_module(actor, ModuleSwitch::parse(input)?)?)),
        ),
    ]
}

/// Answers without a token: the login page shows the name and logo.
async fn sys_config(State(state): State<AppState>, _: Params) -> Result<Response, Error> {
    data(state.crm.sys_config().await?)
}
