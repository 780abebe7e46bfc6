//! Organisation administration: departments, roles and their rights, role holders, and
//! changes to a user's department and superior. All of it is the administrator's.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::access::{SUPER_ROLE, visible_owners};
use super::error::{Error, Result};
use super::input::{Input, Parse, Unparsed, parse_ids};
use super::{Actor, Crm};
use crate::store::org::{self, DeptFields, DeptRow, MenuRow, RoleFields};
use crate::store::{StoreError, Tx, users};

/// The longest remark of a department or role.
const MAX_REMARK: usize = 500;

/// The most characters of a department name, a role name and a person's name.
const MAX_DEPT_NAME: usize = 64;
const MAX_ROLE_NAME: usize = 50;
const MAX_REALNAME: usize = 100;

/// A data scope (1 本人 … 5 全部) under the first of `keys` present.
fn data_type(input: Input<'_>, keys: &[&str]) -> Result<Option<i64>> {
    let value = input.first_i64(keys)?;
    if value.is_some_and(|v| !(1..=5).contains(&v)) {
        return Err(Error::bad("dataType只能为1到5"));
    }
    Ok(value)
}

/// The integer under `key`, else under `fallback` (J9's and J11's names for one parameter).
fn either_i64(input: Input<'_>, key: &str, fallback: &str, missing: &str) -> Result<i64> {
    let key = if input.raw(key).is_some() { key } else { fallback };
    input.i64(key, missing)
}

/// The department fields an `addDept` or `setDept` sets; the others keep their value.
#[derive(Clone, Debug, Default)]
pub struct DeptDraft {
    pub name: Option<String>,
    pub pid: Option<i64>,
    pub num: Option<i64>,
    pub remark: Option<String>,
    pub owner_user_id: Option<i64>,
}

impl Parse for DeptDraft {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(DeptDraft {
            name: input.opt_text("name", "部门名称", MAX_DEPT_NAME)?,
            pid: input.opt_i64("pid")?,
            num: input.opt_i64("num")?,
            remark: input.opt_bounded("remark", "备注", MAX_REMARK)?,
            owner_user_id: input.opt_i64("ownerUserId")?,
        })
    }
}

/// `setDept`: a department (`deptId`) and the fields to change.
#[derive(Clone, Debug)]
pub struct DeptChange {
    pub id: i64,
    pub draft: DeptDraft,
}

impl Parse for DeptChange {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(DeptChange {
            id: input.i64("deptId", "部门id不能为空")?,
            draft: DeptDraft::parse(input)?,
        })
    }
}

/// `deleteDept`: the department (`deptId`).
#[derive(Clone, Copy, Debug)]
pub struct DeptRef(pub i64);

impl Parse for DeptRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(DeptRef(input.i64("deptId", "部门id不能为空")?))
    }
}

/// The role fields a `role/add` or `role/update` sets; the others keep their value.
#[derive(Clone, Debug, Default)]
pub struct RoleDraft {
    pub name: Option<String>,
    pub role_type: Option<i64>,
    pub data_type: Option<i64>,
    pub remark: Option<String>,
}

impl Parse for RoleDraft {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(RoleDraft {
            name: input.opt_text("roleName", "角色名称", MAX_ROLE_NAME)?,
            role_type: input.opt_i64("roleType")?,
            data_type: data_type(input, &["dataType"])?,
            remark: input.opt_bounded("remark", "备注", MAX_REMARK)?,
        })
    }
}

/// `role/update`: a role (`roleId`) and the fields to change.
#[derive(Clone, Debug)]
pub struct RoleChange {
    pub id: i64,
    pub draft: RoleDraft,
}

impl Parse for RoleChange {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(RoleChange {
            id: input.i64("roleId", "角色id不能为空")?,
            draft: RoleDraft::parse(input)?,
        })
    }
}

/// `role/delete`: the role (`roleId`).
#[derive(Clone, Copy, Debug)]
pub struct RoleRef(pub i64);

impl Parse for RoleRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(RoleRef(input.i64("roleId", "角色id不能为空")?))
    }
}

