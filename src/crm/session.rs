//! What the WukongCRM 9 web client asks about its session: the caller's rights tree again
//! (a page reload re-reads it instead of logging in), the logged-in user, the role types,
//! and the system's name and logo (read before login, for the login page).

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::error::{Error, Result};
use super::input::{Input, Parse};
use super::users::UserView;
use super::{Actor, Crm};
use crate::store::org;

/// The settings key of the system's name and logo (J9 keeps both in one JSON value).
const SYS_CONFIG: &str = "SYS_CONFIG";

/// The longest system name.
const MAX_NAME: usize = 50;

/// One role type of the role administration page.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleType {
    name: &'static str,
    role_type: i64,
}

/// J9's role types. wkcrm's roles are all CRM roles (type 2); the others are listed so the
/// page shows its usual tabs, which stay empty.
const ROLE_TYPES: [(&str, i64); 4] = [
    ("系统管理角色", 1),
    ("办公管理角色", 7),
    ("客户管理角色", 2),
    ("项目管理角色", 8),
];

/// J9's application modules (`queryModuleSetting`): id, key, name, J9's type; only 客户管理
/// is wkcrm's, so only it is on.
const MODULES: [(i64, &str, &str, i64); 5] = [
    (21, "oa", "办公管理", 1),
    (22, "crm", "客户管理", 1),
    (23, "project", "项目管理", 1),
    (24, "hrm", "人力资源管理", 2),
    (25, "jxc", "进销存管理", 2),
];
const CRM_MODULE: i64 = 22;

/// `setModuleSetting`: a module (`settingId`) switched on (`status` 1) or off.
#[derive(Clone, Copy, Debug)]
pub struct ModuleSwitch {
    pub id: i64,
    pub on: bool,
}

impl Parse for ModuleSwitch {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(ModuleSwitch {
            id: input.i64("settingId", "settingId不能为空")?,
            on: input.i64("status", "status不能为空")? == 1,
        })
    }
}

/// `setSysConfig`: the system's name and its logo's address.
#[derive(Clone, Debug)]
pub struct SysConfig {
    pub name: String,
    pub logo: String,
}

impl Parse for SysConfig {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(SysConfig {
            name: input.opt_text("name", "系统名称", MAX_NAME)?.unwrap_or_default(),
            logo: input.opt_bounded("logo", "系统logo", 500)?.unwrap_or_default(),
        })
    }
}

impl Crm {
    /// `system/role/auth`: the rights tree of the login answer, read afresh.
    pub async fn auth_tree(&self, actor: &Actor) -> Result<Value> {
        Ok(actor.access.tree(&org::menus(&self.db).await?))
    }

    /// `system/user/queryLoginUser`: the caller as the login answer shows it, read afresh.
    pub async fn login_user(&self, actor: &Actor) -> Result<Value> {
        let user = crate::store::users::by_id(&self.db, actor.id())
            .await?
            .ok_or(Error::NotLoggedIn)?;
        let mut view = serde_json::to_value(UserView::new(&self.clock, &user)).unwrap_or_default();
        view["isAdmin"] = Value::Bool(actor.is_admin());
        Ok(view)
    }

    /// `system/role/getRoleTypeList`.
    pub fn role_types(&self) -> Vec<RoleType> {
        ROLE_TYPES
            .iter()
            .map(|&(name, role_type)| RoleType { name, role_type })
            .collect()
    }

    /// `sysConfig/queryModuleSetting` (administrator).
    pub fn module_settings(&self, actor: &Actor) -> Result<Vec<Value>> {
        actor.require_admin()?;
        Ok(MODULES
            .iter()
            .map(|&(id, module, name, kind)| {
                json!({"settingId": id, "module": module, "name": name, "type": kind, "status": i64::from(id == CRM_MODULE)})
            })
            .collect())
    }

    /// `sysConfig/setModuleSetting` (administrator): 客户管理 stays on, the others off.
    pub fn switch_module(&self, actor: &Actor, switch: ModuleSwitch) -> Result<()> {
        actor.require_admin()?;
        let (_, _, name, _) = MODULES
            .iter()
            .find(|m| m.0 == switch.id)
            .ok_or_else(|| Error::business(format!("模块不存在：{}", switch.id)))?;
        match (switch.id == CRM_MODULE, switch.on) {
            (true, true) | (false, false) => Ok(()),
            (true, false) => Err(Error::business("客户管理模块不能停用")),
            (false, true) => Err(Error::business(format!("{name}模块未启用：wkcrm 没有该模块"))),
        }
    }

    /// `sysConfig/querySysConfig`: `{name, logo}`, empty until an administrator sets them.
    pub async fn sys_config(&self) -> Result<Value> {
        let stored = self.settings(&self.db, &[SYS_CONFIG]).await?;
        let mut config: Map<String, Value> = stored
            .get(SYS_CONFIG)
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default();
        for key in ["name", "logo"] {
            config.entry(key).or_insert_with(|| json!(""));
        }
        Ok(Value::Object(config))
    }

    /// `sysConfig/setSysConfig` (administrator).
    pub async fn set_sys_config(&self, actor: &Actor, config: SysConfig) -> Result<()> {
        actor.require_admin()?;
        let value = json!({"name": config.name, "logo": config.logo}).to_string();
        let mut tx = self.db.begin().await?;
        self.set_settings(&mut tx, &[(SYS_CONFIG, value)]).await?;
        tx.commit().await?;
        Ok(())
    }
}