/// `updateRoleMenu`: a role's rights and, when given, its data scope. J9's
/// `roleId`/`dataType`/`menuIds` or J11's `id`/`type`/`rules`.
#[derive(Clone, Debug)]
pub struct RoleRights {
    pub id: i64,
    pub data_type: Option<i64>,
    pub menu_ids: Vec<i64>,
}

impl Parse for RoleRights {
    fn parse(input: Input<'_>) -> Result<Self> {
        let id = either_i64(input, "roleId", "id", "角色id不能为空")?;
        let data_type = data_type(input, &["dataType", "type"])?;
        let key = if input.raw("menuIds").is_some() {
            "menuIds"
        } else {
            "rules"
        };
        let menu_ids = match input.raw(key) {
            None => Vec::new(),
            Some(v) => parse_ids(v).ok_or_else(|| Error::bad(format!("参数{key}应为菜单id列表")))?,
        };
        Ok(RoleRights {
            id,
            data_type,
            menu_ids,
        })
    }
}

/// `relatedUser` / `unbindingUser`: users (`userIds`) and roles (`roleIds` or `roleId`).
#[derive(Clone, Debug)]
pub struct RoleHolders {
    pub user_ids: Vec<i64>,
    pub role_ids: Vec<i64>,
}

impl Parse for RoleHolders {
    fn parse(input: Input<'_>) -> Result<Self> {
        let user_ids = input.ids("userIds", "员工id不能为空")?;
        let key = if input.raw("roleIds").is_some() {
            "roleIds"
        } else {
            "roleId"
        };
        Ok(RoleHolders {
            user_ids,
            role_ids: input.ids(key, "角色id不能为空")?,
        })
    }
}

/// `setUser`: a user (`userId`) and what to change; `parentId` 0 removes the superior and
/// `roleIds` replaces every role.
#[derive(Clone, Debug)]
pub struct UserEdit {
    pub id: i64,
    pub realname: Option<String>,
    pub mobile: Option<String>,
    pub post: Option<String>,
    pub dept_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub role_ids: Option<Vec<i64>>,
}

impl Parse for UserEdit {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(UserEdit {
            id: input.i64("userId", "用户id不能为空")?,
            realname: input.opt_text("realname", "姓名", MAX_REALNAME)?,
            mobile: input.opt_bounded("mobile", "手机号", 20)?,
            post: input.opt_bounded("post", "岗位", 50)?,
            dept_id: input.opt_i64("deptId")?,
            parent_id: input.opt_i64("parentId")?,
            role_ids: input
                .raw("roleIds")
                .map(|raw| parse_ids(raw).ok_or_else(|| Error::bad("参数roleIds应为以英文逗号分隔的数字id")))
                .transpose()?,
        })
    }
}

/// A rights tree node: `{menuId, parentId, menuName, realm, menuType, childMenu:[…]}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MenuNode {
    menu_id: i64,
    parent_id: i64,
    menu_name: String,
    realm: String,
    menu_type: i64,
    child_menu: Vec<MenuNode>,
}

fn menu_tree(menus: &[MenuRow], parent: i64) -> Vec<MenuNode> {
    menus
        .iter()
        .filter(|m| m.parent_id == parent)
        .map(|m| MenuNode {
            menu_id: m.menu_id,
            parent_id: m.parent_id,
            menu_name: m.menu_name.clone(),
            realm: m.realm.clone(),
            menu_type: m.menu_type,
            child_menu: menu_tree(menus, m.menu_id),
        })
        .collect()
}

/// A department tree node, with its sub-departments as `children`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeptNode {
    dept_id: i64,
    pid: i64,
    name: String,
    num: i64,
    remark: String,
    owner_user_id: Option<i64>,
    children: Vec<DeptNode>,
}

/// The departments under `pid`; `seen` keeps a damaged parent chain from looping.
fn dept_tree(depts: &[DeptRow], pid: i64, seen: &mut HashSet<i64>) -> Vec<DeptNode> {
    let children: Vec<&DeptRow> = depts
        .iter()
        .filter(|d| d.pid == pid && seen.insert(d.dept_id))
        .collect();
    children
        .into_iter()
        .map(|d| DeptNode {
            dept_id: d.dept_id,
            pid: d.pid,
            name: d.name.clone(),
            num: d.num,
            remark: d.remark.clone(),
            owner_user_id: d.owner_user_id,
            children: dept_tree(depts, d.dept_id, seen),
        })
        .collect()
}

/// A role with its rights (`menuIds`) and holders (`userIds`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleView {
    role_id: i64,
    role_name: String,
    role_type: i64,
    data_type: i64,
    remark: String,
    status: i64,
    menu_ids: Vec<i64>,
    user_ids: Vec<i64>,
}

impl Crm {
    /// `getAllMenuList`: the rights tree.
    pub async fn menu_tree(&self) -> Result<Vec<MenuNode>> {
        Ok(menu_tree(&org::menus(&self.db).await?, 0))
    }

    /// `queryDeptTree`: departments as a tree with `children`.
    pub async fn dept_tree(&self) -> Result<Vec<DeptNode>> {
        Ok(dept_tree(&org::depts(&self.db).await?, 0, &mut HashSet::new()))
    }

    /// The department `draft` describes, merged over `current` and checked: the parent
    /// exists and is not the department or below it, the owner exists.
    async fn dept_fields(
        &self,
        tx: &mut Tx,
        draft: DeptDraft,
        current: Option<&org::DeptRow>,
        depts: &[org::DeptRow],
    ) -> Result<DeptRow> {
        let name = draft
            .name
            .or(current.map(|d| d.name.clone()))
            .ok_or_else(|| Error::bad("部门名称不能为空"))?;
        let pid = draft.pid.or(current.map(|d| d.pid)).unwrap_or(0);
        if pid != 0 && !depts.iter().any(|d| d.dept_id == pid) {
            return Err(Error::business("上级部门不存在"));
        }
        if let Some(current) = current {
            // A department cannot move under itself or one of its own sub-departments.
            let mut below = HashSet::from([current.dept_id]);
            let mut frontier = vec![current.dept_id];
            while let Some(p) = frontier.pop() {
                for d in depts.iter().filter(|d| d.pid == p) {
                    if below.insert(d.dept_id) {
                        frontier.push(d.dept_id);
                    }
                }
            }
            if below.contains(&pid) {
                return Err(Error::business("上级部门不能是本部门或其下级部门"));
            }
        }
        let owner_user_id = draft.owner_user_id.or(current.and_then(|d| d.owner_user_id));
        if let Some(owner) = owner_user_id {
            users::by_id(&mut *tx, owner)
                .await?
                .ok_or_else(|| Error::business("部门负责人不存在"))?;
        }
        Ok(DeptRow {
            dept_id: current.map_or(0, |d| d.dept_id),
            pid,
            name,
            num: draft.num.or(current.map(|d| d.num)).unwrap_or(0),
            remark: draft
                .remark
                .or(current.map(|d| d.remark.clone()))
                .unwrap_or_default(),
            owner_user_id,
        })
    }

    /// `addDept`: answers the new department id.
    pub async fn add_dept(&self, actor: &Actor, request: Unparsed<'_, DeptDraft>) -> Result<i64> {
        actor.require_admin()?;
        let draft = request.parse()?;
        let mut tx = self.org_change().await?;
        let depts = org::depts(&mut tx).await?;
        let dept = self.dept_fields(&mut tx, draft, None, &depts).await?;
        let id = org::insert_dept(&mut tx, &dept_fields(&dept)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// `setDept`: changes the given fields of a department.
    pub async fn set_dept(&self, actor: &Actor, request: Unparsed<'_, DeptChange>) -> Result<()> {
        actor.require_admin()?;
        let DeptChange { id, draft } = request.parse()?;
        let mut tx = self.org_change().await?;
        let depts = org::depts(&mut tx).await?;
        let current = depts
            .iter()
            .find(|d| d.dept_id == id)
            .ok_or_else(|| Error::business("部门不存在"))?;
        let dept = self.dept_fields(&mut tx, draft, Some(current), &depts).await?;
        org::update_dept(&mut tx, id, &dept_fields(&dept)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A transaction for a change of the organisation's shape (departments, superiors):
    /// such changes run one at a time, so the checks that keep the shape a tree (no cycle,
    /// no user in a deleted department) see every change made before them.
    pub(crate) async fn org_change(&self) -> Result<Tx> {
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["organisation".to_owned()]).await?;
        Ok(tx)
    }

    /// `deleteDept`: refused while users or sub-departments remain.
    pub async fn delete_dept(&self, actor: &Actor, request: Unparsed<'_, DeptRef>) -> Result<()> {
        actor.require_admin()?;
        let DeptRef(id) = request.parse()?;
        let mut tx = self.org_change().await?;
        let depts = org::depts(&mut tx).await?;
        if !depts.iter().any(|d| d.dept_id == id) {
            return Err(Error::business("部门不存在"));
        }
        if org::users_in_dept(&mut tx, id).await? > 0 {
            return Err(Error::business("该部门下有员工，不能删除"));
        }
        if depts.iter().any(|d| d.pid == id) {
            return Err(Error::business("该部门下有下级部门，不能删除"));
        }
        org::delete_dept(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `getAllRoleList`: every role with its rights (`menuIds`) and holders (`userIds`).
    pub async fn role_list(&self, actor: &Actor) -> Result<Vec<RoleView>> {
        actor.require_admin()?;
        let (roles, menus, holders) = tokio::try_join!(
            org::roles(&self.db),
            org::role_menus(&self.db),
            org::user_roles(&self.db)
        )?;
        let mut menu_ids: HashMap<i64, Vec<i64>> = HashMap::new();
        for (role, menu) in menus {
            menu_ids.entry(role).or_default().push(menu);
        }
        let mut user_ids: HashMap<i64, Vec<i64>> = HashMap::new();
        for (user, role) in holders {
            user_ids.entry(role).or_default().push(user);
        }
        Ok(roles
            .into_iter()
            .map(|r| RoleView {
                menu_ids: menu_ids.remove(&r.role_id).unwrap_or_default(),
                user_ids: user_ids.remove(&r.role_id).unwrap_or_default(),
                role_id: r.role_id,
                role_name: r.role_name,
                role_type: r.role_type,
                data_type: r.data_type,
                remark: r.remark,
                status: r.status,
            })
            .collect())
    }

    /// The role `draft` describes, merged over `current` (a new role is 普通, scope 本人).
    fn role_fields(draft: RoleDraft, current: Option<&org::RoleRow>) -> Result<(String, i64, i64, String)> {
        let name = draft
            .name
            .or(current.map(|r| r.role_name.clone()))
            .ok_or_else(|| Error::bad("角色名称不能为空"))?;
        let role_type = draft.role_type.or(current.map(|r| r.role_type)).unwrap_or(2);
        let data_type = draft.data_type.or(current.map(|r| r.data_type)).unwrap_or(1);
        let remark = draft
            .remark
            .or(current.map(|r| r.remark.clone()))
            .unwrap_or_default();
        Ok((name, role_type, data_type, remark))
    }

    /// `role/add`: answers the new role id.
    pub async fn add_role(&self, actor: &Actor, request: Unparsed<'_, RoleDraft>) -> Result<i64> {
        actor.require_admin()?;
        let (name, role_type, data_type, remark) = Self::role_fields(request.parse()?, None)?;
        let fields = RoleFields {
            role_name: &name,
            role_type,
            data_type,
            remark: &remark,
        };
        Ok(org::insert_role(&self.db, &fields).await?)
    }

    async fn role(&self, id: i64) -> Result<org::RoleRow> {
        let roles = org::roles(&self.db).await?;
        roles
            .into_iter()
            .find(|r| r.role_id == id)
            .ok_or_else(|| Error::business("角色不存在"))
    }

    /// `role/update`.
    pub async fn update_role(&self, actor: &Actor, request: Unparsed<'_, RoleChange>) -> Result<()> {
        actor.require_admin()?;
        let RoleChange { id, draft } = request.parse()?;
        let current = self.role(id).await?;
        if id == SUPER_ROLE {
            return Err(Error::business("超级管理员角色不能修改"));
        }
        let (name, role_type, data_type, remark) = Self::role_fields(draft, Some(&current))?;
        let fields = RoleFields {
            role_name: &name,
            role_type,
            data_type,
            remark: &remark,
        };
        org::update_role(&self.db, id, &fields).await?;
        Ok(())
    }

    /// `role/copy`: a new role with the same type, data scope and rights, named
    /// `名称(N)` with the first N not taken; answers its id.
    pub async fn copy_role(&self, actor: &Actor, request: Unparsed<'_, RoleRef>) -> Result<i64> {
        actor.require_admin()?;
        let RoleRef(id) = request.parse()?;
        let current = self.role(id).await?;
        let roles = org::roles(&self.db).await?;
        let base = strip_copy_number(current.role_name.trim());
        let name = (1..)
            .map(|n| format!("{base}({n})"))
            .find(|name| !roles.iter().any(|r| r.role_name == *name))
            .unwrap_or_default();
        let menus: Vec<i64> = org::role_menus(&self.db)
            .await?
            .into_iter()
            .filter(|(role, _)| *role == id)
            .map(|(_, menu)| menu)
            .collect();
        let fields = RoleFields {
            role_name: &name,
            role_type: current.role_type,
            data_type: current.data_type,
            remark: &current.remark,
        };
        let mut tx = self.db.begin().await?;
        let copy = org::insert_role(&mut tx, &fields).await?;
        org::set_role_menus(&mut tx, copy, &menus).await?;
        tx.commit().await?;
        Ok(copy)
    }

    /// `role/delete`: the role, its rights and its holders' bindings go together.
    pub async fn delete_role(&self, actor: &Actor, request: Unparsed<'_, RoleRef>) -> Result<()> {
        actor.require_admin()?;
        let RoleRef(id) = request.parse()?;
        self.role(id).await?;
        if id == SUPER_ROLE {
            return Err(Error::business("超级管理员角色不能删除"));
        }
        let mut tx = self.db.begin().await?;
        org::delete_role(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `updateRoleMenu`: replaces a role's rights and optionally its data scope. Takes J9's
    /// `roleId`/`dataType`/`menuIds` and also its `id`/`type`/`rules` keys.
    pub async fn update_role_menu(&self, actor: &Actor, request: Unparsed<'_, RoleRights>) -> Result<()> {
        actor.require_admin()?;
        let RoleRights {
            id,
            data_type,
            menu_ids,
        } = request.parse()?;
        let current = self.role(id).await?;
        if id == SUPER_ROLE {
            return Err(Error::business("超级管理员角色不能修改"));
        }
        let data_type = data_type.unwrap_or(current.data_type);
        let known: HashSet<i64> = org::menus(&self.db).await?.iter().map(|m| m.menu_id).collect();
        if let Some(bad) = menu_ids.iter().find(|m| !known.contains(m)) {
            return Err(Error::business(format!("菜单不存在：{bad}")));
        }
        let mut tx = self.db.begin().await?;
        org::set_data_type(&mut tx, id, data_type).await?;
        org::set_role_menus(&mut tx, id, &menu_ids).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn check_holders(&self, holders: &RoleHolders) -> Result<()> {
        self.check_roles(&holders.role_ids).await?;
        for id in &holders.user_ids {
            users::by_id(&self.db, *id)
                .await?
                .ok_or_else(|| Error::business(format!("用户不存在：{id}")))?;
        }
        Ok(())
    }

    /// `relatedUser`: gives every listed user every listed role.
    pub async fn relate_users(&self, actor: &Actor, request: Unparsed<'_, RoleHolders>) -> Result<()> {
        actor.require_admin()?;
        let holders = request.parse()?;
        self.check_holders(&holders).await?;
        let RoleHolders { user_ids, role_ids } = holders;
        let mut tx = self.db.begin().await?;
        for user in &user_ids {
            for role in &role_ids {
                org::bind_role(&mut tx, *user, *role).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// `unbindingUser`: takes the listed roles from the listed users.
    pub async fn unbind_users(&self, actor: &Actor, request: Unparsed<'_, RoleHolders>) -> Result<()> {
        actor.require_admin()?;
        let holders = request.parse()?;
        self.check_holders(&holders).await?;
        let RoleHolders { user_ids, role_ids } = holders;
        if user_ids.contains(&actor.id()) && role_ids.contains(&SUPER_ROLE) {
            return Err(Error::business("不能取消自己的超级管理员角色"));
        }
        let mut tx = self.db.begin().await?;
        for user in &user_ids {
            for role in &role_ids {
                org::unbind_role(&mut tx, *user, *role).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Fails, naming the first unknown role, unless every role exists.
    pub(crate) async fn check_roles(&self, role_ids: &[i64]) -> Result<()> {
        let roles: HashSet<i64> = org::roles(&self.db).await?.iter().map(|r| r.role_id).collect();
        match role_ids.iter().find(|r| !roles.contains(r)) {
            Some(bad) => Err(Error::business(format!("角色不存在：{bad}"))),
            None => Ok(()),
        }
    }

    /// Replaces a user's roles with `role_ids`.
    async fn set_user_roles(&self, tx: &mut Tx, user_id: i64, role_ids: &[i64]) -> Result<()> {
        self.check_roles(role_ids).await?;
        org::clear_roles(&mut *tx, user_id).await?;
        for role in role_ids {
            org::bind_role(&mut *tx, user_id, *role).await?;
        }
        Ok(())
    }

    /// Checks a superior for `user_id` (None for a new user): it must exist and must not be
    /// the user or one of its subordinates.
    pub(crate) async fn check_superior(&self, tx: &mut Tx, user_id: Option<i64>, parent: i64) -> Result<()> {
        users::by_id(&mut *tx, parent)
            .await?
            .ok_or_else(|| Error::business("直属上级不存在"))?;
        if let Some(user_id) = user_id {
            let links = org::user_links(&mut *tx).await?;
            if let super::access::Owners::Only(below) = visible_owners(2, user_id, &links, &[])
                && below.contains(&parent)
            {
                return Err(Error::business("直属上级不能是自己或自己的下属"));
            }
        }
        Ok(())
    }

    /// `setUser`: changes a user's names, department, superior and roles.
    pub async fn set_user(&self, actor: &Actor, request: Unparsed<'_, UserEdit>) -> Result<()> {
        actor.require_admin()?;
        let edit = request.parse()?;
        let id = edit.id;
        let mut tx = self.org_change().await?;
        let current = users::by_id(&mut tx, id)
            .await?
            .ok_or_else(|| Error::business(format!("用户不存在：{id}")))?;
        let dept_id = match edit.dept_id {
            Some(d) if !users::dept_exists(&mut tx, d).await? => return Err(Error::business("部门不存在")),
            Some(d) => Some(d),
            None => current.dept_id,
        };
        let parent_id = match edit.parent_id {
            Some(0) => None,
            Some(p) => {
                self.check_superior(&mut tx, Some(id), p).await?;
                Some(p)
            }
            None => current.parent_id,
        };
        let realname = edit.realname.unwrap_or(current.realname);
        let mobile = edit.mobile.unwrap_or(current.mobile);
        let post = edit.post.or(current.post);
        let change = users::UserChange {
            realname: &realname,
            mobile: &mobile,
            post: post.as_deref(),
            dept_id,
            parent_id,
        };
        users::update(&mut tx, id, &change).await.map_err(|e| match e {
            StoreError::Unique(_) => Error::business("用户名已存在"),
            other => other.into(),
        })?;
        if let Some(role_ids) = &edit.role_ids {
            self.set_user_roles(&mut tx, id, role_ids).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

fn dept_fields(dept: &DeptRow) -> DeptFields<'_> {
    DeptFields {
        pid: dept.pid,
        name: &dept.name,
        num: dept.num,
        remark: &dept.remark,
        owner_user_id: dept.owner_user_id,
    }
}

/// `销售员(2)` → `销售员`: the name a copy's number is added to.
fn strip_copy_number(name: &str) -> &str {
    let Some(open) = name.rfind('(') else {
        return name;
    };
    let number = &name[open + 1..];
    match number.strip_suffix(')') {
        Some(digits) if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) => &name[..open],
        _ => name,
    }
}
